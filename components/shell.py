"""Guard that every page runs inside app.py's shell (navigation, sidebar, banner, footer).

Because a folder named pages/ sits beside app.py, Streamlit starts in its legacy "multipage v1"
mode: the first run after a server start that opens a deep link (/karte?...) executes the page
file alone. st.navigation switches that mode off for the process, so each page calls
`ensure_app_shell()` first: if the page runs alone, the mode is switched off and the script
reruns — the rerun executes app.py, which resolves the requested page.
"""
from __future__ import annotations

import contextlib
import contextvars
from collections.abc import Iterator
from typing import NoReturn

import streamlit as st
from streamlit.runtime.pages_manager import PagesManager
from streamlit.runtime.scriptrunner import get_script_run_ctx


def ensure_app_shell() -> None:
    if PagesManager.uses_pages_directory and get_script_run_ctx() is not None:
        PagesManager.uses_pages_directory = False
        st.rerun()


_IN_SHELL: contextvars.ContextVar[bool] = contextvars.ContextVar("ikz_in_shell", default=False)


class _SeitenEnde(Exception):
    """A page ended early; app.py still renders what follows the page (footer)."""


@contextlib.contextmanager
def app_shell() -> Iterator[None]:
    """Run the page inside app.py; a page's `seite_beenden()` ends only the page."""
    token = _IN_SHELL.set(True)
    try:
        yield
    except _SeitenEnde:
        pass
    finally:
        _IN_SHELL.reset(token)


def seite_beenden() -> NoReturn:
    """End the page here (like st.stop()), but keep the app's footer with the attributions.
    Run without app.py (e.g. a page-level AppTest) it is plain st.stop()."""
    if _IN_SHELL.get():
        raise _SeitenEnde
    st.stop()
    raise AssertionError("unreachable")  # st.stop() raises
