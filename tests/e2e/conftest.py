"""Fixtures for the browser tests: one Streamlit server on a fresh demo database per session,
one Debian Chromium per session, a fresh context and page per test."""
from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from kreis_data.konten import kontodatei, regeln

from .helpers import browser_context, demo_datenbank, run_streamlit, wait_for_app

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--headless", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run", "--disable-sync",
                 "--disable-quic"]
# Editing needs a login: a Redaktion account of Bad Laer (034590005) in the server's account file.
E2E_KONTO = ("e2e.redaktion", "E2E-Passwort-2026")
E2E_VERWALTUNG = "034590005"


def _on_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() == "true"


@pytest.fixture(scope="session")
def streamlit_server(tmp_path_factory) -> Iterator[str]:
    """Base URL of a Streamlit server running app.py on a freshly generated demo database."""
    workdir = tmp_path_factory.mktemp("ikz-e2e")
    env = dict(os.environ)
    env["IKZ_DATABASE_URL"] = f"sqlite:///{workdir / 'ikz-e2e.sqlite'}"
    env["PYTHONUNBUFFERED"] = "1"
    konten = workdir / "konten.toml"
    kontodatei.konto_anlegen(konten, E2E_KONTO[0], regeln.REDAKTION, [E2E_VERWALTUNG], E2E_KONTO[1])
    env[kontodatei.KONTEN_ENV] = str(konten)

    demo_datenbank(env)

    with run_streamlit(env, workdir) as base_url:
        yield base_url


@pytest.fixture(scope="session")
def redaktion_konto() -> tuple[str, str]:
    """(Benutzername, Passwort) of the server's Redaktion account (Bad Laer)."""
    return E2E_KONTO


@pytest.fixture(scope="session")
def browser():
    """One Debian Chromium for the session (Playwright's own browser download is unavailable)."""
    if not CHROMIUM.exists():
        reason = f"{CHROMIUM} fehlt (Debian-Paket chromium installieren, siehe .ci/run)"
        if _on_ci():
            pytest.fail(f"CI=true: Browser-Tests dürfen nicht übersprungen werden: {reason}",
                        pytrace=False)
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture(scope="session")
def app_server(streamlit_server: str, browser) -> str:
    """The server's base URL, after one throwaway visit. The very first script run after a
    server start reruns itself once (components/__init__.py switches off Streamlit's pages/
    auto-discovery), so the first session briefly shows a finished run with the auto-discovered
    navigation; warming up here keeps that one-off out of every test."""
    warmup = browser.new_context()
    try:
        page = warmup.new_page()
        page.goto(streamlit_server)
        wait_for_app(page)
    finally:
        warmup.close()
    return streamlit_server


@pytest.fixture
def context(browser):
    with browser_context(browser) as ctx:
        yield ctx


@pytest.fixture
def page(context, app_server):
    """A fresh page; request the browser before the server so a missing Chromium skips early."""
    pg = context.new_page()
    pg.set_default_timeout(30_000)
    return pg
