"""AppTest of the Datenpflege page: login gate, form, presentation mode."""
from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from kreis_data.konten import kontodatei, regeln
from tests.pages.apptest_helpers import ROOT, anmelden, assert_ok, klicke, open_page, sichtbar

BELM = "034590008"


@pytest.fixture
def konten(tmp_path, monkeypatch, eigene_db):
    datei = tmp_path / "konten.toml"
    kontodatei.konto_anlegen(datei, "r.belm", regeln.REDAKTION, [BELM], "Belm-Passwort-2026")
    kontodatei.konto_anlegen(datei, "leser", regeln.LESEN, [], "Nur-Lesen-Kennwort-2026")
    monkeypatch.setenv(kontodatei.KONTEN_ENV, str(datei))
    return datei


def run_page(query: dict | None = None) -> AppTest:
    """The page alone: its checks count every button and selectbox, which app.py's sidebar and
    presentation buttons would add to."""
    return open_page("pages/datenpflege.py", query, shell=False)


def test_without_login_no_edit_controls_but_a_login_prompt(konten):
    at = run_page()
    assert at.title[0].value == "Datenpflege"
    assert any("melden Sie sich bitte an" in i.value for i in at.info)
    assert [t.label for t in at.text_input] == ["Benutzername", "Passwort"]
    labels = [b.label for b in at.button]
    assert "Speichern" not in labels and "Änderungen übernehmen" not in labels
    assert len(at.tabs) == 0 and len(at.get("file_uploader")) == 0
    assert len(at.selectbox) == 0


def test_wrong_password_is_refused(konten):
    at = anmelden(run_page(), "r.belm", "falsches-passwort")
    assert any("Benutzername oder Passwort ist falsch" in e.value for e in at.error)
    assert not any(b.label == "Speichern" for b in at.button)


def test_redaktion_login_shows_own_form_and_saves(konten):
    at = anmelden(run_page(), "r.belm", "Belm-Passwort-2026")
    assert any("Angemeldet als **r.belm**" in sichtbar(c.value) for c in at.caption)
    assert [t.label for t in at.tabs] == ["Selbstauskunft", "Excel-Vorlage",
                                         "Änderungsprotokoll", "Qualität"]
    verwaltung = at.selectbox(key="verwaltung")
    assert verwaltung.options == ["Belm (034590008)"]  # only the own Verwaltung
    assert not any(s.label == "Quartal" for s in at.selectbox)  # the sidebar's quarter counts
    assert any(b.label == "Speichern" for b in at.button)
    stufe = next(s for s in at.selectbox if s.key and s.key.endswith("_scannen_stufe"))
    assert "in Einführung" in stufe.help  # level help text
    alte = stufe.value
    neue = 0 if alte != 0 else 1
    stufe.set_value(neue)
    assert_ok(klicke(at, "Speichern"))
    assert any(sichtbar(s.value).startswith("Gespeichert (Belm, ") and
               "): Scannen geändert – im Änderungsprotokoll vermerkt." in sichtbar(s.value)
               for s in at.success)
    assert any("Zuletzt gespeichert von **r.belm**" in sichtbar(c.value) for c in at.caption)
    stufe = next(s for s in at.selectbox if s.key and s.key.endswith("_scannen_stufe"))
    assert stufe.value == neue


def test_lesen_role_sees_no_form(konten):
    at = anmelden(run_page(), "leser", "Nur-Lesen-Kennwort-2026")
    assert not any(b.label == "Speichern" for b in at.button)
    assert any("Ihre Rolle erlaubt keine Änderungen" in i.value for i in at.info)


def test_presentation_mode_has_no_edit_controls(konten):
    at = run_page({"modus": "praesentation"})
    assert len(at.text_input) == 0 and len(at.button) == 0
    assert any("Präsentationsmodus" in i.value for i in at.info)


def test_conflict_shows_german_message_and_reload_button(konten, eigene_db):
    from kreis_data import queries
    from kreis_data.bewertungen.lesen import Wert, lade_formular
    from kreis_data.bewertungen.schreiben import speichere_formular
    from kreis_data.database import make_engine

    at = anmelden(run_page(), "r.belm", "Belm-Passwort-2026")
    engine = make_engine(eigene_db)
    quartal = queries.quartale(engine)[-1]  # the selection's quarter of a page run alone
    form = lade_formular(engine, BELM, quartal)
    alt = form.werte()["e_akte"].stufe
    speichere_formular(engine, regeln.Benutzer("Kolleg*in Kreis", regeln.ADMIN), BELM, quartal,
                       {"e_akte": Wert(0 if alt != 0 else 1)}, form.gesehene_versionen)
    engine.dispose()

    stufe = next(s for s in at.selectbox if s.key and s.key.endswith("_it_sicherheit_stufe"))
    stufe.set_value(0 if stufe.value != 0 else 1)
    assert_ok(klicke(at, "Speichern"))
    assert not at.success
    konflikt = sichtbar(" ".join(w.value for w in at.warning))
    assert konflikt.startswith("Nicht gespeichert: Speichern nicht möglich")
    assert "E-Akte (Belm) wurde von Kolleg*in Kreis am" in konflikt
    assert "Es wurde nichts gespeichert" in konflikt
    klicke(at, "Neu laden")
    assert not at.warning and not at.error
    assert any("Zuletzt gespeichert von **Kolleg*in Kreis**" in sichtbar(c.value)
               for c in at.caption)
    stufe = next(s for s in at.selectbox if s.key and s.key.endswith("_e_akte_stufe"))
    assert stufe.value == (0 if alt != 0 else 1)  # the colleague's value, reloaded


def test_form_edits_the_sidebar_quarter_also_a_new_one(konten, eigene_db):
    """No quarter selector of its own: the selection's quarter (sidebar, ?quartal=) is the one
    edited – also the current calendar quarter before anyone entered values for it."""
    import datetime as dt

    from kreis_data import queries
    from kreis_data.bewertungen.lesen import lade_formular
    from kreis_data.database import make_engine
    from kreis_data.quartal import Quartal

    engine = make_engine(eigene_db)
    quartale = queries.quartale(engine)
    heute = str(Quartal.of_date(dt.date.today()))
    quartal = heute if heute not in quartale else quartale[0]
    at = anmelden(run_page({"quartal": quartal}), "r.belm", "Belm-Passwort-2026")
    assert not any(s.label == "Quartal" for s in at.selectbox)
    titel = sichtbar(" ".join(m.value for m in at.markdown))
    assert f"Selbstauskunft **Belm** für das **{Quartal.parse(quartal).label}**" in titel
    if quartal not in quartale:
        assert any("vorausgefüllt" in i.value for i in at.info)
    assert_ok(klicke(at, "Speichern"))  # confirms the shown values for this quarter
    assert any("im Änderungsprotokoll vermerkt" in s.value or "nichts gespeichert" in s.value
               for s in at.success)
    form = lade_formular(engine, BELM, quartal)
    engine.dispose()
    assert form.quartal == quartal and form.zuletzt_von in (None, "r.belm")
    if quartal not in quartale:
        assert form.zuletzt_von == "r.belm"  # the new quarter now has values


def test_sidebar_quarter_drives_the_form_in_the_app(konten, eigene_db):
    """Through app.py: choosing another quarter in the sidebar loads that quarter's values."""
    from kreis_data import queries
    from kreis_data.bewertungen.lesen import lade_formular
    from kreis_data.database import make_engine
    from kreis_data.quartal import Quartal

    engine = make_engine(eigene_db)
    frueher = queries.quartale(engine)[-2]
    erwartet = lade_formular(engine, BELM, frueher).werte()["e_akte"].stufe
    engine.dispose()
    at = open_page("pages/datenpflege.py",
                   login=regeln.Benutzer("r.belm", regeln.REDAKTION, frozenset({BELM})))
    at.sidebar.selectbox(key="quartal").set_value(frueher)
    assert_ok(at.run())
    titel = sichtbar(" ".join(m.value for m in at.markdown))
    assert f"für das **{Quartal.parse(frueher).label}**" in titel
    stufe = next(s for s in at.selectbox if s.key and s.key.endswith("_e_akte_stufe"))
    assert stufe.value == erwartet


OIDC = {"redirect_uri": "http://localhost:8501/oauth2callback", "cookie_secret": "x" * 32,
        "client_id": "ikz", "client_secret": "geheim",
        "server_metadata_url": "https://login.example.org/.well-known/openid-configuration"}


def run_oidc(user: dict) -> AppTest:
    at = AppTest.from_file(str(ROOT / "pages" / "datenpflege.py"), default_timeout=90)
    at.secrets["auth"] = OIDC
    at.user = user
    return assert_ok(at.run())


def test_oidc_shows_the_login_button_instead_of_the_password_form(konten):
    at = run_oidc({"is_logged_in": False})
    assert len(at.text_input) == 0
    assert [b.label for b in at.button] == ["Mit dem Dienstkonto anmelden"]


def test_oidc_user_gets_the_role_from_the_account_file_by_email(konten):
    kontodatei.konto_anlegen(konten, "digital@belm.example.org", regeln.REDAKTION, [BELM], None)
    at = run_oidc({"is_logged_in": True, "email": "Digital@Belm.example.org"})
    assert at.selectbox(key="verwaltung").options == ["Belm (034590008)"]
    assert any(b.label == "Speichern" for b in at.button)

    fremd = run_oidc({"is_logged_in": True, "email": "fremd@example.org"})
    assert any("keine Rolle hinterlegt" in e.value for e in fremd.error)
    assert not any(b.label == "Speichern" for b in fremd.button)
