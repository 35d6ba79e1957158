"""Part 3: server work per warm rerun, in-process with streamlit.testing's AppTest.

Every page of components/seiten.py is opened through app.py (tests/pages/apptest_helpers.py
open_page: the first run, cold), then rerun RUNDEN times unchanged – the warm reruns. Per warm
rerun: SQL statements (a SQLAlchemy before_cursor_execute listener on every engine) and the
process' CPU time (time.process_time() around at.run(); AppTest runs the script in a thread of
this process). The minimal page (bench/minimal_seite.py) is rerun the same way for the CPU
ratio.

Target (ziele.py): at most 3 SQL statements per warm rerun, on every page. CPU per rerun is
reported as seconds and as a ratio to the minimal page (the issue sets no target for it).
"""
from __future__ import annotations

import os
import re
import statistics
import time
from collections import Counter
from pathlib import Path

from bench import ziele
from bench.ziele import Messung

ROOT = Path(__file__).resolve().parent.parent
RUNDEN = 3
MINIMAL_SKRIPT = ROOT / "bench" / "minimal_seite.py"


class Anweisungen:
    """Counts the SQL statements every engine of the process sends while `aktiv`."""

    def __init__(self):
        from sqlalchemy import event
        from sqlalchemy.engine import Engine

        self.aktiv = False
        self.zaehler: Counter[str] = Counter()
        event.listen(Engine, "before_cursor_execute", self._vorher)
        self._abmelden = lambda: event.remove(Engine, "before_cursor_execute", self._vorher)

    def _vorher(self, _conn, _cursor, statement, *_args) -> None:
        if self.aktiv:
            self.zaehler[re.sub(r"\s+", " ", statement).strip()[:90]] += 1

    def schliessen(self) -> None:
        self._abmelden()


def _warm(at, anweisungen: Anweisungen, runden: int) -> tuple[list[int], list[float], Counter]:
    from tests.pages.apptest_helpers import assert_ok

    zahlen, cpu, letzte = [], [], Counter()
    for _ in range(runden):
        anweisungen.zaehler = Counter()
        anweisungen.aktiv = True
        start = time.process_time()
        try:
            at.run()
        finally:
            anweisungen.aktiv = False
        cpu.append(time.process_time() - start)
        assert_ok(at)
        zahlen.append(sum(anweisungen.zaehler.values()))
        letzte = anweisungen.zaehler
    return zahlen, cpu, letzte


def messen(datenbank_url: str, runden: int = RUNDEN) -> dict:
    os.environ["IKZ_DATABASE_URL"] = datenbank_url
    os.environ.setdefault("STREAMLIT_BROWSER_GATHER_USAGE_STATS", "false")
    os.chdir(ROOT)
    from streamlit.testing.v1 import AppTest

    from components.seiten import SEITEN
    from tests.pages.apptest_helpers import open_page

    anweisungen = Anweisungen()
    seiten = {}
    try:
        for seite in SEITEN:
            eintrag: dict = {"datei": seite.datei}
            try:
                start = time.process_time()
                anweisungen.zaehler, anweisungen.aktiv = Counter(), True
                try:
                    at = open_page(seite.datei)
                finally:
                    anweisungen.aktiv = False
                eintrag["erster_lauf"] = {"cpu_s": round(time.process_time() - start, 3),
                                          "sql": sum(anweisungen.zaehler.values())}
                zahlen, cpu, letzte = _warm(at, anweisungen, runden)
            except Exception as fehler:  # AssertionError of open_page included
                eintrag["fehler"] = f"{fehler.__class__.__name__}: {str(fehler)[:300]}"
                seiten[seite.titel] = eintrag
                continue
            eintrag.update({"sql_je_lauf": zahlen, "cpu_s_je_lauf": [round(c, 3) for c in cpu],
                            "sql_max": max(zahlen), "cpu_s_median": round(statistics.median(cpu), 3),
                            "haeufigste_anweisungen": letzte.most_common(5)})
            seiten[seite.titel] = eintrag
        minimal = AppTest.from_file(str(MINIMAL_SKRIPT), default_timeout=60)
        minimal.run()
        _, cpu_minimal, _ = _warm(minimal, anweisungen, runden)
    finally:
        anweisungen.schliessen()
    return {"runden": runden, "seiten": seiten,
            "minimalseite": {"cpu_s_je_lauf": [round(c, 4) for c in cpu_minimal],
                             "cpu_s_median": round(statistics.median(cpu_minimal), 4)}}


def messungen(ergebnis: dict) -> list[Messung]:
    basis = ergebnis["minimalseite"]["cpu_s_median"]
    liste = [Messung("sql", "Minimalseite: CPU je warmem Lauf", basis, "s")]
    for titel, eintrag in ergebnis["seiten"].items():
        liste.append(Messung("sql", f"{titel}: SQL-Anweisungen je warmem Lauf",
                             eintrag.get("sql_max"), "Anweisungen", ziele.SQL_JE_LAUF,
                             "höchstens 3 SQL-Anweisungen je warmem Lauf"))
        cpu = eintrag.get("cpu_s_median")
        liste.append(Messung("sql", f"{titel}: CPU je warmem Lauf", cpu, "s"))
        liste.append(Messung("sql", f"{titel}: CPU je warmem Lauf ÷ Minimalseite",
                             None if cpu is None or not basis else round(cpu / basis, 1), "×"))
    return liste
