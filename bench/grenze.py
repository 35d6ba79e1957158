"""The 1-pixel bound of a Kreis map and the geometry share of a payload.

Bound (issue #14): the Kreis' Gemeinde geometry (and its gemeindefreie Gebiete, drawn on the
same map), coverage-simplified at one screen pixel of a map PIXEL_BREITE pixels wide – pixel
size = the Kreis' width in metres / PIXEL_BREITE, simplified in EPSG:25832 with
shapely.coverage_simplify (shared borders stay shared), back to WGS84, written as a compact
GeoJSON FeatureCollection (feature id = AGS, no properties, 5 decimals). Its size in bytes is
what a map of that view cannot go below without losing shape or precision.

Geometry share: the bytes of every JSON value under a key "coordinates" (GeoJSON) or "arcs"
(TopoJSON) in a payload, also when the JSON sits escaped inside a JSON string or a script (as
streamlit-folium sends it). Everything else of a payload counts as "other".
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass

import geopandas as gpd
import shapely

PIXEL_BREITE = 900
DEZIMALEN = 5
METRISCH = "EPSG:25832"
WGS84 = "EPSG:4326"


@dataclass(frozen=True)
class Grenze:
    """The 1-pixel bound of one Kreis map."""

    bytes: int
    pixel_m: float  # one screen pixel in metres
    breite_m: float  # the Kreis' width in metres
    flaechen: int  # polygons in the coverage (Gemeinden + gemeindefreie Gebiete)
    punkte: int  # coordinate pairs after simplification

    def als_dict(self) -> dict:
        return {"bytes": self.bytes, "pixel_m": round(self.pixel_m, 1),
                "breite_m": round(self.breite_m), "flaechen": self.flaechen,
                "punkte": self.punkte}


def _ring(coords, dezimalen: int) -> list[list[float]]:
    """Rounded ring without consecutive duplicates (rounding can create them), still closed."""
    ring: list[list[float]] = []
    for x, y in coords:
        punkt = [round(x, dezimalen), round(y, dezimalen)]
        if not ring or punkt != ring[-1]:
            ring.append(punkt)
    if ring[0] != ring[-1]:
        ring.append(ring[0])
    return ring


def _polygone(geometrie) -> list:
    if geometrie.geom_type == "Polygon":
        return [geometrie]
    if geometrie.geom_type in ("MultiPolygon", "GeometryCollection"):
        return [p for teil in geometrie.geoms for p in _polygone(teil)]
    return []  # lines or points left over by the simplification carry no area


def geojson_kompakt(ids: list[str], geometrien, dezimalen: int = DEZIMALEN) -> str:
    """FeatureCollection without spaces: id per feature, coordinates rounded to `dezimalen`."""
    features = []
    for kennung, geometrie in zip(ids, geometrien, strict=True):
        polygone = [[_ring(ring.coords, dezimalen) for ring in (p.exterior, *p.interiors)]
                    for p in _polygone(geometrie) if not p.is_empty]
        polygone = [p for p in polygone if len(p[0]) >= 4]
        if not polygone:
            continue
        geometry = ({"type": "Polygon", "coordinates": polygone[0]} if len(polygone) == 1
                    else {"type": "MultiPolygon", "coordinates": polygone})
        features.append({"type": "Feature", "id": kennung, "geometry": geometry})
    return json.dumps({"type": "FeatureCollection", "features": features},
                      separators=(",", ":"))


def grenze(gebiete: gpd.GeoDataFrame, id_spalte: str = "ags",
           pixel_breite: int = PIXEL_BREITE) -> Grenze:
    """The 1-pixel bound of the map of `gebiete` (any CRS; polygons forming a coverage)."""
    metrisch = gebiete.to_crs(METRISCH)
    minx, _, maxx, _ = metrisch.total_bounds
    breite = float(maxx - minx)
    pixel = breite / pixel_breite
    vereinfacht = shapely.coverage_simplify(metrisch.geometry.to_numpy(), tolerance=pixel)
    wgs84 = gpd.GeoSeries(vereinfacht, crs=METRISCH).to_crs(WGS84)
    text = geojson_kompakt([str(k) for k in metrisch[id_spalte]], wgs84.to_numpy())
    punkte = int(shapely.get_num_coordinates(wgs84.to_numpy()).sum())
    return Grenze(bytes=len(text.encode()), pixel_m=pixel, breite_m=breite,
                  flaechen=len(metrisch), punkte=punkte)


def kreis_gebiete(engine) -> gpd.GeoDataFrame:
    """Gemeinden and gemeindefreie Gebiete of the workspace with their stored WGS84 geometry."""
    from kreis_data import queries

    gemeinden = queries.gemeinden(engine, with_geometry=True)[["ags", "geometry"]]
    frei = queries.gemeindefreie_gebiete(engine)[["ags", "geometry"]]
    zeilen = [z for z in (*gemeinden.itertuples(), *frei.itertuples()) if z.geometry]
    return gpd.GeoDataFrame({"ags": [z.ags for z in zeilen]},
                            geometry=[shapely.from_geojson(z.geometry) for z in zeilen],
                            crs=WGS84)


# --- geometry share of a payload -----------------------------------------------------------------
# "coordinates": / \"coordinates\": / 'coordinates': (JSON, JSON inside a JSON string, JS)
_SCHLUESSEL = re.compile(rb"""(?:\\*["'])(?:coordinates|arcs)(?:\\*["'])\s*:\s*(?=\[)""")


def geometrie_bytes(nutzlast: bytes) -> int:
    """Bytes of all coordinate arrays (values of "coordinates" / "arcs") in `nutzlast`."""
    summe = 0
    position = 0
    while True:
        treffer = _SCHLUESSEL.search(nutzlast, position)
        if treffer is None:
            return summe
        start = treffer.end()
        tiefe = 0
        ende = start
        for ende in range(start, len(nutzlast)):
            zeichen = nutzlast[ende]
            if zeichen == 0x5B:  # [
                tiefe += 1
            elif zeichen == 0x5D:  # ]
                tiefe -= 1
                if tiefe == 0:
                    break
        summe += ende + 1 - start
        position = ende + 1
