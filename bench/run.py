"""Benchmarks of the data behind each page, as ratios against a baseline in the same run.

Baseline: reading every Bewertung of all quarters (queries.bewertungen) — the simplest read a
page makes. Each case is the uncached kreis_data work one page needs for one quarter. Ratios
keep the figures comparable across machines; wall times are written too, for context.

    .venv/bin/python bench/run.py            # writes bench/results/latest.json

Targets (ZIELE): the factor a page's data may cost relative to the baseline. A case over its
target is reported as "überschritten" and the exit status is 1.
"""
from __future__ import annotations

import json
import statistics
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kreis_data import queries  # noqa: E402
from kreis_data.analyses import deltas, karte, lagebild  # noqa: E402
from kreis_data.database import make_engine  # noqa: E402
from kreis_data.demo import install_demo  # noqa: E402
from kreis_data.efa import lesen as efa  # noqa: E402
from kreis_data.kooperationen import lesen as kooperationen  # noqa: E402
from kreis_data.software import lesen as standardisierung  # noqa: E402

QUARTAL = "2026-Q3"
WIEDERHOLUNGEN = 5

FAELLE = {
    "Lagebild: Kennzahlen": lambda e: lagebild.kennzahlen(e, QUARTAL),
    "Karte: Werte und Geometrie": lambda e: karte.karten_werte(karte.grundlage(e, QUARTAL),
                                                               QUARTAL, "e_akte"),
    "EfA: Nachnutzungs-Chancen": lambda e: efa.chancen(e, QUARTAL),
    "Standardisierung: Domäne": lambda e: standardisierung.domaenen_auswertung(e, "E-Akte/DMS"),
    "Kooperationen: Warnhinweise": lambda e: kooperationen.warnungen(e, QUARTAL),
    "Quartalsreview: Deltas": lambda e: deltas.deltas(e, QUARTAL),
}
# About four times the factor measured when the benchmark was written (2026-11-22): room for
# noise on a shared 2-core machine, small enough to catch a slower algorithm.
ZIELE = {
    "Lagebild: Kennzahlen": 15.0,
    "Karte: Werte und Geometrie": 120.0,
    "EfA: Nachnutzungs-Chancen": 15.0,
    "Standardisierung: Domäne": 25.0,
    "Kooperationen: Warnhinweise": 30.0,
    "Quartalsreview: Deltas": 40.0,
}


def messen(funktion, engine) -> tuple[float, int]:
    """Median seconds over WIEDERHOLUNGEN runs and peak traced memory in bytes."""
    zeiten = []
    for _ in range(WIEDERHOLUNGEN):
        start = time.perf_counter()
        funktion(engine)
        zeiten.append(time.perf_counter() - start)
    tracemalloc.start()
    funktion(engine)
    _, spitze = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return statistics.median(zeiten), spitze


def main() -> int:
    with tempfile.TemporaryDirectory() as ordner:
        engine = make_engine(f"sqlite:///{ordner}/bench.sqlite")
        install_demo(engine)
        basis_zeit, basis_speicher = messen(lambda e: queries.bewertungen(e), engine)
        ergebnisse = []
        for name, funktion in FAELLE.items():
            try:
                zeit, speicher = messen(funktion, engine)
            except Exception as error:  # a case that cannot run is reported, not hidden
                ergebnisse.append({"fall": name, "fehler": repr(error)})
                continue
            faktor = zeit / basis_zeit
            ergebnisse.append({
                "fall": name, "sekunden": round(zeit, 4), "faktor_zur_basis": round(faktor, 1),
                "spitzenspeicher_mb": round(speicher / 2**20, 2),
                "ziel_faktor": ZIELE[name],
                "status": "ok" if faktor <= ZIELE[name] else "überschritten"})
    bericht = {"basis": {"fall": "alle Bewertungen lesen", "sekunden": round(basis_zeit, 4),
                         "spitzenspeicher_mb": round(basis_speicher / 2**20, 2)},
               "quartal": QUARTAL, "wiederholungen": WIEDERHOLUNGEN, "faelle": ergebnisse}
    ziel = ROOT / "bench" / "results"
    ziel.mkdir(parents=True, exist_ok=True)
    (ziel / "latest.json").write_text(json.dumps(bericht, ensure_ascii=False, indent=2),
                                      encoding="utf-8")
    print(f"Basis (alle Bewertungen lesen): {basis_zeit * 1000:.1f} ms")
    for e in ergebnisse:
        if "fehler" in e:
            print(f"{e['fall']:<32} FEHLER {e['fehler']}")
        else:
            print(f"{e['fall']:<32} {e['sekunden'] * 1000:8.1f} ms  Faktor {e['faktor_zur_basis']:6.1f}"
                  f" (Ziel ≤ {e['ziel_faktor']:.0f})  {e['spitzenspeicher_mb']:6.2f} MB  {e['status']}")
    print(f"Ergebnisse: {ziel / 'latest.json'}")
    return 0 if all(e.get("status") == "ok" for e in ergebnisse) else 1


if __name__ == "__main__":
    sys.exit(main())
