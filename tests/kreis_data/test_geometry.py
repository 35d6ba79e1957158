"""Geometry of the Osnabrück dataset (from the shipped base) and the neighbour relations."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pytest
import shapely
from shapely.geometry import box

from kreis_data.geometry import (
    gemeinde_neighbours,
    shared_border_lengths,
    verwaltung_neighbours,
)
from kreis_data.official.basis import kreis_datensatz
from kreis_data.official.datensatz import KreisDatensatz

MELLE, BISSENDORF = "034590024", "034590012"
ARTLAND, BERSENBRUECK, FUERSTENAU = "034595401", "034595402", "034595403"


@pytest.fixture(scope="module")
def gemeinden() -> gpd.GeoDataFrame:
    return kreis_datensatz("03459").gemeinden


def neighbours_of(pairs, key):
    return {b if a == key else a for a, b in pairs if key in (a, b)}


def test_load_gemeinden(gemeinden):
    assert len(gemeinden) == 34 and gemeinden.crs == "EPSG:4326"
    assert gemeinden["ags"].tolist() == sorted(gemeinden["ags"])
    assert list(gemeinden.columns) == [
        "ags", "name", "bezeichnung", "einwohner", "flaeche_km2",
        "verwaltung_ars", "verwaltung_name", "verwaltung_typ", "geometry",
    ]
    assert gemeinden["einwohner"].dtype == np.int64
    assert kreis_datensatz("03459").meta["kreis_name"] == "Landkreis Osnabrück"


def test_missing_dataset_is_reported_in_german(tmp_path):
    with pytest.raises(ValueError, match="Datei des Kreis-Datensatzes fehlt"):
        KreisDatensatz.read(tmp_path)
    with pytest.raises(ValueError, match="Datensatz-Ordner .* nicht gefunden"):
        KreisDatensatz.read(tmp_path / "fehlt")


def test_gemeinden_are_valid_and_do_not_overlap(gemeinden):
    assert gemeinden.is_valid.all() and not gemeinden.is_empty.any()
    metric = gemeinden.to_crs("EPSG:25832")
    overlap_m2 = metric.area.sum() - shapely.union_all(metric.geometry.to_numpy()).area
    assert abs(overlap_m2) < 1.0
    assert shapely.coverage_is_valid(metric.geometry.to_numpy())
    # simplified areas stay close to the official areas of the Gemeindeverzeichnis
    deviation = (metric.area / 1e6 - gemeinden["flaeche_km2"]) / gemeinden["flaeche_km2"]
    assert deviation.abs().max() < 0.03


def test_gemeinden_lie_in_the_kreis(gemeinden):
    datensatz = kreis_datensatz("03459")
    assert (datensatz.kreis_ags, datensatz.meta["kreis_name"]) == ("03459", "Landkreis Osnabrück")
    outline = datensatz.kreis_geometrie
    assert all(outline.buffer(1e-6).covers(g) for g in gemeinden.geometry)
    west, south, east, north = gemeinden.total_bounds
    assert 7.5 < west < east < 8.6 and 52.0 < south < north < 52.8
    assert np.allclose(outline.bounds, gemeinden.total_bounds)
    # the kreisfreie Stadt Osnabrück (centre 8.047, 52.279) is not part of the Landkreis
    assert not outline.contains(shapely.Point(8.047, 52.279))
    assert outline.contains(shapely.Point(8.336, 52.202))  # Melle


def test_verwaltung_neighbours(gemeinden):
    pairs = verwaltung_neighbours(gemeinden)
    assert pairs == sorted(set(pairs)) and all(a < b for a, b in pairs)
    assert BISSENDORF in neighbours_of(pairs, MELLE)
    assert FUERSTENAU not in neighbours_of(pairs, MELLE)
    assert neighbours_of(pairs, ARTLAND) == {BERSENBRUECK, FUERSTENAU}
    # every Verwaltung borders another one; row order does not matter
    assert {x for pair in pairs for x in pair} == set(gemeinden["verwaltung_ars"])
    assert verwaltung_neighbours(gemeinden.iloc[::-1]) == pairs


def test_verwaltung_neighbours_follow_from_gemeinde_neighbours(gemeinden):
    gemeinde_pairs = gemeinde_neighbours(gemeinden)
    assert all(a < b for a, b in gemeinde_pairs)
    assert {"03459007", "03459025"} == neighbours_of(gemeinde_pairs, "03459030")  # Quakenbrück
    ars = dict(zip(gemeinden["ags"], gemeinden["verwaltung_ars"], strict=True))
    derived = {tuple(sorted((ars[a], ars[b]))) for a, b in gemeinde_pairs if ars[a] != ars[b]}
    assert derived == set(verwaltung_neighbours(gemeinden))


@pytest.fixture
def squares() -> gpd.GeoDataFrame:
    """A 2x2 block A B / C D of 1 km squares plus E (5 m gap to B), F (20 m border with A)
    and G (80 m border with C), in EPSG:25832."""
    shapes = {
        "A": box(0, 0, 1000, 1000), "B": box(1000, 0, 2000, 1000),
        "C": box(0, 1000, 1000, 2000), "D": box(1000, 1000, 2000, 2000),
        "E": box(2005, 0, 3000, 1000), "F": box(-1000, -1000, 0, 20),
        "G": box(-1000, 1920, 0, 3000),
    }
    return gpd.GeoDataFrame({"ags": list(shapes)}, geometry=list(shapes.values()),
                            crs="EPSG:25832")


def test_point_contact_and_short_borders_do_not_count(squares):
    pairs = gemeinde_neighbours(squares)
    assert ("A", "D") not in pairs and ("B", "C") not in pairs  # corner to corner
    assert ("A", "F") not in pairs  # 20 m
    assert ("C", "G") in pairs  # 80 m
    assert ("B", "E") in pairs  # 5 m gap is bridged
    assert pairs == [("A", "B"), ("A", "C"), ("B", "D"), ("B", "E"), ("C", "D"), ("C", "G")]


def test_exact_borders_with_zero_tolerance(squares):
    lengths = shared_border_lengths(squares, "ags", tolerance_m=0)
    assert lengths[("A", "B")] == pytest.approx(1000)
    assert lengths[("C", "G")] == pytest.approx(80)
    assert lengths.get(("A", "D"), 0) == 0
    assert ("B", "E") not in lengths  # the gap is not bridged without tolerance
    assert ("B", "E") not in gemeinde_neighbours(squares, tolerance_m=0)


def test_verwaltung_borders_add_up_over_member_gemeinden(squares):
    squares["verwaltung_ars"] = ["V1", "V1", "V2", "V3", "V3", "V4", "V2"]
    assert verwaltung_neighbours(squares) == [("V1", "V2"), ("V1", "V3"), ("V2", "V3")]
    exact = shared_border_lengths(squares, "verwaltung_ars", tolerance_m=0)
    assert exact[("V1", "V3")] == pytest.approx(1000)  # B-D; A-B and C-G are internal
