"""The pure helpers of the benchmarks (bench/): the 1-pixel bound, the geometry share of a
payload, percentiles, the gap of a missed target, the filled Bewertungen template. Fast; the
benchmarks themselves never run in the test suite (`make bench`)."""
from __future__ import annotations

import csv
import json

import geopandas as gpd
import pytest
import shapely

from bench.arbeitsbereiche import bewertungen_ausfuellen
from bench.grenze import geojson_kompakt, geometrie_bytes, grenze
from bench.last import perzentil
from bench.netz import ist_lokal, ist_streamlit_frontend
from bench.ziele import Messung


def _zwei_quadrate(punkte_je_kante: int) -> gpd.GeoDataFrame:
    """Two squares of 9 km side by side (EPSG:25832) sharing one border, each edge drawn with
    many collinear points – a coverage whose 1-pixel simplification keeps only the corners."""
    def quadrat(x0: float) -> shapely.Polygon:
        kante = [i * 9000 / punkte_je_kante for i in range(punkte_je_kante)]
        ring = ([(x0 + d, 5_800_000) for d in kante] + [(x0 + 9000, 5_800_000 + d) for d in kante]
                + [(x0 + 9000 - d, 5_809_000) for d in kante]
                + [(x0, 5_809_000 - d) for d in kante])
        return shapely.Polygon(ring)

    return gpd.GeoDataFrame({"ags": ["01", "02"]},
                            geometry=[quadrat(400_000), quadrat(409_000)], crs="EPSG:25832")


def test_the_bound_of_a_simple_coverage_keeps_only_the_corners():
    ergebnis = grenze(_zwei_quadrate(200))
    assert ergebnis.breite_m == pytest.approx(18_000)
    assert ergebnis.pixel_m == pytest.approx(20)
    assert ergebnis.flaechen == 2
    assert ergebnis.punkte == 10  # 4 corners + closing point per square
    # compact GeoJSON with 5 decimals: roughly 10 points * 18 bytes plus the frame
    assert 250 < ergebnis.bytes < 450


def test_the_bound_does_not_depend_on_how_finely_the_input_is_drawn():
    assert grenze(_zwei_quadrate(50)).bytes == grenze(_zwei_quadrate(400)).bytes


def test_compact_geojson_rounds_to_five_decimals_and_drops_repeated_points():
    polygon = shapely.Polygon([(7.123456789, 52.0), (7.1234567, 52.0), (7.2, 52.1),
                               (7.2, 52.0000001), (7.123456789, 52.0)])
    text = geojson_kompakt(["03459024"], [polygon])
    daten = json.loads(text)
    ring = daten["features"][0]["geometry"]["coordinates"][0]
    assert ring == [[7.12346, 52.0], [7.2, 52.1], [7.2, 52.0], [7.12346, 52.0]]
    assert daten["features"][0]["id"] == "03459024"
    assert " " not in text


def test_geometry_bytes_count_coordinates_and_arcs_in_any_wrapping():
    geojson = b'{"type":"Polygon","coordinates":[[[7.1,52.1],[7.2,52.2]]],"id":"x"}'
    assert geometrie_bytes(geojson) == len(b"[[[7.1,52.1],[7.2,52.2]]]")
    topo = b'{"arcs":[[[0,0],[5,-3]],[[2,2]]],"objects":{"g":{"arcs":[[0,-2]]}}}'
    assert geometrie_bytes(topo) == len(b"[[[0,0],[5,-3]],[[2,2]]]") + len(b"[[0,-2]]")
    # GeoJSON inside a JSON string (a component's arguments) and inside a script
    eingepackt = json.dumps({"script": geojson.decode()}).encode()
    assert geometrie_bytes(eingepackt) == len(b"[[[7.1,52.1],[7.2,52.2]]]")
    skript = b"L.geoJson({'coordinates': [[1.5, 2.5]]}).addTo(map);"
    assert geometrie_bytes(skript) == len(b"[[1.5, 2.5]]")
    assert geometrie_bytes(b'{"values":[1,2,3],"coordinates_text":"[1]"}') == 0


def test_percentile_interpolates_like_numpy():
    werte = [1.0, 2.0, 3.0, 4.0, 10.0]
    assert perzentil(werte, 50) == 3.0
    assert perzentil(werte, 95) == pytest.approx(8.8)
    assert perzentil([2.5], 95) == 2.5
    assert perzentil([], 95) is None


def test_a_missed_target_states_its_gap():
    verfehlt = Messung("karte", "Klick", 20_000, "B", 15_000, "Klick höchstens 15 KB")
    assert not verfehlt.erreicht
    assert verfehlt.luecke() == "um 5.0 KB über dem Ziel (1.33× das Ziel)"
    assert verfehlt.als_dict()["status"] == "verfehlt"
    assert Messung("karte", "Klick", 15_000, "B", 15_000).erreicht
    assert Messung("last", "RSS", 300, "MB").als_dict()["status"] == "ohne Ziel"
    nicht_gemessen = Messung("seiten", "Karte", None, "×", 3.0)
    assert not nicht_gemessen.erreicht and nicht_gemessen.luecke() == "nicht gemessen"


def test_only_local_urls_and_streamlits_own_files_are_told_apart():
    assert ist_lokal("http://127.0.0.1:8501/karte") and ist_lokal("data:image/png;base64,AA")
    assert not ist_lokal("https://cdn.jsdelivr.net/npm/leaflet@1.9.3/dist/leaflet.js")
    assert ist_streamlit_frontend("http://127.0.0.1:8501/static/js/index.abc.js")
    assert not ist_streamlit_frontend("http://127.0.0.1:8501/app/static/karten/1.json")
    assert not ist_streamlit_frontend("http://127.0.0.1:8501/component/x/index.html")


def test_the_template_is_filled_with_fixed_values(tmp_path):
    vorlage = tmp_path / "bewertungen.csv"
    kopf = ["Quartal", "Verwaltungsschlüssel", "Verwaltung", "Merkmal", "Stufe", "Quelle",
            "Stand", "Erfasst von", "Bemerkung"]
    zeilen = [["2026-Q3", f"07232500{i}", f"V{i}", merkmal, "keine Angabe", "", "", "", ""]
              for i in range(6) for merkmal in ("e_akte", "digitallotsen")]
    with vorlage.open("w", encoding="utf-8-sig", newline="") as datei:
        csv.writer(datei, delimiter=";").writerows([kopf, *zeilen])
    assert bewertungen_ausfuellen(vorlage) == 12
    with vorlage.open(encoding="utf-8-sig", newline="") as datei:
        gefuellt = list(csv.DictReader(datei, delimiter=";"))
    stufen = {z["Stufe"] for z in gefuellt if z["Merkmal"] == "e_akte"}
    assert stufen <= {"0", "1", "2", "3", "4", "keine Angabe"} and len(stufen) > 1
    assert {z["Stufe"] for z in gefuellt if z["Merkmal"] == "digitallotsen"} <= {
        "ja", "nein", "keine Angabe"}
    assert all(z["Quelle"] == "Selbstauskunft" for z in gefuellt if z["Stufe"] != "keine Angabe")
    bewertungen_ausfuellen(vorlage)  # deterministic: the same values again
    with vorlage.open(encoding="utf-8-sig", newline="") as datei:
        assert list(csv.DictReader(datei, delimiter=";")) == gefuellt
