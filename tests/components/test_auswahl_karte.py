"""The highlight map's data: features, escaped tooltips, table twin and summary (pure parts)."""
from __future__ import annotations

import json

import pandas as pd

from components.auswahl_karte import (
    FARBE_ANDERE,
    FARBE_AUSGEWAEHLT,
    FARBEN,
    auswahl_werte,
    tabelle,
    zusammenfassung,
)
from kreis_data import scales

QUADRAT = json.dumps({"type": "Polygon", "coordinates": [[[8, 52], [8.1, 52], [8.1, 52.1],
                                                          [8, 52]]]})
GEMEINDEN = pd.DataFrame([
    ("1", "Alfhausen", "A", "<b>SG</b> Bersenbrück", QUADRAT),
    ("2", "Ankum", "A", "<b>SG</b> Bersenbrück", QUADRAT),
    ("3", "Melle", "M", "Melle", QUADRAT),
    ("4", "ohne Geometrie", "M", "Melle", None),
], columns=["ags", "name", "verwaltung_key", "verwaltung", "geometry"])
VERWALTUNGEN = pd.DataFrame([
    ("A", "<b>SG</b> Bersenbrück", 29780, False), ("M", "Melle", 46588, False),
    ("K", "Kreisverwaltung", 358080, True)],
    columns=["key", "name", "einwohner", "kreisverwaltung"])


def test_highlight_values_mark_only_the_chosen_verwaltungen_as_plain_text():
    werte = auswahl_werte(VERWALTUNGEN, {"A"}, "nutzt <x>", "andere")
    assert {k: w["k"] for k, w in werte.items()} == {"A": 1, "M": 0, "K": 0}
    assert FARBEN[1] == FARBE_AUSGEWAEHLT == scales.STUFEN_FARBEN[4]
    assert FARBEN[0] == FARBE_ANDERE == scales.STUFEN_FARBEN[0]
    assert werte["A"]["t"] == [["Verwaltung", "<b>SG</b> Bersenbrück"], ["Status", "nutzt <x>"]]


def test_table_twin_and_summary_name_the_kreisverwaltung_separately():
    frame = tabelle(VERWALTUNGEN, GEMEINDEN, {"M", "K"}, "nutzt es", "andere")
    assert list(frame["Verwaltung"]) == ["Kreisverwaltung", "Melle", "<b>SG</b> Bersenbrück"]
    assert list(frame["Status"]) == ["nutzt es", "nutzt es", "andere"]
    assert frame.loc[1, "Einwohner"] == 46588
    assert frame.loc[0, "Gemeinden"] == "– (ganzer Kreis)"
    assert zusammenfassung(VERWALTUNGEN, {"M", "K"}, "nutzt es") == (
        "1 von 2 Verwaltungen (46.588 Einwohner): nutzt es. "
        "Außerdem Kreisverwaltung (nicht auf der Karte).")
