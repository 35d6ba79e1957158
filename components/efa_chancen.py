"""Nachnutzungs-Chancen as cards (what to connect, why, and whom to call) and as a table with
its download; `chancen_bereich` is the whole tab of the EfA page."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from components import kontakte as kontakt_regel
from components import layout
from components.download import tabelle_herunterladen
from components.text import mailto_md, md, tel_md
from kreis_data import formatting
from kreis_data.efa import regeln
from kreis_data.efa.lesen import CHANCEN_TITEL
from kreis_data.efa.regeln import KEINE_ANSPRECHPERSON
from kreis_data.laender import Gebiet

TOP = 10
SCORE_HILFE = ("Score: Punkte für Nachbarn, bei denen der Dienst schon live ist, für alle "
               "Nachnutzer im Kreis, für die Einwohnerzahl und für ein gleiches Portal – höher "
               "heißt: leichter und lohnender nachzunutzen (Berechnung auf der Seite "
               "EfA-Nachnutzung).")

TABELLEN_SPALTEN = ["verwaltung", "leistung", "themenfeld", "score", "begruendung", "adopter",
                    "kontakt", "status", "hindernis", "punkte_nachbarn", "punkte_nachnutzer",
                    "punkte_einwohner", "punkte_portal", "nachnutzer_namen"]


def kontakt_md(row) -> str:
    """Contact of the adopter as Markdown (or the visible gap); e-mail and phone as mailto:/tel:
    links only where components.kontakte.kontakt_sichtbar()."""
    if not isinstance(row.ansprechperson, str) or not row.ansprechperson.strip():
        return KEINE_ANSPRECHPERSON
    teile = [f"**{md(row.ansprechperson)}**"]
    if not kontakt_regel.kontakt_sichtbar():
        return teile[0]
    if isinstance(row.ansprechperson_email, str) and row.ansprechperson_email:
        teile.append(mailto_md(row.ansprechperson_email))
    if isinstance(row.ansprechperson_telefon, str) and row.ansprechperson_telefon:
        teile.append(tel_md(row.ansprechperson_telefon))
    return " · ".join(teile)


def chancen_karten(chancen: pd.DataFrame, top: int, mit_verwaltung: bool) -> None:
    """The best `top` chances, one bordered card each (and the note where e-mail and phone are
    withheld)."""
    for platz, row in enumerate(chancen.head(top).itertuples(index=False), start=1):
        with st.container(border=True):
            fuer = f" – für **{md(row.verwaltung)}**" if mit_verwaltung else ""
            st.markdown(f"**{platz}. {md(row.leistung)}**{fuer} · Score "
                        f"{formatting.zahl(row.score, 1)} · {md(row.themenfeld)}",
                        help=SCORE_HILFE)
            st.markdown(md(row.begruendung))
            nachbar = " (Nachbar)" if row.adopter_ist_nachbar else ""
            st.markdown(f"Ansprechen bei **{md(row.adopter)}**{nachbar}: {kontakt_md(row)}")
    if not chancen.empty:
        kontakt_regel.hinweis()


def chancen_tabelle(chancen: pd.DataFrame, quartal: str, *, quelle: str, stand: str) -> None:
    """All chances as a table, and as CSV/Excel (with the Verwaltungsschlüssel); e-mail and
    phone only where components.kontakte.kontakt_sichtbar()."""
    chancen = kontakt_regel.tabelle(chancen)
    st.dataframe(formatting.fuer_leser(chancen[TABELLEN_SPALTEN].rename(columns=CHANCEN_TITEL)),
                 hide_index=True, width="stretch")
    tabelle_herunterladen(
        chancen[["verwaltung_key", *TABELLEN_SPALTEN]].rename(columns=CHANCEN_TITEL),
        f"EfA-Chancen {formatting.quartal(quartal)}", quelle=quelle, stand=stand,
        key="efa_chancen")


def chancen_bereich(chancen: pd.DataFrame, quartal: str, label: str, gebiet: Gebiet, *,
                    name: str | None, kreisverwaltung: bool, quelle: str, stand: str) -> None:
    """The chances of the Verwaltung `name` (None: the whole Kreis) in the quarter `label`: the
    best TOP as cards, all as a table, source and the method of the score."""
    if chancen.empty and kreisverwaltung:
        st.info("Die Kreisverwaltung ist im Kreis die einzige Zuständige für Leistungen der "
                "Kreisebene – Nachnutzer dafür gibt es nur in anderen Kreisen, die hier nicht "
                "erfasst sind.")
    elif chancen.empty:
        st.info(f"Im {label} keine Nachnutzungs-Chancen: Was bei anderen Verwaltungen live "
                "ist, ist hier schon live oder nicht in der Zuständigkeit.")
    else:
        wer = "im ganzen Kreis" if name is None else f"für {md(name)}"
        st.markdown(f"**{len(chancen)} Nachnutzungs-Chancen {wer}** – die besten "
                    f"{min(TOP, len(chancen))}, geordnet nach Score (Berechnung siehe unten). "
                    "Der erste Schritt ist ein Anruf bei der genannten Verwaltung.")
        chancen_karten(chancen, TOP, mit_verwaltung=name is None)
        chancen_tabelle(chancen, quartal, quelle=quelle, stand=stand)
    layout.quelle_stand(quelle, stand)
    with st.expander("Wie der Score berechnet wird"):
        st.markdown(regeln.methodik_text(arten_text=gebiet.arten_text, kreisfrei=gebiet.kreisfrei))
