"""The folium map as the browser gets it: vendored Leaflet only, scale colours, escaped tooltip,
and a base map whose script does not change between reruns (so the iframe is not remounted)."""
import re

import folium
import pytest
import streamlit_folium

from components import karte as karten_component
from components import offline_map
from components.legend import legende_html
from kreis_data import map_style, scales
from kreis_data.analyses import karte
from tests.kreis_data.karten_frames import QUARTAL, grundlage

BOESE = "<img src=x onerror=alert(1)>"


@pytest.fixture(scope="module")
def features(demo_engine):
    return karte.gemeinde_features(demo_engine, QUARTAL, "online_portal")


@pytest.fixture(scope="module")
def grenzen(demo_engine):
    return karte.verwaltung_grenzen(demo_engine)


def component_links(karte_: folium.Map) -> list[str]:
    """The js/css URLs st_folium hands to its iframe (same walk as streamlit_folium)."""
    links = []
    for element in [karte_, *karte_._children.values()]:
        links += [u for _, u in getattr(element, "default_js", [])]
        links += [u for _, u in getattr(element, "default_css", [])]
    return links


def test_only_vendored_leaflet_as_data_urls_no_http_scripts_or_styles(features, grenzen):
    karte_ = karten_component.basiskarte(features, grenzen)
    html = karte_.get_root().render()
    assert not re.search(r"<script[^>]+src=[\"']https?:", html)
    assert not re.search(r"<link[^>]+href=[\"']https?:", html)
    links = component_links(karte_)
    assert [u.split(",")[0] for u in links] == ["data:text/javascript;base64",
                                                 "data:text/css;base64"]
    assert "tile.openstreetmap.org" not in html and "geodatenzentrum" not in html
    assert len(offline_map.leaflet_js_url()) > 190_000  # the whole leaflet.js, not a stub


def test_background_map_is_opt_in_and_attributed(features, grenzen):
    html = karten_component.basiskarte(features, grenzen, "basemap_de").get_root().render()
    assert "wmts_basemapde/tile/1.0.0/de_basemapde_web_raster_grau/default/GLOBAL_WEBMERCATOR/" \
           "{z}/{y}/{x}.png" in html
    assert "basemap.de" in html and "dl-de/by-2-0" in html
    osm = karten_component.basiskarte(features, grenzen, "osm").get_root().render()
    assert "OpenStreetMap-Mitwirkende" in osm


def test_fill_colours_come_from_scales_and_keine_angabe_is_hatched(demo_engine, features):
    klein = karte.gemeinde_features(demo_engine, QUARTAL, "e_akte", basis=grundlage())
    for feature in features["features"] + klein["features"]:
        klasse = feature["properties"]["klasse"]
        fill = feature["properties"]["style"]["fillColor"]
        assert fill == (f"url(#{scales.KEINE_ANGABE_MUSTER})" if klasse is None
                        else scales.STUFEN_FARBEN[klasse])
    assert any(f["properties"]["klasse"] is None for f in klein["features"])
    assert map_style.KEINE_ANGABE_PATTERN_SVG.count(scales.KEINE_ANGABE_FARBE) == 1


def test_hatch_pattern_is_injected_once_into_the_map_script(features, grenzen):
    script = streamlit_folium.generate_leaflet_string(
        karten_component.basiskarte(features, grenzen))
    assert script.count(f'getElementById("{scales.KEINE_ANGABE_MUSTER}")') == 1


def test_legend_lists_every_class_with_its_label_and_colour():
    item = karte.kartenmerkmal(scales.STANDARD_MERKMALE, "e_akte")
    html = legende_html(list(item.legende))
    for stufe in scales.STUFEN:
        assert scales.STUFEN_FARBEN[stufe] in html
    assert "3 – in einigen Fachverfahren eingeführt" in html
    assert "keine Angabe" in html and "repeating-linear-gradient" in html


def test_tooltip_of_a_malicious_name_is_escaped_in_the_map_html(demo_engine, grenzen):
    basis = grundlage(erste_gemeinde=BOESE, sg_name="<script>alert(2)</script>")
    boese = karte.gemeinde_features(demo_engine, QUARTAL, "e_akte", basis=basis)
    html = karten_component.basiskarte(boese, grenzen).get_root().render()
    assert BOESE not in html and "<script>alert(2)" not in html
    # folium's tojson writes < as \u003c: the escaped text arrives as &lt;img …&gt;
    assert "\\u0026lt;img src=x onerror=alert(1)\\u0026gt;" in html


def test_base_map_script_is_identical_between_reruns_and_selection_is_separate(features, grenzen):
    def script(auswahl):
        karte_ = karten_component.basiskarte(features, grenzen)
        karte_.get_root().render()
        leaflet = streamlit_folium._get_map_string(karte_)
        gruppe = streamlit_folium._get_feature_group_string(
            karten_component.auswahl_ebene(grenzen, auswahl), map=karte_)
        return leaflet, gruppe

    ohne, gruppe_ohne = script(None)
    melle, gruppe_melle = script("034590024")
    assert ohne == melle  # same key + same script -> st_folium keeps its iframe
    assert "ikz-auswahl-" not in gruppe_ohne and "034590024" in gruppe_melle
