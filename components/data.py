"""Access to the database for pages: one cached engine, cached reads keyed by data version.

Use `cached(kreis_data_function, *args)` for any read function of kreis_data whose first
parameter is the engine: the result is cached per database, data version and arguments, so a
write anywhere (every write has an audit entry) invalidates it.
"""
from __future__ import annotations

from collections.abc import Callable
from types import FunctionType
from typing import TypeVar

import pandas as pd
import streamlit as st
from sqlalchemy import Engine

from kreis_data import queries
from kreis_data.analyses import karte, lagebild
from kreis_data.database import database_url, make_engine
from kreis_data.startup import ensure_database

T = TypeVar("T")


@st.cache_resource(show_spinner="Datenbank wird vorbereitet …")
def _engine(url: str) -> Engine:
    engine = make_engine(url)
    ensure_database(engine)
    return engine


def engine() -> Engine:
    return _engine(database_url())


def version() -> int:
    """Cache key part that changes with every write."""
    return queries.data_version(engine())


def _funktionsname(function: FunctionType) -> str:
    return f"{function.__module__}:{function.__qualname__}"


@st.cache_data(show_spinner=False, max_entries=256, hash_funcs={FunctionType: _funktionsname})
def _cached_call(url: str, version: int, function: Callable, args: tuple) -> object:
    return function(_engine(url), *args)


def cached(function: Callable[..., T], *args) -> T:
    """function(engine, *args), cached until the next write. Only kreis_data functions."""
    if not function.__module__.startswith("kreis_data"):
        raise ValueError(f"{function.__module__} is not a kreis_data function")
    return _cached_call(database_url(), version(), function, tuple(args))


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
