"""Test databases on either backend. Without ``IKZ_TEST_POSTGRES`` every test database is a
SQLite file; with it (an admin URL such as ``postgresql+psycopg://ikz:ikz@localhost/postgres``,
set by ``make test-postgres``) the shared fixtures create PostgreSQL databases instead, so the
same tests check migrations, version checks, all-or-nothing imports and the audit log there.
Tests that are about SQLite itself (its files, PRAGMAs, corruption) are marked ``nur_sqlite``."""
from __future__ import annotations

import os
import sqlite3
import uuid
from contextlib import closing
from pathlib import Path

from sqlalchemy import create_engine, make_url, text

POSTGRES_ENV = "IKZ_TEST_POSTGRES"
_angelegt: list[str] = []


def postgres_admin() -> str | None:
    return os.environ.get(POSTGRES_ENV) or None


def ist_postgres(url: str) -> bool:
    return url.startswith("postgresql")


def _admin_ausfuehren(sql: str) -> None:
    engine = create_engine(postgres_admin(), isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as verbindung:
            verbindung.execute(text(sql))
    finally:
        engine.dispose()


def _pg_url(name: str) -> str:
    return make_url(postgres_admin()).set(database=name).render_as_string(hide_password=False)


def neue_url(ordner: Path, name: str = "ikz") -> str:
    """URL of a new, empty database (a file in ``ordner`` or a fresh PostgreSQL database)."""
    if postgres_admin() is None:
        return f"sqlite:///{ordner / f'{name}.sqlite'}"
    db = f"ikz_test_{uuid.uuid4().hex[:12]}"
    _admin_ausfuehren(f'CREATE DATABASE "{db}"')
    _angelegt.append(db)
    return _pg_url(db)


def kopie(url: str, ordner: Path, name: str = "kopie") -> str:
    """A private copy of the database at ``url`` (SQLite backup or a PostgreSQL template copy)."""
    if not ist_postgres(url):
        ziel = ordner / f"{name}.sqlite"
        with closing(sqlite3.connect(url.removeprefix("sqlite:///"))) as quelle, \
                closing(sqlite3.connect(ziel)) as ziel_db:
            quelle.backup(ziel_db)
        return f"sqlite:///{ziel}"
    vorlage = make_url(url).database
    db = f"ikz_test_{uuid.uuid4().hex[:12]}"
    # a template must have no open connections: end the ones left by pooled engines
    _admin_ausfuehren("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                      f"WHERE datname = '{vorlage}' AND pid <> pg_backend_pid()")
    _admin_ausfuehren(f'CREATE DATABASE "{db}" TEMPLATE "{vorlage}"')
    _angelegt.append(db)
    return _pg_url(db)


def aufraeumen() -> None:
    """Drop the PostgreSQL databases this test run created (best effort: a database still in
    use by a server that is shutting down stays; CI throws the whole cluster away)."""
    while _angelegt:
        db = _angelegt.pop()
        try:
            _admin_ausfuehren(f'DROP DATABASE IF EXISTS "{db}" WITH (FORCE)')
        except Exception as exc:  # noqa: BLE001 - cleanup must not fail the run
            print(f"Testdatenbank {db} nicht gelöscht: {type(exc).__name__}")
