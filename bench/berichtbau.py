"""Part "bericht": how long the quarterly report takes to build for the demo Kreis (issue #15:
"Reports built in under 5 s for the demo Kreis").

Measured in a fresh Python process per run (like a new app worker or the CLI), against the demo
workspace of this bench run:

- im Prozess, erster Bericht: import of the report modules and the first build_pdf /
  build_pptx, data included (queries, map and chart pictures, layout) – what the first
  download in a freshly started app costs;
- im Prozess, weitere Berichte: the median of WIEDERHOLUNGEN further builds in that process;
- Befehlszeile: `python -m kreis_data report --out …` from start to the written file;
- Grundlinie: an empty PDF (WeasyPrint, same PDF/UA variant) and an empty deck
  (python-pptx) built in the same process; the ratio report ÷ empty document is what stays
  comparable between machines (absolute seconds do not).

Target (ziele.BERICHT_SEKUNDEN): every build, first one and command line included, at most 5 s.
The CPU time of the first build (no target) shows what the build itself costs when other
processes share the cores: wall time then grows, CPU time hardly.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench import ziele
from bench.ziele import Messung

ROOT = Path(__file__).resolve().parent.parent
QUARTAL = "2026-Q3"
WIEDERHOLUNGEN = 3
QUELLE = "issue #15: Berichte für den Demo-Kreis in unter 5 s"

# Runs in the child process; prints one JSON line.
_KIND = r"""
import io, json, statistics, sys, time
start, cpu_start = time.perf_counter(), time.process_time()
from kreis_data.database import make_engine
from kreis_data.reports import build_pdf, build_pptx
import_s, import_cpu_s = time.perf_counter() - start, time.process_time() - cpu_start
engine = make_engine(sys.argv[1])
quartal, n = sys.argv[2], int(sys.argv[3])
def uhr(f):
    t = time.perf_counter(); daten = f(); return time.perf_counter() - t, daten
ergebnis = {"import_s": import_s, "import_cpu_s": import_cpu_s}
for name, bauen in (("pdf", build_pdf), ("pptx", build_pptx)):
    cpu = time.process_time()
    erster, daten = uhr(lambda: bauen(engine, quartal))
    erster_cpu = time.process_time() - cpu
    weitere = [uhr(lambda: bauen(engine, quartal))[0] for _ in range(n)]
    ergebnis[name] = {"erster_s": erster, "erster_cpu_s": erster_cpu, "weitere_s": weitere,
                      "median_s": statistics.median(weitere), "bytes": len(daten)}
def leeres_pdf():
    import weasyprint
    return weasyprint.HTML(string='<html lang="de"><title>leer</title><p>leer</p></html>'
                           ).write_pdf(pdf_variant="pdf/ua-1")
def leeres_pptx():
    from pptx import Presentation
    puffer = io.BytesIO(); Presentation().save(puffer); return puffer.getvalue()
for name, bauen in (("leer_pdf", leeres_pdf), ("leer_pptx", leeres_pptx)):
    bauen()  # first call: imports and fonts, counted in the report's first build above
    zeiten = [uhr(bauen)[0] for _ in range(n)]
    ergebnis[name] = {"weitere_s": zeiten, "median_s": statistics.median(zeiten)}
print(json.dumps(ergebnis))
"""


def _umgebung(url: str) -> dict:
    return dict(os.environ, IKZ_DATABASE_URL=url, PYTHONPATH=str(ROOT))


def im_prozess(url: str) -> dict:
    ergebnis = subprocess.run([sys.executable, "-c", _KIND, url, QUARTAL, str(WIEDERHOLUNGEN)],
                              cwd=ROOT, env=_umgebung(url), capture_output=True, text=True,
                              timeout=600)
    if ergebnis.returncode != 0:
        raise RuntimeError(f"Berichtsbau endete mit {ergebnis.returncode}:\n"
                           f"{ergebnis.stderr[-2000:]}")
    return json.loads(ergebnis.stdout.strip().splitlines()[-1])


def befehlszeile(url: str, endung: str) -> float:
    with tempfile.TemporaryDirectory(prefix="ikz-bench-bericht-") as ordner:
        ziel = Path(ordner) / f"bericht.{endung}"
        start = time.perf_counter()
        ergebnis = subprocess.run([sys.executable, "-m", "kreis_data", "report", "--quartal",
                                   QUARTAL, "--out", str(ziel)], cwd=ROOT, env=_umgebung(url),
                                  capture_output=True, text=True, timeout=600)
        dauer = time.perf_counter() - start
        if ergebnis.returncode != 0 or not ziel.exists():
            raise RuntimeError(f"report --out {ziel.name} endete mit {ergebnis.returncode}:\n"
                               f"{ergebnis.stdout}\n{ergebnis.stderr[-2000:]}")
    return dauer


def messen(url: str) -> dict:
    ergebnis = {"prozess": im_prozess(url)}
    ergebnis["befehlszeile"] = {e: befehlszeile(url, e) for e in ("pdf", "pptx")}
    return ergebnis


def messungen(ergebnis: dict) -> list[Messung]:
    p = ergebnis["prozess"]
    ziel = ziele.BERICHT_SEKUNDEN
    liste = []
    for name, titel in (("pdf", "PDF"), ("pptx", "PowerPoint")):
        liste += [
            Messung("bericht", f"{titel}: erster Bericht im Prozess (mit Importen)",
                    p["import_s"] + p[name]["erster_s"], "s", ziel, QUELLE),
            Messung("bericht", f"{titel}: erster Bericht, CPU-Zeit des Prozesses (mit Importen)",
                    p.get("import_cpu_s", 0) + p[name].get("erster_cpu_s", 0), "s"),
            Messung("bericht", f"{titel}: weitere Berichte im Prozess (Median)",
                    p[name]["median_s"], "s", ziel, QUELLE),
            Messung("bericht", f"{titel}: Befehlszeile report (Start bis Datei)",
                    ergebnis["befehlszeile"][name], "s", ziel, QUELLE),
            Messung("bericht", f"{titel}: leeres Dokument (Grundlinie)",
                    p[f"leer_{name}"]["median_s"], "s"),
            Messung("bericht", f"{titel}: Bericht ÷ leeres Dokument",
                    p[name]["median_s"] / p[f"leer_{name}"]["median_s"]
                    if p[f"leer_{name}"]["median_s"] else None, "×"),
            Messung("bericht", f"{titel}: Größe", p[name]["bytes"], "B"),
        ]
    return liste
