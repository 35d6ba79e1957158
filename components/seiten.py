"""The page registry: every page of the app in one place – file, title, icon, URL path and its
place in the presentation sequence. Navigation (app.py), links between pages, the presentation
mode and the tests all read it from here."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Seite:
    datei: str  # "pages/karte.py"
    titel: str  # "Karte"
    icon: str  # Material icon, shipped with Streamlit (no font CDN)
    pfad: str  # URL path: /karte
    praesentation: bool = False  # a screen of the beamer briefing (in this order)
    rechtlich: bool = False  # Impressum & Co.: always reachable, also without login


SEITEN: tuple[Seite, ...] = (
    Seite("pages/lagebild.py", "Lagebild", ":material/dashboard:", "lagebild", True),
    Seite("pages/karte.py", "Karte", ":material/map:", "karte", True),
    Seite("pages/verwaltung.py", "Verwaltung", ":material/account_balance:", "verwaltung"),
    Seite("pages/kooperationen.py", "Kooperationen", ":material/diversity_3:", "kooperationen"),
    Seite("pages/efa.py", "EfA-Nachnutzung", ":material/share:", "efa"),
    Seite("pages/standardisierung.py", "Standardisierung", ":material/rule:", "standardisierung"),
    Seite("pages/quartalsreview.py", "Quartalsreview", ":material/fact_check:", "quartalsreview",
          True),
    Seite("pages/datenpflege.py", "Datenpflege", ":material/edit_note:", "datenpflege"),
    Seite("pages/methodik.py", "Methodik & Quellen", ":material/menu_book:", "methodik"),
    Seite("pages/impressum.py", "Impressum", ":material/info:", "impressum", rechtlich=True),
    Seite("pages/datenschutz.py", "Datenschutz", ":material/shield_person:", "datenschutz",
          rechtlich=True),
    Seite("pages/barrierefreiheit.py", "Barrierefreiheit", ":material/accessibility_new:",
          "barrierefreiheit", rechtlich=True),
)
START = SEITEN[0]
LAGEBILD, KARTE, VERWALTUNG, KOOPERATIONEN, EFA, STANDARDISIERUNG, QUARTALSREVIEW, \
    DATENPFLEGE, METHODIK, IMPRESSUM, DATENSCHUTZ, BARRIEREFREIHEIT = SEITEN
RECHTLICHES = tuple(s for s in SEITEN if s.rechtlich)
PRAESENTATION = tuple(s for s in SEITEN if s.praesentation)


def seite(datei: str) -> Seite:
    """The registered page of this file (ValueError for an unknown one)."""
    for eintrag in SEITEN:
        if eintrag.datei == datei:
            return eintrag
    raise ValueError(f"{datei} ist keine registrierte Seite")
