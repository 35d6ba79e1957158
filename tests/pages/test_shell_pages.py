"""AppTest smoke tests of the app shell, the Lagebild and the Methodik page."""
from tests.pages.apptest_helpers import all_text, open_page


def test_lagebild_shows_key_figures_with_stand_and_demo_banner(app_env):
    at = open_page("pages/lagebild.py")
    assert "Lagebild Landkreis Osnabrück" in at.title[0].value
    assert any("Demo-Daten (fiktiv)" in w.value for w in at.warning)
    labels = [m.label for m in at.metric]
    assert labels[:5] == ["Gemeinden und Verwaltungen", "E-Akte", "Online-Portal",
                          "Digitalisierungsstrategie", "Digitalisierungsindex (Mittel)"]
    assert at.metric[0].value == "34 Gemeinden"
    assert all(m.value.endswith("%") for m in at.metric[1:4])
    text = all_text(at)
    assert "in 21 Verwaltungen, 358.080 Einwohner" in text
    assert text.count("Stand:") >= 5
    assert "3. Quartal 2026" in text
    assert "© GeoBasis-DE / BKG (2016)" in text  # footer attribution


def test_quartal_deep_link_selects_that_quarter(app_env):
    at = open_page("pages/lagebild.py", {"quartal": "2025-Q4"})
    assert at.sidebar.selectbox(key="quartal").value == "2025-Q4"
    assert "4. Quartal 2025" in all_text(at)


def test_methodik_lists_scales_sources_and_barrierefreiheit(app_env):
    at = open_page("pages/methodik.py")
    text = all_text(at)
    assert "in einigen Fachverfahren eingeführt" in str(at.dataframe[0].value.to_dict())
    assert "Statistisches Bundesamt (Destatis)" in text
    assert "Barrierefreiheit" in [h.value for h in at.header]
