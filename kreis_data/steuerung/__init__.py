"""Steuerung (Maßnahmen, Sitzungen): regeln (Steckbrief fields and checks), schreiben (change a
Maßnahme), lesen (Maßnahmen, Meilensteine, Sitzungen, Aufgaben)."""
