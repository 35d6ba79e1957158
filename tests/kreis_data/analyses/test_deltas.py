"""Quartalsreview deltas on hand-made data, and writing a Maßnahme (validation, audit, version)."""
from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
from sqlalchemy.orm import Session

from kreis_data import scales
from kreis_data.analyses import deltas
from kreis_data.database import transaction
from kreis_data.model import Aufgabe, Massnahme, Meilenstein, Sitzung
from kreis_data.steuerung import lesen as steuerung_lesen

MERKMALE = [scales.E_AKTE, scales.ONLINE_PORTAL, scales.DIGITALLOTSEN]
NAMEN = {"A": "Altstadt", "B": "Bergdorf", "C": "Chausseedorf"}


def _bewertungen(rows: list[tuple[str, str, str, int | None, dt.date | None]]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=["verwaltung_key", "merkmal_key", "quartal", "stufe",
                                        "stand"])
    frame["stufe"] = frame["stufe"].astype("Int64")
    return frame


def test_improvement_fall_back_and_new_value_are_told_apart_with_labels():
    bew = _bewertungen([
        ("A", "e_akte", "2026-Q2", 2, None), ("A", "e_akte", "2026-Q3", 3, None),
        ("B", "e_akte", "2026-Q2", 4, None), ("B", "e_akte", "2026-Q3", 1, None),
        ("C", "e_akte", "2026-Q2", 2, None), ("C", "e_akte", "2026-Q3", 2, None),
        ("A", "online_portal", "2026-Q2", None, None), ("A", "online_portal", "2026-Q3", 3, None),
        ("B", "online_portal", "2026-Q2", 1, None),  # no row in Q3: Angabe entfallen
        ("C", "digitallotsen", "2026-Q2", 0, None), ("C", "digitallotsen", "2026-Q3", 1, None),
    ])
    aenderungen = deltas.stufen_aenderungen(bew, "2026-Q3", "2026-Q2", MERKMALE, NAMEN)
    by = {(r.verwaltung, r.merkmal): r for r in aenderungen.itertuples()}
    assert by[("Altstadt", "E-Akte")].richtung == deltas.VERBESSERUNG
    assert by[("Altstadt", "E-Akte")].alt_label == "2 – in Einführung"
    assert by[("Altstadt", "E-Akte")].neu_label == "3 – in einigen Fachverfahren eingeführt"
    assert by[("Bergdorf", "E-Akte")].richtung == deltas.RUECKSCHRITT
    assert ("Chausseedorf", "E-Akte") not in by  # unchanged
    assert by[("Altstadt", "Online-Portal")].richtung == deltas.NEU_ERFASST
    assert by[("Altstadt", "Online-Portal")].alt_label == scales.KEINE_ANGABE
    assert by[("Bergdorf", "Online-Portal")].richtung == deltas.ENTFALLEN
    assert by[("Chausseedorf", "Digitallots*innen vorhanden")].neu_label == "ja"

    je = deltas.je_merkmal(aenderungen, bew, "2026-Q3", "2026-Q2", MERKMALE).set_index(
        "merkmal_key")
    assert je.loc["e_akte", ["verbesserungen", "rueckschritte", "unveraendert"]].tolist() == [
        1, 1, 1]
    assert je.loc["online_portal", ["neu_erfasst", "entfallen"]].tolist() == [1, 1]
    assert je.loc["e_akte", "mittel_vorher"] == pytest.approx(8 / 3)
    assert je.loc["e_akte", "mittel_jetzt"] == pytest.approx(2.0)


def test_stale_data_is_a_value_with_a_stand_before_the_start_of_the_quarter():
    """The one rule of "veraltet" (bewertungen.regeln), the same as the Datenpflege's."""
    assert deltas.veraltet_grenze("2026-Q3") == dt.date(2026, 7, 1)
    assert deltas.veraltet_grenze("2026-Q1") == dt.date(2026, 1, 1)
    verwaltungen = pd.DataFrame({"key": ["A", "B", "C", "D"],
                                 "name": ["Altstadt", "Bergdorf", "Chausseedorf", "Dorfen"]})
    bew = _bewertungen([
        ("A", "e_akte", "2026-Q3", 3, dt.date(2026, 7, 1)),  # exactly at the limit: current
        ("B", "e_akte", "2026-Q3", 2, dt.date(2026, 6, 30)),  # one day too old
        ("B", "online_portal", "2026-Q3", 2, dt.date(2026, 8, 1)),
        ("C", "e_akte", "2026-Q3", 2, None),  # no Stand: "Stand fehlt", not veraltet
        ("D", "e_akte", "2026-Q2", 2, dt.date(2026, 6, 1)),  # nothing in Q3
    ])
    veraltet = deltas.veraltete_daten(bew, verwaltungen, "2026-Q3").set_index("verwaltung")
    assert list(veraltet.index) == ["Bergdorf", "Dorfen"]
    assert veraltet.loc["Bergdorf", "grund"] == "1 von 2 Werten mit Stand vor dem 01.07.2026"
    assert veraltet.loc["Bergdorf", "bewertungen"] == 1
    assert veraltet.loc["Dorfen", "grund"] == "keine Werte in diesem Quartal"


def test_overdue_massnahmen_and_meilensteine():
    massnahmen = pd.DataFrame([
        # ends 2026-Q2 (2 quarters from Q1), not done -> overdue in Q3
        {"id": 1, "titel": "Portal", "verantwortlich": "X", "status": "in Umsetzung",
         "start_quartal": "2026-Q1", "dauer_quartale": 2},
        # ends in 2026-Q3 itself: not overdue yet
        {"id": 2, "titel": "E-Akte", "verantwortlich": "X", "status": "verzögert",
         "start_quartal": "2026-Q1", "dauer_quartale": 3},
        {"id": 3, "titel": "Fertig", "verantwortlich": "X", "status": "abgeschlossen",
         "start_quartal": "2025-Q1", "dauer_quartale": 1},
        {"id": 4, "titel": "Gestoppt", "verantwortlich": "X", "status": "gestoppt",
         "start_quartal": "2025-Q1", "dauer_quartale": 1},
    ])
    ueber = deltas.ueberfaellige_massnahmen(massnahmen, "2026-Q3")
    assert ueber["massnahme_id"].tolist() == [1]
    assert ueber.iloc[0]["end_quartal"] == "2026-Q2"
    assert ueber.iloc[0]["quartale_ueberfaellig"] == 1
    assert deltas.end_quartal("2025-Q4", 2) == "2026-Q1"

    meilensteine = pd.DataFrame([
        {"massnahme_id": 1, "massnahme": "Portal", "massnahme_status": "in Umsetzung",
         "titel": "Ausschreibung", "quartal": "2026-Q1", "erledigt": False},
        {"massnahme_id": 1, "massnahme": "Portal", "massnahme_status": "in Umsetzung",
         "titel": "Vertrag", "quartal": "2026-Q2", "erledigt": True},
        {"massnahme_id": 1, "massnahme": "Portal", "massnahme_status": "in Umsetzung",
         "titel": "Start", "quartal": "2026-Q3", "erledigt": False},
        {"massnahme_id": 4, "massnahme": "Gestoppt", "massnahme_status": "gestoppt",
         "titel": "Alt", "quartal": "2025-Q1", "erledigt": False},
    ])
    assert deltas.ueberfaellige_meilensteine(meilensteine, "2026-Q3")["meilenstein"].tolist() == [
        "Ausschreibung"]


def test_open_tasks_from_earlier_sessions_are_carried_forward():
    aufgaben = pd.DataFrame([
        {"id": 1, "titel": "Alt offen", "verantwortlich": "X", "faellig_quartal": "2026-Q2",
         "erledigt": False, "sitzung_quartal": "2026-Q1", "sitzung_datum": dt.date(2026, 2, 1)},
        {"id": 2, "titel": "Alt erledigt", "verantwortlich": "X", "faellig_quartal": "2026-Q2",
         "erledigt": True, "sitzung_quartal": "2026-Q1", "sitzung_datum": dt.date(2026, 2, 1)},
        {"id": 3, "titel": "Aus dieser Sitzung", "verantwortlich": "X",
         "faellig_quartal": "2026-Q4", "erledigt": False, "sitzung_quartal": "2026-Q3",
         "sitzung_datum": dt.date(2026, 8, 1)},
        {"id": 4, "titel": "Noch nicht fällig", "verantwortlich": "X",
         "faellig_quartal": "2026-Q4", "erledigt": False, "sitzung_quartal": "2026-Q2",
         "sitzung_datum": dt.date(2026, 5, 1)},
    ])
    offen = deltas.offene_aufgaben(aufgaben, "2026-Q3")
    assert offen["titel"].tolist() == ["Alt offen", "Noch nicht fällig"]
    assert offen["ueberfaellig"].tolist() == [True, False]


def _massnahme(session: Session) -> int:
    m = Massnahme(titel="Gemeinsames Portal", beschreibung="Ein Portal", ziel="Alle online",
                  verantwortlich="Kreis", beteiligte="alle", finanzierung="Eigenmittel",
                  prioritaet="hoch", prioritaet_begruendung="wichtig", start_quartal="2026-Q1",
                  dauer_quartale=2, status="in Umsetzung", erfolgsindikator="10 Verwaltungen")
    m.meilensteine.append(Meilenstein(quartal="2026-Q1", titel="Ausschreibung", erledigt=False))
    session.add(m)
    sitzung = Sitzung(quartal="2026-Q2", datum=dt.date(2026, 5, 13), teilnehmende="A, B",
                      beschluesse="Portal beschaffen\nBudget freigeben")
    sitzung.aufgaben.append(Aufgabe(titel="Angebote einholen", verantwortlich="Kreis",
                                    faellig_quartal="2026-Q2", erledigt=False))
    session.add(sitzung)
    session.flush()
    return m.id


def test_deltas_on_a_database(small_engine):
    with transaction(small_engine) as session:
        _massnahme(session)
    d = deltas.deltas(small_engine, "2026-Q3")
    assert d.vergleich == "2026-Q2"
    verbessert = d.aenderungen[d.aenderungen["richtung"] == deltas.VERBESSERUNG]
    assert verbessert[["verwaltung", "merkmal", "alt_label"]].values.tolist() == [
        ["Stadt Melle", "E-Akte", "2 – in Einführung"]]
    assert (d.verbesserungen, d.rueckschritte) == (1, 0)
    # values only in 2026-Q3 are "neu erfasst", not improvements; "keine Angabe" in Q3 and no
    # row in Q2 is no change at all
    assert (d.aenderungen["richtung"] == deltas.NEU_ERFASST).sum() == 3
    assert d.massnahmen_ueberfaellig["titel"].tolist() == ["Gemeinsames Portal"]
    assert d.meilensteine_ueberfaellig["meilenstein"].tolist() == ["Ausschreibung"]
    assert d.offene_aufgaben["titel"].tolist() == ["Angebote einholen"]
    assert d.offene_aufgaben["ueberfaellig"].tolist() == [True]
    # no Kontakt in the tiny workspace: every Verwaltung is listed, with the no-history note
    assert len(d.fehlende_kontakte) == 3
    assert deltas.KONTAKT_HINWEIS in d.hinweise
    sitzung = steuerung_lesen.sitzungen(small_engine)[0]
    assert sitzung["beschluesse"] == ["Portal beschaffen", "Budget freigeben"]
