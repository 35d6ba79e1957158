"""Issue #18, point 1, in Chromium: user and dataset text never renders as markup and never makes
the reader's browser fetch anything from outside.

An own Streamlit server runs on a demo database whose every free text field and dataset name
carries the Markdown/HTML payload of tests/pages/test_nutzertext.py (links, images, raw <img>,
<a href>, <script>, LaTeX, a heading, Streamlit's colour directive, a Material icon). Every
request that is not to the local server is recorded and aborted. An anonymous reader visits every
page of the registry and every tab of it and hovers a Gemeinde on the map; in every frame of the
DOM there must be no element that points at the outside host (href, src, …), no bold "fett", no
heading "Titel", no formula (KaTeX), no script with the payload and no JavaScript dialog – while
the payload's text is visible. The same tour is made signed in as Kreis-Administration (every
edit form and tab)."""
from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import BrowserContext, Dialog, Page, Route, expect

from components.seiten import SEITEN
from kreis_data.konten import kontodatei, regeln
from tests.pages.test_nutzertext import FAELLE, payload_einfuegen

from .helpers import (
    MAP_IFRAME,
    assert_no_error,
    browser_context,
    click_nav,
    demo_datenbank,
    is_local,
    nav_pages,
    oeffne_tab,
    open_app,
    rerun,
    run_streamlit,
    screenshot,
    wait_for_app,
)

pytestmark = pytest.mark.e2e

MAIN = "[data-testid='stMain']"
ADMIN_KONTO = ("admin.nutzertext", "Nutzertext-Pruefung-2026!")

# Per frame: elements that would be markup made from the payload.
DOM_PRUEFUNG = """() => {
  const zaehle = (sel, re) => [...document.querySelectorAll(sel)]
      .filter(e => re.test((e.textContent || "").trim())).length;
  const ATTRIBUTE = ["href", "xlink:href", "src", "srcset", "action", "formaction", "poster",
                     "data", "background", "style"];
  const verweise = [];
  for (const e of document.querySelectorAll("*")) {
    for (const a of e.attributes) {
      // "evil" alone: a browser reads "http://evil\\.example" as host "evil"
      // "#…": the anchor Streamlit gives a heading (a slug of its text) stays on the page
      if (ATTRIBUTE.includes(a.name) && /evil/i.test(a.value) && !a.value.startsWith("#")) {
        verweise.push(`<${e.tagName.toLowerCase()} ${a.name}="${a.value.slice(0, 60)}">`);
      }
    }
  }
  return {
    verweise,
    fett: zaehle("strong, b", /^fett$/),
    titel: zaehle("h1, h2, h3, h4, h5, h6", /^Titel\\b/),
    formel: document.querySelectorAll(".katex").length,
    skript: [...document.scripts].filter(s => s.textContent.includes("alert(1)")).length,
    text: (document.body ? document.body.innerText : "").includes("evil.example"),
  };
}"""


@pytest.fixture(scope="module")
def payload_server(tmp_path_factory, browser) -> Iterator[str]:
    """A Streamlit server of its own on the payload workspace (the session server stays clean)."""
    workdir: Path = tmp_path_factory.mktemp("ikz-nutzertext")
    env = dict(os.environ)
    url = f"sqlite:///{workdir / 'payload.sqlite'}"
    env["IKZ_DATABASE_URL"] = url
    env["PYTHONUNBUFFERED"] = "1"
    konten = workdir / "konten.toml"
    kontodatei.konto_anlegen(konten, ADMIN_KONTO[0], regeln.ADMIN, [], ADMIN_KONTO[1])
    env[kontodatei.KONTEN_ENV] = str(konten)
    demo_datenbank(env)
    payload_einfuegen(url)
    with run_streamlit(env, workdir) as base_url:
        warmup = browser.new_context()  # the very first run reruns itself (see conftest)
        try:
            seite = warmup.new_page()
            seite.goto(base_url)
            wait_for_app(seite)
        finally:
            warmup.close()
        yield base_url


@pytest.fixture
def leser(browser, payload_server) -> Iterator[tuple[BrowserContext, Page]]:
    with browser_context(browser) as ctx:
        seite = ctx.new_page()
        seite.set_default_timeout(30_000)
        yield ctx, seite


def _blockieren(context: BrowserContext) -> list[str]:
    blockiert: list[str] = []

    def handle(route: Route) -> None:
        if is_local(route.request.url):
            route.continue_()
        else:
            blockiert.append(route.request.url)
            route.abort("internetdisconnected")

    context.route("**/*", handle)
    return blockiert


def _markup(page: Page, wo: str) -> tuple[list[str], bool]:
    """Findings of DOM_PRUEFUNG in every frame, and whether the payload text is visible."""
    befunde, sichtbar = [], False
    for frame in page.frames:
        if frame.is_detached():
            continue
        try:
            r = frame.evaluate(DOM_PRUEFUNG)
        except Exception:  # noqa: BLE001 – a frame replaced meanwhile
            continue
        sichtbar = sichtbar or r["text"]
        befunde += [f"{wo}: {v}" for v in r["verweise"]]
        befunde += [f"{wo}: {n}× {art}" for art in ("fett", "titel", "formel", "skript")
                    if (n := r[art])]
    return befunde, sichtbar


def _tabs() -> dict[str, list[str]]:
    tabs: dict[str, list[str]] = {}
    for datei, _, tab in FAELLE:
        tabs.setdefault(datei, [])
        if tab:
            tabs[datei].append(tab)
    return tabs


def _rundgang(page: Page, oeffnen) -> tuple[list[str], int]:
    """Every page (opened by `oeffnen(seite)`) and every tab of it: (findings, views checked)."""
    tabs = _tabs()
    befunde: list[str] = []
    besucht = 0
    for seite in SEITEN:
        oeffnen(seite)
        assert_no_error(page, seite.titel)
        for tab in tabs.get(seite.datei) or [None]:
            wo = seite.titel
            if tab is not None:
                if not page.locator(MAIN).get_by_role("tab", name=tab, exact=True).count():
                    continue  # a tab only for signed-in users
                oeffne_tab(page, tab)
                assert_no_error(page, f"{seite.titel} / {tab}")
                wo = f"{seite.titel} / {tab}"
            gefunden, sichtbar = _markup(page, wo)
            befunde += gefunden
            if not sichtbar:
                screenshot(page, "nutzertext-unsichtbar")
            assert sichtbar, (f"{wo}: Payload nicht sichtbar – der Test prüft dort nichts:\n"
                              + page.locator("body").inner_text()[:1500])
            besucht += 1
    return befunde, besucht


def _beobachten(context: BrowserContext, page: Page) -> tuple[list[str], list[str], list[str]]:
    """(blocked outside requests, all requests, JavaScript dialogs) from now on."""
    blockiert = _blockieren(context)
    angefragt: list[str] = []
    page.on("request", lambda r: angefragt.append(r.url))
    dialoge: list[str] = []

    def dialog(d: Dialog) -> None:
        dialoge.append(f"{d.type}: {d.message}")
        d.dismiss()

    page.on("dialog", dialog)
    return blockiert, angefragt, dialoge


def _auswerten(befunde, besucht, blockiert, angefragt, dialoge, mindestens: int) -> None:
    draussen = sorted({u for u in angefragt if not is_local(u)} | set(blockiert))
    print(f"{besucht} Ansichten, {len(angefragt)} Anfragen, {len(draussen)} nach außen")
    assert besucht >= mindestens, besucht
    assert not befunde, "Nutzertext als Markup:\n" + "\n".join(befunde)
    assert not dialoge, dialoge
    assert draussen == [], "Anfragen nach außen:\n" + "\n".join(draussen)


def test_nutzertext_rendert_nie_und_laedt_nichts_von_aussen(leser, payload_server):
    """An anonymous reader: every page by its URL, every tab, the map tooltip."""
    context, page = leser
    blockiert, angefragt, dialoge = _beobachten(context, page)
    # the default page (Lagebild) lives at "/", not under its url_path
    befunde, besucht = _rundgang(page, lambda seite: open_app(
        page, f"{payload_server}/{'' if seite == SEITEN[0] else seite.pfad}"))
    screenshot(page, "nutzertext-methodik")

    # Map tooltip of a Gemeinde (its name carries the payload), built in the map's iframe.
    open_app(page, f"{payload_server}/karte")
    karte = page.frame_locator(MAP_IFRAME).first
    gemeinde = karte.locator("path.leaflet-interactive").first
    expect(gemeinde).to_be_visible(timeout=20_000)
    gemeinde.hover()
    tooltip = karte.locator(".leaflet-tooltip")
    expect(tooltip).to_contain_text("[Link](http://evil.example/x)")
    expect(tooltip).to_contain_text("<img src=http://evil.example/h.png>")
    expect(tooltip.locator("img, a, strong, script")).to_have_count(0)
    befunde += _markup(page, "Karte / Tooltip")[0]
    screenshot(page, "nutzertext-karte-tooltip")
    _auswerten(befunde, besucht, blockiert, angefragt, dialoge, mindestens=30)


def test_nutzertext_angemeldet(leser, payload_server):
    """The Kreis-Administration: the same tour through the sidebar (the login lives in the
    browser session), now with every edit form and tab."""
    context, page = leser
    blockiert, angefragt, dialoge = _beobachten(context, page)
    open_app(page, f"{payload_server}/datenpflege")
    main = page.locator(MAIN)
    main.get_by_label("Benutzername").fill(ADMIN_KONTO[0])
    main.get_by_label("Passwort").fill(ADMIN_KONTO[1])
    with rerun(page):
        main.get_by_role("button", name="Anmelden").click()
    expect(main.get_by_text(f"Angemeldet als {ADMIN_KONTO[0]}")).to_be_visible()
    navigation = {nav.path: nav for nav in nav_pages(page)}

    def oeffnen(seite) -> None:
        ziel = navigation["" if seite == SEITEN[0] else seite.pfad]
        if page.url.split("?")[0].rstrip("/") != ziel.url.split("?")[0].rstrip("/"):
            click_nav(page, ziel)

    befunde, besucht = _rundgang(page, oeffnen)
    screenshot(page, "nutzertext-angemeldet")
    _auswerten(befunde, besucht, blockiert, angefragt, dialoge, mindestens=33)
