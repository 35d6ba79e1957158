"""Acceptance: two people edit the Selbstauskunft of one Verwaltung and quarter at the same time,
in two browser sessions. The first to save wins; the second gets the German conflict message
naming who changed what (and a "Neu laden" button) and saves nothing; the audit log holds
exactly the winner's one change.

Two Redaktion accounts of Bad Laer: the session's (conftest) and a second one added to the
server's account file for this test (the server reads the file at every login). Afterwards the
account file and the Bewertungen are restored (written through kreis_data), so other tests on the
same session server see the demo data as before."""
from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from playwright.sync_api import Browser, Page, expect
from sqlalchemy import Engine, func, select

from kreis_data import queries, scales
from kreis_data.bewertungen.lesen import katalog_from_session
from kreis_data.bewertungen.regeln import BewertungEingabe
from kreis_data.bewertungen.schreiben import store_bewertungen
from kreis_data.database import read_session
from kreis_data.konten import regeln
from kreis_data.model import AuditEintrag, Bewertung
from kreis_data.quartal import Quartal

from .fixtures_db import server_engine, zusatzkonto
from .helpers import RUN_COUNTER_SCRIPT, assert_no_error, open_app, rerun, screenshot

pytestmark = pytest.mark.e2e

BAD_LAER = "034590005"
KONTO_B = ("e2e.redaktion.zwei", "E2E-Passwort-Zwei-2026")
MAIN = "[data-testid='stMain']"
SUCCESS = "[data-testid='stAlertContentSuccess']"
ERROR = "[data-testid='stAlertContentError']"
WARNING = "[data-testid='stAlertContentWarning']"  # a stale write (components.formular)
MERKMAL_A = "e_akte"  # changed by A in both cases


@dataclass
class Stand:
    engine: Engine
    quartal: str
    merkmale: dict[str, scales.Merkmal]
    vorher: dict[str, Bewertung]


@pytest.fixture
def zweites_konto(app_server: str, tmp_path_factory) -> Iterator[tuple[str, str]]:
    """A second Redaktion account of Bad Laer in the server's account file, removed afterwards."""
    with zusatzkonto(tmp_path_factory, *KONTO_B, regeln.REDAKTION, (BAD_LAER,)) as konto:
        yield konto


@pytest.fixture
def stand(app_server: str, tmp_path_factory) -> Iterator[Stand]:
    """Bad Laer's Bewertungen of the latest quarter; written back after the test."""
    engine = server_engine(tmp_path_factory)
    quartal = queries.quartale(engine)[-1]
    with read_session(engine) as session:
        merkmale = dict(katalog_from_session(session).merkmale)
        vorher = {b.merkmal_key: b for b in session.scalars(select(Bewertung).where(
            Bewertung.verwaltung_key == BAD_LAER, Bewertung.quartal == quartal))}
        session.expunge_all()
    assert MERKMAL_A in vorher and len(vorher) >= 2, \
        f"Demo-Daten: Bad Laer hat im {quartal} zu wenige Bewertungen: {sorted(vorher)}"
    try:
        yield Stand(engine, quartal, merkmale, vorher)
    finally:
        store_bewertungen(engine, [
            BewertungEingabe(b.verwaltung_key, b.merkmal_key, b.quartal, b.stufe, b.quelle,
                             b.stand, b.erfasst_von, b.bemerkung) for b in vorher.values()],
            benutzer="e2e.konflikt", kontext="E2E-Test: zurückgesetzt")
        engine.dispose()


def _sitzung(browser: Browser, url: str, konto: tuple[str, str]) -> Page:
    """A new browser context (own Streamlit session) signed in on the Datenpflege page."""
    context = browser.new_context(viewport={"width": 1600, "height": 1000}, locale="de-DE",
                                  timezone_id="Europe/Berlin")
    context.add_init_script(RUN_COUNTER_SCRIPT)
    page = context.new_page()
    page.set_default_timeout(30_000)
    open_app(page, f"{url}/datenpflege")
    main = page.locator(MAIN)
    main.get_by_label("Benutzername").fill(konto[0])
    main.get_by_label("Passwort").fill(konto[1])
    with rerun(page):
        main.get_by_role("button", name="Anmelden").click()
    expect(main.get_by_text(f"Angemeldet als {konto[0]}")).to_be_visible()
    tab = page.get_by_role("tab", name="Selbstauskunft")
    expect(tab).to_have_attribute("aria-selected", "true")  # the first tab
    expect(main.get_by_role("button", name="Speichern", exact=True)).to_be_visible()
    assert_no_error(page, f"Datenpflege nach der Anmeldung von {konto[0]}")
    return page


def _stufe(page: Page, merkmal_key: str):
    """The Stufe selectbox of one Merkmal in the form (key dp_<form nr>_<merkmal>_stufe)."""
    return page.locator(f"{MAIN} [class*='st-key-dp_'][class*='_{merkmal_key}_stufe']")


def _waehle_stufe(page: Page, merkmal: scales.Merkmal, stufe: int) -> None:
    box = _stufe(page, merkmal.key)
    expect(box).to_have_count(1)
    box.click()
    page.get_by_role("option", name=merkmal.kurzlabel(stufe), exact=True).click()
    # inside st.form: choosing runs nothing, the value is only sent with "Speichern"
    expect(box.get_by_role("combobox")).to_have_value(merkmal.kurzlabel(stufe))


def _andere_stufe(merkmal: scales.Merkmal, *nicht: int | None) -> int:
    return next(s for s in merkmal.werte if s not in nicht)


def _speichern(page: Page) -> None:
    with rerun(page):
        page.locator(MAIN).get_by_role("button", name="Speichern", exact=True).click()


def _audit(engine: Engine, quartal: str, nach_id: int) -> list[AuditEintrag]:
    with read_session(engine) as session:
        eintraege = list(session.scalars(
            select(AuditEintrag).where(AuditEintrag.id > nach_id,
                                       AuditEintrag.objekt == "bewertung",
                                       AuditEintrag.schluessel.like(f"{BAD_LAER}/%/{quartal}"))
            .order_by(AuditEintrag.id)))
        session.expunge_all()
    return eintraege


@pytest.mark.parametrize("merkmal_b", [MERKMAL_A, "online_portal"],
                         ids=["gleiches-merkmal", "anderes-merkmal"])
def test_gleichzeitige_bearbeitung_einer_gewinnt(browser: Browser, app_server: str,
                                                 redaktion_konto: tuple[str, str],
                                                 zweites_konto: tuple[str, str], stand: Stand,
                                                 merkmal_b: str):
    merkmal_a, m_b = stand.merkmale[MERKMAL_A], stand.merkmale[merkmal_b]
    alt_a, alt_b = stand.vorher[MERKMAL_A].stufe, stand.vorher[merkmal_b].stufe
    neu_a = _andere_stufe(merkmal_a, alt_a)
    neu_b = _andere_stufe(m_b, alt_b, neu_a) if merkmal_b == MERKMAL_A else \
        _andere_stufe(m_b, alt_b)
    with read_session(stand.engine) as session:
        letzte_id = session.scalar(select(func.max(AuditEintrag.id))) or 0

    a = _sitzung(browser, app_server, redaktion_konto)
    b = _sitzung(browser, app_server, zweites_konto)  # B's form is loaded before A saves
    try:
        # A changes one Merkmal's Stufe and saves
        _waehle_stufe(a, merkmal_a, neu_a)
        _speichern(a)
        assert_no_error(a, "Datenpflege A nach dem Speichern")
        expect(a.locator(SUCCESS)).to_have_text(
            f"Gespeichert (Bad Laer, {Quartal.parse(stand.quartal).label}): {merkmal_a.name} "
            "geändert – im Änderungsprotokoll vermerkt.")

        # B, still on the form loaded before, changes a Merkmal and saves: conflict
        _waehle_stufe(b, m_b, neu_b)
        _speichern(b)
        formular_b = b.get_by_role("tabpanel", name="Selbstauskunft")
        fehler = formular_b.locator(WARNING)  # the demo banner is a warning too: in the panel
        expect(fehler).to_have_count(1)
        expect(b.locator(ERROR)).to_have_count(0)
        expect(fehler).to_contain_text(
            "Nicht gespeichert: Speichern nicht möglich – die Daten wurden inzwischen geändert: "
            f"{merkmal_a.name} (Bad Laer) wurde von {redaktion_konto[0]} am ")
        expect(fehler).to_contain_text(re.compile(r"am \d\d\.\d\d\.\d{4}, \d\d:\d\d Uhr"))
        expect(fehler).to_contain_text("Es wurde nichts gespeichert.")
        expect(b.locator(SUCCESS)).to_have_count(0)
        neu_laden = b.locator(MAIN).get_by_role("button", name="Neu laden")
        expect(neu_laden).to_be_visible()
        screenshot(b, f"datenpflege-konflikt-{merkmal_b}")

        # the audit log holds exactly A's one change; the database A's value, not B's
        eintraege = _audit(stand.engine, stand.quartal, letzte_id)
        beschreibung = [(e.benutzer, e.schluessel, e.feld, e.alt, e.neu) for e in eintraege]
        assert eintraege, "kein Eintrag im Änderungsprotokoll für die Speicherung von A"
        assert {e.benutzer for e in eintraege} == {redaktion_konto[0]}, beschreibung
        assert {e.schluessel for e in eintraege} == {
            f"{BAD_LAER}/{MERKMAL_A}/{stand.quartal}"}, beschreibung
        assert len({e.zeitpunkt for e in eintraege}) == 1, beschreibung  # one save
        assert [(e.alt, e.neu) for e in eintraege if e.feld == "stufe"] == [
            (str(alt_a), str(neu_a))], beschreibung
        with read_session(stand.engine) as session:
            jetzt = {bw.merkmal_key: bw.stufe for bw in session.scalars(select(Bewertung).where(
                Bewertung.verwaltung_key == BAD_LAER, Bewertung.quartal == stand.quartal))}
        assert jetzt[MERKMAL_A] == neu_a
        if merkmal_b != MERKMAL_A:
            assert jetzt[merkmal_b] == alt_b

        # "Neu laden" shows the current values (A's) and clears the message
        with rerun(b):
            neu_laden.click()
        expect(formular_b.locator(WARNING)).to_have_count(0)
        expect(_stufe(b, MERKMAL_A).get_by_role("combobox")).to_have_value(
            merkmal_a.kurzlabel(neu_a))
        expect(b.locator(MAIN)).to_contain_text(f"Zuletzt gespeichert von {redaktion_konto[0]}")
        assert_no_error(b, "Datenpflege B nach „Neu laden“")
    finally:
        a.context.close()
        b.context.close()
