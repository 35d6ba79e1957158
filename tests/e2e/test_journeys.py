"""User journeys in a real Chromium against a running app on the demo database."""
from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import Page, expect

from kreis_data.quartal import Quartal

from .helpers import (
    assert_demo_banner,
    assert_no_error,
    click_nav,
    nav_pages,
    open_app,
    rerun,
    screenshot,
)

pytestmark = pytest.mark.e2e

SIDEBAR_QUARTAL = "[data-testid='stSidebar'] [data-testid='stSelectbox']:has([aria-label='Quartal'])"


def _quartal_in_url(page: Page) -> str | None:
    values = parse_qs(urlsplit(page.url).query).get("quartal")
    return values[0] if values else None


def _selected_quartal_label(page: Page) -> str:
    box = page.locator(SIDEBAR_QUARTAL)
    expect(box).to_be_visible()
    return box.locator("input").input_value()


def _intro(page: Page) -> str:
    """The Lagebild's sentence naming the quarter shown ("Stand der Digitalisierung im …")."""
    text = page.locator("[data-testid='stMain'] [data-testid='stMarkdownContainer']").filter(
        has_text="Stand der Digitalisierung im").first
    expect(text).to_be_visible()
    return text.inner_text()


def _metric_values(page: Page) -> list[str]:
    return [m.inner_text() for m in page.locator("[data-testid='stMetric']").all()]


def test_every_page_opens_without_error_and_with_demo_banner(page: Page, app_server: str):
    open_app(page, app_server)
    pages = nav_pages(page)
    labels = [p.label for p in pages]
    assert {"Lagebild", "Methodik & Quellen"} <= set(labels), labels

    failures = []
    # Start with the second page and end on the default one, so every click switches page.
    for nav in pages[1:] + pages[:1]:
        click_nav(page, nav)
        try:
            assert_no_error(page, nav.label)
            assert_demo_banner(page)
            expect(page.locator("[data-testid='stMain'] h1").first).to_be_visible()
        except AssertionError as error:
            failures.append(f"{nav.label} ({nav.url}): {error}")
        finally:
            screenshot(page, nav.slug)
    assert not failures, "\n\n".join(failures)


def test_every_page_opens_by_its_own_url(page: Page, app_server: str):
    """Bookmarks and shared links: each page's URL opened directly in a fresh load."""
    open_app(page, app_server)
    failures = []
    for nav in nav_pages(page):
        open_app(page, nav.url)
        try:
            assert_no_error(page, nav.url)
            expect(page).to_have_url(re.compile(re.escape(nav.url.split("?")[0])))
            expect(page.locator("[data-testid='stMain'] h1").first).to_be_visible()
        except AssertionError as error:
            failures.append(f"{nav.label} ({nav.url}): {error}")
    assert not failures, "\n\n".join(failures)


def test_lagebild_shows_key_figure_tiles_with_stand(page: Page, app_server: str):
    open_app(page, app_server)  # the Lagebild is the default page, served at the root URL
    assert_no_error(page)
    tiles = page.locator("[data-testid='stColumn']").filter(
        has=page.locator("[data-testid='stMetric']"))
    expect(tiles.first).to_be_visible()
    assert tiles.count() >= 4, f"nur {tiles.count()} Kennzahl-Kacheln"
    for tile in tiles.all():
        expect(tile.locator("[data-testid='stMetricValue']")).not_to_be_empty()
        expect(tile.locator("[data-testid='stCaptionContainer']").filter(
            has_text="Stand:")).to_have_count(1)


def test_choosing_another_quartal_updates_url_and_lagebild(page: Page, app_server: str):
    open_app(page, app_server)
    before_label = _selected_quartal_label(page)
    before_intro = _intro(page)
    assert before_label in before_intro

    page.locator(SIDEBAR_QUARTAL).click()
    options = page.get_by_role("option")
    expect(options.first).to_be_visible()
    choices = [o.inner_text().strip() for o in options.all()]
    assert len(choices) >= 2, f"nur ein Quartal zur Auswahl: {choices}"
    target = next(c for c in reversed(choices) if c != before_label and "ohne Angaben" not in c)
    with rerun(page):
        options.filter(has_text=re.compile(f"^{re.escape(target)}$")).click()

    assert_no_error(page)
    code = _quartal_in_url(page)
    assert code, f"kein quartal= in der URL: {page.url}"
    assert Quartal.parse(code).label == target, f"URL-Wert {code!r} ist nicht {target}"
    assert _selected_quartal_label(page) == target
    after_intro = _intro(page)
    assert target in after_intro and after_intro != before_intro, after_intro
    assert _metric_values(page), "keine Kennzahlen nach dem Quartalswechsel"

    # The URL is a shareable link: opened fresh, it shows the same quarter.
    shared = page.context.new_page()
    open_app(shared, page.url)
    assert_no_error(shared)
    assert _selected_quartal_label(shared) == target
    assert target in _intro(shared)


def test_deep_link_opens_with_that_quartal(page: Page, app_server: str):
    code = "2025-Q4"
    label = Quartal.parse(code).label
    open_app(page, f"{app_server}/?quartal={code}")
    assert_no_error(page)
    assert _selected_quartal_label(page) == label
    assert label in _intro(page)
    assert _quartal_in_url(page) == code


def test_methodik_lists_attributions(page: Page, app_server: str):
    open_app(page, f"{app_server}/methodik")
    assert_no_error(page)
    main = page.locator("[data-testid='stMain']")
    expect(main).to_contain_text("© GeoBasis-DE / BKG")
    expect(main).to_contain_text("Statistisches Bundesamt")


def _waehle_sidebar_quartal(page: Page, label: str) -> None:
    page.locator(SIDEBAR_QUARTAL).click()
    with rerun(page):
        page.get_by_role("option").filter(has_text=re.compile(f"^{re.escape(label)}$")).click()


def _h1(page: Page) -> str:
    titel = page.locator("[data-testid='stMain'] h1").first
    expect(titel).to_be_visible()
    return titel.inner_text()


def test_the_sidebar_quarter_drives_every_page_quartalsreview_included(page: Page,
                                                                       app_server: str):
    """Issue #13: one owner of the selected quarter. The review follows the sidebar on every
    visit (before, it kept its own quarter after the first visit)."""
    open_app(page, f"{app_server}/quartalsreview")
    assert _h1(page) == "Quartalsreview 3. Quartal 2026"
    main = page.locator("[data-testid='stMain']")
    expect(main.get_by_text("Betrachtetes Quartal")).to_have_count(0)

    _waehle_sidebar_quartal(page, "1. Quartal 2026")
    assert_no_error(page)
    assert _h1(page) == "Quartalsreview 1. Quartal 2026"
    expect(main.get_by_text(re.compile(r"1\. Quartal 2026 im Vergleich zum 4\. Quartal 2025"))
           ).to_be_visible()
    assert _quartal_in_url(page) == "2026-Q1"

    seiten = {nav.label: nav for nav in nav_pages(page)}
    click_nav(page, seiten["Lagebild"])
    assert "1. Quartal 2026" in _intro(page)
    _waehle_sidebar_quartal(page, "2. Quartal 2026")
    click_nav(page, seiten["Quartalsreview"])  # the second visit follows the sidebar, too
    assert_no_error(page)
    assert _h1(page) == "Quartalsreview 2. Quartal 2026"
    expect(main.get_by_text(re.compile(r"2\. Quartal 2026 im Vergleich zum 1\. Quartal 2026"))
           ).to_be_visible()
    click_nav(page, seiten["Verwaltung"])
    expect(main.get_by_text("Digitalisierungsstand im 2. Quartal 2026")).to_be_visible()
    screenshot(page, "auswahl-verwaltung-2026-q2")
