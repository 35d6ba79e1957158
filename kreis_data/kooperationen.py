"""Kooperationen: the register (read), the views built on it, and writes with validation and
audit in one transaction.

Reads return plain DataFrames / dataclasses (picklable, cacheable by components.data.cached).
Analyses (quadrants, warnings, network, matrix) are pure functions in
``kreis_data.analyses.kooperationen``; the functions here load the data and call them.

Writes: ``create_kooperation``, ``update_kooperation``, ``end_kooperation``. Each checks the
rights of the signed-in ``auth.Benutzer`` first (PermissionError), then validates
(German messages that name the field, collected in ``KooperationFehler.meldungen``), then writes
the Kooperation, its members, a new Einordnung row when Verbindlichkeit or Dauer changed, and
the audit entries in ONE transaction. A stale ``expected_version`` is refused with
``VeralteteVersion`` naming who changed the Kooperation last (from the audit log).
"""
from __future__ import annotations

import csv
import datetime as dt
import io
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import pandas as pd
import shapely
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session, attributes
from sqlalchemy.orm.exc import StaleDataError

from kreis_data import audit, auth, formatting, queries, scales
from kreis_data.analyses import kooperationen as analyse
from kreis_data.database import transaction
from kreis_data.model import (
    AuditEintrag,
    Kooperation,
    KooperationEinordnung,
    KooperationMitglied,
    Kreis,
    Verwaltung,
)
from kreis_data.quartal import Quartal

OBJEKT = "kooperation"
TRENNER = "; "

# --- Reads --------------------------------------------------------------------------------------

REGISTER_SPALTEN = [
    "id", "name", "format", "verbindlichkeit", "dauer", "quadrant", "rechtsform", "ausrichtung",
    "handlungsfelder", "handlungsfeld", "federfuehrung_key", "federfuehrung",
    "stellvertretung_key", "stellvertretung", "start", "ende", "status", "ansprechperson",
    "anschluss", "was_funktioniert", "was_nicht", "mitglieder", "mitglied_keys",
    "mitglieder_anzahl", "laeuft", "version",
]
MITGLIED_SPALTEN = ["kooperation_id", "verwaltung_key", "extern_name", "name", "akteurstyp"]
EINORDNUNG_SPALTEN = ["kooperation_id", "ab_quartal", "verbindlichkeit", "dauer", "quadrant"]


TEXT_SPALTEN = ("federfuehrung_key", "federfuehrung", "stellvertretung_key", "stellvertretung",
                "ansprechperson", "start", "ende", "anschluss", "was_funktioniert", "was_nicht", "verwaltung_key",
                "extern_name")


def _mit_none(frame: pd.DataFrame) -> pd.DataFrame:
    """Optional text columns as object dtype with None for "missing" (pandas 3 would store NaN
    in its str dtype, and NaN is truthy)."""
    for spalte in TEXT_SPALTEN:
        if spalte in frame.columns:
            frame[spalte] = frame[spalte].astype(object).where(frame[spalte].notna(), None)
    return frame


def _handlungsfelder(text: str | None) -> tuple[str, ...]:
    return tuple(h.strip() for h in (text or "").split(";") if h.strip())


def mitglieder(engine: Engine) -> pd.DataFrame:
    """One row per member: kooperation_id, verwaltung_key (None for external members),
    extern_name, name (display), akteurstyp."""
    with Session(engine) as session:
        rows = session.execute(
            select(KooperationMitglied.kooperation_id, KooperationMitglied.verwaltung_key,
                   KooperationMitglied.extern_name, Verwaltung.name,
                   KooperationMitglied.akteurstyp)
            .outerjoin(Verwaltung, Verwaltung.key == KooperationMitglied.verwaltung_key)
            .order_by(KooperationMitglied.kooperation_id, KooperationMitglied.id)).all()
    frame = pd.DataFrame(rows, columns=["kooperation_id", "verwaltung_key", "extern_name",
                                        "verwaltung", "akteurstyp"])
    frame["name"] = [v if isinstance(v, str) else e
                     for v, e in zip(frame["verwaltung"], frame["extern_name"], strict=True)]
    return _mit_none(frame[MITGLIED_SPALTEN].copy())


def einordnungen(engine: Engine) -> pd.DataFrame:
    """The Einordnung history of every Kooperation, oldest first."""
    with Session(engine) as session:
        rows = session.execute(
            select(KooperationEinordnung.kooperation_id, KooperationEinordnung.ab_quartal,
                   KooperationEinordnung.verbindlichkeit, KooperationEinordnung.dauer)
            .order_by(KooperationEinordnung.kooperation_id, KooperationEinordnung.ab_quartal,
                      KooperationEinordnung.id)).all()
    frame = pd.DataFrame(rows, columns=EINORDNUNG_SPALTEN[:-1])
    frame["quadrant"] = [analyse.quadrant_key(v, d)
                         for v, d in zip(frame["verbindlichkeit"], frame["dauer"], strict=True)]
    return frame


def _mitglied_text(name: str, akteurstyp: str, extern: bool) -> str:
    return f"{name} ({akteurstyp})" if extern else name


def register(engine: Engine, quartal: str | None = None) -> pd.DataFrame:
    """One row per Kooperation, sorted by name. With a quarter, Verbindlichkeit / Dauer /
    quadrant are those valid in that quarter (from the Einordnung history) and ``laeuft`` says
    whether the Kooperation runs in it; without, the current values and laeuft=None."""
    verwaltungsnamen = dict(zip(*_verwaltungsnamen(engine), strict=True))
    alle_mitglieder = mitglieder(engine)
    historie = einordnungen(engine)
    with Session(engine) as session:
        kooperationen = list(session.scalars(select(Kooperation).order_by(Kooperation.name,
                                                                          Kooperation.id)))
        rows = []
        for k in kooperationen:
            eigene = alle_mitglieder[alle_mitglieder["kooperation_id"] == k.id]
            aktuell = (k.verbindlichkeit, k.dauer)
            if quartal:
                verbindlichkeit, dauer = analyse.einordnung_am(
                    historie[historie["kooperation_id"] == k.id], quartal, aktuell)
            else:
                verbindlichkeit, dauer = aktuell
            felder = _handlungsfelder(k.handlungsfelder)
            rows.append({
                "id": k.id, "name": k.name, "format": k.format,
                "verbindlichkeit": verbindlichkeit, "dauer": dauer,
                "quadrant": analyse.quadrant_key(verbindlichkeit, dauer),
                "rechtsform": k.rechtsform, "ausrichtung": k.ausrichtung,
                "handlungsfelder": felder, "handlungsfeld": felder[0] if felder else "",
                "federfuehrung_key": k.federfuehrung_key,
                "federfuehrung": verwaltungsnamen.get(k.federfuehrung_key),
                "stellvertretung_key": k.stellvertretung_key,
                "stellvertretung": verwaltungsnamen.get(k.stellvertretung_key),
                "start": k.start, "ende": k.ende, "status": k.status,
                "ansprechperson": k.ansprechperson, "anschluss": k.anschluss,
                "was_funktioniert": k.was_funktioniert, "was_nicht": k.was_nicht,
                "mitglieder": TRENNER.join(
                    _mitglied_text(n, t, not isinstance(v, str))
                    for n, t, v in zip(eigene["name"], eigene["akteurstyp"],
                                       eigene["verwaltung_key"], strict=True)),
                "mitglied_keys": tuple(eigene["verwaltung_key"].dropna()),
                "mitglieder_anzahl": len(eigene),
                "laeuft": (analyse.laeuft_im_quartal(k.status, k.start, k.ende, quartal)
                           if quartal else None),
                "version": k.version,
            })
    return _mit_none(pd.DataFrame(rows, columns=REGISTER_SPALTEN))


def _verwaltungsnamen(engine: Engine) -> tuple[list[str], list[str]]:
    with Session(engine) as session:
        rows = session.execute(select(Verwaltung.key, Verwaltung.name)).all()
    return [r[0] for r in rows], [r[1] for r in rows]


def kooperation(engine: Engine, kooperation_id: int) -> dict | None:
    """Current values of one Kooperation as the form needs them (members as list of dicts:
    verwaltung_key or extern_name + akteurstyp), with its version; None if it does not exist."""
    with Session(engine) as session:
        k = session.get(Kooperation, kooperation_id)
        if k is None:
            return None
        return {**_werte(k), "handlungsfelder": list(_handlungsfelder(k.handlungsfelder)),
                "id": k.id, "version": k.version,
                "mitglieder": [{"verwaltung_key": m.verwaltung_key, "extern_name": m.extern_name,
                                "akteurstyp": m.akteurstyp} for m in k.mitglieder]}


def mitgliedschaften(engine: Engine, verwaltung_key: str, quartal: str) -> pd.DataFrame:
    """The Kooperationen the Verwaltung is a member of that are not over by the quarter
    (running or planned), with the register's columns."""
    frame = register(engine, quartal)
    return _offen(frame[frame["mitglied_keys"].map(lambda keys: verwaltung_key in keys)],
                  quartal).reset_index(drop=True)


def _offen(frame: pd.DataFrame, quartal: str) -> pd.DataFrame:
    """Rows that are running in the quarter or still to come (not ended before it)."""
    q = Quartal.parse(quartal)
    maske = [(r.laeuft or (r.status == "geplant"))
             and not (r.ende is not None and not pd.isna(r.ende) and r.ende < q.start)
             for r in frame.itertuples()]
    return frame[maske] if len(frame) else frame


NACHBAR_SPALTEN = ["nachbar_key", "nachbar", "kooperation_id", "name", "format", "quadrant",
                   "status", "federfuehrung", "ansprechperson"]


def nachbar_formate(engine: Engine, verwaltung_key: str, quartal: str) -> pd.DataFrame:
    """Per neighbour of the Verwaltung: the Kooperationen (running or planned) the neighbour is
    in and the Verwaltung is not – "Ihr Nachbar X ist zusätzlich in …"."""
    frame = _offen(register(engine, quartal), quartal)
    namen = dict(zip(*_verwaltungsnamen(engine), strict=True))
    eigene = frame["mitglied_keys"].map(lambda keys: verwaltung_key in keys)
    fremde = frame[~eigene]
    rows = []
    for nachbar in queries.nachbarn(engine).get(verwaltung_key, []):
        for r in fremde[fremde["mitglied_keys"].map(lambda keys, n=nachbar: n in keys)] \
                .itertuples():
            rows.append({"nachbar_key": nachbar, "nachbar": namen.get(nachbar, nachbar),
                         "kooperation_id": r.id, "name": r.name, "format": r.format,
                         "quadrant": r.quadrant, "status": r.status,
                         "federfuehrung": r.federfuehrung, "ansprechperson": r.ansprechperson})
    result = pd.DataFrame(rows, columns=NACHBAR_SPALTEN)
    result["federfuehrung"] = result["federfuehrung"].astype(object)
    result["ansprechperson"] = result["ansprechperson"].astype(object)
    return _mit_none(result.sort_values(["nachbar", "name"]).reset_index(drop=True))


def verwaltung_positionen(engine: Engine) -> pd.DataFrame:
    """key, lon, lat of every Verwaltung for the network view: a point inside its Gemeinden
    (the centroid, or a representative point when the centroid falls outside). The
    Kreisverwaltung has no area of its own: it sits at the centroid of the Kreis, moved to the
    nearest free spot when that lies on another Verwaltung's point (see _freier_platz)."""
    gemeinden = queries.gemeinden(engine, with_geometry=True)
    gemeinden = gemeinden[gemeinden["geometry"].notna()]
    rows = []
    for key, gruppe in gemeinden.groupby("verwaltung_key", sort=True):
        flaeche = shapely.union_all([shapely.from_geojson(g) for g in gruppe["geometry"]],
                                    grid_size=1e-6)
        punkt = flaeche.centroid
        if not punkt.within(flaeche):
            punkt = flaeche.representative_point()
        rows.append({"key": key, "lon": punkt.x, "lat": punkt.y})
    with Session(engine) as session:
        kreis = session.scalar(select(Kreis))
        kreis_keys = list(session.scalars(
            select(Verwaltung.key).where(Verwaltung.typ == "Kreisverwaltung")))
    if kreis is not None and kreis.geometry:
        mitte = shapely.from_geojson(kreis.geometry).centroid
        mitte = (mitte.x, mitte.y)
    elif rows:
        mitte = (sum(r["lon"] for r in rows) / len(rows), sum(r["lat"] for r in rows) / len(rows))
    else:
        mitte = None
    if mitte is not None:
        lon, lat = _freier_platz(mitte, [(r["lon"], r["lat"]) for r in rows])
        rows += [{"key": key, "lon": lon, "lat": lat} for key in kreis_keys]
    return pd.DataFrame(rows, columns=["key", "lon", "lat"])


def _freier_platz(mitte: tuple[float, float], belegt: list[tuple[float, float]],
                  anteil: float = 0.07) -> tuple[float, float]:
    """The first point on growing rings around `mitte` (deterministic order) that is at least
    `anteil` of the extent's diagonal away from every occupied point (lon scaled by cos(lat))."""
    if not belegt:
        return mitte
    faktor = math.cos(math.radians(mitte[1]))
    xs = [p[0] * faktor for p in belegt]
    ys = [p[1] for p in belegt]
    diagonale = math.hypot(max(xs) - min(xs), max(ys) - min(ys)) or 1.0
    abstand = anteil * diagonale

    def frei(x: float, y: float) -> bool:
        return all(math.hypot(x - bx, y - by) >= abstand for bx, by in zip(xs, ys, strict=True))

    x0, y0 = mitte[0] * faktor, mitte[1]
    if frei(x0, y0):
        return mitte
    for ring in range(1, 40):
        radius = ring * 0.02 * diagonale
        for schritt in range(24):
            winkel = math.radians(90 + 15 * schritt)
            x, y = x0 + radius * math.cos(winkel), y0 + radius * math.sin(winkel)
            if frei(x, y):
                return x / faktor, y
    return mitte


# --- Views for the page (load + pure analysis) ---------------------------------------------------


def warnungen(engine: Engine, quartal: str) -> pd.DataFrame:
    return analyse.warnungen(register(engine, quartal), mitglieder(engine),
                             queries.verwaltungen(engine), quartal)


def netzwerk(engine: Engine, quartal: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(knoten, kanten) of the network of Verwaltungen linked by shared running Kooperationen."""
    frame, alle, verwaltungen = (register(engine, quartal), mitglieder(engine),
                                 queries.verwaltungen(engine))
    knoten = analyse.netzwerk_knoten(frame, alle, verwaltungen, verwaltung_positionen(engine),
                                     quartal)
    return knoten, analyse.netzwerk_kanten(frame, alle, verwaltungen, quartal)


def matrix(engine: Engine, quartal: str) -> pd.DataFrame:
    """The register with x, y, groesse for the 2x2 matrix."""
    return analyse.matrix_punkte(register(engine, quartal))


def wechsel(engine: Engine) -> pd.DataFrame:
    return analyse.alle_wechsel(register(engine), einordnungen(engine))


def arbeitsgremium_vergleich(engine: Engine, quartal: str) -> list[analyse.GremiumVergleich]:
    return analyse.arbeitsgremium_vergleich(register(engine, quartal), mitglieder(engine),
                                            queries.verwaltungen(engine), quartal)


def stand(engine: Engine) -> str:
    """Date of the latest change to any Kooperation (audit log), formatted; "–" if none."""
    with Session(engine) as session:
        zeitpunkt = session.scalar(
            select(AuditEintrag.zeitpunkt).where(AuditEintrag.objekt == OBJEKT)
            .order_by(AuditEintrag.id.desc()).limit(1))
        if zeitpunkt is None:  # demo data is installed without per-row audit entries
            zeitpunkt = session.scalar(select(AuditEintrag.zeitpunkt)
                                       .order_by(AuditEintrag.id.desc()).limit(1))
    return formatting.datum(zeitpunkt)


def quelle(engine: Engine) -> str:
    text = "Kooperationsregister des Kreises (Redaktion)"
    return text + " (Demo-Daten, fiktiv)" if queries.ist_demo(engine) else text


# --- Validation ---------------------------------------------------------------------------------


class KooperationFehler(ValueError):
    """Invalid input: every problem as one German message naming the field."""

    def __init__(self, meldungen: Iterable[str]):
        self.meldungen = list(meldungen)
        super().__init__("\n".join(self.meldungen))


class VeralteteVersion(KooperationFehler):
    """The Kooperation was changed by someone else since the form was loaded."""


class KooperationNichtGefunden(KooperationFehler):
    pass


FELDER = ("name", "format", "verbindlichkeit", "dauer", "rechtsform", "ausrichtung",
          "handlungsfelder", "federfuehrung_key", "stellvertretung_key", "start", "ende",
          "status", "ansprechperson", "anschluss", "was_funktioniert", "was_nicht")
FELD_NAMEN = {
    "name": "Name", "format": "Format", "verbindlichkeit": "Verbindlichkeit", "dauer": "Dauer",
    "rechtsform": "Rechtsform", "ausrichtung": "Ausrichtung",
    "handlungsfelder": "Handlungsfelder", "federfuehrung_key": "Federführung",
    "stellvertretung_key": "Stellvertretung", "start": "Start", "ende": "Ende",
    "status": "Status", "ansprechperson": "Ansprechperson", "anschluss": "Anschluss",
    "was_funktioniert": "Was funktioniert", "was_nicht": "Was nicht funktioniert",
    "mitglieder": "Mitglieder",
}


@dataclass(frozen=True)
class Mitglied:
    verwaltung_key: str | None = None
    extern_name: str | None = None
    akteurstyp: str | None = None

    @property
    def identitaet(self) -> str:
        return analyse.mitglied_id(self.verwaltung_key, self.extern_name)


def _text(value: object) -> str | None:
    if value is None:
        return None
    text = str(value).strip()
    return text or None


def _datum(value: object, feld: str, fehler: list[str]) -> dt.date | None:
    if value is None or value == "" or (isinstance(value, float) and value != value):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value).strip()
    for parse in (dt.date.fromisoformat, lambda t: dt.datetime.strptime(t, "%d.%m.%Y").date()):
        try:
            return parse(text)
        except ValueError:
            continue
    fehler.append(f"{FELD_NAMEN[feld]}: „{text}“ ist kein Datum; erwartet wird TT.MM.JJJJ, "
                  f"z. B. 30.09.2026.")
    return None


def _liste(value: object) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [v.strip() for v in value.split(";") if v.strip()]
    return [str(v).strip() for v in value if str(v).strip()]


def _erlaubt(werte: Iterable[str]) -> str:
    return ", ".join(werte)


def _mitglieder(value: object, fehler: list[str]) -> list[Mitglied]:
    result: list[Mitglied] = []
    for eintrag in value or []:
        if isinstance(eintrag, str):
            result.append(Mitglied(verwaltung_key=eintrag.strip()))
        elif isinstance(eintrag, Mapping):
            key = _text(eintrag.get("verwaltung_key"))
            if key:
                result.append(Mitglied(verwaltung_key=key))
            else:
                result.append(Mitglied(extern_name=_text(eintrag.get("extern_name")),
                                       akteurstyp=_text(eintrag.get("akteurstyp"))))
        else:
            fehler.append(f"Mitglieder: unlesbarer Eintrag „{eintrag}“.")
    return result


def pruefe(data: Mapping, verwaltungen: Mapping[str, str]) -> tuple[dict, list[Mitglied]]:
    """Validate and normalise a Kooperation's data. verwaltungen: key -> name of the Kreis.

    Returns (values for the Kooperation's columns, members); raises KooperationFehler with all
    problems at once. Verbindlichkeit / Dauer left empty take the format's default.
    """
    fehler: list[str] = []
    werte: dict[str, object] = {}
    werte["name"] = _text(data.get("name"))
    if not werte["name"]:
        fehler.append("Name: Bitte einen Namen für die Kooperation angeben.")

    werte["format"] = _text(data.get("format"))
    standard = analyse.einordnung_aus_format(werte["format"]) if werte["format"] else None
    if not werte["format"]:
        fehler.append("Format: Bitte ein Format wählen (z. B. „Gemeinsames Projekt“).")
    elif standard is None:
        fehler.append(f"Format: „{werte['format']}“ ist kein bekanntes Format; erlaubt sind die "
                      f"Formate aus kooperationsformate.csv, z. B. "
                      f"{_erlaubt(analyse.format_namen()[:3])} …")

    for feld, erlaubt, index in (("verbindlichkeit", scales.VERBINDLICHKEIT, 0),
                                 ("dauer", scales.DAUER, 1)):
        wert = _text(data.get(feld))
        if wert is None and standard is not None:
            wert = standard[index]
        if wert is None:
            if standard is not None or werte["format"] is None:
                fehler.append(f"{FELD_NAMEN[feld]}: Bitte angeben (erlaubt: {_erlaubt(erlaubt)}).")
        elif wert not in erlaubt:
            fehler.append(f"{FELD_NAMEN[feld]}: „{wert}“ ist nicht erlaubt; erlaubt sind "
                          f"{_erlaubt(erlaubt)}.")
        werte[feld] = wert

    for feld, erlaubt, vorgabe in (("rechtsform", scales.RECHTSFORMEN, "keine"),
                                   ("ausrichtung", scales.AUSRICHTUNGEN, None),
                                   ("status", scales.KOOPERATION_STATUS, None)):
        wert = _text(data.get(feld)) or vorgabe
        if wert is None:
            fehler.append(f"{FELD_NAMEN[feld]}: Bitte angeben (erlaubt: {_erlaubt(erlaubt)}).")
        elif wert not in erlaubt:
            fehler.append(f"{FELD_NAMEN[feld]}: „{wert}“ ist nicht erlaubt; erlaubt sind "
                          f"{_erlaubt(erlaubt)}.")
        werte[feld] = wert

    felder = _liste(data.get("handlungsfelder"))
    if not felder:
        fehler.append(f"Handlungsfelder: Bitte mindestens ein Handlungsfeld wählen "
                      f"({_erlaubt(scales.HANDLUNGSFELDER)}).")
    for feld in felder:
        if feld not in scales.HANDLUNGSFELDER:
            fehler.append(f"Handlungsfelder: „{feld}“ ist nicht erlaubt; erlaubt sind "
                          f"{_erlaubt(scales.HANDLUNGSFELDER)}.")
    werte["handlungsfelder"] = TRENNER.join(dict.fromkeys(felder))

    werte["start"] = _datum(data.get("start"), "start", fehler)
    werte["ende"] = _datum(data.get("ende"), "ende", fehler)
    if werte["start"] and werte["ende"] and werte["ende"] < werte["start"]:
        fehler.append(f"Ende: Das Ende ({formatting.datum(werte['ende'])}) liegt vor dem Start "
                      f"({formatting.datum(werte['start'])}).")
    if werte["status"] == "beendet" and not werte["ende"]:
        fehler.append("Ende: Eine beendete Kooperation braucht ein Ende-Datum.")

    mitglieder_ = _mitglieder(data.get("mitglieder"), fehler)
    gesehen: set[str] = set()
    eindeutig: list[Mitglied] = []
    for m in mitglieder_:
        if m.verwaltung_key:
            if m.verwaltung_key not in verwaltungen:
                fehler.append(f"Mitglieder: „{m.verwaltung_key}“ ist keine Verwaltung dieses "
                              f"Kreises.")
                continue
        else:
            if not m.extern_name:
                fehler.append("Mitglieder: Ein externes Mitglied braucht einen Namen.")
                continue
            if not m.akteurstyp:
                fehler.append(f"Mitglieder: Für „{m.extern_name}“ fehlt der Akteurstyp "
                              f"(„Name; Akteurstyp“); erlaubt sind "
                              f"{_erlaubt(scales.AKTEURSTYPEN)}.")
                continue
            if m.akteurstyp not in scales.AKTEURSTYPEN:
                fehler.append(f"Mitglieder: Akteurstyp „{m.akteurstyp}“ von "
                              f"„{m.extern_name}“ ist nicht erlaubt; erlaubt sind "
                              f"{_erlaubt(scales.AKTEURSTYPEN)}.")
                continue
        if m.identitaet not in gesehen:
            gesehen.add(m.identitaet)
            eindeutig.append(m)
    if len(eindeutig) < 2:
        fehler.append(f"Mitglieder: Eine Kooperation braucht mindestens zwei Mitglieder "
                      f"(angegeben: {len(eindeutig)}).")

    mitglied_keys = {m.verwaltung_key for m in eindeutig if m.verwaltung_key}
    for feld in ("federfuehrung_key", "stellvertretung_key"):
        key = _text(data.get(feld))
        werte[feld] = key
        if key and key not in mitglied_keys:
            name = verwaltungen.get(key, key)
            fehler.append(f"{FELD_NAMEN[feld]}: {name} ist kein Mitglied der Kooperation; "
                          f"bitte als Mitglied aufnehmen oder eine andere Verwaltung wählen.")
    if werte["federfuehrung_key"] and werte["federfuehrung_key"] == werte["stellvertretung_key"]:
        fehler.append("Stellvertretung: Die Stellvertretung muss eine andere Verwaltung sein "
                      "als die Federführung.")
    if werte["stellvertretung_key"] and not werte["federfuehrung_key"]:
        fehler.append("Federführung: Eine Stellvertretung gibt es nur mit Federführung; bitte "
                      "die Federführung angeben.")

    for feld in ("ansprechperson", "anschluss", "was_funktioniert", "was_nicht"):
        werte[feld] = _text(data.get(feld))
    if fehler:
        raise KooperationFehler(fehler)
    return werte, eindeutig


def externe_aus_text(text: str | None) -> list[dict]:
    """External members from a text field, one per line: "Name; Akteurstyp" (the last ";"
    separates). Validation of the Akteurstyp happens in `pruefe`."""
    result = []
    for zeile in (text or "").splitlines():
        if not zeile.strip():
            continue
        name, trenner, typ = zeile.rpartition(";")
        if not trenner:
            name, typ = zeile, ""
        result.append({"extern_name": name.strip(), "akteurstyp": typ.strip() or None})
    return result


def externe_als_text(mitglieder_: Iterable[Mapping]) -> str:
    return "\n".join(f"{m['extern_name']}; {m['akteurstyp']}" for m in mitglieder_
                     if not m.get("verwaltung_key"))


# --- Writes -------------------------------------------------------------------------------------


def _werte(k: Kooperation) -> dict:
    return {feld: getattr(k, feld) for feld in FELDER}


def _mitglieder_text(k: Kooperation, namen: Mapping[str, str]) -> str:
    return TRENNER.join(sorted(
        namen.get(m.verwaltung_key, m.verwaltung_key) if m.verwaltung_key
        else f"{m.extern_name} ({m.akteurstyp})" for m in k.mitglieder))


def _namen(session: Session) -> dict[str, str]:
    return dict(session.execute(select(Verwaltung.key, Verwaltung.name)).all())


def _kreis_keys(session: Session) -> set[str]:
    return set(session.scalars(select(Verwaltung.key)
                               .where(Verwaltung.typ == "Kreisverwaltung")))


def _set_mitglieder(session: Session, k: Kooperation, mitglieder_: list[Mitglied]) -> None:
    kreis = _kreis_keys(session)
    bestehend = {analyse.mitglied_id(m.verwaltung_key, m.extern_name): m for m in k.mitglieder}
    neu = []
    for m in mitglieder_:
        alt = bestehend.get(m.identitaet)
        if alt is not None and (alt.verwaltung_key or alt.akteurstyp == m.akteurstyp):
            neu.append(alt)
            continue
        if m.verwaltung_key:
            neu.append(KooperationMitglied(
                verwaltung_key=m.verwaltung_key,
                akteurstyp="Landkreis" if m.verwaltung_key in kreis else "Verwaltung"))
        else:
            neu.append(KooperationMitglied(extern_name=m.extern_name, akteurstyp=m.akteurstyp))
    k.mitglieder = neu


def _ab_quartal(data: Mapping) -> str:
    wert = data.get("ab_quartal")
    return str(Quartal.parse(wert)) if wert else str(Quartal.of_date(dt.date.today()))


def _einordnen(k: Kooperation, ab_quartal: str) -> None:
    """Record the current Verbindlichkeit / Dauer from ab_quartal on (replacing a row of the
    same quarter, so several edits in one quarter leave one row)."""
    for row in k.einordnungen:
        if row.ab_quartal == ab_quartal:
            row.verbindlichkeit, row.dauer = k.verbindlichkeit, k.dauer
            return
    k.einordnungen.append(KooperationEinordnung(
        ab_quartal=ab_quartal, verbindlichkeit=k.verbindlichkeit, dauer=k.dauer))


def create_kooperation(engine: Engine, data: Mapping, benutzer: auth.Benutzer | None) -> int:
    """Validate and store a new Kooperation with members, first Einordnung and audit entries
    (as ``benutzer.name``).

    The first Einordnung starts in the quarter of the start date (else ``data["ab_quartal"]``,
    else the current quarter). Returns the new id; raises PermissionError unless ``benutzer``
    may edit Kooperationen of the new Federführung (auth.darf_kooperation_bearbeiten) and
    KooperationFehler on invalid input – nothing is written then.
    """
    with transaction(engine) as session:
        namen = _namen(session)
        auth.pruefe_kooperation_bearbeiten(benutzer, _text(data.get("federfuehrung_key")), namen)
        werte, mitglieder_ = pruefe(data, namen)
        k = Kooperation(**werte)
        _set_mitglieder(session, k, mitglieder_)
        ab = (str(Quartal.of_date(werte["start"])) if werte["start"] else _ab_quartal(data))
        _einordnen(k, ab)
        session.add(k)
        session.flush()
        aenderungen = {feld: (None, wert) for feld, wert in werte.items() if wert is not None}
        aenderungen["mitglieder"] = (None, _mitglieder_text(k, namen))
        audit.record(session, benutzer=benutzer.name, aktion="angelegt", objekt=OBJEKT,
                     schluessel=str(k.id), aenderungen=aenderungen,
                     kontext=f"Kooperation „{k.name}“, Einordnung ab {ab}")
        return k.id


def letzte_aenderung(session: Session, kooperation_id: int) -> AuditEintrag | None:
    return session.scalar(
        select(AuditEintrag).where(AuditEintrag.objekt == OBJEKT,
                                   AuditEintrag.schluessel == str(kooperation_id))
        .order_by(AuditEintrag.id.desc()).limit(1))


def _veraltet(session: Session, k: Kooperation, expected_version: int | None) -> VeralteteVersion:
    eintrag = letzte_aenderung(session, k.id)
    wer = (f"von {eintrag.benutzer} am {formatting.zeitpunkt(eintrag.zeitpunkt)} (UTC)"
           if eintrag else "von einer anderen Person")
    return VeralteteVersion([
        f"Die Kooperation „{k.name}“ wurde inzwischen {wer} geändert (Ihre Version "
        f"{expected_version}, aktuell Version {k.version}). Ihre Änderungen wurden nicht "
        f"gespeichert: bitte die Seite neu laden, die aktuellen Angaben prüfen und die Änderung "
        f"erneut eintragen."])


def _laden(session: Session, kooperation_id: int, expected_version: int | None) -> Kooperation:
    k = session.get(Kooperation, kooperation_id)
    if k is None:
        raise KooperationNichtGefunden([f"Kooperation Nr. {kooperation_id} gibt es nicht "
                                        f"(mehr)."])
    if expected_version is not None and k.version != expected_version:
        raise _veraltet(session, k, expected_version)
    return k


def update_kooperation(engine: Engine, kooperation_id: int, data: Mapping,
                       benutzer: auth.Benutzer | None, expected_version: int) -> int:
    """Change a Kooperation. Fields missing from ``data`` keep their value. A change of
    Verbindlichkeit or Dauer appends an Einordnung row from ``data["ab_quartal"]`` (default: the
    current quarter). Returns the new version; raises PermissionError unless ``benutzer`` may
    edit Kooperationen of the current Federführung – and, when ``data`` changes it, of the new
    one (auth.darf_kooperation_bearbeiten) –, VeralteteVersion when someone else saved in
    between, KooperationFehler on invalid input. Nothing is written on any error; the audit log
    gets ``benutzer.name``."""
    try:
        with transaction(engine) as session:
            namen = _namen(session)
            vorhanden = session.get(Kooperation, kooperation_id)
            if vorhanden is not None:
                auth.pruefe_kooperation_bearbeiten(benutzer, vorhanden.federfuehrung_key, namen)
                if "federfuehrung_key" in data:
                    neu = _text(data.get("federfuehrung_key"))
                    if neu != vorhanden.federfuehrung_key:
                        auth.pruefe_kooperation_bearbeiten(benutzer, neu, namen)
            k = _laden(session, kooperation_id, expected_version)
            bisher = _werte(k)
            eingabe = {**bisher, "mitglieder": [
                {"verwaltung_key": m.verwaltung_key, "extern_name": m.extern_name,
                 "akteurstyp": m.akteurstyp} for m in k.mitglieder]}
            if "verbindlichkeit" not in data and "dauer" not in data and "format" in data \
                    and data["format"] != bisher["format"]:
                eingabe["verbindlichkeit"] = eingabe["dauer"] = None  # new format's default
            eingabe.update({key: value for key, value in data.items() if key != "ab_quartal"})
            werte, mitglieder_ = pruefe(eingabe, namen)
            mitglieder_vorher = _mitglieder_text(k, namen)
            aenderungen = {feld: (bisher[feld], wert) for feld, wert in werte.items()
                           if bisher[feld] != wert}
            with session.no_autoflush:  # one UPDATE, so the version grows by exactly one
                for feld, (_alt, wert) in aenderungen.items():
                    setattr(k, feld, wert)
                _set_mitglieder(session, k, mitglieder_)
                mitglieder_nachher = _mitglieder_text(k, namen)
                if mitglieder_nachher != mitglieder_vorher:
                    aenderungen["mitglieder"] = (mitglieder_vorher, mitglieder_nachher)
                if not aenderungen:
                    session.rollback()
                    return k.version
                kontext = f"Kooperation „{k.name}“"
                if "verbindlichkeit" in aenderungen or "dauer" in aenderungen:
                    ab = _ab_quartal(data)
                    _einordnen(k, ab)
                    kontext += f", neue Einordnung ab {ab}"
                if set(aenderungen) == {"mitglieder"}:
                    attributes.flag_modified(k, "name")  # member-only change: bump version
            session.flush()
            audit.record(session, benutzer=benutzer.name, aktion="geändert", objekt=OBJEKT,
                         schluessel=str(k.id), aenderungen=aenderungen, kontext=kontext)
            return k.version
    except StaleDataError:  # saved by someone else between our read and our write
        with Session(engine) as session:
            k = session.get(Kooperation, kooperation_id)
            raise _veraltet(session, k, expected_version) from None


def end_kooperation(engine: Engine, kooperation_id: int, ende: dt.date | str,
                    benutzer: auth.Benutzer | None, expected_version: int) -> int:
    """Set the end date and status "beendet". Returns the new version. Same rights as
    update_kooperation (PermissionError, nothing written)."""
    return update_kooperation(engine, kooperation_id, {"ende": ende, "status": "beendet"},
                              benutzer, expected_version)


# --- Export -------------------------------------------------------------------------------------

EXPORT_SPALTEN = {
    "name": "Name", "format": "Format", "quadrant": "Einordnung (Verbindlichkeit · Dauer)",
    "handlungsfelder": "Handlungsfelder", "mitglieder": "Mitglieder",
    "mitglieder_anzahl": "Anzahl Mitglieder", "federfuehrung": "Federführung",
    "stellvertretung": "Stellvertretung", "rechtsform": "Rechtsform",
    "ausrichtung": "Ausrichtung", "start": "Start", "ende": "Ende", "status": "Status",
    "ansprechperson": "Ansprechperson", "anschluss": "Anschluss / Betreibermodell",
    "was_funktioniert": "Was funktioniert", "was_nicht": "Was nicht funktioniert",
}


def export_tabelle(frame: pd.DataFrame) -> pd.DataFrame:
    """The register with German column names, lists joined, for tables and exports."""
    tabelle = frame[list(EXPORT_SPALTEN)].copy()
    tabelle["handlungsfelder"] = tabelle["handlungsfelder"].map(TRENNER.join)
    return tabelle.rename(columns=EXPORT_SPALTEN)


def _zelle(value: object) -> object:
    from kreis_data.io.tabelle import escape_formula

    if value is None or (isinstance(value, float) and value != value):
        return None
    return escape_formula(value) if isinstance(value, str) else value


def quelle_zeile(quelle_: str, stand_: str) -> str:
    return f"Quelle: {quelle_} · Stand: {stand_}"


def export_csv(frame: pd.DataFrame, quelle_: str, stand_: str) -> bytes:
    """Semicolon CSV (UTF-8 with BOM, for Excel): a Quelle/Stand line, an empty line, the
    table. Dates as TT.MM.JJJJ; text a spreadsheet would run as a formula gets a ' prefix."""
    tabelle = export_tabelle(frame)
    puffer = io.StringIO()
    writer = csv.writer(puffer, delimiter=";", lineterminator="\r\n")
    writer.writerow([_zelle(quelle_zeile(quelle_, stand_))])
    writer.writerow([])
    writer.writerow(list(tabelle.columns))
    for row in tabelle.itertuples(index=False):
        writer.writerow([formatting.datum(v) if isinstance(v, dt.date) else
                         ("" if _zelle(v) is None else _zelle(v)) for v in row])
    return ("\ufeff" + puffer.getvalue()).encode("utf-8")


def export_xlsx(frame: pd.DataFrame, quelle_: str, stand_: str) -> bytes:
    """Excel workbook: sheet "Kooperationen" with the Quelle/Stand line on top, the header in
    row 3 (frozen, filter), dates as dates; formula-like text neutralised."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    tabelle = export_tabelle(frame)
    buch = Workbook()
    blatt = buch.active
    blatt.title = "Kooperationen"
    blatt.cell(1, 1, _zelle(quelle_zeile(quelle_, stand_))).font = Font(italic=True)
    for spalte, name in enumerate(tabelle.columns, start=1):
        blatt.cell(3, spalte, name).font = Font(bold=True)
        blatt.column_dimensions[get_column_letter(spalte)].width = min(
            60, max(12, len(name) + 2))
    for reihe, row in enumerate(tabelle.itertuples(index=False), start=4):
        for spalte, value in enumerate(row, start=1):
            zelle = blatt.cell(reihe, spalte, _zelle(value))
            if isinstance(value, dt.date):
                zelle.number_format = "DD.MM.YYYY"
    blatt.freeze_panes = "A4"
    if len(tabelle):
        blatt.auto_filter.ref = (f"A3:{get_column_letter(len(tabelle.columns))}"
                                 f"{3 + len(tabelle)}")
    puffer = io.BytesIO()
    buch.save(puffer)
    return puffer.getvalue()

