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
import datetime as dt
import logging
import os
import re
from collections.abc import Iterator
from typing import NoReturn
from zoneinfo import ZoneInfo

import streamlit as st
from streamlit.runtime.pages_manager import PagesManager
from streamlit.runtime.scriptrunner import get_script_run_ctx

from kreis_data import datenbank_pruefung
from kreis_data.database import database_url


def ensure_app_shell() -> None:
    if PagesManager.uses_pages_directory and get_script_run_ctx() is not None:
        PagesManager.uses_pages_directory = False
        st.rerun()


_IN_SHELL: contextvars.ContextVar[bool] = contextvars.ContextVar("ikz_in_shell", default=False)


class _SeitenEnde(Exception):
    """A page ended early; app.py still renders what follows the page (footer)."""


@contextlib.contextmanager
def app_shell() -> Iterator[None]:
    """Run the page inside app.py; a page's `seite_beenden()` ends only the page, a database
    fault only the page too (German message, the footer follows)."""
    token = _IN_SHELL.set(True)
    try:
        yield
    except _SeitenEnde:
        pass
    except Exception as exc:
        fehler_zeigen(exc)
    finally:
        _IN_SHELL.reset(token)


# --- Database faults ------------------------------------------------------------------------------
DATENBANK_TITEL = "Die Datenbank ist gerade nicht nutzbar"


def datenbank_fehler_zeigen(exc: BaseException) -> None:
    """The one German message for a database fault (issue #18): what happened and what to do,
    the configured database by its name only – no SQL, no path, no English."""
    name = datenbank_pruefung.datenbank_name(database_url())
    meldung = datenbank_pruefung.meldung(exc, name)
    if datenbank_pruefung.PRUEFEN_HINWEIS not in meldung:
        meldung += f" {datenbank_pruefung.PRUEFEN_HINWEIS}."
    st.error(f"**{DATENBANK_TITEL}.** {meldung}\n\nWer die App nur nutzt: bitte später erneut "
             "versuchen oder die Kreis-Administration informieren.", icon=":material/database:")


@contextlib.contextmanager
def datenbank_geschuetzt() -> Iterator[None]:
    """app.py runs inside this: a database fault anywhere in the run (start-up, sidebar, page)
    shows the German message instead of a traceback, and the run ends there."""
    try:
        yield
    except Exception as exc:
        fehler_zeigen(exc)


# --- Any other unexpected error --------------------------------------------------------------------
UNERWARTET_TITEL = "Auf dieser Seite ist ein unerwarteter Fehler aufgetreten"
# The test suite lets unexpected errors through, so that a broken page fails its test loudly.
DURCHREICHEN_ENV = "IKZ_FEHLER_DURCHREICHEN"
_log = logging.getLogger("ikz_monitor")


def fehler_zeigen(exc: Exception) -> None:
    """A database fault or a bug, in German and without details (showErrorDetails is "none");
    the traceback goes to the server log under a reference the user can quote."""
    if datenbank_pruefung.ist_datenbankfehler(exc):
        datenbank_fehler_zeigen(exc)
        return
    if os.environ.get(DURCHREICHEN_ENV) == "1":
        raise exc
    kennung = dt.datetime.now(ZoneInfo("Europe/Berlin")).strftime("%Y%m%d-%H%M%S")
    _log.error("Unerwarteter Fehler %s", kennung, exc_info=exc)
    st.error(f"**{UNERWARTET_TITEL}.** Ihre Daten sind unverändert. Bitte laden Sie die Seite neu; "
             "tritt der Fehler wieder auf, melden Sie ihn der Kreis-Administration mit der "
             f"Fehlerkennung {kennung} (Uhrzeit, deutsche Zeit) – die Einzelheiten stehen im "
             "Protokoll des Servers.", icon=":material/error:")


def seite_beenden() -> NoReturn:
    """End the page here (like st.stop()), but keep the app's footer with the attributions.
    Run without app.py (e.g. a page-level AppTest) it is plain st.stop()."""
    if _IN_SHELL.get():
        raise _SeitenEnde
    st.stop()
    raise AssertionError("unreachable")  # st.stop() raises


# --- Unknown URL paths -----------------------------------------------------------------------------
_PFAD = re.compile(r"[\w-]{1,100}")


def zur_startseite(start, seiten) -> list:
    """[a hidden page] for a URL path no page of `seiten` answers to – an old link such as
    /lagebild (the start page lives at /), a typo like /gibtsnicht –, else []. Instead of
    Streamlit's English "Page not found" dialog it switches to the start page (`start`, one of
    the registry's Seite entries), keeping the query (?modus=praesentation, ?quartal=)."""
    ctx = get_script_run_ctx()
    if ctx is None or ctx.pages_manager.intended_page_script_hash:
        return []
    pfad = (ctx.pages_manager.intended_page_name or "").strip("/")
    if not pfad or not _PFAD.fullmatch(pfad) or pfad in {s.pfad for s in seiten if s != start}:
        return []

    def umleiten() -> None:
        st.switch_page(start.datei, query_params=st.query_params.to_dict())

    # the start page's title: app.py finds the running page by its title
    return [st.Page(umleiten, title=start.titel, url_path=pfad, visibility="hidden")]
