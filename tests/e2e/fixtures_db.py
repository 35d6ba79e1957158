"""Where the session server (conftest.streamlit_server) keeps its files, for tests that read or
write its database and account file directly: <basetemp>/ikz-e2e<N>/ikz-e2e.sqlite and
…/konten.toml. Call only after the server fixture has run."""
from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine

from kreis_data.database import make_engine
from kreis_data.konten import kontodatei


def server_workdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The session server's temp directory (the one holding ikz-e2e.sqlite)."""
    # resolve: pytest adds an "<name>current" symlink to the newest numbered directory
    found = sorted({p.parent.resolve() for p in
                    tmp_path_factory.getbasetemp().glob("ikz-e2e*/ikz-e2e.sqlite")})
    assert len(found) == 1, f"Verzeichnis des Test-Servers nicht eindeutig gefunden: {found}"
    return found[0]


def server_database(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return server_workdir(tmp_path_factory) / "ikz-e2e.sqlite"


def server_engine(tmp_path_factory: pytest.TempPathFactory) -> Engine:
    return make_engine(f"sqlite:///{server_database(tmp_path_factory)}")


def server_konten(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The account file the server reads at every login (IKZ_KONTEN_DATEI)."""
    return server_workdir(tmp_path_factory) / "konten.toml"


@contextlib.contextmanager
def zusatzkonto(tmp_path_factory: pytest.TempPathFactory, name: str, passwort: str, rolle: str,
                verwaltungen: tuple[str, ...] = ()) -> Iterator[tuple[str, str]]:
    """An extra account in the server's account file for the duration of the block; the file is
    restored afterwards (the server reads it at every login)."""
    datei = server_konten(tmp_path_factory)
    vorher = datei.read_bytes()
    kontodatei.konto_anlegen(datei, name, rolle, list(verwaltungen), passwort)
    try:
        yield name, passwort
    finally:
        datei.write_bytes(vorher)
