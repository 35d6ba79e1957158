"""AppTest of the Quartalsreview page on the demo Kreis, through app.py."""
from sqlalchemy import select
from sqlalchemy.orm import Session
from streamlit.testing.v1 import AppTest

from components import anmeldung
from kreis_data.database import make_engine, transaction
from kreis_data.konten import regeln
from kreis_data.model import AuditEintrag, Massnahme
from tests.pages.apptest_helpers import all_text, open_page

ADMIN = regeln.Benutzer("k.admin", regeln.ADMIN)


def run(query: dict | None = None, benutzer: regeln.Benutzer | None = None, *,
        shell: bool = True, tab: str | None = None) -> AppTest:
    """`benutzer`: signed in as this person; `tab`: the open tab. shell=False: the page alone –
    the form test (through app.py the st.form submit does not reach the page in AppTest)."""
    return open_page("pages/quartalsreview.py", query, {"review_ansicht": tab} if tab else None,
                     login=benutzer, shell=shell)


def text(at: AppTest) -> str:
    return all_text(at)


TABS = {"Digitalisierungsstand": "Veränderungen des Digitalisierungsstands",
        "Einzelne Veränderungen": "Einzelne Veränderungen (vorher → jetzt)",
        "EfA und Kooperationen": "EfA-Go-lives und Kooperationen",
        "Kontakte und Datenstand": "Kontakte und Datenstand", "Maßnahmen": "Maßnahmen",
        "Sitzungen": "Sitzungen der Steuerungsgruppe", "Bericht": "Bericht herunterladen"}


def test_review_shows_the_figures_and_only_the_open_tab(app_env):
    at = run(benutzer=ADMIN)
    assert at.title[0].value == "Quartalsreview 3. Quartal 2026"
    assert at.sidebar.selectbox(key="quartal").value == "2026-Q3"
    assert at.selectbox(key="review_vergleich_2026-Q3").value == "2026-Q2"
    metriken = {m.label: m.value for m in at.metric}
    assert int(metriken["Verbesserungen"]) > 0
    assert "Neue EfA-Go-lives" in metriken and "Überfällige Maßnahmen" in metriken
    assert [t.label for t in at.tabs] == list(TABS)
    assert "3. Quartal 2026** im Vergleich zum **2. Quartal 2026" in text(at)
    # only the first tab is rendered: its two charts, nothing of the others
    assert [h.value for h in at.header] == [TABS["Digitalisierungsstand"]]
    assert len(at.get("plotly_chart")) == 1  # the slope chart
    assert len(at.get("form")) == 0 and len(at.get("download_button")) == 0


def test_each_tab_shows_its_part(app_env):
    for tab, header in TABS.items():
        at = run(benutzer=ADMIN, tab=tab)
        assert [h.value for h in at.header] == [header], tab
    assert "Kontakte werden ohne Verlauf gespeichert" in text(
        run(tab="Kontakte und Datenstand"))
    assert "Beschlüsse" in text(run(tab="Sitzungen"))
    massnahmen = run(benutzer=ADMIN, tab="Maßnahmen")
    assert len(massnahmen.get("plotly_chart")) == 1  # the roadmap
    assert len(massnahmen.get("form")) >= 10  # one edit form per Maßnahme
    assert len(run(tab="Bericht").get("download_button")) == 2


def test_without_login_no_edit_form_but_the_login_hint(app_env):
    at = run(tab="Maßnahmen")
    assert len(at.get("form")) == 0
    assert not any(b.label == "Speichern" for b in at.button)
    assert any(anmeldung.ANMELDE_HINWEIS in i.value for i in at.info)
    # in the app the hint links to the login on the Datenpflege page
    assert [p.proto.label for p in at.get("page_link") if p.proto.label == anmeldung.ANMELDE_LINK]
    assert len(run(tab="Bericht").get("download_button")) == 2  # the report stays available


def test_only_the_kreis_administration_gets_the_edit_forms(app_env):
    at = run(benutzer=regeln.Benutzer("r.melle", regeln.REDAKTION, frozenset({"034590024"})),
             tab="Maßnahmen")
    assert len(at.get("form")) == 0
    assert "Maßnahmen bearbeitet die Kreis-Administration." in text(at)


def test_the_sidebar_quarter_is_the_reviewed_quarter_and_drives_the_comparison(app_env):
    at = run()
    at.sidebar.selectbox(key="quartal").set_value("2026-Q1").run()
    assert not at.exception
    assert at.title[0].value == "Quartalsreview 1. Quartal 2026"
    assert "1. Quartal 2026** im Vergleich zum **4. Quartal 2025" in text(at)
    assert at.selectbox(key="review_vergleich_2026-Q1").value == "2025-Q4"
    assert not [s for s in at.selectbox if s.label == "Betrachtetes Quartal"]
    at.sidebar.selectbox(key="quartal").set_value("2026-Q3").run()  # and back again
    assert at.title[0].value == "Quartalsreview 3. Quartal 2026"
    assert "3. Quartal 2026** im Vergleich zum **2. Quartal 2026" in text(at)


def test_other_comparison_quarter(app_env):
    at = run()
    at.selectbox(key="review_vergleich_2026-Q3").set_value("2024-Q4").run()
    assert not at.exception
    assert "im Vergleich zum **4. Quartal 2024" in text(at)
    assert int({m.label: m.value for m in at.metric}["Verbesserungen"]) > 29


def test_presentation_mode_hides_forms_and_downloads_and_offers_navigation(app_env):
    at = run({"modus": "praesentation", "schritt": "massnahmen"}, benutzer=ADMIN)
    assert "Bericht" not in [t.label for t in at.tabs]
    assert len(at.get("form")) == 0
    assert len(at.get("download_button")) == 0
    labels = [b.label for b in at.button]
    assert any(label.startswith("← Zurück") for label in labels)
    assert "Präsentation beenden" in labels
    weiter = next(b for b in at.button if b.label.startswith("Weiter"))
    assert weiter.disabled  # Quartalsreview is the last screen


def test_edit_massnahme_is_audited_and_stale_version_refused(app_env):
    engine = make_engine(app_env)
    with Session(engine) as session:
        m = session.scalars(select(Massnahme).order_by(Massnahme.id)).first()
        mid, alt, alt_ziel = m.id, m.erfolgsindikator, m.ziel
    try:
        at = run(benutzer=ADMIN, shell=False, tab="Maßnahmen")
        form_key = f"massnahme_{mid}"
        feld = next(t for t in at.text_area if t.label == "Erfolgsindikator"
                    and form_key in str(t.form_id))
        feld.set_value(alt + " (geprüft)")
        next(b for b in at.button if form_key in str(b.form_id)).click().run()
        assert not at.exception
        assert any("Erfolgsindikator geändert – im Änderungsprotokoll vermerkt" in s.value
                   for s in at.success)
        with Session(engine) as session:
            assert session.get(Massnahme, mid).erfolgsindikator == alt + " (geprüft)"
            assert session.scalars(select(AuditEintrag).where(
                AuditEintrag.objekt == "massnahme", AuditEintrag.feld == "erfolgsindikator",
                AuditEintrag.benutzer == "k.admin")).first() is not None

        # Another editor saves in between: this form's version is now stale.
        at2 = run(benutzer=ADMIN, shell=False, tab="Maßnahmen")
        with transaction(engine) as session:
            session.get(Massnahme, mid).ziel = "von jemand anderem geändert"
        feld = next(t for t in at2.text_area if t.label == "Erfolgsindikator"
                    and form_key in str(t.form_id))
        feld.set_value("mein Stand")
        next(b for b in at2.button if form_key in str(b.form_id)).click().run()
        assert any("inzwischen von jemand anderem geändert" in w.value for w in at2.warning)
        assert any(b.label == "Neu laden" for b in at2.button)
        with Session(engine) as session:
            assert session.get(Massnahme, mid).erfolgsindikator == alt + " (geprüft)"
    finally:  # the demo database is shared by the session: restore
        with transaction(engine) as session:
            m = session.get(Massnahme, mid)
            m.erfolgsindikator, m.ziel = alt, alt_ziel
        engine.dispose()
