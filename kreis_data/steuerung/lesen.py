"""Steuerung read views: Maßnahmen with their Meilensteine, Sitzungen of the
Steuerungsgruppe with Beschlüsse and Aufgaben."""
from __future__ import annotations

import pandas as pd
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session, selectinload

from kreis_data.model import Aufgabe, Massnahme, Sitzung
from kreis_data.steuerung.regeln import end_quartal

# --- Database reads ------------------------------------------------------------------------------
MASSNAHME_SPALTEN = [
    "id", "titel", "beschreibung", "ziel", "verantwortlich", "beteiligte", "finanzierung",
    "prioritaet", "prioritaet_begruendung", "start_quartal", "dauer_quartale", "end_quartal",
    "status", "status_begruendung", "erfolgsindikator", "kooperation_id", "leistung_id",
    "merkmal_key", "version", "meilensteine"]


def massnahmen(engine: Engine) -> pd.DataFrame:
    """All Maßnahmen (MASSNAHME_SPALTEN); meilensteine is a list of dicts (titel, quartal,
    erledigt)."""
    with Session(engine) as session:
        rows = []
        for m in session.scalars(select(Massnahme).options(selectinload(Massnahme.meilensteine))
                                 .order_by(Massnahme.start_quartal, Massnahme.id)):
            row = {c: getattr(m, c) for c in MASSNAHME_SPALTEN
                   if c not in ("end_quartal", "meilensteine")}
            row["end_quartal"] = end_quartal(m.start_quartal, m.dauer_quartale)
            row["meilensteine"] = [{"id": s.id, "titel": s.titel, "quartal": s.quartal,
                                    "erledigt": bool(s.erledigt)} for s in m.meilensteine]
            rows.append(row)
    return pd.DataFrame(rows, columns=MASSNAHME_SPALTEN)


def meilensteine(engine: Engine) -> pd.DataFrame:
    frame = massnahmen(engine)
    rows = [{"massnahme_id": m.id, "massnahme": m.titel, "massnahme_status": m.status, **s}
            for m in frame.itertuples() for s in m.meilensteine]
    return pd.DataFrame(rows, columns=["massnahme_id", "massnahme", "massnahme_status", "id",
                                       "titel", "quartal", "erledigt"])


def sitzungen(engine: Engine) -> list[dict]:
    """Sitzungen, newest first: id, quartal, datum, teilnehmende, beschluesse (list of lines),
    aufgaben (list of dicts)."""
    with Session(engine) as session:
        result = []
        for s in session.scalars(select(Sitzung).options(selectinload(Sitzung.aufgaben))
                                 .order_by(Sitzung.datum.desc())):
            result.append({
                "id": s.id, "quartal": s.quartal, "datum": s.datum,
                "teilnehmende": s.teilnehmende,
                "beschluesse": [z.strip() for z in (s.beschluesse or "").splitlines() if z.strip()],
                "aufgaben": [{"id": a.id, "titel": a.titel, "verantwortlich": a.verantwortlich,
                              "faellig_quartal": a.faellig_quartal, "erledigt": bool(a.erledigt)}
                             for a in s.aufgaben]})
    return result


def aufgaben(engine: Engine) -> pd.DataFrame:
    with Session(engine) as session:
        rows = session.execute(
            select(Aufgabe.id, Aufgabe.titel, Aufgabe.verantwortlich, Aufgabe.faellig_quartal,
                   Aufgabe.erledigt, Sitzung.quartal, Sitzung.datum).join(Sitzung)).all()
    return pd.DataFrame(rows, columns=["id", "titel", "verantwortlich", "faellig_quartal",
                                       "erledigt", "sitzung_quartal", "sitzung_datum"])
