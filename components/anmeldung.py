"""Login for the Datenpflege: local accounts (st.form) or OIDC via st.login when configured.

The signed-in person is a kreis_data.regeln.Benutzer kept in st.session_state (server side).
Failed logins are NOT counted here but in the database (kreis_data.konten.sperre): a reload or a
new browser session does not reset them; after 5 failures the name is locked for 1, 2, 4 …
minutes (at most an hour), checked before the password, and every attempt is audited.
With an [auth] section in .streamlit/secrets.toml, st.login()/st.user is used instead and the
e-mail address is mapped to a role through the same account file (entries without password).

A reload (F5) keeps a password login (issue #15): Streamlit forgets st.session_state on a reload,
so the login creates a server-side session (kreis_data.konten.sitzung: a random 256-bit token,
only its SHA-256 in the database, 8 h idle / 24 h at most, ended by "Abmelden" or a new
password) and the browser keeps the token in the cookie "ikz_sitzung". A new browser session
reads it once (st.context.cookies) and gets the login back while the token is valid; a forged,
expired or logged-out token is refused and the cookie deleted.
Trade-off: Streamlit cannot set response headers, so the cookie is written by a tiny same-origin
script (st.html) – SameSite=Strict (no cross-site requests carry it), Secure under https, but not
HttpOnly: script running in the page could read it. No user text is ever rendered as HTML or
script (components/text.py, issue #18), and a stolen token dies with "Abmelden", a new password
or 8 h without use. The token never appears in a URL (URLs leak into logs and histories).
"""
from __future__ import annotations

import re
import time

import streamlit as st
from sqlalchemy.exc import SQLAlchemyError
from streamlit.errors import StreamlitPageNotFoundError

from components import data
from components.praesentation import ist_praesentation
from components.seiten import DATENPFLEGE
from components.text import md
from kreis_data.fehler import Ungueltig
from kreis_data.formatting import anzahl
from kreis_data.konten import kontodatei, regeln, sitzung, sperre

_STATE = "ikz_benutzer"
COOKIE = "ikz_sitzung"
_TOKEN = "ikz_sitzung_token"  # this browser session's token (server side only)
_COOKIE_AKTION = "ikz_cookie_aktion"  # pending for the next run: a token to set, "" to delete
_GEPRUEFT = "ikz_cookie_geprueft"  # the cookie was looked at in this browser session
_BERUEHRT = "ikz_sitzung_beruehrt"  # time.monotonic() of the last "still in use"
MAX_FEHLVERSUCHE = regeln.MAX_FEHLVERSUCHE  # counted per account name in the database
KONTENDATEI_KAPUTT = ("Die Kontendatei ist beschädigt oder unlesbar – Anmelden ist im Moment nicht "
                      "möglich. Bitte wenden Sie sich an die Kreis-Administration (Prüfung: "
                      "„python -m kreis_data konto liste“).")
DATENBANK_NICHT_NUTZBAR = ("Anmelden ist im Moment nicht möglich: Die Datenbank, in der die "
                           "Anmeldeversuche gezählt werden, ist nicht nutzbar. Bitte später erneut "
                           "versuchen oder die Kreis-Administration benachrichtigen.")
NAME_MAX_ZEICHEN = 200  # longer than any valid name (64): old account files keep working
ANMELDE_SEITE = DATENPFLEGE.datei
ANMELDE_LINK = "Zum Bearbeiten anmelden (Datenpflege)"
ANMELDE_HINWEIS = "Bearbeiten ist nur nach Anmeldung möglich."


def oidc_konfiguriert() -> bool:
    try:
        return bool(st.secrets.load_if_toml_exists()) and "auth" in st.secrets
    except Exception:  # broken or unreadable secrets.toml: behave as not configured
        return False


def _oidc_angemeldet() -> bool:
    return bool(st.user.get("is_logged_in", False))


def aktueller_benutzer() -> regeln.Benutzer | None:
    """The signed-in person, or None. With OIDC the role comes from the account file."""
    if oidc_konfiguriert():
        if not _oidc_angemeldet():
            return None
        try:
            return kontodatei.benutzer_fuer_email(kontodatei.konten_datei(), st.user.get("email"))
        except ValueError:  # broken account file: nobody may edit
            return None
    if _STATE not in st.session_state:
        _aus_cookie()
    elif _TOKEN in st.session_state:
        _noch_gueltig()
    return st.session_state.get(_STATE)


def _aus_cookie() -> None:
    """Once per browser session: the login of the cookie's token, if it is still valid."""
    if st.session_state.get(_GEPRUEFT):
        return
    st.session_state[_GEPRUEFT] = True
    try:
        token = st.context.cookies.get(COOKIE)
    except Exception:  # no browser request (e.g. a test run): no cookie
        return
    if not token:
        return
    try:
        benutzer = sitzung.fortsetzen(data.engine(), token)
    except (SQLAlchemyError, Ungueltig):  # fail closed: no login
        benutzer = None
    if benutzer is None:
        st.session_state[_COOKIE_AKTION] = ""  # forged, expired or ended: delete the cookie
        return
    st.session_state[_STATE], st.session_state[_TOKEN] = benutzer, token
    st.session_state[_BERUEHRT] = time.monotonic()


def _noch_gueltig() -> None:
    """Every few minutes: is this session's token still valid (not logged out in another tab,
    not expired)? Also records the use, so 8 h idle count from the last use."""
    if time.monotonic() - st.session_state.get(_BERUEHRT, 0.0) < 60:
        return
    st.session_state[_BERUEHRT] = time.monotonic()
    try:
        gueltig = sitzung.beruehren(data.engine(), st.session_state[_TOKEN])
    except SQLAlchemyError:
        gueltig = True  # a busy database does not sign anybody out
    if not gueltig:
        for key in (_STATE, _TOKEN):
            st.session_state.pop(key, None)
        st.session_state[_COOKIE_AKTION] = ""


def _cookie_skript(token: str) -> str:
    """The same-origin script that writes (token) or deletes ("") the cookie."""
    wert, alter = (token, int(sitzung.HOECHSTENS.total_seconds())) if token else ("", 0)
    return ("<script>document.cookie = " + f'"{COOKIE}={wert}; Path=/; Max-Age={alter}; '
            'SameSite=Strict" + (location.protocol === "https:" ? "; Secure" : "");</script>')


# The block holding the script takes no room (the script runs all the same).
_VERSTECKT = ('<span id="ikz-cookie" hidden></span>'
              "<style>.stElementContainer:has(#ikz-cookie) { display: none; }</style>")


def ist_cookie_block(body: str) -> bool:
    """Whether an HTML block is the app's own cookie script (no user text in it)."""
    for wert in ("", *re.findall(rf"^<script>document.cookie = \"{COOKIE}=([A-Za-z0-9_-]+);",
                                 body)):
        if body == _cookie_skript(wert) + _VERSTECKT:
            return True
    return False


def cookie_pflegen() -> None:
    """For app.py (through sidebar_status): write or delete the cookie when a login or logout
    asked for it in the previous run. The token is checked to be plain URL-safe text."""
    aktion = st.session_state.pop(_COOKIE_AKTION, None)
    if aktion is None or oidc_konfiguriert():
        return
    if aktion and not sitzung.ist_token(aktion):
        return
    st.sidebar.html(_cookie_skript(aktion) + _VERSTECKT, unsafe_allow_javascript=True)


def _abmelden() -> None:
    token = st.session_state.pop(_TOKEN, None)
    if token is not None:
        try:
            sitzung.ende(data.engine(), token)
        except SQLAlchemyError:
            pass  # the cookie is deleted anyway; the token expires after 8 h
    st.session_state.pop(_STATE, None)
    st.session_state[_COOKIE_AKTION] = ""


def anmeldebox() -> regeln.Benutzer | None:
    """Show who is signed in (with "Abmelden"), or the login prompt. Returns the person."""
    benutzer = aktueller_benutzer()
    cookie_pflegen()  # (app.py does it in the sidebar first; here for the page run alone)
    if oidc_konfiguriert():
        if benutzer is not None:
            _angemeldet(benutzer)
            if st.button("Abmelden", key="ikz_abmelden_oidc"):
                st.logout()
            return benutzer
        if _oidc_angemeldet():
            st.error(f"Die Anmeldung als {md(st.user.get('email') or 'unbekannt')} ist gültig, aber "
                     "für diese Adresse ist keine Rolle hinterlegt. Bitte wenden Sie sich an die "
                     "Kreis-Administration.")
            if st.button("Abmelden", key="ikz_abmelden_oidc"):
                st.logout()
            return None
        st.info("Zum Bearbeiten melden Sie sich bitte an.", icon=":material/lock:")
        if st.button("Mit dem Dienstkonto anmelden", type="primary", key="ikz_oidc_login"):
            st.login()
        return None

    if benutzer is not None:
        _angemeldet(benutzer)
        st.button("Abmelden", key="ikz_abmelden", on_click=_abmelden)
        return benutzer
    st.info("Zum Bearbeiten melden Sie sich bitte an.", icon=":material/lock:")
    with st.form("ikz_anmeldung"):
        name = st.text_input("Benutzername", autocomplete="username",
                             max_chars=NAME_MAX_ZEICHEN)
        passwort = st.text_input("Passwort", type="password", autocomplete="current-password",
                                 max_chars=regeln.MAX_PASSWORT_LAENGE)
        abgeschickt = st.form_submit_button("Anmelden", type="primary")
    if abgeschickt:
        try:
            ergebnis = sperre.anmelden(data.engine(), kontodatei.konten_datei(), name, passwort)
        except Ungueltig:  # broken account file: say so, in German, without the server's path
            st.error(KONTENDATEI_KAPUTT, icon=":material/error:")
            return None
        except SQLAlchemyError:  # the lock cannot be checked or recorded: no login (fail closed)
            st.error(DATENBANK_NICHT_NUTZBAR, icon=":material/error:")
            return None
        if ergebnis.benutzer is None:
            st.error(ergebnis.meldung or regeln.FALSCH)
            return None
        st.session_state[_STATE] = ergebnis.benutzer
        try:  # a reload keeps the login: token in the database, cookie set in the next run
            token = sitzung.beginnen(data.engine(), ergebnis.benutzer.name)
        except (SQLAlchemyError, Ungueltig):
            token = None  # signed in anyway, only for this browser session
        if token:
            st.session_state[_TOKEN] = token
            st.session_state[_COOKIE_AKTION] = token
            st.session_state[_BERUEHRT] = time.monotonic()
        st.rerun()
    if not kontodatei.konten_datei().exists():
        st.caption("Es ist noch kein Konto angelegt. Die Kreis-Administration legt Konten mit "
                   "„python -m kreis_data konto anlegen …“ an (siehe docs/anmeldung.md).")
    return None


def _angemeldet(benutzer: regeln.Benutzer) -> None:
    rechte = ("alle Verwaltungen" if benutzer.ist_admin else
              "nur lesen" if benutzer.rolle == regeln.LESEN else
              anzahl(len(benutzer.verwaltungen), "Verwaltung"))
    st.caption(f"Angemeldet als **{md(benutzer.name)}** – {benutzer.rolle} ({rechte})")


def sidebar_status() -> None:
    """For app.py: a short "angemeldet als …" line in the sidebar (no login form there), and
    the cookie of a login or logout of the previous run (cookie_pflegen)."""
    benutzer = aktueller_benutzer()
    cookie_pflegen()
    if benutzer is not None:
        st.sidebar.caption(f"Angemeldet: {md(benutzer.name)} ({benutzer.rolle})")


def anmelde_hinweis() -> None:
    """The short "please sign in" note with a link to the login on the Datenpflege page."""
    st.info(ANMELDE_HINWEIS, icon=":material/lock:")
    try:
        st.page_link(ANMELDE_SEITE, label=ANMELDE_LINK, icon=":material/login:")
    except StreamlitPageNotFoundError:  # page run on its own, without app.py's navigation
        st.markdown("Anmelden können Sie auf der Seite **Datenpflege**.")


def bearbeiter_oder_hinweis() -> regeln.Benutzer | None:
    """For the edit part of a page: the signed-in person, or None.

    Not signed in: shows `anmelde_hinweis()` instead of the forms. Presentation mode: None
    without any output – no edit controls at all. What the person may change is decided by the
    rules in kreis_data.konten.regeln (and enforced again by kreis_data's write functions).
    """
    if ist_praesentation():
        return None
    benutzer = aktueller_benutzer()
    if benutzer is None:
        anmelde_hinweis()
    return benutzer
