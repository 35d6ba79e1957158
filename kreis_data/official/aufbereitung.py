"""From raw polygons and a register to one clean polygon per register Gemeinde.

1. **Repair**: ``shapely.coverage_clean`` turns the raw VG250 polygons into a clean coverage
   (tiny overlaps and mis-noded borders, e.g. around Seeth in Nordfriesland, resolved; every
   shared edge has identical vertices). Without this, coverage simplification fails with a
   GEOS TopologyException for some Kreise.
2. **Reconcile** the Gebietsstände (``abgleich``): which polygons make up each Gemeinde of the
   register.
3. **Union** the polygons of each Gemeinde (exact, because the coverage is clean).

The result is a GeoDataFrame in EPSG:25832 with the register's columns, ready to be
simplified for a view (``datensatz``) or encoded for the Germany-wide base (``basis``).
"""

from __future__ import annotations

from collections import defaultdict

import geopandas as gpd
import numpy as np
import pandas as pd
import pyproj
import shapely

from kreis_data.official import abgleich
from kreis_data.official.gemeindeverzeichnis import Verzeichnis
from kreis_data.official.vg250 import CRS


def reparieren(geoms: np.ndarray) -> np.ndarray:
    """A clean coverage: no overlaps, shared edges with identical vertices, no slivers."""
    geoms = shapely.make_valid(np.asarray(geoms, dtype=object))
    return shapely.coverage_clean(geoms)


def nachbarn_von(ags: list[str], geoms: np.ndarray) -> dict[str, set[str]]:
    """Polygons that touch or overlap (in a clean coverage: share a border or a corner)."""
    links, rechts = shapely.STRtree(geoms).query(geoms, predicate="intersects")
    ergebnis: dict[str, set[str]] = defaultdict(set)
    for a, b in zip(links, rechts, strict=True):
        if a != b:
            ergebnis[ags[a]].add(ags[b])
    return ergebnis


def abgleichen(verzeichnis: Verzeichnis, flaechen: gpd.GeoDataFrame,
               ) -> tuple[gpd.GeoDataFrame, abgleich.Ergebnis]:
    """One polygon per register Gemeinde (incl. gemeindefreie Gebiete) and the reconciliation.

    ``flaechen``: ``vg250.read_flaechen`` output. Register Gemeinden of Länder that have no
    polygon at all in ``flaechen`` are left out (the source covered other Länder only).
    """
    ags = flaechen["ags"].tolist()
    geoms = reparieren(flaechen.geometry.to_numpy())
    nachbarn = nachbarn_von(ags, geoms)

    laender_mit_flaechen = {a[:2] for a in ags}
    register = verzeichnis.gemeinden[verzeichnis.gemeinden["land_code"].isin(laender_mit_flaechen)]
    zentren = _zentren(register)
    baum = shapely.STRtree(geoms)
    punkt_index, flaechen_index = baum.query(zentren, predicate="within")
    zentrum_in: dict[str, str | None] = dict.fromkeys(register["ags"])
    for p, f in zip(punkt_index, flaechen_index, strict=True):
        zentrum_in[register["ags"].iloc[p]] = ags[f]

    innen = shapely.point_on_surface(geoms)
    flaechen_daten = {
        a: abgleich.Flaeche(a, gen, float(shapely.area(g)) / 1e6, float(w), float(p.x), float(p.y))
        for a, gen, g, w, p in zip(ags, flaechen["gen"], geoms, flaechen["wasser_km2"], innen,
                                   strict=True)}
    gemeinde_daten = {
        row.ags: abgleich.Gemeinde(row.ags, row.name, float(row.flaeche_km2),
                                   *(_xy(z) if not shapely.is_empty(z) else (None, None)))
        for row, z in zip(register.itertuples(), zentren, strict=True)}
    kreise_heute = set(verzeichnis.kreise.index)

    def gleiches_land(gemeinde: str, flaeche: str) -> bool:
        return gemeinde[:2] == flaeche[:2]

    def kreisgrenze(gemeinde: str, flaeche: str) -> float:
        # crossing into another Kreis costs a quarter tolerance, unless the polygon's old Kreis
        # no longer exists (Landkreis Göttingen absorbed Osterode am Harz in 2016)
        if gemeinde[:5] == flaeche[:5] or flaeche[:5] not in kreise_heute:
            return 0.0
        return 0.25

    ergebnis = abgleich.abgleichen(gemeinde_daten, flaechen_daten, nachbarn, zentrum_in,
                                   gleiches_land, kreisgrenze)
    frei = set(register.loc[register["gemeindefrei"], "ags"])
    for eintrag in ergebnis.offen + ergebnis.abgeglichen:
        eintrag["gemeindefrei"] = eintrag["ags"] in frei

    position = {a: i for i, a in enumerate(ags)}
    zeilen, geometrien = [], []
    for row in register.itertuples(index=False):
        teile = ergebnis.vorgaenger(row.ags)
        if not teile:
            continue
        teil_geoms = geoms[[position[t] for t in teile]]
        geometrien.append(teil_geoms[0] if len(teil_geoms) == 1
                          else shapely.coverage_union_all(teil_geoms))
        zeilen.append(row._asdict())
    frame = pd.DataFrame(zeilen, columns=register.columns)
    return gpd.GeoDataFrame(frame, geometry=geometrien, crs=CRS), ergebnis


def _zentren(register: pd.DataFrame) -> np.ndarray:
    """Register centre coordinates as points in EPSG:25832 (empty where unknown)."""
    transformer = pyproj.Transformer.from_crs("EPSG:4326", CRS, always_xy=True)
    x, y = transformer.transform(register["laengengrad"].to_numpy(dtype=float),
                                 register["breitengrad"].to_numpy(dtype=float))
    punkte = shapely.points(np.c_[x, y])
    leer = ~np.isfinite(x) | ~np.isfinite(y)
    punkte[leer] = shapely.Point()
    return punkte


def _xy(punkt) -> tuple[float, float]:
    return float(punkt.x), float(punkt.y)
