"""Integrity checks of a workspace (python -m kreis_data check)."""
from __future__ import annotations

import json

from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from kreis_data.database import is_initialised
from kreis_data.model import Bewertung, Gemeinde, Kreis, MerkmalConfig, Verwaltung


def run_checks(engine: Engine) -> tuple[list[str], list[str]]:
    """(problems, facts): problems are German sentences; an empty list means all is well."""
    if not is_initialised(engine):
        return ["Die Datenbank ist leer: zuerst `python -m kreis_data demo` ausführen."], []
    problems: list[str] = []
    with Session(engine) as session:
        kreis = session.scalar(select(Kreis))
        if kreis is None:
            return ["Kein Kreis angelegt."], []
        verwaltungen = {v.key: v for v in session.scalars(select(Verwaltung))}
        gemeinden = list(session.scalars(select(Gemeinde)))
        for g in gemeinden:
            if g.verwaltung_key not in verwaltungen:
                problems.append(f"Gemeinde {g.name} ({g.ags}) gehört zu keiner bekannten Verwaltung "
                                f"({g.verwaltung_key}).")
            if not g.geometry:
                problems.append(f"Gemeinde {g.name} ({g.ags}) hat keine Geometrie.")
            else:
                geometry = json.loads(g.geometry)
                if geometry.get("type") not in ("Polygon", "MultiPolygon"):
                    problems.append(f"Gemeinde {g.name} ({g.ags}): Geometrie ist kein Polygon.")
            if not g.ags.startswith(kreis.ags):
                problems.append(f"Gemeinde {g.name} ({g.ags}) liegt nicht im Kreis {kreis.ags}.")
            if g.einwohner is None or g.einwohner < 0:
                problems.append(f"Gemeinde {g.name} ({g.ags}): Einwohnerzahl fehlt oder ist negativ.")
        mitglieder = {g.verwaltung_key for g in gemeinden}
        kreisverwaltungen = [v for v in verwaltungen.values() if v.typ == "Kreisverwaltung"]
        if len(kreisverwaltungen) != 1:
            problems.append(f"Es gibt {len(kreisverwaltungen)} Kreisverwaltungen statt genau einer.")
        for v in verwaltungen.values():
            if v.typ != "Kreisverwaltung" and v.key not in mitglieder:
                problems.append(f"Verwaltung {v.name} ({v.key}) hat keine Mitgliedsgemeinde.")
        merkmale = set(session.scalars(select(MerkmalConfig.key)))
        orphan_v = session.scalar(select(func.count()).select_from(Bewertung).where(
            Bewertung.verwaltung_key.not_in(list(verwaltungen))))
        orphan_m = session.scalar(select(func.count()).select_from(Bewertung).where(
            Bewertung.merkmal_key.not_in(list(merkmale))))
        if orphan_v:
            problems.append(f"{orphan_v} Bewertungen verweisen auf unbekannte Verwaltungen.")
        if orphan_m:
            problems.append(f"{orphan_m} Bewertungen verweisen auf unbekannte Merkmale.")
        quartale = sorted(session.scalars(select(Bewertung.quartal).distinct()))
        facts = [
            f"Kreis: {kreis.name} ({kreis.ags}), {kreis.land}",
            f"Gemeinden: {len(gemeinden)}",
            f"Verwaltungen: {len(verwaltungen) - len(kreisverwaltungen)} "
            f"plus {len(kreisverwaltungen)} Kreisverwaltung",
            f"Einwohner: {sum(g.einwohner for g in gemeinden):,}".replace(",", "."),
            f"Quartale mit Bewertungen: {len(quartale)}"
            + (f" ({quartale[0]} bis {quartale[-1]})" if quartale else ""),
        ]
    return problems, facts
