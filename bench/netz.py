"""What a page receives, recorded in Chromium over CDP.

- Websocket: the payload of every frame the page receives (Network.webSocketFrameReceived; a
  binary frame comes base64-encoded and is counted decoded, i.e. after the permessage-deflate of
  the connection – CDP shows the message, not the compressed frame).
- HTTP: Network.loadingFinished encodedDataLength per request (what went over the wire, with
  headers and content-encoding); a request served from the browser cache counts 0 and is
  counted as a cache hit. data:/blob: URLs are no transfer and count 0.
- Requests to other hosts than 127.0.0.1/localhost never leave the machine: they are paused
  (CDP Fetch) and failed. Only for the naive page, whose folium defaults load scripts and styles
  from CDNs: Leaflet is answered from the project's own copy and counts with its gzip size (as
  a CDN sends it); the other scripts and styles (jQuery, Bootstrap, Font Awesome ...) get an
  empty answer, count 0 and are listed – the naive figures are a lower bound.

Each interaction is an `Abschnitt` (section) of the recording; its bytes are split into the map
(websocket messages of the map component, HTTP requests of the map's frame or the component's
URL) and the rest, and into geometry (grenze.geometrie_bytes) and the rest. Streamlit's own
frontend files that a section happens to load for the first time (a lazy chunk, a font) are
counted apart: they come once per browser, not with the interaction.
"""
from __future__ import annotations

import base64
import gzip
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from bench.grenze import geometrie_bytes

ROOT = Path(__file__).resolve().parent.parent
LOKAL = {"127.0.0.1", "localhost", "[::1]", "::1"}
# Where the project keeps its copy of Leaflet (the same version folium 0.20 loads from jsDelivr).
LEAFLET_ORDNER = (ROOT / "static" / "leaflet", ROOT / "components" / "assets" / "leaflet")
RUHE_S = 0.75  # network quiet for this long = the interaction has arrived completely
RUHE_HOECHSTENS_S = 15.0
HTTP_LISTE = 8  # the largest HTTP answers of a section, listed in the results

# The iframe (possibly nested) whose document contains the map's Gemeinde paths.
KARTEN_IFRAME_JS = """() => {
  const suche = (doc) => {
    for (const f of doc.querySelectorAll('iframe')) {
      let d = null;
      try { d = f.contentDocument; } catch (e) { continue; }
      if (!d) continue;
      if (d.querySelector('path.ikz-gemeinde')) return f;
      const innen = suche(d);
      if (innen) return innen;
    }
    return null;
  };
  return suche(document);
}"""


def ist_lokal(url: str) -> bool:
    teile = urlsplit(url)
    return teile.scheme in ("data", "blob", "about") or teile.hostname in LOKAL


def ist_streamlit_frontend(url: str) -> bool:
    """Streamlit's own frontend files (/static/js/index.<hash>.js, fonts, lazy chunks): named by
    content, cached for good, loaded once per browser when first needed – not per interaction
    and not part of the app. (The app's own static files are under /app/static/.)"""
    teile = urlsplit(url)
    return ist_lokal(url) and teile.path.startswith("/static/")


@dataclass
class Anfrage:
    request_id: str
    url: str
    frame_id: str | None
    typ: str | None
    start: int  # index in the recording's event sequence
    bytes: int = 0
    fertig: bool = False
    aus_cache: bool = False
    fehler: str | None = None
    extern: bool = False
    geometrie_anteil: float = 0.0  # share of the body that is coordinates


@dataclass
class Nachricht:
    """One websocket message the page received."""

    folge: int
    bytes: int
    geometrie: int
    komponente: str | None  # component name of the element this message carries, if any


@dataclass
class Abschnitt:
    """The bytes of one interaction."""

    name: str
    nachrichten: list[Nachricht] = field(default_factory=list)
    anfragen: list[Anfrage] = field(default_factory=list)

    def ws_bytes(self) -> int:
        return sum(n.bytes for n in self.nachrichten)

    def http_bytes(self) -> int:
        return sum(a.bytes for a in self.anfragen)

    def gesamt(self) -> int:
        return self.ws_bytes() + self.http_bytes()

    def auswertung(self, karte: KartenRahmen | None) -> dict:
        """Bytes in total, of the map and of geometry, with the map's requests listed."""
        karten_ws = [n for n in self.nachrichten
                     if n.geometrie or (karte and karte.name and n.komponente == karte.name)]
        karten_http = [a for a in self.anfragen if karte and karte.gehoert_dazu(a)]
        geometrie = (sum(n.geometrie for n in self.nachrichten)
                     + round(sum(a.bytes * a.geometrie_anteil for a in self.anfragen)))
        karten_bytes = sum(n.bytes for n in karten_ws) + sum(a.bytes for a in karten_http)
        karten_geometrie = (sum(n.geometrie for n in karten_ws)
                            + round(sum(a.bytes * a.geometrie_anteil for a in karten_http)))
        frontend = sum(a.bytes for a in self.anfragen if ist_streamlit_frontend(a.url))
        return {
            "gesamt_bytes": self.gesamt(),
            "streamlit_frontend_bytes": frontend,
            "gesamt_ohne_frontend_bytes": self.gesamt() - frontend,
            "websocket_bytes": self.ws_bytes(), "websocket_nachrichten": len(self.nachrichten),
            "http_bytes": self.http_bytes(), "http_anfragen": len(self.anfragen),
            "cache_treffer": sum(a.aus_cache for a in self.anfragen),
            "extern_nicht_gezaehlt": sorted({f"{a.url} ({a.fehler})" for a in self.anfragen
                                             if a.extern and a.fehler}),
            "geometrie_bytes": geometrie,
            "karte_bytes": karten_bytes, "karte_geometrie_bytes": karten_geometrie,
            "karte_sonstiges_bytes": karten_bytes - karten_geometrie,
            "karte_websocket_bytes": sum(n.bytes for n in karten_ws),
            "karte_http": [{"url": _kurz(a.url), "bytes": a.bytes, "cache": a.aus_cache,
                            "geometrie_anteil": round(a.geometrie_anteil, 3)}
                           for a in karten_http],
            "http_groesste": [{"url": _kurz(a.url), "bytes": a.bytes} for a in sorted(
                self.anfragen, key=lambda a: a.bytes, reverse=True)[:HTTP_LISTE] if a.bytes],
        }


def _kurz(url: str) -> str:
    teile = urlsplit(url)
    return teile.path + (f"?{teile.query[:40]}…" if len(teile.query) > 40 else
                         f"?{teile.query}" if teile.query else "")


@dataclass
class KartenRahmen:
    """The map's iframe: its CDP frame id, its document URL (every frame that loads the same
    document is the map, e.g. after a revisit) and the component name (Streamlit serves a
    custom component under /component/<name>/)."""

    frame_ids: set[str]
    url: str
    name: str | None
    frames: dict[str, str]  # the recording's frame id -> URL, growing with each navigation

    def gehoert_dazu(self, anfrage: Anfrage) -> bool:
        if anfrage.frame_id in self.frame_ids:
            return True
        basis = self.url.split("?", 1)[0]
        geladen = self.frames.get(anfrage.frame_id or "", "").split("?", 1)[0]
        if basis and not basis.startswith("about:") and geladen == basis:
            return True
        return bool(self.name) and f"/component/{self.name}/" in anfrage.url


def _komponenten_name(url: str) -> str | None:
    pfad = urlsplit(url).path
    if "/component/" not in pfad:
        return None
    return pfad.split("/component/", 1)[1].split("/", 1)[0] or None


def _komponente_der_nachricht(nutzlast: bytes) -> str | None:
    """Name of the custom component a ForwardMsg delta carries (None for anything else)."""
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    try:
        nachricht = ForwardMsg.FromString(nutzlast)
    except Exception:  # not a ForwardMsg: count it, attribute nothing
        return None
    if nachricht.WhichOneof("type") != "delta":
        return None
    delta = nachricht.delta
    if delta.WhichOneof("type") != "new_element":
        return None
    element = delta.new_element
    art = element.WhichOneof("type")
    if art in ("component_instance", "bidi_component"):
        return getattr(element, art).component_name
    return None


class Mitschnitt:
    """CDP recording of one page's network traffic."""

    def __init__(self, page, *, leaflet_ausliefern: bool = False):
        self.page = page
        self.cdp = page.context.new_cdp_session(page)
        self.folge = 0
        self.letztes_ereignis = time.monotonic()
        self.nachrichten: list[Nachricht] = []
        self.anfragen: dict[str, Anfrage] = {}
        self.frames: dict[str, str] = {}  # CDP frame id -> URL it navigated to
        self.extern: dict[str, tuple[int, str | None]] = {}  # request id -> (bytes, fehler)
        self.leaflet_ausliefern = leaflet_ausliefern
        on = self.cdp.on
        on("Network.webSocketFrameReceived", self._ws)
        on("Network.requestWillBeSent", self._anfrage)
        on("Network.responseReceived", self._antwort)
        on("Network.requestServedFromCache", self._cache)
        on("Network.loadingFinished", self._fertig)
        on("Network.loadingFailed", self._fehlgeschlagen)
        on("Page.frameNavigated", self._navigiert)
        on("Fetch.requestPaused", self._extern)
        self.cdp.send("Network.enable", {"maxTotalBufferSize": 200_000_000,
                                         "maxResourceBufferSize": 50_000_000})
        self.cdp.send("Page.enable")
        # Only non-local requests are paused (all external URLs are https; the app is http).
        self.cdp.send("Fetch.enable", {"patterns": [{"urlPattern": "https://*"}]})

    # --- events ------------------------------------------------------------------------------
    def _takt(self) -> int:
        self.folge += 1
        self.letztes_ereignis = time.monotonic()
        return self.folge

    def _ws(self, ereignis: dict) -> None:
        antwort = ereignis["response"]
        daten = antwort.get("payloadData", "")
        nutzlast = (daten.encode() if antwort.get("opcode") == 1
                    else base64.b64decode(daten))
        self.nachrichten.append(Nachricht(self._takt(), len(nutzlast), geometrie_bytes(nutzlast),
                                          _komponente_der_nachricht(nutzlast)))

    def _anfrage(self, ereignis: dict) -> None:
        rid = ereignis["requestId"]
        url = ereignis["request"]["url"]
        if rid in self.anfragen:  # a redirect keeps the id
            self.anfragen[rid].url = url
            return
        anfrage = Anfrage(rid, url, ereignis.get("frameId"), ereignis.get("type"), self._takt(),
                          extern=not ist_lokal(url))
        if rid in self.extern:
            anfrage.bytes, anfrage.fehler = self.extern[rid]
        self.anfragen[rid] = anfrage

    def _antwort(self, ereignis: dict) -> None:
        anfrage = self.anfragen.get(ereignis["requestId"])
        if anfrage is None:
            return
        antwort = ereignis["response"]
        if antwort.get("fromDiskCache") or antwort.get("fromPrefetchCache") or \
                antwort.get("fromServiceWorker"):
            anfrage.aus_cache = True
        self._takt()

    def _cache(self, ereignis: dict) -> None:
        anfrage = self.anfragen.get(ereignis["requestId"])
        if anfrage is not None:
            anfrage.aus_cache = True

    def _fertig(self, ereignis: dict) -> None:
        anfrage = self.anfragen.get(ereignis["requestId"])
        if anfrage is None:
            return
        anfrage.fertig = True
        schema = urlsplit(anfrage.url).scheme
        if anfrage.aus_cache or schema in ("data", "blob", "about"):
            anfrage.bytes = 0
        elif not anfrage.extern:  # an external answer got its size in _extern
            anfrage.bytes = int(ereignis.get("encodedDataLength") or 0)
        self._takt()

    def _fehlgeschlagen(self, ereignis: dict) -> None:
        anfrage = self.anfragen.get(ereignis["requestId"])
        if anfrage is not None:
            anfrage.fertig = True
            anfrage.fehler = ereignis.get("errorText") or "fehlgeschlagen"
        self._takt()

    def _navigiert(self, ereignis: dict) -> None:
        frame = ereignis["frame"]
        self.frames[frame["id"]] = frame.get("url", "") + frame.get("urlFragment", "")

    def _extern(self, ereignis: dict) -> None:
        """An external request: Leaflet from our copy (naive page); other scripts and styles get
        an empty answer (folium's loader waits for each of them; counted 0 bytes, listed);
        anything else (map tiles) fails."""
        url = ereignis["request"]["url"]
        art = ereignis.get("resourceType")
        datei = self._leaflet(url) if self.leaflet_ausliefern else None
        if datei is None and (not self.leaflet_ausliefern or art not in ("Script", "Stylesheet")):
            self._extern_vermerken(ereignis.get("networkId", ""), 0, "extern blockiert")
            self.cdp.send("Fetch.failRequest", {"requestId": ereignis["requestId"],
                                                "errorReason": "BlockedByClient"})
            return
        inhalt = datei.read_bytes() if datei is not None else b""
        self._extern_vermerken(ereignis.get("networkId", ""),
                               len(gzip.compress(inhalt)) if inhalt else 0,
                               None if inhalt else "extern, leer beantwortet")
        typ = "text/css" if art == "Stylesheet" else "application/javascript"
        self.cdp.send("Fetch.fulfillRequest", {
            "requestId": ereignis["requestId"], "responseCode": 200,
            "responseHeaders": [{"name": "Content-Type", "value": typ}],
            "body": base64.b64encode(inhalt).decode()})

    def _extern_vermerken(self, request_id: str, groesse: int, fehler: str | None) -> None:
        """Size and fate of an external request (its Network event may come before or after)."""
        self.extern[request_id] = (groesse, fehler)
        if (anfrage := self.anfragen.get(request_id)) is not None:
            anfrage.bytes, anfrage.fehler = groesse, fehler

    @staticmethod
    def _leaflet(url: str) -> Path | None:
        teile = urlsplit(url)
        name = teile.path.rsplit("/", 1)[-1]
        if "leaflet@1.9" not in teile.path or name not in ("leaflet.js", "leaflet.css"):
            return None
        return next((o / name for o in LEAFLET_ORDNER if (o / name).exists()), None)

    # --- sections ----------------------------------------------------------------------------
    def marke(self) -> int:
        return self.folge

    def abschnitt(self, name: str, seit: int) -> Abschnitt:
        return Abschnitt(name, [n for n in self.nachrichten if n.folge > seit],
                         [a for a in self.anfragen.values() if a.start > seit])

    def warte_auf_ruhe(self, ruhe_s: float = RUHE_S, hoechstens_s: float = RUHE_HOECHSTENS_S
                       ) -> None:
        """Until nothing arrived for `ruhe_s` and no request is open (at most `hoechstens_s`)."""
        ende = time.monotonic() + hoechstens_s
        while time.monotonic() < ende:
            self.page.wait_for_timeout(100)  # lets Playwright deliver the CDP events
            offen = any(not a.fertig and not a.fehler for a in self.anfragen.values()
                        if urlsplit(a.url).scheme in ("http", "https"))
            if not offen and time.monotonic() - self.letztes_ereignis >= ruhe_s:
                return

    def geometrie_der_antworten(self, abschnitt: Abschnitt, karte: KartenRahmen | None) -> None:
        """Read the bodies of the map's HTTP answers in the section and note their geometry
        share. Call it before the next navigation: Chromium drops a document's bodies then."""
        for anfrage in abschnitt.anfragen:
            if (not anfrage.bytes or anfrage.extern or anfrage.fehler or karte is None
                    or not karte.gehoert_dazu(anfrage)):
                continue
            try:
                antwort = self.cdp.send("Network.getResponseBody",
                                        {"requestId": anfrage.request_id})
            except Exception:  # no body kept (redirect, evicted): no share known
                continue
            inhalt = (base64.b64decode(antwort["body"]) if antwort.get("base64Encoded")
                      else antwort["body"].encode())
            if inhalt:
                anfrage.geometrie_anteil = min(1.0, geometrie_bytes(inhalt) / len(inhalt))

    def karten_rahmen(self) -> KartenRahmen | None:
        """The map's iframe as CDP sees it (None if no frame holds path.ikz-gemeinde)."""
        element = self.page.evaluate_handle(KARTEN_IFRAME_JS).as_element()
        if element is None:
            return None
        src, titel = element.evaluate("f => [f.src || '', f.title || '']")
        objekt = self.cdp.send("Runtime.evaluate", {"expression": f"({KARTEN_IFRAME_JS})()"})
        frame_id = None
        if objekt.get("result", {}).get("objectId"):
            knoten = self.cdp.send("DOM.describeNode",
                                   {"objectId": objekt["result"]["objectId"]})
            frame_id = knoten.get("node", {}).get("frameId")
        name = _komponenten_name(src) or (titel if "." in titel else None)
        return KartenRahmen({frame_id} if frame_id else set(), src, name, self.frames)

    def schliessen(self) -> None:
        try:
            self.cdp.detach()
        except Exception:  # the page may be closed already
            pass
