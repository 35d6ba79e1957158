"""st_folium click events -> selected Verwaltung.

The fixture st_folium_klick_melle.json is a real event, recorded in Chromium from the Karte
(streamlit-folium 0.27.4, returned_objects=["last_active_drawing"], Online-Portal 2026-Q3) after a
click on Melle: the value of window.__GLOBAL_DATA__.last_active_drawing in the map iframe, which
the component returns under that key.
"""
import json
from pathlib import Path

import pytest

from kreis_data.map_events import ausgewaehlte_verwaltung

RECORDED = json.loads((Path(__file__).parent / "fixtures" / "st_folium_klick_melle.json")
                      .read_text(encoding="utf-8"))


def test_recorded_click_on_melle_selects_melle():
    assert RECORDED["last_active_drawing"]["properties"]["ags"] == "03459024"
    assert ausgewaehlte_verwaltung(RECORDED) == "034590024"
    assert ausgewaehlte_verwaltung(RECORDED, {"034590024", "034595401"}) == "034590024"


@pytest.mark.parametrize("event", [
    None, {}, [], "034590024",
    {"last_active_drawing": None},  # rendered, nothing clicked yet (the component's default)
    {"last_active_drawing": {}},
    {"last_active_drawing": {"type": "Feature", "properties": None}},
    {"last_active_drawing": {"type": "Feature", "properties": {"ags": "03459024"}}},
    {"last_active_drawing": {"properties": {"verwaltung_key": 34590024}}},
    {"last_active_drawing": {"properties": {"verwaltung_key": "  "}}},
    {"last_clicked": {"lat": 52.2, "lng": 8.3}},  # a click beside any polygon
])
def test_no_selection_from_empty_or_unusable_events(event):
    assert ausgewaehlte_verwaltung(event) is None


def test_unknown_key_is_ignored_when_valid_keys_are_given():
    forged = {"last_active_drawing": {"properties": {"verwaltung_key": "<script>"}}}
    assert ausgewaehlte_verwaltung(forged, {"034590024"}) is None
    stale = {"last_active_drawing": {"properties": {"verwaltung_key": "034599999"}}}
    assert ausgewaehlte_verwaltung(stale, {"034590024"}) is None
    assert ausgewaehlte_verwaltung(stale) == "034599999"
