"""Part 2: warm page time in Chromium for every page of components/seiten.py, against a
minimal Streamlit page (bench/minimal_seite.py) served the same way in the same run.

One browser session per server. Every page is visited once through the sidebar navigation
(the cold visit, not measured; it also finds out whether the page shows a map), then RUNDEN
more times in the same order – the warm visits. Page time = from the click on the page's link
to Streamlit idle after that run (`data-test-script-state=notRunning`, connected, nothing
running, no skeleton) and, on a page with a map, the map drawn (path.ikz-gemeinde in its
frame). The minimal page is measured the same way between its two pages.

Target (ziele.py): median warm time of every page <= 3x the minimal page's.
"""
from __future__ import annotations

import statistics
import time
from pathlib import Path

from bench import ziele
from bench.browser import (
    HAT_KARTE_JS,
    fehleranzeige,
    hat_karte,
    kontext,
    laeufe,
    server,
    warte_fertig,
)
from bench.netz import Mitschnitt
from bench.ziele import Messung
from tests.e2e.helpers import NAV_LINKS, NAV_VIEW_MORE, nav_pages

RUNDEN = 7  # median of 7 warm visits: single visits vary by ±20 ms on this machine
MINIMAL_SKRIPT = "bench/minimal_seite.py"
KARTE_ERSCHEINT_MS = 15_000  # cold visit: how long a page with an iframe may take to draw a map


def _link(page, url: str):
    link = page.locator(f"{NAV_LINKS}[href='{url}']").first
    if not link.is_visible():
        mehr = page.locator(NAV_VIEW_MORE)
        if mehr.count():
            mehr.click()
    return link


def _besuch(page, mitschnitt: Mitschnitt, url: str, karte: bool) -> tuple[float, int]:
    """Click the page's link; seconds until the run is over (and the map drawn), bytes."""
    link = _link(page, url)
    vorher = laeufe(page)
    marke = mitschnitt.marke()
    start = time.perf_counter()
    link.click()
    warte_fertig(page, vorher, karte)
    sekunden = time.perf_counter() - start
    mitschnitt.warte_auf_ruhe()
    return sekunden, mitschnitt.abschnitt(url, marke).gesamt()


def _zeigt_karte(page) -> bool:
    """After a cold visit: does the page draw a map? (Only pages with an iframe can.)"""
    if hat_karte(page):
        return True
    if not page.locator("iframe").count():
        return False
    try:
        page.wait_for_function(HAT_KARTE_JS, timeout=KARTE_ERSCHEINT_MS)
        return True
    except Exception:  # no map within the time: a page with another kind of iframe
        return False


def sitzung_messen(browser, base_url: str, runden: int = RUNDEN) -> dict:
    """Per page (label): warm times, bytes per warm visit, map yes/no, errors."""
    seiten: dict[str, dict] = {}
    with kontext(browser) as ctx:
        page = ctx.new_page()
        page.set_default_timeout(60_000)
        mitschnitt = Mitschnitt(page)
        page.goto(base_url)
        warte_fertig(page, 0, karte=False)
        navigation = nav_pages(page)
        # start with the second page: a click on the page one is on would not rerun
        reihe = navigation[1:] + navigation[:1]
        for nav in reihe:
            eintrag = seiten[nav.label] = {"pfad": nav.path, "karte": False, "zeiten_s": [],
                                           "bytes": [], "fehler": []}
            try:
                _besuch(page, mitschnitt, nav.url, karte=False)
                eintrag["karte"] = _zeigt_karte(page)
            except Exception as fehler:  # the warm visits still try
                eintrag["fehler"].append(f"erster Besuch: {fehler.__class__.__name__}: "
                                         f"{str(fehler).splitlines()[0][:200]}")
            if (anzeige := fehleranzeige(page)) is not None:
                eintrag["fehler"].append(anzeige)
        for _ in range(runden):
            for nav in reihe:
                eintrag = seiten[nav.label]
                try:
                    sekunden, empfangen = _besuch(page, mitschnitt, nav.url, eintrag["karte"])
                except Exception as fehler:  # a visit that never finishes is an error, not a time
                    eintrag["fehler"].append(f"{fehler.__class__.__name__}: "
                                             f"{str(fehler).splitlines()[0][:200]}")
                    continue
                eintrag["zeiten_s"].append(round(sekunden, 3))
                eintrag["bytes"].append(empfangen)
        mitschnitt.schliessen()
    for eintrag in seiten.values():
        eintrag["median_s"] = (round(statistics.median(eintrag["zeiten_s"]), 3)
                               if eintrag["zeiten_s"] else None)
        eintrag["bytes_median"] = (int(statistics.median(eintrag["bytes"]))
                                   if eintrag["bytes"] else None)
    return seiten


def messen(browser, datenbank_url: str, ordner: Path) -> dict:
    with server(datenbank_url, ordner / "server-seiten") as base_url:
        app = sitzung_messen(browser, base_url)
    with server(datenbank_url, ordner / "server-minimal", MINIMAL_SKRIPT) as base_url:
        minimal = sitzung_messen(browser, base_url)
    zeiten = [z for eintrag in minimal.values() for z in eintrag["zeiten_s"]]
    return {"runden": RUNDEN, "seiten": app, "minimalseite": {
        "seiten": minimal, "zeiten_s": zeiten,
        "median_s": round(statistics.median(zeiten), 3) if zeiten else None}}


def messungen(ergebnis: dict) -> list[Messung]:
    basis = ergebnis["minimalseite"]["median_s"]
    liste = [Messung("seiten", "Minimalseite: warmer Seitenwechsel", basis, "s")]
    for label, eintrag in ergebnis["seiten"].items():
        wert = (None if eintrag["median_s"] is None or not basis
                else round(eintrag["median_s"] / basis, 2))
        karte = " (mit Karte)" if eintrag["karte"] else ""
        liste.append(Messung("seiten", f"{label}{karte}: warm ÷ Minimalseite", wert, "×",
                             ziele.SEITE_ZUR_MINIMALSEITE,
                             "jede Seite höchstens 3× die Minimalseite"))
    return liste
