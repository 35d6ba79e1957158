"""Journey on the Karte: choose a Merkmal, click a Gemeinde, pan and zoom without a rerun, follow
the short profile to the Steckbrief; deep links into the Karte and the Verwaltung page."""
from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import FrameLocator, Locator, Page, expect

from kreis_data.quartal import Quartal

from .helpers import (
    APP_IDLE,
    MAP_IFRAME,
    assert_no_error,
    finished_runs,
    oeffne_tab,
    open_app,
    rerun,
    screenshot,
    wait_for_app,
)

pytestmark = pytest.mark.e2e

MAIN = "[data-testid='stMain']"
GEMEINDEN = 34  # Gemeinden of the demo Kreis (Landkreis Osnabrück)
MELLE_AGS, MELLE_KEY = "03459024", "034590024"
ARTLAND_KEY = "034595401"
ARTLAND_GEMEINDEN = ["Badbergen", "Menslage", "Nortrup", "Quakenbrück"]

# Counts the component values the map iframe posts to Streamlit (each one reruns the fragment).
COMPONENT_VALUE_COUNTER = """() => {
  if (window.__ikzComponentValues !== undefined) return;
  window.__ikzComponentValues = 0;
  window.addEventListener('message', (event) => {
    if (event.data && event.data.type === 'streamlit:setComponentValue') {
      window.__ikzComponentValues += 1;
    }
  });
}"""

# Inside the map iframe: a marker that a remount would lose and a counter of Leaflet's moveend
# events (the component posts nothing on a move; the counter proves the move happened).
MAP_PROBE = """() => {
  window.__ikzMarker = 1;
  window.__ikzMoves = 0;
  window.ikzKarte.on('moveend', () => { window.__ikzMoves += 1; });
}"""
MAP_STATE = "() => ({c: window.ikzKarte.getCenter(), z: window.ikzKarte.getZoom()})"
# Two animation frames after the move: anything the component would post in reaction is sent.
ZWEI_FRAMES = ("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame("
               "() => r(true))))")


def _map(page: Page) -> FrameLocator:
    return page.frame_locator(MAP_IFRAME).first


def _wait_for_map(page: Page) -> None:
    """All Gemeinde polygons drawn. One retry: a component iframe occasionally finishes its
    load before Leaflet has drawn (the only place where this journey retries)."""
    for attempt in range(2):
        try:
            expect(_map(page).locator("path.ikz-gemeinde")).to_have_count(GEMEINDEN,
                                                                          timeout=20_000)
            return
        except AssertionError:
            if attempt:
                raise
            page.reload()
            wait_for_app(page)


def _selectbox(page: Page, label: str):
    return page.get_by_test_id("stSelectbox").filter(has=page.get_by_text(label, exact=True))


def _choose(page: Page, label: str, option: str) -> None:
    box = _selectbox(page, label)
    box.click()
    with rerun(page):
        page.get_by_role("option", name=option, exact=True).click()
    expect(box.get_by_role("combobox")).to_have_value(option)


def _query(page: Page, name: str) -> str | None:
    values = parse_qs(urlsplit(page.url).query).get(name)
    return values[0] if values else None


def _summary(page: Page) -> str:
    """The sentence below "Tabelle zur Karte" (the table twin's summary, in its tab)."""
    oeffne_tab(page, "Tabelle zur Karte")
    blocks = page.locator(f"{MAIN} [data-testid='stMarkdownContainer']").all_inner_texts()
    # the last "Tabelle zur Karte" is the heading in the tab (the first is the tab's label)
    titel = max(i for i, t in enumerate(blocks) if t.strip() == "Tabelle zur Karte")
    return blocks[titel + 1]


def _map_frame(page: Page):
    frame = page.locator(MAP_IFRAME).first.element_handle().content_frame()
    assert frame is not None, "Karten-iframe ohne Inhalt"
    return frame


def _assert_move_without_rerun(page: Page, frame, before: dict, runs: int, values: int,
                               what: str) -> None:
    """After a pan/zoom: Leaflet moved, nothing was sent and no script ran, and the iframe is
    the same document (marker still set)."""
    frame.wait_for_function(
        "s => { const n = window.ikzKarte.getCenter(), z = window.ikzKarte.getZoom();"
        " return window.__ikzMoves > 0 && (n.lat !== s.c.lat || n.lng !== s.c.lng || z !== s.z); }",
        arg=before)
    frame.evaluate(ZWEI_FRAMES)
    page.evaluate(ZWEI_FRAMES)
    assert page.evaluate("window.__ikzComponentValues") == values, (
        f"{what}: die Karte hat einen Wert an Streamlit geschickt (löst einen Rerun aus)")
    assert finished_runs(page) == runs, f"{what}: ein Skriptlauf ist gelaufen"
    expect(page.locator(APP_IDLE)).to_have_count(1)
    assert frame.evaluate("window.__ikzMarker") == 1, f"{what}: Karten-iframe neu geladen"


def test_karte_merkmal_click_pan_and_steckbrief(page: Page, app_server: str):
    open_app(page, f"{app_server}/karte")
    assert_no_error(page)
    _wait_for_map(page)
    summary_before = _summary(page)

    # Merkmal "Digitalisierungsindex": URL, intro sentence and the table twin's summary follow.
    _choose(page, "Merkmal", "Digitalisierungsindex")
    assert_no_error(page)
    assert _query(page, "merkmal") == "index", page.url
    expect(page.locator(MAIN)).to_contain_text("Digitalisierungsindex der Verwaltungen im")
    summary_after = _summary(page)
    assert summary_after != summary_before, summary_after
    assert "Digitalisierungsindex" in summary_after, summary_after
    oeffne_tab(page, "Karte")
    _wait_for_map(page)

    # Click on Melle: its Verwaltung is selected, outlined and profiled beside the map.
    page.evaluate(COMPONENT_VALUE_COUNTER)
    with rerun(page):
        _map(page).locator(f"path.ikz-ags-{MELLE_AGS}").click()
    assert_no_error(page)
    assert page.evaluate("window.__ikzComponentValues") >= 1, (
        "Zählung der Kartenwerte greift nicht (Kontrolle für die Pan-Prüfung)")
    expect(_map(page).locator(f"path.ikz-auswahl-{MELLE_KEY}")).to_have_count(1)
    expect(page.locator(f"{MAIN} h4").filter(has_text=re.compile(r"^Melle$"))).to_be_visible()
    link = page.locator(MAIN).get_by_role("link", name=re.compile("Steckbrief öffnen"))
    expect(link).to_have_attribute("href", re.compile(rf"verwaltung\?verwaltung={MELLE_KEY}$"))
    screenshot(page, "karte-melle-ausgewaehlt")

    # Pan (drag on an empty corner of the map) and zoom: no rerun, no remount.
    iframe = page.locator(MAP_IFRAME).first.element_handle()
    frame = _map_frame(page)
    frame.wait_for_function("() => window.ikzKarte && document.body.dataset.ikzBereit")
    frame.evaluate(MAP_PROBE)
    box = iframe.bounding_box()
    assert box, "Karten-iframe ohne Größe"
    runs, values = finished_runs(page), page.evaluate("window.__ikzComponentValues")

    before = frame.evaluate(MAP_STATE)
    x, y = box["x"] + box["width"] - 80, box["y"] + 80
    page.mouse.move(x, y)
    page.mouse.down()
    page.mouse.move(x - 60, y + 40, steps=8)
    page.mouse.move(x - 150, y + 90, steps=8)
    page.mouse.up()
    _assert_move_without_rerun(page, frame, before, runs, values, "Verschieben")

    frame.evaluate("() => { window.__ikzMoves = 0; }")
    before = frame.evaluate(MAP_STATE)
    _map(page).locator("a.leaflet-control-zoom-in").click()
    _assert_move_without_rerun(page, frame, before, runs, values, "Zoom")
    assert iframe.evaluate("e => e.isConnected"), "Karten-iframe wurde ersetzt"
    expect(_map(page).locator(f"path.ikz-auswahl-{MELLE_KEY}")).to_have_count(1)

    # Follow the profile's link to Melle's Steckbrief.
    with rerun(page):
        link.click()
    assert_no_error(page)
    expect(page).to_have_url(re.compile(rf"/verwaltung\?(.*&)?verwaltung={MELLE_KEY}(&|$)"))
    expect(page.locator(MAIN).get_by_role("heading", name="Steckbrief Melle (Stadt)")
           ).to_be_visible()


@pytest.mark.parametrize("merkmal,name,quartal", [
    ("e_akte", "E-Akte", "2026-Q3"),
    ("online_portal", "Online-Portal", "2025-Q4"),  # not the defaults: the link really decides
])
def test_karte_deep_link(page: Page, app_server: str, merkmal: str, name: str, quartal: str):
    label = Quartal.parse(quartal).label
    open_app(page, f"{app_server}/karte?merkmal={merkmal}&quartal={quartal}")
    assert_no_error(page)
    expect(_selectbox(page, "Merkmal").get_by_role("combobox")).to_have_value(name)
    expect(page.locator("[data-testid='stSidebar'] input[aria-label='Quartal']")
           ).to_have_value(label)
    expect(page.locator(MAIN)).to_contain_text(f"{name} der Verwaltungen im {label}.")
    assert _query(page, "merkmal") == merkmal and _query(page, "quartal") == quartal, page.url
    _wait_for_map(page)


def _verwaltung_tab(page: Page, label: str) -> Locator:
    """Open a tab of the Verwaltung page (only the open tab runs: a click on another one reruns
    the page); returns its panel."""
    tab = page.locator(MAIN).get_by_role("tab", name=label, exact=True)
    if tab.get_attribute("aria-selected") != "true":  # a click on the open tab runs nothing
        with rerun(page):
            tab.click()
    expect(tab).to_have_attribute("aria-selected", "true")
    return page.locator(MAIN).get_by_role("tabpanel", name=label)


def test_verwaltung_deep_link_artland(page: Page, app_server: str):
    open_app(page, f"{app_server}/verwaltung?verwaltung={ARTLAND_KEY}")
    assert_no_error(page)
    main = page.locator(MAIN)
    expect(main.get_by_role("heading", name="Steckbrief Artland (Samtgemeinde)")).to_be_visible()
    expect(main).to_contain_text("Samtgemeinde mit 4 Mitgliedsgemeinden")
    # the member table (Streamlit's grid keeps an accessible copy of its cells in the DOM)
    gebiet = page.get_by_test_id("stDataFrame").first
    for gemeinde in ARTLAND_GEMEINDEN:
        expect(gebiet.locator("[role='gridcell']").filter(
            has_text=re.compile(rf"^{re.escape(gemeinde)}$"))).to_have_count(1)
    # the Nachbarvergleich is in the tab "Wer kann helfen?" (only the open tab is rendered)
    helfen = _verwaltung_tab(page, "Wer kann helfen?")
    expect(helfen.get_by_role("heading", name="Nachbarvergleich")).to_be_visible()
    expect(helfen).to_contain_text(
        re.compile(r"Artland \(Samtgemeinde\) und ihre \d+ Nachbarverwaltungen im"))
    # neighbour columns of the comparison (Bersenbrück and Fürstenau border Artland)
    expect(helfen.locator("[data-testid='stMarkdownContainer']").filter(
        has_text=re.compile(r"^Wer kann helfen\?$"))).to_have_count(1)
    for nachbar in ("Bersenbrück", "Fürstenau"):
        expect(helfen.locator("th").filter(has_text=re.compile(rf"^{nachbar}$")).first
               ).to_be_visible()
    expect(helfen.get_by_role("heading", name="EfA-Onlinedienste, die Nachbarn schon nutzen")
           ).to_be_visible()
    expect(main.get_by_test_id("stPlotlyChart")).to_have_count(0)  # the Verlauf is not drawn
    screenshot(page, "verwaltung-artland")

    # the Verlauf tab draws its chart on opening; the neighbours are then no longer sent
    verlauf = _verwaltung_tab(page, "Verlauf")
    expect(verlauf.get_by_test_id("stPlotlyChart")).to_have_count(1)
    expect(main.get_by_role("heading", name="Nachbarvergleich")).to_have_count(0)
    expect(main.get_by_role("heading", name="Steckbrief Artland (Samtgemeinde)")).to_be_visible()
    assert_no_error(page, "Verwaltung, Verlauf")
