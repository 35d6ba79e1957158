"""Chromium and Streamlit servers for the benchmarks – the test suite's own helpers
(tests/e2e: Debian Chromium, `streamlit run` on a free port on 127.0.0.1, the German browser
context), plus what a measurement needs on top: one wait for "the run has ended and the map is
drawn" that polls on every animation frame (no retry intervals in the measured time), a count
of run ends read from the websocket, retries when the machine's one browser or server slot is
busy, the server's process group in /proc, and a look for other servers and browsers that would
disturb the figures."""
from __future__ import annotations

import contextlib
import os
import time
from collections.abc import Iterator
from pathlib import Path

from tests.e2e.conftest import CHROMIUM, CHROMIUM_ARGS
from tests.e2e.helpers import browser_context, run_streamlit

VERSUCHE = 3
PAUSE_S = 30
WARTEN_MS = 90_000

def _lauf_zaehler_js() -> str:
    """Init script: counts the ends of script runs the page receives – ForwardMsg.script_finished
    read straight from the websocket (a top-level varint field of the protobuf). Unlike the
    test suite's counter of data-test-script-state changes it also sees a run so fast that
    React never shows it as running (the minimal page)."""
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    feld = ForwardMsg.DESCRIPTOR.fields_by_name["script_finished"].number
    frueh = ForwardMsg.FINISHED_EARLY_FOR_RERUN  # the rerun that follows ends the run
    return """
(() => {
  const FELD = __FELD__, FRUEH = __FRUEH__;
  window.__benchLaeufe = 0;
  const varint = (b, i) => {
    let x = 0, s = 0, c;
    do { c = b[i++]; x += (c & 0x7f) * 2 ** s; s += 7; } while (c & 0x80 && i < b.length);
    return [x, i];
  };
  const pruefen = (puffer) => {
    const b = new Uint8Array(puffer);
    let i = 0, tag, wert;
    while (i < b.length) {
      [tag, i] = varint(b, i);
      const feld = Math.floor(tag / 8), typ = tag & 7;
      if (typ === 0) {
        [wert, i] = varint(b, i);
        if (feld === FELD && wert !== FRUEH) window.__benchLaeufe += 1;
      } else if (typ === 2) { [wert, i] = varint(b, i); i += wert; }
      else if (typ === 1) i += 8;
      else if (typ === 5) i += 4;
      else return;
    }
  };
  const Original = window.WebSocket;
  window.WebSocket = class extends Original {
    constructor(...args) {
      super(...args);
      this.addEventListener('message', (e) => {
        if (e.data instanceof ArrayBuffer) pruefen(e.data);
      });
    }
  };
})();
""".replace("__FELD__", str(feld)).replace("__FRUEH__", str(frueh))


# The run started after `n` finished runs is over (Streamlit idle, connected, nothing running,
# no skeleton) and – if `karte` – some frame shows the map's Gemeinde paths.
FERTIG_JS = """([n, karte]) => {
  if ((window.__benchLaeufe || 0) <= n) return false;
  const app = document.querySelector("[data-testid='stApp']");
  if (!app || app.getAttribute('data-test-script-state') !== 'notRunning') return false;
  if (app.getAttribute('data-test-connection-state') !== 'CONNECTED') return false;
  if (document.querySelector(
      "[data-testid='stStatusWidgetRunningIcon'], [data-testid='stSkeleton']")) return false;
  if (!karte) return true;
  const hat = (doc) => {
    if (doc.querySelector('path.ikz-gemeinde')) return true;
    for (const f of doc.querySelectorAll('iframe')) {
      let d = null;
      try { d = f.contentDocument; } catch (e) { continue; }
      if (d && hat(d)) return true;
    }
    return false;
  };
  return hat(document);
}"""

HAT_KARTE_JS = "() => (" + FERTIG_JS + ")([-1, true])"


@contextlib.contextmanager
def kontext(browser) -> Iterator:
    """The test suite's browser context (German, 1600x1000) that also counts run ends."""
    with browser_context(browser) as ctx:
        ctx.add_init_script(_lauf_zaehler_js())
        yield ctx


def laeufe(page) -> int:
    """Script runs that have ended in this document so far."""
    return int(page.evaluate("window.__benchLaeufe || 0"))


def warte_fertig(page, vorher: int, karte: bool, timeout_ms: float = WARTEN_MS) -> None:
    """Until a run after `vorher` ended runs is over (and the map drawn if `karte`)."""
    page.wait_for_function(FERTIG_JS, arg=[vorher, karte], polling="raf", timeout=timeout_ms)


def hat_karte(page) -> bool:
    return bool(page.evaluate(HAT_KARTE_JS))


def fehleranzeige(page) -> str | None:
    """The text of an exception box or st.error alert on the page (None if there is none)."""
    texte = page.locator("[data-testid='stException'], [data-testid='stAlertContentError']"
                         ).all_inner_texts()
    return " | ".join(t.strip()[:200] for t in texte) or None


def _wiederholt(was: str, oeffnen):
    """Open something that may find the machine's one slot busy: retry after a pause."""
    for versuch in range(1, VERSUCHE + 1):
        try:
            return oeffnen()
        except Exception as fehler:  # pytest.fail in the helpers raises a BaseException subclass
            if versuch == VERSUCHE:
                raise
            print(f"  {was} nicht bereit ({fehler.__class__.__name__}), neuer Versuch in "
                  f"{PAUSE_S} s", flush=True)
            time.sleep(PAUSE_S)


@contextlib.contextmanager
def chromium() -> Iterator:
    """One Debian Chromium (headless, no network beyond what the page asks for)."""
    if not CHROMIUM.exists():
        raise RuntimeError(f"{CHROMIUM} fehlt (Debian-Paket chromium installieren)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = _wiederholt("Chromium", lambda: playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS))
        try:
            yield browser
        finally:
            browser.close()


@contextlib.contextmanager
def server(datenbank_url: str, arbeitsordner: Path, skript: str = "app.py") -> Iterator[str]:
    """`streamlit run <skript>` on `datenbank_url`, bounded (health timeout, process group
    killed at the end); yields the base URL. A failed start is retried after a pause."""
    env = dict(os.environ, IKZ_DATABASE_URL=datenbank_url, PYTHONUNBUFFERED="1")
    arbeitsordner.mkdir(parents=True, exist_ok=True)
    for versuch in range(1, VERSUCHE + 1):
        start = run_streamlit(env, arbeitsordner, skript)
        try:
            base_url = start.__enter__()
        except BaseException as fehler:  # pytest.fail raises outside pytest, too
            if versuch == VERSUCHE or isinstance(fehler, KeyboardInterrupt):
                raise RuntimeError(f"Streamlit-Server für {skript} startet nicht: "
                                   f"{fehler}") from None
            print(f"  Server nicht bereit, neuer Versuch in {PAUSE_S} s", flush=True)
            time.sleep(PAUSE_S)
            continue
        try:
            yield base_url
        finally:
            start.__exit__(None, None, None)
        return


# --- the server's process group in /proc -----------------------------------------------------
def server_pid(base_url: str) -> int | None:
    """The pid of our `streamlit run` child serving `base_url` (its process group leader)."""
    port = base_url.rsplit(":", 1)[1].split("/", 1)[0]
    for eintrag in Path("/proc").iterdir():
        if not eintrag.name.isdigit():
            continue
        try:
            argv = (eintrag / "cmdline").read_bytes().split(b"\0")
            ppid = int((eintrag / "stat").read_text().rsplit(")", 1)[1].split()[1])
        except (OSError, ValueError, IndexError):
            continue
        if ppid == os.getpid() and b"--server.port" in argv and port.encode() in argv:
            return int(eintrag.name)
    return None


def _gruppe(pgid: int) -> Iterator[list[str]]:
    for eintrag in Path("/proc").iterdir():
        if not eintrag.name.isdigit():
            continue
        try:
            felder = (eintrag / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(felder[2]) == pgid:  # field 5 of stat: process group
            yield [eintrag.name, *felder]


def rss_mb(pgid: int) -> float:
    """Resident memory of the whole process group in MB."""
    seite = os.sysconf("SC_PAGE_SIZE")
    summe = 0
    for pid, *_ in _gruppe(pgid):
        try:
            summe += int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * seite
        except (OSError, IndexError, ValueError):
            continue
    return summe / 2**20


def cpu_s(pgid: int) -> float:
    """User + system CPU seconds of the process group so far."""
    takt = os.sysconf("SC_CLK_TCK")
    # after the ")": state, ppid, pgrp, ..., utime is the 12th, stime the 13th field
    return sum(int(f[12]) + int(f[13]) for f in _gruppe(pgid)) / takt


def _vorfahren(pid: str) -> set[str]:
    kette = set()
    while pid not in ("0", "1") and pid not in kette:
        kette.add(pid)
        try:
            pid = (Path("/proc") / pid / "stat").read_text().rsplit(")", 1)[1].split()[1]
        except (OSError, IndexError):
            break
    return kette


def fremde_last() -> list[str]:
    """Streamlit servers and Chromium browsers on this machine that are not ours: they share the
    cores with the measurement. Reported with the results, not stopped."""
    eigene = str(os.getpid())
    fremd = []
    for eintrag in Path("/proc").iterdir():
        if not eintrag.name.isdigit():
            continue
        try:
            argv = (eintrag / "cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        befehl = b" ".join(argv).decode(errors="replace")
        programm = Path(argv[0].decode(errors="replace")).name
        haupt = "streamlit run" in befehl or (
            programm in ("chromium", "chrome", "headless_shell") and "--type=" not in befehl)
        if haupt and eigene not in _vorfahren(eintrag.name):
            fremd.append(f"{eintrag.name}: {befehl[:100]}")
    return fremd
