"""Konten: who may do what (regeln) and the local account file (kontodatei)."""
