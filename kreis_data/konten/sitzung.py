"""A login that survives a reload (issue #15): a server-side session behind a random token.

Streamlit forgets st.session_state when the browser reloads the page (F5). After a successful
password login the app therefore creates a token here and keeps it in a cookie of the browser;
a new browser session presents the cookie and gets the login back while the token is valid.

* The token is 256 bit from `secrets` (URL-safe text). The database stores only its SHA-256,
  with the account name and the times created / last used: a copy of the database signs nobody in.
* It expires after LEERLAUF (8 h) without use and after HOECHSTENS (24 h) in any case; an
  expired, unknown (forged) or malformed token is refused, an expired one deleted.
* The account is read again from the account file at every restore: a deleted account, or one
  that may now only sign in through OIDC, gets no login back; a changed role applies at once.
* "Abmelden" deletes the row (ende), so the cookie is worthless from then on, also on copies.
* A new password ends all sessions of the account: each session stores a fingerprint of the
  password hash it was created under (`konto passwort` needs no database for this).

The cookie is set by the app (components/anmeldung.py) – see there for the browser side and its
trade-off (a cookie set by JavaScript cannot be HttpOnly).
"""
from __future__ import annotations

import datetime as dt
import hashlib
import re
import secrets

from sqlalchemy import Engine, delete, select
from sqlalchemy.orm import Session

from kreis_data import audit
from kreis_data.database import transaction
from kreis_data.konten import kontodatei, regeln
from kreis_data.model import AnmeldeSitzung

LEERLAUF = dt.timedelta(hours=8)
HOECHSTENS = dt.timedelta(hours=24)
BERUEHRUNG = dt.timedelta(minutes=5)  # "last used" is written at most this often
TOKEN_BYTES = 32  # 256 bit
_TOKEN_FORM = re.compile(r"[A-Za-z0-9_-]{43}")  # token_urlsafe(32)


def jetzt() -> dt.datetime:
    """Now in UTC, naive (as stored). Tests replace it to move the clock."""
    return audit.now()


def ist_token(text: object) -> bool:
    """Does `text` have the form of a token (43 URL-safe characters)?"""
    return isinstance(text, str) and _TOKEN_FORM.fullmatch(text) is not None


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode("ascii")).hexdigest()


def _marke(passwort_hash: str | None) -> str:
    return hashlib.sha256((passwort_hash or "").encode("utf-8")).hexdigest()


def beginnen(engine: Engine, benutzername: str, kontendatei=None) -> str | None:
    """A new session for the password account `benutzername`; returns the token (stored only
    as hash), or None when the account has no password (OIDC only) or does not exist."""
    konto = kontodatei.finde_konto(kontodatei.lade_konten(kontendatei), benutzername)
    if konto is None or not konto.passwort_hash:
        return None
    token = secrets.token_urlsafe(TOKEN_BYTES)
    zeit = jetzt()
    with transaction(engine) as session:
        session.add(AnmeldeSitzung(token_hash=_hash(token), konto=konto.benutzername,
                                   erstellt=zeit, zuletzt=zeit,
                                   passwort_marke=_marke(konto.passwort_hash)))
        # expired sessions of anybody are removed on the way
        session.execute(delete(AnmeldeSitzung).where(
            (AnmeldeSitzung.zuletzt < zeit - LEERLAUF)
            | (AnmeldeSitzung.erstellt < zeit - HOECHSTENS)))
    return token


def _gueltig(sitzung: AnmeldeSitzung, zeit: dt.datetime) -> bool:
    return sitzung.zuletzt >= zeit - LEERLAUF and sitzung.erstellt >= zeit - HOECHSTENS


def fortsetzen(engine: Engine, token: object, kontendatei=None) -> regeln.Benutzer | None:
    """The person of a valid token (and its "last used" moved on), or None for a missing,
    malformed, unknown, expired token or an account that no longer signs in with a password."""
    if not ist_token(token):
        return None
    zeit = jetzt()
    with transaction(engine) as session:
        sitzung = session.get(AnmeldeSitzung, _hash(token))
        if sitzung is None:
            return None
        if not _gueltig(sitzung, zeit):
            session.delete(sitzung)
            return None
        konto = kontodatei.finde_konto(kontodatei.lade_konten(kontendatei), sitzung.konto)
        if (konto is None or not konto.passwort_hash
                or not secrets.compare_digest(_marke(konto.passwort_hash),
                                              sitzung.passwort_marke)):
            session.delete(sitzung)
            return None
        if zeit - sitzung.zuletzt >= BERUEHRUNG:
            sitzung.zuletzt = zeit
        return konto.benutzer()


def beruehren(engine: Engine, token: object) -> bool:
    """Record use of a session (at most every BERUEHRUNG); False if it is no longer valid."""
    if not ist_token(token):
        return False
    zeit = jetzt()
    with transaction(engine) as session:
        sitzung = session.get(AnmeldeSitzung, _hash(token))
        if sitzung is None or not _gueltig(sitzung, zeit):
            if sitzung is not None:
                session.delete(sitzung)
            return False
        if zeit - sitzung.zuletzt >= BERUEHRUNG:
            sitzung.zuletzt = zeit
        return True


def ende(engine: Engine, token: object) -> None:
    """Log out: the session of this token is deleted (nothing happens for an unknown one)."""
    if ist_token(token):
        with transaction(engine) as session:
            session.execute(delete(AnmeldeSitzung).where(
                AnmeldeSitzung.token_hash == _hash(token)))


def alle_beenden(engine: Engine, benutzername: str) -> int:
    """End every session of an account (new password, account removed); returns how many."""
    with transaction(engine) as session:
        return session.execute(delete(AnmeldeSitzung).where(
            AnmeldeSitzung.konto == benutzername)).rowcount or 0


def anzahl(engine: Engine) -> int:
    with Session(engine) as session:
        return len(session.scalars(select(AnmeldeSitzung.token_hash)).all())
