"""`python -m bench [teil ...]` – the benchmarks of issue #14 (`make bench` runs them all).

    karte   map bytes against the 1-pixel bound (demo Kreis, Eifelkreis Bitburg-Prüm)
    naiv    the naive map page (geopandas + folium + st_folium) against the app's Karte
    seiten  warm page time in Chromium against a minimal Streamlit page
    sql     SQL statements and CPU per warm rerun (AppTest, in-process)
    last    1, 5, 10, 20 simultaneous sessions (websocket clients on 127.0.0.1)
    bericht PDF and PowerPoint report of the demo Kreis against 5 s (issue #15)

Results: test-output/bench/ergebnisse.json and a table on stdout. Exit status 1 when a target
is missed or a measurement failed (the gap is printed), 0 when every target is met.
"""
from __future__ import annotations

import argparse
import contextlib
import shutil
import sys
import tempfile
import time
import traceback
from pathlib import Path

from bench import arbeitsbereiche, bericht, berichtbau, karte, last, seiten, sql
from bench.browser import fremde_last
from bench.ziele import Messung

TITEL = {
    "karte": "Karte: Bytes gegen die 1-Pixel-Grenze",
    "naiv": "Naive Kartenseite (geopandas + folium + st_folium) gegen die App",
    "seiten": "Warme Seitenzeit in Chromium gegen eine Minimalseite",
    "sql": "SQL-Anweisungen und CPU je warmem Lauf (AppTest)",
    "last": "Gleichzeitige Sitzungen (Lagebild → Karte → Quartal wechseln)",
    "bericht": "Quartalsbericht als PDF und PowerPoint (Demo-Kreis) gegen 5 s",
}
# Browser parts first, with one Chromium; the in-process AppTest and the asyncio clients after it.
REIHENFOLGE = ("karte", "naiv", "seiten", "sql", "last", "bericht")


class Lauf:
    """What the parts of one invocation share: a work folder, the workspaces, one browser, the
    app's map figures (the naive comparison reuses them)."""

    def __init__(self, ordner: Path):
        self.ordner = ordner
        self._demo: arbeitsbereiche.Arbeitsbereich | None = None
        self._bitburg: arbeitsbereiche.Arbeitsbereich | None = None
        self._faelle: dict[str, karte.Fall] = {}
        self.app_karte: dict[str, dict] = {}
        self._browser_stapel = contextlib.ExitStack()
        self._browser = None

    def demo(self) -> arbeitsbereiche.Arbeitsbereich:
        if self._demo is None:
            print("  Demo-Datenbank anlegen …", flush=True)
            self._demo = arbeitsbereiche.demo(self.ordner / "demo")
        return self._demo

    def bitburg(self) -> arbeitsbereiche.Arbeitsbereich:
        if self._bitburg is None:
            print("  Eifelkreis Bitburg-Prüm anlegen und Bewertungen einspielen …", flush=True)
            self._bitburg = arbeitsbereiche.bitburg_pruem(self.ordner / "bitburg")
        return self._bitburg

    def faelle(self) -> list[karte.Fall]:
        for ab in (self.demo(), self.bitburg()):
            if ab.name not in self._faelle:
                self._faelle[ab.name] = karte.fall(ab)
        return list(self._faelle.values())

    def browser(self):
        if self._browser is None:
            from bench.browser import chromium

            self._browser = self._browser_stapel.enter_context(chromium())
        return self._browser

    def browser_schliessen(self) -> None:
        self._browser_stapel.close()
        self._browser = None


def teil_karte(lauf: Lauf) -> tuple[dict, list[Messung], list[str]]:
    ergebnis, messungen, fehler = {}, [], []
    for fall in lauf.faelle():
        print(f"  {fall.arbeitsbereich.kreis}: /karte …", flush=True)
        app = karte.app_messen(lauf.browser(), fall, lauf.ordner)
        lauf.app_karte[fall.arbeitsbereich.name] = app
        ergebnis[fall.arbeitsbereich.name] = {**karte.fall_bericht(fall), "app": app}
        messungen += karte.messungen_app(fall.arbeitsbereich.kreis, fall, app)
        fehler += [f"{fall.arbeitsbereich.kreis}: {f}" for f in app["fehler"]]
    return ergebnis, messungen, fehler


def teil_naiv(lauf: Lauf) -> tuple[dict, list[Messung], list[str]]:
    ergebnis, messungen, fehler = {}, [], []
    for fall in lauf.faelle():
        name = fall.arbeitsbereich.name
        if name not in lauf.app_karte:  # run alone: the app's Karte side by side, now
            print(f"  {fall.arbeitsbereich.kreis}: /karte der App …", flush=True)
            lauf.app_karte[name] = karte.app_messen(lauf.browser(), fall, lauf.ordner)
        print(f"  {fall.arbeitsbereich.kreis}: naive Seite …", flush=True)
        naiv = karte.naiv_messen(lauf.browser(), fall, lauf.ordner)
        ergebnis[name] = {**karte.fall_bericht(fall), "naiv": naiv,
                          "app": {k: lauf.app_karte[name].get(k)
                                  for k in ("erstbesuch", "merkmal", "klick")}}
        kreis = fall.arbeitsbereich.kreis
        messungen += karte.messungen_naiv(kreis, lauf.app_karte[name], naiv)
        messungen.append(Messung("naiv", f"{kreis}: naive Seite, Erstbesuch, Bytes der Karte",
                                 (naiv.get("erstbesuch") or {}).get("karte_bytes"), "B"))
        fehler += [f"{kreis} (naiv): {f}" for f in naiv["fehler"]]
    return ergebnis, messungen, fehler


def teil_seiten(lauf: Lauf) -> tuple[dict, list[Messung], list[str]]:
    ergebnis = seiten.messen(lauf.browser(), lauf.demo().url, lauf.ordner)
    fehler = [f"{label}: {f}" for label, e in ergebnis["seiten"].items() for f in e["fehler"]]
    fehler += [f"Minimalseite {label}: {f}"
               for label, e in ergebnis["minimalseite"]["seiten"].items() for f in e["fehler"]]
    return ergebnis, seiten.messungen(ergebnis), fehler


def teil_sql(lauf: Lauf) -> tuple[dict, list[Messung], list[str]]:
    lauf.browser_schliessen()  # AppTest runs the app in-process: no Playwright loop around it
    ergebnis = sql.messen(lauf.demo().url)
    fehler = [f"{titel}: {e['fehler']}" for titel, e in ergebnis["seiten"].items()
              if "fehler" in e]
    return ergebnis, sql.messungen(ergebnis), fehler


def teil_last(lauf: Lauf) -> tuple[dict, list[Messung], list[str]]:
    lauf.browser_schliessen()  # the clients are asyncio; no browser needs the CPU meanwhile
    ergebnis = last.messen(lauf.demo().url, lauf.ordner)
    fehler = [f"Aufwärmen: {f}" for f in ergebnis["aufwaermen_fehler"]]
    return ergebnis, last.messungen(ergebnis), fehler


def teil_bericht(lauf: Lauf) -> tuple[dict, list[Messung], list[str]]:
    lauf.browser_schliessen()  # the builds need the CPU alone
    ergebnis = berichtbau.messen(lauf.demo().url)
    return ergebnis, berichtbau.messungen(ergebnis), []


TEILE = {"karte": teil_karte, "naiv": teil_naiv, "seiten": teil_seiten, "sql": teil_sql,
         "last": teil_last, "bericht": teil_bericht}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("teile", nargs="*", metavar="teil",
                        help="karte, naiv, seiten, sql, last, bericht (ohne Angabe: alle)")
    args = parser.parse_args(argv)
    if unbekannt := [t for t in args.teile if t not in TEILE]:
        parser.error(f"unbekannter Teil: {', '.join(unbekannt)} (erlaubt: "
                     f"{', '.join(REIHENFOLGE)})")
    gewaehlt = [t for t in REIHENFOLGE if t in (args.teile or REIHENFOLGE)]
    ordner = Path(tempfile.mkdtemp(prefix="ikz-bench-"))
    lauf = Lauf(ordner)
    alle: list[Messung] = []
    messfehler = 0
    datei = bericht.DATEI
    try:
        for teil in gewaehlt:
            print(f"\n{TITEL[teil]} …", flush=True)
            if fremd := fremde_last():
                print(f"  Achtung, fremde Last auf dem Rechner (Zahlen gestört): {fremd}",
                      flush=True)
            start = time.perf_counter()
            try:
                ergebnis, messungen, fehler = TEILE[teil](lauf)
            except Exception as ausnahme:  # a part that cannot run is a failure, not a skip
                traceback.print_exc()
                ergebnis, messungen = {}, []
                fehler = [f"{ausnahme.__class__.__name__}: {str(ausnahme)[:500]}"]
            dauer = round(time.perf_counter() - start, 1)
            datei = bericht.speichern(teil, {
                "stand": bericht.jetzt(), "dauer_s": dauer, "titel": TITEL[teil],
                "fremde_last_beim_start": fremd,
                "messungen": [m.als_dict() for m in messungen], "fehler": fehler,
                "ergebnis": ergebnis})
            print(bericht.tabelle(f"{TITEL[teil]} ({dauer:.0f} s)", messungen, fehler))
            alle += messungen
            messfehler += len(fehler)
    finally:
        lauf.browser_schliessen()
        shutil.rmtree(ordner, ignore_errors=True)
    print(bericht.zusammenfassung(alle, messfehler))
    print(f"Ergebnisse: {datei.relative_to(bericht.ROOT)}")
    verfehlt = any(m.geprueft and not m.erreicht for m in alle)
    return 1 if verfehlt or messfehler else 0


if __name__ == "__main__":
    sys.exit(main())
