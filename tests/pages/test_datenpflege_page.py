"""AppTest of the Datenpflege page: login gate, form, presentation mode."""
from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from kreis_data import auth
from tests.pages.apptest_helpers import ROOT, anmelden, assert_ok, klicke, open_page

BELM = "034590008"


@pytest.fixture
def konten(tmp_path, monkeypatch, eigene_db):
    datei = tmp_path / "konten.toml"
    auth.konto_anlegen(datei, "r.belm", auth.REDAKTION, [BELM], "Belm-Passwort-2026")
    auth.konto_anlegen(datei, "leser", auth.LESEN, [], "Leser-Passwort-2026")
    monkeypatch.setenv(auth.KONTEN_ENV, str(datei))
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
    assert any("Angemeldet als **r.belm**" in c.value for c in at.caption)
    assert [t.label for t in at.tabs] == ["Selbstauskunft", "Excel-Vorlage",
                                         "Änderungsprotokoll", "Qualität"]
    verwaltung = at.selectbox(key="dp_verwaltung")
    assert verwaltung.options == ["Belm (034590008)"]  # only the own Verwaltung
    assert any(b.label == "Speichern" for b in at.button)
    stufe = next(s for s in at.selectbox if s.key and s.key.endswith("_scannen_stufe"))
    assert "in Einführung" in stufe.help  # level help text
    alte = stufe.value
    neue = 0 if alte != 0 else 1
    stufe.set_value(neue)
    assert_ok(klicke(at, "Speichern"))
    assert any("Gespeichert: 1 Merkmal(e) geändert" in s.value for s in at.success)
    assert any("Zuletzt gespeichert von **r.belm**" in c.value for c in at.caption)
    stufe = next(s for s in at.selectbox if s.key and s.key.endswith("_scannen_stufe"))
    assert stufe.value == neue


def test_lesen_role_sees_no_form(konten):
    at = anmelden(run_page(), "leser", "Leser-Passwort-2026")
    assert not any(b.label == "Speichern" for b in at.button)
    assert any("Ihre Rolle erlaubt keine Änderungen" in i.value for i in at.info)


def test_presentation_mode_has_no_edit_controls(konten):
    at = run_page({"modus": "praesentation"})
    assert len(at.text_input) == 0 and len(at.button) == 0
    assert any("Präsentationsmodus" in i.value for i in at.info)


def test_conflict_shows_german_message_and_reload_button(konten, eigene_db):
    from kreis_data.database import make_engine
    from kreis_data.selbstauskunft import Wert, lade_formular, speichere_formular

    at = anmelden(run_page(), "r.belm", "Belm-Passwort-2026")
    quartal = at.selectbox(key="dp_quartal").value
    engine = make_engine(eigene_db)
    form = lade_formular(engine, BELM, quartal)
    alt = form.werte()["e_akte"].stufe
    speichere_formular(engine, BELM, quartal, {"e_akte": Wert(0 if alt != 0 else 1)},
                       form.gesehene_versionen, auth.Benutzer("Kolleg*in Kreis", auth.ADMIN))
    engine.dispose()

    stufe = next(s for s in at.selectbox if s.key and s.key.endswith("_it_sicherheit_stufe"))
    stufe.set_value(0 if stufe.value != 0 else 1)
    assert_ok(klicke(at, "Speichern"))
    fehler = " ".join(e.value for e in at.error)
    assert "E-Akte (Belm) wurde von Kolleg*in Kreis am" in fehler
    assert "Es wurde nichts gespeichert" in fehler
    klicke(at, "Neu laden")
    assert not at.error
    assert any("Zuletzt gespeichert von **Kolleg*in Kreis**" in c.value for c in at.caption)


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
    auth.konto_anlegen(konten, "digital@belm.example.org", auth.REDAKTION, [BELM], None)
    at = run_oidc({"is_logged_in": True, "email": "Digital@Belm.example.org"})
    assert at.selectbox(key="dp_verwaltung").options == ["Belm (034590008)"]
    assert any(b.label == "Speichern" for b in at.button)

    fremd = run_oidc({"is_logged_in": True, "email": "fremd@example.org"})
    assert any("keine Rolle hinterlegt" in e.value for e in fremd.error)
    assert not any(b.label == "Speichern" for b in fremd.button)
