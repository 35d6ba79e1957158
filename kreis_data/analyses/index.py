"""Digitalisierungsindex (0-100): weighted mean of Stufe/4 over the rated Merkmale.

Only ordinal Merkmale (art "stufe") count; "keine Angabe" is left out of the mean and shows up
in the coverage instead (abgedeckt of gesamt Merkmale).
"""
from __future__ import annotations

import pandas as pd

from kreis_data import scales


def digitalisierungsindex(bewertungen: pd.DataFrame, merkmale: list[scales.Merkmal]) -> pd.DataFrame:
    """Per Verwaltung and Quartal: index (float or NA), abgedeckt, gesamt."""
    gewichte = {m.key: m.gewicht for m in merkmale if m.art == "stufe"}
    frame = bewertungen[bewertungen["merkmal_key"].isin(gewichte)].copy()
    frame["gewicht"] = frame["merkmal_key"].map(gewichte)
    rated = frame[frame["stufe"].notna()].copy()
    rated["punkte"] = rated["gewicht"] * rated["stufe"].astype(float) / 4
    grouped = rated.groupby(["verwaltung_key", "quartal"]).agg(
        punkte=("punkte", "sum"), gewicht=("gewicht", "sum"), abgedeckt=("stufe", "size"))
    keys = frame[["verwaltung_key", "quartal"]].drop_duplicates().set_index(
        ["verwaltung_key", "quartal"])
    result = keys.join(grouped)
    result["index"] = 100 * result["punkte"] / result["gewicht"]
    result["abgedeckt"] = result["abgedeckt"].fillna(0).astype(int)
    result["gesamt"] = len(gewichte)
    return result.reset_index()[["verwaltung_key", "quartal", "index", "abgedeckt", "gesamt"]]
