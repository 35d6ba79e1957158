"""IKZ_LESEN_OHNE_ANMELDUNG=0: without sign-in only the login page is reachable."""
from pathlib import Path

from streamlit.testing.v1 import AppTest

APP = str(Path(__file__).resolve().parents[2] / "app.py")


def test_without_login_only_the_login_page_is_shown(app_env, monkeypatch):
    monkeypatch.setenv("IKZ_LESEN_OHNE_ANMELDUNG", "0")
    at = AppTest.from_file(APP, default_timeout=90)
    at.query_params["quartal"] = "2026-Q3"
    at.run()
    assert not at.exception
    assert at.title[0].value == "Datenpflege"
    assert not at.metric  # no Lagebild figures
    assert at.text_input  # the login form


def test_reading_without_login_is_the_default(app_env, monkeypatch):
    monkeypatch.delenv("IKZ_LESEN_OHNE_ANMELDUNG", raising=False)
    at = AppTest.from_file(APP, default_timeout=90)
    at.run()
    assert at.title[0].value.startswith("Lagebild")
