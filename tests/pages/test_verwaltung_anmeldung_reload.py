"""Issue #15: the login survives a reload (F5). AppTest of components/anmeldung.py with
kreis_data.konten.sitzung: the password login starts a server-side session and writes its token
into the cookie "ikz_sitzung" (same-origin script, SameSite=Strict, never in the URL); a new
browser session with that cookie is signed in again; "Abmelden" deletes the session on the
server and the cookie; a forged or expired token signs nobody in and deletes the cookie.
(The real reload in Chromium: tests/e2e/test_cdo_journey.py.)"""
from __future__ import annotations

import re

import pytest
from streamlit.runtime.context import ContextProxy

from components import anmeldung
from kreis_data.database import make_engine
from kreis_data.konten import kontodatei, regeln, sitzung
from tests.pages.apptest_helpers import anmelden, assert_ok, klicke, open_page, sichtbar

ARTLAND = "034595401"
KONTO = ("cdo.artland", "Artland-Passwort-2026")


@pytest.fixture
def konten(tmp_path, monkeypatch, eigene_db):
    datei = tmp_path / "konten.toml"
    kontodatei.konto_anlegen(datei, KONTO[0], regeln.REDAKTION, [ARTLAND], KONTO[1])
    monkeypatch.setenv(kontodatei.KONTEN_ENV, str(datei))
    return make_engine(eigene_db)


def cookie_skripte(at) -> list[str]:
    return [h.proto.body for h in at.get("html") if "document.cookie" in h.proto.body]


def mit_cookie(monkeypatch, wert: str | None) -> None:
    """The browser's cookies as st.context.cookies sees them in a new session."""
    monkeypatch.setattr(ContextProxy, "cookies",
                        property(lambda self: {} if wert is None else {anmeldung.COOKIE: wert}))


def test_anmeldung_setzt_cookie_und_abmelden_loescht_die_sitzung(konten):
    at = anmelden(open_page("pages/datenpflege.py", shell=False), *KONTO)
    token = at.session_state[anmeldung._TOKEN]
    assert sitzung.ist_token(token) and sitzung.anzahl(konten) == 1
    (skript,) = cookie_skripte(at)
    assert f'"{anmeldung.COOKIE}={token}; Path=/; Max-Age=86400; SameSite=Strict"' in skript
    assert "Secure" in skript  # under https
    assert token not in str(dict(at.query_params))  # never in the URL
    at.run()
    assert not cookie_skripte(at)  # written once, not on every run

    klicke(at, "Abmelden")
    assert_ok(at)
    assert sitzung.anzahl(konten) == 0  # deleted on the server
    (skript,) = cookie_skripte(at)
    assert re.search(rf'"{anmeldung.COOKIE}=; Path=/; Max-Age=0', skript)
    assert sitzung.fortsetzen(konten, token) is None


def test_neue_browsersitzung_mit_cookie_ist_angemeldet(konten, monkeypatch):
    token = sitzung.beginnen(konten, KONTO[0])
    mit_cookie(monkeypatch, token)
    at = open_page("pages/verwaltung.py")  # a fresh AppTest = a reload
    assert at.session_state[anmeldung._STATE].name == KONTO[0]
    assert any("Angemeldet: cdo.artland" in sichtbar(c.value) for c in at.sidebar.caption)
    assert at.query_params["verwaltung"] == ARTLAND  # and Meine Verwaltung with it
    assert not cookie_skripte(at)


@pytest.mark.parametrize("falsch", ["gefaelscht", "A" * 43])
def test_gefaelschtes_token_meldet_niemanden_an_und_loescht_das_cookie(konten, monkeypatch,
                                                                        falsch):
    mit_cookie(monkeypatch, falsch)
    at = open_page("pages/verwaltung.py")
    assert anmeldung._STATE not in at.session_state
    (skript,) = cookie_skripte(at)
    assert "Max-Age=0" in skript


def test_abgelaufenes_token_meldet_niemanden_an(konten, monkeypatch):
    token = sitzung.beginnen(konten, KONTO[0])
    spaeter = sitzung.jetzt() + sitzung.LEERLAUF + sitzung.BERUEHRUNG
    monkeypatch.setattr(sitzung, "jetzt", lambda: spaeter)
    mit_cookie(monkeypatch, token)
    at = open_page("pages/verwaltung.py")
    assert anmeldung._STATE not in at.session_state
    assert sitzung.anzahl(konten) == 0
