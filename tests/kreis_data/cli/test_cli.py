"""The command line as a user runs it: demo, check, export, import (good and bad files)."""
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]


def cli(db: Path, *args: str) -> subprocess.CompletedProcess:
    env = {"IKZ_DATABASE_URL": f"sqlite:///{db}", "PATH": "/usr/bin:/bin"}
    return subprocess.run([sys.executable, "-m", "kreis_data", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120)


def content(db: Path) -> list[str]:
    """Every row of every table, as SQL text: 'byte-for-byte unchanged in content'."""
    with sqlite3.connect(db) as connection:
        return list(connection.iterdump())


@pytest.fixture(scope="module")
def db(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("cli") / "ikz.sqlite"
    result = cli(path, "demo")
    assert result.returncode == 0, result.stderr
    assert "Demo-Datenbank angelegt" in result.stdout
    return path


def test_demo_is_idempotent_and_check_passes(db):
    before = content(db)
    again = cli(db, "demo")
    assert again.returncode == 0 and "bereits vorhanden" in again.stdout
    assert content(db) == before
    check = cli(db, "check")
    assert check.returncode == 0, check.stderr
    assert "Gemeinden: 34" in check.stdout
    assert "Verwaltungen: 21 plus 1 Kreisverwaltung" in check.stdout
    assert "Einwohner: 358.080" in check.stdout
    assert "Quartale mit Bewertungen: 8 (2024-Q4 bis 2026-Q3)" in check.stdout


@pytest.mark.parametrize("suffix", ["xlsx", "csv"])
def test_export_then_import_changes_nothing(db, tmp_path, suffix):
    out = tmp_path / f"bewertungen.{suffix}"
    export = cli(db, "export", "--quartal", "2026-Q3", "--out", str(out))
    assert export.returncode == 0, export.stderr
    before = content(db)
    result = cli(db, "import", str(out), "--quartal", "2026-Q3")
    assert result.returncode == 0, result.stderr
    assert "0 geändert" in result.stdout or "unverändert" in result.stdout
    assert content(db) == before


BAD_FILES = {
    "unbekannte_verwaltung.csv": ("034599999", "Verwaltungsschlüssel"),
    "stufe_7.csv": ("7", "Stufe"),
    "merkmal_spalte.csv": ("Merkmall", "Merkmal"),
    "doppelt.csv": (None, "doppelt"),
    "leer.csv": (None, "leer"),
    "quartal.csv": ("2026Q3", "Quartal"),
}


def bad_csv(kind: str, good: list[str]) -> str:
    header, first, second = good[0], good[1], good[2]
    if kind == "unbekannte_verwaltung.csv":
        return "\n".join([header, first.replace("034590024", "034599999", 1)
                          if "034590024" in first else ";".join(
                              [first.split(";")[0], "034599999"] + first.split(";")[2:])])
    if kind == "stufe_7.csv":
        cells = first.split(";")
        cells[4] = "7"
        return "\n".join([header, ";".join(cells)])
    if kind == "merkmal_spalte.csv":
        return "\n".join([header.replace("Merkmal", "Merkmall"), first])
    if kind == "doppelt.csv":
        return "\n".join([header, first, second, first])
    if kind == "leer.csv":
        return ""
    if kind == "quartal.csv":
        return "\n".join([header, first.replace("2026-Q3", "2026Q3", 1)])
    raise AssertionError(kind)


@pytest.mark.parametrize("kind", sorted(BAD_FILES))
def test_bad_file_is_refused_in_german_and_nothing_changes(db, tmp_path, kind):
    good = tmp_path / "gut.csv"
    assert cli(db, "export", "--quartal", "2026-Q3", "--out", str(good)).returncode == 0
    lines = good.read_text(encoding="utf-8-sig").splitlines()
    bad = tmp_path / kind
    bad.write_text(bad_csv(kind, lines), encoding="utf-8")
    before = content(db)
    result = cli(db, "import", str(bad))
    assert result.returncode == 2, (result.stdout, result.stderr)
    assert kind in result.stderr  # names the file
    value, column = BAD_FILES[kind]
    assert column.lower() in result.stderr.lower()
    if value:
        assert value in result.stderr
    assert "Nichts wurde geschrieben" in result.stderr
    assert content(db) == before


# --- Other exchanges: EfA-Anbindungen, Produkte und Standards ---------------------------------
@pytest.mark.parametrize("suffix", ["xlsx", "csv"])
def test_anbindungen_export_then_import_changes_nothing(db, tmp_path, suffix):
    out = tmp_path / f"anbindungen.{suffix}"
    export = cli(db, "anbindungen-export", "--quartal", "2026-Q3", "--out", str(out))
    assert export.returncode == 0, export.stderr
    assert "für Quartal 2026-Q3" in export.stdout
    before = content(db)
    result = cli(db, "anbindungen-import", str(out), "--quartal", "2026-Q3")
    assert result.returncode == 0, result.stderr
    assert "0 Anbindungen geändert, 0 neu angelegt" in result.stdout
    assert content(db) == before


def test_bad_anbindungen_file_is_refused_in_german_and_nothing_changes(db, tmp_path):
    good = tmp_path / "gut.csv"
    assert cli(db, "anbindungen-export", "--quartal", "2026-Q3", "--out", str(good)).returncode == 0
    header, first, *rest = good.read_text(encoding="utf-8-sig").splitlines()
    cells = first.split(";")
    cells[header.split(";").index("Status")] = "fertig"
    bad = tmp_path / "status_fertig.csv"
    bad.write_text("\n".join([header, ";".join(cells), *rest]), encoding="utf-8")
    before = content(db)
    result = cli(db, "anbindungen-import", str(bad))
    assert result.returncode == 2, (result.stdout, result.stderr)
    assert "status_fertig.csv, Zeile 2, Spalte „Status“: „fertig“ ist kein gültiger Status" \
        in result.stderr
    assert "Nichts wurde geschrieben" in result.stderr
    assert content(db) == before


def test_produkte_export_then_import_changes_nothing(db, tmp_path):
    out = tmp_path / "produkte.xlsx"
    export = cli(db, "produkte-export", "--out", str(out))
    assert export.returncode == 0, export.stderr
    before = content(db)
    result = cli(db, "produkte-import", str(out))
    assert result.returncode == 0, result.stderr
    assert "0 geändert, 0 neu angelegt" in result.stdout
    assert content(db) == before


def test_unreadable_exchange_file_exits_2_in_german(db, tmp_path):
    kaputt = tmp_path / "kaputt.xlsx"
    kaputt.write_bytes(b"kein Excel")
    for befehl in ("anbindungen-import", "produkte-import"):
        result = cli(db, befehl, str(kaputt))
        assert result.returncode == 2, (befehl, result.stderr)
        assert "kaputt.xlsx: Datei kann nicht gelesen werden" in result.stderr
