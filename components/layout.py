"""Page furniture shared by all pages: demo banner, source line, attribution footer."""
from __future__ import annotations

import streamlit as st

from components import data
from components.praesentation import ist_praesentation
from components.text import md

DEMO_TEXT = ("**Demo-Daten (fiktiv)** – Digitalisierungsstand, Produkte, Anbindungen, "
             "Kooperationen, Maßnahmen und Kontakte sind erfunden; Gebiete und Einwohnerzahlen "
             "sind amtlich.")
# The same in one line for the beamer (presentation mode: every step fits one screen).
DEMO_TEXT_KURZ = ("**Demo-Daten (fiktiv)** – alle Fachdaten sind erfunden; Gebiete und "
                  "Einwohnerzahlen sind amtlich.")


def demo_banner() -> None:
    if data.ist_demo():
        st.warning(DEMO_TEXT_KURZ if ist_praesentation() else DEMO_TEXT,
                   icon=":material/science:")


def attributions() -> list[str]:
    """Attribution texts of the official data sources of this workspace."""
    return [s["attribution"] for s in data.meta().get("quellen", []) if s.get("attribution")]


def footer() -> None:
    st.divider()
    lines = attributions()
    gebiet = data.gebiet()
    if gebiet is not None and gebiet.gebietsstand:
        lines.append(gebiet.gebietsstand)
    if data.ist_demo():
        lines.append("Digitalisierungsstand und alle weiteren Fachdaten: Demo-Daten (fiktiv).")
    # plain text (md): an auto-linked licence address would be drawn in a faded link colour
    # below 4.5:1 contrast inside a caption; the address stays readable as text. On the beamer
    # the lines run on (" · "), so the attribution takes two lines instead of four.
    st.caption((" · " if ist_praesentation() else "  \n").join(md(line) for line in lines))


def ohne_bewertungen(auswahl) -> None:
    """The note of a page whose quarter has no Bewertungen yet (a new workspace or quarter)."""
    if not auswahl.hat_daten:
        st.info(f"Für das {auswahl.label} sind noch keine Bewertungen erfasst – alle "
                "Verwaltungen erscheinen mit „keine Angabe“. Erfassen Sie sie auf der Seite "
                "Datenpflege (Selbstauskunft oder Excel-Import).", icon=":material/info:")


def quelle_stand(quelle: str, stand: str) -> None:
    """The mandatory "Quelle … · Stand …" line under a figure, chart or table."""
    st.caption(f"Quelle: {quelle} · Stand: {stand}")
