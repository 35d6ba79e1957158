"""The operator configuration of the legal pages: read from TOML, every mistake refused in German
naming file, key and what is allowed; no file means no operator (never an invented one)."""
import datetime as dt
from pathlib import Path

import pytest

from kreis_data import betreiber as b
from kreis_data.fehler import Ungueltig

BEISPIEL = Path(__file__).resolve().parents[2] / "docs" / "betreiber.beispiel.toml"


def test_the_documented_template_is_a_valid_configuration():
    betreiber = b.lade_betreiber(BEISPIEL)
    assert betreiber.name == "Landkreis Musterkreis"
    assert betreiber.anschrift.splitlines()[-1] == "12345 Musterstadt"
    assert betreiber.barrierefreiheit_pruefung == dt.date(2026, 10, 15)


def test_no_file_means_no_operator(tmp_path, monkeypatch):
    monkeypatch.setenv(b.BETREIBER_ENV, str(tmp_path / "fehlt.toml"))
    assert b.lade_betreiber() is None


def _schreibe(tmp_path, text: str) -> Path:
    datei = tmp_path / "betreiber.toml"
    datei.write_text(text, encoding="utf-8")
    return datei


PFLICHT = 'name = "LK"\nanschrift = "A 1"\nvertreten_durch = "L"\nemail = "a@b.example"\n'


@pytest.mark.parametrize("text, meldung", [
    ('name = "LK"\n', "„anschrift“ fehlt (Postanschrift)"),
    (PFLICHT + 'homepage = "x"\n', "unbekannter Eintrag „homepage“ – erlaubt sind"),
    (PFLICHT + "telefon = 123\n", "„telefon“ muss Text in Anführungszeichen sein"),
    (PFLICHT + f'betrieb = "{"x" * 2001}"\n', "„betrieb“ hat 2001 Zeichen – erlaubt sind höchstens 2000"),
    (PFLICHT + 'barrierefreiheit_pruefung = "2026-10-15"\n', "ist kein Datum – erwartet wird TT.MM.JJJJ"),
    (PFLICHT + 'barrierefreiheit_pruefung = "01.01.2099"\n', "erlaubt ist ein Datum ab 01.01.2018"),
    ('name = "LK\n', "ist kein gültiges TOML (1. Zeile"),
])
def test_a_broken_configuration_is_refused_in_german(tmp_path, text, meldung):
    with pytest.raises(Ungueltig) as fehler:
        b.lade_betreiber(_schreibe(tmp_path, text))
    assert any(meldung in f and "betreiber.toml" in f for f in fehler.value.fehler), fehler.value.fehler


def test_an_oversized_or_binary_file_is_refused(tmp_path):
    gross = _schreibe(tmp_path, "# " + "x" * 70_000)
    with pytest.raises(Ungueltig, match="größer als 64 KB"):
        b.lade_betreiber(gross)
    gross.write_bytes(b"\xff\xfe\x00binary")
    with pytest.raises(Ungueltig, match="keine UTF-8-Textdatei"):
        b.lade_betreiber(gross)
