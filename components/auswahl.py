"""The one selection of a run: Kreis, Quartal, Verwaltung, Merkmal.

app.py produces it once per run (``auswahl_der_shell``) and runs the page inside ``gilt``: the sidebar's quarter selector and the
URL (``?quartal=2026-Q3&verwaltung=034595401&merkmal=e_akte``). Pages read it with
``auswahl()`` and hand it to components; a page that needs a second quarter (the review's
comparison) derives it from this one. Verwaltung and Merkmal are chosen on the pages that need
them (``verwaltung_waehlen``, ``merkmal_waehlen``), stored under the same keys, so the next run's
selection has them.
"""
from __future__ import annotations

import contextlib
import contextvars
import datetime as dt
from collections.abc import Callable, Collection, Iterator, Sequence
from dataclasses import dataclass

import streamlit as st

from components import data
from components.url_state import url_selectbox
from kreis_data.quartal import Quartal

QUARTAL, VERWALTUNG, MERKMAL = "quartal", "verwaltung", "merkmal"
STANDARD_MERKMAL = "e_akte"


@dataclass(frozen=True)
class Auswahl:
    kreis_ags: str | None
    kreis_name: str | None
    quartal: str  # the selected quarter, e.g. "2026-Q3"
    quartale: tuple[str, ...]  # quarters with Bewertungen
    verwaltung: str | None  # a Verwaltung key from the URL or a page's selector
    merkmal: str  # a Merkmal or indicator key of the map

    @property
    def q(self) -> Quartal:
        return Quartal.parse(self.quartal)

    @property
    def label(self) -> str:
        """ "3. Quartal 2026"."""
        return self.q.label

    @property
    def vorquartal(self) -> str:
        return str(self.q.previous())

    @property
    def hat_daten(self) -> bool:
        """Are there Bewertungen in the selected quarter?"""
        return self.quartal in self.quartale


_AKTUELL: contextvars.ContextVar[Auswahl | None] = contextvars.ContextVar("ikz_auswahl",
                                                                          default=None)


def waehlbare_quartale() -> list[str]:
    """Quarters with Bewertungen, and the current calendar quarter when it has none yet (so a
    new quarter can be entered, and a new workspace works at once)."""
    quartale = list(data.quartale())
    heute = str(Quartal.of_date(dt.date.today()))
    if not quartale or heute > quartale[-1]:
        quartale.append(heute)
    return quartale


def _quartal_label(quartal: str, mit_daten: Collection[str]) -> str:
    ohne = "" if quartal in mit_daten else " (noch ohne Angaben)"
    return Quartal.parse(quartal).label + ohne


def _standard_quartal(quartale: list[str]) -> str:
    mit_daten = [q for q in quartale if q in data.quartale()]
    return (mit_daten or quartale)[-1]


def quartal_selector() -> str:
    """The sidebar's quarter selector, bound to ?quartal=."""
    quartale, mit_daten = waehlbare_quartale(), frozenset(data.quartale())
    if not mit_daten:
        st.sidebar.info("Noch keine Bewertungen erfasst.")
    return url_selectbox(
        "Quartal", quartale, key=QUARTAL, default=_standard_quartal(quartale),
        container=st.sidebar, format_func=lambda q: _quartal_label(q, mit_daten),
        help="Stichtag der angezeigten Bewertungen. Auch per Link: ?quartal=2026-Q3")


def _lies(key: str, erlaubt: Callable[[str], bool]) -> str | None:
    """A value from the URL (a deep link wins) or this session, if it is allowed."""
    for wert in (st.query_params.get(key), st.session_state.get(key)):
        if isinstance(wert, str) and erlaubt(wert):
            return wert
    return None


def _auswahl(quartal: str | None) -> Auswahl:
    kreis = data.kreis() or {}
    quartale = waehlbare_quartale()
    if quartal not in quartale:
        quartal = _lies(QUARTAL, quartale.__contains__) or _standard_quartal(quartale)
    verwaltungen = set(data.verwaltungen()["key"])
    merkmale = {m.key for m in data.kartenmerkmale()}
    return Auswahl(
        kreis_ags=kreis.get("ags"), kreis_name=kreis.get("name"), quartal=quartal,
        quartale=tuple(data.quartale()),
        verwaltung=_lies(VERWALTUNG, verwaltungen.__contains__),
        merkmal=_lies(MERKMAL, merkmale.__contains__) or STANDARD_MERKMAL)


def auswahl_der_shell() -> Auswahl:
    """app.py: render the sidebar selector and make the selection of this run."""
    return _auswahl(quartal_selector())


@contextlib.contextmanager
def gilt(auswahl_: Auswahl) -> Iterator[Auswahl]:
    """app.py runs the page inside this: ``auswahl()`` returns `auswahl_` until it ends."""
    token = _AKTUELL.set(auswahl_)
    try:
        yield auswahl_
    finally:
        _AKTUELL.reset(token)


def auswahl() -> Auswahl:
    """The selection of this run (made by app.py; a page run alone computes it)."""
    return _AKTUELL.get() or _auswahl(None)


def verwaltung_waehlen(optionen: Sequence[str], format_func: Callable[[str], str], *,
                       label: str = "Verwaltung", default: str | None = None, container=None,
                       help: str | None = "Auch per Link: ?verwaltung=<Regionalschlüssel>"
                       ) -> str | None:
    """The page's Verwaltung selector (key and URL parameter "verwaltung")."""
    return url_selectbox(label, optionen, key=VERWALTUNG, format_func=format_func,
                         default=default, container=container, help=help)


def merkmal_waehlen(optionen: Sequence[str], format_func: Callable[[str], str], *,
                    container=None) -> str | None:
    """The page's Merkmal selector (key and URL parameter "merkmal")."""
    return url_selectbox("Merkmal", optionen, key=MERKMAL, format_func=format_func,
                         default=STANDARD_MERKMAL, container=container,
                         help="Auch per Link: ?merkmal=e_akte")
