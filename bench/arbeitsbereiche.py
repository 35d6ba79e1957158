"""The two workspaces the benchmarks measure, made the way a user makes them (the CLI):

- the demo Kreis (Landkreis Osnabrück, 34 Gemeinden): `python -m kreis_data demo --force`;
- Eifelkreis Bitburg-Prüm (234 Gemeinden): `python -m kreis_data init --kreis 07232` into its
  own SQLite file, then the Bewertungen template exported, filled with deterministic values and
  imported again, so the map has colours.
"""
from __future__ import annotations

import csv
import hashlib
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from tests.e2e.helpers import demo_datenbank

ROOT = Path(__file__).resolve().parent.parent
QUARTAL = "2026-Q3"
BITBURG_AGS = "07232"


@dataclass(frozen=True)
class Arbeitsbereich:
    name: str  # "demo", "bitburg-pruem"
    kreis: str  # "Landkreis Osnabrück"
    url: str  # SQLAlchemy URL of its SQLite file


def _cli(url: str, *args: str) -> str:
    env = dict(os.environ, IKZ_DATABASE_URL=url)
    ergebnis = subprocess.run([sys.executable, "-m", "kreis_data", *args], cwd=ROOT, env=env,
                              capture_output=True, text=True, timeout=600)
    if ergebnis.returncode != 0:
        raise RuntimeError(f"kreis_data {' '.join(args)} endete mit {ergebnis.returncode}:\n"
                           f"{ergebnis.stdout}\n{ergebnis.stderr}")
    return ergebnis.stdout


def demo(ordner: Path) -> Arbeitsbereich:
    ordner.mkdir(parents=True, exist_ok=True)
    url = f"sqlite:///{ordner / 'demo.sqlite'}"
    demo_datenbank(dict(os.environ, IKZ_DATABASE_URL=url))
    return Arbeitsbereich("demo", "Landkreis Osnabrück", url)


def _stufe(verwaltung: str, merkmal: str, ja_nein: bool) -> str:
    """A fixed pseudo-random value per Verwaltung and Merkmal (one in six: keine Angabe)."""
    wert = int(hashlib.sha256(f"{verwaltung}|{merkmal}".encode()).hexdigest(), 16) % 6
    if wert == 5:
        return "keine Angabe"
    return ("nein", "ja")[wert % 2] if ja_nein else str(wert % 5)


def bewertungen_ausfuellen(pfad: Path) -> int:
    """Fill the exported template (semicolon CSV) in place; returns the rows filled."""
    from kreis_data import scales

    ja_nein = {m.key for m in scales.STANDARD_MERKMALE if m.art == "ja_nein"}
    with pfad.open(encoding="utf-8-sig", newline="") as datei:
        zeilen = list(csv.DictReader(datei, delimiter=";"))
        spalten = list(zeilen[0]) if zeilen else []
    for zeile in zeilen:
        zeile["Stufe"] = _stufe(zeile["Verwaltungsschlüssel"], zeile["Merkmal"],
                                zeile["Merkmal"] in ja_nein)
        if zeile["Stufe"] != "keine Angabe":
            zeile["Quelle"], zeile["Stand"] = "Selbstauskunft", "15.09.2026"
    with pfad.open("w", encoding="utf-8-sig", newline="") as datei:
        schreiber = csv.DictWriter(datei, fieldnames=spalten, delimiter=";")
        schreiber.writeheader()
        schreiber.writerows(zeilen)
    return len(zeilen)


def bitburg_pruem(ordner: Path) -> Arbeitsbereich:
    ordner.mkdir(parents=True, exist_ok=True)
    url = f"sqlite:///{ordner / 'bitburg-pruem.sqlite'}"
    _cli(url, "init", "--kreis", BITBURG_AGS, "--ersetzen")
    vorlage = ordner / "bewertungen.csv"
    _cli(url, "export", "--quartal", QUARTAL, "--out", str(vorlage))
    bewertungen_ausfuellen(vorlage)
    _cli(url, "import", str(vorlage))
    return Arbeitsbereich("bitburg-pruem", "Eifelkreis Bitburg-Prüm", url)
