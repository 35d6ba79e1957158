"""Acceptance of the Excel template, done as a user: "A template with 3 bad cells shows 3 German
messages and writes nothing; after fixing, it writes and the log shows every change".

A Kreis-Administration account (added to the server's account file for this module) signs in on
/datenpflege, downloads the template in the tab "Excel-Vorlage", puts three invalid values into
three Merkmal cells of one Verwaltung (openpyxl) and uploads it: the preview lists exactly three
German messages naming row, column and value, offers no "Änderungen übernehmen" and the database
is unchanged. The fixed file (the three Stufen moved by one level, labels from the scale) is
written after confirming; the database holds exactly those three changes and the
Änderungsprotokoll, filtered by the Verwaltung, shows each old → new Stufe.

Afterwards the account file and the Bewertungen are restored (written through kreis_data), so
other tests on the same session server see the demo data as before."""
from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from openpyxl import load_workbook
from playwright.sync_api import Locator, Page, expect
from sqlalchemy import Engine, func, select

from kreis_data import queries, scales
from kreis_data.bewertungen.lesen import katalog_from_session
from kreis_data.bewertungen.regeln import BewertungEingabe
from kreis_data.bewertungen.schreiben import store_bewertungen
from kreis_data.database import read_session
from kreis_data.konten import regeln
from kreis_data.model import AuditEintrag, Bewertung

from .fixtures_db import server_engine, zusatzkonto
from .helpers import assert_no_error, open_app, rerun, screenshot

pytestmark = pytest.mark.e2e

ADMIN_KONTO = ("e2e.admin.vorlage", "E2E-Vorlage-Passwort-2026")
VERWALTUNG = "034590033"  # Wallenhorst: used by no other browser test
MAIN = "[data-testid='stMain']"
SUCCESS = "[data-testid='stAlertContentSuccess']"
ERROR = "[data-testid='stAlertContentError']"
UNGUELTIG = (7, "vielleicht", 12)  # as typed into Excel: numbers stay numbers
BEWERTUNG_FELDER = ("verwaltung_key", "merkmal_key", "quartal", "stufe", "quelle", "stand",
                    "erfasst_von", "bemerkung", "version")


@dataclass
class Stand:
    engine: Engine
    quartal: str
    name: str  # of the Verwaltung
    merkmale: list[scales.Merkmal]  # the three Merkmale whose cells the test edits
    alt: dict[str, int]  # their Stufe before
    neu: dict[str, int]  # the Stufe the fixed file sets (one level away)


def _dump(engine: Engine, quartal: str) -> dict[tuple[str, str], tuple]:
    """Every Bewertung of the quarter, all fields."""
    with read_session(engine) as session:
        return {(b.verwaltung_key, b.merkmal_key): tuple(getattr(b, f) for f in BEWERTUNG_FELDER)
                for b in session.scalars(select(Bewertung).where(Bewertung.quartal == quartal))}


def _letzte_audit_id(engine: Engine) -> int:
    with read_session(engine) as session:
        return session.scalar(select(func.max(AuditEintrag.id))) or 0


def _zaehlung(engine: Engine) -> tuple[int, int]:
    """(rows in bewertung, rows in audit_log)."""
    with read_session(engine) as session:
        return (session.scalar(select(func.count()).select_from(Bewertung)),
                session.scalar(select(func.count()).select_from(AuditEintrag)))


@pytest.fixture(scope="module")
def admin_konto(app_server: str, tmp_path_factory) -> Iterator[tuple[str, str]]:
    """A Kreis-Administration account in the server's account file, removed afterwards."""
    with zusatzkonto(tmp_path_factory, *ADMIN_KONTO, regeln.ADMIN) as konto:
        yield konto


@pytest.fixture
def stand(app_server: str, tmp_path_factory) -> Iterator[Stand]:
    """The latest quarter's Bewertungen; every one that differs afterwards is written back."""
    engine = server_engine(tmp_path_factory)
    quartal = queries.quartale(engine)[-1]
    with read_session(engine) as session:
        katalog = katalog_from_session(session)
        vorher = {(b.verwaltung_key, b.merkmal_key): b for b in session.scalars(
            select(Bewertung).where(Bewertung.quartal == quartal))}
        session.expunge_all()
    merkmale = [m for m in katalog.merkmale.values() if m.art == "stufe"
                and (bw := vorher.get((VERWALTUNG, m.key))) is not None
                and bw.stufe is not None][:3]
    assert len(merkmale) == 3, (f"Demo-Daten: {katalog.verwaltungen[VERWALTUNG]} hat im "
                                f"{quartal} keine drei Stufen-Merkmale mit Wert")
    alt = {m.key: vorher[(VERWALTUNG, m.key)].stufe for m in merkmale}
    neu = {m.key: alt[m.key] + 1 if alt[m.key] < max(m.werte) else alt[m.key] - 1
           for m in merkmale}
    dump = _dump(engine, quartal)
    try:
        yield Stand(engine, quartal, katalog.verwaltungen[VERWALTUNG], merkmale, alt, neu)
    finally:
        jetzt = _dump(engine, quartal)
        zurueck = [vorher[k] for k, werte in dump.items() if jetzt.get(k, ())[:-1] != werte[:-1]]
        neu_angelegt = set(jetzt) - set(dump)
        if zurueck:
            store_bewertungen(engine, [
                BewertungEingabe(b.verwaltung_key, b.merkmal_key, b.quartal, b.stufe, b.quelle,
                                 b.stand, b.erfasst_von, b.bemerkung) for b in zurueck],
                benutzer="e2e.vorlage", kontext="E2E-Test: zurückgesetzt")
        try:
            assert not neu_angelegt, f"vom Test neu angelegte Bewertungen: {neu_angelegt}"
            wieder = _dump(engine, quartal)
            assert {k: v[:-1] for k, v in wieder.items()} == {k: v[:-1] for k, v in dump.items()}
        finally:
            engine.dispose()


def _anmelden(page: Page, url: str, konto: tuple[str, str]) -> None:
    open_app(page, f"{url}/datenpflege")
    main = page.locator(MAIN)
    main.get_by_label("Benutzername").fill(konto[0])
    main.get_by_label("Passwort").fill(konto[1])
    with rerun(page):
        main.get_by_role("button", name="Anmelden").click()
    expect(main.get_by_text(f"Angemeldet als {konto[0]}")).to_be_visible()
    assert_no_error(page, "Datenpflege nach der Anmeldung")


def _tab(page: Page, name: str) -> Locator:
    """Switch to a tab (tabs switch in the browser, without a script run); its panel."""
    tab = page.get_by_role("tab", name=name, exact=True)
    tab.click()
    expect(tab).to_have_attribute("aria-selected", "true")
    return page.get_by_role("tabpanel", name=name)


def _hochladen(page: Page, panel: Locator, datei: Path) -> None:
    with rerun(page):
        panel.locator("[data-testid='stFileUploader'] input[type='file']").set_input_files(
            str(datei))
    # the shown name is shortened in the middle; the remove button carries the full name
    expect(panel.get_by_role("button", name=f"Remove {datei.name}")).to_have_count(1)


def _vorlage_bearbeiten(quelle: Path, ziel: Path, zellen: dict[str, object]) -> int:
    """Copy the downloaded template with the given Merkmal cells (by header) of VERWALTUNG
    replaced; returns that Verwaltung's row number as Excel shows it."""
    workbook = load_workbook(quelle)
    sheet = workbook["Vorlage"]
    kopf = {zelle.value: zelle.column for zelle in sheet[1]}
    zeilen = [r for r in range(2, sheet.max_row + 1)
              if sheet.cell(r, kopf["Verwaltungsschlüssel"]).value == VERWALTUNG]
    assert len(zeilen) == 1, f"{VERWALTUNG} steht {len(zeilen)}-mal in der Vorlage"
    for spalte, wert in zellen.items():
        sheet.cell(zeilen[0], kopf[spalte]).value = wert
    workbook.save(ziel)
    return zeilen[0]


def _grid_row(grid: Locator, *zellen: str) -> Locator:
    """Rows of a st.dataframe (its accessible copy in the DOM) holding all these cell texts."""
    rows = grid.locator("[role='row']")
    for text in zellen:
        rows = rows.filter(has=grid.page.locator("[role='gridcell']").filter(
            has_text=re.compile(rf"^{re.escape(text)}$")))
    return rows


def test_vorlage_mit_fehlern_schreibt_nichts_korrigiert_alles(
        page: Page, app_server: str, admin_konto: tuple[str, str], stand: Stand,
        tmp_path: Path):
    _anmelden(page, app_server, admin_konto)
    panel = _tab(page, "Excel-Vorlage")

    # download the template as a user does
    with rerun(page), page.expect_download(timeout=60_000) as download_info:
        panel.get_by_role("button", name="Vorlage herunterladen (.xlsx)").click()
    download = download_info.value
    assert download.suggested_filename == f"ikz-vorlage-{stand.quartal}.xlsx"
    vorlage = tmp_path / "download.xlsx"
    download.save_as(vorlage)

    # 1) three invalid cells: three German messages, no way to write, database unchanged
    zaehlung, dump = _zaehlung(stand.engine), _dump(stand.engine, stand.quartal)
    letzte_id = _letzte_audit_id(stand.engine)
    fehlerhaft = tmp_path / "fehler" / download.suggested_filename
    fehlerhaft.parent.mkdir()
    zeile = _vorlage_bearbeiten(vorlage, fehlerhaft, {
        m.name: wert for m, wert in zip(stand.merkmale, UNGUELTIG, strict=True)})
    _hochladen(page, panel, fehlerhaft)
    fehler = panel.locator(ERROR)
    expect(fehler).to_have_count(1)
    expect(fehler).to_have_text("Die Datei enthält 3 Fehler – es wird nichts gespeichert. Bitte "
                                "korrigieren Sie die Datei und laden Sie sie erneut hoch.")
    meldungen = panel.locator("[data-testid='stMarkdownContainer'] li")
    expect(meldungen).to_have_count(3)
    for merkmal, wert in zip(stand.merkmale, UNGUELTIG, strict=True):
        datei, name = re.escape(fehlerhaft.name), re.escape(merkmal.name)
        expect(meldungen.filter(has_text=f"Spalte „{merkmal.name}“")).to_have_text(re.compile(
            rf"^{datei}, Zeile {zeile}, Spalte „{name}“: „{re.escape(str(wert))}“ ist ungültig "
            rf"für {name} – erlaubt sind 0 \({re.escape(merkmal.label(0))}\), .* oder leer "
            rf"bzw\. „{scales.KEINE_ANGABE}“$"))
    expect(panel.get_by_role("button", name="Änderungen übernehmen")).to_have_count(0)
    expect(panel.locator(SUCCESS)).to_have_count(0)
    screenshot(page, "datenpflege-vorlage-fehler")
    assert _zaehlung(stand.engine) == zaehlung, "Bewertungen oder Protokoll wurden geschrieben"
    assert _dump(stand.engine, stand.quartal) == dump, "Bewertungen wurden geändert"

    # 2) the same cells fixed (one level away from the stored Stufe): preview, confirm, written
    korrigiert = tmp_path / "korrigiert" / download.suggested_filename
    korrigiert.parent.mkdir()
    _vorlage_bearbeiten(vorlage, korrigiert, {
        m.name: m.label(stand.neu[m.key]) for m in stand.merkmale})
    _hochladen(page, panel, korrigiert)
    expect(panel.locator(ERROR)).to_have_count(0)
    expect(panel).to_contain_text("Vorschau: 3 Änderungen – noch nichts gespeichert.")
    vorschau = panel.get_by_test_id("stDataFrame")
    for m in stand.merkmale:
        expect(_grid_row(vorschau, stand.name, m.name, m.kurzlabel(stand.alt[m.key]),
                         m.kurzlabel(stand.neu[m.key]))).to_have_count(1)
    assert _dump(stand.engine, stand.quartal) == dump, "Vorschau hat schon gespeichert"
    with rerun(page):
        panel.get_by_role("button", name="Änderungen übernehmen").click()
    expect(panel.locator(SUCCESS).first).to_have_text(
        f"3 Änderungen aus {korrigiert.name} gespeichert – im Änderungsprotokoll vermerkt.")
    assert_no_error(page, "Excel-Vorlage nach dem Übernehmen")
    screenshot(page, "datenpflege-vorlage-gespeichert")

    # exactly these three Bewertungen changed, to the new Stufe; nothing else
    jetzt = _dump(stand.engine, stand.quartal)
    geaendert = {k for k in dump if jetzt[k] != dump[k]}
    assert geaendert == {(VERWALTUNG, m.key) for m in stand.merkmale}, sorted(geaendert)
    assert set(jetzt) == set(dump), "neue Bewertungen angelegt"
    stufe = BEWERTUNG_FELDER.index("stufe")
    assert {k[1]: jetzt[k][stufe] for k in geaendert} == stand.neu
    assert _zaehlung(stand.engine)[0] == zaehlung[0]
    with read_session(stand.engine) as session:
        eintraege = list(session.scalars(select(AuditEintrag).where(
            AuditEintrag.id > letzte_id)))
        stufen_log = {(e.schluessel, e.alt, e.neu) for e in eintraege if e.feld == "stufe"}
        beschreibung = [(e.benutzer, e.objekt, e.schluessel, e.feld, e.kontext)
                        for e in eintraege]
    assert {(e.benutzer, e.objekt, e.kontext) for e in eintraege} == {
        (admin_konto[0], "bewertung", f"Excel-Vorlage {korrigiert.name}")}, beschreibung
    assert {e.schluessel for e in eintraege} == {
        f"{VERWALTUNG}/{m.key}/{stand.quartal}" for m in stand.merkmale}, beschreibung
    assert stufen_log == {(f"{VERWALTUNG}/{m.key}/{stand.quartal}", str(stand.alt[m.key]),
                           str(stand.neu[m.key])) for m in stand.merkmale}, beschreibung

    # 3) the Änderungsprotokoll, filtered by the Verwaltung, shows every change old -> new
    protokoll = _tab(page, "Änderungsprotokoll")
    box = protokoll.get_by_test_id("stSelectbox").filter(
        has=page.get_by_text("Verwaltung", exact=True))
    box.click()
    with rerun(page):
        page.get_by_role("option", name=stand.name, exact=True).click()
    expect(box.get_by_role("combobox")).to_have_value(stand.name)
    tabelle = protokoll.get_by_test_id("stDataFrame")
    for m in stand.merkmale:
        expect(_grid_row(tabelle, admin_konto[0], stand.name, m.name, "Stufe",
                         m.kurzlabel(stand.alt[m.key]), m.kurzlabel(stand.neu[m.key]),
                         f"Excel-Vorlage {korrigiert.name}")).to_have_count(1)
    assert_no_error(page, "Änderungsprotokoll")
    screenshot(page, "datenpflege-vorlage-protokoll")
