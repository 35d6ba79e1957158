"""`python -m kreis_data konto …` under hostile input (issue #18): a bad name is refused before
the password is asked and the file stays byte-identical; the password policy for `anlegen` and
`passwort`; `entsperren` lifts a login lock; a broken file is a German message, exit status 2."""
from __future__ import annotations

import datetime as dt

import pytest

from kreis_data.cli import konten as cli_konten
from kreis_data.cli import main
from kreis_data.konten import kontodatei, regeln, sperre

BELM = "034590008"
GUT = "Ein-gutes-Passwort-77"


@pytest.fixture
def datei(tmp_path, monkeypatch):
    datei = tmp_path / "konten.toml"
    kontodatei.konto_anlegen(datei, "admin", regeln.ADMIN, [], GUT)
    monkeypatch.setenv(kontodatei.KONTEN_ENV, str(datei))
    monkeypatch.delenv(cli_konten.PASSWORT_ENV, raising=False)
    return datei


def kein_getpass(monkeypatch):
    def getpass(prompt=""):
        raise AssertionError("no password prompt for a refused name")

    monkeypatch.setattr(cli_konten.getpass, "getpass", getpass)


@pytest.mark.parametrize("name", ["r.be\x01lm", "r.be\x7flm", "r.b\u0435lm", "r\u200b.belm",
                                  "ADMIN", "ab", "r belm"])
def test_a_bad_name_exits_2_before_the_password_prompt_file_byte_identical(datei, monkeypatch,
                                                                            capsys, name):
    kein_getpass(monkeypatch)
    vorher = datei.read_bytes()
    assert main(["konto", "anlegen", name, "--rolle", "Redaktion", "--verwaltung", BELM]) == 2
    err = capsys.readouterr().err
    assert err.startswith("Fehler: Der Benutzername") or "gibt es bereits" in err
    assert "Nichts wurde gespeichert." in err and "Traceback" not in err
    assert all(ch.isprintable() or ch == "\n" for ch in err)
    assert datei.read_bytes() == vorher
    assert list(kontodatei.lade_konten(datei)) == ["admin"]  # nobody locked out


@pytest.mark.parametrize("passwort", ["aaaaaaaaaaaa", "1234567890", "abcdefghij",
                                      "x-admin.zwei-26", "Passwort2026", "kurz"])
def test_a_weak_password_exits_2_and_writes_nothing(datei, monkeypatch, capsys, passwort):
    monkeypatch.setenv(cli_konten.PASSWORT_ENV, passwort)
    vorher = datei.read_bytes()
    assert main(["konto", "anlegen", "admin.zwei", "--rolle", "Redaktion", "--verwaltung",
                 BELM]) == 2
    assert main(["konto", "passwort", "admin"]) == 2
    assert "Fehler: Das Passwort" in capsys.readouterr().err
    assert datei.read_bytes() == vorher


def test_konto_passwort_sets_a_new_password(datei, monkeypatch, capsys):
    antworten = iter(["Neues-Kreis-Kennwort-5", "Neues-Kreis-Kennwort-5"])
    monkeypatch.setattr(cli_konten.getpass, "getpass", lambda prompt="": next(antworten))
    assert main(["konto", "passwort", "Admin"]) == 0
    assert "Neues Passwort für „admin“" in capsys.readouterr().out
    assert kontodatei.anmelden(datei, "admin", "Neues-Kreis-Kennwort-5") is not None
    assert main(["konto", "passwort", "niemand"]) == 2


def test_konto_entsperren_lifts_the_lock(small_engine, datei, monkeypatch, capsys):
    monkeypatch.setenv("IKZ_DATABASE_URL", str(small_engine.url))
    jetzt = sperre.jetzt()
    for i in range(5):
        sperre.anmelden(small_engine, datei, "admin", "falsch-falsch",
                        zeitpunkt=jetzt + dt.timedelta(seconds=i))
    assert sperre.gesperrt_bis(small_engine, "admin") is not None
    assert main(["konto", "entsperren", "ADMIN"]) == 0
    assert "Sperre für „ADMIN“ aufgehoben" in capsys.readouterr().out
    assert sperre.gesperrt_bis(small_engine, "admin") is None
    assert main(["konto", "entsperren", "admin"]) == 0
    assert "keine Sperre" in capsys.readouterr().out


def test_a_broken_file_exits_2_in_german(datei, capsys):
    datei.write_text('[konten."admin"]\nrolle = "Kreis-Administration\n', encoding="utf-8")
    assert main(["konto", "liste"]) == 2
    err = capsys.readouterr().err
    assert "ist beschädigt oder unlesbar" in err and "Zeile 2" in err and "Traceback" not in err


def test_konto_liste_marks_old_names_the_rules_now_refuse(tmp_path, capsys):
    datei = tmp_path / "konten.toml"
    hash_ = kontodatei.hash_passwort(GUT)
    datei.write_text(f'[konten."x\\u0001y"]\nrolle = "Lesen"\npasswort_hash = "{hash_}"\n'
                     f'[konten."Anna"]\nrolle = "Lesen"\npasswort_hash = "{hash_}"\n'
                     f'[konten."anna"]\nrolle = "Lesen"\npasswort_hash = "{hash_}"\n',
                     encoding="utf-8")
    assert main(["konto", "liste", "--datei", str(datei)]) == 0
    zeilen = capsys.readouterr().out.splitlines()
    assert zeilen[0].startswith("x<U+0001>y\tLesen") and "entspricht nicht den Regeln" in zeilen[0]
    assert all("verwechselbar" in z for z in zeilen[1:])
