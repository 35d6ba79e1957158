"""The one selection of a run: Kreis, Quartal, Verwaltung, Merkmal.

app.py produces it once per run (``auswahl_der_shell``) and runs the page inside ``gilt``: the sidebar's quarter selector and the
URL (``?quartal=2026-Q3&verwaltung=034595401&merkmal=e_akte``). Pages read it with
``auswahl()`` and hand it to components; a page that needs a second quarter (the review's
comparison) derives it from this one. Verwaltung and Merkmal are chosen on the pages that need
them (``verwaltung_waehlen``, ``merkmal_waehlen``), stored under the same keys, so the next run's
selection has them.

"Meine Verwaltung" (issue #15): the Verwaltung a user works for, remembered for the session –
chosen in the sidebar, or the Verwaltung of a signed-in Redaktion account, or (in a fresh
session: after F5 or from a shared link) the one in the URL. The shell keeps it in the URL
(?verwaltung=…) on pages that have none, so Verwaltung page, EfA chances and the map open on it.
"""
from __future__ import annotations

import contextlib
import contextvars
import datetime as dt
from collections.abc import Callable, Collection, Iterator, Sequence
from dataclasses import dataclass

import streamlit as st

from components import data
from components.anmeldung import aktueller_benutzer
from components.url_state import url_selectbox
from kreis_data.konten import regeln
from kreis_data.quartal import Quartal

QUARTAL, VERWALTUNG, MERKMAL = "quartal", "verwaltung", "merkmal"
STANDARD_MERKMAL = "e_akte"
MEINE, MEINE_QUELLE, MEINE_WAHL = "meine_verwaltung", "meine_verwaltung_quelle", "meine_wahl"
KEINE = ""  # the sidebar's option "keine"
_URL_MARKE = "_karte_verwaltung_url"  # the Verwaltung the map last wrote to the URL


@dataclass(frozen=True)
class Auswahl:
    kreis_ags: str | None
    kreis_name: str | None
    quartal: str  # the selected quarter, e.g. "2026-Q3"
    quartale: tuple[str, ...]  # quarters with Bewertungen
    verwaltung: str | None  # a Verwaltung key from the URL or a page's selector
    merkmal: str  # a Merkmal or indicator key of the map

    @property
    def q(self) -> Quartal:
        return Quartal.parse(self.quartal)

    @property
    def label(self) -> str:
        """ "3. Quartal 2026"."""
        return self.q.label

    @property
    def vorquartal(self) -> str:
        return str(self.q.previous())

    @property
    def hat_daten(self) -> bool:
        """Are there Bewertungen in the selected quarter?"""
        return self.quartal in self.quartale


_AKTUELL: contextvars.ContextVar[Auswahl | None] = contextvars.ContextVar("ikz_auswahl",
                                                                          default=None)


def waehlbare_quartale() -> list[str]:
    """Quarters with Bewertungen, and the current calendar quarter when it has none yet (so a
    new quarter can be entered, and a new workspace works at once)."""
    quartale = list(data.quartale())
    heute = str(Quartal.of_date(dt.date.today()))
    if not quartale or heute > quartale[-1]:
        quartale.append(heute)
    return quartale


def _quartal_label(quartal: str, mit_daten: Collection[str]) -> str:
    ohne = "" if quartal in mit_daten else " (noch ohne Angaben)"
    return Quartal.parse(quartal).label + ohne


def _standard_quartal(quartale: list[str]) -> str:
    mit_daten = [q for q in quartale if q in data.quartale()]
    return (mit_daten or quartale)[-1]


def quartal_selector() -> str:
    """The sidebar's quarter selector, bound to ?quartal=."""
    quartale, mit_daten = waehlbare_quartale(), frozenset(data.quartale())
    if not mit_daten:
        st.sidebar.info("Noch keine Bewertungen erfasst.")
    return url_selectbox(
        "Quartal", quartale, key=QUARTAL, default=_standard_quartal(quartale),
        container=st.sidebar, format_func=lambda q: _quartal_label(q, mit_daten),
        help="Stichtag der angezeigten Bewertungen. Auch per Link: ?quartal=2026-Q3")


def _lies(key: str, erlaubt: Callable[[str], bool]) -> str | None:
    """A value from the URL (a deep link wins) or this session, if it is allowed."""
    for wert in (st.query_params.get(key), st.session_state.get(key)):
        if isinstance(wert, str) and erlaubt(wert):
            return wert
    return None


def _auswahl(quartal: str | None) -> Auswahl:
    kreis = data.kreis() or {}
    quartale = waehlbare_quartale()
    if quartal not in quartale:
        quartal = _lies(QUARTAL, quartale.__contains__) or _standard_quartal(quartale)
    verwaltungen = set(data.verwaltungen()["key"])
    merkmale = {m.key for m in data.kartenmerkmale()}
    return Auswahl(
        kreis_ags=kreis.get("ags"), kreis_name=kreis.get("name"), quartal=quartal,
        quartale=tuple(data.quartale()),
        verwaltung=_lies(VERWALTUNG, verwaltungen.__contains__),
        merkmal=_lies(MERKMAL, merkmale.__contains__) or STANDARD_MERKMAL)


def _verwaltungs_keys() -> list[str]:
    """Kreisverwaltung first, then the Verwaltungen of the Gemeinden by name."""
    frame = data.verwaltungen()
    reihen = sorted(zip(frame["kreisverwaltung"], frame["name"], frame["key"], strict=True),
                    key=lambda r: (not r[0], str(r[1]).lower()))
    return [key for _, _, key in reihen]


def meine_verwaltung() -> str | None:
    """The remembered Verwaltung of this session: the sidebar's choice, else the (first)
    Verwaltung of a signed-in Redaktion account, else the one a fresh session found in the URL."""
    gueltig = set(data.verwaltungen()["key"])
    gespeichert = st.session_state.get(MEINE)
    if st.session_state.get(MEINE_QUELLE) == "wahl":
        return gespeichert if gespeichert in gueltig else None
    benutzer = aktueller_benutzer()
    if benutzer is not None and benutzer.rolle == regeln.REDAKTION:
        eigene = sorted(k for k in benutzer.verwaltungen if k in gueltig)
        if eigene:
            return gespeichert if gespeichert in eigene else eigene[0]
    if MEINE_QUELLE not in st.session_state:  # the first run of a session: F5 or a link
        url = st.query_params.get(VERWALTUNG)
        st.session_state[MEINE_QUELLE] = "link"
        st.session_state[MEINE] = url if url in gueltig else None
    return st.session_state.get(MEINE) if st.session_state.get(MEINE) in gueltig else None


def _meine_gewaehlt() -> None:
    wert = st.session_state.get(MEINE_WAHL) or None
    st.session_state[MEINE], st.session_state[MEINE_QUELLE] = wert, "wahl"
    if wert:
        st.query_params[VERWALTUNG] = wert


def meine_verwaltung_selector() -> str | None:
    """The sidebar's "Meine Verwaltung"; keeps it in the URL where no Verwaltung is given."""
    keys = _verwaltungs_keys()
    if not keys:
        return None
    meine = meine_verwaltung()
    namen = dict(zip(data.verwaltungen()["key"], data.verwaltungen()["name"], strict=True))
    st.session_state[MEINE_WAHL] = meine or KEINE
    st.sidebar.selectbox(
        "Meine Verwaltung", [KEINE, *keys], key=MEINE_WAHL, on_change=_meine_gewaehlt,
        format_func=lambda k: "– keine –" if k == KEINE else namen[k],
        help="Die Seiten Verwaltung, EfA-Nachnutzung und Karte öffnen mit dieser Verwaltung. "
             "Bei einer Anmeldung als Redaktion: die eigene Verwaltung.")
    if meine and not st.query_params.get(VERWALTUNG):
        st.query_params[VERWALTUNG] = meine
    return meine


def auswahl_der_shell() -> Auswahl:
    """app.py: render the sidebar selectors and make the selection of this run."""
    quartal = quartal_selector()
    meine_verwaltung_selector()
    return _auswahl(quartal)


def karten_verwaltung(geklickt: str | None, gueltige_keys) -> str | None:
    """The map's selection in the URL: a click writes ?verwaltung=; a Verwaltung in the URL
    this session did not write there itself (a link, F5, Meine Verwaltung) is selected."""
    if geklickt is not None:
        st.query_params[VERWALTUNG] = geklickt
        st.session_state[_URL_MARKE] = geklickt
        return geklickt
    url = st.query_params.get(VERWALTUNG)
    if url in gueltige_keys and url != st.session_state.get(_URL_MARKE):
        st.session_state[_URL_MARKE] = url
        return url
    return None


@contextlib.contextmanager
def gilt(auswahl_: Auswahl) -> Iterator[Auswahl]:
    """app.py runs the page inside this: ``auswahl()`` returns `auswahl_` until it ends."""
    token = _AKTUELL.set(auswahl_)
    try:
        yield auswahl_
    finally:
        _AKTUELL.reset(token)


def auswahl() -> Auswahl:
    """The selection of this run (made by app.py; a page run alone computes it)."""
    return _AKTUELL.get() or _auswahl(None)


def verwaltung_waehlen(optionen: Sequence[str], format_func: Callable[[str], str], *,
                       label: str = "Verwaltung", default: str | None = None, container=None,
                       help: str | None = "Auch per Link: ?verwaltung=<Regionalschlüssel>"
                       ) -> str | None:
    """The page's Verwaltung selector (key and URL parameter "verwaltung")."""
    return url_selectbox(label, optionen, key=VERWALTUNG, format_func=format_func,
                         default=default, container=container, help=help)


def merkmal_waehlen(optionen: Sequence[str], format_func: Callable[[str], str], *,
                    container=None) -> str | None:
    """The page's Merkmal selector (key and URL parameter "merkmal")."""
    return url_selectbox("Merkmal", optionen, key=MERKMAL, format_func=format_func,
                         default=STANDARD_MERKMAL, container=container,
                         help="Auch per Link: ?merkmal=e_akte")
