"""Self-assessment form: prefill, optimistic concurrency (stale writes refused), quality flags."""
from __future__ import annotations

import datetime as dt

import pytest

from kreis_data import scales
from kreis_data.audit import load_audit
from kreis_data.bewertungen.lesen import Wert, lade_formular, qualitaet
from kreis_data.bewertungen.schreiben import speichere_formular
from kreis_data.fehler import NichtErlaubt, Ungueltig, Veraltet
from kreis_data.konten import regeln

MELLE = "034590024"
ANNA = regeln.Benutzer("Anna Admin", regeln.ADMIN)
BERT = regeln.Benutzer("Bert Redaktion", regeln.REDAKTION, frozenset({MELLE}))


def test_second_save_of_a_stale_form_is_refused_naming_the_first_user(small_engine):
    form_a = lade_formular(small_engine, MELLE, "2026-Q3")
    form_b = lade_formular(small_engine, MELLE, "2026-Q3")
    vorher = len(load_audit(small_engine))

    werte_a = {**form_a.werte(), "e_akte": Wert(4, "Selbstauskunft", dt.date(2026, 9, 20))}
    speichere_formular(small_engine, ANNA, MELLE, "2026-Q3", werte_a, form_a.gesehene_versionen)

    werte_b = {**form_b.werte(), "e_akte": Wert(1, "Selbstauskunft", dt.date(2026, 9, 21)),
               "scannen": Wert(2)}
    with pytest.raises(Veraltet) as info:
        speichere_formular(small_engine, BERT, MELLE, "2026-Q3", werte_b,
                           form_b.gesehene_versionen)
    meldung = str(info.value)
    assert [(k["merkmal_key"], k["benutzer"]) for k in info.value.konflikte] == [
        ("e_akte", "Anna Admin")]
    assert "E-Akte (Stadt Melle) wurde von Anna Admin am" in meldung
    assert "Es wurde nichts gespeichert" in meldung

    audit = load_audit(small_engine)
    neu = audit.iloc[: len(audit) - vorher]
    assert set(neu["Benutzer*in"]) == {"Anna Admin"}  # Bert's save wrote nothing
    stufe = neu[neu["Feld"] == "stufe"]
    assert stufe[["Schlüssel", "alt", "neu"]].values.tolist() == [
        [f"{MELLE}/e_akte/2026-Q3", "3", "4"]]
    nachher = lade_formular(small_engine, MELLE, "2026-Q3")
    assert nachher.werte()["e_akte"].stufe == 4
    assert nachher.werte()["scannen"].stufe is None
    assert nachher.zuletzt_von == "Anna Admin" and nachher.zuletzt_am is not None

    # after reloading, Bert can save
    werte_b = {**nachher.werte(), "scannen": Wert(2)}
    speichere_formular(small_engine, BERT, MELLE, "2026-Q3", werte_b, nachher.gesehene_versionen)
    assert lade_formular(small_engine, MELLE, "2026-Q3").werte()["scannen"] == Wert(
        2, "Selbstauskunft")


def test_a_row_created_meanwhile_is_a_conflict_too(small_engine):
    form_a = lade_formular(small_engine, MELLE, "2026-Q3")
    form_b = lade_formular(small_engine, MELLE, "2026-Q3")
    assert form_a.gesehene_versionen["e_vergabe"] is None
    speichere_formular(small_engine, ANNA, MELLE, "2026-Q3", {"e_vergabe": Wert(2)},
                       form_a.gesehene_versionen)
    with pytest.raises(Veraltet, match="E-Vergabe .* von Anna Admin"):
        speichere_formular(small_engine, BERT, MELLE, "2026-Q3", {"e_vergabe": Wert(3)},
                           form_b.gesehene_versionen)


def test_unchanged_form_writes_nothing(small_engine):
    form = lade_formular(small_engine, MELLE, "2026-Q3")
    vorher = len(load_audit(small_engine))
    assert speichere_formular(small_engine, ANNA, MELLE, "2026-Q3", form.werte(),
                              form.gesehene_versionen) == []
    assert len(load_audit(small_engine)) == vorher


def test_new_quarter_is_prefilled_from_the_previous_one(small_engine):
    form = lade_formular(small_engine, MELLE, "2026-Q4")
    zeilen = {z.merkmal.key: z for z in form.zeilen}
    assert len(zeilen) == len(scales.STANDARD_MERKMALE)  # every Merkmal
    assert zeilen["e_akte"].wert.stufe == 3 and zeilen["e_akte"].vorbefuellt_aus == "2026-Q3"
    assert zeilen["e_akte"].version is None
    assert zeilen["scannen"].wert == Wert(None) and zeilen["scannen"].vorbefuellt_aus is None
    # saving confirms the suggestions for the new quarter (with their old Stand)
    speichere_formular(small_engine, ANNA, MELLE, "2026-Q4", form.werte(),
                       form.gesehene_versionen)
    neu = lade_formular(small_engine, MELLE, "2026-Q4")
    assert neu.werte()["e_akte"] == Wert(3, "Selbstauskunft", dt.date(2026, 9, 15),
                                         "Bauamt und Ordnungsamt umgestellt")
    assert {z.merkmal.key for z in neu.zeilen if z.version is not None} == {
        "e_akte", "online_portal", "digitallotsen"}


def test_quality_flags(small_engine):
    flags = qualitaet(small_engine, "2026-Q3")
    by = {(r["Hinweis"], r["Verwaltungsschlüssel"], r["Merkmal"]) for r in flags.to_dict("records")}
    # Kreisverwaltung e_akte has no Stand; Fürstenau strategie Stand 01.07.2026 is in Q3 (fine)
    assert ("Stand fehlt", "03459", "E-Akte") in by
    assert not any(h == "Wert veraltet" for h, _, _ in by)
    flags_q4 = qualitaet(small_engine, "2026-Q4")
    hinweise = flags_q4["Hinweis"].tolist()
    assert hinweise.count("keine Meldung") == 3  # nobody reported for Q4 yet
    assert "letzte Meldung: 3. Quartal 2026" in " ".join(flags_q4["Details"])

    speichere_formular(small_engine, ANNA, MELLE, "2026-Q4",
                       {"e_akte": Wert(3, None, dt.date(2026, 6, 1))}, {"e_akte": None})
    flags_q4 = qualitaet(small_engine, "2026-Q4")
    rows = flags_q4[flags_q4["Verwaltungsschlüssel"] == MELLE]
    assert rows["Hinweis"].tolist() == ["Wert veraltet"]
    assert "Stand 01.06.2026 liegt vor dem 4. Quartal 2026" in rows["Details"].iloc[0]


def test_value_without_quelle_is_flagged(small_engine):
    from kreis_data.database import transaction
    from kreis_data.model import Bewertung

    with transaction(small_engine) as session:
        session.add(Bewertung(verwaltung_key=MELLE, merkmal_key="scannen", quartal="2026-Q3",
                              stufe=2, quelle=None, stand=dt.date(2026, 8, 1)))
    flags = qualitaet(small_engine, "2026-Q3")
    assert ("Quelle fehlt", "Scannen") in set(zip(flags["Hinweis"], flags["Merkmal"], strict=True))


def test_refusals_write_nothing(small_engine):
    """Not signed in, a foreign Verwaltung, an invalid Stufe: refused, nothing written."""
    form = lade_formular(small_engine, "034595402", "2026-Q3")
    vorher = len(load_audit(small_engine))
    werte = {"e_akte": Wert(2)}
    with pytest.raises(NichtErlaubt):
        speichere_formular(small_engine, None, MELLE, "2026-Q3", werte, {"e_akte": 1})
    with pytest.raises(NichtErlaubt):
        speichere_formular(small_engine, BERT, "034595402", "2026-Q3", werte,
                           form.gesehene_versionen)
    with pytest.raises(Ungueltig, match="Stufe 9 ist für E-Akte nicht erlaubt"):
        speichere_formular(small_engine, ANNA, "034595402", "2026-Q3", {"e_akte": Wert(9)},
                           form.gesehene_versionen)
    assert len(load_audit(small_engine)) == vorher
