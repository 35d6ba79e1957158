"""Access to the database for pages: one cached engine, cached reads keyed by data version."""
from __future__ import annotations

import pandas as pd
import streamlit as st
from sqlalchemy import Engine

from kreis_data import queries
from kreis_data.analyses import lagebild
from kreis_data.database import database_url, make_engine
from kreis_data.startup import ensure_database


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


@st.cache_data(show_spinner=False)
def _meta(url: str, version: int) -> dict:
    return queries.meta(_engine(url))


def meta() -> dict:
    return _meta(database_url(), version())


def ist_demo() -> bool:
    return bool(meta().get("demo"))


@st.cache_data(show_spinner=False)
def _quartale(url: str, version: int) -> list[str]:
    return queries.quartale(_engine(url))


def quartale() -> list[str]:
    return _quartale(database_url(), version())


@st.cache_data(show_spinner=False)
def _kreis(url: str, version: int) -> dict | None:
    return queries.kreis(_engine(url))


def kreis() -> dict | None:
    return _kreis(database_url(), version())


@st.cache_data(show_spinner=False)
def _kennzahlen(url: str, version: int, quartal: str) -> list[lagebild.Kennzahl]:
    return lagebild.kennzahlen(_engine(url), quartal)


def kennzahlen(quartal: str) -> list[lagebild.Kennzahl]:
    return _kennzahlen(database_url(), version(), quartal)


@st.cache_data(show_spinner=False)
def _verwaltungen(url: str, version: int) -> pd.DataFrame:
    return queries.verwaltungen(_engine(url))


def verwaltungen() -> pd.DataFrame:
    return _verwaltungen(database_url(), version())
