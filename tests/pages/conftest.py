"""Fixtures of the page tests."""
import sqlite3
from contextlib import closing

import pytest


@pytest.fixture
def eigene_db(tmp_path, monkeypatch, app_env) -> str:
    """A private copy of the demo database: these tests write, the session demo stays as it is."""
    ziel = tmp_path / "eigene.sqlite"
    with closing(sqlite3.connect(app_env.removeprefix("sqlite:///"))) as quelle, \
            closing(sqlite3.connect(ziel)) as kopie:
        quelle.backup(kopie)
    url = f"sqlite:///{ziel}"
    monkeypatch.setenv("IKZ_DATABASE_URL", url)
    return url
