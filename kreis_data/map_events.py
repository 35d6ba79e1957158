"""Turn what the map component returns after a click into a domain selection (a Verwaltung key).

The component (components/karte_komponente) returns ``{"verwaltung": "034590024", "ags":
"03459024", "n": 3}`` – ``n`` counts the clicks of this map, so clicking the same Gemeinde twice
is two events – or None before the first click. The value comes from the browser: anything else
is ignored. Pure, so it is unit-tested (AppTest cannot drive the map).
"""
from __future__ import annotations

from collections.abc import Collection, Mapping


def klick_nummer(event: object) -> int | None:
    """The click's number, or None for no click / an unusable event."""
    if not isinstance(event, Mapping):
        return None
    nummer = event.get("n")
    return nummer if isinstance(nummer, int) and not isinstance(nummer, bool) else None


def ausgewaehlte_verwaltung(event: object, gueltige_keys: Collection[str] | None = None
                            ) -> str | None:
    """The clicked Gemeinde's Verwaltung key, or None for no click / an unusable event.

    With `gueltige_keys`, a key that is not one of them (stale or forged) gives None.
    """
    if klick_nummer(event) is None:
        return None
    key = event.get("verwaltung")
    if not isinstance(key, str) or not key.strip():
        return None
    key = key.strip()
    if gueltige_keys is not None and key not in gueltige_keys:
        return None
    return key
