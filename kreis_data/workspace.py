"""A workspace = one Kreis with its Gemeinden, Verwaltungen, neighbours, Merkmale and the EfA
catalog, created from an official dataset (``official.datensatz.KreisDatensatz``).

    create_kreis_workspace(engine, "09272")   # any Landkreis or kreisfreie Stadt, no network
    create_workspace(engine, KreisDatensatz.read(folder))  # a dataset built with build-kreis

A Landkreis gets one Verwaltung per Gemeindeverband plus its Kreisverwaltung; a kreisfreie
Stadt is one Verwaltung that executes the Gemeinde and the Kreis level itself (no separate
Kreisverwaltung).
"""
from __future__ import annotations

import json

from sqlalchemy import Engine, delete, select, text

from kreis_data import audit, laender, merkmal_konfiguration, scales
from kreis_data.database import is_initialised, migrate, transaction
from kreis_data.efa import katalog
from kreis_data.geometry import verwaltung_neighbours
from kreis_data.model import (
    Base,
    Gemeinde,
    GemeindefreiesGebiet,
    Kreis,
    MerkmalConfig,
    Meta,
    Nachbarschaft,
    Verwaltung,
)
from kreis_data.official.datensatz import KreisDatensatz

DEMO_KREIS_AGS = "03459"


def kreisverwaltung_name(kreis_name: str) -> str:
    return f"Kreisverwaltung {kreis_name}"


def reset_database(engine: Engine) -> None:
    """Drop every table and rebuild the schema from the migrations."""
    Base.metadata.drop_all(engine)
    with engine.begin() as connection:
        connection.execute(text("DROP TABLE IF EXISTS alembic_version"))
    migrate(engine)


def create_kreis_workspace(engine: Engine, kreis_ags: str, *, benutzer: str = "system") -> str:
    """Create the workspace of any Kreis from the shipped Germany-wide base."""
    from kreis_data.official.basis import kreis_datensatz

    return create_workspace(engine, kreis_datensatz(kreis_ags), benutzer=benutzer)


def create_workspace(engine: Engine, datensatz: KreisDatensatz, *, benutzer: str = "system") -> str:
    """Load an official dataset into an empty database; returns the Kreis AGS."""
    if not is_initialised(engine):
        migrate(engine)
    meta = datensatz.meta
    kreis_ags = meta["kreis_ags"]
    kreisfrei = bool(meta.get("kreisfrei"))
    gemeinden = datensatz.gemeinden
    with transaction(engine) as session:
        if session.scalar(select(Kreis.ags)) is not None:
            raise ValueError("Die Datenbank enthält bereits einen Kreis; zuerst zurücksetzen "
                             "(init --ersetzen) oder eine andere Datenbank wählen.")
        session.add(Kreis(ags=kreis_ags, name=meta["kreis_name"], land=meta["land"],
                          land_code=meta["land_code"],
                          geometry=json.dumps(datensatz.kreis_geometrie.__geo_interface__)))
        if not kreisfrei:
            session.add(Verwaltung(key=kreis_ags, kreis_ags=kreis_ags,
                                   name=kreisverwaltung_name(meta["kreis_name"]),
                                   typ=laender.KREISVERWALTUNG))
        verwaltungen = gemeinden.drop_duplicates("verwaltung_ars").sort_values("verwaltung_ars")
        for row in verwaltungen.itertuples():
            session.add(Verwaltung(key=row.verwaltung_ars, kreis_ags=kreis_ags,
                                   name=row.verwaltung_name, typ=row.verwaltung_typ))
        session.flush()
        for row in gemeinden.sort_values("ags").itertuples():
            session.add(Gemeinde(ags=row.ags, name=row.name, bezeichnung=row.bezeichnung,
                                 einwohner=int(row.einwohner), flaeche_km2=float(row.flaeche_km2),
                                 verwaltung_key=row.verwaltung_ars,
                                 geometry=json.dumps(row.geometry.__geo_interface__)))
        for row in datensatz.gemeindefrei.sort_values("ags").itertuples():
            session.add(GemeindefreiesGebiet(
                ags=row.ags, kreis_ags=kreis_ags, name=row.name, bewohnt=bool(row.bewohnt),
                einwohner=int(row.einwohner), flaeche_km2=float(row.flaeche_km2),
                geometry=json.dumps(row.geometry.__geo_interface__)))
        for a, b in verwaltung_neighbours(gemeinden):
            session.add(Nachbarschaft(verwaltung_a=a, verwaltung_b=b))
        for reihenfolge, merkmal in enumerate(scales.STANDARD_MERKMALE):
            session.add(MerkmalConfig(**merkmal_konfiguration.zeile(merkmal, reihenfolge)))
        katalog.store_katalog(session, meta["land_code"])
        set_meta(session, "quellen", meta["sources"])
        set_meta(session, "datensatz", {k: v for k, v in meta.items() if k != "sources"})
        set_meta(session, "demo", False)
        audit.record(session, benutzer=benutzer, aktion="angelegt", objekt="kreis",
                     schluessel=kreis_ags,
                     kontext=f"Arbeitsbereich {meta['kreis_name']} angelegt "
                             f"({laender.anzahl(meta['counts']['gemeinden'], 'Gemeinde')}, "
                             f"{laender.anzahl(meta['counts']['verwaltungen'], 'Verwaltung')})")
    return kreis_ags


def set_meta(session, key: str, value: object) -> None:
    session.execute(delete(Meta).where(Meta.key == key))
    session.add(Meta(key=key, value=json.dumps(value, ensure_ascii=False)))
