"""axe-core accessibility check of every page (BITV 2.0 / WCAG 2.1 AA in practice).

axe-core (4.12) ships inside the axe-playwright-python package (axe.min.js); nothing is fetched.
Fails on violations of impact "serious" or "critical". Findings in Streamlit's own markup that we
cannot change are accepted one by one in ALLOWED, keyed by rule AND element, never a whole rule.
"""
from __future__ import annotations

import warnings

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page

from .helpers import click_nav, nav_pages, open_app

pytestmark = pytest.mark.e2e

FAILING_IMPACTS = {"serious", "critical"}

# (axe rule id, substring of the node's CSS target or HTML, e.g. a data-testid) -> reason.
# Only for markup Streamlit renders itself; anything from app.py, pages/ or components/ is ours
# and must be fixed there.
ALLOWED: dict[tuple[str, str], str] = {}

# Known defects in OUR markup/theme, reported to the lead, same key format. While they (and
# nothing else) occur the test is an xfail; once one no longer occurs the test fails until the
# entry is removed (like xfail(strict=True)).
KNOWN_APP_DEFECTS: dict[tuple[str, str], str] = {}

_axe = Axe()


def run_axe(page: Page) -> list[dict]:
    """axe.run over the page; axe is injected into every frame first, so component iframes
    (e.g. the map) are checked too instead of axe waiting for frames that never answer."""
    for frame in page.frames:
        if frame is not page.main_frame:
            try:
                frame.evaluate(_axe.axe_script)
            except Exception:  # detached or navigating frame: the main run reports it
                pass
    return _with_testids(page, _axe.run(page).response["violations"])


# The data-testids of a node and its ancestors (axe's target is the shortest unique selector,
# often just a generated class; the test ids say whose markup it is). A target is a list of
# selectors, one per (same-origin) iframe level.
TESTID_CHAIN_JS = """
(target) => {
  let doc = document, el = null;
  for (const selector of target) {
    el = doc && doc.querySelector(selector);
    if (!el) return [];
    if (el.tagName === 'IFRAME') doc = el.contentDocument;
  }
  const ids = [];
  for (let e = el; e; e = e.parentElement) {
    if (e.dataset && e.dataset.testid) ids.push(e.dataset.testid);
  }
  return ids;
}
"""


def _with_testids(page: Page, violations: list[dict]) -> list[dict]:
    for violation in violations:
        for node in violation["nodes"]:
            target = [t if isinstance(t, str) else " ".join(t) for t in node.get("target", [])]
            node["testids"] = page.evaluate(TESTID_CHAIN_JS, target)
    return violations


def _matching_key(rule: str, node: dict, table: dict) -> tuple[str, str] | None:
    haystack = " ".join(
        [*(str(t) for t in node.get("target", [])), node.get("html", ""),
         *(f'data-testid="{testid}"' for testid in node.get("testids", []))])
    for key in table:
        allowed_rule, marker = key
        if allowed_rule == rule and marker in haystack:
            return key
    return None


def _describe(page_label: str, violation: dict, node: dict) -> str:
    html = " ".join(node.get("html", "").split())
    summary = " ".join(node.get("failureSummary", "").split())
    return (f"[{page_label}] {violation['id']} ({violation['impact']}): {violation['help']}\n"
            f"    target: {node.get('target')}\n"
            f"    in:     {' < '.join(node.get('testids', [])[:4])}\n    html:   {html[:300]}\n"
            f"    {summary[:400]}")


def test_every_page_has_no_serious_accessibility_violations(page: Page, app_server: str):
    open_app(page, app_server)
    pages = nav_pages(page)
    findings: list[str] = []
    used: set[tuple[str, str]] = set()
    known: set[tuple[str, str]] = set()
    checked = 0
    for nav in pages[1:] + pages[:1]:
        click_nav(page, nav)
        for violation in run_axe(page):
            if violation.get("impact") not in FAILING_IMPACTS:
                continue
            for node in violation["nodes"]:
                if key := _matching_key(violation["id"], node, ALLOWED):
                    used.add(key)
                elif key := _matching_key(violation["id"], node, KNOWN_APP_DEFECTS):
                    known.add(key)
                else:
                    findings.append(_describe(nav.label, violation, node))
        checked += 1
    assert checked == len(pages) >= 2
    unused = set(ALLOWED) - used
    if unused:
        warnings.warn(f"Ausnahmen ohne Treffer (veraltet? entfernen): {sorted(unused)}",
                      stacklevel=1)
    assert not findings, (f"{len(findings)} schwere Barrierefreiheitsverstöße (axe-core):\n"
                          + "\n".join(findings))
    fixed = set(KNOWN_APP_DEFECTS) - known
    assert not fixed, f"Bekannter Defekt tritt nicht mehr auf – Eintrag entfernen: {fixed}"
    if known:
        pytest.xfail("; ".join(KNOWN_APP_DEFECTS[key] for key in sorted(known)))
