"""Acceptance of issue 5, done as a user: "Changing an Anbindung to live removes it from the
chances and raises the EfA-Quote on all pages".

Before: Artland's top Nachnutzungs-Chance (/efa?verwaltung=034595401), Artland's EfA-Quote in
the tab "EfA-Quote", on the Karte (?merkmal=efa_quote, table twin) and the chances on the
Verwaltung page. A Redaktion account of Artland (added to the server's account file for this
module) signs in on /datenpflege, goes to EfA-Nachnutzung through the sidebar and sets that
Anbindung to "live" in the tab "Bearbeiten". After: the chance is gone from Artland's list (EfA
page and Verwaltung page), the Leistung is listed as live on the Steckbrief, and Artland's
EfA-Quote (and the Kreis's) is higher on the EfA page and in the Karte's table twin.

Afterwards the account file and Artland's Anbindungen are restored (written through kreis_data),
so other tests on the same session server see the demo data as before."""
from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from playwright.sync_api import Locator, Page, expect
from sqlalchemy import Engine, select

from kreis_data import audit, queries
from kreis_data.arbeitseinheit import Arbeitseinheit
from kreis_data.database import read_session, transaction
from kreis_data.efa.schreiben import apply_anbindung
from kreis_data.konten import regeln
from kreis_data.model import Anbindung
from kreis_data.quartal import Quartal

from .fixtures_db import server_engine, zusatzkonto
from .helpers import assert_no_error, click_nav, nav_pages, oeffne_tab, open_app, rerun, screenshot

pytestmark = pytest.mark.e2e

ARTLAND = "034595401"
ARTLAND_NAME = "Artland"
ARTLAND_GEMEINDE = "Badbergen"  # first of Artland's Gemeinden in the Karte's table (by name)
KONTO = ("e2e.redaktion.artland", "E2E-Artland-Passwort-2026")
BENUTZER = "e2e.efa"
MAIN = "[data-testid='stMain']"
SUCCESS = "[data-testid='stAlertContentSuccess']"
FELDER = ("status", "hindernis", "live_seit", "bemerkung")
CHANCE = re.compile(r"^1\. (?P<leistung>.+) · Score ")
ANZAHL = re.compile(r"^(?P<n>\d+) Nachnutzungs-Chancen für Artland")
KREIS_QUOTE = re.compile(r"(?P<live>\d+) von (?P<zust>\d+) zuständigen Leistungen live")
KARTE_QUOTE = re.compile(r"^(?P<quote>\d+) % \((?P<live>\d+) von (?P<zust>\d+) zuständigen "
                         r"Leistungen live\)$")


@dataclass(frozen=True)
class Quote:
    live: int
    zustaendig: int
    prozent: int  # as shown, rounded


@pytest.fixture(scope="module")
def artland_konto(app_server: str, tmp_path_factory) -> Iterator[tuple[str, str]]:
    """A Redaktion account of Artland in the server's account file, removed afterwards."""
    with zusatzkonto(tmp_path_factory, *KONTO, regeln.REDAKTION, (ARTLAND,)) as konto:
        yield konto


def _anbindungen(engine: Engine, quartal: str) -> dict[int, tuple]:
    with read_session(engine) as session:
        return {a.leistung_id: tuple(getattr(a, f) for f in FELDER) for a in session.scalars(
            select(Anbindung).where(Anbindung.verwaltung_key == ARTLAND,
                                    Anbindung.quartal == quartal))}


@pytest.fixture
def quartal(app_server: str, tmp_path_factory) -> Iterator[str]:
    """The latest quarter; Artland's Anbindungen in it are written back afterwards."""
    engine = server_engine(tmp_path_factory)
    q = queries.quartale(engine)[-1]
    vorher = _anbindungen(engine, q)
    try:
        yield q
    finally:
        jetzt = _anbindungen(engine, q)
        if jetzt != vorher:
            with transaction(engine) as session:
                for leistung_id, werte in jetzt.items():
                    if leistung_id not in vorher:  # created by the test: remove it again
                        row = session.scalar(select(Anbindung).where(
                            Anbindung.verwaltung_key == ARTLAND,
                            Anbindung.leistung_id == leistung_id, Anbindung.quartal == q))
                        session.delete(row)
                        # an audit entry moves the data version: the app's caches refresh
                        audit.record(session, benutzer=BENUTZER, aktion="gelöscht",
                                     objekt="anbindung", schluessel=f"{ARTLAND}/{leistung_id}/{q}",
                                     aenderungen={"status": (werte[0], None)},
                                     kontext="E2E-Test: zurückgesetzt")
                    elif werte != vorher[leistung_id]:
                        status, hindernis, live_seit, bemerkung = vorher[leistung_id]
                        uow = Arbeitseinheit(session, BENUTZER, "E2E-Test: zurückgesetzt")
                        apply_anbindung(uow, ARTLAND, leistung_id, q, status, hindernis,
                                        bemerkung=bemerkung, live_seit=live_seit)
        try:
            assert _anbindungen(engine, q) == vorher, "Anbindungen von Artland nicht zurückgesetzt"
        finally:
            engine.dispose()


# --- reading what the user sees ----------------------------------------------------------------
def _tab(page: Page, name: str) -> Locator:
    """Switch to a tab; returns its panel. Only the open tab is rendered, so a click on another
    tab runs the script (a click on the open tab runs nothing)."""
    tab = page.get_by_role("tab", name=name, exact=True)
    if tab.get_attribute("aria-selected") != "true":
        with rerun(page):
            tab.click()
    expect(tab).to_have_attribute("aria-selected", "true")
    return page.get_by_role("tabpanel", name=name)


def _cell(text: str, page: Page) -> Locator:
    return page.locator("[role='gridcell']").filter(has_text=re.compile(rf"^{re.escape(text)}$"))


def _grid_row(grid: Locator, first_cell: str) -> list[str]:
    """The cell texts of the one row of a st.dataframe whose cells include `first_cell`."""
    row = grid.locator("[role='row']").filter(has=_cell(first_cell, grid.page))
    expect(row).to_have_count(1)
    return [t.strip() for t in row.locator("[role='gridcell']").all_inner_texts()]


def _markdown(scope: Locator) -> list[str]:
    return [t.strip() for t in
            scope.locator("[data-testid='stMarkdownContainer']").all_inner_texts()]


def _chancen(panel: Locator) -> tuple[int, list[str]]:
    """(number of chances as stated, the Leistungen of the cards shown) in Artland's list."""
    expect(panel).to_contain_text(re.compile(r"\d+ Nachnutzungs-Chancen für Artland"))
    texte = _markdown(panel)
    anzahl = next(int(m["n"]) for t in texte if (m := ANZAHL.match(t)))
    karten = [m.group(1) for t in texte if (m := re.match(r"^\d+\. (.+) · Score ", t))]
    return anzahl, karten


def _quote_efa(page: Page) -> tuple[Quote, tuple[int, int]]:
    """Artland's row of the tab "EfA-Quote" and the Kreis's (live, zuständig)."""
    panel = _tab(page, "EfA-Quote")
    zellen = _grid_row(panel.get_by_test_id("stDataFrame").first, ARTLAND_NAME)
    assert len(zellen) == 5 and zellen[0] == ARTLAND_NAME, zellen
    prozent = re.fullmatch(r"(\d+) %", zellen[3])
    assert prozent, zellen
    kreis = KREIS_QUOTE.search(panel.inner_text())
    assert kreis, panel.inner_text()
    return (Quote(int(zellen[1]), int(zellen[2]), int(prozent[1])),
            (int(kreis["live"]), int(kreis["zust"])))


def _quote_karte(page: Page, url: str) -> Quote:
    """Artland's EfA-Quote in the Karte's table twin (row of one of its Gemeinden)."""
    open_app(page, f"{url}/karte?merkmal=efa_quote")
    assert_no_error(page, "Karte EfA-Quote")
    oeffne_tab(page, "Tabelle zur Karte")
    zellen = _grid_row(page.get_by_test_id("stDataFrame").first, ARTLAND_GEMEINDE)
    assert zellen[1] == ARTLAND_NAME, zellen
    treffer = [m for z in zellen if (m := KARTE_QUOTE.match(z))]
    assert len(treffer) == 1, zellen
    return Quote(int(treffer[0]["live"]), int(treffer[0]["zust"]), int(treffer[0]["quote"]))


def _verwaltung_tab(page: Page, name: str, *, lazy: bool = True) -> Locator:
    """Open a tab of the Verwaltung page; returns its panel. Its tabs run only when open (a
    click reruns the page, lazy=True); the tables inside "Software und Kooperationen" switch in
    the browser (lazy=False)."""
    tab = page.locator(MAIN).get_by_role("tab", name=name, exact=True)
    if lazy and tab.get_attribute("aria-selected") != "true":  # the open tab runs nothing
        with rerun(page):
            tab.click()
    elif not lazy:
        tab.click()
    expect(tab).to_have_attribute("aria-selected", "true")
    return page.locator(MAIN).get_by_role("tabpanel", name=name)


def _verwaltung(page: Page, url: str) -> tuple[list[str], str]:
    """The Verwaltung page of Artland: the Leistungen of its chance cards and the link text."""
    open_app(page, f"{url}/verwaltung?verwaltung={ARTLAND}")
    assert_no_error(page, "Verwaltung Artland")
    helfen = _verwaltung_tab(page, "Wer kann helfen?")
    expect(helfen.get_by_role("heading", name="EfA-Onlinedienste, die Nachbarn schon nutzen")
           ).to_be_visible()
    karten = [m.group(1) for t in _markdown(helfen)
              if (m := re.match(r"^\d+\. (.+) · Score ", t))]
    link = helfen.get_by_role("link", name=re.compile(r"Alle \d+ Chancen auf der Seite EfA"))
    expect(link).to_have_count(1)
    # the link's text without its Material icon (whose ligature name is text, too)
    return karten, link.locator("[data-testid='stMarkdownContainer']").inner_text().strip()


def _selectbox(scope: Locator, label: str, option: str) -> Locator:
    box = scope.get_by_test_id("stSelectbox").filter(has=scope.page.get_by_text(label, exact=True))
    expect(box).to_have_count(1)
    box.click()
    box.get_by_role("combobox").fill(option)  # long lists are virtualised: filter first
    scope.page.get_by_role("option", name=option, exact=True).click()
    return box


def test_anbindung_live_entfernt_chance_und_hebt_quote(page: Page, app_server: str,
                                                       artland_konto: tuple[str, str],
                                                       quartal: str):
    label = Quartal.parse(quartal).label

    # --- before: Artland's top chance and EfA-Quote as everyone sees them ---------------------
    open_app(page, f"{app_server}/efa?verwaltung={ARTLAND}")
    assert_no_error(page, "EfA-Nachnutzung vorher")
    chancen = _tab(page, "Nachnutzungs-Chancen")
    anzahl_vorher, karten_vorher = _chancen(chancen)
    erste = next((m for t in _markdown(chancen) if (m := CHANCE.match(t))), None)
    assert erste is not None, _markdown(chancen)
    leistung = erste["leistung"]
    assert karten_vorher[0] == leistung
    quote_vorher, kreis_vorher = _quote_efa(page)
    karte_vorher = _quote_karte(page, app_server)
    assert (karte_vorher.live, karte_vorher.zustaendig, karte_vorher.prozent) == (
        quote_vorher.live, quote_vorher.zustaendig, quote_vorher.prozent)
    verwaltung_karten, link_vorher = _verwaltung(page, app_server)
    assert verwaltung_karten[0] == leistung, verwaltung_karten
    assert link_vorher == f"Alle {anzahl_vorher} Chancen auf der Seite EfA-Nachnutzung"

    # --- the Redaktion of Artland signs in and sets this Anbindung to live --------------------
    open_app(page, f"{app_server}/datenpflege")
    main = page.locator(MAIN)
    main.get_by_label("Benutzername").fill(artland_konto[0])
    main.get_by_label("Passwort").fill(artland_konto[1])
    with rerun(page):
        main.get_by_role("button", name="Anmelden").click()
    expect(main.get_by_text(f"Angemeldet als {artland_konto[0]}")).to_be_visible()
    nav = next((p for p in nav_pages(page) if p.label == "EfA-Nachnutzung"), None)
    assert nav is not None, [p.label for p in nav_pages(page)]
    click_nav(page, nav)  # same session: the login is kept
    assert_no_error(page, "EfA-Nachnutzung nach der Anmeldung")

    bearbeiten = _tab(page, "Bearbeiten")
    expect(bearbeiten.get_by_role("heading", name="Anbindung bearbeiten")).to_be_visible()
    verwaltung = bearbeiten.get_by_test_id("stSelectbox").filter(
        has=page.get_by_text("Verwaltung", exact=True))
    expect(verwaltung.get_by_role("combobox")).to_have_value(ARTLAND_NAME)
    with rerun(page):
        box = _selectbox(bearbeiten, "Leistung", leistung)
    expect(box.get_by_role("combobox")).to_have_value(leistung)
    titel = f"{ARTLAND_NAME} – {leistung} ({label})"
    formular = bearbeiten.get_by_test_id("stForm")
    expect(formular).to_contain_text(titel)
    expect(formular).not_to_contain_text("derzeit „live“")
    for feld, wert in (("Status", "live"), ("Hindernis (nur wenn noch nicht live)",
                                            "kein Hindernis")):
        box = _selectbox(formular, feld, wert)  # inside st.form: nothing runs yet
        expect(box.get_by_role("combobox")).to_have_value(wert)
    with rerun(page):
        formular.get_by_role("button", name="Anbindung speichern").click()
    assert_no_error(page, "EfA-Bearbeiten nach dem Speichern")
    erfolg = bearbeiten.locator(SUCCESS)
    expect(erfolg).to_have_count(1)
    expect(erfolg.get_by_test_id("stMarkdownContainer")).to_have_text(  # without the icon
        f"Gespeichert: {titel} – Status „live“.")
    expect(bearbeiten.get_by_test_id("stForm")).to_contain_text(f"{titel} · derzeit „live“")
    screenshot(page, "efa-anbindung-live")

    # --- after, on the EfA page (same session): the chance is gone, the quote is higher -------
    chancen = _tab(page, "Nachnutzungs-Chancen")
    gewaehlt = chancen.get_by_test_id("stSelectbox").filter(
        has=page.get_by_text("Verwaltung", exact=True)).get_by_role("combobox")
    if gewaehlt.input_value() != ARTLAND_NAME:  # the login's "Meine Verwaltung" may be chosen
        with rerun(page):
            _selectbox(chancen, "Verwaltung", ARTLAND_NAME)
    anzahl_nachher, karten_nachher = _chancen(chancen)
    assert anzahl_nachher == anzahl_vorher - 1
    assert leistung not in karten_nachher, karten_nachher
    expect(chancen).not_to_contain_text(leistung)  # not in the cards nor in the table
    quote_nachher, kreis_nachher = _quote_efa(page)
    assert quote_nachher.live == quote_vorher.live + 1, (quote_vorher, quote_nachher)
    assert quote_nachher.zustaendig == quote_vorher.zustaendig
    assert quote_nachher.prozent > quote_vorher.prozent, (quote_vorher, quote_nachher)
    assert kreis_nachher == (kreis_vorher[0] + 1, kreis_vorher[1])
    screenshot(page, "efa-quote-nach-live")

    # --- the Karte's table twin -----------------------------------------------------------------
    karte_nachher = _quote_karte(page, app_server)
    assert karte_nachher == quote_nachher, (karte_vorher, karte_nachher)

    # --- the Verwaltung page: no longer a chance, listed as live --------------------------------
    verwaltung_karten, link_nachher = _verwaltung(page, app_server)
    assert leistung not in verwaltung_karten, verwaltung_karten
    assert link_nachher == f"Alle {anzahl_vorher - 1} Chancen auf der Seite EfA-Nachnutzung"
    _verwaltung_tab(page, "Software und Kooperationen")
    live_tab = _verwaltung_tab(page, f"Live angebundene EfA-Onlinedienste ({label})", lazy=False)
    zellen = _grid_row(live_tab.get_by_test_id("stDataFrame").first, leistung)
    # Leistung, EfA-Onlinedienst, Themenfeld, live seit
    assert zellen[0] == leistung and re.fullmatch(r"[1-4]\. Quartal \d{4}", zellen[-1]), zellen
    screenshot(page, "verwaltung-artland-nach-live")
