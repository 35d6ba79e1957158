"""AppTest of the login throttling (issue #18, components/anmeldung.py + kreis_data.konten.sperre):
the failures live in the database, so 20 wrong passwords with a reload (a new AppTest – a new
Streamlit session) before each still block the next attempt, the correct password included,
until the lock runs out (the clock is injected); unknown names get the same answers; every attempt
is in the audit log; a broken account file is a German message, not a traceback."""
from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from kreis_data import audit, queries
from kreis_data.database import make_engine, transaction
from kreis_data.konten import kontodatei, regeln, sperre
from kreis_data.model import AuditEintrag
from tests.pages.apptest_helpers import all_text, anmelden, open_page, sichtbar

BELM = "034590008"
PASSWORT = "Belm-Passwort-2026"
T0 = dt.datetime(2026, 11, 30, 6, 0, 0)  # UTC


@pytest.fixture
def uhr(monkeypatch):
    """The injected clock: uhr[0] is "now" (UTC) for every login of the app."""
    jetzt = [T0]
    monkeypatch.setattr(sperre, "jetzt", lambda: jetzt[0])
    return jetzt


@pytest.fixture
def konten(tmp_path, monkeypatch, eigene_db):
    datei = tmp_path / "konten.toml"
    kontodatei.konto_anlegen(datei, "r.belm", regeln.REDAKTION, [BELM], PASSWORT)
    monkeypatch.setenv(kontodatei.KONTEN_ENV, str(datei))
    return datei


def neue_sitzung_anmelden(name: str, passwort: str):
    """A reload: a new AppTest is a new Streamlit session with empty session state."""
    at = open_page("pages/datenpflege.py", shell=False)
    return anmelden(at, name, passwort)


def angemeldet(at) -> bool:
    return any("Angemeldet als" in sichtbar(c.value) for c in at.caption)


def fehler(at) -> str:
    return " ".join(e.value for e in at.error)


def anmelde_eintraege(url: str) -> list[tuple[str, str]]:
    engine = make_engine(url)
    try:
        with transaction(engine) as session:
            return [(e.benutzer, e.aktion) for e in session.scalars(
                select(AuditEintrag).where(AuditEintrag.objekt == audit.ANMELDUNG)
                .order_by(AuditEintrag.id))]
    finally:
        engine.dispose()


def test_20_wrong_passwords_with_reloads_still_block_the_correct_one_until_the_lock_ends(
        konten, uhr, eigene_db):
    engine = make_engine(eigene_db)
    versionen = queries.versionen(engine)
    meldungen = []
    for _ in range(20):
        at = neue_sitzung_anmelden("r.belm", "falsches-Passwort-1")
        assert not angemeldet(at)
        meldungen.append(fehler(at))
        uhr[0] += dt.timedelta(seconds=10)
    assert "Benutzername oder Passwort ist falsch." in meldungen[0]
    assert "vorübergehend gesperrt, bis 07:01 Uhr am 30.11.2026" in meldungen[4]  # 5th: locked
    assert meldungen[5].startswith("Zu viele fehlgeschlagene Anmeldeversuche")  # 6th: refused

    bis = sperre.gesperrt_bis(engine, "r.belm", uhr[0])
    assert bis is not None and bis > uhr[0]
    richtig = neue_sitzung_anmelden("r.belm", PASSWORT)  # the correct password, one more reload
    assert not angemeldet(richtig)
    lokal = bis.replace(tzinfo=dt.UTC).astimezone(regeln.ZEITZONE)
    assert f"gesperrt, bis {lokal:%H:%M} Uhr am {lokal:%d.%m.%Y} (deutsche Zeit)" in \
        fehler(richtig)
    assert not any(b.label == "Speichern" for b in richtig.button)

    uhr[0] = bis + dt.timedelta(seconds=1)  # the lock has run out
    nachher = neue_sitzung_anmelden("r.belm", PASSWORT)
    assert angemeldet(nachher) and fehler(nachher) == ""

    eintraege = anmelde_eintraege(eigene_db)
    assert len(eintraege) == 22 and eintraege[-1] == ("r.belm", "angemeldet")
    assert {a for _, a in eintraege[:21]} == {"fehlgeschlagen", "gesperrt"}
    assert eintraege[20] == ("r.belm", "gesperrt")  # the correct password while locked
    assert queries.versionen(engine) == versionen  # logins invalidate no cached read
    engine.dispose()


def test_an_unknown_name_gets_the_same_answers(konten, uhr):
    bekannt, unbekannt = [], []
    for _ in range(6):
        bekannt.append(fehler(neue_sitzung_anmelden("r.belm", "falsches-Passwort-1")))
        unbekannt.append(fehler(neue_sitzung_anmelden("gibt.es.nicht", "falsches-Passwort-1")))
        uhr[0] += dt.timedelta(seconds=5)
    assert bekannt == unbekannt
    assert "gesperrt" in unbekannt[-1]


def test_a_broken_account_file_is_a_german_message(konten, uhr):
    konten.write_text('[konten."r.belm"]\nrolle = "Redaktion\n', encoding="utf-8")
    at = neue_sitzung_anmelden("r.belm", PASSWORT)
    assert "Die Kontendatei ist beschädigt oder unlesbar" in fehler(at)
    assert str(konten) not in all_text(at)  # no server path for an anonymous visitor
    assert not angemeldet(at)


def test_account_names_in_captions_are_plain_text(konten, uhr, tmp_path):
    kontodatei.konto_anlegen(konten, "a_b_c", regeln.ADMIN, [], "Ein-gutes-Passwort-77")
    at = neue_sitzung_anmelden("a_b_c", "Ein-gutes-Passwort-77")
    assert any("Angemeldet als **a\\_b\\_c**" in c.value for c in at.caption)


def test_a_database_fault_at_login_refuses_in_german(konten, uhr, monkeypatch):
    from sqlalchemy.exc import OperationalError

    def kaputt(*_args, **_kwargs):
        raise OperationalError("SELECT …", {}, Exception("database disk image is malformed"))

    monkeypatch.setattr(sperre, "gesperrt_bis", kaputt)
    at = neue_sitzung_anmelden("r.belm", PASSWORT)
    assert "Anmelden ist im Moment nicht möglich" in fehler(at)
    assert "malformed" not in all_text(at) and not angemeldet(at)
