"""AppTest of the Karte page: deep links, table twin, summary, Quelle/Stand, click -> profile.

AppTest cannot drive the map component; the click is simulated by putting the component's
value after a click on Melle where Streamlit puts it (session_state[KLICK_KEY])."""
from components.karte import KLICK_KEY
from tests.pages.apptest_helpers import all_text, open_page

KLICK_MELLE = {"verwaltung": "034590024", "ags": "03459024", "n": 1}


TABELLE = {"karte_ansicht": "Tabelle zur Karte"}


def open_karte(query: dict | None = None, state: dict | None = None):
    return open_page("pages/karte.py", query, state)


def test_deep_link_opens_e_akte_with_legend_sources_and_the_table_in_its_tab(app_env):
    at = open_karte({"merkmal": "e_akte", "quartal": "2026-Q3"})
    assert at.title[0].value == "Karte"
    assert at.selectbox(key="merkmal").value == "e_akte"
    assert at.query_params["merkmal"] == "e_akte"
    assert [t.label for t in at.tabs] == ["Karte", "Tabelle zur Karte"]
    text = all_text(at)
    assert "E-Akte** der Verwaltungen im 3. Quartal 2026" in text
    assert "3 – in einigen Fachverfahren eingeführt" in text  # legend with labels
    assert "keine Angabe" in text
    assert "Verwaltungsgrenzen: © GeoBasis-DE / BKG (2016)" in text
    assert "Klicken Sie auf eine Gemeinde" in text
    assert len(at.dataframe) == 0  # the table tab is closed: nothing of it is sent

    at = open_karte({"merkmal": "e_akte", "quartal": "2026-Q3"}, TABELLE)
    text = all_text(at)
    assert "von 21 Verwaltungen haben bei E-Akte mindestens Stufe 3" in text
    assert text.count("(Demo-Daten, fiktiv) · Stand: ") >= 1
    assert len(at.get("download_button")) == 2
    tabelle = at.dataframe[0].value
    assert len(tabelle) == 34
    assert list(tabelle.columns) == ["Gemeinde", "Verwaltung", "Einwohner", "Stufe", "Wert",
                                     "Stand", "Quelle"]
    artland = tabelle[tabelle["Verwaltung"] == "Artland"]
    assert len(artland) == 4 and artland["Stufe"].nunique() == 1


def test_index_layer_by_link_and_switching_merkmal_updates_the_url(app_env):
    at = open_karte({"merkmal": "index"}, TABELLE)
    assert at.selectbox(key="merkmal").value == "index"
    assert "Digitalisierungsindex der" in all_text(at)
    assert at.dataframe[0].value["Stufe"].str.contains(" von 100 ").all()
    at.selectbox(key="merkmal").select("strategie").run()
    assert not at.exception
    assert at.query_params["merkmal"] == "strategie"
    assert "bei Digitalisierungsstrategie mindestens Stufe 3" in all_text(at)


def test_unknown_merkmal_in_the_url_falls_back_to_e_akte(app_env):
    at = open_karte({"merkmal": "<script>"})
    assert at.selectbox(key="merkmal").value == "e_akte"
    assert at.query_params["merkmal"] == "e_akte"


def test_a_click_on_melle_shows_its_profile_with_link_to_the_steckbrief(app_env):
    at = open_karte({"merkmal": "online_portal"}, {KLICK_KEY: KLICK_MELLE})
    text = all_text(at)
    assert "#### Melle" in text
    assert "Stadt · 46.588 Einwohner" in text
    assert "Online-Portal:" in text
    assert "Klicken Sie auf eine Gemeinde" not in text
