"""Kooperationen read views: the register, members and Einordnungen, the Kooperationen of one
Verwaltung and of its neighbours, positions on the map, and the analyses of ``regeln`` applied to
the stored data (warnings, network, matrix, movement, Bundesvergleich). Plain DataFrames and
dataclasses, cacheable by ``components.data.cached``."""
from __future__ import annotations

import math

import pandas as pd
import shapely
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from kreis_data import audit, formatting, queries
from kreis_data.kooperationen import regeln
from kreis_data.kooperationen.regeln import TRENNER
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
    frame["quadrant"] = [regeln.quadrant_key(v, d)
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
                verbindlichkeit, dauer = regeln.einordnung_am(
                    historie[historie["kooperation_id"] == k.id], quartal, aktuell)
            else:
                verbindlichkeit, dauer = aktuell
            felder = _handlungsfelder(k.handlungsfelder)
            rows.append({
                "id": k.id, "name": k.name, "format": regeln.formatname(k.format),
                "verbindlichkeit": verbindlichkeit, "dauer": dauer,
                "quadrant": regeln.quadrant_key(verbindlichkeit, dauer),
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
                "laeuft": (regeln.laeuft_im_quartal(k.status, k.start, k.ende, quartal)
                           if quartal else None),
                "version": k.version,
            })
    return _mit_none(pd.DataFrame(rows, columns=REGISTER_SPALTEN))


TABELLE_SPALTEN = {
    "name": "Name", "format": "Format", "quadrant": "Einordnung (Verbindlichkeit · Dauer)",
    "handlungsfelder": "Handlungsfelder", "mitglieder": "Mitglieder",
    "mitglieder_anzahl": "Anzahl Mitglieder", "federfuehrung": "Federführung",
    "stellvertretung": "Stellvertretung", "rechtsform": "Rechtsform",
    "ausrichtung": "Ausrichtung", "start": "Start", "ende": "Ende", "status": "Status",
    "ansprechperson": "Ansprechperson", "anschluss": "Anschluss / Betreibermodell",
    "was_funktioniert": "Was funktioniert", "was_nicht": "Was nicht funktioniert",
}


def register_tabelle(frame: pd.DataFrame) -> pd.DataFrame:
    """The register (or a filtered part) for people: German column names, lists joined – the
    table on the page and in its downloads (``kreis_data.io.export``)."""
    tabelle = frame[list(TABELLE_SPALTEN)].copy()
    tabelle["handlungsfelder"] = tabelle["handlungsfelder"].map(TRENNER.join)
    return tabelle.rename(columns=TABELLE_SPALTEN)


def werte(k: Kooperation) -> dict:
    """The stored values of a Kooperation by field (regeln.FELDER)."""
    return {feld: getattr(k, feld) for feld in regeln.FELDER}


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
        return {**werte(k), "handlungsfelder": list(_handlungsfelder(k.handlungsfelder)),
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


def warnungen(engine: Engine, quartal: str) -> pd.DataFrame:
    return regeln.warnungen(register(engine, quartal), mitglieder(engine),
                             queries.verwaltungen(engine), quartal)


def netzwerk(engine: Engine, quartal: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(knoten, kanten) of the network of Verwaltungen linked by shared running Kooperationen."""
    frame, alle, verwaltungen = (register(engine, quartal), mitglieder(engine),
                                 queries.verwaltungen(engine))
    knoten = regeln.netzwerk_knoten(frame, alle, verwaltungen, verwaltung_positionen(engine),
                                     quartal)
    return knoten, regeln.netzwerk_kanten(frame, alle, verwaltungen, quartal)


def matrix(engine: Engine, quartal: str) -> pd.DataFrame:
    """The register with x, y, groesse for the 2x2 matrix."""
    return regeln.matrix_punkte(register(engine, quartal))


def wechsel(engine: Engine) -> pd.DataFrame:
    return regeln.alle_wechsel(register(engine), einordnungen(engine))


def arbeitsgremium_vergleich(engine: Engine, quartal: str) -> list[regeln.GremiumVergleich]:
    return regeln.arbeitsgremium_vergleich(register(engine, quartal), mitglieder(engine),
                                            queries.verwaltungen(engine), quartal)


def stand(engine: Engine) -> str:
    """Date of the latest change to any Kooperation (audit log), formatted; "–" if none."""
    with Session(engine) as session:
        zeitpunkt = session.scalar(
            select(AuditEintrag.zeitpunkt).where(AuditEintrag.objekt == OBJEKT)
            .order_by(AuditEintrag.id.desc()).limit(1))
        if zeitpunkt is None:  # demo data is installed without per-row audit entries
            zeitpunkt = session.scalar(select(AuditEintrag.zeitpunkt)
                                       .where(AuditEintrag.objekt.not_in(audit.KEINE_DATEN))
                                       .order_by(AuditEintrag.id.desc()).limit(1))
    return formatting.datum(zeitpunkt)


def quelle(engine: Engine) -> str:
    text = "Kooperationsregister des Kreises (Redaktion)"
    return text + " (Demo-Daten, fiktiv)" if queries.ist_demo(engine) else text


def letzte_aenderung(session: Session, kooperation_id: int) -> AuditEintrag | None:
    return session.scalar(
        select(AuditEintrag).where(AuditEintrag.objekt == OBJEKT,
                                   AuditEintrag.schluessel == str(kooperation_id))
        .order_by(AuditEintrag.id.desc()).limit(1))
