"""The map's geometry as one TopoJSON file per workspace: Gemeinden and gemeindefreie Gebiete,
every border stored once, coordinates quantised to about one metre and delta-encoded.

The browser loads it once per Kreis from a URL that names its content (a hash), so it is cached
across page visits and sessions; every rerun then sends only values and colours
(``kartenwerte``). Verwaltung borders and the outline of a selected Verwaltung are the arcs
between Gemeinden of different Verwaltungen – the browser derives them from the same arcs, no
second set of polygons.

    objects.gemeinden    GeometryCollection, id = AGS, properties {name, v: Verwaltung key}
    objects.gemeindefrei GeometryCollection, id = AGS, properties {name}
"""
from __future__ import annotations

import hashlib
import json

import numpy as np
import shapely
from sqlalchemy import Engine

from kreis_data import queries
from kreis_data.official import topologie

# Grid of the quantisation in degrees: 1e-5 ° is about 1.1 m north-south, 0.7 m east-west –
# finer than a screen pixel at every zoom level the map offers for a Kreis.
RASTER_GRAD = 1e-5


def _auf_raster(geometrien: list, translate: tuple[float, float]) -> list:
    """Geometries in integer grid coordinates, snapped (shared vertices stay shared)."""
    tx, ty = translate
    auf_raster = shapely.transform(
        np.asarray(geometrien, dtype=object),
        lambda xy: np.round((xy - np.array([tx, ty])) / RASTER_GRAD))
    return [shapely.set_precision(g, 1.0) for g in auf_raster]


def _sammlung(ids: list[str], referenzen: list, eigenschaften: list[dict]) -> dict:
    return {"type": "GeometryCollection", "geometries": [
        {"type": "MultiPolygon", "id": i, "arcs": r, "properties": p}
        for i, r, p in zip(ids, referenzen, eigenschaften, strict=True)]}


def topologie_json(engine: Engine) -> bytes:
    """The TopoJSON of the workspace's map (UTF-8 bytes, deterministic)."""
    gemeinden = queries.gemeinden(engine, with_geometry=True)
    gemeinden = gemeinden[gemeinden["geometry"].notna()].sort_values("ags")
    frei = queries.gemeindefreie_gebiete(engine)
    frei = frei[frei["geometry"].notna()].sort_values("ags")
    geometrien = [shapely.from_geojson(g) for g in [*gemeinden["geometry"], *frei["geometry"]]]
    if not geometrien:
        return b""
    west, sued, ost, nord = shapely.total_bounds(geometrien)
    translate = (round(float(west), 5), round(float(sued), 5))
    arcs, referenzen = topologie.encode(_auf_raster(geometrien, translate), 1.0, (0.0, 0.0))
    n = len(gemeinden)
    topo = {
        "type": "Topology",
        "bbox": [round(float(w), 5) for w in (west, sued, ost, nord)],
        "transform": {"scale": [RASTER_GRAD, RASTER_GRAD], "translate": list(translate)},
        "objects": {
            "gemeinden": _sammlung(
                list(gemeinden["ags"]), referenzen[:n],
                [{"name": name, "v": v} for name, v in
                 zip(gemeinden["name"], gemeinden["verwaltung_key"], strict=True)]),
            "gemeindefrei": _sammlung(list(frei["ags"]), referenzen[n:],
                                      [{"name": name} for name in frei["name"]]),
        },
        "arcs": arcs,
    }
    return json.dumps(topo, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def inhalt_hash(daten: bytes) -> str:
    """Short content hash: the file name, so a changed geometry gets a new URL."""
    return hashlib.sha256(daten).hexdigest()[:20]
