"""One exit status per class for the whole command line (README.md, "Exit-Status"):
0 ok, 1 check found problems, 2 bad input (nothing written), 3 database not usable (nothing
written), 4 unexpected program error."""
from __future__ import annotations

import re
import sqlite3
from contextlib import closing
from pathlib import Path

import pytest

from kreis_data.cli import ausgabe, austausch, main

ROOT = Path(__file__).resolve().parents[3]
pytestmark = pytest.mark.nur_sqlite  # compares and damages the SQLite file byte for byte


@pytest.fixture
def db(demo_url, tmp_path, monkeypatch) -> Path:
    ziel = tmp_path / "ikz.sqlite"
    with closing(sqlite3.connect(demo_url.removeprefix("sqlite:///"))) as quelle, \
            closing(sqlite3.connect(ziel)) as kopie:
        quelle.backup(kopie)
    monkeypatch.setenv("IKZ_DATABASE_URL", f"sqlite:///{ziel}")
    return ziel


def test_0_success(db, tmp_path, capsys):
    assert main(["check"]) == ausgabe.OK == 0
    assert main(["export", "--quartal", "2026-Q3", "--out", str(tmp_path / "b.xlsx")]) == 0
    assert main(["import", str(tmp_path / "b.xlsx"), "--dry-run"]) == 0


def test_1_check_found_problems(db, capsys):
    with closing(sqlite3.connect(db)) as verbindung:
        verbindung.execute("PRAGMA foreign_keys=OFF")
        verbindung.execute("UPDATE gemeinde SET geometry = NULL WHERE rowid = 1")
        verbindung.commit()
    assert main(["check"]) == ausgabe.PROBLEME == 1
    assert "hat keine Geometrie" in capsys.readouterr().err


def test_2_bad_input(db, tmp_path, capsys):
    with pytest.raises(SystemExit) as info:  # argparse: missing options
        main(["export", "--unbekannt"])
    assert info.value.code == ausgabe.EINGABE_FEHLER == 2
    assert "diese Angaben fehlen" in capsys.readouterr().err
    kaputt = tmp_path / "kaputt.xlsx"
    kaputt.write_bytes(b"kein Excel")
    assert main(["import", str(kaputt)]) == 2  # unreadable file (was 1 before issue #18)
    fehlt = tmp_path / "fehlt.csv"
    assert main(["anbindungen-import", str(fehlt)]) == 2
    assert "fehlt.csv: Datei nicht gefunden" in capsys.readouterr().err
    ungueltig = tmp_path / "ungueltig.csv"
    ungueltig.write_text("Verwaltungsschlüssel;Merkmal;Quartal;Stufe\nx;y;z;9\n",
                         encoding="utf-8")
    assert main(["import", str(ungueltig)]) == 2
    assert main(["export", "--quartal", "2026-Q3", "--out", str(tmp_path / "x" / "b.xlsx")]) == 2
    assert main(["report", "--quartal", "2026-Q3", "--out", str(tmp_path / "b.docx")]) == 2


def test_3_database_not_usable(db, tmp_path, capsys):
    vorlage = tmp_path / "b.csv"
    assert main(["export", "--quartal", "2026-Q3", "--out", str(vorlage)]) == 0
    db.write_bytes(db.read_bytes()[:8192])  # truncated
    for befehl in (["import", str(vorlage)], ["export", "--quartal", "2026-Q3", "--out",
                                              str(tmp_path / "c.csv")], ["migrate"]):
        assert main(befehl) == ausgabe.DATENBANK_FEHLER == 3, befehl
        fehler = capsys.readouterr().err
        assert fehler.startswith("Fehler: ") and "Traceback" not in fehler, fehler
        assert str(tmp_path) not in fehler, fehler


def test_4_unexpected_error(db, monkeypatch, capsys):
    def kaputt(_args):
        raise ZeroDivisionError("division by zero")

    monkeypatch.setattr(austausch, "cmd_export", kaputt)
    assert main(["export", "--quartal", "2026-Q3", "--out", "x.xlsx"]) == 4
    assert "Unerwarteter Programmfehler (ZeroDivisionError)" in capsys.readouterr().err


def test_readme_documents_every_status():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    abschnitt = readme.split("### Exit-Status", 1)[1].split("###", 1)[0]
    assert re.findall(r"^\| (\d) \|", abschnitt, re.MULTILINE) == ["0", "1", "2", "3", "4"]


@pytest.mark.parametrize("befehl", [["export", "--out", "x.xlsx"], ["anbindungen-export", "--out", "x.xlsx"],
                                    ["report", "--out", "x.pdf"], ["import", "x.xlsx"]])
@pytest.mark.parametrize("quartal, lage", [("0-Q1", "kein gültiges Quartal"),
                                           ("9999-Q4", "zu weit in der Zukunft")])
def test_2_every_quartal_option_is_checked_against_the_allowed_range(
        db, tmp_path, monkeypatch, capsys, befehl, quartal, lage):
    monkeypatch.chdir(tmp_path)
    vorher = db.read_bytes()
    with pytest.raises(SystemExit) as ende:
        main([*befehl, "--quartal", quartal])
    assert ende.value.code == ausgabe.EINGABE_FEHLER
    meldung = capsys.readouterr().err
    assert lage in meldung and "erlaubt sind Quartale von 2015-Q1 bis" in meldung
    assert not list(tmp_path.glob("x.*")) and db.read_bytes() == vorher
