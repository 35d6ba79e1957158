"""Presentation mode for the beamer (?modus=praesentation): a briefing of steps (Lagebild ->
Karte -> Quartalsreview, long pages split by ?schritt=, components/praesentation.SCHRITTE),
walked at 1920x1080 with "Weiter" and the arrow keys. Every step must fit one screen without
scrolling, with body text >= 24 px, table cells >= 20 px, chart texts >= 20 px and inside the
chart, nothing cut (buttons, key figures), no edit controls, no personal contact data (e-mail,
phone, names of Ansprechpersonen) and, on the map, the Kreis filling its frame with the
Gemeinden named. Screenshots (what the audience sees, the 1920x1080 viewport):
test-output/screenshots/praesentation-<n>.png."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import BrowserContext, Page, expect
from sqlalchemy import select
from sqlalchemy.orm import Session

from components.praesentation import SCHRITTE
from kreis_data import queries
from kreis_data.model import Kontakt

from .fixtures_db import server_engine
from .helpers import (
    MAP_IFRAME,
    SCREENSHOT_DIR,
    assert_demo_banner,
    assert_no_error,
    browser_context,
    open_app,
    rerun,
    wait_for_app,
)

pytestmark = pytest.mark.e2e

MAIN = "[data-testid='stMain']"
BREITE, HOEHE = 1920, 1080  # the beamer
MIN_BODY_PX = 24
MIN_TABELLE_PX = 20
MIN_DIAGRAMM_PX = 20
MIN_KENNZAHL_PX = 48
# Selectboxes that only choose what is shown (no data is changed by them).
VIEW_SELECTS = {"Merkmal", "Hintergrundkarte", "Betrachtetes Quartal", "Verglichen mit"}
EDIT_WIDGETS = ("stForm", "stTextInput", "stTextArea", "stNumberInput", "stDateInput",
                "stTimeInput", "stFileUploader", "stDownloadButton", "stMultiSelect",
                "stCheckbox", "stSlider", "stSegmentedControl")
EMAIL = re.compile(r"[\w.%+-]+@[\w-]+(?:\.[\w-]+)+")
# a phone number: "+49 5401 123-45", "05401 123-45", "05401/12345" (a separator is required, so
# keys such as 034595401 and dates do not count)
TELEFON = re.compile(r"\+49[\d ()/-]{6,}|(?<![\w.,])0\d{2,5}[ /-]\d{3,}")

# What one step looks like, measured in the browser.
MESSUNG = """() => {
  const main = document.querySelector("[data-testid='stMain']");
  const sichtbar = e => e.offsetParent !== null && e.innerText && e.innerText.trim();
  const px = e => parseFloat(getComputedStyle(e).fontSize);
  const kurz = e => (e.innerText || e.textContent || "").trim().slice(0, 60);
  const body = [...main.querySelectorAll(
      "[data-testid='stMarkdownContainer'] p, [data-testid='stMarkdownContainer'] li")]
    .filter(sichtbar).filter(p => !p.closest("[data-testid='stCaptionContainer']"))
    .map(p => [px(p), kurz(p)]);
  const zellen = [...main.querySelectorAll("td, th")].filter(sichtbar).map(c => [px(c), kurz(c)]);
  const abgeschnitten = [...main.querySelectorAll(
      "button, button *, [data-testid='stMetricValue'] *, [data-testid='stMetricLabel'] *, " +
      "[data-testid='stMetricDelta'] *")]
    .filter(e => e.offsetParent !== null && e.scrollWidth > e.clientWidth + 1)
    .map(kurz);
  const diagramme = [...main.querySelectorAll(".js-plotly-plot")].map(plot => {
    const rahmen = plot.querySelector(".main-svg").getBoundingClientRect();
    const texte = [...plot.querySelectorAll(".main-svg text")]
      .filter(t => t.textContent.trim() && t.getBoundingClientRect().width > 0);
    return {
      klein: texte.filter(t => px(t) < %(diagramm)d).map(t => [px(t), t.textContent.trim()]),
      draussen: texte.filter(t => {
        const r = t.getBoundingClientRect();
        return r.left < rahmen.left - 2 || r.right > rahmen.right + 2 ||
               r.top < rahmen.top - 2 || r.bottom > rahmen.bottom + 2;
      }).map(t => t.textContent.trim()),
    };
  });
  const kennzahlen = [...main.querySelectorAll("[data-testid='stMetricValue']")]
    .map(w => px(w.querySelector("p") || w));
  return {
    dokument: [document.scrollingElement.scrollHeight, window.innerHeight],
    main: [main.scrollHeight, main.clientHeight],
    body, zellen, abgeschnitten, diagramme, kennzahlen,
    grids: main.querySelectorAll("[data-testid='stDataFrame']").length,
    text: main.innerText,
  };
}""".replace("%(diagramm)d", str(MIN_DIAGRAMM_PX))

# In the map's iframe: the Gemeinde labels and how much of the frame the Kreis fills.
KARTE_MESSUNG = """() => {
  const rahmen = document.getElementById("karte").getBoundingClientRect();
  const flaechen = [...document.querySelectorAll("path.ikz-gemeinde")]
    .map(p => p.getBoundingClientRect());
  const links = Math.min(...flaechen.map(r => r.left)), rechts = Math.max(...flaechen.map(r => r.right));
  const oben = Math.min(...flaechen.map(r => r.top)), unten = Math.max(...flaechen.map(r => r.bottom));
  const labels = [...document.querySelectorAll(".ikz-beschriftung span")];
  return {
    breite: (rechts - links) / rahmen.width, hoehe: (unten - oben) / rahmen.height,
    labels: labels.length,
    sichtbar: labels.filter(s => getComputedStyle(s).visibility !== "hidden")
                    .map(s => [s.textContent, parseFloat(getComputedStyle(s).fontSize)]),
  };
}"""


@pytest.fixture
def beamer(browser, app_server) -> BrowserContext:
    with browser_context(browser, BREITE, HOEHE) as ctx:
        yield ctx


@pytest.fixture
def bpage(beamer: BrowserContext) -> Page:
    pg = beamer.new_page()
    pg.set_default_timeout(30_000)
    return pg


def _shot(page: Page, n: int) -> None:
    """What the audience sees: the 1920x1080 viewport, not the whole scrolled page."""
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOT_DIR / f"praesentation-{n}.png"))


def _personen(tmp_path_factory) -> list[str]:
    """Names of the Ansprechpersonen of the server's database (none may reach the beamer)."""
    with Session(server_engine(tmp_path_factory)) as session:
        return sorted({n for n in session.scalars(select(Kontakt.name)) if n and n.strip()})


def _befunde(page: Page, titel: str, personen: list[str]) -> list[str]:
    """Everything wrong with the step on screen, as readable findings."""
    m = page.evaluate(MESSUNG)
    befunde = []
    if m["dokument"][0] > m["dokument"][1] or m["main"][0] > m["main"][1]:
        befunde.append(f"scrollt: Dokument {m['dokument'][0]} px, Inhalt {m['main'][0]} px "
                       f"bei {HOEHE} px Bildschirmhöhe")
    if not m["body"]:
        befunde.append("kein Fließtext gefunden")
    befunde += [f"Fließtext {px} px < {MIN_BODY_PX}: {t!r}" for px, t in m["body"]
                if px < MIN_BODY_PX]
    befunde += [f"Tabellenzelle {px} px < {MIN_TABELLE_PX}: {t!r}" for px, t in m["zellen"]
                if px < MIN_TABELLE_PX]
    if m["grids"]:
        befunde.append(f"{m['grids']} Tabelle(n) als Canvas-Raster (st.dataframe) statt HTML")
    befunde += [f"abgeschnitten: {t!r}" for t in m["abgeschnitten"]]
    for i, d in enumerate(m["diagramme"], start=1):
        befunde += [f"Diagramm {i}: Text {px} px < {MIN_DIAGRAMM_PX}: {t!r}" for px, t in d["klein"]]
        befunde += [f"Diagramm {i}: Text außerhalb des Diagramms: {t!r}" for t in d["draussen"]]
    befunde += [f"Kennzahl nur {px} px" for px in m["kennzahlen"] if px < MIN_KENNZAHL_PX]
    text = m["text"]
    befunde += [f"E-Mail-Adresse: {t!r}" for t in EMAIL.findall(text)]
    befunde += [f"Telefonnummer: {t!r}" for t in TELEFON.findall(text)]
    befunde += [f"Name einer Ansprechperson: {n!r}" for n in personen if n in text]
    for testid in EDIT_WIDGETS:
        if any(w.is_visible() for w in page.get_by_test_id(testid).all()):
            befunde.append(f"sichtbares Bearbeitungselement {testid}")
    selects = {s.locator("label").inner_text().strip()
               for s in page.get_by_test_id("stSelectbox").all() if s.is_visible()}
    if not selects <= VIEW_SELECTS:
        befunde.append(f"Auswahlfelder {sorted(selects - VIEW_SELECTS)}")
    if page.get_by_test_id("stSidebar").is_visible():
        befunde.append("Seitenleiste sichtbar")
    return [f"{titel}: {b}" for b in befunde]


def _karte_befunde(page: Page, gemeinden: int) -> list[str]:
    frame = page.frame_locator(MAP_IFRAME).first
    expect(frame.locator(".ikz-beschriftung span").first).to_be_attached()
    m = page.locator(MAP_IFRAME).first.element_handle().content_frame().evaluate(KARTE_MESSUNG)
    befunde = []
    if max(m["breite"], m["hoehe"]) < 0.9:
        befunde.append(f"der Kreis füllt seinen Rahmen nicht: {m['breite']:.0%} der Breite, "
                       f"{m['hoehe']:.0%} der Höhe")
    if m["labels"] != gemeinden:
        befunde.append(f"{m['labels']} Beschriftungen für {gemeinden} Gemeinden")
    if len(m["sichtbar"]) < 0.75 * gemeinden:
        befunde.append(f"nur {len(m['sichtbar'])} von {gemeinden} Gemeinden lesbar beschriftet")
    befunde += [f"Beschriftung {name!r} nur {px} px" for name, px in m["sichtbar"] if px < 13]
    return [f"Karte: {b}" for b in befunde]


def _pfad(schritt) -> str:
    """Regex of the URL path and query of a step ("" = the start page)."""
    pfad = "" if schritt.datei == SCHRITTE[0].datei else schritt.datei.removeprefix(
        "pages/").removesuffix(".py")
    teil = rf"(.*&)?schritt={schritt.key}(&|$)" if schritt.key and schritt != next(
        s for s in SCHRITTE if s.datei == schritt.datei) else ""
    return rf"//[^/]+/{pfad}\?(?=.*modus=praesentation){teil}"


def test_briefing_jeder_schritt_ein_bildschirm(bpage: Page, app_server: str, tmp_path_factory):
    """Walk every step with "Weiter" (the first change by arrow key) and measure each one."""
    page = bpage
    personen = _personen(tmp_path_factory)
    assert personen, "keine Ansprechpersonen in den Demo-Daten – der Namenstest prüfte nichts"
    gemeinden = int(queries.gemeinden(server_engine(tmp_path_factory), with_geometry=True)[
        "geometry"].notna().sum())
    open_app(page, f"{app_server}/?modus=praesentation")
    expect(page.get_by_role("button", name=re.compile(r"^← Zurück"))).to_be_disabled()
    befunde: list[str] = []
    for n, schritt in enumerate(SCHRITTE, start=1):
        if n == 2:  # the keyboard: the shortcut must reach the page, not a focused widget
            page.evaluate("() => document.activeElement && document.activeElement.blur()")
            with rerun(page):
                page.keyboard.press("ArrowRight")
        elif n > 2:
            with rerun(page):
                page.get_by_role("button", name=re.compile(r"^Weiter")).click()
        expect(page).to_have_url(re.compile(_pfad(schritt)))
        wait_for_app(page)
        assert_no_error(page, schritt.titel)
        assert_demo_banner(page)
        expect(page.locator(MAIN)).to_contain_text(f"Bildschirm {n} von {len(SCHRITTE)}")
        if schritt.datei.endswith("karte.py"):
            befunde += _karte_befunde(page, gemeinden)
        page.mouse.move(BREITE - 1, HOEHE - 1)  # no tooltip of the last clicked button
        _shot(page, n)
        befunde += _befunde(page, f"Bildschirm {n} ({schritt.titel})", personen)
    expect(page.get_by_role("button", name=re.compile(r"^Weiter"))).to_be_disabled()
    assert not befunde, "Präsentationsmodus:\n" + "\n".join(befunde)

    # and back with the other arrow key
    page.evaluate("() => document.activeElement && document.activeElement.blur()")
    with rerun(page):
        page.keyboard.press("ArrowLeft")
    expect(page).to_have_url(re.compile(_pfad(SCHRITTE[-2])))
    expect(page.locator(MAIN)).to_contain_text(
        f"Bildschirm {len(SCHRITTE) - 1} von {len(SCHRITTE)}")


def test_praesentation_beenden(bpage: Page, app_server: str):
    page = bpage
    open_app(page, f"{app_server}/karte?modus=praesentation")
    with rerun(page):
        page.get_by_role("button", name="Präsentation beenden").click()
    expect(page).not_to_have_url(re.compile(r"modus=praesentation"))
    expect(page.get_by_test_id("stSidebar")).to_be_visible()
    expect(page.locator(MAIN)).not_to_contain_text("Bildschirm 3 von")


def test_alte_und_unbekannte_pfade_oeffnen_die_startseite(page: Page, app_server: str):
    """/lagebild (the start page's own name, old links) and a path no page has open the German
    start page – never Streamlit's English "Page not found" dialog –, keeping the query."""
    for pfad in ("lagebild", "gibtsnicht"):
        open_app(page, f"{app_server}/{pfad}?quartal=2026-Q2")
        assert_no_error(page, f"/{pfad}")
        expect(page.locator(f"{MAIN} h1").first).to_contain_text("Lagebild")
        expect(page).to_have_url(re.compile(r"//[^/]+/\?(.*&)?quartal=2026-Q2"))
        expect(page.locator(MAIN)).to_contain_text("2. Quartal 2026")
