"""Login for the Datenpflege: local accounts (st.form) or OIDC via st.login when configured.

The signed-in person is a kreis_data.regeln.Benutzer kept in st.session_state (server side).
Failed logins are NOT counted here but in the database (kreis_data.konten.sperre): a reload or a
new browser session does not reset them; after 5 failures the name is locked for 1, 2, 4 …
minutes (at most an hour), checked before the password, and every attempt is audited.
With an [auth] section in .streamlit/secrets.toml, st.login()/st.user is used instead and the
e-mail address is mapped to a role through the same account file (entries without password).
"""
from __future__ import annotations

import streamlit as st
from sqlalchemy.exc import SQLAlchemyError
from streamlit.errors import StreamlitPageNotFoundError

from components import data
from components.praesentation import ist_praesentation
from components.seiten import DATENPFLEGE
from components.text import md
from kreis_data.fehler import Ungueltig
from kreis_data.formatting import anzahl
from kreis_data.konten import kontodatei, regeln, sperre

_STATE = "ikz_benutzer"
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
    return st.session_state.get(_STATE)


def _abmelden() -> None:
    st.session_state.pop(_STATE, None)


def anmeldebox() -> regeln.Benutzer | None:
    """Show who is signed in (with "Abmelden"), or the login prompt. Returns the person."""
    benutzer = aktueller_benutzer()
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
    """For app.py: a short "angemeldet als …" line in the sidebar (no login form there)."""
    benutzer = aktueller_benutzer()
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
