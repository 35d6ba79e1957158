"""The choropleth of the Gemeinden: colours from scales, hatch for "keine Angabe", Verwaltung
borders, plain-text tooltips, click selects a Verwaltung (inside an st.fragment), legend beside it.

The map component (components.karte_komponente) loads the geometry once; a rerun sends only the
values per Verwaltung and the selection, so a Merkmal change or a click costs a few KB. Pan and
zoom do not rerun anything.
"""
from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from components import data, layout
from components.auswahl import karten_verwaltung
from components.download import tabelle_herunterladen
from components.karte_komponente import karte, seitenverhaeltnis
from components.legend import GEMEINDEFREI, legende_html
from components.seiten import KARTE
from components.text import md
from kreis_data import formatting, scales
from kreis_data.analyses import karte as karten_analyse
from kreis_data.map_events import ausgewaehlte_verwaltung, klick_nummer

HOEHE = 560
HOEHE_KOMPAKT = 400
# Presentation mode: what remains of a 1920x1080 screen below banner, navigation and title
# and above the footer (checked by tests/e2e/test_praesentation.py: no step scrolls).
HOEHE_PRAESENTATION = 680
PRAESENTATION_BREITE = 1824  # px: content width of the 1920 px screen (presentation padding)
KLICK_KEY = "karte_klick"  # the map component's last click (its `key`)
AUSWAHL_KEY = "karte_auswahl"  # the selected Verwaltung key
VERARBEITET_KEY = "karte_klick_verarbeitet"  # number of the last click taken over


def legende(merkmal_key: str) -> None:
    item = karten_analyse.kartenmerkmal(data.merkmale(), merkmal_key)
    eintraege = list(item.legende)
    if data.gebiet() is not None and data.gebiet().gemeindefreie_gebiete:
        eintraege.append((scales.GEMEINDEFREI_LABEL, GEMEINDEFREI))
    st.markdown(f"**{item.name}**")
    st.markdown(legende_html(eintraege), unsafe_allow_html=True)


def quelle_stand(quartal: str, merkmal_key: str) -> None:
    """Quelle · Stand of the map's values, and the attribution of the geometry."""
    quelle, stand = data.cached(karten_analyse.quelle_und_stand, quartal, merkmal_key)
    layout.quelle_stand(quelle, stand)
    st.caption("  \n".join(a for a in layout.attributions() if "Verwaltungsgrenzen" in a))


def _werte(quartal: str, merkmal_key: str) -> dict[str, dict]:
    return data.cached(karten_analyse.anzeige, quartal, merkmal_key)


def aktuelle_auswahl(gueltige_keys) -> str | None:
    """The selected Verwaltung: the last clicked one (kept across Merkmal changes)."""
    klick = st.session_state.get(KLICK_KEY)
    nummer = klick_nummer(klick)
    neu = None
    if nummer is not None and nummer != st.session_state.get(VERARBEITET_KEY):
        st.session_state[VERARBEITET_KEY] = nummer
        neu = ausgewaehlte_verwaltung(klick, gueltige_keys)
    # the selection lives in the URL (?verwaltung=): a click writes it, a link or F5 restores it
    neu = karten_verwaltung(neu, gueltige_keys)
    if neu is not None:
        st.session_state[AUSWAHL_KEY] = neu
    auswahl = st.session_state.get(AUSWAHL_KEY)
    return auswahl if auswahl in gueltige_keys else None


@st.fragment
def karte_mit_auswahl(quartal: str, merkmal_key: str, hintergrund: str | None,
                      detail: Callable[[str | None], None]) -> None:
    """Map, legend and `detail(selected key)`; a click reruns only this fragment."""
    werte = _werte(quartal, merkmal_key)
    auswahl = aktuelle_auswahl(set(werte))
    links, rechts = st.columns([3, 1], gap="medium")
    with links:
        karte(werte, key=KLICK_KEY, hoehe=HOEHE, auswahl=auswahl, klickbar=True,
              hintergrund_key=hintergrund)
        st.caption("Klick auf eine Gemeinde wählt ihre Verwaltung; dicke Linien sind "
                   "Verwaltungsgrenzen, schraffiert heißt „keine Angabe“.")
    with rechts:
        legende(merkmal_key)
        st.divider()
        detail(auswahl)


def praesentation_spalten(breite: int = PRAESENTATION_BREITE):
    """(map column, side column) for the beamer: the map column as wide as the Kreis drawn
    HOEHE_PRAESENTATION high (so the Kreis fills its frame), between 35 and 72 % of the row."""
    anteil = min(max(seitenverhaeltnis() * HOEHE_PRAESENTATION / breite + 0.02, 0.35), 0.72)
    return st.columns([anteil, 1 - anteil], gap="medium")


def karte_praesentation(quartal: str, merkmal_key: str, links, rechts) -> None:
    """The map on the beamer: as high as the screen allows, zoomed to the Kreis, every Gemeinde
    named on the map; legend, summary and Quelle · Stand beside it (`rechts`, under the Merkmal
    choice). No click selection: the short profile would name the Ansprechperson."""
    with links:
        karte(_werte(quartal, merkmal_key), key="karte_praesentation",
              hoehe=HOEHE_PRAESENTATION, beschriftung=True)
    with rechts:
        legende(merkmal_key)
        st.markdown(data.cached(karten_analyse.zusammenfassung, quartal, merkmal_key))
        quelle_stand(quartal, merkmal_key)


def karte_kompakt(quartal: str, merkmal_key: str) -> None:
    """Small, read-only map with legend (Lagebild); never reruns the page."""
    links, rechts = st.columns([3, 1], gap="medium")
    with links:
        karte(_werte(quartal, merkmal_key), key="karte_kompakt", hoehe=HOEHE_KOMPAKT,
              kompakt=True)
    with rechts:
        legende(merkmal_key)


def karten_tabelle(quartal: str, merkmal_key: str) -> None:
    """The map's table twin (sortable), its summary sentence, Quelle · Stand and CSV download."""
    st.markdown(md(data.cached(karten_analyse.zusammenfassung, quartal, merkmal_key)))
    werte = data.cached(karten_analyse.karten_werte, quartal, merkmal_key)
    tabelle = karten_analyse.tabelle(werte)
    name = karten_analyse.kartenmerkmal(data.merkmale(), merkmal_key).name
    ist_indikator = merkmal_key in karten_analyse.INDIKATOREN
    st.dataframe(
        tabelle, hide_index=True, width="stretch", placeholder=formatting.LEER,
        column_config={
            "Einwohner": st.column_config.NumberColumn(format="localized"),
            "Stufe": st.column_config.TextColumn(name),
            "Wert": st.column_config.NumberColumn(
                "Index" if ist_indikator else "Stufe (Zahl)", format="localized",
                help="Zum Sortieren: Stufe 0–4 bzw. Indexwert 0–100; leer = keine Angabe"),
            "Stand": st.column_config.DateColumn(format="DD.MM.YYYY"),
        })
    quelle, stand = data.cached(karten_analyse.quelle_und_stand, quartal, merkmal_key)
    layout.quelle_stand(quelle, stand)
    tabelle_herunterladen(tabelle, f"Karte {name} {formatting.quartal(quartal)}", quelle=quelle,
                          stand=stand, key=f"karte_{merkmal_key}")


def lagebild_karte(quartal: str, merkmal_key: str = karten_analyse.INDEX_KEY) -> None:
    """The compact map for the Lagebild with summary, Quelle · Stand and a link to the Karte."""
    name = karten_analyse.kartenmerkmal(data.merkmale(), merkmal_key).name
    st.subheader(f"Karte: {name}")
    st.markdown(md(data.cached(karten_analyse.zusammenfassung, quartal, merkmal_key)))
    karte_kompakt(quartal, merkmal_key)
    quelle_stand(quartal, merkmal_key)
    st.page_link(KARTE.datei, label="Zur Karte mit Tabelle und Auswahl",
                 icon=":material/map:", query_params={"merkmal": merkmal_key})
