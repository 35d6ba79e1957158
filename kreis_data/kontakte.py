"""Personal contact data of named staff (issue #15, point 6): e-mail address and phone number.

Name, role and Verwaltung of a contact stay visible to everyone; the e-mail address and the
phone number only to signed-in users, never in presentation mode and never in a public handout
(PDF/PPTX). The app decides with ``components.kontakte.kontakt_sichtbar()``; everything here is
plain data, so the reports and the CLI can drop the same columns without Streamlit:

- ``ohne_kontaktdaten(frame)``: a table (e.g. ``efa.lesen.chancen``, ``queries.verwaltungen``)
  without e-mail and phone columns, and its readable "kontakt" column rebuilt from the name only.
- ``kontakt_text(name, email, telefon, mit_kontaktdaten=…)``: one readable line.
- ``EMAIL_MUSTER`` / ``TELEFON_MUSTER``: what the tests (and a report's self-check) look for.
"""
from __future__ import annotations

import re

import pandas as pd

KEINE_ANSPRECHPERSON = "keine Ansprechperson benannt"
NACH_ANMELDUNG = "E-Mail-Adresse und Telefonnummer nur nach Anmeldung"
ERSETZT = "(Kontaktdaten nach Anmeldung)"
# Columns that carry personal contact data, wherever they occur.
KONTAKTDATEN_SPALTEN = ("ansprechperson_email", "ansprechperson_telefon", "kontakt_email",
                        "kontakt_telefon", "email", "telefon")
# An e-mail address; a phone number of at least 6 digits with the usual separators.
EMAIL_MUSTER = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+")
# A phone number: "+49 5400 123-45", "05401 123-45", "05401/12345", "+49 (0)5401 12345" –
# digit groups with a separator, so dates (2026-05-21) and keys (034595401) do not count.
TELEFON_MUSTER = re.compile(r"(?<![\w.,+])(?:\+\d{2} ?(?:\(0\))? ?|0)\d{2,5}[ /-]\d{2,}"
                            r"(?:[ -]\d+)*(?![\w.,])|tel:\+?\d+")


def _text(wert: object) -> str:
    return wert.strip() if isinstance(wert, str) else ""


def kontakt_text(name: object, email: object = None, telefon: object = None, *,
                 mit_kontaktdaten: bool = True) -> str:
    """ "Anna Beispiel · anna@example.org · 05401 123-45", without e-mail and phone when
    `mit_kontaktdaten` is False, or "keine Ansprechperson benannt"."""
    if not _text(name):
        return KEINE_ANSPRECHPERSON
    teile = [_text(name)]
    if mit_kontaktdaten:
        teile += [t for t in (_text(email), _text(telefon)) if t]
    return " · ".join(teile)


def ohne_kontaktdaten(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of `frame` without e-mail and phone columns; a "kontakt" column next to an
    "ansprechperson" column (the EfA chances) keeps only the name."""
    ergebnis = frame.drop(columns=[s for s in KONTAKTDATEN_SPALTEN if s in frame.columns])
    if "kontakt" in ergebnis.columns and "ansprechperson" in ergebnis.columns:
        ergebnis["kontakt"] = [kontakt_text(n, mit_kontaktdaten=False)
                               for n in ergebnis["ansprechperson"]]
    return ergebnis


def ohne_kontaktangaben(text: object) -> object:
    """Free text (e.g. the "Ansprechperson" of a Kooperation) with any e-mail address or phone
    number typed into it replaced by a note; anything but text is returned as it is."""
    if not isinstance(text, str):
        return text
    text = EMAIL_MUSTER.sub(ERSETZT, text)
    return TELEFON_MUSTER.sub(ERSETZT, text)


def enthaelt_kontaktdaten(text: str) -> list[str]:
    """E-mail addresses and phone numbers found in `text` (for tests and self-checks)."""
    return EMAIL_MUSTER.findall(text) + TELEFON_MUSTER.findall(text)
