"""Presentation mode for the beamer (?modus=praesentation): no sidebar, no edit controls, large
type, screens Lagebild -> Karte -> Quartalsreview by arrow keys or the "Weiter"/"Zurück" buttons.
Screenshots at 1920x1080 (what the beamer shows): test-output/screenshots/praesentation-<n>.png."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import BrowserContext, Page, expect

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
MIN_BODY_PX = 24
# Selectboxes that only choose what is shown (no data is changed by them).
VIEW_SELECTS = {"Merkmal", "Hintergrundkarte", "Betrachtetes Quartal", "Verglichen mit"}
EDIT_WIDGETS = ("stForm", "stTextInput", "stTextArea", "stNumberInput", "stDateInput",
                "stTimeInput", "stFileUploader", "stDownloadButton", "stMultiSelect",
                "stCheckbox", "stSlider", "stSegmentedControl")

# font-size of every visible paragraph of body text in the main area (captions excluded; their
# own minimum is 20 px by design), as [px, text]
BODY_FONT_SIZES = """() => [...document.querySelectorAll(
    "[data-testid='stMain'] [data-testid='stMarkdownContainer'] p")]
  .filter(p => p.offsetParent !== null && p.innerText.trim()
               && !p.closest("[data-testid='stCaptionContainer']"))
  .map(p => [parseFloat(getComputedStyle(p).fontSize), p.innerText.trim().slice(0, 60)])"""


@pytest.fixture
def beamer(browser, app_server) -> BrowserContext:
    with browser_context(browser, 1920, 1080) as ctx:  # the beamer
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


def _assert_presentation_screen(page: Page, titel: str, position: int) -> None:
    assert_no_error(page, titel)
    assert_demo_banner(page)
    main = page.locator(MAIN)
    expect(main).to_contain_text(f"Bildschirm {position} von 3")
    expect(page.get_by_test_id("stSidebar")).not_to_be_visible()
    expect(page.get_by_test_id("stForm")).to_have_count(0)
    for testid in EDIT_WIDGETS:
        visible = [w for w in page.get_by_test_id(testid).all() if w.is_visible()]
        assert not visible, f"{titel}: sichtbares Bearbeitungselement {testid}"
    selects = [s.locator("label").inner_text().strip()
               for s in page.get_by_test_id("stSelectbox").all() if s.is_visible()]
    assert set(selects) <= VIEW_SELECTS, f"{titel}: Auswahlfelder {selects}"
    sizes = page.evaluate(BODY_FONT_SIZES)
    assert sizes, f"{titel}: kein Fließtext gefunden"
    small = [(px, text) for px, text in sizes if px < MIN_BODY_PX]
    assert not small, f"{titel}: Fließtext unter {MIN_BODY_PX} px: {small}"


def _weiter_per_taste(page: Page, key: str, path: str) -> None:
    """Press an arrow key; `path` is a regex of the URL path after the host ("" = default page)."""
    # the shortcut must reach the page, not a focused widget or the map's iframe
    page.evaluate("() => document.activeElement && document.activeElement.blur()")
    with rerun(page):
        page.keyboard.press(key)
    expect(page).to_have_url(re.compile(rf"//[^/]+/{path}\?(.*&)?modus=praesentation"))
    wait_for_app(page)


def test_praesentation_lagebild_und_karte(bpage: Page, app_server: str):
    page = bpage
    open_app(page, f"{app_server}/?modus=praesentation")
    expect(page.locator(f"{MAIN} h1").first).to_contain_text("Lagebild")
    intro = page.locator(f"{MAIN} [data-testid='stMarkdownContainer'] p").filter(
        has_text="Stand der Digitalisierung im").first
    px = intro.evaluate("p => parseFloat(getComputedStyle(p).fontSize)")
    assert px >= MIN_BODY_PX, f"Einleitung des Lagebilds nur {px} px"
    _assert_presentation_screen(page, "Lagebild", 1)
    expect(page.get_by_role("button", name=re.compile(r"^← Zurück"))).to_be_disabled()
    _shot(page, 1)

    _weiter_per_taste(page, "ArrowRight", "karte")
    expect(page.locator(f"{MAIN} h1").first).to_have_text("Karte")
    _assert_presentation_screen(page, "Karte", 2)
    expect(page.frame_locator(MAP_IFRAME).first.locator(
        "path.ikz-gemeinde").first).to_be_attached()
    _shot(page, 2)

    # and back with the other arrow key
    _weiter_per_taste(page, "ArrowLeft", "(lagebild)?")
    expect(page.locator(f"{MAIN} h1").first).to_contain_text("Lagebild")
    _assert_presentation_screen(page, "Lagebild", 1)


def test_praesentation_quartalsreview(bpage: Page, app_server: str):
    page = bpage
    open_app(page, f"{app_server}/karte?modus=praesentation")
    _assert_presentation_screen(page, "Karte", 2)
    with rerun(page):
        page.get_by_role("button", name=re.compile(r"^Weiter: Quartalsreview")).click()
    expect(page).to_have_url(re.compile(r"/quartalsreview\?(.*&)?modus=praesentation"))
    wait_for_app(page)
    _shot(page, 3)
    _assert_presentation_screen(page, "Quartalsreview", 3)
    expect(page.locator(f"{MAIN} h1").first).to_have_text(
        re.compile(r"^Quartalsreview \d\. Quartal \d{4}$"))
    expect(page.get_by_test_id("stDownloadButton")).to_have_count(0)
    expect(page.get_by_role("button", name=re.compile(r"^Weiter"))).to_be_disabled()


def test_praesentation_kennzahlen_gross(bpage: Page, app_server: str):
    page = bpage
    open_app(page, f"{app_server}/?modus=praesentation")
    werte = page.locator(f"{MAIN} [data-testid='stMetricValue']")
    expect(werte.first).to_be_visible()
    sizes = [w.locator("p").first.evaluate("p => parseFloat(getComputedStyle(p).fontSize)")
             for w in werte.all()]
    assert min(sizes) >= 48, f"Kennzahl-Werte in px: {sizes}"
