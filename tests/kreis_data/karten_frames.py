"""Small hand-made frames in the shape of kreis_data.queries, for the pure map and neighbour
functions: a Samtgemeinde with two members, two Einheitsgemeinden, the Kreisverwaltung."""
from __future__ import annotations

import datetime as dt

import pandas as pd

from kreis_data import scales
from kreis_data.analyses.karte import Grundlage
from kreis_data.queries import BEWERTUNG_SPALTEN

QUARTAL = "2026-Q3"
SG, OC, BE, KV = "034595401", "034590029", "034590008", "03459"
NACHBARN = {SG: [OC, BE], OC: [BE, SG], BE: [OC, SG]}


def verwaltungen(sg_name: str = "Artland") -> pd.DataFrame:
    rows = [
        (SG, sg_name, "Samtgemeinde", 2, 7000, "Olaf Schwegmann", "olaf@example.org",
         "+49 5431 1"),
        (OC, "Ostercappeln", "Einheitsgemeinde", 1, 9694, "Vera Nieporte", "vera@example.org",
         "+49 5473 2"),
        (BE, "Belm", "Einheitsgemeinde", 1, 13788, None, None, None),
        (KV, "Kreisverwaltung Landkreis Osnabrück", "Kreisverwaltung", 0, 30482,
         "Stefan Rehling", None, "+49 541 3"),
    ]
    frame = pd.DataFrame(rows, columns=["key", "name", "typ", "gemeinden", "einwohner",
                                        "kontakt", "kontakt_email", "kontakt_telefon"])
    frame["flaeche_km2"] = 10.0
    frame["kreisverwaltung"] = frame["typ"] == "Kreisverwaltung"
    return frame


def gemeinden(erste_gemeinde: str = "Badbergen") -> pd.DataFrame:
    rows = [
        ("03459007", erste_gemeinde, "Gemeinde", 4577, SG, "Artland"),
        ("03459030", "Quakenbrück", "Stadt", 2423, SG, "Artland"),
        ("03459029", "Ostercappeln", "Gemeinde", 9694, OC, "Ostercappeln"),
        ("03459008", "Belm", "Gemeinde", 13788, BE, "Belm"),
    ]
    frame = pd.DataFrame(rows, columns=["ags", "name", "bezeichnung", "einwohner",
                                        "verwaltung_key", "verwaltung"])
    frame["flaeche_km2"] = 10.0
    return frame


def bewertungen(werte: dict[tuple[str, str], int | None]) -> pd.DataFrame:
    """werte: (verwaltung_key, merkmal_key) -> Stufe (None = keine Angabe)."""
    rows = [{"verwaltung_key": v, "merkmal_key": m, "quartal": QUARTAL, "stufe": s,
             "quelle": "Selbstauskunft", "stand": dt.date(2026, 9, 1 + i), "erfasst_von": None,
             "bemerkung": None} for i, ((v, m), s) in enumerate(werte.items())]
    frame = pd.DataFrame(rows, columns=BEWERTUNG_SPALTEN)
    frame["stufe"] = frame["stufe"].astype("Int64")
    return frame


STANDARD_WERTE = {
    (SG, "e_akte"): 1, (OC, "e_akte"): 3, (BE, "e_akte"): None, (KV, "e_akte"): 4,
    (SG, "online_portal"): 2, (OC, "online_portal"): 2, (BE, "online_portal"): 4,
    (SG, "strategie"): 4, (OC, "strategie"): 0, (BE, "strategie"): 3,
    (SG, "digitallotsen"): 0, (OC, "digitallotsen"): 1,
}


def grundlage(werte=None, **namen) -> Grundlage:
    return Grundlage(gemeinden(**{k: v for k, v in namen.items() if k == "erste_gemeinde"}),
                     verwaltungen(**{k: v for k, v in namen.items() if k == "sg_name"}),
                     bewertungen(STANDARD_WERTE if werte is None else werte),
                     scales.STANDARD_MERKMALE)
