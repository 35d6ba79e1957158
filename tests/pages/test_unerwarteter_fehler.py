"""A bug in a page shows a German notice with a reference – no traceback, no English, no path –
the footer still follows, and the traceback is in the server log."""
import logging

from components.seiten import METHODIK
from components.shell import DURCHREICHEN_ENV, UNERWARTET_TITEL
from kreis_data import scales
from tests.pages.apptest_helpers import open_page, sichtbar


def test_a_bug_in_a_page_shows_a_german_notice_and_logs_the_details(
        app_env, monkeypatch, caplog):
    monkeypatch.setenv(DURCHREICHEN_ENV, "0")

    def kaputt(*args, **kwargs):
        raise RuntimeError("geheim: /srv/ikz/instance/ikz.sqlite")

    monkeypatch.setattr(scales, "skalen_tabelle", kaputt)
    with caplog.at_level(logging.ERROR, logger="ikz_monitor"):
        at = open_page(METHODIK.datei)  # asserts that no exception reached Streamlit
    meldung = " ".join(e.value for e in at.error)
    assert UNERWARTET_TITEL in meldung and "Fehlerkennung" in meldung
    assert "geheim" not in meldung and "RuntimeError" not in meldung
    assert "© GeoBasis-DE / BKG" in sichtbar(" ".join(c.value for c in at.caption))  # footer
    assert "geheim" in caplog.text  # the details are in the server log


def test_in_the_test_suite_a_bug_fails_loudly(app_env, monkeypatch):
    def kaputt(*args, **kwargs):
        raise RuntimeError("kaputt")

    monkeypatch.setattr(scales, "skalen_tabelle", kaputt)
    from streamlit.testing.v1 import AppTest

    from tests.pages.apptest_helpers import APP

    at = AppTest.from_file(APP, default_timeout=60)
    at.switch_page(METHODIK.datei)
    at.run()
    assert at.exception  # (its text is redacted by client.showErrorDetails = "none")
