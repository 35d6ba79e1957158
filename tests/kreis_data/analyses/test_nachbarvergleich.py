"""Neighbour comparison: the matrix and the "who can help" lines."""
import pandas as pd

from kreis_data import scales
from kreis_data.analyses import nachbarvergleich as nv
from tests.kreis_data.karten_frames import (
    BE,
    NACHBARN,
    OC,
    QUARTAL,
    SG,
    STANDARD_WERTE,
    bewertungen,
    verwaltungen,
)

MERKMALE = list(scales.STANDARD_MERKMALE)


def test_matrix_has_merkmale_as_rows_and_the_verwaltung_first_then_neighbours_by_name():
    stufen = nv.matrix(SG, NACHBARN, bewertungen(STANDARD_WERTE), MERKMALE, verwaltungen())
    assert list(stufen.columns) == [SG, BE, OC]  # Artland, then Belm, Ostercappeln
    assert list(stufen.index) == [m.key for m in MERKMALE]
    assert stufen.at["e_akte", OC] == 3
    assert pd.isna(stufen.at["e_akte", BE])  # keine Angabe stays NA, never 0
    tabelle = nv.matrix_tabelle(stufen, MERKMALE, verwaltungen())
    assert list(tabelle.columns) == ["Artland", "Belm", "Ostercappeln"]
    assert tabelle.at["E-Akte", "Belm"] == "keine Angabe"
    assert tabelle.at["E-Akte", "Ostercappeln"] == "3 – in einigen Fachverfahren eingeführt"


def test_hinweise_name_who_is_further_by_how_much_and_whom_to_call():
    lines = nv.hinweise(SG, NACHBARN, bewertungen(STANDARD_WERTE), MERKMALE, verwaltungen())
    assert lines == [
        "Ostercappeln ist bei E-Akte zwei Stufen weiter („in einigen Fachverfahren "
        "eingeführt“) – Ansprechperson: Vera Nieporte (vera@example.org, +49 5473 2)",
        "Belm ist bei Online-Portal zwei Stufen weiter („transaktional: Servicekonto/BundID, "
        "E-Payment, Rückkanal“) – keine Ansprechperson benannt",
        "Ostercappeln hat bei „Digitallots*innen vorhanden“ bereits „ja“ – Ansprechperson: "
        "Vera Nieporte (vera@example.org, +49 5473 2)",
    ]


def test_no_hint_without_own_value_or_when_the_neighbour_is_not_further():
    werte = {(OC, "e_akte"): None, (SG, "e_akte"): 4, (BE, "e_akte"): 2,
             (OC, "strategie"): 3, (SG, "strategie"): 3}
    assert nv.hinweise(OC, NACHBARN, bewertungen(werte), MERKMALE, verwaltungen()) == []
    assert nv.hinweise(SG, NACHBARN, bewertungen(werte), MERKMALE, verwaltungen()) == []


def test_number_words_and_contact_text():
    assert [nv.stufen_text(d) for d in (1, 2, 3, 4)] == [
        "eine Stufe", "zwei Stufen", "drei Stufen", "vier Stufen"]
    assert nv.ansprechperson({"kontakt": "Stefan Rehling", "kontakt_email": None,
                              "kontakt_telefon": "+49 541 3"}) == "Stefan Rehling (+49 541 3)"
    assert nv.ansprechperson({"kontakt": None}) == "keine Ansprechperson benannt"


def test_a_verwaltung_without_neighbours_gets_a_one_column_matrix_and_no_hints():
    stufen = nv.matrix("03459", NACHBARN, bewertungen(STANDARD_WERTE), MERKMALE,
                       verwaltungen())
    assert list(stufen.columns) == ["03459"]
    assert nv.hinweise("03459", NACHBARN, bewertungen(STANDARD_WERTE), MERKMALE,
                       verwaltungen()) == []


def test_demo_artland_is_compared_with_its_real_neighbours(demo_engine):
    stufen, lines = nv.vergleich(demo_engine, SG, QUARTAL)
    assert stufen.columns[0] == SG and len(stufen.columns) >= 3
    assert all(" weiter (" in line or " bereits " in line for line in lines)
    assert all("Ansprechperson: " in line or line.endswith("keine Ansprechperson benannt")
               for line in lines)
