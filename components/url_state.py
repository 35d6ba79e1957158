"""A selectbox whose value lives in the URL as a stable key (?merkmal=e_akte,
?verwaltung=034595401) while the user sees readable labels.

Why not ``bind="query-params"``: Streamlit 1.67 stores the *formatted* option in the URL
(``?merkmal=E-Akte``) and rejects anything else, so a key-based deep link would be dropped.
Here the key is written to st.query_params after every run, and a URL value that differs from
the one this session last wrote (a deep link, st.page_link with query_params) wins.
"""
from __future__ import annotations

from collections.abc import Callable, Sequence

import streamlit as st


def _marker(key: str) -> str:
    return f"_url_state_{key}"


def url_selectbox(label: str, options: Sequence[str], key: str,
                  format_func: Callable[[str], str] = str, default: str | None = None,
                  container=None, **kwargs) -> str | None:
    """st.selectbox over string keys, synchronised with ?<key>=<option>."""
    if not options:
        return None
    options = list(options)
    url_value = st.query_params.get(key)
    if url_value in options and (key not in st.session_state
                                 or url_value != st.session_state.get(_marker(key))):
        wert = url_value
    elif st.session_state.get(key) in options:
        wert = st.session_state.get(key)
    else:
        wert = default if default in options else options[0]
    # Always assigned: a value left under this key by another page's selector (same key, other
    # options) would otherwise be dropped by Streamlit and the first option shown.
    st.session_state[key] = wert
    value = (container or st).selectbox(label, options, key=key, format_func=format_func,
                                        **kwargs)
    st.query_params[key] = value
    st.session_state[_marker(key)] = value
    return value
