"""The map component: Leaflet in one iframe that stays mounted across reruns.

The geometry of the Kreis is a TopoJSON file under static/karten/<content hash>.json, written
once per geometry and served by Streamlit's static file serving with ETag: the browser loads it
once and then revalidates it. A rerun sends only the values per Verwaltung, the colours, the
selection and the size (a few KB); pan and zoom send nothing. A click on a Gemeinde returns
{"verwaltung", "ags", "n"} (``n`` counts the clicks, so a repeated click is a new event).
"""
from __future__ import annotations

import functools
import json
import math
import os
import tempfile
from pathlib import Path

import streamlit as st
import streamlit.components.v1 as components

from components import data
from kreis_data import map_style, scales
from kreis_data.analyses import kartengeometrie
from kreis_data.database import database_url

ROOT = Path(__file__).resolve().parents[2]
STATIC = ROOT / "static"
KARTEN = STATIC / "karten"  # written at runtime (in .gitignore)
URL_PRAEFIX = "../../app/static/karten/"  # relative to the component's iframe
AUFHEBEN = 20  # geometry files kept (older ones of earlier Gebietsstände are removed)
GEMEINDEFREI_TEXT = "Gemeindefreies Gebiet: gehört zu keiner Gemeinde und zählt in keiner Kennzahl."

_komponente = components.declare_component("ikz_karte", path=str(Path(__file__).parent))


def _schreiben(ziel: Path, daten: bytes) -> None:
    """Atomic write (a browser never reads half a file); old files beyond AUFHEBEN go."""
    ziel.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile(dir=ziel.parent, delete=False, suffix=".tmp") as tmp:
        tmp.write(daten)
    os.replace(tmp.name, ziel)
    alte = sorted(ziel.parent.glob("*.json"), key=lambda p: p.stat().st_mtime, reverse=True)
    for datei in alte[AUFHEBEN:]:
        datei.unlink(missing_ok=True)


@st.cache_resource(show_spinner=False, max_entries=16)
def _geometrie_datei(url: str, stand: tuple[int, ...]) -> str:
    daten = kartengeometrie.topologie_json(data.engine())
    name = f"{kartengeometrie.inhalt_hash(daten)}.json"
    if not (KARTEN / name).exists():
        _schreiben(KARTEN / name, daten)
    return name


def geometrie_url() -> str:
    """URL of this workspace's geometry file (written on first use)."""
    stand = data.stand(kartengeometrie.topologie_json)  # changes only with the geometry's data
    name = _geometrie_datei(database_url(), stand)
    if not (KARTEN / name).exists():  # removed meanwhile (another workspace, cleanup)
        _geometrie_datei.clear()
        name = _geometrie_datei(database_url(), stand)
    return URL_PRAEFIX + name


@functools.lru_cache(maxsize=16)
def _seitenverhaeltnis(name: str) -> float:
    try:
        west, sued, ost, nord = json.loads((KARTEN / name).read_bytes())["bbox"]
    except (OSError, ValueError, KeyError, TypeError):
        return 1.0

    def y(lat: float) -> float:  # Web Mercator, as Leaflet draws it
        return math.log(math.tan(math.pi / 4 + math.radians(lat) / 2))

    hoehe = y(nord) - y(sued)
    return math.radians(ost - west) / hoehe if hoehe > 0 else 1.0


def seitenverhaeltnis() -> float:
    """Width : height of the Kreis as the map draws it (from the geometry's bbox); 1.0 if
    unknown. Lets a page give the map a frame of the Kreis's shape, so the Kreis fills it."""
    return _seitenverhaeltnis(geometrie_url().removeprefix(URL_PRAEFIX))


def statische_dateien_aktiv() -> bool:
    return bool(st.get_option("server.enableStaticServing"))


def karte(werte: dict[str, dict], *, key: str, hoehe: int, farben: tuple[str, ...] | list[str]
          = scales.STUFEN_FARBEN, auswahl: str | None = None, klickbar: bool = False,
          kompakt: bool = False, hintergrund_key: str | None = None,
          beschriftung: bool = False) -> dict | None:
    """Draw the map: `werte` per Verwaltung key {"k": index into `farben` or None (keine
    Angabe, hatched), "t": tooltip rows}; `beschriftung`: every Gemeinde named on the map (its
    name from the geometry, as text). Returns the last click (see module docstring)."""
    if not statische_dateien_aktiv():
        st.error("Die Karte braucht die statischen Dateien des Servers: Bitte die App aus dem "
                 "Projektordner starten (make run), damit .streamlit/config.toml mit "
                 "server.enableStaticServing = true gilt. Die Tabelle zeigt dieselben Werte.")
        return None
    hintergrund = map_style.hintergrund(hintergrund_key)
    return _komponente(
        key=key, default=None, geometrie=geometrie_url(), werte=werte, farben=list(farben),
        keine_angabe=map_style.KEINE_ANGABE, stil=map_style.STIL, auswahl=auswahl,
        klickbar=klickbar, kompakt=kompakt, hoehe=hoehe, gemeinde_label="Gemeinde",
        gemeindefrei_text=GEMEINDEFREI_TEXT, beschriftung=beschriftung,
        hintergrund=None if not hintergrund.url else {
            "url": hintergrund.url, "attribution": hintergrund.attribution,
            "max_zoom": hintergrund.max_zoom})
