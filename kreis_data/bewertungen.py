"""Writing Bewertungen: upsert per Verwaltung x Merkmal x Quartal with audit entries."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from kreis_data import audit
from kreis_data.database import transaction
from kreis_data.model import Bewertung

FELDER = ("stufe", "quelle", "stand", "erfasst_von", "bemerkung")


@dataclass(frozen=True)
class BewertungEingabe:
    verwaltung_key: str
    merkmal_key: str
    quartal: str
    stufe: int | None
    quelle: str | None = None
    stand: dt.date | None = None
    erfasst_von: str | None = None
    bemerkung: str | None = None


@dataclass(frozen=True)
class Aenderung:
    schluessel: str
    aktion: str  # angelegt / geändert
    felder: dict[str, tuple[object, object]]


def apply_bewertungen(session: Session, eingaben: list[BewertungEingabe], *, benutzer: str,
                      kontext: str | None = None) -> list[Aenderung]:
    """Upsert into an open session; unchanged rows write nothing. Returns the changes."""
    if not eingaben:
        return []
    quartale = {e.quartal for e in eingaben}
    existing = {
        (b.verwaltung_key, b.merkmal_key, b.quartal): b
        for b in session.scalars(select(Bewertung).where(Bewertung.quartal.in_(quartale)))
    }
    zeitpunkt = audit.now()
    aenderungen: list[Aenderung] = []
    for eingabe in eingaben:
        key = (eingabe.verwaltung_key, eingabe.merkmal_key, eingabe.quartal)
        schluessel = "/".join(key)
        # "" and None both mean "empty": store None so a form round trip changes nothing.
        neu = {feld: (None if getattr(eingabe, feld) == "" else getattr(eingabe, feld))
               for feld in FELDER}
        bewertung = existing.get(key)
        if bewertung is None:
            bewertung = Bewertung(verwaltung_key=eingabe.verwaltung_key,
                                  merkmal_key=eingabe.merkmal_key, quartal=eingabe.quartal, **neu)
            session.add(bewertung)
            existing[key] = bewertung
            felder = {f: (None, v) for f, v in neu.items() if v is not None}
            aktion = "angelegt"
        else:
            felder = {f: (getattr(bewertung, f), v) for f, v in neu.items()
                      if getattr(bewertung, f) != v}
            if not felder:
                continue
            for feld, (_alt, wert) in felder.items():
                setattr(bewertung, feld, wert)
            aktion = "geändert"
        audit.record(session, benutzer=benutzer, aktion=aktion, objekt="bewertung",
                     schluessel=schluessel, aenderungen=felder, kontext=kontext,
                     zeitpunkt=zeitpunkt)
        aenderungen.append(Aenderung(schluessel, aktion, felder))
    return aenderungen


def store_bewertungen(engine: Engine, eingaben: list[BewertungEingabe], *, benutzer: str,
                      kontext: str | None = None) -> list[Aenderung]:
    """All or nothing: one transaction for all rows and their audit entries."""
    with transaction(engine) as session:
        return apply_bewertungen(session, eingaben, benutzer=benutzer, kontext=kontext)
