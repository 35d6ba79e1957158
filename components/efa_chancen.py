"""Nachnutzungs-Chancen as cards (what to connect, why, and whom to call) and as a table with
its download."""
from __future__ import annotations

import re

import pandas as pd
import streamlit as st

from components.download import tabelle_herunterladen
from components.text import md
from kreis_data import formatting
from kreis_data.efa.lesen import CHANCEN_TITEL
from kreis_data.efa.regeln import KEINE_ANSPRECHPERSON

TABELLEN_SPALTEN = ["verwaltung", "leistung", "themenfeld", "score", "begruendung", "adopter",
                    "kontakt", "status", "hindernis", "punkte_nachbarn", "punkte_nachnutzer",
                    "punkte_einwohner", "punkte_portal", "nachnutzer_namen"]


def kontakt_md(row) -> str:
    """Contact of the adopter as Markdown with mailto:/tel: links (or the visible gap)."""
    if not isinstance(row.ansprechperson, str) or not row.ansprechperson.strip():
        return KEINE_ANSPRECHPERSON
    teile = [f"**{md(row.ansprechperson)}**"]
    if isinstance(row.ansprechperson_email, str) and row.ansprechperson_email:
        teile.append(f"[{md(row.ansprechperson_email)}](mailto:{row.ansprechperson_email})")
    if isinstance(row.ansprechperson_telefon, str) and row.ansprechperson_telefon:
        nummer = re.sub(r"[^0-9+]", "", row.ansprechperson_telefon)
        teile.append(f"[{md(row.ansprechperson_telefon)}](tel:{nummer})")
    return " · ".join(teile)


def chancen_karten(chancen: pd.DataFrame, top: int, mit_verwaltung: bool) -> None:
    """The best `top` chances, one bordered card each."""
    for platz, row in enumerate(chancen.head(top).itertuples(index=False), start=1):
        with st.container(border=True):
            fuer = f" – für **{md(row.verwaltung)}**" if mit_verwaltung else ""
            st.markdown(f"**{platz}. {md(row.leistung)}**{fuer} · Score "
                        f"{formatting.zahl(row.score, 1)} · {md(row.themenfeld)}")
            st.markdown(md(row.begruendung))
            nachbar = " (Nachbar)" if row.adopter_ist_nachbar else ""
            st.markdown(f"Ansprechen bei **{md(row.adopter)}**{nachbar}: {kontakt_md(row)}")


def chancen_tabelle(chancen: pd.DataFrame, quartal: str, *, quelle: str, stand: str) -> None:
    """All chances as a table, and as CSV/Excel (with the Verwaltungsschlüssel)."""
    st.dataframe(chancen[TABELLEN_SPALTEN].rename(columns=CHANCEN_TITEL), hide_index=True,
                 width="stretch")
    tabelle_herunterladen(
        chancen[["verwaltung_key", *TABELLEN_SPALTEN]].rename(columns=CHANCEN_TITEL),
        f"EfA-Chancen {quartal}", quelle=quelle, stand=stand, key="efa_chancen")
