"""Presentation mode for the beamer briefing: ?modus=praesentation (or the sidebar toggle).

Large type (>= 24 px body text), high contrast, no sidebar, no edit controls (pages ask
`ist_praesentation()` and do not render forms), and a fixed sequence of screens
Lagebild -> Karte -> Quartalsreview with "Zurück"/"Weiter" buttons (keyboard: arrow keys
Left/Right via Streamlit's button shortcuts; buttons are ordinary, focusable buttons).
"""
from __future__ import annotations

from pathlib import Path

import streamlit as st

from components.seiten import PRAESENTATION

PARAM, WERT = "modus", "praesentation"
STATE_KEY = "praesentation"
PROJECT_ROOT = Path(__file__).resolve().parent.parent

# (page file as registered in app.py's st.navigation, title), from the page registry
SEQUENZ: tuple[tuple[str, str], ...] = tuple((s.datei, s.titel) for s in PRAESENTATION)

CSS = """
<style>
/* Präsentationsmodus: große Schrift, hoher Kontrast, keine Seitenleiste */
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"],
[data-testid="stSidebarNav"], [data-testid="collapsedControl"] { display: none !important; }
.stApp { background: #ffffff; color: #000000; }
.stApp, .stApp p, .stApp li, .stApp label, .stApp td, .stApp th,
[data-testid="stMarkdownContainer"] p, [data-testid="stMarkdownContainer"] li {
    font-size: 24px !important; line-height: 1.45 !important; color: #000000 !important; }
.stApp h1 { font-size: 48px !important; color: #000000 !important; }
.stApp h2 { font-size: 38px !important; color: #000000 !important; }
.stApp h3 { font-size: 30px !important; color: #000000 !important; }
[data-testid="stCaptionContainer"], [data-testid="stCaptionContainer"] p {
    font-size: 20px !important; color: #1a1a1a !important; }
.stApp [data-testid="stMetricValue"], .stApp [data-testid="stMetricValue"] p,
.stApp [data-testid="stMetricValue"] * {
    font-size: 56px !important; color: #000000 !important; }
[data-baseweb="select"] *, .stApp input, .stApp textarea { font-size: 24px !important; }
.js-plotly-plot .main-svg text { font-size: 18px !important; fill: #000000 !important; }
[data-testid="stMetricLabel"] p { font-size: 26px !important; color: #000000 !important; }
[data-testid="stMetricDelta"] { font-size: 24px !important; }
.stButton button, [data-testid="stPageLink"] a {
    font-size: 24px !important; min-height: 56px; padding: 0 1.2em; border-width: 2px; }
.stButton button:focus-visible { outline: 4px solid #000000 !important; outline-offset: 2px; }
[data-testid="stForm"], [data-testid="stDownloadButton"] { display: none !important; }
.block-container { padding-top: 4.5rem !important; max-width: 100% !important; }
</style>
"""


def ist_praesentation() -> bool:
    """True in presentation mode: ?modus=praesentation or the toggle switched on."""
    if st.query_params.get(PARAM) == WERT:
        return True
    return bool(st.session_state.get(STATE_KEY, False))


def _umschalten() -> None:
    if st.session_state.get(STATE_KEY):
        st.query_params[PARAM] = WERT
    elif st.query_params.get(PARAM) == WERT:
        del st.query_params[PARAM]


def praesentation_toggle() -> None:
    """Sidebar toggle (the sidebar is hidden once the mode is on; leave with "Beenden")."""
    if STATE_KEY not in st.session_state:
        st.session_state[STATE_KEY] = st.query_params.get(PARAM) == WERT
    st.sidebar.toggle("Präsentationsmodus", key=STATE_KEY, on_change=_umschalten,
                      help="Große Schrift, keine Bearbeitungselemente, ohne Seitenleiste; "
                           "Bildschirme Lagebild → Karte → Quartalsreview. Auch per Link: "
                           "?modus=praesentation")


def sequenz() -> list[tuple[str, str]]:
    """The screens that exist in this installation (a missing page is skipped)."""
    return [(datei, titel) for datei, titel in SEQUENZ if (PROJECT_ROOT / datei).exists()]


def nachbarn(aktuell: str) -> tuple[tuple[str, str] | None, tuple[str, str] | None]:
    """(previous, next) screen of the page file `aktuell` in the sequence."""
    folge = sequenz()
    dateien = [d for d, _ in folge]
    if aktuell not in dateien:
        return None, (folge[0] if folge else None)
    i = dateien.index(aktuell)
    return (folge[i - 1] if i > 0 else None), (folge[i + 1] if i + 1 < len(folge) else None)


def _beenden() -> None:
    st.session_state[STATE_KEY] = False
    if st.query_params.get(PARAM) == WERT:
        del st.query_params[PARAM]


def praesentation(aktuell: str) -> bool:
    """Call at the top of every page of the sequence. In presentation mode: inject the CSS and
    show the navigation; returns ist_praesentation()."""
    if not ist_praesentation():
        return False
    st.html(CSS)
    folge = sequenz()
    dateien = [d for d, _ in folge]
    zurueck, weiter = nachbarn(aktuell)
    position = f"{dateien.index(aktuell) + 1} von {len(folge)}" if aktuell in dateien else ""
    links, mitte, rechts, ende = st.columns([2, 3, 2, 2], vertical_alignment="center")
    parameter = {PARAM: WERT}
    quartal = st.query_params.get("quartal")
    if quartal:
        parameter["quartal"] = quartal
    with links:
        if st.button(f"← Zurück{': ' + zurueck[1] if zurueck else ''}", key="praes_zurueck",
                     disabled=zurueck is None, shortcut="Left",
                     help="Vorheriger Bildschirm (Pfeiltaste links)"):
            st.switch_page(zurueck[0], query_params=parameter)
    with mitte:
        st.markdown(f"**Präsentation** · Bildschirm {position}")
    with rechts:
        if st.button(f"Weiter{': ' + weiter[1] if weiter else ''} →", key="praes_weiter",
                     disabled=weiter is None, shortcut="Right", type="primary",
                     help="Nächster Bildschirm (Pfeiltaste rechts)"):
            st.switch_page(weiter[0], query_params=parameter)
    with ende:
        st.button("Präsentation beenden", key="praes_ende", on_click=_beenden)
    return True
