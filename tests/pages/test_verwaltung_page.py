"""AppTest of the Verwaltung page (Steckbrief): deep link, members, contact or gap, Merkmale,
history, neighbours with "who can help", Bundesvergleich labels."""
from kreis_data import queries
from tests.pages.apptest_helpers import all_text, open_page

ARTLAND = "034595401"


def open_verwaltung(key: str | None):
    return open_page("pages/verwaltung.py", None if key is None else {"verwaltung": key})


def test_artland_steckbrief_lists_members_contact_merkmale_and_neighbours(app_env):
    at = open_verwaltung(ARTLAND)
    assert at.selectbox(key="verwaltung").value == ARTLAND
    assert at.query_params["verwaltung"] == ARTLAND
    assert at.header[0].value == "Steckbrief Artland (Samtgemeinde)"
    mitglieder = at.dataframe[0].value
    assert list(mitglieder["Gemeinde"]) == ["Badbergen", "Menslage", "Nortrup", "Quakenbrück"]
    assert list(mitglieder.columns) == ["Gemeinde", "Bezeichnung", "Einwohner"]
    assert mitglieder["Einwohner"].str.fullmatch(r"\d{1,3}(\.\d{3})*").all()  # 13.442
    text = all_text(at)
    assert "Samtgemeinde mit 4 Mitgliedsgemeinden, zusammen **23.444 Einwohner**" in text
    assert "Digitalisierungsindex: " in text and "Merkmalen bewertet" in text
    assert "in einigen Fachverfahren eingeführt" in text or "in Einführung" in text
    # neighbour matrix and its table twin name the neighbours
    assert "<th scope='col'>Bersenbrück</th>" in text and "<th scope='col'>Fürstenau</th>" in text
    twin = [d.value for d in at.dataframe if "Bersenbrück" in d.value.columns]
    assert twin and list(twin[0].columns[:1]) == ["Artland"]
    assert "Wer kann helfen?" in text
    assert len(at.get("plotly_chart")) == 1
    assert text.count("Quelle: ") >= 5 and "historisch (älter als drei Jahre)" in text
    assert "befragt: Landkreise (n = 146)" in text
    assert "andere Verwaltungsebene" in text  # only a Landkreis survey exists for E-Akte
    assert "Im Kreis (21 Verwaltungen" in text


def test_kreisverwaltung_has_no_neighbours_and_is_compared_with_landkreise(app_env):
    at = open_verwaltung("03459")
    text = all_text(at)
    assert at.header[0].value == "Steckbrief Kreisverwaltung Landkreis Osnabrück"
    assert "Zuständig für den ganzen Kreis" in text
    assert "keine Fläche auf der Gemeindekarte" in text
    assert "andere Verwaltungsebene" not in text and "Im Kreis (" not in text
    assert "Bundesweit: Landkreise" in text


def test_missing_contact_is_a_visible_gap(app_env, demo_engine):
    verwaltungen = queries.verwaltungen(demo_engine)
    ohne = verwaltungen[verwaltungen["kontakt"].isna()]["key"]
    assert len(ohne) >= 1
    at = open_verwaltung(ohne.iloc[0])
    assert any("Keine Ansprechperson benannt" in w.value for w in at.warning)


def test_selecting_another_verwaltung_updates_the_url_and_unknown_keys_fall_back(app_env):
    at = open_verwaltung("<img src=x>")
    first = at.selectbox(key="verwaltung").value
    assert first == "03459"  # Kreisverwaltung first in the list
    at.selectbox(key="verwaltung").select("034590024").run()
    assert not at.exception
    assert at.query_params["verwaltung"] == "034590024"
    assert at.header[0].value == "Steckbrief Melle (Stadt)"


def test_steckbrief_lists_the_efa_chances_with_neighbour_and_contact(app_env):
    at = open_verwaltung(ARTLAND)
    text = "\n".join(m.value for m in at.markdown)
    assert "Ansprechen bei **Bersenbrück** (Nachbar)" in text
