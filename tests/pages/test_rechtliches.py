"""Impressum, Datenschutzerklärung and Erklärung zur Barrierefreiheit: the operator's facts from
the configuration (shown as plain text), a clear note when they are missing, never an invented
operator."""
import pytest

from components.seiten import BARRIEREFREIHEIT, DATENSCHUTZ, IMPRESSUM
from kreis_data.betreiber import BETREIBER_ENV
from tests.pages.apptest_helpers import all_text, open_page

RECHTLICHES = [IMPRESSUM.datei, DATENSCHUTZ.datei, BARRIEREFREIHEIT.datei]


@pytest.fixture
def betreiber_datei(tmp_path, monkeypatch):
    datei = tmp_path / "betreiber.toml"
    datei.write_text(
        'name = "Landkreis *Muster*"\nanschrift = "Am Kreishaus 1\\n12345 Musterstadt"\n'
        'vertreten_durch = "Landrätin [Erika](http://evil.example/) Mustermann"\n'
        'email = "digital@muster.example"\nbarrierefreiheit_pruefung = "15.10.2026"\n'
        'schlichtungsstelle = "Ombudsstelle des Landes"\n', encoding="utf-8")
    monkeypatch.setenv(BETREIBER_ENV, str(datei))
    return datei


@pytest.mark.parametrize("page", RECHTLICHES)
def test_without_configuration_the_page_says_what_the_operator_must_enter(
        app_env, tmp_path, monkeypatch, page):
    monkeypatch.setenv(BETREIBER_ENV, str(tmp_path / "fehlt.toml"))
    at = open_page(page)
    hinweis = " ".join(w.value for w in at.warning)
    assert "noch keine Betreiberangaben hinterlegt" in hinweis
    assert "docs/betreiber.beispiel.toml" in hinweis


def test_impressum_shows_the_configured_operator_as_plain_text(app_env, betreiber_datei):
    at = open_page(IMPRESSUM.datei)
    text = all_text(at)
    assert "Landkreis *Muster*" in text and "12345 Musterstadt" in text
    assert "Landrätin [Erika](http://evil.example/) Mustermann" in text  # not a link
    quelle = " ".join(m.value for m in at.markdown)
    assert "](http://evil" not in quelle and "\\*Muster\\*" in quelle


def test_barrierefreiheit_names_the_date_of_the_last_check_and_the_known_barriers(
        app_env, betreiber_datei):
    text = all_text(open_page(BARRIEREFREIHEIT.datei))
    assert "Letzte Prüfung: 15.10.2026" in text
    assert "teilweise" in text and "Tabelle zur Karte" in text
    assert "Ombudsstelle des Landes" in text


def test_datenschutz_lists_what_is_stored_about_persons(app_env, betreiber_datei):
    at = open_page(DATENSCHUTZ.datei)
    tabelle = at.table[0].value
    assert "Anmeldeversuche" in tabelle.index and "Änderungsprotokoll" in tabelle.index
    assert "Art. 77 DSGVO" in all_text(at)


def test_a_broken_configuration_is_shown_in_german_and_the_page_still_opens(
        app_env, betreiber_datei):
    betreiber_datei.write_text('name = "x"\n', encoding="utf-8")
    at = open_page(IMPRESSUM.datei)
    fehler = " ".join(e.value for e in at.error)
    assert "Betreiberangaben dieser Installation sind fehlerhaft" in fehler
    assert "anschrift" in fehler
