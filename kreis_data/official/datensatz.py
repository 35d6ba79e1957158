"""The official dataset of one Kreis: what a workspace is created from.

A ``KreisDatensatz`` holds the Gemeinden (WGS84, coverage-simplified for the Kreis map), the
gemeindefreie Gebiete (shown on the map as neutral areas, counted nowhere), the Kreis outline
and ``meta`` (names, Land, sources, attribution, Gebietsstand, reconciliation notes). It comes
from the shipped Germany-wide base (``basis.kreis_datensatz``) or from the user's own files
(``build.build_kreis_dataset``), and can be written to and read from a folder:
gemeinden.geojson, gemeindefrei.geojson, kreis.geojson, meta.json.

Geometry for a view: coverage simplification in EPSG:25832 at a tolerance of about one screen
pixel of a 1000 px wide map of the Kreis (20 to 100 m), then WGS84 rounded to 5 decimals
(about 1 m). Neighbours keep sharing their borders: no gaps, no overlaps (checked).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from shapely.geometry import mapping, shape

from kreis_data import laender
from kreis_data.official.gemeindeverzeichnis import GEMEINDE_COLUMNS

OUTPUT_CRS = "EPSG:4326"
METRIC_CRS = "EPSG:25832"
DECIMALS = 5
LICENCE = "dl-de/by-2-0"
LICENCE_URL = "https://www.govdata.de/dl-de/by-2-0"
GV_ATTRIBUTION = "Einwohner: © Statistisches Bundesamt (Destatis), Gemeindeverzeichnis, dl-de/by-2-0"
GEMEINDEFREI_COLUMNS = ("ags", "name", "einwohner", "flaeche_km2", "bewohnt")
ANSICHT_PIXEL = 1000  # the tolerance is one pixel of a map this wide
MIN_TOLERANZ_M, MAX_TOLERANZ_M = 20, 100
FILES = ("gemeinden.geojson", "gemeindefrei.geojson", "kreis.geojson", "meta.json")


def vg250_attribution(stand: str) -> str:
    """The attribution line for VG250 geometry; the year comes from the Stand."""
    years = re.findall(r"(?:19|20)\d{2}", stand)
    bkg = f"© GeoBasis-DE / BKG ({years[-1]})" if years else "© GeoBasis-DE / BKG"
    return f"Verwaltungsgrenzen: {bkg}, dl-de/by-2-0 (www.govdata.de/dl-de/by-2-0), Daten verändert"


@dataclass
class KreisDatensatz:
    meta: dict
    gemeinden: gpd.GeoDataFrame  # GEMEINDE_COLUMNS + geometry, WGS84, sorted by ags
    gemeindefrei: gpd.GeoDataFrame  # GEMEINDEFREI_COLUMNS + geometry, WGS84
    kreis_geometrie: object  # shapely (Multi)Polygon, WGS84

    @property
    def kreis_ags(self) -> str:
        return self.meta["kreis_ags"]

    def write(self, folder: Path) -> dict[str, int]:
        """Write the four files (deterministic bytes); returns their sizes."""
        kreis = [_feature({"ags": self.kreis_ags, "name": self.meta["kreis_name"]},
                          self.kreis_geometrie)]
        files = {
            "gemeinden.geojson": _feature_collection(_features(self.gemeinden, GEMEINDE_COLUMNS)),
            "gemeindefrei.geojson": _feature_collection(
                _features(self.gemeindefrei, GEMEINDEFREI_COLUMNS)),
            "kreis.geojson": _feature_collection(kreis),
            "meta.json": json.dumps(self.meta, ensure_ascii=False, indent=2, sort_keys=True) + "\n",
        }
        folder = Path(folder)
        if folder.exists() and not folder.is_dir():
            raise ValueError(f"Zielordner {folder} ist eine Datei, kein Ordner.")
        folder.mkdir(parents=True, exist_ok=True)
        for name, text in files.items():
            (folder / name).write_bytes(text.encode("utf-8"))
        return {name: len(text.encode("utf-8")) for name, text in files.items()}

    @classmethod
    def read(cls, folder: Path) -> KreisDatensatz:
        """Read a dataset folder; German errors for a missing or foreign folder."""
        folder = Path(folder)
        if not folder.is_dir():
            raise ValueError(
                f"Datensatz-Ordner {folder} nicht gefunden (erwartet: ein Ordner mit "
                "gemeinden.geojson, kreis.geojson und meta.json, erzeugt mit build-kreis).")
        try:
            meta = json.loads(_datei(folder, "meta.json").read_text(encoding="utf-8"))
            gemeinden = _read_features(_datei(folder, "gemeinden.geojson"), GEMEINDE_COLUMNS)
            frei_datei = folder / "gemeindefrei.geojson"
            frei = (_read_features(frei_datei, GEMEINDEFREI_COLUMNS) if frei_datei.is_file()
                    else _leer(GEMEINDEFREI_COLUMNS))
            kreis = json.loads(_datei(folder, "kreis.geojson").read_text(encoding="utf-8"))
            kreis_geometrie = shape(kreis["features"][0]["geometry"])
            meta["kreis_ags"]  # noqa: B018 - required key
        except (KeyError, IndexError, TypeError, ValueError, UnicodeDecodeError) as error:
            if isinstance(error, ValueError) and "Datensatz" in str(error):
                raise
            raise ValueError(f"{folder} ist kein gültiger Kreis-Datensatz ({error}).") from None
        return cls(meta, gemeinden, frei, kreis_geometrie)


def ansicht_toleranz(geoms_metrisch: np.ndarray) -> int:
    """About one pixel of a 1000 px wide map of these areas, in whole 5 m steps (20-100 m)."""
    x0, y0, x1, y1 = shapely.total_bounds(geoms_metrisch)
    pixel = max(x1 - x0, y1 - y0) / ANSICHT_PIXEL
    return int(min(MAX_TOLERANZ_M, max(MIN_TOLERANZ_M, round(pixel / 5) * 5)))


def fertige_geometrie(geoms_metrisch: np.ndarray, toleranz_m: float) -> np.ndarray:
    """Coverage simplification in EPSG:25832, then WGS84 rounded; verified gap- and overlap-free."""
    geoms_metrisch = np.asarray(geoms_metrisch, dtype=object)
    original_holes = _hole_count(geoms_metrisch)
    simplified = (shapely.coverage_simplify(geoms_metrisch, toleranz_m) if toleranz_m > 0
                  else geoms_metrisch)
    _check_coverage(simplified, original_holes, "nach der Vereinfachung")
    wgs84 = gpd.GeoSeries(simplified, crs=METRIC_CRS).to_crs(OUTPUT_CRS).to_numpy()
    rounded = shapely.transform(wgs84, lambda xy: np.round(xy, DECIMALS))
    rounded = shapely.remove_repeated_points(rounded)
    invalid = ~shapely.is_valid(rounded)
    if invalid.any():  # rounding rarely folds a tiny spike: snap those to the grid
        rounded[invalid] = shapely.set_precision(rounded[invalid], 10.0**-DECIMALS)
    rounded = canonical(rounded)
    _check_coverage(rounded, original_holes, "nach dem Runden der Koordinaten")
    return rounded


def canonical(geoms):
    """Same polygons, same text, whatever the source's ring start or orientation (Shapefiles
    store exterior rings clockwise); exterior rings counter-clockwise as RFC 7946 asks."""
    return shapely.orient_polygons(shapely.normalize(geoms), exterior_cw=False)


def _hole_count(geoms: np.ndarray) -> int:
    union = shapely.coverage_union_all(geoms)
    return int(sum(shapely.get_num_interior_rings(shapely.get_parts(union))))


def _check_coverage(geoms: np.ndarray, original_holes: int, step: str) -> None:
    """No invalid or empty polygons, no overlaps, and no new holes (= gaps) in the union.

    The input is a repaired coverage, so a failure here is a bug, not bad input: the message
    says so instead of suggesting another tolerance."""
    problems = []
    if not shapely.is_valid(geoms).all() or shapely.is_empty(geoms).any():
        problems.append("ungültige oder leere Flächen")
    elif not shapely.coverage_is_valid(geoms):
        problems.append("Überlappungen oder nicht passende Nachbargrenzen")
    elif _hole_count(geoms) != original_holes:
        problems.append("Lücken zwischen Nachbargemeinden")
    if problems:
        raise ValueError(
            f"Gemeindeflächen {step} fehlerhaft ({', '.join(problems)}). Das ist ein Fehler "
            "des IKZ-Monitors, nicht Ihrer Daten: bitte mit dem Kreisschlüssel melden.")


def fertiger_datensatz(
    kreis: dict, gemeinden_metrisch: gpd.GeoDataFrame, quellen: list[dict],
    gebietsstand: dict, abgleich: dict, toleranz_m: int | None = None,
) -> KreisDatensatz:
    """Finish a Kreis: simplify for its map, split off gemeindefreie Gebiete, write meta.

    ``kreis``: ags, name, typ, land_code, land. ``gemeinden_metrisch``: every Gemeinde and
    gemeindefreie Gebiet of the Kreis in EPSG:25832 with GEMEINDE_COLUMNS + gemeindefrei,
    bewohnt. ``gebietsstand``: geometrie, register and the sentence for the app.
    ``abgleich``: what was reconciled in this Kreis and what is still open.
    """
    frame = gemeinden_metrisch.sort_values("ags", ignore_index=True)
    if frame.empty:
        raise ValueError(f"Kreis {kreis['ags']} hat keine Gemeinden mit Fläche.")
    toleranz = ansicht_toleranz(frame.geometry.to_numpy()) if toleranz_m is None else toleranz_m
    geoms = fertige_geometrie(frame.geometry.to_numpy(), toleranz)
    kreis_geom = canonical(shapely.coverage_union_all(geoms))
    frei_maske = frame["gemeindefrei"].to_numpy(dtype=bool)
    gemeinden = gpd.GeoDataFrame(frame.loc[~frei_maske, list(GEMEINDE_COLUMNS)],
                                 geometry=geoms[~frei_maske], crs=OUTPUT_CRS)
    frei = gpd.GeoDataFrame(frame.loc[frei_maske, list(GEMEINDEFREI_COLUMNS)],
                            geometry=geoms[frei_maske], crs=OUTPUT_CRS)
    gemeinden = gemeinden.reset_index(drop=True).astype({"einwohner": "int64",
                                                         "flaeche_km2": "float64"})
    frei = frei.reset_index(drop=True).astype({"einwohner": "int64", "flaeche_km2": "float64",
                                               "bewohnt": bool})
    if gemeinden.empty:
        raise ValueError(f"Kreis {kreis['ags']} hat keine Gemeinden (nur gemeindefreie Gebiete).")
    kreisfrei = kreis["typ"] in (laender.KREISFREIE_STADT, laender.STADTKREIS)
    counts = {
        "gemeinden": len(gemeinden),
        "verwaltungen": int(gemeinden["verwaltung_ars"].nunique()),
        "einwohner": int(gemeinden["einwohner"].sum()),
        "gemeindefreie_gebiete": len(frei),
        "stuetzpunkte": int(shapely.get_num_coordinates(geoms).sum()),
    }
    meta = {
        "kreis_ags": kreis["ags"],
        "kreis_name": kreis["name"],
        "kreis_typ": kreis["typ"],
        "kreisfrei": kreisfrei,
        "land": kreis["land"],
        "land_code": kreis["land_code"],
        "attribution": [q["attribution"] for q in quellen],
        "sources": quellen,
        "gebietsstand": gebietsstand,
        "abgleich": abgleich,
        "build": {
            "tolerance_m": toleranz,
            "simplification": "coverage-preserving (shapely.coverage_simplify) nach "
                              "shapely.coverage_clean",
            "crs_simplification": METRIC_CRS,
            "crs": OUTPUT_CRS,
            "coordinate_decimals": DECIMALS,
        },
        "counts": counts,
    }
    return KreisDatensatz(meta, gemeinden, frei, kreis_geom)


def _datei(folder: Path, name: str) -> Path:
    path = folder / name
    if not path.is_file():
        raise ValueError(f"Datei des Kreis-Datensatzes fehlt: {path}")
    return path


def _leer(columns) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(pd.DataFrame(columns=list(columns)), geometry=[], crs=OUTPUT_CRS)


def _read_features(path: Path, columns: tuple[str, ...]) -> gpd.GeoDataFrame:
    data = json.loads(path.read_text(encoding="utf-8"))
    if not data["features"]:
        return _leer(columns)
    gdf = gpd.GeoDataFrame.from_features(data["features"], crs=OUTPUT_CRS)
    gdf = gdf[[*columns, "geometry"]].sort_values(columns[0], ignore_index=True)
    if "einwohner" in gdf:
        gdf["einwohner"] = gdf["einwohner"].astype(np.int64)
    return gdf


def _features(frame: gpd.GeoDataFrame, columns) -> list[dict]:
    out = []
    for row, geom in zip(frame[list(columns)].to_dict("records"), frame.geometry, strict=True):
        props = {k: (v.item() if hasattr(v, "item") else v) for k, v in row.items()}
        out.append(_feature(props, geom))
    return out


def _feature(properties: dict, geom) -> dict:
    return {"type": "Feature", "properties": properties, "geometry": mapping(geom)}


def _feature_collection(features: list[dict]) -> str:
    """One feature per line (small diffs), sorted keys, shortest round-trip float repr."""
    lines = [json.dumps(f, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
             for f in features]
    return '{"type":"FeatureCollection","features":[\n' + ",\n".join(lines) + "\n]}\n"
