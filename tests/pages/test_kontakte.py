"""Issue #15, point 6: personal contact data (e-mail, phone) only for signed-in users.

Every page of the registry and every one of its tabs (and the collapsed Bundesvergleich of the
Verwaltung page, the short profile beside the map) is run anonymously; no string the app sends
may contain an e-mail address or a phone number (kreis_data.kontakte's patterns, on the text as
the reader sees it). Names and roles stay visible. A signed-in Redaktion sees e-mail and phone
where contacts are shown (Steckbrief, "Wer kann helfen?", EfA chances) – and nobody sees them in
presentation mode."""
from __future__ import annotations

import pandas as pd
import pytest

from kreis_data import kontakte
from kreis_data.konten import regeln
from tests.pages.apptest_helpers import open_page, sichtbar
from tests.pages.test_nutzertext import FAELLE, _elemente, _strings

ARTLAND = "034595401"
BERSENBRUECK_MAIL = "anna.ostendorf@sg-bersenbrueck.example.org"  # a neighbour's contact (demo)
REDAKTION = regeln.Benutzer("cdo.artland", regeln.REDAKTION, frozenset({ARTLAND}))
EXTRA = [("pages/verwaltung.py", "verwaltung_bundesvergleich", True),  # the collapsed expander
         ("pages/karte.py", None, None)]  # ?verwaltung= selects Artland: its short profile


def gesendeter_text(at) -> str:
    """Every string of every element of the run and every cell of its tables, as the reader
    sees it (escapes undone)."""
    texte = [text for knoten in _elemente(at._tree)
             if (proto := getattr(knoten, "proto", None)) is not None and hasattr(proto, "ListFields")
             for _, _, text in _strings(proto, type(proto).__name__)]
    for tabelle in [*at.table, *at.dataframe]:  # their cells are Arrow data, not strings
        frame = tabelle.value
        texte += [str(w) for w in [*frame.columns, *frame.to_numpy().ravel()]]
    return sichtbar("\n".join(texte))


def test_muster_finden_mail_und_telefon_aber_keine_daten_und_schluessel():
    gefunden = kontakte.enthaelt_kontaktdaten(
        "Anna · anna@sg.example.org · +49 5400 472-16 · 05401 123-45 · [x](tel:+4954001)")
    assert len(gefunden) == 4
    assert not kontakte.enthaelt_kontaktdaten(
        "Stand 2026-05-21, Schlüssel 034595401, 23.444 Einwohner, Stufe 0-4, Index 0,15")


def test_ohne_kontaktdaten_laesst_name_und_verwaltung():
    frame = pd.DataFrame({"adopter": ["Bersenbrück"], "ansprechperson": ["Anna Ostendorf"],
                          "ansprechperson_email": ["a@b.de"], "ansprechperson_telefon": ["+49 5400 1-2"],
                          "kontakt": ["Anna Ostendorf · a@b.de · +49 5400 1-2"]})
    ohne = kontakte.ohne_kontaktdaten(frame)
    assert list(ohne.columns) == ["adopter", "ansprechperson", "kontakt"]
    assert ohne.iloc[0].tolist() == ["Bersenbrück", "Anna Ostendorf", "Anna Ostendorf"]
    assert kontakte.ohne_kontaktangaben("Frau X, x@y.de, 05401 123-45") == (
        f"Frau X, {kontakte.ERSETZT}, {kontakte.ERSETZT}")


FAELLE_ANONYM = [(s, k, t) for s, k, t in FAELLE] + EXTRA


@pytest.mark.parametrize(("seite", "key", "wert"), FAELLE_ANONYM,
                         ids=[f"{s.removeprefix('pages/')}-{w or ''}" for s, _, w in FAELLE_ANONYM])
def test_anonym_sieht_keine_mail_und_kein_telefon(app_env, seite, key, wert):
    at = open_page(seite, {"verwaltung": ARTLAND}, session={key: wert} if key else None)
    text = gesendeter_text(at)
    assert not kontakte.enthaelt_kontaktdaten(text), kontakte.enthaelt_kontaktdaten(text)[:5]


def test_anonym_sieht_namen_und_rolle(app_env):
    text = gesendeter_text(open_page("pages/verwaltung.py", {"verwaltung": ARTLAND}))
    assert "**Anna Ostendorf**, Digitalisierungsbeauftragte" in text  # the neighbour who helps
    assert kontakte.NACH_ANMELDUNG in text  # says why e-mail and phone are missing


@pytest.mark.parametrize(("seite", "session"), [
    ("pages/verwaltung.py", None),  # Wer kann helfen?, EfA cards, Ansprechperson
    ("pages/efa.py", None),  # cards and table of the chances
    ("pages/karte.py", None),  # the short profile beside the map
])
def test_redaktion_sieht_mail_und_telefon(app_env, seite, session):
    at = open_page(seite, {"verwaltung": ARTLAND}, session=session, login=REDAKTION)
    text = gesendeter_text(at)
    gefunden = kontakte.enthaelt_kontaktdaten(text)
    assert any("@" in g for g in gefunden) and any("@" not in g for g in gefunden), gefunden
    assert kontakte.NACH_ANMELDUNG not in text


def test_redaktion_sieht_die_mail_des_nachbarn_der_helfen_kann(app_env):
    at = open_page("pages/verwaltung.py", {"verwaltung": ARTLAND}, login=REDAKTION)
    helfen = sichtbar("\n".join(m.value for m in at.markdown))
    assert f"[{BERSENBRUECK_MAIL}](mailto:{BERSENBRUECK_MAIL})" in helfen
    assert "(tel:+4954" in helfen  # phone as a tel: link


@pytest.mark.parametrize("seite", ["pages/lagebild.py", "pages/karte.py",
                                   "pages/quartalsreview.py"])
def test_praesentation_zeigt_keine_kontaktdaten_auch_angemeldet(app_env, seite):
    at = open_page(seite, {"verwaltung": ARTLAND, "modus": "praesentation"}, login=REDAKTION)
    text = gesendeter_text(at)
    assert not kontakte.enthaelt_kontaktdaten(text), kontakte.enthaelt_kontaktdaten(text)[:5]
