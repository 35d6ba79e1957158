"""User text that looks like HTML is shown as text and never executed: a Bewertung's Bemerkung,
a Kooperation's name and a Gemeinde name (the map tooltip's only free text) carry
``<img src=x onerror=alert(1)>``, written through kreis_data into the server's database.

No login is needed: the data is written directly (as a Kreis-Administration Benutzer object for
create_kooperation), not through the app's forms. Everything is undone afterwards (the
Kooperation ended before the shown quarter, Bemerkung and Gemeinde name restored), so the other
tests on the same session server see the demo data as before."""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Dialog, Frame, Page, expect
from sqlalchemy import Engine, select

from kreis_data import audit, queries
from kreis_data.bewertungen.regeln import BewertungEingabe
from kreis_data.bewertungen.schreiben import store_bewertungen
from kreis_data.database import make_engine, transaction
from kreis_data.konten.regeln import ADMIN as ROLLE_ADMIN
from kreis_data.konten.regeln import Benutzer
from kreis_data.kooperationen import lesen as koop_lesen
from kreis_data.kooperationen import schreiben as koop_schreiben
from kreis_data.model import Bewertung, Gemeinde
from kreis_data.quartal import Quartal

from .helpers import MAP_IFRAME, assert_no_error, open_app, rerun, screenshot

pytestmark = pytest.mark.e2e

PAYLOAD = "<img src=x onerror=alert(1)>"
MAIN = "[data-testid='stMain']"
MELLE_AGS, MELLE_KEY, BAD_LAER_KEY = "03459024", "034590024", "034590005"
KOOP_NAME = f"Test {PAYLOAD} Kooperation"
BENUTZER = "e2e.injection"
ADMIN = Benutzer(BENUTZER, ROLLE_ADMIN)
INJECTED = "img[src='x']"


def _server_database(tmp_path_factory) -> Path:
    """The SQLite file of the session's server (conftest: <basetemp>/ikz-e2e*/ikz-e2e.sqlite)."""
    # resolve: pytest adds an "<name>current" symlink to the newest numbered directory
    found = sorted({p.resolve() for p in
                    tmp_path_factory.getbasetemp().glob("ikz-e2e*/ikz-e2e.sqlite")})
    assert len(found) == 1, f"Datenbank des Test-Servers nicht eindeutig gefunden: {found}"
    return found[0]


def _gemeinde_umbenennen(engine: Engine, ags: str, name: str) -> str:
    """Set a Gemeinde's name (with an audit entry, so the app's caches see the write)."""
    with transaction(engine) as session:
        gemeinde = session.get(Gemeinde, ags)
        alt = gemeinde.name
        gemeinde.name = name
        audit.record(session, benutzer=BENUTZER, aktion="geändert", objekt="gemeinde",
                     schluessel=ags, aenderungen={"name": (alt, name)}, kontext="E2E-Test")
    return alt


def _bemerkung(engine: Engine, quartal: str, bemerkung: str | None) -> str | None:
    """Set the Bemerkung of Melle's E-Akte Bewertung, keep every other field; returns the old."""
    with transaction(engine) as session:
        b = session.scalar(select(Bewertung).where(
            Bewertung.verwaltung_key == MELLE_KEY, Bewertung.merkmal_key == "e_akte",
            Bewertung.quartal == quartal))
        assert b is not None, f"keine E-Akte-Bewertung für Melle im {quartal}"
        eingabe = BewertungEingabe(MELLE_KEY, "e_akte", quartal, b.stufe, b.quelle, b.stand,
                                   b.erfasst_von, bemerkung)
        alt = b.bemerkung
    store_bewertungen(engine, [eingabe], benutzer=BENUTZER, kontext="E2E-Test")
    return alt


@pytest.fixture
def injected(app_server: str, tmp_path_factory) -> Iterator[str]:
    engine = make_engine(f"sqlite:///{_server_database(tmp_path_factory)}")
    quartal = queries.quartale(engine)[-1]
    start = Quartal.parse(quartal).previous().start
    alter_name = _gemeinde_umbenennen(engine, MELLE_AGS, f"Melle {PAYLOAD}")
    alte_bemerkung = _bemerkung(engine, quartal, f"Bemerkung {PAYLOAD}")
    koop_id = koop_schreiben.create_kooperation(engine, ADMIN, {
        "name": KOOP_NAME, "format": "Gemeinsames Projekt", "status": "aktiv",
        "ausrichtung": "operativ", "handlungsfelder": ["Verwaltung"],
        "mitglieder": [MELLE_KEY, BAD_LAER_KEY], "federfuehrung_key": MELLE_KEY,
        "start": start}).id
    try:
        yield quartal
    finally:
        version = koop_lesen.kooperation(engine, koop_id)["version"]
        koop_schreiben.end_kooperation(engine, ADMIN, koop_id, start + dt.timedelta(days=1),
                                       version=version)
        _bemerkung(engine, quartal, alte_bemerkung)
        _gemeinde_umbenennen(engine, MELLE_AGS, alter_name)
        engine.dispose()


@pytest.fixture
def dialogs(page: Page) -> list[str]:
    """Every JavaScript dialog (alert/confirm/prompt) opened by the page or its iframes."""
    seen: list[str] = []

    def handle(dialog: Dialog) -> None:
        seen.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()

    page.on("dialog", handle)
    return seen


def _map_frame(page: Page) -> Frame:
    frame = page.locator(MAP_IFRAME).first.element_handle().content_frame()
    assert frame is not None
    return frame


def _assert_not_injected(page: Page, dialogs: list[str], where: str) -> None:
    assert not dialogs, f"{where}: Dialog ausgelöst: {dialogs}"
    for frame in page.frames:
        if frame.is_detached():
            continue
        count = frame.locator(INJECTED).count()
        assert count == 0, f"{where}: {count} <img src=x> im DOM von {frame.url[:80]}"


def test_html_in_user_text_shows_as_text(page: Page, app_server: str, injected: str,
                                         dialogs: list[str]):
    # Karte: the tooltip of Melle shows the Gemeinde name with the markup as text.
    open_app(page, f"{app_server}/karte")
    assert_no_error(page, "Karte")
    karte = page.frame_locator(MAP_IFRAME).first
    melle = karte.locator(f"path.ikz-ags-{MELLE_AGS}")
    expect(melle).to_have_count(1, timeout=20_000)
    melle.hover()
    tooltip = karte.locator(".leaflet-tooltip")
    expect(tooltip).to_contain_text(f"Melle {PAYLOAD}")
    expect(tooltip.locator("img")).to_have_count(0)
    with rerun(page):  # the short profile beside the map lists the Gemeinde, too
        melle.click()
    expect(page.locator(MAIN)).to_contain_text(f"Gemeinden: Melle {PAYLOAD}")
    _assert_not_injected(page, dialogs, "Karte")
    assert _map_frame(page).evaluate("() => document.querySelectorAll('img[src=\"x\"]').length"
                                     ) == 0

    # Verwaltung: the Bemerkung in the Merkmal table, the Gemeinde in the Gebiet table.
    open_app(page, f"{app_server}/verwaltung?verwaltung={MELLE_KEY}")
    assert_no_error(page, "Verwaltung")
    main = page.locator(MAIN)
    expect(main.locator("td").filter(has_text=f"Bemerkung {PAYLOAD}")).to_have_count(1)
    expect(page.get_by_test_id("stDataFrame").first.locator("[role='gridcell']").filter(
        has_text=f"Melle {PAYLOAD}")).to_have_count(1)
    _assert_not_injected(page, dialogs, "Verwaltung")
    screenshot(page, "injection-verwaltung")

    # Kooperationen: the name in the matrix (plotly SVG text) and in the detail below it.
    open_app(page, f"{app_server}/kooperationen")
    assert_no_error(page, "Kooperationen")
    tab = page.get_by_role("tab", name="Matrix und Detail")
    if tab.get_attribute("aria-selected") != "true":
        with rerun(page):
            tab.click()
    matrix = page.get_by_test_id("stPlotlyChart").first
    expect(matrix).to_contain_text("<img src=x")
    box = page.get_by_test_id("stSelectbox").filter(
        has=page.get_by_text("Kooperation im Detail", exact=True))
    box.click()
    box.get_by_role("combobox").fill("Test <img")
    with rerun(page):
        page.get_by_role("option", name=KOOP_NAME, exact=True).click()
    expect(main.get_by_role("heading", name=KOOP_NAME)).to_be_visible()
    _assert_not_injected(page, dialogs, "Kooperationen")
    screenshot(page, "injection-kooperationen")
