"""Clicks of the map component -> selected Verwaltung (the browser's value is not trusted)."""
import pytest

from kreis_data.map_events import ausgewaehlte_verwaltung, klick_nummer

MELLE = {"verwaltung": "034590024", "ags": "03459024", "n": 1}


def test_a_click_on_melle_selects_melle_and_counts():
    assert ausgewaehlte_verwaltung(MELLE) == "034590024"
    assert ausgewaehlte_verwaltung(MELLE, {"034590024", "034595401"}) == "034590024"
    assert klick_nummer(MELLE) == 1
    assert klick_nummer({**MELLE, "n": 2}) == 2  # the same Gemeinde again is a new event


@pytest.mark.parametrize("event", [
    None, {}, [], "034590024",
    {"verwaltung": "034590024"},  # no click number
    {"verwaltung": "034590024", "n": "1"},
    {"verwaltung": "034590024", "n": True},
    {"verwaltung": 34590024, "n": 1},
    {"verwaltung": "  ", "n": 1},
    {"ags": "03459024", "n": 1},
])
def test_no_selection_from_empty_or_unusable_events(event):
    assert ausgewaehlte_verwaltung(event) is None


def test_unknown_key_is_ignored_when_valid_keys_are_given():
    forged = {"verwaltung": "<script>", "n": 1}
    assert ausgewaehlte_verwaltung(forged, {"034590024"}) is None
    stale = {"verwaltung": "034599999", "n": 1}
    assert ausgewaehlte_verwaltung(stale, {"034590024"}) is None
    assert ausgewaehlte_verwaltung(stale) == "034599999"
