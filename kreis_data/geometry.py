"""Which areas are neighbours (computed in EPSG:25832, metres).

Datasets (Gemeinden with WGS84 geometry) come from ``kreis_data.official``.

When are two areas neighbours? When they share a border of at least ``min_border_m`` metres
(default 50 m). The shared length is measured tolerantly: each polygon is buffered by
``tolerance_m / 2`` and the area of the overlap of two buffers (a strip ``tolerance_m`` wide
along the common border) divided by ``tolerance_m`` estimates the border length. So gaps
narrower than ``tolerance_m`` (e.g. from simplification or data errors) do not break a border
(a gap of width g shortens the estimate by the factor 1 - g / tolerance_m). The rounded ends
of the strip add about 0.8 * ``tolerance_m``: with the defaults a corner-to-corner contact
scores about 22 m and a 20 m border about 42 m, so neither counts, while an 80 m border does.
With ``tolerance_m=0`` the exact length of the common boundary is used.
"""

from __future__ import annotations

from collections import defaultdict

import geopandas as gpd
import shapely

METRIC_CRS = "EPSG:25832"


def gemeinde_neighbours(
    gdf: gpd.GeoDataFrame, ags_column: str = "ags", tolerance_m: float = 25,
    min_border_m: float = 50,
) -> list[tuple[str, str]]:
    """Sorted pairs (a, b), a < b, of Gemeinden sharing a border of at least ``min_border_m``."""
    return _neighbours(gdf, ags_column, tolerance_m, min_border_m)


def verwaltung_neighbours(
    gdf: gpd.GeoDataFrame, ars_column: str = "verwaltung_ars", tolerance_m: float = 25,
    min_border_m: float = 50,
) -> list[tuple[str, str]]:
    """Sorted pairs (a, b), a < b, of Verwaltungen whose Gemeinden share a border of at least
    ``min_border_m`` in total. Borders inside one Verwaltung are ignored."""
    return _neighbours(gdf, ars_column, tolerance_m, min_border_m)


def shared_border_lengths(
    gdf: gpd.GeoDataFrame, id_column: str, tolerance_m: float = 25,
) -> dict[tuple[str, str], float]:
    """Estimated common border length in metres for each pair (a, b), a < b, of ids.

    Rows with the same id (e.g. the Gemeinden of one Verwaltung) are treated as one area.
    """
    if gdf.crs is None:
        raise ValueError("GeoDataFrame ohne Koordinatenreferenzsystem (erwartet z. B. EPSG:4326).")
    if tolerance_m < 0:
        raise ValueError(f"Ungültige Toleranz {tolerance_m!r}: erlaubt sind Werte ab 0 Meter.")
    ids = gdf[id_column].astype(str).to_numpy()
    geoms = gdf.to_crs(METRIC_CRS).geometry.to_numpy()
    shapes = shapely.buffer(geoms, tolerance_m / 2) if tolerance_m > 0 else shapely.boundary(geoms)
    left, right = shapely.STRtree(shapes).query(shapes, predicate="intersects")
    keep = (left < right) & (ids[left] != ids[right])
    left, right = left[keep], right[keep]
    overlap = shapely.intersection(shapes[left], shapes[right])
    lengths = (shapely.area(overlap) / tolerance_m if tolerance_m > 0
               else shapely.length(overlap))  # exact: shared boundary lines (points add 0)
    totals: dict[tuple[str, str], float] = defaultdict(float)
    for a, b, length in zip(ids[left], ids[right], lengths, strict=True):
        totals[(a, b) if a < b else (b, a)] += float(length)
    return dict(sorted(totals.items()))


def _neighbours(gdf, id_column, tolerance_m, min_border_m) -> list[tuple[str, str]]:
    lengths = shared_border_lengths(gdf, id_column, tolerance_m)
    return [pair for pair, length in lengths.items() if length >= min_border_m]
