"""A login that survives a reload (issue #15, kreis_data.konten.sitzung): a random 256-bit
token, only its SHA-256 in the database; a valid token gives the account back (read again from
the account file), an expired (8 h idle, 24 h at most), forged, malformed or logged-out token and
a token from before a new password give nobody."""
from __future__ import annotations

import datetime as dt
import hashlib

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from kreis_data.konten import kontodatei, regeln, sitzung
from kreis_data.model import AnmeldeSitzung

BELM = "034590008"
T0 = dt.datetime(2026, 11, 30, 6, 0, 0)


@pytest.fixture
def konten(tmp_path, monkeypatch):
    datei = tmp_path / "konten.toml"
    kontodatei.konto_anlegen(datei, "r.belm", regeln.REDAKTION, [BELM], "Belm-Passwort-2026")
    kontodatei.konto_anlegen(datei, "oidc@example.org", regeln.LESEN, [], None)
    monkeypatch.setenv(kontodatei.KONTEN_ENV, str(datei))
    return datei


@pytest.fixture
def uhr(monkeypatch):
    zeit = {"jetzt": T0}
    monkeypatch.setattr(sitzung, "jetzt", lambda: zeit["jetzt"])

    def stellen(**delta):
        zeit["jetzt"] = zeit["jetzt"] + dt.timedelta(**delta)
    return stellen


def test_token_zaehlt_256_bit_und_nur_sein_hash_wird_gespeichert(small_engine, konten, uhr):
    token = sitzung.beginnen(small_engine, "r.belm")
    assert sitzung.ist_token(token) and len(token) == 43  # 32 bytes, URL-safe base64
    assert token != sitzung.beginnen(small_engine, "r.belm")
    with Session(small_engine) as session:
        gespeichert = session.scalars(select(AnmeldeSitzung.token_hash)).all()
    assert hashlib.sha256(token.encode()).hexdigest() in gespeichert
    assert token not in gespeichert


def test_gueltiges_token_gibt_das_konto_zurueck(small_engine, konten, uhr):
    token = sitzung.beginnen(small_engine, "r.belm")
    uhr(hours=7, minutes=59)
    benutzer = sitzung.fortsetzen(small_engine, token)
    assert benutzer == regeln.Benutzer("r.belm", regeln.REDAKTION, frozenset({BELM}))
    uhr(hours=7, minutes=59)  # idle counts from the last use
    assert sitzung.fortsetzen(small_engine, token) is not None


def test_abgelaufenes_token_wird_abgelehnt_und_geloescht(small_engine, konten, uhr):
    token = sitzung.beginnen(small_engine, "r.belm")
    uhr(hours=8, seconds=1)
    assert sitzung.fortsetzen(small_engine, token) is None
    assert sitzung.anzahl(small_engine) == 0


def test_hoechstens_24_stunden_auch_bei_nutzung(small_engine, konten, uhr):
    token = sitzung.beginnen(small_engine, "r.belm")
    for _ in range(4):
        uhr(hours=6)
        assert sitzung.beruehren(small_engine, token)
    uhr(seconds=1)
    assert sitzung.fortsetzen(small_engine, token) is None


@pytest.mark.parametrize("falsch", ["A" * 43, "kurz", "x" * 43 + "\"; Path=/", None, 42,
                                    "../../" + "a" * 37])
def test_gefaelschtes_token_wird_abgelehnt(small_engine, konten, uhr, falsch):
    sitzung.beginnen(small_engine, "r.belm")
    assert sitzung.fortsetzen(small_engine, falsch) is None


def test_abmelden_loescht_das_token_serverseitig(small_engine, konten, uhr):
    token = sitzung.beginnen(small_engine, "r.belm")
    sitzung.ende(small_engine, token)
    assert sitzung.anzahl(small_engine) == 0
    assert sitzung.fortsetzen(small_engine, token) is None
    assert not sitzung.beruehren(small_engine, token)


def test_neues_passwort_beendet_alle_sitzungen(small_engine, konten, uhr):
    token = sitzung.beginnen(small_engine, "r.belm")
    kontodatei.passwort_setzen(konten, "r.belm", "Neues-Belm-Passwort-2026")
    assert sitzung.fortsetzen(small_engine, token) is None


def test_geloeschtes_oder_nur_oidc_konto_bekommt_keine_sitzung(small_engine, konten, uhr):
    assert sitzung.beginnen(small_engine, "oidc@example.org") is None
    assert sitzung.beginnen(small_engine, "unbekannt") is None
    token = sitzung.beginnen(small_engine, "r.belm")
    konten.write_text("", encoding="utf-8")  # every account removed
    assert sitzung.fortsetzen(small_engine, token) is None
