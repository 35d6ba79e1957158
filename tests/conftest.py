"""Shared fixtures: one demo database per test session (generated once, read-only for tests)."""
import os
from pathlib import Path

import pytest

from tests.datenbanken import aufraeumen, neue_url, postgres_admin

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def demo_url(tmp_path_factory) -> str:
    from kreis_data.database import make_engine
    from kreis_data.demo import install_demo

    url = neue_url(tmp_path_factory.mktemp("demo"), "demo")
    engine = make_engine(url)
    install_demo(engine)
    engine.dispose()
    return url


@pytest.fixture(scope="session")
def demo_engine(demo_url):
    from kreis_data.database import make_engine

    return make_engine(demo_url)


@pytest.fixture
def app_env(demo_url, monkeypatch):
    """Point the app at the session's demo database and run from the project root."""
    monkeypatch.setenv("IKZ_DATABASE_URL", demo_url)
    monkeypatch.chdir(ROOT)
    return demo_url


# Tests that build the PDF report need Pango (WeasyPrint); like the browser tests they are
# skipped on a machine without it, never in CI (.ci/run installs it).
PDF_TESTS = ("pdf", "test_bericht_handout.py", "test_cli_bericht.py", "test_nutzertext_ausgaben.py")


def pytest_collection_modifyitems(config, items):
    """On PostgreSQL (IKZ_TEST_POSTGRES) the tests about SQLite itself are skipped; without
    Pango (outside CI) the tests that build a PDF."""
    if postgres_admin() is not None:
        weg = pytest.mark.skip(reason="prüft SQLite selbst (Datei, PRAGMA, Beschädigung)")
        for item in items:
            if item.get_closest_marker("nur_sqlite"):
                item.add_marker(weg)
    if os.environ.get("CI", "").lower() != "true":
        from kreis_data.reports.pdf import pdf_hindernis

        if pdf_hindernis():
            ohne = pytest.mark.skip(reason=pdf_hindernis())
            for item in items:
                if any(teil in item.nodeid.lower() for teil in PDF_TESTS):
                    item.add_marker(ohne)


def pytest_sessionfinish(session, exitstatus):
    if postgres_admin() is not None:
        aufraeumen()


def pytest_configure(config):
    os.environ.setdefault("STREAMLIT_BROWSER_GATHER_USAGE_STATS", "false")
    # A bug raises in tests (AppTest and the e2e server) instead of the German notice of
    # components/shell.fehler_zeigen, which tests/pages/test_unerwarteter_fehler.py checks.
    os.environ["IKZ_FEHLER_DURCHREICHEN"] = "1"
