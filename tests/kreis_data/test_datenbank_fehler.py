"""Database faults in German (issue #18, point 5): a corrupt, truncated, read-only or full
database, an unknown schema revision, a dropped table – `check` finds each (exit 1), imports
refuse to write (exit 3, database unchanged), and every page shows a German message with what to
do (no SQL, no path, no English) instead of a traceback."""
from __future__ import annotations

import shutil
import sqlite3
from collections.abc import Callable
from contextlib import closing
from pathlib import Path

import pytest
from sqlalchemy import event, text
from streamlit.testing.v1 import AppTest

from kreis_data import database, datenbank_pruefung
from kreis_data.cli import main
from kreis_data.database import make_engine

ROOT = Path(__file__).resolve().parents[2]
ENGLISCH = ("Traceback", "sqlite3", "sqlalchemy", "SELECT", "INSERT", "OperationalError",
            "DatabaseError", "malformed", "no such table", "readonly", "Error")

pytestmark = pytest.mark.nur_sqlite  # works on SQLite files directly



def _ausfuehren(db: Path, sql: str) -> None:
    with closing(sqlite3.connect(db)) as verbindung:
        verbindung.executescript(sql)
        verbindung.commit()


def _beschaedigt(db: Path) -> None:
    daten = bytearray(db.read_bytes())
    for start in range(4096, len(daten), 8192):  # every other page after the first: garbage
        daten[start:start + 4096] = b"\xa5" * min(4096, len(daten) - start)
    db.write_bytes(bytes(daten))


def _abgeschnitten(db: Path) -> None:
    daten = db.read_bytes()
    db.write_bytes(daten[: len(daten) // 3])


def _keine_datenbank(db: Path) -> None:
    db.write_bytes(b"Dies ist keine Datenbank." * 400)


def _fremde_revision(db: Path) -> None:
    _ausfuehren(db, "UPDATE alembic_version SET version_num = 'f00dfeed9999'")


def _ohne_protokoll(db: Path) -> None:
    _ausfuehren(db, "DROP TABLE audit_log")


def _ohne_revision(db: Path) -> None:
    _ausfuehren(db, "DROP TABLE alembic_version")


def _ohne_spalte(db: Path) -> None:
    _ausfuehren(db, "ALTER TABLE bewertung DROP COLUMN bemerkung")


FEHLER: dict[str, tuple[Callable[[Path], None], str]] = {
    "beschaedigt": (_beschaedigt, "beschädigt"),
    "abgeschnitten": (_abgeschnitten, "beschädigt"),
    "keine_datenbank": (_keine_datenbank, "beschädigt"),
    "fremde_revision": (_fremde_revision, "Unbekannter Schemastand f00dfeed9999"),
    "ohne_protokoll": (_ohne_protokoll, "Tabelle audit_log (Änderungsprotokoll) fehlt"),
    "ohne_revision": (_ohne_revision, "Der Schemastand fehlt"),
    "ohne_spalte": (_ohne_spalte, "Tabelle bewertung: Spalte(n) bemerkung fehlen"),
}


@pytest.fixture
def kopie(demo_url, tmp_path) -> Path:
    """A private copy of the demo database (checkpointed, no WAL beside it)."""
    ziel = tmp_path / "ikz.sqlite"
    with closing(sqlite3.connect(demo_url.removeprefix("sqlite:///"))) as quelle, \
            closing(sqlite3.connect(ziel)) as kopie_db:
        quelle.backup(kopie_db)
    return ziel


def _inhalt(db: Path) -> bytes:
    return db.read_bytes()


def test_an_intact_database_passes(kopie):
    assert datenbank_pruefung.pruefen(make_engine(f"sqlite:///{kopie}"), gruendlich=True) == []


@pytest.mark.parametrize("fall", sorted(FEHLER))
def test_check_finds_each_fault_in_german(fall, kopie, monkeypatch, capsys):
    schaden, erwartet = FEHLER[fall]
    schaden(kopie)
    monkeypatch.setenv("IKZ_DATABASE_URL", f"sqlite:///{kopie}")
    assert main(["check"]) == 1
    ausgabe = capsys.readouterr()
    assert erwartet in ausgabe.err, ausgabe.err
    assert "Traceback" not in ausgabe.err and str(kopie.parent) not in ausgabe.err


@pytest.mark.parametrize("fall", sorted(FEHLER))
@pytest.mark.parametrize("befehl", ["import", "anbindungen-import", "produkte-import"])
def test_imports_refuse_a_database_that_fails_the_check(fall, befehl, kopie, tmp_path,
                                                        monkeypatch, capsys):
    datei = tmp_path / "leer.csv"
    datei.write_text("Verwaltungsschlüssel;Merkmal;Quartal;Stufe\n", encoding="utf-8")
    FEHLER[fall][0](kopie)
    vorher = _inhalt(kopie)
    monkeypatch.setenv("IKZ_DATABASE_URL", f"sqlite:///{kopie}")
    assert main([befehl, str(datei)]) == 3
    ausgabe = capsys.readouterr()
    assert ausgabe.err.startswith("Fehler: Die Datenbank ikz.sqlite"), ausgabe.err
    assert "nichts" in ausgabe.err and str(kopie.parent) not in ausgabe.err
    assert _inhalt(kopie) == vorher


def test_migrate_and_other_commands_on_an_unknown_revision(kopie, monkeypatch, capsys):
    _fremde_revision(kopie)
    monkeypatch.setenv("IKZ_DATABASE_URL", f"sqlite:///{kopie}")
    assert main(["migrate"]) == 3
    fehler = capsys.readouterr().err
    assert "unbekannten Schemastand" in fehler and "Traceback" not in fehler, fehler


def _voll(db: Path, monkeypatch) -> None:
    """SQLite's own "database or disk is full": no page may be added to the file."""
    original = database._sqlite_pragmas

    def pragmas(verbindung, record):
        original(verbindung, record)
        cursor = verbindung.cursor()
        seiten = cursor.execute("PRAGMA page_count").fetchone()[0]
        cursor.execute(f"PRAGMA max_page_count = {seiten}")
        cursor.close()

    monkeypatch.setattr(database, "_sqlite_pragmas", pragmas)


def test_full_and_read_only_databases_get_german_messages(kopie, monkeypatch):
    _voll(kopie, monkeypatch)
    engine = make_engine(f"sqlite:///{kopie}")
    with pytest.raises(Exception) as info, engine.begin() as verbindung:  # noqa: PT011
        verbindung.execute(text("CREATE TABLE gross (x TEXT)"))
        verbindung.execute(text("INSERT INTO gross VALUES (:x)"), [{"x": "x" * 4000}] * 200)
    assert datenbank_pruefung.ist_datenbankfehler(info.value)
    assert datenbank_pruefung.meldung(info.value, "ikz.sqlite").startswith(
        "Datenbank „ikz.sqlite“: Der Speicherplatz der Datenbank ist voll – Änderungen können "
        "nicht gespeichert werden. Der Betrieb muss")
    monkeypatch.undo()

    nur_lesen = make_engine(f"sqlite:///file:{kopie}?mode=ro&uri=true")
    event.remove(nur_lesen, "connect", database._sqlite_pragmas)  # WAL switch would write
    with pytest.raises(Exception) as info, nur_lesen.begin() as verbindung:  # noqa: PT011
        verbindung.execute(text("DELETE FROM meta"))
    assert datenbank_pruefung.meldung(info.value, "ikz.sqlite").startswith(
        "Datenbank „ikz.sqlite“: Die Datenbank ist schreibgeschützt")


def test_messages_name_only_the_database_file():
    assert datenbank_pruefung.datenbank_name("sqlite:////srv/geheim/ikz.sqlite") == "ikz.sqlite"
    assert datenbank_pruefung.datenbank_name(
        "postgresql+psycopg://nutzer:passwort@db.intern/ikz") == "ikz"
    unbekannt = datenbank_pruefung.meldung(RuntimeError("x"), "ikz.sqlite")
    assert unbekannt.startswith("Datenbank „ikz.sqlite“: Die Datenbank kann nicht gelesen oder "
                                "beschrieben werden. Bitte den Betrieb informieren")


# --- every page: a German message instead of a traceback --------------------------------------
def _app(url: str, monkeypatch, seite: str = "pages/lagebild.py") -> AppTest:
    monkeypatch.setenv("IKZ_DATABASE_URL", url)
    monkeypatch.chdir(ROOT)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90)
    at.switch_page(seite)
    return at.run()


def _deutsch(at: AppTest, erwartet: str) -> None:
    from components.shell import DATENBANK_TITEL

    assert not at.exception, [e.value for e in at.exception]
    fehler = "\n".join(str(e.value) for e in at.error)
    assert DATENBANK_TITEL in fehler and erwartet in fehler, fehler
    assert "kreis_data check" in fehler
    for wort in ENGLISCH:
        assert wort not in fehler, (wort, fehler)


@pytest.mark.parametrize("fall", ["abgeschnitten", "fremde_revision", "ohne_protokoll",
                                  "keine_datenbank"])
def test_app_start_on_a_faulty_database_shows_german(fall, kopie, monkeypatch):
    FEHLER[fall][0](kopie)
    at = _app(f"sqlite:///{kopie}", monkeypatch)
    _deutsch(at, "ikz.sqlite")
    assert str(kopie.parent) not in "\n".join(str(e.value) for e in at.error)


@pytest.mark.parametrize("seite", ["pages/lagebild.py", "pages/karte.py", "pages/verwaltung.py",
                                   "pages/kooperationen.py", "pages/efa.py",
                                   "pages/standardisierung.py", "pages/quartalsreview.py",
                                   "pages/datenpflege.py", "pages/methodik.py"])
def test_a_table_dropped_while_the_app_runs_shows_german_on_every_page(seite, kopie,
                                                                       monkeypatch, tmp_path):
    ziel = tmp_path / "laufend.sqlite"
    shutil.copyfile(kopie, ziel)
    url = f"sqlite:///{ziel}"
    at = _app(url, monkeypatch, seite)
    assert not at.exception
    _ausfuehren(ziel, "DROP TABLE audit_log")  # every run reads the data versions from it
    at.run()
    _deutsch(at, "Im Aufbau der Datenbank fehlt eine Tabelle oder Spalte")


def test_the_upload_handler_turns_a_database_fault_into_german(tmp_path):
    from sqlalchemy.exc import OperationalError

    from components.hochladen import import_ausfuehren

    def importieren(_pfad):
        raise OperationalError("INSERT INTO bewertung …", {}, sqlite3.OperationalError(
            "attempt to write a readonly database"))

    art, meldung = import_ausfuehren(tmp_path / "datei.xlsx", importieren)
    assert art == "error" and "schreibgeschützt" in meldung and "Nichts wurde gespeichert" in meldung
    assert "INSERT" not in meldung and "readonly" not in meldung
