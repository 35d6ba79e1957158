"""AppTests of the EfA-Nachnutzung page: chances with neighbour and contact, matrix, quote,
the edit forms (Anbindung, catalog entry, Excel import) writing through kreis_data; only the
open tab is rendered."""
from __future__ import annotations

import io
import re

import pytest
from openpyxl import load_workbook
from sqlalchemy import select
from sqlalchemy.orm import Session
from streamlit.testing.v1 import AppTest

from components import anmeldung
from kreis_data.database import make_engine
from kreis_data.efa import austausch, schreiben
from kreis_data.efa import lesen as efa
from kreis_data.io import export
from kreis_data.konten import regeln
from kreis_data.model import AuditEintrag
from tests.pages.apptest_helpers import open_page, sichtbar

ARTLAND = "034595401"
QUARTAL = "2026-Q3"
ADMIN = regeln.Benutzer("k.admin", regeln.ADMIN)
REDAKTION_ARTLAND = regeln.Benutzer("r.artland", regeln.REDAKTION, frozenset({ARTLAND}))
TABS = ["Nachnutzungs-Chancen", "Anbindungsmatrix", "EfA-Quote", "Hindernisse", "Katalog",
        "Bearbeiten"]
TAB = "efa_ansicht"  # the key of the page's st.tabs
CHANCEN, BEARBEITEN = TABS[0], TABS[-1]
BEARBEITEN_KNOEPFE = {"Anbindung speichern", "Katalogeintrag speichern", "Prüfen und importieren"}


def run_page(verwaltung: str | None = None, benutzer: regeln.Benutzer | None = None,
             query: dict | None = None, *, tab: str | None = None, shell: bool = True):
    """The EfA page through app.py in QUARTAL on the tab `tab` (default: the first);
    `benutzer`: signed in as this person. shell=False: the page alone – for saving a form (in
    AppTest every run through app.py starts with the rerun of components.shell.ensure_app_shell,
    which drops the click)."""
    query = {"quartal": QUARTAL, **(query or {})}
    if verwaltung:
        query["verwaltung"] = verwaltung
    return open_page("pages/efa.py", query, {TAB: tab} if tab else None, login=benutzer,
                     shell=shell)


def tab_oeffnen(at: AppTest, tab: str) -> AppTest:
    """Open another tab of the running page (as a click on it does: a rerun)."""
    at.session_state[TAB] = tab
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def karten(at: AppTest) -> list[str]:
    """The markdown of the ranked chance cards (title, reason, contact)."""
    texte = [sichtbar(m.value) for m in at.markdown]
    start = next(i for i, t in enumerate(texte) if t.startswith("**1. "))
    karten_texte = []
    for i in range(start, len(texte) - 2, 3):  # title, reason, contact per card
        if not re.match(r"\*\*\d+\. ", texte[i]):
            break
        karten_texte += texte[i:i + 3]
    return karten_texte


@pytest.fixture
def schreib_env(eigene_db):
    """The app on a writable copy of the demo database (its engine)."""
    engine = make_engine(eigene_db)
    yield engine
    engine.dispose()


def test_artland_sees_top_chances_with_neighbour_and_contact(app_env, demo_engine):
    # signed in: e-mail and phone are shown only then (issue #15, tests/pages/test_kontakte.py)
    at = run_page(ARTLAND, regeln.Benutzer("leser", regeln.LESEN))
    assert at.title[0].value == "EfA-Nachnutzung"
    assert at.selectbox(key="verwaltung").value == ARTLAND
    text = "\n".join(karten(at))
    assert text.startswith("**1. ")
    assert "live bei 2 Nachbarn, u. a. Bersenbrück seit" in text
    assert "Ansprechen bei **Bersenbrück** (Nachbar): **Anna Ostendorf**" in text
    assert "(mailto:anna.ostendorf@sg-bersenbrueck.example.org)" in text
    kreis_leistungen = {name for name, ebene in zip(
        efa.leistungen(demo_engine)["leistung"], efa.leistungen(demo_engine)["ebene"],
        strict=True) if ebene == "Kreis"}
    assert not [n for n in kreis_leistungen if n.split(" (")[0] in text]
    tabelle = at.dataframe[0].value
    assert list(tabelle.columns[:4]) == ["Verwaltung", "Leistung", "Themenfeld", "Score"]
    assert set(tabelle["Verwaltung"]) == {"Artland"}


def quellen(at: AppTest) -> int:
    """Captions naming source and date of the quarter."""
    return sum("Quelle:" in c.value and "Stand: 30.09.2026" in c.value for c in at.caption)


def test_tabs_show_matrix_quote_hindernisse_katalog_with_source(app_env):
    at = run_page()
    assert [t.label for t in at.tabs] == TABS
    assert at.selectbox(key="verwaltung").value == "kreis"  # ganzer Kreis
    assert quellen(at) == 1

    tab_oeffnen(at, "Anbindungsmatrix")
    matrix = next(d.value for d in at.dataframe if "Verwaltung" in d.value.columns
                  and "Kfz-Zulassung (i-Kfz)" in d.value.columns)
    werte = set(matrix.drop(columns=["Schlüssel", "Verwaltung"]).to_numpy().ravel())
    assert {"nicht zuständig", "nicht angebunden", "live"} <= werte
    assert len(matrix) == 22
    assert quellen(at) == 1

    tab_oeffnen(at, "EfA-Quote")
    assert at.metric[0].label == "EfA-Quote des Kreises" and at.metric[0].value.endswith("%")
    assert "Prozentpunkte zum Vorquartal" in at.metric[0].delta
    assert at.get("plotly_chart")  # go-lives per quarter
    assert quellen(at) == 2

    tab_oeffnen(at, "Hindernisse")
    assert any("Verwaltungen: kein FIT-Connect-Zustellpunkt" in sichtbar(m.value)
               for m in at.markdown)
    assert quellen(at) == 1

    tab_oeffnen(at, "Katalog")
    assert any("EfA-Leistungen. Den Vollzug" in m.value for m in at.markdown)
    assert quellen(at) == 1

    tab_oeffnen(at, "Anbindungsmatrix")
    at.selectbox(key="efa_themenfeld").set_value("Familie & Kind").run()
    gefiltert = next(d.value for d in at.dataframe if "Schlüssel" in d.value.columns)
    assert list(gefiltert.columns[2:]) == ["ELFE – Geburtsurkunde (Lebenslage Geburt)",
                                           "Ehe Online (Anmeldung Eheschließung, Eheurkunde)"]


def test_only_the_open_tab_is_rendered(app_env):
    """Each run sends only the open tab: the chances' cards, the matrix, the go-live chart or
    the edit forms – never the content of a closed tab."""
    at = run_page(ARTLAND, ADMIN)
    assert karten(at) and len(at.dataframe) == 1  # the chances' table
    assert not at.get("plotly_chart") and not at.metric
    assert not any(s.key in ("efa_themenfeld", "efa_edit_verwaltung") for s in at.selectbox)
    assert not BEARBEITEN_KNOEPFE & {b.label for b in at.button}

    at = run_page(ARTLAND, ADMIN, tab="EfA-Quote")
    assert at.session_state[TAB] == "EfA-Quote"
    assert len(at.get("plotly_chart")) == 1 and len(at.metric) == 1
    assert not any(s.key in ("verwaltung", "efa_themenfeld") for s in at.selectbox)
    assert not any(sichtbar(m.value).startswith("**1. ") for m in at.markdown)
    assert not BEARBEITEN_KNOEPFE & {b.label for b in at.button}

    at = run_page(ARTLAND, ADMIN, tab=BEARBEITEN)
    assert BEARBEITEN_KNOEPFE <= {b.label for b in at.button}
    assert not at.dataframe and not at.get("plotly_chart") and not at.metric
    assert not any(s.key in ("verwaltung", "efa_themenfeld") for s in at.selectbox)


def test_edit_form_sets_live_and_the_chance_disappears(schreib_env):
    at = run_page(ARTLAND, REDAKTION_ARTLAND, shell=False)
    oberste = karten(at)[0]
    leistung = oberste.removeprefix("**1. ").split("**")[0].replace("\\(", "(").replace("\\)", ")")
    tab_oeffnen(at, BEARBEITEN)
    assert at.selectbox(key="efa_edit_verwaltung").options == ["Artland"]  # only its own
    at.selectbox(key="efa_edit_verwaltung").set_value(ARTLAND).run()
    auswahl = at.selectbox(key=f"efa_edit_leistung_{ARTLAND}")
    ids = dict(zip(efa.leistungen(schreib_env)["leistung"], efa.leistungen(schreib_env)["leistung_id"],
                   strict=True))
    auswahl.set_value(int(ids[leistung])).run()
    suffix = f"{ARTLAND}_{ids[leistung]}_{QUARTAL}_0"  # round 0 of the form
    at.selectbox(key=f"efa_status_{suffix}").set_value("live")
    at.button[[b.label for b in at.button].index("Anbindung speichern")].click().run()
    assert not at.exception
    assert any("Gespeichert: Artland" in s.value and "Status „live“" in s.value
               for s in at.success)
    assert at.session_state[TAB] == BEARBEITEN  # the open tab survives the save's rerun
    tab_oeffnen(at, CHANCEN)
    assert at.selectbox(key="verwaltung").value == ARTLAND  # from the URL again
    assert leistung not in "\n".join(karten(at))
    with Session(schreib_env) as s:
        eintraege = s.scalars(select(AuditEintrag).where(
            AuditEintrag.benutzer == "r.artland")).all()
    assert {(e.objekt, e.feld, e.neu) for e in eintraege} >= {
        ("anbindung", "status", "live"), ("anbindung", "live_seit", QUARTAL)}


def test_edit_form_refuses_hindernis_on_live_and_writes_nothing(schreib_env):
    at = run_page(benutzer=ADMIN, tab=BEARBEITEN, shell=False)
    vorher = len(efa.chancen(schreib_env, QUARTAL))
    at.selectbox(key="efa_edit_verwaltung").set_value(ARTLAND).run()
    lid = at.selectbox(key=f"efa_edit_leistung_{ARTLAND}").value
    suffix = f"{ARTLAND}_{lid}_{QUARTAL}_0"
    at.selectbox(key=f"efa_status_{suffix}").set_value("live")
    at.selectbox(key=f"efa_hindernis_{suffix}").set_value("Budget")
    at.button[[b.label for b in at.button].index("Anbindung speichern")].click().run()
    assert any("Nicht gespeichert" in e.value and "passt nicht zum Status „live“" in e.value
               for e in at.error)
    assert len(efa.chancen(schreib_env, QUARTAL)) == vorher
    with Session(schreib_env) as s:
        assert s.scalar(select(AuditEintrag).where(AuditEintrag.benutzer == "k.admin")) is None


def test_without_login_no_edit_form_but_the_login_hint(app_env):
    at = run_page(tab=BEARBEITEN)
    assert not BEARBEITEN_KNOEPFE & {b.label for b in at.button}
    assert not at.get("file_uploader")
    assert not any(s.key == "efa_edit_verwaltung" for s in at.selectbox)
    assert any(anmeldung.ANMELDE_HINWEIS in i.value for i in at.info)
    # the link to the login on the Datenpflege page
    assert [p.proto.label for p in at.get("page_link") if p.proto.label == anmeldung.ANMELDE_LINK]


def test_redaktion_edits_only_its_anbindungen_admin_also_catalog_and_import(app_env):
    at = run_page(benutzer=REDAKTION_ARTLAND, tab=BEARBEITEN)
    assert at.selectbox(key="efa_edit_verwaltung").options == ["Artland"]
    assert {b.label for b in at.button} & BEARBEITEN_KNOEPFE == {"Anbindung speichern"}
    assert not at.get("file_uploader")
    at = run_page(benutzer=regeln.Benutzer("leser", regeln.LESEN), tab=BEARBEITEN)
    assert not BEARBEITEN_KNOEPFE & {b.label for b in at.button}
    assert any("Ihre Rolle erlaubt keine Änderungen" in i.value for i in at.info)
    at = run_page(benutzer=ADMIN, tab=BEARBEITEN)
    assert len(at.selectbox(key="efa_edit_verwaltung").options) == 22
    assert BEARBEITEN_KNOEPFE <= {b.label for b in at.button}
    assert at.get("file_uploader")


def test_presentation_mode_shows_no_edit_tab_even_when_signed_in(app_env):
    # even with the edit tab open before: it is gone, the first tab is shown
    at = run_page(benutzer=ADMIN, query={"modus": "praesentation"}, tab=BEARBEITEN)
    assert [t.label for t in at.tabs] == TABS[:-1]
    assert not BEARBEITEN_KNOEPFE & {b.label for b in at.button}
    assert not at.get("file_uploader")
    assert karten(at)  # the chances instead


def _klicke(at: AppTest, label: str) -> AppTest:
    return at.button[[b.label for b in at.button].index(label)].click().run()


def test_a_stale_anbindung_is_refused_with_reload(schreib_env):
    at = run_page(benutzer=ADMIN, tab=BEARBEITEN, shell=False)
    at.selectbox(key="efa_edit_verwaltung").set_value(ARTLAND).run()
    lid = at.selectbox(key=f"efa_edit_leistung_{ARTLAND}").value
    zeile = efa.bearbeitbare_anbindungen(schreib_env, QUARTAL, ARTLAND).set_index(
        "leistung_id").loc[lid]
    anderer = regeln.Benutzer("k.andere", regeln.ADMIN)  # saves in between
    neu = "in Prüfung" if zeile["status"] != "in Prüfung" else "in Umsetzung"
    schreiben.set_anbindung(schreib_env, anderer, ARTLAND, int(lid), QUARTAL, neu, None,
                            version=int(zeile["version"]))
    at.selectbox(key=f"efa_status_{ARTLAND}_{lid}_{QUARTAL}_0").set_value("live")
    _klicke(at, "Anbindung speichern")
    assert any("inzwischen von jemand anderem geändert" in w.value for w in at.warning)
    assert "Neu laden" in [b.label for b in at.button]
    with Session(schreib_env) as s:
        assert s.scalar(select(AuditEintrag).where(AuditEintrag.benutzer == "k.admin")) is None
    _klicke(at, "Neu laden")  # the form shows the stored values again, the save then works
    assert at.selectbox(key=f"efa_status_{ARTLAND}_{lid}_{QUARTAL}_1").value == neu


def test_admin_creates_a_catalog_entry_and_changes_its_vollzug(schreib_env):
    at = run_page(benutzer=ADMIN, tab=BEARBEITEN, shell=False)
    assert at.selectbox(key="efa_leistung_auswahl").value == 0  # neue Leistung anlegen
    at.text_input(key="efa_l_name_0_0").input("Hundesteuer")
    at.selectbox(key="efa_l_vollzug_land_0_0").set_value("Gemeinde")
    _klicke(at, "Katalogeintrag speichern")
    assert any("Leistung „Hundesteuer“ angelegt" in sichtbar(s.value) for s in at.success)
    katalog = efa.leistungen(schreib_env).set_index("leistung")
    neu_id = int(katalog.at["Hundesteuer", "leistung_id"])
    assert at.selectbox(key="efa_leistung_auswahl").value == neu_id  # the new entry is shown
    assert katalog.at["Hundesteuer", "ebene"] == "Gemeinde"

    # Only the Kreis's Vollzug changes: reported as a change, not as "Keine Änderung".
    at.selectbox(key=f"efa_l_vollzug_kreis_{neu_id}_1").set_value("Kreis")
    _klicke(at, "Katalogeintrag speichern")
    assert any("Gespeichert (Leistung „Hundesteuer“): Abweichung des Kreises geändert"
               in sichtbar(s.value) for s in at.success), [s.value for s in at.success]
    assert efa.leistungen(schreib_env).set_index("leistung").at["Hundesteuer", "ebene"] == "Kreis"
    with Session(schreib_env) as s:
        objekte = set(s.scalars(select(AuditEintrag.objekt).where(
            AuditEintrag.benutzer == "k.admin")))
    assert objekte == {"leistung", "leistung_vollzug"}


def _export_mit(engine, aendern) -> bytes:
    workbook = load_workbook(io.BytesIO(austausch.export_bytes(engine, QUARTAL, "xlsx")))
    sheet = workbook["Anbindungen"]
    kopf = [c.value for c in sheet[1]]
    spalte = {name: kopf.index(name) + 1 for name in kopf}
    aendern(sheet, spalte)
    puffer = io.BytesIO()
    workbook.save(puffer)
    return puffer.getvalue()


def test_admin_imports_the_filled_in_excel_file_all_or_nothing(schreib_env):
    offen = efa.bearbeitbare_anbindungen(schreib_env, QUARTAL, ARTLAND).query(
        "status != 'live'").iloc[0]

    def live(sheet, spalte):
        for r in range(2, sheet.max_row + 1):
            if (sheet.cell(r, spalte["Verwaltungsschlüssel"]).value == ARTLAND
                    and sheet.cell(r, spalte["Leistung"]).value == offen["leistung"]):
                sheet.cell(r, spalte["Status"], "live")
                sheet.cell(r, spalte["Hindernis"], None)

    def fehlerhaft(sheet, spalte):
        sheet.cell(2, spalte["Status"], "fertig")

    at = run_page(benutzer=ADMIN, tab=BEARBEITEN, shell=False)
    at.file_uploader[0].upload("anbindungen.xlsx", _export_mit(schreib_env, fehlerhaft),
                               export.XLSX_MIME).run()
    _klicke(at, "Prüfen und importieren")
    assert any("Import abgebrochen" in sichtbar(e.value) and "„fertig“ ist kein gültiger Status"
               in sichtbar(e.value) for e in at.error), [e.value for e in at.error]

    at.file_uploader[0].upload("anbindungen.xlsx", _export_mit(schreib_env, live),
                               export.XLSX_MIME).run()
    _klicke(at, "Prüfen und importieren")
    assert any("1 Anbindung geändert" in sichtbar(s.value) for s in at.success), \
        [s.value for s in at.success]
    zeile = efa.anbindungen(schreib_env, QUARTAL).query(
        "verwaltung_key == @ARTLAND and leistung_id == @offen.leistung_id").iloc[0]
    assert zeile["status"] == "live"
