"""AppTest of the Verwaltung page (Steckbrief): deep link; on top, in tabs of which only the open
one is rendered: "who can help" (neighbours that are further, their contacts, the EfA chances,
the Nachbarvergleich), history, Software und Kooperationen; below members, contact or gap,
Merkmale, and the Bundesvergleich in a collapsed expander that runs only when opened."""
from kreis_data import queries
from tests.pages.apptest_helpers import all_text, assert_ok, open_page, sichtbar

ARTLAND = "034595401"
TABS = ["Wer kann helfen?", "Verlauf", "Software und Kooperationen"]
BUNDESVERGLEICH = "verwaltung_bundesvergleich"  # the expander's key
SOFTWARE_TABS = ["Produkte je Domäne", "Kooperationen", "Live angebundene EfA-Onlinedienste"]


def open_verwaltung(key: str | None, tab: str | None = None):
    return open_page("pages/verwaltung.py", None if key is None else {"verwaltung": key},
                     {"verwaltung_ansicht": tab} if tab else None)


def bundesvergleich_oeffnen(at):
    """Open the collapsed Bundesvergleich (what the click does: its state, then a rerun)."""
    at.session_state[BUNDESVERGLEICH] = True
    return assert_ok(at.run())


def tab_oeffnen(at, tab: str):
    """Open another tab (what the click does: the tab's state, then a rerun)."""
    at.session_state["verwaltung_ansicht"] = tab
    return assert_ok(at.run())


def test_artland_steckbrief_lists_members_contact_merkmale_and_neighbours(app_env):
    at = open_verwaltung(ARTLAND)
    assert at.selectbox(key="verwaltung").value == ARTLAND
    assert at.query_params["verwaltung"] == ARTLAND
    assert sichtbar(at.header[0].value) == "Steckbrief Artland (Samtgemeinde)"
    assert [t.label for t in at.tabs][:3] == TABS  # whom to call comes first
    mitglieder = at.dataframe[0].value
    assert list(mitglieder["Gemeinde"]) == ["Badbergen", "Menslage", "Nortrup", "Quakenbrück"]
    assert list(mitglieder.columns) == ["Gemeinde", "Bezeichnung", "Einwohner"]
    assert mitglieder["Einwohner"].str.fullmatch(r"\d{1,3}(\.\d{3})*").all()  # 13.442
    text = all_text(at)
    assert "Samtgemeinde mit 4 Mitgliedsgemeinden, zusammen **23.444 Einwohner**" in text
    assert "Digitalisierungsindex: " in text and "Merkmalen bewertet" in text
    assert "in einigen Fachverfahren eingeführt" in text or "in Einführung" in text
    # the open tab "Wer kann helfen?" comes before everything else, then Gebiet and Merkmale
    assert [s.value for s in at.subheader][:4] == [
        "EfA-Onlinedienste, die Nachbarn schon nutzen", "Nachbarvergleich", "Gebiet",
        "Ansprechperson"]
    assert text.index("Wer kann helfen?") < text.index("Samtgemeinde mit 4")
    # neighbour matrix and its table twin name the neighbours
    assert "<th scope='col'>Bersenbrück</th>" in text and "<th scope='col'>Fürstenau</th>" in text
    twin = [t.value for t in at.table if "Bersenbrück" in t.value.columns]
    assert twin and list(twin[0].columns[:1]) == ["Artland"]
    # Quelle of Wer kann helfen, EfA-Anbindungen, Gebiet, Ansprechperson and Merkmale
    assert text.count("Quelle: ") == 5 and "EfA-Anbindungen der Verwaltungen" in text
    assert "befragt: " not in text  # the Bundesvergleich is collapsed and not run


def test_only_the_open_tab_is_rendered(app_env):
    at = open_verwaltung(ARTLAND)
    text = all_text(at)
    assert not at.get("plotly_chart")  # the Verlauf is not drawn
    assert "befragt: " not in text and "Im Kreis (" not in text  # nor the Bundesvergleich
    assert not any(t.label.startswith(s) for t in at.tabs for s in SOFTWARE_TABS)
    assert "Datenpflege des Kreises" not in text

    tab_oeffnen(at, "Verlauf")
    text = all_text(at)
    assert len(at.get("plotly_chart")) == 1
    assert "Nachbarvergleich" not in [s.value for s in at.subheader]
    assert "Wer kann helfen?" not in text and "Ansprechen bei" not in text
    assert "<th scope='col'>Bersenbrück</th>" not in text
    assert text.count("Quelle: ") == 4  # Verlauf, Gebiet, Ansprechperson, Merkmale
    assert sichtbar(at.header[0].value) == "Steckbrief Artland (Samtgemeinde)"  # the top stays


def test_software_und_kooperationen_tab(app_env):
    at = open_verwaltung(ARTLAND, "Software und Kooperationen")
    labels = [t.label.split(" (")[0] for t in at.tabs]  # "… (3. Quartal 2026)"
    assert sorted(labels) == sorted(TABS + SOFTWARE_TABS)  # the three tables, one tab each
    text = all_text(at)
    assert "Datenpflege des Kreises" in text
    assert not at.get("plotly_chart") and "Wer kann helfen?" not in text


def test_bundesvergleich_expander_labels_the_survey(app_env):
    at = open_verwaltung(ARTLAND, "Verlauf")
    exp = [e for e in at.expander if e.label.startswith("Bundesvergleich")]
    assert exp and "befragt: " not in all_text(at)  # collapsed: its content is not run
    text = all_text(bundesvergleich_oeffnen(at))
    assert "historisch (älter als drei Jahre)" in text
    assert "befragt: Landkreise (n = 146)" in text
    assert "andere Verwaltungsebene" in text  # only a Landkreis survey exists for E-Akte
    assert "Im Kreis (21 Verwaltungen" in text
    assert len(at.get("plotly_chart")) == 1 and "Wer kann helfen?" not in text  # the Verlauf


def test_kreisverwaltung_has_no_neighbours_and_is_compared_with_landkreise(app_env):
    at = open_verwaltung("03459")
    text = all_text(at)
    assert sichtbar(at.header[0].value) == "Steckbrief Kreisverwaltung Landkreis Osnabrück"
    assert "Zuständig für den ganzen Kreis" in text
    assert "keine Fläche auf der Gemeindekarte" in text
    text = all_text(bundesvergleich_oeffnen(at))
    assert "andere Verwaltungsebene" not in text and "Im Kreis (" not in text
    assert "Bundesweit: Landkreise" in text


def test_missing_contact_is_a_visible_gap(app_env, demo_engine):
    verwaltungen = queries.verwaltungen(demo_engine)
    ohne = verwaltungen[verwaltungen["kontakt"].isna()]["key"]
    assert len(ohne) >= 1
    at = open_verwaltung(ohne.iloc[0])
    assert any("Keine Ansprechperson benannt" in w.value for w in at.warning)


def test_selecting_another_verwaltung_updates_the_url_and_keeps_the_tab(app_env):
    at = open_verwaltung("<img src=x>", "Verlauf")
    first = at.selectbox(key="verwaltung").value
    assert first == "03459"  # Kreisverwaltung first in the list; unknown keys fall back
    at.selectbox(key="verwaltung").select("034590024").run()
    assert not at.exception
    assert at.query_params["verwaltung"] == "034590024"
    assert sichtbar(at.header[0].value) == "Steckbrief Melle (Stadt)"
    assert at.session_state["verwaltung_ansicht"] == "Verlauf"
    assert len(at.get("plotly_chart")) == 1


def test_steckbrief_lists_the_efa_chances_with_neighbour_and_contact(app_env):
    at = open_verwaltung(ARTLAND)
    text = "\n".join(m.value for m in at.markdown)
    assert "Ansprechen bei **Bersenbrück** (Nachbar)" in text
