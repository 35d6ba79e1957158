"""The shared selection (Quartal) in the sidebar, bound to the URL (?quartal=2026-Q3)."""
from __future__ import annotations

import datetime as dt

import streamlit as st

from components import data
from components.url_state import url_selectbox
from kreis_data.quartal import Quartal


def auswaehlbare_quartale() -> list[str]:
    """Quarters with Bewertungen; a new workspace without any offers the current quarter, so
    map and Steckbriefe already work (everything "keine Angabe") and data entry can start."""
    return data.quartale() or [str(Quartal.of_date(dt.date.today()))]


def quartal_selector() -> str:
    quartale = auswaehlbare_quartale()
    if not data.quartale():
        st.sidebar.info("Noch keine Bewertungen erfasst.")
    return url_selectbox(
        "Quartal", quartale, key="quartal", default=quartale[-1], container=st.sidebar,
        format_func=lambda q: Quartal.parse(q).label,
        help="Stichtag der angezeigten Bewertungen. Auch per Link: ?quartal=2026-Q3")


def current_quartal() -> str:
    """The quarter chosen in the sidebar (latest when nothing chosen yet)."""
    value = st.session_state.get("quartal")
    quartale = auswaehlbare_quartale()
    return value if value in quartale else quartale[-1]
