"""Fixtures of the page tests."""
import pytest

from tests.datenbanken import kopie


@pytest.fixture
def eigene_db(tmp_path, monkeypatch, app_env) -> str:
    """A private copy of the demo database: these tests write, the session demo stays as it is."""
    url = kopie(app_env, tmp_path, "eigene")
    monkeypatch.setenv("IKZ_DATABASE_URL", url)
    return url
