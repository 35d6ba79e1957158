"""Shared set-up for the AppTests of the pages: open a page through app.py (or alone), sign in,
collect the visible text."""
from __future__ import annotations

import html
import re
from pathlib import Path

from streamlit.testing.v1 import AppTest

from components import anmeldung
from kreis_data.konten import regeln

ROOT = Path(__file__).resolve().parents[2]
APP = str(ROOT / "app.py")


def open_page(page: str, query: dict | None = None, session: dict | None = None,
              login: regeln.Benutzer | None = None, *, shell: bool = True,
              timeout: float = 90) -> AppTest:
    """Run `page` ("pages/karte.py") and assert it raised nothing.

    shell=True: through app.py (sidebar, navigation, demo banner, presentation buttons, footer),
    switched to `page` before the first run; shell=False: the page file alone.
    `query`: URL parameters; `session`: session state set before the run; `login`: signed in
    as this person (the session state the login on the Datenpflege page sets).
    """
    if shell:
        at = AppTest.from_file(APP, default_timeout=timeout)
        at.switch_page(page)
    else:
        at = AppTest.from_file(str(ROOT / page), default_timeout=timeout)
    for key, value in (query or {}).items():
        at.query_params[key] = value
    for key, value in (session or {}).items():
        at.session_state[key] = value
    if login is not None:
        at.session_state[anmeldung._STATE] = login
    at.run()
    assert_ok(at)
    return at


def assert_ok(at: AppTest) -> AppTest:
    assert not at.exception, [e.value for e in at.exception]
    return at


def sichtbar(markdown: str) -> str:
    """Markdown source as the reader sees it: escaped characters (\\. \\- \\( …) and character
    references (&#58; &lt; …) unescaped, the invisible word joiner of components.text removed."""
    return html.unescape(re.sub(r"\\(.)", r"\1", markdown)).replace("\u2060", "")


def all_text(at: AppTest) -> str:
    """The text of the page: markdown, captions, headings and the alert boxes."""
    elemente = [*at.markdown, *at.caption, *at.title, *at.header, *at.subheader,
                *at.info, *at.warning, *at.error, *at.success]
    return sichtbar("\n".join(str(e.value) for e in elemente))


def anmelden(at: AppTest, name: str, passwort: str) -> AppTest:
    """Sign in through the login form (components/anmeldung.py) and rerun."""
    felder = {t.label: t for t in at.text_input}
    felder["Benutzername"].input(name)
    felder["Passwort"].input(passwort)
    klicke(at, "Anmelden")
    return assert_ok(at)


def klicke(at: AppTest, label: str) -> AppTest:
    """Click the (first) button labelled `label` and rerun."""
    next(b for b in at.button if b.label == label).click()
    return at.run()
