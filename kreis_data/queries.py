"""Read side: small DataFrames for pages, analyses and exports (no geometry unless asked)."""
from __future__ import annotations

import json

import pandas as pd
from sqlalchemy import Engine, func, select, text
from sqlalchemy.orm import Session

from kreis_data import audit, laender, scales
from kreis_data.model import (
    AuditEintrag,
    Bewertung,
    Gemeinde,
    GemeindefreiesGebiet,
    Kontakt,
    Kreis,
    MerkmalConfig,
    Meta,
    Nachbarschaft,
    Verwaltung,
)


def data_version(engine: Engine) -> int:
    """Changes whenever any data is written (every write has an audit entry; logins are no
    data, audit.KEINE_DATEN)."""
    with Session(engine) as session:
        return session.scalar(select(func.max(AuditEintrag.id)).where(
            AuditEintrag.objekt.not_in(audit.KEINE_DATEN))) or 0


# The newest audit id of every objekt in one statement. A loose index scan over the index
# (objekt, id): one index lookup per objekt instead of reading the whole audit log (a GROUP BY
# would scan every entry). Plain SQL that SQLite and PostgreSQL both run.
_KEINE_DATEN = ", ".join(f"'{objekt}'" for objekt in sorted(audit.KEINE_DATEN))
_VERSIONEN = text(f"""
WITH RECURSIVE objekte(objekt) AS (
    SELECT min(objekt) FROM audit_log
    UNION ALL
    SELECT (SELECT min(a.objekt) FROM audit_log a WHERE a.objekt > objekte.objekt)
    FROM objekte WHERE objekte.objekt IS NOT NULL
)
SELECT objekt, (SELECT max(a.id) FROM audit_log a WHERE a.objekt = objekte.objekt)
FROM objekte WHERE objekt IS NOT NULL AND objekt NOT IN ({_KEINE_DATEN})
""")  # logins (audit.KEINE_DATEN) change no data: no version, no invalidated cache


def versionen(engine: Engine) -> dict[str, int]:
    """objekt of the audit log -> its newest entry id: what changes when that kind of data is
    written (every write has an audit entry). Empty for an empty log."""
    with engine.connect() as connection:
        return {objekt: int(version) for objekt, version in connection.execute(_VERSIONEN)}


def meta(engine: Engine) -> dict[str, object]:
    with Session(engine) as session:
        return {m.key: json.loads(m.value) for m in session.scalars(select(Meta))}


def kreis(engine: Engine) -> dict[str, str] | None:
    with Session(engine) as session:
        k = session.scalar(select(Kreis))
        return None if k is None else {"ags": k.ags, "name": k.name, "land": k.land,
                                       "land_code": k.land_code}


def gebiet(engine: Engine) -> laender.Gebiet | None:
    """The Kreis in words (Verwaltungsarten present, kreisfrei, Gebietsstand)."""
    daten = meta(engine)
    with Session(engine) as session:
        k = session.scalar(select(Kreis))
        if k is None:
            return None
        typen = list(session.scalars(select(Verwaltung.typ).where(
            Verwaltung.typ != laender.KREISVERWALTUNG)))
        frei = session.scalar(select(func.count()).select_from(GemeindefreiesGebiet)) or 0
    datensatz = daten.get("datensatz") or {}
    kreisfrei = any(t in (laender.KREISFREIE_STADT, laender.STADTKREIS) for t in typen)
    return laender.Gebiet(
        kreis_name=k.name, land_code=k.land_code, kreisfrei=kreisfrei,
        verwaltungsarten=laender.sortierte_arten(typen), anzahl_verwaltungen=len(typen),
        gebietsstand=(datensatz.get("gebietsstand") or {}).get("text", ""),
        gemeindefreie_gebiete=frei)


def ist_demo(engine: Engine) -> bool:
    return bool(meta(engine).get("demo"))


def merkmale(engine: Engine) -> list[scales.Merkmal]:
    """The workspace's Merkmale in display order, with their scale definitions."""
    with Session(engine) as session:
        return [scales.merkmal_aus_config(m.key, m.name, m.art, m.pflicht, m.gewicht, m.stufen)
                for m in session.scalars(select(MerkmalConfig).order_by(
                    MerkmalConfig.reihenfolge, MerkmalConfig.key))]


def quartale(engine: Engine) -> list[str]:
    with Session(engine) as session:
        return sorted(session.scalars(select(Bewertung.quartal).distinct()))


def verwaltungen(engine: Engine) -> pd.DataFrame:
    """One row per Verwaltung: key, name, typ, gemeinden (count), einwohner, flaeche_km2,
    kreisverwaltung (bool), kontakt (name or None)."""
    with Session(engine) as session:
        rows = session.execute(
            select(Verwaltung.key, Verwaltung.name, Verwaltung.typ,
                   func.count(Gemeinde.ags), func.coalesce(func.sum(Gemeinde.einwohner), 0),
                   func.coalesce(func.sum(Gemeinde.flaeche_km2), 0.0))
            .outerjoin(Gemeinde, Gemeinde.verwaltung_key == Verwaltung.key)
            .group_by(Verwaltung.key).order_by(Verwaltung.name)).all()
        kontakte = {k.verwaltung_key: k for k in session.scalars(select(Kontakt).order_by(Kontakt.id))}
        kreis_einwohner = session.scalar(select(func.sum(Gemeinde.einwohner))) or 0
    frame = pd.DataFrame(rows, columns=["key", "name", "typ", "gemeinden", "einwohner",
                                        "flaeche_km2"])
    frame["kreisverwaltung"] = frame["typ"] == laender.KREISVERWALTUNG
    frame["vollzugsebenen"] = frame["typ"].map(laender.vollzugsebenen)
    # The Kreisverwaltung serves every inhabitant of the Kreis.
    frame.loc[frame["kreisverwaltung"], "einwohner"] = kreis_einwohner
    frame["kontakt"] = [kontakte[k].name if k in kontakte else None for k in frame["key"]]
    frame["kontakt_email"] = [kontakte[k].email if k in kontakte else None for k in frame["key"]]
    frame["kontakt_telefon"] = [kontakte[k].telefon if k in kontakte else None
                                for k in frame["key"]]
    return frame


def gemeinden(engine: Engine, with_geometry: bool = False) -> pd.DataFrame:
    columns = [Gemeinde.ags, Gemeinde.name, Gemeinde.bezeichnung, Gemeinde.einwohner,
               Gemeinde.flaeche_km2, Gemeinde.verwaltung_key, Verwaltung.name.label("verwaltung")]
    if with_geometry:
        columns.append(Gemeinde.geometry)
    with Session(engine) as session:
        rows = session.execute(select(*columns).join(Verwaltung).order_by(Gemeinde.name)).all()
    names = ["ags", "name", "bezeichnung", "einwohner", "flaeche_km2", "verwaltung_key",
             "verwaltung"] + (["geometry"] if with_geometry else [])
    return pd.DataFrame(rows, columns=names)


def gemeindefreie_gebiete(engine: Engine) -> pd.DataFrame:
    """ags, name, bewohnt, einwohner, flaeche_km2, geometry (GeoJSON text) of the Kreis's
    gemeindefreie Gebiete (no Gemeinde, no Verwaltung; shown on the map only)."""
    with Session(engine) as session:
        rows = session.execute(select(
            GemeindefreiesGebiet.ags, GemeindefreiesGebiet.name, GemeindefreiesGebiet.bewohnt,
            GemeindefreiesGebiet.einwohner, GemeindefreiesGebiet.flaeche_km2,
            GemeindefreiesGebiet.geometry).order_by(GemeindefreiesGebiet.name)).all()
    return pd.DataFrame(rows, columns=["ags", "name", "bewohnt", "einwohner", "flaeche_km2",
                                       "geometry"])


def nachbarn(engine: Engine) -> dict[str, list[str]]:
    """Verwaltung key -> sorted keys of its neighbours."""
    result: dict[str, list[str]] = {}
    with Session(engine) as session:
        for pair in session.scalars(select(Nachbarschaft)):
            result.setdefault(pair.verwaltung_a, []).append(pair.verwaltung_b)
            result.setdefault(pair.verwaltung_b, []).append(pair.verwaltung_a)
    return {key: sorted(value) for key, value in result.items()}


BEWERTUNG_SPALTEN = ["verwaltung_key", "merkmal_key", "quartal", "stufe", "quelle", "stand",
                     "erfasst_von", "bemerkung"]


def bewertungen(engine: Engine, quartale: list[str] | str | None = None) -> pd.DataFrame:
    """Bewertungen of the given quarter(s) (all when None); stufe is a nullable integer."""
    query = select(*(getattr(Bewertung, c) for c in BEWERTUNG_SPALTEN))
    if isinstance(quartale, str):
        quartale = [quartale]
    if quartale is not None:
        query = query.where(Bewertung.quartal.in_(quartale))
    with Session(engine) as session:
        rows = session.execute(query.order_by(Bewertung.quartal, Bewertung.verwaltung_key,
                                              Bewertung.merkmal_key)).all()
    frame = pd.DataFrame(rows, columns=BEWERTUNG_SPALTEN)
    frame["stufe"] = frame["stufe"].astype("Int64")
    return frame
