"""Presentation mode for the beamer briefing: ?modus=praesentation (or the sidebar toggle).

Large type (>= 24 px body text, tables >= 20 px as plain HTML tables), high contrast, no
sidebar, no edit controls (pages ask `ist_praesentation()` and do not render forms), no personal
contact data, and a fixed sequence of steps that each fit one 1920x1080 screen without scrolling:
the pages of components/seiten.PRAESENTATION, a long page split into several steps
(?schritt=<key>, see TEILE). "Zurück"/"Weiter" buttons (keyboard: arrow keys Left/Right via
Streamlit's button shortcuts; buttons are ordinary, focusable buttons).
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import streamlit as st

from components.seiten import LAGEBILD, PRAESENTATION, QUARTALSREVIEW
from components.text import html_text
from kreis_data import formatting

PARAM, WERT = "modus", "praesentation"
SCHRITT_PARAM = "schritt"
STATE_KEY = "praesentation"
PROJECT_ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Schritt:
    """One screen of the briefing: a page of the sequence, or one part of it."""
    datei: str  # page file, as registered in app.py's st.navigation
    key: str  # value of ?schritt= ("" for a page shown as one step)
    titel: str  # short, on the "Zurück"/"Weiter" buttons


# Pages split into several steps (key, title); every other page of the sequence is one step.
TEILE: dict[str, tuple[tuple[str, str], ...]] = {
    LAGEBILD.datei: (("kennzahlen", "Lagebild"), ("chancen", "Veränderungen und Chancen")),
    QUARTALSREVIEW.datei: (("ueberblick", "Quartalsreview"), ("efa", "EfA und Kooperationen"),
                           ("massnahmen", "Maßnahmen")),
}

SCHRITTE: tuple[Schritt, ...] = tuple(
    Schritt(s.datei, key, titel)
    for s in PRAESENTATION for key, titel in TEILE.get(s.datei, (("", s.titel),)))
# (page file, title) of the pages in the sequence, from the page registry
SEQUENZ: tuple[tuple[str, str], ...] = tuple((s.datei, s.titel) for s in PRAESENTATION)

# The room a step has below the navigation: what the beamer shows (1080 px) minus banner,
# navigation, title and footer; charts and the map are sized from it.
BILDSCHIRM_HOEHE = 1080
TABELLE_MAX_ZEILEN = 12  # more rows are unreadable from 4 m: the rest is named as a count
DIAGRAMM_SCHRIFT = 20  # px: axis labels, legends and bar texts of a chart on the beamer

CSS = """
<style>
/* Präsentationsmodus: große Schrift, hoher Kontrast, keine Seitenleiste, ein Bildschirm je
   Schritt (kein Blättern) */
.stElementContainer:has(#ikz-praesentation) { display: none; }  /* this block: no gap */
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"],
[data-testid="stSidebarNav"], [data-testid="collapsedControl"],
header[data-testid="stHeader"] { display: none !important; }
.stApp { background: #ffffff; color: #000000; }
.stApp, .stApp p, .stApp li, .stApp label, .stApp td, .stApp th,
[data-testid="stMarkdownContainer"] p, [data-testid="stMarkdownContainer"] li {
    font-size: 24px !important; line-height: 1.4 !important; color: #000000 !important; }
.stApp h1 { font-size: 44px !important; color: #000000 !important; padding: 0 0 0.25rem 0 !important; }
.stApp h2 { font-size: 34px !important; color: #000000 !important; padding: 0.25rem 0 !important; }
.stApp h3 { font-size: 30px !important; color: #000000 !important; padding: 0.25rem 0 !important; }
[data-testid="stCaptionContainer"], [data-testid="stCaptionContainer"] p {
    font-size: 20px !important; line-height: 1.3 !important; color: #1a1a1a !important; }
.stApp [data-testid="stMetricValue"], .stApp [data-testid="stMetricValue"] p,
.stApp [data-testid="stMetricValue"] * {
    font-size: 56px !important; color: #000000 !important; }
[data-baseweb="select"] *, .stApp input, .stApp textarea { font-size: 24px !important; }
[data-testid="stMetricLabel"] p { font-size: 26px !important; color: #000000 !important; }
[data-testid="stMetricDelta"], [data-testid="stMetricDelta"] p { font-size: 24px !important; }
/* a key figure wraps instead of ending in "…" */
.stApp [data-testid="stMetricValue"] *, .stApp [data-testid="stMetricLabel"] *,
.stApp [data-testid="stMetricDelta"] * {
    white-space: normal !important; overflow: visible !important; text-overflow: clip !important; }
.stButton button, [data-testid="stPageLink"] a {
    font-size: 24px !important; min-height: 56px; padding: 0 1em; border-width: 2px;
    white-space: nowrap; }
.stButton button p { font-size: 24px !important; white-space: nowrap; }
.stButton button:focus-visible { outline: 4px solid #000000 !important; outline-offset: 2px; }
[data-testid="stForm"], [data-testid="stDownloadButton"] { display: none !important; }
.block-container { padding: 1rem 3rem 0.5rem 3rem !important; max-width: 100% !important; }
[data-testid="stAlertContainer"] { padding: 0.5rem 1rem !important; }
.stApp table.ikz-praes-tabelle { border-collapse: collapse; width: 100%; }
.stApp table.ikz-praes-tabelle th, .stApp table.ikz-praes-tabelle td {
    font-size: 22px !important; line-height: 1.25 !important; padding: 0.15rem 0.6rem;
    text-align: left; border-bottom: 1px solid #8c8c8c; vertical-align: top; }
.stApp table.ikz-praes-tabelle th { border-bottom: 2px solid #000000; font-weight: 700; }
.stApp table.ikz-praes-tabelle td.ikz-zahl { text-align: right; }
</style>
<span id="ikz-praesentation" hidden></span>
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
    """The pages of the sequence that exist in this installation (a missing page is skipped)."""
    return [(datei, titel) for datei, titel in SEQUENZ if (PROJECT_ROOT / datei).exists()]


def schritte() -> list[Schritt]:
    """The steps that exist in this installation (a missing page is skipped)."""
    return [s for s in SCHRITTE if (PROJECT_ROOT / s.datei).exists()]


def schritt(datei: str) -> str:
    """The key of the step of page `datei` that is shown (?schritt=, else the page's first)."""
    keys = [s.key for s in SCHRITTE if s.datei == datei]
    wert = st.query_params.get(SCHRITT_PARAM)
    return wert if wert in keys else (keys[0] if keys else "")


def _aktueller_schritt(datei: str) -> Schritt | None:
    key = schritt(datei)
    return next((s for s in schritte() if s.datei == datei and s.key == key), None)


def nachbarn(aktuell: str) -> tuple[Schritt | None, Schritt | None]:
    """(previous, next) step of the step shown on page `aktuell`."""
    folge = schritte()
    jetzt = _aktueller_schritt(aktuell)
    if jetzt is None:
        return None, (folge[0] if folge else None)
    i = folge.index(jetzt)
    return (folge[i - 1] if i > 0 else None), (folge[i + 1] if i + 1 < len(folge) else None)


def _beenden() -> None:
    st.session_state[STATE_KEY] = False
    if st.query_params.get(PARAM) == WERT:
        del st.query_params[PARAM]
    if SCHRITT_PARAM in st.query_params:
        del st.query_params[SCHRITT_PARAM]


def _schritt_setzen(key: str) -> None:
    """Another step of the same page (a button callback: only ?schritt= changes)."""
    st.query_params[SCHRITT_PARAM] = key


def _knopf(label: str, ziel: Schritt | None, aktuell: str, **kwargs) -> None:
    """A navigation button to the step `ziel` (disabled without one). No tooltip: it would
    cover the screen under the presenter's mouse."""
    gleiche_seite = ziel is not None and ziel.datei == aktuell
    # the key names the target: after a step change by callback the next run shows a new
    # button (not the clicked one, which would still read True and move on once more)
    kwargs["key"] += f"_{ziel.datei}_{ziel.key}" if ziel else ""
    if st.button(label, disabled=ziel is None,
                 **({"on_click": _schritt_setzen, "args": (ziel.key,)} if gleiche_seite else {}),
                 **kwargs) and ziel is not None and not gleiche_seite:
        parameter = {PARAM: WERT}
        quartal = st.query_params.get("quartal")
        if quartal:
            parameter["quartal"] = quartal
        if ziel.key:
            parameter[SCHRITT_PARAM] = ziel.key
        st.switch_page(ziel.datei, query_params=parameter)


def praesentation(aktuell: str) -> bool:
    """Call at the top of every page of the sequence. In presentation mode: inject the CSS and
    show the navigation; returns ist_praesentation()."""
    if not ist_praesentation():
        return False
    st.html(CSS)
    folge = schritte()
    jetzt = _aktueller_schritt(aktuell)
    zurueck, weiter = nachbarn(aktuell)
    position = f"{folge.index(jetzt) + 1} von {len(folge)}" if jetzt in folge else ""
    links, mitte, rechts, ende = st.columns([3, 2, 3, 2], vertical_alignment="center")
    with links:
        _knopf(f"← Zurück{': ' + zurueck.titel if zurueck else ''}", zurueck, aktuell,
               key="praes_zurueck", shortcut="Left")
    with mitte:
        st.markdown(f"**Präsentation** · Bildschirm {position}")
    with rechts:
        _knopf(f"Weiter{': ' + weiter.titel if weiter else ''} →", weiter, aktuell,
               key="praes_weiter", shortcut="Right", type="primary")
    with ende:
        st.button("Präsentation beenden", key="praes_ende", on_click=_beenden)
    return True


# --- Parts of a presentation screen ---------------------------------------------------------------
def _zelle(wert: object) -> tuple[str, bool]:
    """(escaped text, is a number) of one table cell."""
    if wert is None or (not isinstance(wert, str) and pd.isna(wert)):
        return formatting.LEER, False
    if isinstance(wert, bool):
        return ("ja" if wert else "nein"), False
    if isinstance(wert, int):
        return formatting.zahl(wert), True
    if isinstance(wert, float):
        return formatting.zahl(wert, 0 if wert.is_integer() else 1), True
    if isinstance(wert, (dt.date, pd.Timestamp)):
        return formatting.datum(wert), False
    return html_text(wert), False


def tabelle(frame: pd.DataFrame, spalten: dict[str, str], *,
            max_zeilen: int = TABELLE_MAX_ZEILEN, rest: str = "weitere Zeilen") -> None:
    """A table for the beamer: a plain HTML table (>= 20 px, unlike the canvas grid), German
    column names in this order, every cell escaped (components.text.html_text). More than
    `max_zeilen` rows: the first ones and a line naming how many more there are."""
    kopf = "".join(f"<th scope='col'>{html_text(titel)}</th>" for titel in spalten.values())
    zeilen = []
    for row in frame.head(max_zeilen)[list(spalten)].itertuples(index=False):
        zellen = [_zelle(wert) for wert in row]
        zeilen.append("<tr>" + "".join(
            f"<td class='ikz-zahl'>{text}</td>" if zahl else f"<td>{text}</td>"
            for text, zahl in zellen) + "</tr>")
    st.html(f"<table class='ikz-praes-tabelle'><thead><tr>{kopf}</tr></thead>"
            f"<tbody>{''.join(zeilen)}</tbody></table>")
    if len(frame) > max_zeilen:
        st.markdown(f"… und {len(frame) - max_zeilen} {rest} (Seite ohne Präsentationsmodus).")


def diagramm(fig, hoehe: int, *, legende_oben: bool = True) -> None:
    """A plotly chart sized for the beamer: its own fonts large (not overridden by CSS, so
    Plotly reserves the room), margins grown to fit tick labels and legend, fixed height; the
    title is the heading above it. The legend in one row above the plot, or below it."""
    legende = ({"y": 1.02, "yanchor": "bottom"} if legende_oben
               else {"y": -0.1, "yanchor": "top"})
    fig.update_layout(
        height=hoehe, font={"size": DIAGRAMM_SCHRIFT, "color": "#000000"},
        title=None, margin={"l": 10, "r": 30, "t": 50, "b": 10, "autoexpand": True},
        legend={"orientation": "h", "x": 0, "title": None, "font": {"size": DIAGRAMM_SCHRIFT},
                **legende})
    schrift = {"size": DIAGRAMM_SCHRIFT, "color": "#000000"}
    fig.update_xaxes(automargin=True, tickfont=schrift, title_font=schrift)
    fig.update_yaxes(automargin=True, tickfont=schrift, title_font=schrift)
    st.plotly_chart(fig, config={"displaylogo": False, "displayModeBar": False})
