"""The EfA-Leistungen catalog and its Vollzug per Land, loaded into every new workspace.

Leistungen: every row of ``datasets/reference/efa_leistungen.csv`` (real EfA services with
their source). Vollzug: ``datasets/reference/vollzug_laender.csv`` has one row per Flächenland
and Leistung: the level that executes it (Gemeinde or Kreis), whether that is ``belegt`` (with
the source) or an ``Annahme`` (typical Vollzug, Land law still to check), and a hint. Only the
rows of the workspace's Land are loaded; a Kreis may override them later (``kreis_ags`` set).
"""

from __future__ import annotations

import csv
from pathlib import Path

from sqlalchemy.orm import Session

from kreis_data import scales
from kreis_data.model import Leistung, LeistungVollzug

REFERENCE_DIR = Path(__file__).resolve().parents[1] / "datasets" / "reference"
GRUNDLAGEN = ("belegt", "Annahme")


def read_reference(name: str) -> list[dict[str, str]]:
    with (REFERENCE_DIR / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle, delimiter=";"))


def leistungen_katalog() -> list[dict[str, str]]:
    """Rows of efa_leistungen.csv in catalog order, checked against the vocabularies."""
    rows = sorted(read_reference("efa_leistungen.csv"), key=lambda r: int(r["nr"]))
    for row in rows:
        if row["ozg_themenfeld"] not in scales.OZG_THEMENFELDER:
            raise ValueError(f"efa_leistungen.csv: unbekanntes Themenfeld „{row['ozg_themenfeld']}“")
    return rows


def vollzug_regeln(land_code: str) -> list[dict[str, str]]:
    """The Vollzug rows of one Land (empty for a Land without a table, e.g. a Stadtstaat)."""
    rows = [r for r in read_reference("vollzug_laender.csv") if r["land_code"] == land_code]
    for row in rows:
        if row["ebene"] not in scales.VOLLZUG_EBENEN:
            raise ValueError(f"vollzug_laender.csv: unbekannte Ebene „{row['ebene']}“")
        if row["grundlage"] not in GRUNDLAGEN:
            raise ValueError(f"vollzug_laender.csv: unbekannte Grundlage „{row['grundlage']}“")
    return rows


def store_katalog(session: Session, land_code: str) -> dict[str, Leistung]:
    """Add the catalog and the Land's Vollzug rules; returns the Leistungen by name."""
    leistungen = {}
    for row in leistungen_katalog():
        leistung = Leistung(name=row["leistung"], themenfeld=row["ozg_themenfeld"],
                            federfuehrung=row["federfuehrung"] or None,
                            leika=row["leika_schluessel"] or None, efa_dienst=row["leistung"],
                            quelle_url=row["quelle"] or None)
        session.add(leistung)
        leistungen[leistung.name] = leistung
    session.flush()
    for row in vollzug_regeln(land_code):
        session.add(LeistungVollzug(
            leistung_id=leistungen[row["leistung"]].id, land_code=land_code, kreis_ags=None,
            ebene=row["ebene"], hinweis=row["hinweis"] or None, grundlage=row["grundlage"],
            quelle=row["quelle"] or None))
    session.flush()
    return leistungen
