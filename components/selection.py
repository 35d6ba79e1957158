"""The shared selection (Quartal) in the sidebar, bound to the URL (?quartal=2026-Q3)."""
from __future__ import annotations

import streamlit as st

from components import data
from components.url_state import url_selectbox
from kreis_data.quartal import Quartal


def quartal_selector() -> str | None:
    quartale = data.quartale()
    if not quartale:
        st.sidebar.info("Noch keine Bewertungen erfasst.")
        return None
    return url_selectbox(
        "Quartal", quartale, key="quartal", default=quartale[-1], container=st.sidebar,
        format_func=lambda q: Quartal.parse(q).label,
        help="Stichtag der angezeigten Bewertungen. Auch per Link: ?quartal=2026-Q3")


def current_quartal() -> str | None:
    """The quarter chosen in the sidebar (latest when nothing chosen yet)."""
    value = st.session_state.get("quartal")
    quartale = data.quartale()
    if value in quartale:
        return value
    return quartale[-1] if quartale else None
