"""The one family of refusals: every write service raises one of these, every form and the CLI
show them the same way. ``str()`` is the German message for the user; nothing was written.

    Abgelehnt          base class
    ├── NichtErlaubt   the signed-in person may not do this (also a PermissionError)
    ├── Veraltet       someone else saved the record since it was loaded
    └── Ungueltig      invalid input; ``fehler`` lists every message (also a ValueError)
"""
from __future__ import annotations

from collections.abc import Iterable


class Abgelehnt(Exception):
    """A refused write; nothing was written."""


class NichtErlaubt(Abgelehnt, PermissionError):
    """The person may not make this change (role or Verwaltung)."""


class Veraltet(Abgelehnt):
    """The record was changed by someone else after it was loaded. ``konflikte``: what changed,
    by whom and when (where known)."""

    def __init__(self, meldung: str, konflikte: Iterable[dict] = ()):
        super().__init__(meldung)
        self.konflikte = list(konflikte)


class Ungueltig(Abgelehnt, ValueError):
    """Invalid input. ``fehler``: every German message; str() joins them with "; "."""

    def __init__(self, fehler: Iterable[str] | str):
        self.fehler = [fehler] if isinstance(fehler, str) else list(fehler)
        super().__init__("; ".join(self.fehler))


def veraltet(was: str, gesehen: int | None = None, aktuell: int | None = None) -> Veraltet:
    """The standard message for a stale write."""
    versionen = (f" (gespeicherte Version {aktuell}, Ihr Stand war Version {gesehen})"
                 if gesehen is not None and aktuell is not None else "")
    return Veraltet(f"{was} wurde inzwischen von jemand anderem geändert{versionen}. Nichts "
                    "wurde gespeichert – bitte neu laden, die aktuellen Werte prüfen und erneut "
                    "speichern.")
