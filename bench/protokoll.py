"""A Streamlit session without a browser: the websocket protocol the frontend speaks
(BackMsg.rerun_script out, ForwardMsg back until script_finished), for many simultaneous
sessions on one machine. Only 127.0.0.1; every wait is bounded.

What a session does is what the frontend does for the same clicks: the first run on connect
(the start page), a page switch (rerun with the page's script hash from the navigation message),
a widget change (rerun with that widget's state); the URL's query string follows the server's
page_info_changed messages, as in the browser.
"""
from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, field
from urllib.parse import parse_qs, urlsplit

from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.WidgetStates_pb2 import WidgetState

FERTIG = (ForwardMsg.FINISHED_SUCCESSFULLY, ForwardMsg.FINISHED_WITH_COMPILE_ERROR)
SEITENLEISTE = 1  # delta_path[0] of the sidebar (RootContainer.SIDEBAR)


class Abbruch(Exception):
    """A run that did not finish properly (timeout, closed connection, exception shown)."""


@dataclass
class Lauf:
    """One script run as the client saw it."""

    sekunden: float
    bytes: int
    nachrichten: int
    titel: list[str] = field(default_factory=list)
    fehler: list[str] = field(default_factory=list)


class Sitzung:
    """One browser tab's worth of Streamlit session over a websocket."""

    def __init__(self, base_url: str, timeout_s: float = 120):
        teile = urlsplit(base_url)
        if teile.hostname not in ("127.0.0.1", "localhost"):
            raise ValueError(f"nur 127.0.0.1: {base_url}")
        self.base_url = base_url.rstrip("/")
        self.ws_url = f"ws://{teile.netloc}/_stcore/stream"
        self.timeout_s = timeout_s
        self.query = ""
        self.seiten: dict[str, str] = {}  # url_pathname -> page_script_hash
        self.seite = ""  # script hash of the current page
        self.seitenleiste: dict[str, object] = {}  # label -> selectbox proto (sidebar)
        self.ws = None

    async def __aenter__(self) -> Sitzung:
        from websockets.asyncio.client import connect

        self.ws = await asyncio.wait_for(connect(
            self.ws_url, subprotocols=["streamlit"], origin=self.base_url, max_size=None,
            open_timeout=self.timeout_s, compression="deflate"), self.timeout_s)
        return self

    async def __aexit__(self, *_) -> None:
        if self.ws is not None:
            await asyncio.wait_for(self.ws.close(), 10)

    def quartal(self) -> str | None:
        werte = parse_qs(self.query).get("quartal")
        return werte[0] if werte else None

    async def lauf(self, *, seite: str | None = None, widgets: list[WidgetState] = ()) -> Lauf:
        """One rerun: on page `seite` (url path; None = stay), with `widgets` changed."""
        if seite is not None:
            self.seite = self.seiten.get(seite, "")
        nachricht = BackMsg()
        zustand = nachricht.rerun_script
        zustand.query_string = self.query
        zustand.page_script_hash = self.seite
        zustand.page_name = seite or ""
        zustand.widget_states.widgets.extend(widgets)
        zustand.context_info.timezone = "Europe/Berlin"
        zustand.context_info.locale = "de-DE"
        zustand.context_info.url = self.base_url + "/"
        start = time.perf_counter()
        await self.ws.send(nachricht.SerializeToString())
        lauf = Lauf(0.0, 0, 0)
        ende = start + self.timeout_s
        while True:
            rest = ende - time.perf_counter()
            if rest <= 0:
                raise Abbruch(f"kein Laufende nach {self.timeout_s:.0f} s")
            try:
                daten = await asyncio.wait_for(self.ws.recv(), rest)
            except TimeoutError:
                raise Abbruch(f"kein Laufende nach {self.timeout_s:.0f} s") from None
            except Exception as fehler:  # connection closed
                raise Abbruch(f"Verbindung: {fehler.__class__.__name__}: {fehler}") from None
            lauf.bytes += len(daten)
            lauf.nachrichten += 1
            if self._verarbeiten(ForwardMsg.FromString(daten), lauf):
                break
        lauf.sekunden = time.perf_counter() - start
        if lauf.fehler:
            raise Abbruch("; ".join(lauf.fehler)[:300])
        return lauf

    def _verarbeiten(self, msg: ForwardMsg, lauf: Lauf) -> bool:
        """Note what the client keeps (query, pages, sidebar widgets); True at the run's end."""
        art = msg.WhichOneof("type")
        if art == "script_finished":
            if msg.script_finished == ForwardMsg.FINISHED_WITH_COMPILE_ERROR:
                lauf.fehler.append("Skript nicht übersetzbar")
            return msg.script_finished in FERTIG
        if art == "page_info_changed":
            self.query = msg.page_info_changed.query_string
        elif art == "navigation":
            self.seiten = {p.url_pathname: p.page_script_hash
                           for p in msg.navigation.app_pages}
            if msg.navigation.page_script_hash:
                self.seite = msg.navigation.page_script_hash
        elif art == "page_not_found":
            lauf.fehler.append("Seite nicht gefunden")
        elif art == "delta" and msg.delta.WhichOneof("type") == "new_element":
            element = msg.delta.new_element
            typ = element.WhichOneof("type")
            if typ == "exception":
                lauf.fehler.append(f"{element.exception.type}: {element.exception.message}")
            elif typ == "heading":
                lauf.titel.append(element.heading.body)
            elif typ == "selectbox" and msg.metadata.delta_path[:1] == [SEITENLEISTE]:
                self.seitenleiste[element.selectbox.label] = element.selectbox
        return False

    def auswahl(self, label: str, option: str) -> WidgetState:
        """The widget state of choosing `option` (its shown text) in the sidebar's `label`."""
        box = self.seitenleiste.get(label)
        if box is None:
            raise Abbruch(f"keine Auswahl „{label}“ in der Seitenleiste")
        return WidgetState(id=box.id, string_value=option)

    def optionen(self, label: str) -> list[str]:
        box = self.seitenleiste.get(label)
        return list(box.options) if box is not None else []
