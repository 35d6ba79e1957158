"""The map component as the browser gets it: one TopoJSON geometry file per Kreis (every border
once, decodes to the Gemeinden), small values per rerun as plain text, only local scripts."""
import json
import re

import numpy as np
import pytest
import shapely

from components import karte_komponente
from kreis_data import map_style, queries, scales
from kreis_data.analyses import karte, kartengeometrie
from kreis_data.official import topologie
from tests.kreis_data.karten_frames import BE, QUARTAL, SG, grundlage

KOMPONENTE = karte_komponente.ROOT / "components" / "karte_komponente"
STATIC = karte_komponente.STATIC


@pytest.fixture(scope="module")
def topo(demo_engine) -> dict:
    return json.loads(kartengeometrie.topologie_json(demo_engine))


def _geometrien(topo: dict, objekt: str) -> dict:
    t = topo["transform"]
    arcs = topologie.decode_arcs(topo["arcs"], t["scale"][0], tuple(t["translate"]))
    return {g["id"]: topologie.geometry(g["arcs"], arcs) for g in topo["objects"][objekt]["geometries"]}


def test_geometry_file_holds_every_gemeinde_once_and_decodes_within_a_metre(demo_engine, topo):
    gemeinden = queries.gemeinden(demo_engine, with_geometry=True).set_index("ags")
    dekodiert = _geometrien(topo, "gemeinden")
    assert sorted(dekodiert) == sorted(gemeinden.index) and len(dekodiert) == 34
    for ags, geometrie in dekodiert.items():
        original = shapely.from_geojson(gemeinden.at[ags, "geometry"])
        assert geometrie.is_valid
        # 1e-5 degrees: about 1.1 m; the Hausdorff distance in degrees stays below 2e-5
        assert shapely.hausdorff_distance(geometrie, original) < 2e-5, ags
    props = {g["id"]: g["properties"] for g in topo["objects"]["gemeinden"]["geometries"]}
    assert props["03459024"] == {"name": "Melle", "v": "034590024"}


def test_geometry_file_stores_shared_borders_once_and_is_smaller_than_geojson(demo_engine, topo):
    referenzen = [abs(r if r >= 0 else ~r) for g in topo["objects"]["gemeinden"]["geometries"]
                  for polygon in g["arcs"] for ring in polygon for r in ring]
    zaehlung = np.bincount(referenzen)
    assert zaehlung.max() == 2  # a border between two Gemeinden is one arc, used twice
    daten = kartengeometrie.topologie_json(demo_engine)
    geojson = sum(len(g) for g in queries.gemeinden(demo_engine, with_geometry=True)["geometry"])
    assert len(daten) < 0.5 * geojson
    assert daten == kartengeometrie.topologie_json(demo_engine)  # deterministic: same URL
    assert re.fullmatch(r"[0-9a-f]{20}", kartengeometrie.inhalt_hash(daten))


def test_values_per_rerun_are_small_plain_text_and_name_keine_angabe():
    werte = karte.anzeige(grundlage(sg_name="<b>Artland</b>"), QUARTAL, "e_akte")
    assert werte[SG]["k"] == 1 and werte[BE]["k"] is None
    assert werte[SG]["t"][0] == ["Verwaltung", "<b>Artland</b>"]  # text, inserted as text
    assert werte[SG]["t"][1] == ["E-Akte", "1 – geplant"]
    assert werte[BE]["t"][1][1] == scales.KEINE_ANGABE
    assert len(json.dumps(werte)) < 1000


def test_the_browser_side_inserts_data_as_text_and_loads_nothing_from_elsewhere():
    skript = (STATIC / "karte" / "karte.js").read_text(encoding="utf-8")
    assert "innerHTML" not in skript and "insertAdjacentHTML" not in skript
    assert "textContent" in skript
    seite = (KOMPONENTE / "index.html").read_text(encoding="utf-8")
    quellen = re.findall(r'(?:src|href)="([^"]+)"', seite)
    assert quellen and all(q.startswith("../../app/static/") for q in quellen)
    for pfad in quellen:
        assert (STATIC / pfad.removeprefix("../../app/static/")).exists(), pfad
    svg_namensraum = "http://www.w3.org/2000/svg"
    assert not re.search(r"https?://", (skript + seite).replace(svg_namensraum, ""))
    assert (STATIC / "leaflet" / "leaflet.js").stat().st_size > 140_000  # the real Leaflet


def test_styles_and_background_maps_come_from_one_place():
    assert map_style.KEINE_ANGABE == {"farbe": scales.KEINE_ANGABE_FARBE,
                                      "muster": scales.KEINE_ANGABE_MUSTER}
    assert map_style.hintergrund(None).url is None  # offline unless chosen
    assert "basemap.de" in map_style.hintergrund("basemap_de").attribution
