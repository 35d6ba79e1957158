"""AppTest of the Kooperationen page: quick view "Meine Verwaltung", matrix with detail and
quadrant texts, warnings, network, Bundesvergleich, exports, and the create / edit forms with
their German validation messages (on a private copy of the demo database)."""
from __future__ import annotations

import json

from sqlalchemy import func, select
from sqlalchemy.orm import Session
from streamlit.testing.v1 import AppTest

from components import anmeldung
from kreis_data.database import make_engine
from kreis_data.konten import regeln
from kreis_data.kooperationen import lesen, schreiben
from kreis_data.model import AuditEintrag, Kooperation
from tests.pages.apptest_helpers import all_text as text
from tests.pages.apptest_helpers import klicke, open_page, sichtbar

ARTLAND, GLANDORF, BAD_LAER = "034595401", "034590034", "034590005"
REDAKTION_GLANDORF = regeln.Benutzer("r.glandorf", regeln.REDAKTION, frozenset({GLANDORF}))
ADMIN = regeln.Benutzer("k.admin", regeln.ADMIN)
BEARBEITEN_KNOEPFE = {"Kooperation anlegen", "Änderungen speichern", "Kooperation beenden"}


def run_page(tab: str | None = None, query: dict | None = None,
             benutzer: regeln.Benutzer | None = None, *, shell: bool = True) -> AppTest:
    """The page in the 3rd quarter of 2026 on the view `tab`; `benutzer`: signed in as this
    person. shell=False: the page alone – the form tests (through app.py the st.form submit does
    not reach the page in AppTest) and the link fallback."""
    quartal = {"quartal": "2026-Q3"}  # alone: no sidebar selector reading the URL
    session = {**({"koop_ansicht": tab} if tab else {}), **({} if shell else quartal)}
    return open_page("pages/kooperationen.py", {**(quartal if shell else {}), **(query or {})},
                     session, benutzer, shell=shell)


def matrix_namen(at: AppTest) -> set[str]:
    """Names of the Kooperationen drawn in the matrix (from the points' customdata)."""
    figur = json.loads(at.get("plotly_chart")[0].proto.spec)
    return {punkt[1] for trace in figur["data"] for punkt in trace.get("customdata", [])}


def zaehle(url: str) -> tuple[int, int]:
    engine = make_engine(url)
    with Session(engine) as session:
        result = (session.scalar(select(func.count(Kooperation.id))),
                  session.scalar(select(func.count(AuditEintrag.id))))
    engine.dispose()
    return result


def test_meine_verwaltung_answers_in_two_steps(app_env):
    at = run_page(query={"verwaltung": ARTLAND})
    assert at.title[0].value == "Kooperationen"
    assert [t.label for t in at.tabs][0] == "Meine Verwaltung"
    assert at.selectbox(key="verwaltung").value == ARTLAND
    inhalt = text(at)
    assert "Artland ist in diesen Formaten" in inhalt
    eigene = at.dataframe[0].value
    assert "Arbeitskreis Digitalisierung Nordkreis" in set(eigene["Kooperation"])
    assert "Ihr Nachbar **Fürstenau** ist zusätzlich in: **Zentrale Vergabestelle beim " \
           "Landkreis**" in inhalt
    assert "Quelle: Kooperationsregister" in inhalt and "Stand:" in inhalt

    at.selectbox(key="verwaltung").set_value(GLANDORF).run()
    assert "Glandorf ist im 3. Quartal 2026 in keinem laufenden oder geplanten" in text(at)


def test_matrix_shows_every_format_and_the_detail_with_quadrant_texts(app_env):
    at = run_page("Matrix und Detail")
    namen = matrix_namen(at)
    assert len(namen) == 16
    assert {"Digitallabor Wallenhorst-Belm", "IT-Zweckverband Osnabrücker Land",
            "Hackathon Offene Daten Südkreis 2025"} <= namen
    inhalt = text(at)
    assert "Bewegungen zwischen den Quadranten" in inhalt
    bewegungen = at.dataframe[1].value
    assert {"Verstetigung", "Institutionalisierung"} <= set(bewegungen["Art"])

    at.selectbox(key="koop_auswahl").set_value(
        lesen.register(make_engine(app_env), "2026-Q3").set_index("name").at[
            "Förderprojekt Smarte Dörfer Artland", "id"]).run()
    assert not at.exception
    inhalt = text(at)
    assert "Förderprojekt Smarte Dörfer Artland" in inhalt
    assert "Quadrant Projekt: verbindlich und temporär" in inhalt
    assert "nach Projektende bleibt nichts" in inhalt  # Risiken of the quadrant
    assert "Kreisverwaltung Landkreis Osnabrück (nicht auf der Karte)" in inhalt


def test_matrix_filters_reduce_the_formats(app_env):
    at = run_page("Matrix und Detail")
    at.multiselect(key="koop_f_feld").set_value(["Gesundheit"]).run()
    assert "1 von 16 Kooperationen" in text(at)
    tabelle = at.dataframe[0].value
    assert list(tabelle["Kooperation"]) == ["Konferenz Gesundheitsregion digital 2025"]


def test_hinweise_list_every_rule_with_reason(app_env):
    at = run_page("Hinweise")
    inhalt = text(at)
    for erwartet in ("Ende ohne Anschluss (1)", "Doppelstruktur wahrscheinlich (1)",
                     "Federführung ohne Stellvertretung (1)", "Verwaltung in keinem Format (1)",
                     "Glandorf ist im 3. Quartal 2026 in keinem laufenden",
                     "Jaccard"):
        assert erwartet in inhalt, erwartet


def test_network_has_table_twin_and_flags_verwaltungen_without_format(app_env):
    at = run_page("Netzwerk")
    inhalt = text(at)
    assert "In keinem laufenden Format: **Glandorf**" in inhalt
    assert "am engsten" in inhalt
    assert "40 davon in mindestens 3 (gezeigt)" in inhalt  # default: close ties only
    tabelle = at.dataframe[0].value  # the table twin lists every pair
    assert len(tabelle) == 209 and tabelle["gemeinsame Formate"].max() == 4
    linien = json.loads(at.get("plotly_chart")[0].proto.spec)["data"]
    assert {t["name"] for t in linien if t.get("mode") == "lines"} == {
        "3 gemeinsame Formate", "4 gemeinsame Formate"}
    at.slider(key="koop_netz_min").set_value(1).run()
    assert "(gezeigt)" not in text(at)
    linien = json.loads(at.get("plotly_chart")[0].proto.spec)["data"]
    assert "1 gemeinsames Format" in {t["name"] for t in linien if t.get("mode") == "lines"}


def test_bundesvergleich_beside_the_kreis_share(app_env):
    at = run_page("Bundesvergleich")
    metriken = {m.label: m.value for m in at.metric}
    assert metriken["Bundesvergleich: Städte und Gemeinden"] == "50 %"
    assert metriken["Bundesvergleich: Landkreise"] == "33 %"
    assert any(v.endswith("%)") for v in metriken.values())
    inhalt = text(at)
    assert "Prognos / Behörden Spiegel" in inhalt and "Erhebung: Frühjahr 2022" in inhalt
    assert "befragt: Städte und Gemeinden" in inhalt and "historisch" in inhalt


def test_register_offers_csv_and_excel_with_quelle(app_env):
    at = run_page("Register")
    assert len(at.dataframe[0].value) == 16
    assert [sichtbar(b.label) for b in at.get("download_button")] == [
        "„Kooperationen 3. Quartal 2026“ als CSV", "„Kooperationen 3. Quartal 2026“ als Excel"]
    assert "Quelle: Kooperationsregister des Kreises" in text(at)


def _formular(at: AppTest, **werte) -> AppTest:
    at.text_input(key="koop_neu_0_name").input(werte.get("name", ""))
    at.selectbox(key="koop_neu_0_format").set_value(werte.get("format", "Gemeinsames Projekt"))
    at.multiselect(key="koop_neu_0_handlungsfelder").set_value(werte.get("felder", ["Tourismus"]))
    at.multiselect(key="koop_neu_0_mitglieder").set_value(werte.get("mitglieder", []))
    at.selectbox(key="koop_neu_0_federfuehrung").set_value(werte.get("federfuehrung"))
    return klicke(at, "Kooperation anlegen")


def test_create_refuses_one_member_then_saves_a_valid_kooperation(eigene_db):
    at = run_page("Anlegen und bearbeiten", benutzer=REDAKTION_GLANDORF, shell=False)
    assert at.selectbox(key="koop_neu_0_federfuehrung").options == ["Glandorf"]
    vorher = zaehle(eigene_db)
    at = _formular(at, name="Radwege-App Südkreis", mitglieder=[GLANDORF],
                   federfuehrung=GLANDORF)
    assert not at.exception
    fehler = "\n".join(e.value for e in at.error)
    assert "Nicht gespeichert" in fehler
    assert "Mitglieder: Eine Kooperation braucht mindestens zwei Mitglieder (angegeben: 1)" \
        in fehler.replace("\\", "")
    assert zaehle(eigene_db) == vorher

    at = _formular(at, name="Radwege-App Südkreis", mitglieder=[GLANDORF, BAD_LAER],
                   federfuehrung=GLANDORF)
    assert not at.exception, [e.value for e in at.exception]
    assert any("Kooperation „Radwege-App Südkreis“ angelegt" in sichtbar(s.value)
               for s in at.success)
    assert zaehle(eigene_db)[0] == vorher[0] + 1
    with Session(make_engine(eigene_db)) as session:
        assert set(session.scalars(select(AuditEintrag.benutzer).where(
            AuditEintrag.id > vorher[1]))) == {"r.glandorf"}
    register = lesen.register(make_engine(eigene_db), "2026-Q3").set_index("name")
    assert register.at["Radwege-App Südkreis", "quadrant"] == "verbindlich · temporär"

    # the page switches to the matrix with the new Kooperation selected for the detail
    assert at.session_state["koop_ansicht"] == "Matrix und Detail"
    assert "Radwege-App Südkreis" in matrix_namen(at)
    assert "Radwege-App Südkreis" in [sichtbar(s.value) for s in at.subheader]
    assert at.selectbox(key="koop_auswahl").value == register.at["Radwege-App Südkreis", "id"]


def test_edit_with_a_stale_version_is_refused(eigene_db):
    engine = make_engine(eigene_db)
    kooperation_id = int(lesen.register(engine, "2026-Q3").set_index("name").at[
        "Digitallabor Wallenhorst-Belm", "id"])
    at = run_page("Anlegen und bearbeiten", benutzer=ADMIN, shell=False)
    at.segmented_control(key="koop_aktion").set_value("Bearbeiten").run()
    at.selectbox(key="koop_bearbeiten_id").set_value(kooperation_id).run()
    assert not at.exception
    # someone else saves in between
    schreiben.update_kooperation(engine, regeln.Benutzer("Dora Dazwischen", regeln.ADMIN),
                                 kooperation_id, {"ansprechperson": "Dora Dazwischen"},
                                 version=1)
    version = lesen.kooperation(engine, kooperation_id)["version"]
    formular = f"koop_edit_{kooperation_id}_0"
    at.text_input(key=f"{formular}_ansprechperson").input("Emil Eilig")
    klicke(at, "Änderungen speichern")
    assert not at.exception
    konflikt = "\n".join(w.value for w in at.warning).replace("\\", "")
    assert "wurde inzwischen von Dora Dazwischen am" in konflikt  # formular: stale = warning
    assert "Neu laden" in {b.label for b in at.button}
    werte = lesen.kooperation(engine, kooperation_id)
    assert werte["ansprechperson"] == "Dora Dazwischen" and werte["version"] == version
    engine.dispose()


def test_without_login_no_edit_form_but_the_login_hint(app_env):
    at = run_page("Anlegen und bearbeiten", shell=False)
    assert not BEARBEITEN_KNOEPFE & {b.label for b in at.button}
    assert not at.text_input and not at.get("segmented_control")
    assert any(anmeldung.ANMELDE_HINWEIS in i.value for i in at.info)
    # run on its own there is no navigation for the link; in the app it is a page link
    assert "Anmelden können Sie auf der Seite **Datenpflege**." in text(at)


def test_redaktion_sees_only_kooperationen_under_its_federfuehrung(app_env):
    artland = regeln.Benutzer("r.artland", regeln.REDAKTION, frozenset({ARTLAND}))
    at = run_page("Anlegen und bearbeiten", benutzer=artland)
    assert at.selectbox(key="koop_neu_0_federfuehrung").options == ["Artland"]
    at.segmented_control(key="koop_aktion").set_value("Bearbeiten").run()
    register = lesen.register(make_engine(app_env), "2026-Q3")
    eigene = register[register["federfuehrung_key"] == ARTLAND]
    assert len(eigene) == 2
    assert at.selectbox(key="koop_bearbeiten_id").options == list(eigene["name"])
    at.segmented_control(key="koop_aktion").set_value("Beenden").run()
    assert at.selectbox(key="koop_ende_id").options == list(eigene["name"])

    at = run_page("Anlegen und bearbeiten", benutzer=regeln.Benutzer("leser", regeln.LESEN))
    assert not BEARBEITEN_KNOEPFE & {b.label for b in at.button}
    assert any("Ihre Rolle erlaubt keine Änderungen an Kooperationen" in i.value
               for i in at.info)


def test_presentation_mode_shows_no_edit_controls(app_env):
    at = run_page("Anlegen und bearbeiten", query={"modus": "praesentation"}, benutzer=ADMIN)
    assert not BEARBEITEN_KNOEPFE & {b.label for b in at.button}
    assert not at.text_input and not at.get("segmented_control")
    assert any("Präsentationsmodus" in i.value for i in at.info)
