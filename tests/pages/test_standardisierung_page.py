"""AppTest of the Standardisierung page (through app.py; the page needs no Quartal): the tabs
Produkte, Wer nutzt was?, Standards, Bundesvergleich and Daten pflegen – only the open one is
rendered."""
from __future__ import annotations

import re

from sqlalchemy import select
from sqlalchemy.orm import Session

from components import anmeldung
from components.hochladen import ergebnis_text
from kreis_data.database import make_engine
from kreis_data.konten import regeln
from kreis_data.model import AuditEintrag, ProduktEinsatz, StandardUnterstuetzung
from kreis_data.software.austausch import ImportResult
from kreis_data.software.schreiben import set_produkt
from tests.pages.apptest_helpers import all_text as text
from tests.pages.apptest_helpers import klicke, open_page, sichtbar

PAGE = "pages/standardisierung.py"
MELLE, BELM = "034590024", "034590008"
REDAKTION_MELLE = regeln.Benutzer("r.melle", regeln.REDAKTION, frozenset({MELLE}))
ADMIN = regeln.Benutzer("k.admin", regeln.ADMIN)
BEARBEITEN_KNOEPFE = {"Produkt speichern", "Angabe speichern", "Import starten"}
TABS = ["Produkte", "Wer nutzt was?", "Standards", "Bundesvergleich", "Daten pflegen"]
TAB = "standardisierung_ansicht"  # the key of the page's st.tabs
PFLEGEN = TABS[-1]


def run_page(query: dict | None = None, benutzer: regeln.Benutzer | None = None, *,
             tab: str | None = None, shell: bool = True):
    """The page on the tab `tab` (default: the first); `benutzer`: signed in as this person.
    shell=False: the page alone – the edit tests (through app.py the form submit does not reach
    the page in AppTest) and the link fallback."""
    return open_page(PAGE, query, {TAB: tab} if tab else None, login=benutzer, shell=shell)


def tab_oeffnen(at, tab: str):
    """Open another tab of the running page (as a click on it does: a rerun)."""
    at.session_state[TAB] = tab
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def feld(elemente, name: str):
    """The form widget `name` ("edit_produkt"): its key ends with the form's round, which
    changes after every save and when another Verwaltung, Domäne or Standard is chosen."""
    return next(e for e in elemente if e.key and re.fullmatch(rf"{name}_\d+", e.key))


def produkt_einsatz(url: str, key: str, domaene: str) -> tuple[str, int]:
    with Session(make_engine(url)) as session:
        einsatz = session.scalar(select(ProduktEinsatz).where(
            ProduktEinsatz.verwaltung_key == key, ProduktEinsatz.domaene == domaene))
        return einsatz.produkt.name, einsatz.version


def test_page_shows_products_clusters_standards_and_the_national_reference(app_env):
    at = run_page()
    assert [t.label for t in at.tabs] == TABS
    assert [m.label for m in at.metric] == ["Produkte im Kreis", "Vereinheitlichungsgrad",
                                            "Insellösungen", "Konsolidierungs-Cluster"]
    assert "," in at.metric[1].value  # German decimal comma, e.g. "0,15"
    inhalt = text(at)
    assert "Produkte: E-Akte/DMS" in inhalt
    assert "Die Kreisverwaltung nutzt" in inhalt and "(nicht mitgezählt)" in inhalt
    assert "– nur " in inhalt  # an Insellösung with its only user
    assert "Vorschlag: **gemeinsam" in inhalt
    assert inhalt.count("Quelle:") >= 2 and "Stand:" in inhalt
    produkte = at.dataframe[0].value
    assert list(produkte.columns[:4]) == ["Produkt", "Hersteller", "Verwaltungen", "Einwohner"]
    assert all("." in e or len(e) <= 3 for e in produkte["Einwohner"])  # 174.450
    assert len(at.get("plotly_chart")) == 1  # Verwaltungen je Produkt
    assert len(at.get("download_button")) >= 2  # products, clusters

    tab_oeffnen(at, "Standards")
    inhalt = text(at)
    assert "Ohne Unterstützung" not in inhalt and "Einwohnern ohne Unterstützung" in inhalt
    assert inhalt.count("Quelle:") >= 2
    assert len(at.get("plotly_chart")) == 1  # Anteil der Verwaltungen mit Unterstützung
    assert len(at.get("download_button")) >= 6  # matrix, shares, gaps (CSV and Excel each)

    tab_oeffnen(at, "Bundesvergleich")
    assert ("Umfrage unter Landkreisen, Ende 2017 (Deutscher Landkreistag / Fraunhofer IESE), "
            "n = 146") in text(at)
    bereiche = [sichtbar(b) for b in at.table[0].value.index]  # st.table cells are escaped
    assert bereiche == ["E-Akte", "Scannen", "Archivierung", "E-Rechnung"]


def test_only_the_open_tab_is_rendered(app_env):
    """Each run sends only the open tab: no chart, table or map of a closed tab."""
    at = run_page(benutzer=ADMIN)
    assert at.metric and len(at.get("plotly_chart")) == 1 and len(at.dataframe) == 1
    assert not at.table and not any(s.key and s.key.startswith("karte_produkt_")
                                    for s in at.selectbox)
    assert not BEARBEITEN_KNOEPFE & {b.label for b in at.button}

    at = run_page(benutzer=ADMIN, tab="Wer nutzt was?")
    assert at.session_state[TAB] == "Wer nutzt was?"
    assert at.selectbox(key="karte_produkt_E-Akte/DMS")
    assert not at.metric and not at.get("plotly_chart") and not at.table
    assert len(at.dataframe) == 1  # the map's table twin

    at = run_page(benutzer=ADMIN, tab="Bundesvergleich")
    assert len(at.table) == 1
    assert not at.metric and not at.get("plotly_chart") and not at.dataframe

    at = run_page(benutzer=ADMIN, tab=PFLEGEN)
    assert BEARBEITEN_KNOEPFE & {b.label for b in at.button}
    assert not at.metric and not at.get("plotly_chart") and not at.dataframe and not at.table
    assert at.selectbox(key="domaene").value == "E-Akte/DMS"  # above the tabs


def test_gaps_are_listed_by_affected_einwohner(app_env):
    at = run_page(tab="Standards")
    zeilen = [z for m in at.markdown for z in m.value.splitlines()
              if "Einwohnern ohne Unterstützung" in z]
    einwohner = [int(z.split(" mit ")[1].split(" Einwohnern")[0].replace(".", ""))
                 for z in zeilen]
    assert len(einwohner) >= 2 and einwohner == sorted(einwohner, reverse=True)


def test_domaene_deep_link_and_map_table_twin(app_env):
    at = run_page({"domaene": "Ratsinformationssystem"})
    assert "Produkte: Ratsinformationssystem" in text(at)
    tab_oeffnen(at, "Wer nutzt was?")
    assert at.selectbox(key="domaene").value == "Ratsinformationssystem"
    produkt = at.selectbox(key="karte_produkt_Ratsinformationssystem").value
    zwilling = next(d.value for d in at.dataframe
                    if list(d.value.columns) == ["Verwaltung", "Gemeinden", "Einwohner",
                                                 "Status"])
    nutzer = zwilling[zwilling["Status"] == f"nutzt {produkt}"]
    assert len(nutzer) >= 2
    assert "Verwaltungen" in text(at) and f": nutzt {produkt}." in text(at)


def test_edit_product_with_a_new_name_writes_catalog_entry_and_audit(eigene_db):
    at = run_page(benutzer=REDAKTION_MELLE, tab=PFLEGEN, shell=False)
    assert at.selectbox(key="verwaltung").options == ["Melle"]  # only its own
    feld(at.selectbox, "edit_produkt").set_value("– neues Produkt eingeben –")
    feld(at.text_input, "edit_produkt_neu").input("Melle-DMS 2027")
    klicke(at, "Produkt speichern")
    assert not at.exception, [e.value for e in at.exception]
    erfolg = [sichtbar(s.value) for s in at.success]
    assert erfolg == ["Gespeichert: Melle nutzt in E-Akte/DMS jetzt Melle-DMS 2027 – im "
                      "Änderungsprotokoll vermerkt. „Melle-DMS 2027“ wurde in den "
                      "Produktkatalog aufgenommen."]
    assert produkt_einsatz(eigene_db, MELLE, "E-Akte/DMS")[0] == "Melle-DMS 2027"
    with Session(make_engine(eigene_db)) as session:
        letzte = session.scalars(select(AuditEintrag).order_by(AuditEintrag.id.desc())
                                 .limit(2)).all()
    assert {(e.objekt, e.benutzer) for e in letzte} == {("produkt_einsatz", "r.melle"),
                                                       ("produkt", "r.melle")}
    assert at.session_state[TAB] == PFLEGEN  # the open tab survives the save's rerun
    tab_oeffnen(at, "Produkte")
    assert "Melle-DMS 2027" in at.dataframe[0].value["Produkt"].tolist()  # page shows it


def test_a_write_by_someone_else_in_between_is_refused(eigene_db):
    at = run_page(benutzer=ADMIN, tab=PFLEGEN, shell=False)
    at.selectbox(key="verwaltung").set_value(MELLE).run()
    vorher, version = produkt_einsatz(eigene_db, MELLE, "E-Akte/DMS")
    anderes = "regisafe" if vorher != "regisafe" else "d.velop"
    set_produkt(make_engine(eigene_db), regeln.Benutzer("Kollegin", regeln.ADMIN), MELLE,
                "E-Akte/DMS", anderes, version=version)
    auswahl = feld(at.selectbox, "edit_produkt")
    assert auswahl.value == vorher  # the form starts with the current product
    auswahl.set_value("enaio")
    klicke(at, "Produkt speichern")
    warnung = [sichtbar(w.value) for w in at.warning]
    assert len(warnung) == 1 and "inzwischen von jemand anderem geändert" in warnung[0]
    assert "neu laden" in warnung[0] and "Neu laden" in [b.label for b in at.button]
    assert produkt_einsatz(eigene_db, MELLE, "E-Akte/DMS") == (anderes, version + 1)
    assert not at.success and not at.error
    klicke(at, "Neu laden")  # the form shows the stored product and saves from there
    assert feld(at.selectbox, "edit_produkt").value == anderes
    feld(at.selectbox, "edit_produkt").set_value("enaio")
    klicke(at, "Produkt speichern")
    assert [sichtbar(s.value) for s in at.success] == [
        "Gespeichert: Melle nutzt in E-Akte/DMS jetzt enaio – im Änderungsprotokoll vermerkt."]
    assert produkt_einsatz(eigene_db, MELLE, "E-Akte/DMS") == ("enaio", version + 2)


def test_another_verwaltung_and_back_starts_from_the_stored_entry(eigene_db):
    """The version a form remembers belongs to one entry: after choosing another Verwaltung and
    coming back, a change made in between is shown, not reported as a conflict."""
    at = run_page(benutzer=ADMIN, tab=PFLEGEN, shell=False)
    at.selectbox(key="verwaltung").set_value(MELLE).run()
    at.selectbox(key="verwaltung").set_value(BELM).run()
    vorher, version = produkt_einsatz(eigene_db, MELLE, "E-Akte/DMS")
    anderes = "regisafe" if vorher != "regisafe" else "d.velop"
    set_produkt(make_engine(eigene_db), regeln.Benutzer("Kollegin", regeln.ADMIN), MELLE,
                "E-Akte/DMS", anderes, version=version)
    at.selectbox(key="verwaltung").set_value(MELLE).run()
    assert feld(at.selectbox, "edit_produkt").value == anderes
    feld(at.selectbox, "edit_produkt").set_value("enaio")
    klicke(at, "Produkt speichern")
    assert not at.warning and len(at.success) == 1
    assert produkt_einsatz(eigene_db, MELLE, "E-Akte/DMS") == ("enaio", version + 2)


def test_edit_standard_support(eigene_db):
    at = run_page(benutzer=REDAKTION_MELLE, tab=PFLEGEN, shell=False)
    at.selectbox(key="edit_standard").set_value("XBau").run()
    with Session(make_engine(eigene_db)) as session:
        alt = session.scalar(select(StandardUnterstuetzung.wert).where(
            StandardUnterstuetzung.verwaltung_key == MELLE,
            StandardUnterstuetzung.standard == "XBau"))
    radio = feld(at.radio, "edit_wert")
    assert radio.value == alt  # the form starts with the stored value
    neu = "ja" if alt != "ja" else "nein"
    radio.set_value(neu)
    klicke(at, "Angabe speichern")
    assert not at.exception, [e.value for e in at.exception]
    assert [sichtbar(s.value) for s in at.success] == [
        f"Gespeichert: Melle – XBau: {neu} – im Änderungsprotokoll vermerkt."]
    with Session(make_engine(eigene_db)) as session:
        assert session.scalar(select(StandardUnterstuetzung.wert).where(
            StandardUnterstuetzung.verwaltung_key == MELLE,
            StandardUnterstuetzung.standard == "XBau")) == neu


def test_without_login_no_edit_form_but_the_login_hint(app_env):
    at = run_page(tab=PFLEGEN, shell=False)
    assert not BEARBEITEN_KNOEPFE & {b.label for b in at.button}
    assert not at.get("file_uploader") and not at.radio
    assert not any(s.key in ("verwaltung", "edit_standard") for s in at.selectbox)
    assert [t.label for t in at.tabs][-1] == PFLEGEN
    assert any(anmeldung.ANMELDE_HINWEIS in i.value for i in at.info)
    # run on its own there is no navigation for the link; in the app it is a page link
    assert "Anmelden können Sie auf der Seite **Datenpflege**." in text(at)


def test_redaktion_edits_only_its_own_verwaltung_and_imports_nothing(app_env):
    at = run_page(benutzer=regeln.Benutzer("r.belm", regeln.REDAKTION, frozenset({BELM})),
                  tab=PFLEGEN)
    assert at.selectbox(key="verwaltung").options == ["Belm"]
    assert not at.get("file_uploader")
    assert "Den Excel-Import führt die Kreis-Administration aus." in text(at)
    at = run_page(benutzer=regeln.Benutzer("leser", regeln.LESEN), tab=PFLEGEN)
    assert not BEARBEITEN_KNOEPFE & {b.label for b in at.button}
    assert any("Ihre Rolle erlaubt keine Änderungen" in i.value for i in at.info)
    at = run_page(benutzer=ADMIN, tab=PFLEGEN)
    assert len(at.selectbox(key="verwaltung").options) == 22
    assert at.get("file_uploader")


def test_presentation_mode_shows_no_edit_controls(app_env):
    # even with the edit tab open before: it is gone, the first tab is shown
    at = run_page({"modus": "praesentation"}, benutzer=ADMIN, tab=PFLEGEN)
    assert [t.label for t in at.tabs] == TABS[:-1]
    assert at.metric  # the products instead
    assert not BEARBEITEN_KNOEPFE & {b.label for b in at.button}
    assert not at.get("file_uploader") and not at.radio


def test_import_result_shows_the_new_catalog_names():
    ergebnis = ImportResult("produkte.xlsx", gelesen=2, hinweise=[
        "Produkte, Zeile 3: „Eigenbau-DMS“ ist neu und wird in den Katalog (E-Akte/DMS) "
        "aufgenommen."])
    art, inhalt = ergebnis_text(ergebnis)
    assert art == "success"
    assert "„Eigenbau-DMS“ ist neu und wird in den Katalog" in sichtbar(inhalt)
