"""Roles, password hashes, the account file and refusal of writes outside one's rights."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from kreis_data import auth
from kreis_data.database import transaction
from kreis_data.model import AuditEintrag, Bewertung, Verwaltung
from kreis_data.selbstauskunft import Wert, lade_formular, speichere_formular

BELM, MELLE = "034590008", "034590024"
NAMEN = {BELM: "Belm", MELLE: "Melle"}


@pytest.fixture
def engine(small_engine):
    with transaction(small_engine) as session:
        session.add(Verwaltung(key=BELM, kreis_ags="03459", name="Gemeinde Belm",
                               typ="Einheitsgemeinde"))
    return small_engine


REDAKTION_BELM = auth.Benutzer("r.belm", auth.REDAKTION, frozenset({BELM}))
ADMIN = auth.Benutzer("admin", auth.ADMIN)
LESER = auth.Benutzer("leser", auth.LESEN)


def test_redaktion_may_edit_only_its_own_verwaltung():
    assert auth.darf_bearbeiten(REDAKTION_BELM, BELM)
    assert not auth.darf_bearbeiten(REDAKTION_BELM, MELLE)
    with pytest.raises(PermissionError) as info:
        auth.pruefe_bearbeiten(REDAKTION_BELM, MELLE, NAMEN)
    assert str(info.value) == "Sie dürfen nur die Daten von Belm bearbeiten, nicht Melle."
    auth.pruefe_bearbeiten(REDAKTION_BELM, BELM, NAMEN)  # no error


def test_admin_may_edit_everything_lesen_and_anonymous_nothing():
    assert auth.darf_bearbeiten(ADMIN, MELLE) and auth.darf_bearbeiten(ADMIN, BELM)
    assert not auth.darf_bearbeiten(LESER, BELM)
    assert not auth.darf_bearbeiten(None, BELM)
    with pytest.raises(PermissionError, match="„Lesen“ dürfen Sie nur lesen"):
        auth.pruefe_bearbeiten(LESER, MELLE, NAMEN)
    with pytest.raises(PermissionError, match="angemeldet"):
        auth.pruefe_bearbeiten(None, MELLE, NAMEN)
    assert auth.bearbeitbare_verwaltungen(REDAKTION_BELM, [MELLE, BELM]) == [BELM]


def test_kreisweit_only_for_the_kreis_administration():
    assert auth.darf_kreisweit(ADMIN)
    for benutzer in (REDAKTION_BELM, LESER, None):
        assert not auth.darf_kreisweit(benutzer)
    auth.pruefe_kreisweit(ADMIN, "Maßnahmen")  # no error
    with pytest.raises(PermissionError) as info:
        auth.pruefe_kreisweit(REDAKTION_BELM, "Maßnahmen")
    assert str(info.value) == ("Nur die Kreis-Administration darf Maßnahmen ändern – mit der "
                               "Rolle „Redaktion“ ist das nicht möglich.")
    with pytest.raises(PermissionError, match="„Lesen“"):
        auth.pruefe_kreisweit(LESER, "den EfA-Katalog")
    with pytest.raises(PermissionError, match="angemeldet"):
        auth.pruefe_kreisweit(None, "den EfA-Katalog")


def test_kooperation_belongs_to_its_federfuehrung():
    assert auth.darf_kooperation_bearbeiten(ADMIN, MELLE)
    assert auth.darf_kooperation_bearbeiten(ADMIN, None)
    assert auth.darf_kooperation_bearbeiten(REDAKTION_BELM, BELM)
    assert not auth.darf_kooperation_bearbeiten(REDAKTION_BELM, MELLE)
    assert not auth.darf_kooperation_bearbeiten(REDAKTION_BELM, None)
    assert not auth.darf_kooperation_bearbeiten(REDAKTION_BELM, "")
    assert not auth.darf_kooperation_bearbeiten(LESER, BELM)
    assert not auth.darf_kooperation_bearbeiten(None, BELM)
    auth.pruefe_kooperation_bearbeiten(REDAKTION_BELM, BELM, NAMEN)  # no error
    with pytest.raises(PermissionError) as info:
        auth.pruefe_kooperation_bearbeiten(REDAKTION_BELM, MELLE, NAMEN)
    assert str(info.value) == ("Sie dürfen nur Kooperationen unter Federführung von Belm "
                               "bearbeiten, nicht unter Federführung von Melle.")
    with pytest.raises(PermissionError, match="ohne Federführung bearbeitet sie die "
                                              "Kreis-Administration"):
        auth.pruefe_kooperation_bearbeiten(REDAKTION_BELM, None, NAMEN)
    with pytest.raises(PermissionError, match="„Lesen“ dürfen Sie nur lesen"):
        auth.pruefe_kooperation_bearbeiten(LESER, BELM, NAMEN)
    with pytest.raises(PermissionError, match="angemeldet"):
        auth.pruefe_kooperation_bearbeiten(None, BELM, NAMEN)


def test_kreisverwaltung_only_for_admins_unless_listed():
    kreis = "03459"
    assert auth.darf_bearbeiten(ADMIN, kreis)
    assert not auth.darf_bearbeiten(REDAKTION_BELM, kreis)
    assert auth.darf_bearbeiten(auth.Benutzer("r.kreis", auth.REDAKTION, frozenset({kreis})),
                                kreis)


def _anzahl(engine):
    with engine.connect() as conn:
        return (conn.scalar(select(func.count()).select_from(Bewertung)),
                conn.scalar(select(func.count()).select_from(AuditEintrag)))


def test_speichere_formular_refuses_foreign_verwaltung_and_writes_nothing(engine):
    form = lade_formular(engine, MELLE, "2026-Q3")
    werte = {**form.werte(), "e_akte": Wert(4, "Selbstauskunft")}
    vorher = _anzahl(engine)
    for benutzer in (REDAKTION_BELM, LESER, None):
        with pytest.raises(PermissionError):
            speichere_formular(engine, MELLE, "2026-Q3", werte, form.gesehene_versionen, benutzer)
    assert _anzahl(engine) == vorher
    with pytest.raises(PermissionError, match="nicht Stadt Melle"):
        speichere_formular(engine, MELLE, "2026-Q3", werte, form.gesehene_versionen,
                           REDAKTION_BELM)

    aenderungen = speichere_formular(engine, MELLE, "2026-Q3", werte, form.gesehene_versionen,
                                     ADMIN)
    assert [a.schluessel for a in aenderungen] == [f"{MELLE}/e_akte/2026-Q3"]
    assert lade_formular(engine, MELLE, "2026-Q3").werte()["e_akte"].stufe == 4


def test_password_hashes_are_salted_and_verify(tmp_path):
    erster, zweiter = auth.hash_passwort("geheim-genug-1"), auth.hash_passwort("geheim-genug-1")
    assert erster != "geheim-genug-1" and "geheim-genug-1" not in erster
    assert erster.startswith("$argon2id$")
    assert erster != zweiter  # different salts
    assert auth.pruefe_passwort(erster, "geheim-genug-1")
    assert not auth.pruefe_passwort(erster, "geheim-genug-2")
    assert not auth.pruefe_passwort("kein-hash", "geheim-genug-1")


def test_account_file_stores_only_hashes_and_logs_in(tmp_path):
    datei = tmp_path / "konten.toml"
    auth.konto_anlegen(datei, "r.belm", auth.REDAKTION, [BELM], "Belm-Passwort-2026")
    auth.konto_anlegen(datei, "cdo@example.org", auth.ADMIN, [], None)  # OIDC only
    text = datei.read_text(encoding="utf-8")
    assert "Belm-Passwort-2026" not in text and "$argon2id$" in text
    assert (datei.stat().st_mode & 0o777) == 0o600

    benutzer = auth.anmelden(datei, "r.belm", "Belm-Passwort-2026")
    assert benutzer == auth.Benutzer("r.belm", auth.REDAKTION, frozenset({BELM}))
    assert auth.anmelden(datei, "r.belm", "falsch-falsch-falsch") is None
    assert auth.anmelden(datei, "unbekannt", "Belm-Passwort-2026") is None
    assert auth.anmelden(datei, "cdo@example.org", "") is None  # no local password
    assert auth.benutzer_fuer_email(datei, "CDO@example.org").rolle == auth.ADMIN
    assert auth.benutzer_fuer_email(datei, "fremd@example.org") is None


def test_account_rules(tmp_path):
    datei = tmp_path / "konten.toml"
    with pytest.raises(ValueError, match="mindestens 10 Zeichen"):
        auth.konto_anlegen(datei, "kurz", auth.ADMIN, [], "kurz")
    with pytest.raises(ValueError, match="mindestens eine Verwaltung"):
        auth.konto_anlegen(datei, "red", auth.REDAKTION, [], "lang-genug-123")
    with pytest.raises(ValueError, match="Unbekannte Rolle"):
        auth.konto_anlegen(datei, "x", "Chef", [], "lang-genug-123")
    auth.konto_anlegen(datei, "a", auth.ADMIN, [], "lang-genug-123")
    with pytest.raises(ValueError, match="gibt es bereits"):
        auth.konto_anlegen(datei, "a", auth.ADMIN, [], "lang-genug-456")
    assert not datei.with_name("konten.toml.tmp").exists()


def test_cli_konto_prompts_twice_and_refuses_mismatch(tmp_path, monkeypatch, capsys):
    datei = tmp_path / "konten.toml"
    antworten = iter(["Erstes-Passwort-1", "Anderes-Passwort-2"])
    monkeypatch.setattr(auth.getpass, "getpass", lambda prompt="": next(antworten))
    monkeypatch.delenv(auth.PASSWORT_ENV, raising=False)
    assert auth.cli_konto("anlegen", "admin", auth.ADMIN, datei=datei) == 2
    assert "stimmen nicht überein" in capsys.readouterr().err
    assert not datei.exists()
    monkeypatch.setenv(auth.PASSWORT_ENV, "Env-Passwort-2026")
    assert auth.cli_konto("anlegen", "admin", auth.ADMIN, datei=datei) == 0
    assert auth.anmelden(datei, "admin", "Env-Passwort-2026").ist_admin


def test_lesen_ohne_anmeldung_is_configurable():
    assert auth.lesen_ohne_anmeldung({}) is True
    assert auth.lesen_ohne_anmeldung({auth.LESEN_ENV: "0"}) is False
    assert auth.lesen_ohne_anmeldung({auth.LESEN_ENV: "ja"}) is True


def test_cli_parser_creates_a_redaktion_account(tmp_path, monkeypatch, capsys):
    import argparse

    parser = argparse.ArgumentParser()
    auth.add_konto_parser(parser.add_subparsers(dest="befehl", required=True))
    datei = tmp_path / "k.toml"
    monkeypatch.setenv(auth.PASSWORT_ENV, "Redaktion-Belm-1")
    args = parser.parse_args(["konto", "anlegen", "r.belm", "--rolle", "Redaktion",
                              "--verwaltung", BELM, "--datei", str(datei)])
    assert args.func(args) == 0
    assert auth.anmelden(datei, "r.belm", "Redaktion-Belm-1").verwaltungen == {BELM}
    args = parser.parse_args(["konto", "liste", "--datei", str(datei)])
    assert args.func(args) == 0
    out = capsys.readouterr().out
    assert "r.belm\tRedaktion\t034590008\tPasswort" in out and "$argon2" not in out
