"""A deep link as the very first request after a server start opens inside the app shell.

Because pages/ sits beside app.py, Streamlit starts in its legacy multipage mode: the first run of
a deep link would execute the page file alone – no navigation with our German titles, no demo
banner, no footer. components/shell.py (ensure_app_shell) switches that mode off and reruns
through app.py. The session server (conftest) has had a warm-up visit, so this test starts its
own server on its own demo database and makes the deep link its first visit."""
from __future__ import annotations

import os
import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, expect

from kreis_data.konten import kontodatei

from .helpers import (
    NAV_LINKS,
    assert_demo_banner,
    assert_no_error,
    browser_context,
    demo_datenbank,
    run_streamlit,
    screenshot,
    wait_for_app,
)

pytestmark = pytest.mark.e2e

MAIN = "[data-testid='stMain']"


@pytest.fixture
def frischer_server(browser: Browser, tmp_path_factory) -> Iterator[str]:
    """A server nobody has visited yet (requests the browser first: no Chromium, no server)."""
    workdir = tmp_path_factory.mktemp("ikz-frisch")  # not "ikz-e2e*": that is the session's
    env = dict(os.environ)
    env["IKZ_DATABASE_URL"] = f"sqlite:///{workdir / 'frisch.sqlite'}"
    env[kontodatei.KONTEN_ENV] = str(workdir / "konten.toml")  # absent: no accounts needed here
    env["PYTHONUNBUFFERED"] = "1"
    demo_datenbank(env)
    with run_streamlit(env, workdir) as base_url:
        yield base_url


def test_deep_link_als_erste_anfrage_oeffnet_in_der_app(browser: Browser, frischer_server: str):
    with browser_context(browser) as context:
        page = context.new_page()
        page.set_default_timeout(30_000)
        page.goto(f"{frischer_server}/verwaltung?verwaltung=034595401")
        wait_for_app(page)

        main = page.locator(MAIN)
        expect(main.get_by_role("heading", name="Steckbrief Artland (Samtgemeinde)")
               ).to_be_visible()
        wait_for_app(page)  # the heading comes from the run through app.py: let it finish
        assert_demo_banner(page)  # rendered by app.py, not by the page
        # our titles from app.py's st.navigation, not the file names of the legacy mode (the
        # link also holds the icon's ligature name as text: read only the label)
        nav = page.locator(f"{NAV_LINKS} [data-testid='stMarkdownContainer']")
        expect(nav.filter(has_text=re.compile(r"^Lagebild$"))).to_have_count(1)
        expect(nav.filter(has_text=re.compile(r"^Methodik & Quellen$"))).to_have_count(1)
        expect(nav.filter(has_text=re.compile(r"^(app|lagebild|methodik)$"))).to_have_count(0)
        # app.py's footer (layout.footer): the attributions and the demo note in one caption
        fusszeile = main.get_by_test_id("stCaptionContainer").filter(
            has_text="Digitalisierungsstand und alle weiteren Fachdaten: Demo-Daten (fiktiv).")
        expect(fusszeile).to_have_count(1)
        expect(fusszeile).to_contain_text("© GeoBasis-DE / BKG")
        expect(page).to_have_url(re.compile(r"/verwaltung\?(.*&)?verwaltung=034595401"))
        assert_no_error(page, "Deep-Link als erste Anfrage")
        screenshot(page, "frischer-server-deep-link")
