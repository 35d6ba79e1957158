"""Results: test-output/bench/ergebnisse.json (one entry per part, a part run alone replaces
only its own entry) and a readable table on stdout with the gap of every missed target."""
from __future__ import annotations

import datetime as dt
import json
import os
import platform
import subprocess
from pathlib import Path

from bench.ziele import Messung, formatieren

ROOT = Path(__file__).resolve().parent.parent
DATEI = ROOT / "test-output" / "bench" / "ergebnisse.json"


def jetzt() -> str:
    return dt.datetime.now().astimezone().isoformat(timespec="seconds")


def umgebung() -> dict:
    def git(*args: str) -> str:
        try:
            return subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True,
                                  timeout=30).stdout.strip()
        except (OSError, subprocess.SubprocessError):
            return ""

    return {"cpus": os.cpu_count(), "python": platform.python_version(),
            "commit": git("rev-parse", "--short", "HEAD"),
            "arbeitsbaum_geaendert": bool(git("status", "--porcelain"))}


def speichern(teil: str, eintrag: dict, datei: Path = DATEI) -> Path:
    """Write `teil`'s entry into the results file, keeping the other parts' entries."""
    datei.parent.mkdir(parents=True, exist_ok=True)
    try:
        alles = json.loads(datei.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        alles = {}
    alles.setdefault("teile", {})[teil] = eintrag
    alles["stand"] = jetzt()
    alles["umgebung"] = umgebung()
    datei.write_text(json.dumps(alles, ensure_ascii=False, indent=2, default=str),
                     encoding="utf-8")
    return datei


def _ziel_text(m: Messung) -> str:
    return "" if m.ziel is None else f"≤ {formatieren(m.ziel, m.einheit)}"


def _status(m: Messung) -> str:
    if not m.geprueft:
        return ""
    return "erreicht" if m.erreicht else f"VERFEHLT: {m.luecke()}"


def tabelle(titel: str, messungen: list[Messung], fehler: list[str]) -> str:
    zeilen = [f"\n== {titel} =="]
    breite = max([len(m.name) for m in messungen] + [20])
    for m in messungen:
        zeilen.append(f"{m.name:<{breite}}  {formatieren(m.wert, m.einheit):>12}  "
                      f"{_ziel_text(m):>12}  {_status(m)}".rstrip())
    zeilen += [f"FEHLER: {f}" for f in fehler]
    return "\n".join(zeilen)


def zusammenfassung(alle: list[Messung], fehler: int) -> str:
    geprueft = [m for m in alle if m.geprueft]
    verfehlt = [m for m in geprueft if not m.erreicht]
    zeilen = [f"\n{len(geprueft) - len(verfehlt)} von {len(geprueft)} Zielen erreicht"
              + (f", {fehler} Messfehler" if fehler else "") + "."]
    for m in verfehlt:
        zeilen.append(f"  verfehlt: {m.name}: {formatieren(m.wert, m.einheit)} "
                      f"(Ziel {_ziel_text(m)}; {m.luecke()}) – Ziel: {m.ziel_quelle}")
    return "\n".join(zeilen)
