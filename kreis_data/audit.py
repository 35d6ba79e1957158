"""Audit log: every write records who changed what, old -> new, in the same transaction."""
from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

import pandas as pd
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from kreis_data.model import AuditEintrag

# Objekte of the audit log that record events, not data (logins, kreis_data.konten.sperre):
# never a data version (queries.versionen, the page caches) and never the "Stand" of data.
ANMELDUNG = "anmeldung"
KEINE_DATEN = frozenset({ANMELDUNG})


def _text(value: object) -> str | None:
    if value is None:
        return None
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None, microsecond=0)


def record(session: Session, *, benutzer: str, aktion: str, objekt: str, schluessel: str,
           aenderungen: Mapping[str, tuple[object, object]] | None = None,
           kontext: str | None = None, zeitpunkt: dt.datetime | None = None) -> None:
    """Add audit entries (one per changed field) to the session's open transaction."""
    zeitpunkt = zeitpunkt or now()
    if not aenderungen:
        session.add(AuditEintrag(zeitpunkt=zeitpunkt, benutzer=benutzer, aktion=aktion,
                                 objekt=objekt, schluessel=schluessel, kontext=kontext))
        return
    for feld, (alt, neu) in aenderungen.items():
        session.add(AuditEintrag(zeitpunkt=zeitpunkt, benutzer=benutzer, aktion=aktion,
                                 objekt=objekt, schluessel=schluessel, feld=feld,
                                 alt=_text(alt), neu=_text(neu), kontext=kontext))


AUDIT_SPALTEN = {"zeitpunkt": "Zeitpunkt (UTC)", "benutzer": "Benutzer*in", "aktion": "Aktion",
                 "objekt": "Objekt", "schluessel": "Schlüssel", "feld": "Feld", "alt": "alt",
                 "neu": "neu", "kontext": "Kontext"}


def load_audit(engine: Engine, limit: int | None = None) -> pd.DataFrame:
    """The audit log, newest first, with German column names."""
    query = select(AuditEintrag).order_by(AuditEintrag.id.desc())
    if limit:
        query = query.limit(limit)
    with Session(engine) as session:
        rows = [{key: getattr(e, key) for key in AUDIT_SPALTEN} for e in session.scalars(query)]
    return pd.DataFrame(rows, columns=list(AUDIT_SPALTEN)).rename(columns=AUDIT_SPALTEN)
