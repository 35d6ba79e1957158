"""Part 1 and 5: the bytes (and seconds) of the map in Chromium, against the 1-pixel bound.

Per Kreis (demo: Landkreis Osnabrück; Eifelkreis Bitburg-Prüm), each in its own server:
1. Erstbesuch – /karte in a fresh browser context (empty cache); the map's bytes are the
   websocket messages of the map component plus the HTTP requests of the map's frame or its
   component URL (Leaflet, script, CSS, geometry). Also split into geometry and the rest.
2. Merkmalwechsel – another Merkmal in the page's "Merkmal" selectbox: every byte received
   (except Streamlit's own frontend files loaded for the first time, see netz.py; listed).
3. Klick – a click on one Gemeinde (path.ikz-ags-<AGS> inside the map frame): the same.
4. Erneuter Besuch – /karte again in the same context (browser cache warm): reported only.
Targets (ziele.py): Erstbesuch (map bytes) <= 1.5x bound, Merkmalwechsel (map bytes; the whole
page's bytes reported beside) <= 25 % of the bound, Klick (every byte of the rerun) <= 15 KB.

The naive page (bench/naive_karte.py: geopandas + folium + st_folium with defaults) is measured
the same way on the same data (`python -m bench naiv`), for the ratio in the README.
"""
from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

from bench import arbeitsbereiche, ziele
from bench.browser import (
    fehleranzeige,
    kontext,
    laeufe,
    server,
    warte_fertig,
)
from bench.grenze import Grenze, grenze, kreis_gebiete
from bench.netz import Abschnitt, Mitschnitt
from bench.ziele import Messung

ABSCHNITTE = ("erstbesuch", "merkmal", "klick", "erneut")
NAIV_SKRIPT = "bench/naive_karte.py"


@dataclass(frozen=True)
class Fall:
    """One Kreis to measure: its workspace, the bound, what to choose and where to click."""

    arbeitsbereich: arbeitsbereiche.Arbeitsbereich
    grenze: Grenze
    merkmal: str  # name of the Merkmal to switch to (not the default)
    klick_ags: str
    klick_name: str


def klick_ziel(gemeinden) -> tuple[str, str]:
    """The largest Gemeinde whose bounding-box centre (where Playwright clicks) lies well
    inside it – in Web Mercator, i.e. as on the screen."""
    import geopandas as gpd
    import shapely

    karte = gpd.GeoDataFrame(gemeinden[["ags", "name"]],
                             geometry=shapely.from_geojson(gemeinden["geometry"]),
                             crs="EPSG:4326").to_crs("EPSG:3857")
    karte = karte.assign(flaeche=karte.area).sort_values("flaeche", ascending=False)
    for zeile in karte.itertuples():
        minx, miny, maxx, maxy = zeile.geometry.bounds
        mitte = shapely.Point((minx + maxx) / 2, (miny + maxy) / 2)
        rand = 0.05 * min(maxx - minx, maxy - miny)
        if zeile.geometry.contains(mitte.buffer(rand)):
            return zeile.ags, zeile.name
    zeile = next(karte.itertuples())
    return zeile.ags, zeile.name


def fall(arbeitsbereich: arbeitsbereiche.Arbeitsbereich) -> Fall:
    from kreis_data import queries
    from kreis_data.database import make_engine

    engine = make_engine(arbeitsbereich.url)
    try:
        merkmale = queries.merkmale(engine)
        ags, name = klick_ziel(queries.gemeinden(engine, with_geometry=True))
        return Fall(arbeitsbereich, grenze(kreis_gebiete(engine)), merkmale[1].name, ags, name)
    finally:
        engine.dispose()


def _selectbox_waehlen(page, label: str, option: str) -> object:
    """Open the selectbox `label`; returns the option's locator (visible, not yet clicked)."""
    box = page.get_by_test_id("stSelectbox").filter(
        has=page.get_by_text(label, exact=True)).first
    box.click()
    eintrag = page.get_by_role("option", name=option, exact=True)
    eintrag.wait_for(state="visible")
    return eintrag


def _karten_frame(page, ags: str):
    for frame in page.frames:
        if frame.is_detached():
            continue
        if frame.locator(f"path.ikz-ags-{ags}").count():
            return frame
    raise RuntimeError(f"keine Karte mit path.ikz-ags-{ags} gefunden")


def besuch_messen(browser, base_url: str, pfad: str, fall_: Fall, *, naiv: bool) -> dict:
    """The four sections on one server: seconds and bytes each, and the map's frame."""
    url = base_url + pfad
    with kontext(browser) as ctx:  # warm-up: the server's first run is special
        seite = ctx.new_page()
        Mitschnitt(seite, leaflet_ausliefern=naiv)  # blocks external requests here, too
        seite.goto(url)
        warte_fertig(seite, 0, karte=True)
    ergebnis: dict = {"url": pfad, "fehler": []}
    with kontext(browser) as ctx:
        seite = ctx.new_page()
        mitschnitt = Mitschnitt(seite, leaflet_ausliefern=naiv)
        abschnitte: dict[str, tuple[Abschnitt, float]] = {}
        rahmen = None

        def messen(name: str, aktion, laeufe_vorher: int) -> None:
            marke = mitschnitt.marke()
            start = time.perf_counter()
            aktion()
            warte_fertig(seite, laeufe_vorher, karte=True)
            sekunden = time.perf_counter() - start
            mitschnitt.warte_auf_ruhe()
            abschnitte[name] = (mitschnitt.abschnitt(name, marke), sekunden)
            mitschnitt.geometrie_der_antworten(abschnitte[name][0], rahmen)
            if (fehler := fehleranzeige(seite)) is not None:
                ergebnis["fehler"].append(f"{name}: Fehleranzeige: {fehler}")

        def merkmal() -> None:
            eintrag = _selectbox_waehlen(seite, "Merkmal", fall_.merkmal)
            messen("merkmal", eintrag.click, laeufe(seite))

        def klick() -> None:
            gemeinde = _karten_frame(seite, fall_.klick_ags).locator(
                f"path.ikz-ags-{fall_.klick_ags}").first
            gemeinde.hover()
            messen("klick", gemeinde.click, laeufe(seite))

        for name, schritt in (("erstbesuch", lambda: messen("erstbesuch",
                                                            lambda: seite.goto(url), 0)),
                              ("rahmen", None), ("merkmal", merkmal), ("klick", klick),
                              ("erneut", lambda: messen("erneut", lambda: seite.goto(url), 0))):
            try:
                if schritt is None:  # the map's frame, as loaded by the first visit
                    rahmen = mitschnitt.karten_rahmen()
                    mitschnitt.geometrie_der_antworten(abschnitte["erstbesuch"][0], rahmen)
                    ergebnis["karte"] = None if rahmen is None else {
                        "komponente": rahmen.name, "frame_url": rahmen.url.split("?", 1)[0]}
                else:
                    schritt()
            except Exception as fehler:  # one failed step is reported, the others still run
                ergebnis["fehler"].append(f"{name}: {fehler.__class__.__name__}: "
                                          f"{str(fehler).splitlines()[0][:300]}")
        for name, (abschnitt, sekunden) in abschnitte.items():
            ergebnis[name] = {"sekunden": round(sekunden, 3), **abschnitt.auswertung(rahmen)}
        mitschnitt.schliessen()
    return ergebnis


def _wert(ergebnis: dict, abschnitt: str, feld: str) -> float | None:
    teil = ergebnis.get(abschnitt)
    return None if teil is None else teil.get(feld)


def _verhaeltnis(a: float | None, b: float | None) -> float | None:
    return None if a is None or not b else round(a / b, 4)


def messungen_app(kreis: str, fall_: Fall, app: dict) -> list[Messung]:
    g = fall_.grenze.bytes
    erst = _wert(app, "erstbesuch", "karte_bytes")
    # "map bytes … per Merkmal change": the map's messages (the page's table twin and summary
    # change with the Merkmal too; their bytes are reported beside it)
    merkmal = _wert(app, "merkmal", "karte_bytes")
    klick = _wert(app, "klick", "gesamt_ohne_frontend_bytes")
    return [
        Messung("karte", f"{kreis}: Erstbesuch, Bytes der Karte ÷ 1-Pixel-Grenze",
                _verhaeltnis(erst, g), "×", ziele.ERSTBESUCH_ZUR_GRENZE,
                "Karte beim Erstbesuch höchstens 1,5× die 1-Pixel-Grenze"),
        Messung("karte", f"{kreis}: Merkmalwechsel, Bytes der Karte ÷ 1-Pixel-Grenze",
                _verhaeltnis(merkmal, g), "×", ziele.MERKMAL_ZUR_GRENZE,
                "Merkmalwechsel höchstens 25 % der Geometrie"),
        Messung("karte", f"{kreis}: Klick auf {fall_.klick_name}, Bytes", klick, "B",
                ziele.KLICK_BYTES, "Klick höchstens 15 KB"),
        Messung("karte", f"{kreis}: Merkmalwechsel, Bytes der ganzen Seite",
                _wert(app, "merkmal", "gesamt_ohne_frontend_bytes"), "B"),
        Messung("karte", f"{kreis}: Klick, davon Karte", _wert(app, "klick", "karte_bytes"), "B"),
        Messung("karte", f"{kreis}: Klick, dazu Streamlit-Frontend erstmals geladen",
                _wert(app, "klick", "streamlit_frontend_bytes"), "B"),
        Messung("karte", f"{kreis}: 1-Pixel-Grenze", g, "B"),
        Messung("karte", f"{kreis}: Erstbesuch, davon Geometrie",
                _wert(app, "erstbesuch", "karte_geometrie_bytes"), "B"),
        Messung("karte", f"{kreis}: Erstbesuch, davon anderes",
                _wert(app, "erstbesuch", "karte_sonstiges_bytes"), "B"),
        Messung("karte", f"{kreis}: erneuter Besuch (Cache warm), Bytes der Karte",
                _wert(app, "erneut", "karte_bytes"), "B"),
    ]


def messungen_naiv(kreis: str, app: dict, naiv: dict) -> list[Messung]:
    ergebnis = []
    for abschnitt, feld, text in (("erstbesuch", "karte_bytes", "Erstbesuch, Bytes der Karte"),
                                  ("merkmal", "gesamt_ohne_frontend_bytes", "Merkmalwechsel, Bytes"),
                                  ("klick", "gesamt_ohne_frontend_bytes", "Klick, Bytes"),
                                  ("erstbesuch", "sekunden", "Erstbesuch, Sekunden"),
                                  ("merkmal", "sekunden", "Merkmalwechsel, Sekunden"),
                                  ("klick", "sekunden", "Klick, Sekunden")):
        ergebnis.append(Messung("naiv", f"{kreis}: naive Seite ÷ App, {text}",
                                _verhaeltnis(_wert(naiv, abschnitt, feld),
                                             _wert(app, abschnitt, feld)), "×"))
    return ergebnis


def app_messen(browser, fall_: Fall, ordner: Path) -> dict:
    with server(fall_.arbeitsbereich.url, ordner / f"server-{fall_.arbeitsbereich.name}") as url:
        return besuch_messen(browser, url, "/karte", fall_, naiv=False)


def naiv_messen(browser, fall_: Fall, ordner: Path) -> dict:
    with server(fall_.arbeitsbereich.url, ordner / f"naiv-{fall_.arbeitsbereich.name}",
                NAIV_SKRIPT) as url:
        return besuch_messen(browser, url, "/", fall_, naiv=True)


def fall_bericht(fall_: Fall) -> dict:
    return {"kreis": fall_.arbeitsbereich.kreis, "grenze": fall_.grenze.als_dict(),
            "merkmal_wechsel_zu": fall_.merkmal,
            "klick": {"ags": fall_.klick_ags, "gemeinde": fall_.klick_name}}
