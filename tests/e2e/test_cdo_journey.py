"""Issue #15, the CDO journey in Chromium at 1920x1080: the CDO of Samtgemeinde Artland signs in,
opens the Verwaltung page from the navigation and – without scrolling – sees "Wer kann helfen?"
with a contact (e-mail link) and the EfA chances; a reload (F5) keeps the login and the page;
"Abmelden" ends the login for good (a reload stays signed out). Before the login the same page
shows names but no e-mail address or phone number."""
from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import Page, expect

from kreis_data import kontakte
from kreis_data.konten import regeln

from .fixtures_db import zusatzkonto
from .helpers import (
    assert_no_error,
    browser_context,
    open_app,
    rerun,
    screenshot,
    wait_for_app,
)

ARTLAND = "034595401"
KONTO = ("cdo.artland", "Artland-CDO-Passwort-2026")
MAIN = "[data-testid='stMain']"
SIDEBAR = "[data-testid='stSidebar']"
BREITE, HOEHE = 1920, 1080


@pytest.fixture(scope="module")
def cdo_konto(app_server: str, tmp_path_factory) -> Iterator[tuple[str, str]]:
    with zusatzkonto(tmp_path_factory, *KONTO, regeln.REDAKTION, (ARTLAND,)) as konto:
        yield konto


@pytest.fixture
def full_hd(browser, app_server) -> Iterator[Page]:
    with browser_context(browser, BREITE, HOEHE) as ctx:
        seite = ctx.new_page()
        seite.set_default_timeout(30_000)
        yield seite


def _im_ersten_bildschirm(page: Page, locator) -> None:
    """Visible without scrolling: nothing scrolled, the element's bottom inside the viewport."""
    expect(locator).to_be_visible()
    gescrollt = page.evaluate("() => (document.querySelector(\"[data-testid='stMain']\")"
                              "?.scrollTop || 0) + window.scrollY")
    assert gescrollt == 0, gescrollt
    box = locator.bounding_box()
    assert box is not None and box["y"] >= 0 and box["y"] + box["height"] <= HOEHE, box


def _steckbrief_artland(page: Page) -> None:
    expect(page.locator(MAIN).get_by_role("heading", name="Steckbrief Artland (Samtgemeinde)")
           ).to_be_visible()
    assert re.search(rf"[?&]verwaltung={ARTLAND}(&|$)", page.url), page.url


def _nav(page: Page, label: str) -> None:
    link = page.locator(f"{SIDEBAR} [data-testid='stSidebarNav'] a").filter(
        has_text=re.compile(rf"{label}$")).first
    with rerun(page):
        link.click()


def test_cdo_findet_im_ersten_bildschirm_wen_er_anrufen_kann(full_hd: Page, app_server: str,
                                                            cdo_konto: tuple[str, str]):
    page = full_hd
    # --- anonymous: names and roles, no e-mail or phone ---------------------------------------
    open_app(page, f"{app_server}/verwaltung?verwaltung={ARTLAND}")
    assert_no_error(page, "Verwaltung anonym")
    text = page.locator(MAIN).inner_text()
    assert "Wer kann helfen?" in text and kontakte.NACH_ANMELDUNG in text
    assert not kontakte.enthaelt_kontaktdaten(text), kontakte.enthaelt_kontaktdaten(text)[:3]

    # --- sign in as the CDO of Artland, open the Verwaltung page from the navigation ----------
    open_app(page, f"{app_server}/datenpflege")
    main = page.locator(MAIN)
    main.get_by_label("Benutzername").fill(cdo_konto[0])
    main.get_by_label("Passwort").fill(cdo_konto[1])
    with rerun(page):
        main.get_by_role("button", name="Anmelden").click()
    expect(page.locator(SIDEBAR)).to_contain_text("Angemeldet: cdo.artland")
    cookies = {c["name"]: c for c in page.context.cookies()}
    assert "ikz_sitzung" in cookies and cookies["ikz_sitzung"]["sameSite"] == "Strict"
    assert cookies["ikz_sitzung"]["value"] not in page.url
    _nav(page, "Verwaltung")
    assert_no_error(page, "Verwaltung angemeldet")
    _steckbrief_artland(page)  # "Meine Verwaltung" from the login, not the Kreisverwaltung

    helfen = page.locator(MAIN).get_by_role("tabpanel", name="Wer kann helfen?")
    mail = helfen.locator("a[href^='mailto:']").first
    _im_ersten_bildschirm(page, helfen.get_by_text("Wer kann helfen?", exact=True))
    _im_ersten_bildschirm(page, mail)
    _im_ersten_bildschirm(page, helfen.get_by_role(
        "heading", name="EfA-Onlinedienste, die Nachbarn schon nutzen"))
    assert helfen.locator("a[href^='tel:']").count() >= 1
    page.screenshot(path=str(screenshot(page, "cdo-verwaltung-artland").with_name(
        "cdo-verwaltung-artland-erster-bildschirm.png")))

    # --- F5: still signed in, same Verwaltung -------------------------------------------------
    page.reload()
    wait_for_app(page)
    assert_no_error(page, "nach dem Neuladen")
    expect(page.locator(SIDEBAR)).to_contain_text("Angemeldet: cdo.artland")
    _steckbrief_artland(page)
    _im_ersten_bildschirm(page, page.locator(MAIN).locator("a[href^='mailto:']").first)

    # --- Abmelden ends it on the server: a reload stays signed out -----------------------------
    _nav(page, "Datenpflege")
    with rerun(page):
        page.locator(MAIN).get_by_role("button", name="Abmelden").click()
    expect(page.locator(MAIN).get_by_label("Benutzername")).to_be_visible()
    page.reload()
    wait_for_app(page)
    expect(page.locator(SIDEBAR)).not_to_contain_text("Angemeldet:")
    assert "ikz_sitzung" not in {c["name"] for c in page.context.cookies()}
