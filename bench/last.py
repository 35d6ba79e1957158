"""Part 4: simultaneous sessions on one server – 1, 5, 10 and 20 at once.

Each session is a protocol-level client (protokoll.py, websocket on 127.0.0.1) doing what a
reader does: open the app (Lagebild), switch to the Karte, choose another Quartal in the
sidebar. Step time = from sending the rerun to the run's end. Every level runs the same number
of journeys (JOURNEYS: 20 sessions once, 10 twice, 5 four times, 1 twenty times in a row),
so each level has the same number of steps. Reported per level: median and p95 step time,
errors, the server's peak RSS and CPU per step (its whole process group, from /proc).

Target (ziele.py): p95 at 20 sessions <= 2x the p95 of a single session, no error.
"""
from __future__ import annotations

import asyncio
import statistics
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from bench import ziele
from bench.browser import cpu_s, rss_mb, server, server_pid
from bench.protokoll import Abbruch, Sitzung
from bench.ziele import Messung

STUFEN = (1, 5, 10, 20)
JOURNEYS = 20
STUFE_HOECHSTENS_S = 900  # a level that takes longer is stopped and its steps count as errors
LAUF_HOECHSTENS_S = 120


def perzentil(werte: list[float], p: float) -> float | None:
    """p-th percentile, linear between the closest ranks (as numpy's default)."""
    if not werte:
        return None
    geordnet = sorted(werte)
    position = (len(geordnet) - 1) * p / 100
    unten = int(position)
    oben = min(unten + 1, len(geordnet) - 1)
    return geordnet[unten] + (geordnet[oben] - geordnet[unten]) * (position - unten)


def _anderes_quartal(sitzung: Sitzung) -> str:
    from kreis_data.quartal import Quartal

    aktuell = sitzung.quartal()
    jetzt = Quartal.parse(aktuell).label if aktuell else None
    andere = [o for o in sitzung.optionen("Quartal")
              if "ohne Angaben" not in o and o != jetzt]
    if not andere:
        raise Abbruch("kein anderes Quartal zur Auswahl")
    return andere[-1]


@dataclass(frozen=True)
class Schritt:
    name: str
    sekunden: float | None = None
    bytes: int = 0
    fehler: str | None = None


async def reise(base_url: str) -> list[Schritt]:
    """Lagebild -> Karte -> another Quartal, one Schritt each (an error ends the journey)."""
    schritte: list[Schritt] = []
    offen = ["Lagebild", "Karte", "Quartal wechseln"]
    try:
        async with Sitzung(base_url, LAUF_HOECHSTENS_S) as sitzung:
            lauf = await sitzung.lauf()
            schritte.append(Schritt(offen.pop(0), lauf.sekunden, lauf.bytes))
            lauf = await sitzung.lauf(seite="karte")
            if "Karte" not in lauf.titel:
                raise Abbruch(f"Karte nicht erreicht (Titel {lauf.titel[:3]})")
            schritte.append(Schritt(offen.pop(0), lauf.sekunden, lauf.bytes))
            vorher = sitzung.quartal()
            lauf = await sitzung.lauf(widgets=[sitzung.auswahl("Quartal",
                                                              _anderes_quartal(sitzung))])
            if sitzung.quartal() == vorher:
                raise Abbruch(f"Quartal nicht gewechselt ({vorher})")
            schritte.append(Schritt(offen.pop(0), lauf.sekunden, lauf.bytes))
    except Exception as fehler:  # Abbruch, OSError, timeouts, the websocket library's errors
        schritte.extend(Schritt(name, fehler=f"{fehler.__class__.__name__}: {fehler}")
                        for name in offen)
    return schritte


async def _stufe(base_url: str, sitzungen: int) -> list[Schritt]:
    async def sitzung_lang() -> list[Schritt]:
        ergebnis = []
        for _ in range(JOURNEYS // sitzungen):
            ergebnis.extend(await reise(base_url))
        return ergebnis

    aufgaben = [asyncio.create_task(sitzung_lang()) for _ in range(sitzungen)]
    fertig, offen = await asyncio.wait(aufgaben, timeout=STUFE_HOECHSTENS_S)
    for aufgabe in offen:
        aufgabe.cancel()
    schritte = [s for a in fertig for s in a.result()]
    fehlend = JOURNEYS * 3 - len(schritte)
    schritte.extend(Schritt("?", fehler=f"Stufe nach {STUFE_HOECHSTENS_S} s abgebrochen")
                    for _ in range(max(fehlend, 0)))
    return schritte


class Speicherprobe:
    """The server group's RSS every 0.25 s in a thread: the peak while a level runs."""

    def __init__(self, pgid: int):
        self.pgid, self.spitze, self._stopp = pgid, 0.0, threading.Event()
        self._faden = threading.Thread(target=self._laufen, daemon=True)

    def _laufen(self) -> None:
        while not self._stopp.is_set():
            self.spitze = max(self.spitze, rss_mb(self.pgid))
            self._stopp.wait(0.25)

    def __enter__(self) -> Speicherprobe:
        self._faden.start()
        return self

    def __exit__(self, *_) -> None:
        self._stopp.set()
        self._faden.join(timeout=5)


def stufe_messen(base_url: str, pgid: int, sitzungen: int) -> dict:
    cpu_vorher = cpu_s(pgid)
    client_vorher = time.process_time()
    start = time.perf_counter()
    with Speicherprobe(pgid) as probe:
        schritte = asyncio.run(_stufe(base_url, sitzungen))
    zeiten = [s.sekunden for s in schritte if s.fehler is None and s.sekunden is not None]
    fehler = [s.fehler for s in schritte if s.fehler is not None]
    bytes_je_schritt = {name: int(statistics.median(b)) for name in ("Lagebild", "Karte",
                                                                      "Quartal wechseln")
                        if (b := [s.bytes for s in schritte if s.name == name and not s.fehler])}
    return {
        "sitzungen": sitzungen, "schritte": len(schritte), "fehler": len(fehler),
        "fehler_beispiele": sorted(set(fehler))[:5],
        "median_s": None if not zeiten else round(statistics.median(zeiten), 3),
        "p95_s": None if not zeiten else round(perzentil(zeiten, 95), 3),
        "max_s": None if not zeiten else round(max(zeiten), 3),
        "dauer_s": round(time.perf_counter() - start, 1),
        "bytes_je_schritt_median": bytes_je_schritt,
        "server_rss_spitze_mb": round(probe.spitze, 1),
        "server_rss_danach_mb": round(rss_mb(pgid), 1),
        "server_cpu_je_schritt_s": round((cpu_s(pgid) - cpu_vorher) / max(len(zeiten), 1), 3),
        # the clients share the 2 cores with the server: their own CPU, for judging the figures
        "client_cpu_s": round(time.process_time() - client_vorher, 1),
    }


def messen(datenbank_url: str, ordner: Path) -> dict:
    with server(datenbank_url, ordner / "server-last") as base_url:
        pgid = server_pid(base_url)
        if pgid is None:
            raise RuntimeError("Serverprozess nicht gefunden")
        rss_start = rss_mb(pgid)
        # One journey first: the server's first runs and its caches belong to no level.
        aufwaermen = asyncio.run(reise(base_url))
        stufen = []
        for n in STUFEN:
            print(f"  {n} Sitzung(en) gleichzeitig …", flush=True)
            stufen.append(stufe_messen(base_url, pgid, n))
        return {"server_rss_start_mb": round(rss_start, 1),
                "aufwaermen_fehler": [s.fehler for s in aufwaermen if s.fehler],
                "stufen": stufen}


def messungen(ergebnis: dict) -> list[Messung]:
    stufen = {s["sitzungen"]: s for s in ergebnis["stufen"]}
    eins, zwanzig = stufen.get(1, {}), stufen.get(max(STUFEN), {})
    faktor = (None if not eins.get("p95_s") or zwanzig.get("p95_s") is None
              else round(zwanzig["p95_s"] / eins["p95_s"], 2))
    liste = [
        Messung("last", f"p95 bei {max(STUFEN)} Sitzungen ÷ p95 einer Sitzung", faktor, "×",
                ziele.LAST_P95_ZU_EINZEL, "p95 bei 20 Sitzungen höchstens 2× eine Sitzung"),
        Messung("last", "Fehler über alle Stufen", sum(s["fehler"] for s in stufen.values()),
                "Fehler", ziele.LAST_FEHLER, "kein Fehler"),
        Messung("last", "Server-RSS nach dem Start", ergebnis["server_rss_start_mb"], "MB"),
    ]
    for n, stufe in stufen.items():
        liste += [Messung("last", f"{n} Sitzung(en): Median je Schritt", stufe["median_s"], "s"),
                  Messung("last", f"{n} Sitzung(en): p95 je Schritt", stufe["p95_s"], "s"),
                  Messung("last", f"{n} Sitzung(en): Server-CPU je Schritt",
                          stufe["server_cpu_je_schritt_s"], "s"),
                  Messung("last", f"{n} Sitzung(en): Server-RSS Spitze",
                          stufe["server_rss_spitze_mb"], "MB")]
    return liste
