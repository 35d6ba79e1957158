"""Konten: who may do what (regeln, also the rules for names, passwords and login locks), the
local account file (kontodatei) and the login throttling in the database (sperre)."""
