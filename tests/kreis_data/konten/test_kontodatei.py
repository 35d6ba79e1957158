"""The account file: salted password hashes, login, account rules (kreis_data.konten.kontodatei)."""
from __future__ import annotations

import pytest

from kreis_data.fehler import Ungueltig
from kreis_data.konten import kontodatei, regeln

BELM = "034590008"

def test_password_hashes_are_salted_and_verify(tmp_path):
    erster, zweiter = kontodatei.hash_passwort("geheim-genug-1"), kontodatei.hash_passwort("geheim-genug-1")
    assert erster != "geheim-genug-1" and "geheim-genug-1" not in erster
    assert erster.startswith("$argon2id$")
    assert erster != zweiter  # different salts
    assert kontodatei.pruefe_passwort(erster, "geheim-genug-1")
    assert not kontodatei.pruefe_passwort(erster, "geheim-genug-2")
    assert not kontodatei.pruefe_passwort("kein-hash", "geheim-genug-1")


def test_account_file_stores_only_hashes_and_logs_in(tmp_path):
    datei = tmp_path / "konten.toml"
    kontodatei.konto_anlegen(datei, "r.belm", regeln.REDAKTION, [BELM], "Belm-Passwort-2026")
    kontodatei.konto_anlegen(datei, "cdo@example.org", regeln.ADMIN, [], None)  # OIDC only
    text = datei.read_text(encoding="utf-8")
    assert "Belm-Passwort-2026" not in text and "$argon2id$" in text
    assert (datei.stat().st_mode & 0o777) == 0o600

    benutzer = kontodatei.anmelden(datei, "r.belm", "Belm-Passwort-2026")
    assert benutzer == regeln.Benutzer("r.belm", regeln.REDAKTION, frozenset({BELM}))
    assert kontodatei.anmelden(datei, "r.belm", "falsch-falsch-falsch") is None
    assert kontodatei.anmelden(datei, "unbekannt", "Belm-Passwort-2026") is None
    assert kontodatei.anmelden(datei, "cdo@example.org", "") is None  # no local password
    assert kontodatei.benutzer_fuer_email(datei, "CDO@example.org").rolle == regeln.ADMIN
    assert kontodatei.benutzer_fuer_email(datei, "fremd@example.org") is None


def test_account_rules(tmp_path):
    datei = tmp_path / "konten.toml"
    with pytest.raises(Ungueltig, match="mindestens 10 Zeichen"):
        kontodatei.konto_anlegen(datei, "kurz", regeln.ADMIN, [], "kurz")
    with pytest.raises(Ungueltig, match="mindestens eine Verwaltung"):
        kontodatei.konto_anlegen(datei, "red", regeln.REDAKTION, [], "lang-genug-123")
    with pytest.raises(Ungueltig, match="Unbekannte Rolle"):
        kontodatei.konto_anlegen(datei, "xyz", "Chef", [], "lang-genug-123")
    kontodatei.konto_anlegen(datei, "abc", regeln.ADMIN, [], "lang-genug-123")
    with pytest.raises(Ungueltig, match="gibt es bereits"):
        kontodatei.konto_anlegen(datei, "abc", regeln.ADMIN, [], "lang-genug-456")
    assert not datei.with_name("konten.toml.tmp").exists()
