"""Backup and restore (issue #17): a round trip gives the identical workspace on the test's
backend (SQLite, and PostgreSQL in the second pass), across backends too; a wrong file, another
schema revision or a missing confirmation is refused in German and changes nothing."""
from __future__ import annotations

import sqlite3
from contextlib import closing

import pytest

from kreis_data.bewertungen.regeln import BewertungEingabe
from kreis_data.bewertungen.schreiben import store_bewertungen
from kreis_data.cli import main
from kreis_data.database import make_engine
from kreis_data.fehler import Ungueltig
from kreis_data.sicherung import inhalt, sichern, wiederherstellen
from tests.datenbanken import kopie, neue_url, postgres_admin

BELM = "034590008"


@pytest.fixture
def arbeitsbereich(demo_url, tmp_path):
    engine = make_engine(kopie(demo_url, tmp_path, "arbeit"))
    yield engine
    engine.dispose()


def _aendern(engine) -> None:
    store_bewertungen(engine, [BewertungEingabe(BELM, "e_akte", "2026-Q3", 0)], benutzer="Test")


def test_backup_change_restore_gives_the_identical_workspace(arbeitsbereich, tmp_path):
    vorher = inhalt(arbeitsbereich)
    anzahl = sichern(arbeitsbereich, tmp_path / "sicherung.sqlite")
    assert anzahl["bewertung"] == len(vorher["bewertung"]) > 0
    _aendern(arbeitsbereich)
    assert inhalt(arbeitsbereich) != vorher
    wiederherstellen(arbeitsbereich, tmp_path / "sicherung.sqlite")
    assert inhalt(arbeitsbereich) == vorher
    _aendern(arbeitsbereich)  # new rows get fresh ids after a restore (PostgreSQL sequences)


@pytest.mark.skipif(postgres_admin() is None, reason="braucht PostgreSQL (IKZ_TEST_POSTGRES)")
def test_a_backup_restores_across_backends(arbeitsbereich, tmp_path):
    """PostgreSQL workspace -> backup -> SQLite workspace and back: identical rows."""
    sichern(arbeitsbereich, tmp_path / "pg.sqlite")
    lite = make_engine(f"sqlite:///{tmp_path / 'lite.sqlite'}")
    try:
        wiederherstellen(lite, tmp_path / "pg.sqlite")
        assert inhalt(lite) == inhalt(arbeitsbereich)
        _aendern(lite)
        sichern(lite, tmp_path / "lite-sicherung.sqlite")
        wiederherstellen(arbeitsbereich, tmp_path / "lite-sicherung.sqlite")
        assert inhalt(arbeitsbereich) == inhalt(lite)
    finally:
        lite.dispose()


def test_the_cli_round_trip_and_its_refusals(arbeitsbereich, tmp_path, monkeypatch, capsys):
    url = arbeitsbereich.url.render_as_string(hide_password=False)
    monkeypatch.setenv("IKZ_DATABASE_URL", url)
    datei = tmp_path / "sicherung.sqlite"
    assert main(["sicherung", "--out", str(datei)]) == 0
    assert "Zeilen in" in capsys.readouterr().out
    vorher = inhalt(arbeitsbereich)
    _aendern(arbeitsbereich)
    geaendert = inhalt(arbeitsbereich)

    assert main(["wiederherstellen", str(datei)]) == 2  # no --ja
    assert "ersetzt ALLE Daten" in capsys.readouterr().err
    fremd = tmp_path / "fremd.sqlite"
    fremd.write_bytes(b"keine Sicherung")
    assert main(["wiederherstellen", str(fremd), "--ja"]) == 2
    assert "ist keine Sicherung des IKZ-Monitors" in capsys.readouterr().err
    alt = tmp_path / "alt.sqlite"
    alt.write_bytes(datei.read_bytes())
    with closing(sqlite3.connect(alt)) as db, db:
        db.execute("UPDATE ikz_sicherung SET wert = '0001' WHERE schluessel = 'revision'")
    assert main(["wiederherstellen", str(alt), "--ja"]) == 2
    assert "hat den Schemastand 0001" in capsys.readouterr().err
    assert main(["sicherung", "--out", str(tmp_path / "fehlt" / "x.sqlite")]) == 2
    assert inhalt(arbeitsbereich) == geaendert  # every refusal changed nothing

    assert main(["wiederherstellen", str(datei), "--ja"]) == 0
    assert "wiederhergestellt" in capsys.readouterr().out
    assert inhalt(arbeitsbereich) == vorher


def test_a_backup_of_a_new_empty_workspace_restores(tmp_path):
    engine = make_engine(neue_url(tmp_path, "leer"))
    try:
        from kreis_data.database import migrate

        migrate(engine)
        sichern(engine, tmp_path / "leer-sicherung.sqlite")
        wiederherstellen(engine, tmp_path / "leer-sicherung.sqlite")
        assert all(not zeilen for zeilen in inhalt(engine).values())
    finally:
        engine.dispose()


def test_a_restore_that_fails_midway_changes_nothing(arbeitsbereich, tmp_path):
    datei = tmp_path / "sicherung.sqlite"
    sichern(arbeitsbereich, datei)
    with closing(sqlite3.connect(datei)) as db, db:  # a count that does not match its rows
        db.execute("UPDATE ikz_sicherung SET wert = '1' WHERE schluessel = 'zeilen:bewertung'")
    _aendern(arbeitsbereich)
    geaendert = inhalt(arbeitsbereich)
    with pytest.raises(Ungueltig, match="Tabelle bewertung hat .* statt 1 Zeilen – nichts wurde"):
        wiederherstellen(arbeitsbereich, datei)
    assert inhalt(arbeitsbereich) == geaendert
