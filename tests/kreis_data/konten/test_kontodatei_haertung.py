"""The account file under hostile input (issue #18): account names checked before anything is
written (the file stays byte-identical), duplicates under case-folding and look-alikes refused,
the password policy applied wherever a password is set, atomic writes, broken files reported in
German instead of locking everyone out with a traceback."""
from __future__ import annotations

import os
import re

import pytest

from kreis_data.fehler import Ungueltig
from kreis_data.konten import kontodatei, regeln

BELM = "034590008"
GUT = "Ein-gutes-Passwort-77"

SCHLECHTE_NAMEN = {
    "Steuerzeichen": ("ad\x01min", "Steuer- oder Formatzeichen U+0001"),
    "DEL (kein gültiges TOML)": ("ad\x7fmin", "U+007F"),
    "Nullbyte": ("ad\x00min", "U+0000"),
    "Zeilenumbruch": ("ad\nmin", "U+000A"),
    "Nullbreites Leerzeichen": ("ad\u200bmin", "U+200B"),
    "Richtungsumkehr": ("ad\u202emin", "U+202E"),
    "Leerzeichen": ("r belm", "Leerzeichen"),
    "kyrillisches a": ("\u0430dmin", "mischt Buchstaben der Schriften Kyrillisch und Latein"),
    "griechisches o": ("r.bel\u03bfm", "Griechisch und Latein"),
    "Vollbreite": ("\uff41\uff44\uff4d\uff49\uff4e", "gemeint ist wohl „admin“"),
    "Ligatur": ("\ufb01scher", "Sonderformen"),
    "Sonderzeichen": ("admin!", "das Zeichen „!“"),
    "Markdown": ("**fett**", "das Zeichen „*“"),
    "HTML": ("<b>x</b>", "das Zeichen „<“"),
    "fremde Ziffer": ("admin\u0663", "U+0663"),
    "zu kurz": ("ab", "2 Zeichen lang – erlaubt sind 3 bis 64"),
    "zu lang": ("a" * 65, "65 Zeichen lang"),
    "sehr lang": ("a" * 100_000, "100000 Zeichen lang"),
    "leer": ("", "darf nicht leer sein"),
    "Punkt am Anfang": (".admin", "muss mit einem Buchstaben oder einer Ziffer beginnen"),
    "Bindestrich am Anfang": ("-admin", "muss mit einem Buchstaben oder einer Ziffer beginnen"),
}


@pytest.fixture
def datei(tmp_path):
    datei = tmp_path / "konten.toml"
    kontodatei.konto_anlegen(datei, "Admin", regeln.ADMIN, [], GUT)
    kontodatei.konto_anlegen(datei, "r.belm", regeln.REDAKTION, [BELM], "Belm-Passwort-2026")
    return datei


@pytest.mark.parametrize("fall", list(SCHLECHTE_NAMEN))
def test_each_bad_account_name_is_refused_and_leaves_the_file_byte_identical(datei, fall):
    name, meldung = SCHLECHTE_NAMEN[fall]
    vorher, zeit = datei.read_bytes(), datei.stat().st_mtime_ns
    with pytest.raises(Ungueltig) as info:
        kontodatei.konto_anlegen(datei, name, regeln.ADMIN, [], GUT)
    assert meldung in str(info.value)
    assert all(ch.isprintable() for ch in str(info.value))  # the message shows no raw control
    assert datei.read_bytes() == vorher and datei.stat().st_mtime_ns == zeit
    assert sorted(p.name for p in datei.parent.iterdir()) == ["konten.toml"]  # no temp file
    assert set(kontodatei.lade_konten(datei)) == {"Admin", "r.belm"}


@pytest.mark.parametrize("name", ["admin", "ADMIN", "aDmIn", "\u0430dmin".upper().lower(),
                                  "R.BELM", "r.Belm"])
def test_a_duplicate_under_case_folding_is_refused(datei, name):
    vorher = datei.read_bytes()
    with pytest.raises(Ungueltig) as info:
        kontodatei.konto_anlegen(datei, name, regeln.ADMIN, [], GUT, ueberschreiben=True)
    assert "gibt es bereits" in str(info.value) or "mischt" in str(info.value)
    assert datei.read_bytes() == vorher


def test_a_whole_script_look_alike_is_a_duplicate(tmp_path):
    """"аре" (all Cyrillic) is one script, but looks like the Latin "ape"."""
    datei = tmp_path / "konten.toml"
    kontodatei.konto_anlegen(datei, "ape", regeln.ADMIN, [], GUT)
    vorher = datei.read_bytes()
    with pytest.raises(Ungueltig, match="gleich aussehenden Zeichen"):
        kontodatei.konto_anlegen(datei, "\u0430\u0440\u0435", regeln.ADMIN, [], GUT)
    assert datei.read_bytes() == vorher


def test_good_names_letters_of_one_script_digits_and_dot_underscore_dash_at(tmp_path):
    datei = tmp_path / "konten.toml"
    for name in ("müller", "b.beispiel", "r_belm-2", "cdo@landkreis.example.org", "Zoë.Åström",
                 "e\u0301cole"):  # decomposed é is stored composed (NFC, no visible change)
        kontodatei.konto_anlegen(datei, name, regeln.ADMIN, [], GUT)
    assert "\u00e9cole" in kontodatei.lade_konten(datei)


def test_other_fields_are_checked_before_writing_too(datei):
    vorher = datei.read_bytes()
    with pytest.raises(Ungueltig, match="Verwaltungsschlüssel „0345\\x01“|Verwaltungsschlüssel"):
        kontodatei.konto_anlegen(datei, "neu.konto", regeln.REDAKTION, ["0345\x01"], GUT)
    with pytest.raises(Ungueltig, match="E-Mail-Adresse"):
        kontodatei.konto_anlegen(datei, "neu.konto", regeln.ADMIN, [], None, email="a@b\x7fc")
    assert datei.read_bytes() == vorher


# --- The password policy wherever a password is set ----------------------------------------------
SCHLECHTE_PASSWOERTER = {
    "zu kurz": ("Kurz-1234", "mindestens 10 Zeichen"),
    "ein wiederholtes Zeichen": ("aaaaaaaaaaaa", "einem wiederholten Zeichen"),
    "ein wiederholtes Zeichen (Großbuchstaben)": ("XXXXXXXXXXXX", "einem wiederholten Zeichen"),
    "wiederholter Block": ("abcabcabcabc", "Wiederholung von 3 Zeichen"),
    "Ziffernfolge": ("1234567890", "einfache Zeichenfolge"),
    "Ziffernfolge rückwärts": ("9876543210", "einfache Zeichenfolge"),
    "Alphabet": ("abcdefghij", "einfache Zeichenfolge"),
    "Alphabet groß": ("ABCDEFGHIJKL", "einfache Zeichenfolge"),
    "Tastaturreihe": ("qwertzuiop", "einfache Zeichenfolge"),
    "Benutzername": ("xx-neu.konto-2026", "enthält den Benutzernamen"),
    "Benutzername groß": ("NEU.KONTO-geheim-77", "enthält den Benutzernamen"),
    "häufiges Passwort": ("Passwort123", "sehr häufigen Passwort „passwort“"),
    "häufiges Passwort mit Jahr": ("Sommer2026!", "„sommer“"),
    "häufiges Passwort Landkreis": ("Landkreis2026", "„landkreis“"),
    "Steuerzeichen": ("Gutes-Pass\x00wort-77", "Steuer- oder unsichtbares Formatzeichen"),
    "zu lang": ("Ab1-" * 100, "höchstens 256 Zeichen"),
}


@pytest.mark.parametrize("fall", list(SCHLECHTE_PASSWOERTER))
def test_each_password_rule_refuses_in_german(datei, fall):
    passwort, meldung = SCHLECHTE_PASSWOERTER[fall]
    with pytest.raises(Ungueltig) as info:
        regeln.pruefe_passwort_regeln(passwort, "neu.konto")
    assert any(meldung in f for f in info.value.fehler), info.value.fehler
    vorher = datei.read_bytes()
    with pytest.raises(Ungueltig):  # creating an account …
        kontodatei.konto_anlegen(datei, "neu.konto", regeln.ADMIN, [], passwort)
    with pytest.raises(Ungueltig):  # … and changing a password: the same rules
        kontodatei.passwort_setzen(datei, "r.belm", re.sub("neu.konto", "r.belm", passwort,
                                                           flags=re.IGNORECASE))
    assert datei.read_bytes() == vorher


def test_every_broken_rule_is_listed_and_good_passwords_pass():
    with pytest.raises(Ungueltig) as info:
        regeln.pruefe_passwort_regeln("admin", "admin")
    assert len(info.value.fehler) == 3  # too short, contains the name, very common
    for gut in (GUT, "Belm-Passwort-2026", "korrekt Pferd Batterie Heftklammer", "8395027461x"):
        regeln.pruefe_passwort_regeln(gut, "r.belm")


def test_the_email_local_part_counts_as_the_name():
    with pytest.raises(Ungueltig, match="enthält den Benutzernamen"):
        regeln.pruefe_passwort_regeln("Mueller.Anna-2026", "mueller.anna@kreis.example.org")


def test_passwort_setzen_changes_only_the_hash(datei):
    alt = kontodatei.lade_konten(datei)["r.belm"]
    kontodatei.passwort_setzen(datei, "R.Belm", "Neues-Belm-Kennwort-9")
    neu = kontodatei.lade_konten(datei)["r.belm"]
    assert neu.passwort_hash != alt.passwort_hash and neu.verwaltungen == alt.verwaltungen
    assert kontodatei.anmelden(datei, "r.belm", "Neues-Belm-Kennwort-9") is not None
    assert kontodatei.anmelden(datei, "r.belm", "Belm-Passwort-2026") is None
    with pytest.raises(Ungueltig, match="gibt es nicht"):
        kontodatei.passwort_setzen(datei, "niemand", GUT)


def test_login_finds_the_account_regardless_of_case(datei):
    assert kontodatei.anmelden(datei, " R.BELM ", "Belm-Passwort-2026").name == "r.belm"


# --- Atomic writes and broken files --------------------------------------------------------------
def test_a_crash_while_writing_leaves_the_old_file(datei, monkeypatch):
    vorher = datei.read_bytes()

    def absturz(*_args):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(kontodatei.os, "replace", absturz)
    with pytest.raises(OSError):
        kontodatei.konto_anlegen(datei, "neu.konto", regeln.ADMIN, [], GUT)
    assert datei.read_bytes() == vorher
    assert sorted(p.name for p in datei.parent.iterdir()) == ["konten.toml"]


def test_the_write_is_fsynced_before_the_rename(datei, monkeypatch):
    ablauf = []
    fsync, replace = os.fsync, os.replace
    monkeypatch.setattr(kontodatei.os, "fsync", lambda fd: ablauf.append("fsync") or fsync(fd))
    monkeypatch.setattr(kontodatei.os, "replace",
                        lambda a, b: ablauf.append("replace") or replace(a, b))
    kontodatei.konto_anlegen(datei, "neu.konto", regeln.ADMIN, [], GUT)
    assert ablauf[:2] == ["fsync", "replace"]


@pytest.mark.parametrize("inhalt, meldung", [
    ('[konten."admin"]\nrolle = "Kreis-Administration\n', "kein gültiges TOML (Zeile 2"),
    ('[konten."ad\x7fmin"]\nrolle = "Lesen"\n', "kein gültiges TOML"),
    (b'[konten."m\xfcller"]\n', "nicht UTF-8-kodiert"),
    ('konten = 5\n', "„konten“ ist keine Tabelle"),
    ('[konten]\nadmin = "x"\n', "ist keine Tabelle"),
    ('[konten.admin]\nrolle = "Lesen"\nverwaltungen = "034590008"\n', "vom falschen Typ"),
    ('[konten.admin]\nrolle = "Chef"\n', "unbekannte Rolle"),
])
def test_a_broken_file_gives_a_german_message_and_is_never_overwritten(tmp_path, inhalt,
                                                                       meldung):
    datei = tmp_path / "konten.toml"
    (datei.write_bytes if isinstance(inhalt, bytes) else datei.write_text)(inhalt)
    vorher = datei.read_bytes()
    with pytest.raises(Ungueltig) as info:
        kontodatei.lade_konten(datei)
    assert meldung in str(info.value) and str(datei) in str(info.value)
    with pytest.raises(Ungueltig):
        kontodatei.konto_anlegen(datei, "neu.konto", regeln.ADMIN, [], GUT)
    assert datei.read_bytes() == vorher
    assert kontodatei.anmelden(datei, "admin", GUT) is None  # no traceback


def test_an_old_file_with_a_name_the_rules_now_refuse_still_loads(tmp_path):
    """Written before issue #18: still readable, nobody is locked out."""
    datei = tmp_path / "konten.toml"
    hash_ = kontodatei.hash_passwort(GUT)
    datei.write_text(f'[konten."x"]\nrolle = "Lesen"\npasswort_hash = "{hash_}"\n')
    assert kontodatei.anmelden(datei, "x", GUT).name == "x"
