"""Login throttling that holds (issue #18, kreis_data.konten.sperre): failures counted per
account name in the database – not in a browser session – so reloads, new sessions, restarts
and other processes do not reset them; a growing lock checked before the password hash; unknown
names throttled the same way; every attempt in the audit log, never the password; logins are
no data version."""
from __future__ import annotations

import datetime as dt
import multiprocessing
from concurrent.futures import ProcessPoolExecutor

import pytest
from sqlalchemy import inspect, select

from kreis_data import audit, queries
from kreis_data.analyses import steckbrief
from kreis_data.database import make_engine, transaction
from kreis_data.fehler import Ungueltig
from kreis_data.konten import kontodatei, regeln, sperre
from kreis_data.kooperationen import lesen as kooperationen_lesen
from kreis_data.model import AnmeldeVersuch, AuditEintrag

BELM = "034590008"
PASSWORT = "Belm-Passwort-2026"
T0 = dt.datetime(2026, 11, 30, 6, 0, 0)  # UTC = 07:00 in Berlin


@pytest.fixture
def konten(tmp_path):
    datei = tmp_path / "konten.toml"
    kontodatei.konto_anlegen(datei, "r.belm", regeln.REDAKTION, [BELM], PASSWORT)
    return datei


def versuch(engine, konten, name, passwort, sekunden=0.0):
    return sperre.anmelden(engine, konten, name, passwort,
                           zeitpunkt=T0 + dt.timedelta(seconds=sekunden))


def eintraege(engine) -> list[AuditEintrag]:
    with transaction(engine) as session:
        return list(session.scalars(select(AuditEintrag).where(
            AuditEintrag.objekt == audit.ANMELDUNG).order_by(AuditEintrag.id)))


def test_the_migration_creates_the_table(small_engine):
    spalten = {s["name"] for s in inspect(small_engine).get_columns("anmeldeversuch")}
    assert spalten == {"konto", "fehlversuche", "letzter_fehlversuch", "gesperrt_bis"}


def test_four_failures_then_the_right_password_logs_in_and_resets_the_counter(small_engine,
                                                                             konten):
    for i in range(4):
        ergebnis = versuch(small_engine, konten, "r.belm", f"falsch-{i}", i)
        assert ergebnis.benutzer is None and ergebnis.gesperrt_bis is None
    assert "Nach einem weiteren Fehlversuch" in ergebnis.meldung
    assert versuch(small_engine, konten, "r.belm", PASSWORT, 10).benutzer.name == "r.belm"
    with transaction(small_engine) as session:
        assert session.scalar(select(AnmeldeVersuch)) is None  # reset
    for i in range(4):  # counted from zero again: four more failures do not lock
        assert versuch(small_engine, konten, "r.belm", "falsch", 20 + i).gesperrt_bis is None


def test_five_failures_lock_even_the_right_password_and_the_hash_is_not_verified(
        small_engine, konten, monkeypatch):
    for i in range(5):
        ergebnis = versuch(small_engine, konten, "r.belm", "falsch-falsch", i)
    assert ergebnis.gesperrt_bis == T0 + dt.timedelta(seconds=4, minutes=1)
    assert ergebnis.meldung.startswith("Benutzername oder Passwort ist falsch. Zu viele")
    assert "bis 07:01 Uhr am 30.11.2026 (deutsche Zeit)" in ergebnis.meldung  # Europe/Berlin

    geprueft = []
    monkeypatch.setattr(kontodatei, "pruefe_passwort",
                        lambda h, p: geprueft.append(p) or kontodatei.PasswordHasher().verify(h, p))
    gesperrt = versuch(small_engine, konten, "r.belm", PASSWORT, 30)
    assert gesperrt.benutzer is None and geprueft == []  # refused before the hash
    assert gesperrt.meldung == regeln.sperr_meldung(ergebnis.gesperrt_bis)
    assert "Uhr" in gesperrt.meldung and "falsch" not in gesperrt.meldung

    erlaubt = versuch(small_engine, konten, "r.belm", PASSWORT, 65)  # the lock has run out
    assert erlaubt.benutzer is not None and geprueft == [PASSWORT]


def test_the_lock_grows_1_2_4_minutes_up_to_one_hour(small_engine, konten):
    zeit, dauern = 0.0, []
    for _ in range(5 + 9):
        ergebnis = versuch(small_engine, konten, "r.belm", "falsch-falsch", zeit)
        if ergebnis.gesperrt_bis is not None:
            dauer = ergebnis.gesperrt_bis - (T0 + dt.timedelta(seconds=zeit))
            dauern.append(int(dauer.total_seconds() // 60))
            zeit += dauer.total_seconds() + 1  # wait the lock out, then fail again
        else:
            zeit += 1
    assert dauern == [1, 2, 4, 8, 16, 32, 60, 60, 60, 60]
    # a correct password after the last lock resets everything
    assert versuch(small_engine, konten, "r.belm", PASSWORT, zeit).benutzer is not None


def test_unknown_names_are_throttled_the_same_way_with_the_same_messages(small_engine, konten):
    bekannt = [versuch(small_engine, konten, "r.belm", "falsch-falsch", i) for i in range(6)]
    unbekannt = [versuch(small_engine, konten, "gibt.es.nicht", "falsch-falsch", i)
                 for i in range(6)]
    assert [e.meldung for e in bekannt] == [e.meldung for e in unbekannt]
    assert [e.gesperrt_bis for e in bekannt] == [e.gesperrt_bis for e in unbekannt]


def test_case_and_look_alike_variants_share_one_counter(small_engine, konten):
    for i, name in enumerate(["r.belm", "R.BELM", " R.Belm ", "r.b\u0435lm", "r.belm"]):
        ergebnis = versuch(small_engine, konten, name, "falsch-falsch", i)
    assert ergebnis.gesperrt_bis is not None
    assert versuch(small_engine, konten, "R.belm", PASSWORT, 10).benutzer is None


def test_the_counter_survives_a_restart_and_is_shared_by_another_process(small_engine, konten):
    for i in range(3):
        versuch(small_engine, konten, "r.belm", "falsch-falsch", i)
    small_engine.dispose()  # "restart": a new engine on the same database file
    andere = make_engine(str(small_engine.url))
    try:
        for i in range(2):
            ergebnis = versuch(andere, konten, "r.belm", "falsch-falsch", 3 + i)
        assert ergebnis.gesperrt_bis is not None
        assert sperre.gesperrt_bis(small_engine, "r.belm", T0 + dt.timedelta(seconds=10))
    finally:
        andere.dispose()


def _fehlversuche_zaehlen(url: str, anzahl: int) -> None:
    engine = make_engine(url)
    for _ in range(anzahl):
        with transaction(engine) as session:
            sperre._zaehlen(session, "parallel", T0)
    engine.dispose()


def test_failures_from_four_processes_at_once_all_count(small_engine):
    url = str(small_engine.url)
    with ProcessPoolExecutor(4, mp_context=multiprocessing.get_context("fork")) as pool:
        list(pool.map(_fehlversuche_zaehlen, [url] * 4, [25] * 4))
    with transaction(small_engine) as session:
        assert session.get(AnmeldeVersuch, "parallel").fehlversuche == 100


def test_old_failures_are_forgotten_after_a_day(small_engine, konten):
    for i in range(4):
        versuch(small_engine, konten, "r.belm", "falsch-falsch", i)
    tag = 24 * 3600 + 10
    assert versuch(small_engine, konten, "r.belm", "falsch-falsch", tag).gesperrt_bis is None
    with transaction(small_engine) as session:
        assert session.get(AnmeldeVersuch, "r.belm").fehlversuche == 1


def test_every_attempt_is_audited_never_the_password(small_engine, konten):
    for i in range(5):
        versuch(small_engine, konten, "r.belm", f"Geheim-Falsch-{i}", i)
    versuch(small_engine, konten, "r.belm", PASSWORT, 10)  # locked
    versuch(small_engine, konten, "r.belm", PASSWORT, 100)  # after the lock: signed in
    versuch(small_engine, konten, "Mein-Passwort-im-Namensfeld", "x", 101)
    zeilen = eintraege(small_engine)
    assert [(z.benutzer, z.aktion) for z in zeilen] == [
        *[("r.belm", "fehlgeschlagen")] * 5, ("r.belm", "gesperrt"), ("r.belm", "angemeldet"),
        ("(unbekanntes Konto)", "fehlgeschlagen")]
    assert zeilen[0].zeitpunkt == T0 and zeilen[6].zeitpunkt == T0 + dt.timedelta(seconds=100)
    assert zeilen[4].kontext == ("Anmeldung mit Passwort: 5. Fehlversuch in Folge, gesperrt bis "
                                 "07:01 Uhr am 30.11.2026")
    assert "Passwort nicht geprüft" in zeilen[5].kontext
    assert zeilen[7].schluessel.startswith("sha256:")
    alles = " ".join(str(getattr(z, s)) for z in zeilen for s in AuditEintrag.__table__.c.keys())
    assert "Geheim-Falsch" not in alles and PASSWORT not in alles
    assert "Mein-Passwort-im-Namensfeld".casefold() not in alles.casefold()


def test_logins_are_no_data_version_and_no_stand(small_engine, konten):
    with transaction(small_engine) as session:
        audit.record(session, benutzer="Test", aktion="geändert", objekt="bewertung",
                     schluessel="x", zeitpunkt=dt.datetime(2026, 1, 2))
    vorher = (queries.versionen(small_engine), queries.data_version(small_engine),
              steckbrief.datenstand(small_engine), kooperationen_lesen.stand(small_engine))
    versuch(small_engine, konten, "r.belm", "falsch-falsch")
    versuch(small_engine, konten, "r.belm", PASSWORT, 1)
    assert len(eintraege(small_engine)) == 2
    nachher = (queries.versionen(small_engine), queries.data_version(small_engine),
               steckbrief.datenstand(small_engine), kooperationen_lesen.stand(small_engine))
    assert nachher == vorher and vorher[2] == "02.01.2026"


def test_entsperren_lifts_the_lock_and_is_audited(small_engine, konten):
    for i in range(5):
        versuch(small_engine, konten, "r.belm", "falsch-falsch", i)
    assert sperre.entsperren(small_engine, "R.Belm", benutzer="CLI", zeitpunkt=T0)
    assert versuch(small_engine, konten, "r.belm", PASSWORT, 6).benutzer is not None
    assert not sperre.entsperren(small_engine, "r.belm", benutzer="CLI")
    assert [z.aktion for z in eintraege(small_engine)][-3:] == ["entsperrt", "angemeldet",
                                                                 "entsperrt"]


def test_a_broken_account_file_is_a_german_message_and_counts_nothing(small_engine, tmp_path):
    datei = tmp_path / "konten.toml"
    datei.write_text('[konten."r.belm"]\nrolle = "Redaktion\n', encoding="utf-8")
    with pytest.raises(Ungueltig, match="Kontendatei .* ist beschädigt"):
        versuch(small_engine, datei, "r.belm", PASSWORT)
    assert eintraege(small_engine) == []


def test_very_long_and_hostile_names_are_counted_without_error(small_engine, konten):
    for name in ("x" * 100_000, "ad\x00min", "\u202e" * 10, ""):
        for i in range(5):
            ergebnis = versuch(small_engine, konten, name, "falsch-falsch", i)
        assert ergebnis.gesperrt_bis is not None, repr(name[:10])
