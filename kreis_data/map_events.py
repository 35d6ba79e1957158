"""Turn what st_folium returns after a click into a domain selection (a Verwaltung key).

st_folium returns a dict such as ``{"last_active_drawing": {"type": "Feature", "properties":
{"verwaltung_key": "034590024", ...}, "geometry": {...}}}`` — or None before the component has
rendered, or a dict whose value is None before the first click. Pure, so it is unit-tested on
recorded events (AppTest cannot drive the map).
"""
from __future__ import annotations

from collections.abc import Collection, Mapping

EVENT_KEY = "last_active_drawing"
PROPERTY = "verwaltung_key"


def ausgewaehlte_verwaltung(event: Mapping | None,
                            gueltige_keys: Collection[str] | None = None) -> str | None:
    """The clicked feature's Verwaltung key, or None for no click / an unusable event.

    With `gueltige_keys`, a key that is not one of them (stale or forged) gives None.
    """
    if not isinstance(event, Mapping):
        return None
    feature = event.get(EVENT_KEY)
    if not isinstance(feature, Mapping):
        return None
    properties = feature.get("properties")
    if not isinstance(properties, Mapping):
        return None
    key = properties.get(PROPERTY)
    if not isinstance(key, str) or not key.strip():
        return None
    key = key.strip()
    if gueltige_keys is not None and key not in gueltige_keys:
        return None
    return key
