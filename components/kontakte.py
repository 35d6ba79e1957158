"""The one decision who sees personal contact data (issue #15, point 6): e-mail addresses and
phone numbers of named staff only for signed-in users, never for anonymous readers and never
in presentation mode (the beamer). Name, role and Verwaltung stay visible to everyone.

Every place that shows a contact asks ``kontakt_sichtbar()`` (Steckbrief and its short profile
beside the map, "Wer kann helfen?", the EfA chances with their table and download, the
Kooperationen); tables go through ``tabelle()`` (kreis_data.kontakte.ohne_kontaktdaten).
"""
from __future__ import annotations

import pandas as pd
import streamlit as st

from components.anmeldung import aktueller_benutzer
from components.praesentation import ist_praesentation
from kreis_data import kontakte

HINWEIS = (f"{kontakte.NACH_ANMELDUNG} – zum Schutz der Mitarbeitenden nicht öffentlich und "
           "nicht im Präsentationsmodus.")


def kontakt_sichtbar() -> bool:
    """May this run show e-mail addresses and phone numbers? Signed in and not presenting."""
    return not ist_praesentation() and aktueller_benutzer() is not None


def tabelle(frame: pd.DataFrame) -> pd.DataFrame:
    """`frame` as it may be shown (and downloaded) in this run."""
    return frame if kontakt_sichtbar() else kontakte.ohne_kontaktdaten(frame)


def text(wert: object) -> object:
    """Free text that may hold contact data (a Kooperation's "Ansprechperson"), as it may be
    shown in this run."""
    return wert if kontakt_sichtbar() else kontakte.ohne_kontaktangaben(wert)


def spalte(frame: pd.DataFrame, name: str) -> pd.DataFrame:
    """`frame` with the free-text column `name` passed through text()."""
    if kontakt_sichtbar() or name not in frame.columns:
        return frame
    return frame.assign(**{name: frame[name].map(kontakte.ohne_kontaktangaben)})


def hinweis() -> None:
    """A short caption where contact data is withheld (nothing when it is shown)."""
    if not kontakt_sichtbar() and not ist_praesentation():
        st.caption(HINWEIS)
