"""Helpers for the browser tests: waiting for Streamlit script runs, error checks, page discovery.

Test ids and attribute values checked against the frontend bundle of streamlit 1.67
(streamlit/static): ``stApp`` carries ``data-test-script-state`` (``initial`` before the first
run, then ``running`` / ``rerunRequested`` / ``notRunning`` / ...) and
``data-test-connection-state`` (``CONNECTED`` ...); alerts render ``stAlertContent<Kind>``
(``stAlertContentError``, ``stAlertContentWarning``); an uncaught exception renders ``stException``;
the running indicator is ``stStatusWidgetRunningIcon``.
"""
from __future__ import annotations

import contextlib
import os
import re
import signal
import socket
import subprocess
import sys
import time
import unicodedata
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Page, expect

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOT_DIR = ROOT / "test-output" / "screenshots"

APP_IDLE = "[data-testid='stApp'][data-test-script-state='notRunning']"
APP_CONNECTED = "[data-testid='stApp'][data-test-connection-state='CONNECTED']"
RUNNING_ICON = "[data-testid='stStatusWidgetRunningIcon']"
SKELETON = "[data-testid='stSkeleton']"
EXCEPTION = "[data-testid='stException']"
ERROR_ALERT = "[data-testid='stAlertContentError']"
# Streamlit's own dialog for an unknown URL path (it then runs the default page underneath).
PAGE_NOT_FOUND = "[role='dialog']:has-text('Page not found')"
WARNING_ALERT = "[data-testid='stAlertContentWarning']"
NAV_LINKS = "[data-testid='stSidebarNav'] a"
NAV_VIEW_MORE = "[data-testid='stSidebarNavViewButton']"
DEMO_BANNER_TEXT = "Demo-Daten (fiktiv)"
# The map component's iframe (components/karte_komponente: declared name "ikz_karte").
MAP_IFRAME = "iframe[title='components.karte_komponente.ikz_karte']"

APP_TIMEOUT_MS = 60_000

# Counts finished script runs, so a test can wait for "the rerun my click caused has finished"
# without sleeping. It reads Streamlit's websocket: every ForwardMsg whose script_finished
# (field 6) is FINISHED_SUCCESSFULLY (0) or FINISHED_FRAGMENT_RUN_SUCCESSFULLY (3) counts, two
# animation frames after it arrived (the frontend has rendered the run by then). Watching stApp's
# data-test-script-state is not enough: a run that finishes within one frame never shows
# "running" (seen with runner.postScriptGC off: warm runs of 15-25 ms). Installed with
# context.add_init_script, so it is in place before Streamlit's bundle runs.
RUN_COUNTER_SCRIPT = """
(() => {
  window.__ikzFinishedRuns = 0;
  const varint = (b, i) => {
    let v = 0, f = 1, x;
    do { x = b[i++]; v += (x & 0x7f) * f; f *= 128; } while (x & 0x80 && i < b.length);
    return [v, i];
  };
  const finishedStatus = (data) => {  // top-level fields of the ForwardMsg; -1 = none
    const b = new Uint8Array(data);
    let i = 0, tag, n;
    while (i < b.length) {
      [tag, i] = varint(b, i);
      const field = Math.floor(tag / 8), wire = tag & 7;
      if (wire === 0) { [n, i] = varint(b, i); if (field === 6) return n; }
      else if (wire === 2) { [n, i] = varint(b, i); i += n; }
      else if (wire === 5) i += 4;
      else if (wire === 1) i += 8;
      else return -1;
    }
    return -1;
  };
  const Native = window.WebSocket;
  window.WebSocket = class extends Native {
    constructor(...args) {
      super(...args);
      this.addEventListener('message', (event) => {
        if (!(event.data instanceof ArrayBuffer)) return;
        const status = finishedStatus(event.data);
        if (status === 0 || status === 3) {
          requestAnimationFrame(() => requestAnimationFrame(() => {
            window.__ikzFinishedRuns += 1;
          }));
        }
      });
    }
  };
})();
"""


def wait_for_app(page: Page, timeout: float = APP_TIMEOUT_MS) -> None:
    """Wait until the app is connected, its script run has finished and nothing shows as running."""
    page.wait_for_selector(APP_CONNECTED, state="attached", timeout=timeout)
    page.wait_for_selector(APP_IDLE, state="attached", timeout=timeout)
    page.wait_for_selector(RUNNING_ICON, state="detached", timeout=timeout)
    # Lazily loaded elements (dataframe, download button, components) show a skeleton first.
    expect(page.locator(SKELETON)).to_have_count(0, timeout=timeout)
    wait_for_frames(page, timeout)


def wait_for_frames(page: Page, timeout: float = APP_TIMEOUT_MS) -> None:
    """Let every iframe (custom components such as the map) finish loading."""
    for frame in page.frames:
        if frame is page.main_frame or frame.is_detached():
            continue
        try:
            frame.wait_for_load_state("load", timeout=timeout)
        except PlaywrightError as error:
            if not frame.is_detached():  # a frame replaced by a rerun meanwhile is fine
                raise error


def finished_runs(page: Page) -> int:
    return page.evaluate("window.__ikzFinishedRuns || 0")


@contextlib.contextmanager
def rerun(page: Page, timeout: float = APP_TIMEOUT_MS) -> Iterator[None]:
    """Wrap an action that makes Streamlit rerun; afterwards wait for that run to finish."""
    before = finished_runs(page)
    yield
    page.wait_for_function(
        "n => (window.__ikzFinishedRuns || 0) > n", arg=before, timeout=timeout)
    wait_for_app(page, timeout)


def oeffne_tab(page: Page, name: str) -> None:
    """Open a tab of the page (tabs run only when open: a click on a closed one reruns)."""
    tab = page.locator("[data-testid='stMain']").get_by_role("tab", name=name, exact=True)
    if tab.get_attribute("aria-selected") != "true":
        with rerun(page):
            tab.click()


def open_app(page: Page, url: str) -> None:
    page.goto(url)
    wait_for_app(page)


def assert_no_error(page: Page, where: str = "") -> None:
    """Fail on an exception box or st.error alert, with the text the user would see."""
    problems = []
    for selector, kind in ((EXCEPTION, "Exception"), (ERROR_ALERT, "st.error"),
                           (PAGE_NOT_FOUND, "Dialog")):
        for box in page.locator(selector).all():
            problems.append(f"{kind}: {box.inner_text().strip()}")
    assert not problems, (f"Fehleranzeige auf {where or page.url}:\n" + "\n---\n".join(problems))


def assert_demo_banner(page: Page) -> None:
    expect(page.locator(WARNING_ALERT).filter(has_text=DEMO_BANNER_TEXT).first).to_be_visible()


@dataclass(frozen=True)
class NavPage:
    label: str
    url: str

    @property
    def path(self) -> str:
        return urlsplit(self.url).path.strip("/")

    @property
    def slug(self) -> str:
        """File name for this page: its URL path, or the slugified label for the default page."""
        return self.path.rsplit("/", 1)[-1] or slugify(self.label)


def slugify(text: str) -> str:
    text = text.lower().translate(str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"}))
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-") or "page"


def nav_pages(page: Page) -> list[NavPage]:
    """Every page registered in st.navigation, read from the sidebar's nav links."""
    page.wait_for_selector(NAV_LINKS, state="visible")
    more = page.locator(NAV_VIEW_MORE)
    if more.count() and "more" in more.inner_text().lower():  # "View N more": collapsed list
        more.click()
    found: list[NavPage] = []
    for link in page.locator(NAV_LINKS).all():
        # The link holds a Material icon (its ligature name is text, e.g. "map") and the label.
        label = link.locator("[data-testid='stMarkdownContainer']").inner_text().strip()
        href = link.evaluate("a => a.href")
        if href and label and all(p.url != href for p in found):
            found.append(NavPage(label=label, url=href))
    return found


def click_nav(page: Page, nav: NavPage) -> None:
    """Switch page the way a user does: click its link in the sidebar, wait for the run."""
    link = page.locator(f"{NAV_LINKS}[href='{nav.url}']").first
    if not link.is_visible():
        more = page.locator(NAV_VIEW_MORE)
        if more.count():
            more.click()
    with rerun(page):
        link.click()
    expect(page).to_have_url(re.compile(re.escape(nav.url.split("?")[0])))


def screenshot(page: Page, name: str) -> Path:
    """Full-page screenshot. Streamlit scrolls inside stMain (the body is one viewport high), so
    the viewport is stretched to the content's height for the shot and restored afterwards."""
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOT_DIR / f"{name}.png"
    viewport = page.viewport_size
    height = page.evaluate(
        "() => Math.max(document.querySelector(\"[data-testid='stMain']\")?.scrollHeight || 0,"
        " document.documentElement.scrollHeight)")
    if viewport and height > viewport["height"]:
        page.set_viewport_size({"width": viewport["width"], "height": min(height, 16_000)})
    try:
        page.screenshot(path=str(path), full_page=True)
    finally:
        if viewport:
            page.set_viewport_size(viewport)
    return path


LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1", "[::1]"}
HARMLESS_SCHEMES = {"data", "blob", "about"}


def is_local(url: str) -> bool:
    parts = urlsplit(url)
    if parts.scheme in HARMLESS_SCHEMES:
        return True
    return parts.scheme in {"http", "https", "ws", "wss"} and parts.hostname in LOCAL_HOSTS


# --- Streamlit server ----------------------------------------------------------------------------
HEALTH_TIMEOUT_S = 60


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _tail(path: Path, lines: int = 60) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return "(keine Ausgabe)"


def _stop(process: subprocess.Popen) -> None:
    """Terminate the server's whole process group, escalate to SIGKILL if it hangs."""
    if process.poll() is not None:
        return
    try:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=15)
    except ProcessLookupError:
        pass


@contextlib.contextmanager
def run_streamlit(env: dict[str, str], workdir: Path, script: str = "app.py") -> Iterator[str]:
    """`streamlit run <script>` (default app.py; the benchmarks also serve their own small pages)
    on a free port (127.0.0.1 only) with `env`; yields the base URL once
    /_stcore/health answers (fails after HEALTH_TIMEOUT_S with the server's output), stops the
    server's whole process group afterwards. stdout/stderr go to `workdir`/streamlit.out|err."""
    port = _free_port()
    stdout_path, stderr_path = workdir / "streamlit.out", workdir / "streamlit.err"
    with open(stdout_path, "wb") as out, open(stderr_path, "wb") as err:
        process = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", script,
             "--server.port", str(port), "--server.address", "127.0.0.1",
             "--server.headless", "true", "--browser.gatherUsageStats", "false",
             "--server.fileWatcherType", "none"],
            cwd=ROOT, env=env, stdout=out, stderr=err, stdin=subprocess.DEVNULL,
            start_new_session=True)  # own process group: teardown kills every child
    base_url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + HEALTH_TIMEOUT_S
        while True:
            if process.poll() is not None:
                pytest.fail(f"Streamlit-Server beendet (Code {process.returncode}):\n"
                            f"{_tail(stderr_path)}\n{_tail(stdout_path)}", pytrace=False)
            try:
                with urllib.request.urlopen(f"{base_url}/_stcore/health", timeout=2) as response:
                    if response.read().decode().strip() == "ok":
                        break
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"Streamlit-Server nach {HEALTH_TIMEOUT_S} s nicht bereit "
                            f"({base_url}/_stcore/health):\n{_tail(stderr_path)}\n"
                            f"{_tail(stdout_path)}", pytrace=False)
            time.sleep(0.25)  # polling interval of the health check, not a wait for the app
        yield base_url
    finally:
        _stop(process)


@contextlib.contextmanager
def browser_context(browser, width: int = 1600, height: int = 1000):
    """A fresh German browser context of the given viewport that counts finished script runs."""
    ctx = browser.new_context(viewport={"width": width, "height": height}, locale="de-DE",
                              timezone_id="Europe/Berlin")
    ctx.add_init_script(RUN_COUNTER_SCRIPT)
    try:
        yield ctx
    finally:
        ctx.close()


def demo_datenbank(env: dict[str, str], timeout_s: float = 600) -> None:
    """`python -m kreis_data demo --force` against env's IKZ_DATABASE_URL; fails the test on error."""
    demo = subprocess.run([sys.executable, "-m", "kreis_data", "demo", "--force"], cwd=ROOT,
                          env=env, capture_output=True, text=True, timeout=timeout_s)
    if demo.returncode != 0:
        pytest.fail(f"`python -m kreis_data demo --force` endete mit {demo.returncode}:\n"
                    f"{demo.stdout}\n{demo.stderr}", pytrace=False)
