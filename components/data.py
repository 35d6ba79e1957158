"""Access to the database for pages: one cached engine, cached reads keyed by what they read.

`cached(kreis_data_function, *args)` is the one way pages and components read: it calls
`function(engine, *args)` once per database, arguments and version of the data the function
depends on, and afterwards returns the cached result (a copy).

Versions: every write leaves audit entries (audit_log.objekt: "bewertung", "anbindung", …).
The newest audit id per objekt is read once per script run, in one statement
(queries.versionen), and read again in the same run after this process has written – so a
write followed by more reads or by st.rerun() is seen at once. A read is keyed by the versions
of the objekte it depends on (ABHAENGIGKEITEN, default: every objekt): a saved Kooperation does
not recompute the map, a saved Bewertung does.

Map views: a function whose first parameter takes a `Grundlage` (`quelle: Engine | Grundlage`,
second parameter `quartal`) – or that has a `basis: Grundlage | None` parameter – gets the
quarter's one Grundlage (`grundlage(quartal)`, built once per quarter and data version) instead
of rebuilding it: values, summary, table, Quelle/Stand and tooltips of the map all derive from
that one object.
"""
from __future__ import annotations

import functools
import inspect
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from types import FunctionType
from typing import TypeVar

import pandas as pd
import streamlit as st
from sqlalchemy import Engine, event
from streamlit.runtime.scriptrunner import get_script_run_ctx

from kreis_data import queries
from kreis_data.analyses import karte, lagebild
from kreis_data.database import database_url, make_engine
from kreis_data.startup import ensure_database

T = TypeVar("T")

# --- What a read depends on ----------------------------------------------------------------------
_BEWERTUNG = frozenset({"bewertung"})
_EFA = frozenset({"anbindung", "leistung", "leistung_vollzug"})
_SOFTWARE = frozenset({"produkt", "produkt_einsatz", "standard_unterstuetzung"})
_KOOPERATION = frozenset({"kooperation"})
_MASSNAHME = frozenset({"massnahme"})
_KEINE: frozenset[str] = frozenset()  # only the frame: Kreis, Gemeinden, Verwaltungen, Merkmale

# The one place that says which writes (audit_log.objekt) a read depends on: "module" or
# "module:function" (the function's entry wins) -> objekte. A read not listed here depends on
# every write (so does None). Writes of an objekt not named here – a new workspace ("kreis",
# "demo"), anything added later – change every read. tests/pages/test_data_cache.py checks
# each entry against the tables the function really reads.
ABHAENGIGKEITEN: dict[str, frozenset[str] | None] = {
    **{f"kreis_data.queries:{name}": _KEINE for name in (
        "meta", "kreis", "gebiet", "verwaltungen", "merkmale", "gemeinden", "nachbarn",
        "gemeindefreie_gebiete")},
    "kreis_data.queries:quartale": _BEWERTUNG,
    "kreis_data.queries:bewertungen": _BEWERTUNG,
    "kreis_data.analyses.gebietsstand": _KEINE,  # the Gebietsstand of the workspace's dataset
    "kreis_data.analyses.karte": _BEWERTUNG | _EFA,  # the Grundlage: Bewertungen, EfA-Quote
    "kreis_data.analyses.karte:verwaltung_grenzen": _KEINE,
    "kreis_data.analyses.kartengeometrie:topologie_json": _KEINE,
    "kreis_data.analyses.lagebild:kennzahlen": _BEWERTUNG,
    "kreis_data.analyses.lagebild:groesste_chancen": _EFA | _SOFTWARE,
    "kreis_data.analyses.deltas": _BEWERTUNG | _EFA | _KOOPERATION | _MASSNAHME,
    "kreis_data.analyses.lagebild:veraenderungen": _BEWERTUNG | _EFA | _KOOPERATION | _MASSNAHME,
    "kreis_data.analyses.nachbarvergleich": _BEWERTUNG,
    "kreis_data.bundesvergleich": _BEWERTUNG,
    "kreis_data.analyses.steckbrief:mitglieder": _KEINE,
    "kreis_data.analyses.steckbrief:ansprechpersonen": _KEINE,
    "kreis_data.analyses.steckbrief:merkmal_werte": _BEWERTUNG,
    "kreis_data.analyses.steckbrief:verlauf": _BEWERTUNG,
    "kreis_data.analyses.steckbrief:index_text": _BEWERTUNG,
    "kreis_data.analyses.steckbrief:produkte": _SOFTWARE,
    "kreis_data.analyses.steckbrief:kooperationen": _KOOPERATION,
    "kreis_data.analyses.steckbrief:live_anbindungen": _EFA,
    "kreis_data.bewertungen.lesen": _BEWERTUNG,  # the Protokoll reads only Bewertung entries
    "kreis_data.efa.lesen": _EFA,
    "kreis_data.efa.lesen:chancen": _EFA | _SOFTWARE,
    "kreis_data.software.lesen": _SOFTWARE,
    "kreis_data.software.lesen:domaenen_auswertung": _SOFTWARE | _KOOPERATION,
    "kreis_data.software.lesen:load_kooperationen": _KOOPERATION,
    "kreis_data.steuerung.lesen": _MASSNAHME,
    "kreis_data.kooperationen.lesen": _KOOPERATION,
    "kreis_data.kooperationen.lesen:stand": None,  # without a Kooperation entry: the newest
}
# Objekte whose versions are kept apart; every other objekt counts for every read.
GEFUEHRT = frozenset().union(*(o for o in ABHAENGIGKEITEN.values() if o is not None))


def abhaengigkeiten(function: Callable) -> frozenset[str] | None:
    """The objekte `function` depends on; None = every write."""
    modul = function.__module__
    for name in (f"{modul}:{function.__qualname__}", modul):
        if name in ABHAENGIGKEITEN:
            return ABHAENGIGKEITEN[name]
    return None


# --- Engine, write counter, the run's versions ---------------------------------------------------
_schreib_lock = threading.Lock()
_schreibstand = 0  # commits through the app's engine in this process


def _geschrieben(_connection) -> None:
    global _schreibstand
    with _schreib_lock:
        _schreibstand += 1


@st.cache_resource(show_spinner="Datenbank wird vorbereitet …")
def _engine(url: str) -> Engine:
    engine = make_engine(url)
    ensure_database(engine)
    # A commit (every write commits) makes the next read in this process re-read the versions.
    event.listen(engine, "commit", _geschrieben)
    return engine


def engine() -> Engine:
    return _engine(database_url())


@dataclass
class _Lauf:
    marke: object  # the run's ScriptRunContext.cursors: Streamlit sets a new one at each run
    url: str
    schreibstand: int
    versionen: dict[str, int]
    schluessel: dict[frozenset[str] | None, tuple[int, ...]] = field(default_factory=dict)


_LAUF = "_ikz_versionen"  # attribute on the session's ScriptRunContext


def _lauf() -> _Lauf:
    """The versions of this script run: read once per run and after each write."""
    url = database_url()
    ctx = get_script_run_ctx(suppress_warning=True)
    marke = getattr(ctx, "cursors", None)
    lauf = getattr(ctx, _LAUF, None)
    if (lauf is not None and marke is not None and lauf.marke is marke
            and lauf.url == url and lauf.schreibstand == _schreibstand):
        return lauf
    stand = _schreibstand  # taken before reading: a write meanwhile means another read
    lauf = _Lauf(marke, url, stand, queries.versionen(_engine(url)))
    if ctx is not None and marke is not None:
        setattr(ctx, _LAUF, lauf)
    return lauf


def versionen() -> dict[str, int]:
    """objekt -> newest audit id, as this run sees it."""
    return dict(_lauf().versionen)


def version() -> int:
    """Cache key part that changes with every write."""
    return max(versionen().values(), default=0)


def stand(function: Callable) -> tuple[int, ...]:
    """Cache key part for an own cache of what `function(engine, …)` returns (e.g. a file
    written once per geometry): changes only with the writes it depends on (ABHAENGIGKEITEN)."""
    return _schluessel(_objekte(function))


def _schluessel(objekte: frozenset[str] | None) -> tuple[int, ...]:
    """Versions of `objekte` (None = all) and of every objekt not kept apart."""
    lauf = _lauf()
    if objekte not in lauf.schluessel:
        werte = lauf.versionen
        if objekte is None:
            lauf.schluessel[objekte] = (max(werte.values(), default=0),)
        else:
            uebrige = max((v for o, v in werte.items() if o not in GEFUEHRT), default=0)
            lauf.schluessel[objekte] = (*(werte.get(o, 0) for o in sorted(objekte)), uebrige)
    return lauf.schluessel[objekte]


# --- The map's Grundlage per quarter -------------------------------------------------------------
@st.cache_resource(show_spinner=False, max_entries=8)
def _grundlage(url: str, quartal: str, schluessel: tuple[int, ...]) -> karte.Grundlage:
    return karte.grundlage(_engine(url), quartal)


def grundlage(quartal: str) -> karte.Grundlage:
    """The map's base data of a quarter, built once per quarter and data version and shared by
    every session (read only: derive, never change it)."""
    return _grundlage(database_url(), quartal, _schluessel(abhaengigkeiten(karte.grundlage)))


@functools.cache
def grundlage_parameter(function: Callable) -> str | None:
    """How `function` takes the quarter's Grundlage: "quelle" (first parameter, the quarter
    second), "basis" (keyword), None (not at all: it gets the engine)."""
    try:
        parameter = list(inspect.signature(function).parameters.values())
    except (TypeError, ValueError):
        return None
    if len(parameter) >= 2 and "Grundlage" in str(parameter[0].annotation) \
            and parameter[1].name == "quartal":
        return "quelle"
    basis = next((p for p in parameter if p.name == "basis"), None)
    if basis is not None and "Grundlage" in str(basis.annotation) and len(parameter) >= 2 \
            and parameter[1].name == "quartal":
        return "basis"
    return None


def _objekte(function: Callable) -> frozenset[str] | None:
    objekte = abhaengigkeiten(function)
    if grundlage_parameter(function) is None or objekte is None:
        return objekte
    basis = abhaengigkeiten(karte.grundlage)
    return None if basis is None else objekte | basis


def aufrufen(url: str, function: Callable[..., T], args: tuple) -> T:
    """function(engine, *args) – with the quarter's Grundlage for a map view (see above)."""
    art = grundlage_parameter(function)
    if art == "quelle":
        return function(_grundlage(url, args[0], _schluessel(abhaengigkeiten(karte.grundlage))),
                        *args)
    if art == "basis":
        return function(_engine(url), *args, basis=_grundlage(
            url, args[0], _schluessel(abhaengigkeiten(karte.grundlage))))
    return function(_engine(url), *args)


# --- Cached reads --------------------------------------------------------------------------------
def _funktionsname(function: FunctionType) -> str:
    return f"{function.__module__}:{function.__qualname__}"


@st.cache_data(show_spinner=False, max_entries=256, hash_funcs={FunctionType: _funktionsname})
def _cached_call(url: str, version: tuple[int, ...], function: Callable, args: tuple) -> object:
    return aufrufen(url, function, args)


def cached(function: Callable[..., T], *args) -> T:
    """function(engine, *args), cached until a write it depends on. Only kreis_data functions."""
    if not function.__module__.startswith("kreis_data"):
        raise ValueError(f"{function.__module__} is not a kreis_data function")
    return _cached_call(database_url(), _schluessel(_objekte(function)), function, tuple(args))


def meta() -> dict:
    return cached(queries.meta)


def ist_demo() -> bool:
    return bool(meta().get("demo"))


def quartale() -> list[str]:
    return cached(queries.quartale)


def kreis() -> dict | None:
    return cached(queries.kreis)


def kennzahlen(quartal: str) -> list[lagebild.Kennzahl]:
    return cached(lagebild.kennzahlen, quartal)


def gebiet():
    """The Kreis in words (kreis_data.laender.Gebiet): Verwaltungsarten, kreisfrei, Gebietsstand."""
    return cached(queries.gebiet)


def verwaltungen() -> pd.DataFrame:
    return cached(queries.verwaltungen)


def merkmale():
    return cached(queries.merkmale)


def kartenmerkmale():
    """What the map can colour by: every Merkmal and the indicators (Digitalisierungsindex …)."""
    return karte.kartenmerkmale(merkmale())
