"""Integrity checks of a workspace (python -m kreis_data check)."""
from __future__ import annotations

import datetime as dt
import json

from sqlalchemy import Engine, String, cast, func, select
from sqlalchemy.orm import Session

from kreis_data import textregeln
from kreis_data.database import is_initialised
from kreis_data.model import (
    Anbindung,
    Aufgabe,
    Bewertung,
    Gemeinde,
    Kooperation,
    KooperationEinordnung,
    Kreis,
    Massnahme,
    Meilenstein,
    MerkmalConfig,
    Sitzung,
    Verwaltung,
)
from kreis_data.quartal import Quartal, pruefe_quartal

# (column, what it is, plan? – None: historic, 1900 up to the plan range) – quarters and dates that must lie in the allowed range
# (kreis_data.quartal.bereich), the same rule every import and form applies.
QUARTALSSPALTEN = (
    (Bewertung.quartal, "Bewertungen, Quartal", False),
    (Anbindung.quartal, "Anbindungen, Quartal", False),
    (Anbindung.live_seit, "Anbindungen, live seit", False),
    # from the start date of a Kooperation, which may lie long before the first reported quarter
    (KooperationEinordnung.ab_quartal, "Einordnungen der Kooperationen, ab Quartal", None),
    (Massnahme.start_quartal, "Maßnahmen, Start", True),
    (Meilenstein.quartal, "Meilensteine, Quartal", True),
    (Sitzung.quartal, "Sitzungen, Quartal", True),
    (Aufgabe.faellig_quartal, "Aufgaben, fällig im Quartal", True),
)
# (column, what it is, plan?, historic?)
DATUMSSPALTEN = (
    (Bewertung.stand, "Bewertungen, Stand", False, False),
    (Kooperation.start, "Kooperationen, Start", True, True),
    (Kooperation.ende, "Kooperationen, Ende", True, True),
    (Sitzung.datum, "Sitzungen, Datum", True, False),
)


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
        problems += zeitbereich_probleme(session)
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


def zeitbereich_probleme(session: Session, heute: dt.date | None = None) -> list[str]:
    """Stored quarters and dates outside the allowed range (or not readable at all), e.g.
    written directly by SQL: one sentence per column and value, with the number of rows."""
    problems: list[str] = []
    for spalte, was, planung in QUARTALSSPALTEN:
        for wert, anzahl in _werte(session, spalte):
            try:
                if planung is None:
                    _pruefe_historisches_quartal(wert, heute)
                else:
                    pruefe_quartal(wert, heute=heute, planung=planung)
            except ValueError as exc:
                problems.append(f"{was}: {anzahl} {'Zeile' if anzahl == 1 else 'Zeilen'} mit "
                                f"einem unzulässigen Quartal – {exc}.")
    for spalte, was, planung, historisch in DATUMSSPALTEN:
        for wert, anzahl in _werte(session, spalte):
            zeilen = f"{anzahl} {'Zeile' if anzahl == 1 else 'Zeilen'}"
            try:
                datum = dt.date.fromisoformat(str(wert).strip()[:10])
            except ValueError:
                problems.append(f"{was}: {zeilen} mit „{wert}“ – das ist kein gültiges Datum.")
                continue
            try:
                textregeln.pruefe_datum(datum, was, planung=planung, historisch=historisch,
                                        heute=heute)
            except ValueError as exc:
                problems.append(f"{was}: {zeilen} mit einem unplausiblen Datum – {exc}.")
    return problems


def _pruefe_historisches_quartal(wert: str, heute: dt.date | None) -> None:
    quartal = Quartal.parse(wert)
    von, bis = textregeln.datumsbereich(planung=True, historisch=True, heute=heute)
    if not Quartal.of_date(von) <= quartal <= Quartal.of_date(bis):
        raise ValueError(f"„{wert}“ liegt außerhalb von {Quartal.of_date(von)} bis "
                         f"{Quartal.of_date(bis)}")


def _werte(session: Session, spalte) -> list[tuple[str, int]]:
    """Distinct stored values of a column as text (a broken date must not raise on reading)."""
    text = cast(spalte, String)
    return [(wert, anzahl) for wert, anzahl in session.execute(
        select(text, func.count()).where(spalte.is_not(None)).group_by(text))]
