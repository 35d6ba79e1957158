"""Backup and restore, the same for SQLite and PostgreSQL.

A backup is one SQLite file with every table of the model, the schema revision and a small
table ``ikz_sicherung`` (when, from which database, rows per table). Because it is written and
read through the model, a backup of a PostgreSQL workspace restores into SQLite and the other way
round – and no server tool (pg_dump of the right version) is needed.

Restore is all or nothing: in one transaction every table of the target is emptied and filled
from the backup; afterwards the rows per table are compared with the backup's own count and
PostgreSQL's id sequences are moved past the restored ids. A backup of another schema revision
is refused (restore it with the version that wrote it, then migrate).
"""
from __future__ import annotations

import datetime as dt
import os
import sqlite3
import tempfile
from contextlib import closing
from pathlib import Path

from sqlalchemy import Engine, Table, func, insert, select, text

from kreis_data.database import MIGRATIONS_DIR, make_engine
from kreis_data.datenbank_pruefung import datenbank_name
from kreis_data.fehler import Ungueltig
from kreis_data.model import Base

META_TABELLE = "ikz_sicherung"
PAKET = 2000  # rows per insert
_ALEMBIC = "alembic_version"


def _revision(engine: Engine) -> str:
    with engine.connect() as verbindung:
        return verbindung.execute(text(f"SELECT version_num FROM {_ALEMBIC}")).scalar_one()


def _neueste_revision() -> str:
    from alembic.script import ScriptDirectory

    return ScriptDirectory(str(MIGRATIONS_DIR)).get_current_head()


def _tabellen() -> list[Table]:
    """Every table of the model, parents before children."""
    return list(Base.metadata.sorted_tables)


def sichern(engine: Engine, ziel: Path | str) -> dict[str, int]:
    """Write a backup of the workspace at ``engine`` to ``ziel`` (a new .sqlite file; an
    existing file is replaced only when the backup is complete). Returns rows per table."""
    ziel = Path(ziel)
    if ziel.suffix.lower() not in (".sqlite", ".db"):
        raise Ungueltig(f"Zieldatei {ziel.name}: erwartet wird eine Datei mit der Endung .sqlite")
    if ziel.is_dir() or not ziel.parent.is_dir():
        raise Ungueltig(f"Zieldatei {ziel}: Ordner existiert nicht oder das Ziel ist ein Ordner")
    revision = _revision(engine)
    fd, tmp = tempfile.mkstemp(prefix=".sicherung-", suffix=".sqlite", dir=ziel.parent)
    os.close(fd)
    anzahl: dict[str, int] = {}
    kopie = make_engine(f"sqlite:///{tmp}")
    try:
        Base.metadata.create_all(kopie)
        with engine.connect() as quelle, kopie.begin() as ziel_db:
            for tabelle in _tabellen():
                anzahl[tabelle.name] = 0
                ergebnis = quelle.execution_options(stream_results=True).execute(
                    select(tabelle).order_by(*tabelle.primary_key.columns))
                while zeilen := ergebnis.mappings().fetchmany(PAKET):
                    ziel_db.execute(insert(tabelle), [dict(z) for z in zeilen])
                    anzahl[tabelle.name] += len(zeilen)
            ziel_db.execute(text(f"CREATE TABLE {_ALEMBIC} (version_num VARCHAR(32) NOT NULL)"))
            ziel_db.execute(text(f"INSERT INTO {_ALEMBIC} VALUES (:r)"), {"r": revision})
            ziel_db.execute(text(f"CREATE TABLE {META_TABELLE} (schluessel TEXT PRIMARY KEY, "
                                 "wert TEXT NOT NULL)"))
            meta = {"erstellt": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
                    "quelle": datenbank_name(engine), "backend": engine.dialect.name,
                    "revision": revision}
            meta |= {f"zeilen:{name}": str(n) for name, n in anzahl.items()}
            ziel_db.execute(text(f"INSERT INTO {META_TABELLE} VALUES (:s, :w)"),
                            [{"s": k, "w": v} for k, v in meta.items()])
        kopie.dispose()
        os.replace(tmp, ziel)
    finally:
        kopie.dispose()
        Path(tmp).unlink(missing_ok=True)
    return anzahl


def _lies_meta(quelle: Path) -> dict[str, str]:
    if not quelle.is_file():
        raise Ungueltig(f"Sicherung {quelle.name} nicht gefunden")
    try:
        with closing(sqlite3.connect(f"file:{quelle}?mode=ro", uri=True)) as db:
            return dict(db.execute(f"SELECT schluessel, wert FROM {META_TABELLE}").fetchall())
    except sqlite3.DatabaseError:
        raise Ungueltig(f"{quelle.name} ist keine Sicherung des IKZ-Monitors (erzeugt mit "
                        "`python -m kreis_data sicherung --out DATEI.sqlite`)") from None


def pruefe_sicherung(quelle: Path | str) -> dict[str, str]:
    """The backup's facts, or Ungueltig (German) when it cannot be restored by this version."""
    quelle = Path(quelle)
    meta = _lies_meta(quelle)
    neueste = _neueste_revision()
    if meta.get("revision") != neueste:
        raise Ungueltig(f"Die Sicherung {quelle.name} hat den Schemastand "
                        f"{meta.get('revision', 'unbekannt')}, diese Version des IKZ-Monitors "
                        f"{neueste}. Bitte mit der Version wiederherstellen, die die Sicherung "
                        "geschrieben hat, und danach `python -m kreis_data migrate` ausführen.")
    return meta


def wiederherstellen(engine: Engine, quelle: Path | str) -> dict[str, int]:
    """Replace every table of the workspace at ``engine`` by the backup (all or nothing).
    The target schema is brought to the newest revision first. Returns rows per table."""
    from kreis_data.database import migrate

    quelle = Path(quelle)
    meta = pruefe_sicherung(quelle)
    migrate(engine)
    sicherung = make_engine(f"sqlite:///{quelle}")
    anzahl: dict[str, int] = {}
    try:
        with sicherung.connect() as von, engine.begin() as nach:
            for tabelle in reversed(_tabellen()):
                nach.execute(tabelle.delete())
            for tabelle in _tabellen():
                ergebnis = von.execute(select(tabelle).order_by(*tabelle.primary_key.columns))
                while zeilen := ergebnis.mappings().fetchmany(PAKET):
                    nach.execute(insert(tabelle), [dict(z) for z in zeilen])
                anzahl[tabelle.name] = nach.execute(
                    select(func.count()).select_from(tabelle)).scalar_one()
                erwartet = int(meta.get(f"zeilen:{tabelle.name}", -1))
                if anzahl[tabelle.name] != erwartet:
                    raise Ungueltig(f"Sicherung {quelle.name}: Tabelle {tabelle.name} hat "
                                    f"{anzahl[tabelle.name]} statt {erwartet} Zeilen – nichts "
                                    "wurde geändert")
            if engine.dialect.name == "postgresql":
                _sequenzen_nachziehen(nach)
    finally:
        sicherung.dispose()
    return anzahl


def _sequenzen_nachziehen(verbindung) -> None:
    """PostgreSQL: move each id sequence past the restored ids (the next insert must not
    collide)."""
    for tabelle in _tabellen():
        for spalte in tabelle.primary_key.columns:
            if spalte.autoincrement is True or (spalte.autoincrement == "auto"
                                                and spalte.type.python_type is int
                                                and len(tabelle.primary_key.columns) == 1):
                verbindung.execute(text(
                    "SELECT setval(pg_get_serial_sequence(:t, :s), "
                    f"COALESCE((SELECT max({spalte.name}) FROM {tabelle.name}), 0) + 1, false) "
                    "WHERE pg_get_serial_sequence(:t, :s) IS NOT NULL"),
                    {"t": tabelle.name, "s": spalte.name})


def inhalt(engine: Engine) -> dict[str, list[tuple]]:
    """Every row of every table, in primary-key order (for comparing two workspaces)."""
    with engine.connect() as verbindung:
        return {t.name: [tuple(z) for z in verbindung.execute(
            select(t).order_by(*t.primary_key.columns))] for t in _tabellen()}
