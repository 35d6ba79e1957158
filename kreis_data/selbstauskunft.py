"""The quarterly self-assessment form of one Verwaltung, stale-write protection and quality flags.

`lade_formular` returns every Merkmal with its current value (or the latest earlier value as a
suggestion), the row versions seen and who saved last. `speichere_formular` writes in ONE
transaction and refuses with `KonfliktError` when anything changed since the form was loaded.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

import pandas as pd
from sqlalchemy import Engine, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from kreis_data import scales
from kreis_data.auth import Benutzer, pruefe_bearbeiten
from kreis_data.bewertungen import Aenderung, BewertungEingabe, apply_bewertungen
from kreis_data.database import read_session, transaction
from kreis_data.io.bewertung_pruefung import katalog_from_session
from kreis_data.model import AuditEintrag, Bewertung, Verwaltung
from kreis_data.quartal import Quartal

VORGABE_QUELLE = "Selbstauskunft"
# (verwaltung_key, merkmal_key, quartal) -> version seen (None = there was no row)
Schluessel = tuple[str, str, str]


class KonfliktError(RuntimeError):
    """Someone else saved in between; nothing was written. str() is the German message."""

    def __init__(self, meldung: str, konflikte: list[dict[str, object]]):
        super().__init__(meldung)
        self.konflikte = konflikte


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


def _schluessel(key: Schluessel) -> str:
    return "/".join(key)


def _letzte_aenderungen(session: Session, schluessel: Iterable[str]) -> dict[str, AuditEintrag]:
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
            raise ValueError(f"„{verwaltung_key}“ ist keine Verwaltung dieses Kreises.")
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
        schluessel = [_schluessel((verwaltung_key, z.merkmal.key, quartal)) for z in zeilen]
        letzte = _letzte_aenderungen(session, schluessel)
        neueste = max(letzte.values(), key=lambda e: e.id, default=None)
        return Formular(verwaltung_key, verwaltung.name, quartal, zeilen,
                        neueste.benutzer if neueste else None,
                        neueste.zeitpunkt if neueste else None,
                        {z.merkmal.key: z.version for z in zeilen})


def format_zeitpunkt(zeitpunkt: dt.datetime | None) -> str:
    """Audit times are UTC; shown as German date and time with "UTC"."""
    return zeitpunkt.strftime("%d.%m.%Y, %H:%M Uhr (UTC)") if zeitpunkt else "unbekannt"


def pruefe_versionen(session: Session, gesehen: Mapping[Schluessel, int | None],
                     merkmal_namen: Mapping[str, str] | None = None,
                     verwaltung_namen: Mapping[str, str] | None = None) -> None:
    """Raise KonfliktError if any row's version differs from the one seen (inside a transaction)."""
    if not gesehen:
        return
    quartale = {key[2] for key in gesehen}
    verwaltungen = {key[0] for key in gesehen}
    aktuell = {(b.verwaltung_key, b.merkmal_key, b.quartal): b.version
               for b in session.scalars(select(Bewertung).where(
                   Bewertung.quartal.in_(quartale), Bewertung.verwaltung_key.in_(verwaltungen)))}
    veraendert = [key for key, version in gesehen.items() if aktuell.get(key) != version]
    if not veraendert:
        return
    raise _konflikt(session, veraendert, merkmal_namen or {}, verwaltung_namen or {})


def _konflikt(session: Session, keys: list[Schluessel], merkmal_namen: Mapping[str, str],
              verwaltung_namen: Mapping[str, str]) -> KonfliktError:
    letzte = _letzte_aenderungen(session, (_schluessel(k) for k in keys))
    konflikte, teile = [], []
    for key in keys:
        eintrag = letzte.get(_schluessel(key))
        wer = eintrag.benutzer if eintrag else "jemand anderes"
        wann = format_zeitpunkt(eintrag.zeitpunkt) if eintrag else "unbekannt"
        merkmal = merkmal_namen.get(key[1], key[1])
        verwaltung = verwaltung_namen.get(key[0], key[0])
        konflikte.append({"verwaltung_key": key[0], "merkmal_key": key[1], "quartal": key[2],
                          "benutzer": wer, "zeitpunkt": eintrag.zeitpunkt if eintrag else None})
        teile.append(f"{merkmal} ({verwaltung}) wurde von {wer} am {wann} geändert")
    meldung = ("Speichern nicht möglich – die Daten wurden inzwischen geändert: "
               + "; ".join(teile) + ". Es wurde nichts gespeichert. Bitte laden Sie das Formular "
               "neu, prüfen Sie die aktuellen Werte und tragen Sie Ihre Änderungen erneut ein.")
    return KonfliktError(meldung, konflikte)


def speichere_formular(engine: Engine, verwaltung_key: str, quartal: str,
                       werte: Mapping[str, Wert], gesehene_versionen: Mapping[str, int | None],
                       benutzer: Benutzer | None) -> list[Aenderung]:
    """Save the form in ONE transaction; all or nothing.

    Raises PermissionError (German) if the person may not edit this Verwaltung, KonfliktError if
    any row changed (or was created) since the form was loaded, ValueError for bad values.
    Rows that are new and empty are not created; rows this form creates or changes get
    erfasst_von = the person and, if empty, Quelle "Selbstauskunft".
    """
    quartal = str(Quartal.parse(quartal))
    try:
        with transaction(engine) as session:
            katalog = katalog_from_session(session)
            pruefe_bearbeiten(benutzer, verwaltung_key, katalog.verwaltungen)
            merkmal_namen = {k: m.name for k, m in katalog.merkmale.items()}
            unbekannt = sorted(set(werte) - set(katalog.merkmale))
            if unbekannt:
                raise ValueError(f"Unbekannte Merkmale: {', '.join(unbekannt)}")
            gesehen = {(verwaltung_key, key, quartal): gesehene_versionen.get(key)
                       for key in werte}
            pruefe_versionen(session, gesehen, merkmal_namen, katalog.verwaltungen)
            vorhanden = {b.merkmal_key: b for b in session.scalars(select(Bewertung).where(
                Bewertung.verwaltung_key == verwaltung_key, Bewertung.quartal == quartal))}
            eingaben = []
            for key, wert in werte.items():
                merkmal = katalog.merkmale[key]
                if wert.stufe is not None and wert.stufe not in merkmal.werte:
                    raise ValueError(f"Stufe {wert.stufe} ist für {merkmal.name} nicht erlaubt.")
                if wert.quelle is not None and wert.quelle not in scales.QUELLEN:
                    raise ValueError(f"„{wert.quelle}“ ist keine gültige Quelle.")
                bemerkung = (wert.bemerkung or "").strip() or None
                alt = vorhanden.get(key)
                if alt is None and wert.stufe is None and not wert.quelle and not wert.stand \
                        and not bemerkung:
                    continue  # nothing to say, nothing was there
                if alt is not None and (alt.stufe, alt.quelle, alt.stand, alt.bemerkung) == (
                        wert.stufe, wert.quelle, wert.stand, bemerkung):
                    continue  # unchanged: keep erfasst_von as it is
                eingaben.append(BewertungEingabe(
                    verwaltung_key, key, quartal, wert.stufe,
                    quelle=wert.quelle or VORGABE_QUELLE, stand=wert.stand,
                    erfasst_von=benutzer.name, bemerkung=bemerkung))
            aenderungen = apply_bewertungen(session, eingaben, benutzer=benutzer.name,
                                            kontext="Selbstauskunft")
            session.flush()
            return aenderungen
    except (StaleDataError, IntegrityError):
        # A concurrent transaction committed between our check and our write.
        with read_session(engine) as session:
            katalog = katalog_from_session(session)
            keys = [(verwaltung_key, key, quartal) for key in werte]
            raise _konflikt(session, keys, {k: m.name for k, m in katalog.merkmale.items()},
                            katalog.verwaltungen) from None


# --- Quality flags -------------------------------------------------------------------------------
QUALITAET_SPALTEN = ["Hinweis", "Verwaltungsschlüssel", "Verwaltung", "Merkmal", "Details"]


def qualitaet(engine: Engine, quartal: str) -> pd.DataFrame:
    """Quality flags of a quarter, one row each (German column names).

    - "Wert veraltet": the Stand lies before the start of the quarter (older than the quarter).
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
        elif b.stand < q.start:
            rows.append({**basis, "Hinweis": "Wert veraltet",
                         "Details": f"Stand {b.stand.strftime('%d.%m.%Y')} liegt vor dem "
                                    f"{q.label}"})
        if not b.quelle:
            rows.append({**basis, "Hinweis": "Quelle fehlt", "Details": "ohne Quelle"})
    return pd.DataFrame(rows, columns=QUALITAET_SPALTEN)


# --- Audit log of the Bewertungen (Änderungsprotokoll) -------------------------------------------
PROTOKOLL_SPALTEN = ["Zeitpunkt (UTC)", "Benutzer*in", "Aktion", "Verwaltung", "Merkmal",
                     "Quartal", "Feld", "alt", "neu", "Kontext"]
_FELD_NAMEN = {"stufe": "Stufe", "quelle": "Quelle", "stand": "Stand",
               "erfasst_von": "Erfasst von", "bemerkung": "Bemerkung"}


def protokoll(engine: Engine, verwaltung_key: str | None = None, merkmal_key: str | None = None,
              benutzer: str | None = None, von: dt.date | None = None,
              bis: dt.date | None = None) -> pd.DataFrame:
    """Changes of Bewertungen, newest first, readable (names, Stufe labels, German dates).

    Filters are optional; `von`/`bis` are inclusive calendar days (UTC).
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
                "Zeitpunkt (UTC)": e.zeitpunkt.strftime("%d.%m.%Y %H:%M"),
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


def tabelle_csv(tabelle: pd.DataFrame) -> bytes:
    """CSV as German Excel reads it (UTF-8 BOM, ";"), text cells formula-safe."""
    from kreis_data.io.tabelle import escape_formula

    sicher = tabelle.map(lambda v: escape_formula(v) if isinstance(v, str) else v)
    return sicher.to_csv(sep=";", index=False).encode("utf-8-sig")
