"""Bewertungen read views: the validation catalog of the workspace, the quarterly
self-assessment form of one Verwaltung (current values, suggestions from earlier quarters, the
versions seen, who saved last) and the quality flags of a quarter."""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

import pandas as pd
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from kreis_data import formatting, scales
from kreis_data.bewertungen.regeln import Katalog, ist_veraltet
from kreis_data.database import read_session
from kreis_data.fehler import Ungueltig
from kreis_data.model import AuditEintrag, Bewertung, MerkmalConfig, Verwaltung
from kreis_data.quartal import Quartal


def katalog_from_session(session: Session) -> Katalog:
    """What rows are validated against: the Verwaltungen and the Merkmale of the workspace."""
    verwaltungen = {v.key: v.name
                    for v in session.scalars(select(Verwaltung).order_by(Verwaltung.key))}
    configs = session.scalars(select(MerkmalConfig).order_by(MerkmalConfig.reihenfolge,
                                                             MerkmalConfig.key))
    return Katalog(verwaltungen, {c.key: scales.merkmal_aus_config(
        c.key, c.name, c.art, c.pflicht, c.gewicht, c.stufen) for c in configs})


def load_katalog(engine: Engine) -> Katalog:
    with read_session(engine) as session:
        return katalog_from_session(session)


# --- The self-assessment form ------------------------------------------------------------
# (verwaltung_key, merkmal_key, quartal) -> version seen (None = there was no row)
Schluessel = tuple[str, str, str]


@dataclass(frozen=True)
class Wert:
    """What the form holds for one Merkmal."""

    stufe: int | None
    quelle: str | None = None
    stand: dt.date | None = None
    bemerkung: str | None = None


@dataclass(frozen=True)
class FormularZeile:
    merkmal: scales.Merkmal
    wert: Wert
    version: int | None  # None: no Bewertung in this quarter yet
    vorbefuellt_aus: str | None = None  # quarter the suggestion comes from
    erfasst_von: str | None = None


@dataclass(frozen=True)
class Formular:
    verwaltung_key: str
    verwaltung_name: str
    quartal: str
    zeilen: list[FormularZeile]
    zuletzt_von: str | None = None
    zuletzt_am: dt.datetime | None = None
    gesehene_versionen: dict[str, int | None] = field(default_factory=dict)

    def werte(self) -> dict[str, Wert]:
        return {z.merkmal.key: z.wert for z in self.zeilen}


def bewertung_schluessel(key: Schluessel) -> str:
    return "/".join(key)


def letzte_aenderungen(session: Session, schluessel: Iterable[str]) -> dict[str, AuditEintrag]:
    """Newest audit entry per key."""
    schluessel = list(schluessel)
    if not schluessel:
        return {}
    result: dict[str, AuditEintrag] = {}
    query = (select(AuditEintrag)
             .where(AuditEintrag.objekt == "bewertung", AuditEintrag.schluessel.in_(schluessel))
             .order_by(AuditEintrag.id.desc()))
    for eintrag in session.scalars(query):
        result.setdefault(eintrag.schluessel, eintrag)
    return result


def lade_formular(engine: Engine, verwaltung_key: str, quartal: str) -> Formular:
    quartal = str(Quartal.parse(quartal))
    with read_session(engine) as session:
        verwaltung = session.get(Verwaltung, verwaltung_key)
        if verwaltung is None:
            raise Ungueltig(f"„{verwaltung_key}“ ist keine Verwaltung dieses Kreises.")
        katalog = katalog_from_session(session)
        rows = session.scalars(select(Bewertung).where(
            Bewertung.verwaltung_key == verwaltung_key, Bewertung.quartal <= quartal)
            .order_by(Bewertung.quartal)).all()
        aktuell = {b.merkmal_key: b for b in rows if b.quartal == quartal}
        frueher: dict[str, Bewertung] = {}
        for b in rows:
            if b.quartal < quartal:
                frueher[b.merkmal_key] = b  # ordered by quarter: the latest wins
        zeilen = []
        for merkmal in katalog.merkmale.values():
            b = aktuell.get(merkmal.key)
            if b is not None:
                zeilen.append(FormularZeile(merkmal, Wert(b.stufe, b.quelle, b.stand, b.bemerkung),
                                            b.version, erfasst_von=b.erfasst_von))
            elif (alt := frueher.get(merkmal.key)) is not None:
                zeilen.append(FormularZeile(
                    merkmal, Wert(alt.stufe, alt.quelle, alt.stand, alt.bemerkung), None,
                    vorbefuellt_aus=alt.quartal, erfasst_von=alt.erfasst_von))
            else:
                zeilen.append(FormularZeile(merkmal, Wert(None), None))
        schluessel = [bewertung_schluessel((verwaltung_key, z.merkmal.key, quartal)) for z in zeilen]
        letzte = letzte_aenderungen(session, schluessel)
        neueste = max(letzte.values(), key=lambda e: e.id, default=None)
        return Formular(verwaltung_key, verwaltung.name, quartal, zeilen,
                        neueste.benutzer if neueste else None,
                        neueste.zeitpunkt if neueste else None,
                        {z.merkmal.key: z.version for z in zeilen})


def format_zeitpunkt(zeitpunkt: dt.datetime | None) -> str:
    """Audit times are stored in UTC; shown in German local time (formatting.zeitpunkt)."""
    return formatting.zeitpunkt(zeitpunkt) if zeitpunkt else "unbekannt"


# --- Quality flags -------------------------------------------------------------------------
# --- Quality flags -------------------------------------------------------------------------------
QUALITAET_SPALTEN = ["Hinweis", "Verwaltungsschlüssel", "Verwaltung", "Merkmal", "Details"]


def qualitaet(engine: Engine, quartal: str) -> pd.DataFrame:
    """Quality flags of a quarter, one row each (German column names).

    - "Wert veraltet": the Stand lies before the start of the quarter (regeln.ist_veraltet, the
      one definition the Quartalsreview uses, too).
    - "Stand fehlt": a value without Stand.
    - "Quelle fehlt": a value without Quelle.
    - "keine Meldung": a Verwaltung without any Bewertung (or only "keine Angabe") this quarter.
    """
    q = Quartal.parse(quartal)
    quartal = str(q)
    rows: list[dict[str, object]] = []
    with read_session(engine) as session:
        katalog = katalog_from_session(session)
        bewertungen = session.scalars(select(Bewertung).where(Bewertung.quartal == quartal)
                                      .order_by(Bewertung.verwaltung_key)).all()
        letzte_meldung = dict(session.execute(
            select(Bewertung.verwaltung_key, Bewertung.quartal)
            .where(Bewertung.stufe.is_not(None), Bewertung.quartal < quartal)
            .order_by(Bewertung.quartal)).all())
    gemeldet = {b.verwaltung_key for b in bewertungen if b.stufe is not None}
    for key, name in katalog.verwaltungen.items():
        if key not in gemeldet:
            frueher = letzte_meldung.get(key)
            details = (f"letzte Meldung: {Quartal.parse(frueher).label}" if frueher
                       else "bisher keine Meldung")
            rows.append({"Hinweis": "keine Meldung", "Verwaltungsschlüssel": key,
                         "Verwaltung": name, "Merkmal": "",
                         "Details": f"keine Werte für {q.label} – {details}"})
    for b in bewertungen:
        if b.stufe is None:
            continue
        merkmal = katalog.merkmale.get(b.merkmal_key)
        basis = {"Verwaltungsschlüssel": b.verwaltung_key,
                 "Verwaltung": katalog.verwaltungen.get(b.verwaltung_key, b.verwaltung_key),
                 "Merkmal": merkmal.name if merkmal else b.merkmal_key}
        if b.stand is None:
            rows.append({**basis, "Hinweis": "Stand fehlt", "Details": "ohne Datum der Angabe"})
        elif ist_veraltet(b.stand, q):
            rows.append({**basis, "Hinweis": "Wert veraltet",
                         "Details": f"Stand {b.stand.strftime('%d.%m.%Y')} liegt vor dem "
                                    f"{q.label}"})
        if not b.quelle:
            rows.append({**basis, "Hinweis": "Quelle fehlt", "Details": "ohne Quelle"})
    return pd.DataFrame(rows, columns=QUALITAET_SPALTEN)


# --- Audit log of the Bewertungen (Änderungsprotokoll) -------------------------------------------
PROTOKOLL_SPALTEN = ["Zeitpunkt", "Benutzer*in", "Aktion", "Verwaltung", "Merkmal",
                     "Quartal", "Feld", "alt", "neu", "Kontext"]


_FELD_NAMEN = {"stufe": "Stufe", "quelle": "Quelle", "stand": "Stand",
               "erfasst_von": "Erfasst von", "bemerkung": "Bemerkung"}


def protokoll(engine: Engine, verwaltung_key: str | None = None, merkmal_key: str | None = None,
              benutzer: str | None = None, von: dt.date | None = None,
              bis: dt.date | None = None) -> pd.DataFrame:
    """Changes of Bewertungen, newest first, readable (names, Stufe labels, German dates).

    Filters are optional; `von`/`bis` are inclusive calendar days (stored times are UTC).
    """
    query = (select(AuditEintrag).where(AuditEintrag.objekt == "bewertung")
             .order_by(AuditEintrag.id.desc()))
    if verwaltung_key:
        query = query.where(AuditEintrag.schluessel.like(f"{verwaltung_key}/%"))
    if merkmal_key:
        query = query.where(AuditEintrag.schluessel.like(f"%/{merkmal_key}/%"))
    if benutzer:
        query = query.where(AuditEintrag.benutzer == benutzer)
    if von:
        query = query.where(AuditEintrag.zeitpunkt >= dt.datetime.combine(von, dt.time()))
    if bis:
        query = query.where(AuditEintrag.zeitpunkt
                            < dt.datetime.combine(bis + dt.timedelta(days=1), dt.time()))
    rows = []
    with read_session(engine) as session:
        katalog = katalog_from_session(session)
        for e in session.scalars(query):
            teile = e.schluessel.split("/")
            vk, mk, q = (teile + ["", "", ""])[:3]
            merkmal = katalog.merkmale.get(mk)
            alt, neu = e.alt, e.neu
            if e.feld == "stufe" and merkmal is not None:
                alt, neu = (merkmal.kurzlabel(int(v)) if v not in (None, "") else
                            scales.KEINE_ANGABE for v in (e.alt, e.neu))
            elif e.feld == "stand":
                alt, neu = (_datum_de(v) for v in (e.alt, e.neu))
            rows.append({
                "Zeitpunkt": formatting.zeitpunkt(e.zeitpunkt),
                "Benutzer*in": e.benutzer, "Aktion": e.aktion,
                "Verwaltung": katalog.verwaltungen.get(vk, vk),
                "Merkmal": merkmal.name if merkmal else mk,
                "Quartal": Quartal.parse(q).label if q else "",
                "Feld": _FELD_NAMEN.get(e.feld or "", e.feld or ""),
                "alt": alt if alt is not None else "", "neu": neu if neu is not None else "",
                "Kontext": e.kontext or ""})
    return pd.DataFrame(rows, columns=PROTOKOLL_SPALTEN)


def _datum_de(value: str | None) -> str | None:
    if not value:
        return value
    try:
        return dt.date.fromisoformat(value).strftime("%d.%m.%Y")
    except ValueError:
        return value


def protokoll_personen(engine: Engine) -> list[str]:
    """Everyone who ever changed a Bewertung (for the filter)."""
    with read_session(engine) as session:
        return sorted(session.scalars(select(AuditEintrag.benutzer).distinct()
                                      .where(AuditEintrag.objekt == "bewertung")))
