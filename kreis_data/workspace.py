"""A workspace = one Kreis with its Gemeinden, Verwaltungen, neighbours and Merkmale.

Created from an official dataset folder (see kreis_data/official and kreis_data/datasets).
"""
from __future__ import annotations

import json
from pathlib import Path

from sqlalchemy import Engine, delete, select, text

from kreis_data import audit, scales
from kreis_data.database import is_initialised, migrate, transaction
from kreis_data.geometry import load_gemeinden, verwaltung_neighbours
from kreis_data.model import (
    Base,
    Gemeinde,
    Kreis,
    MerkmalConfig,
    Meta,
    Nachbarschaft,
    Verwaltung,
)

DATASETS_DIR = Path(__file__).resolve().parent / "datasets"
DEMO_KREIS_AGS = "03459"


def dataset_dir(kreis_ags: str) -> Path:
    return DATASETS_DIR / kreis_ags


def kreisverwaltung_name(kreis_name: str) -> str:
    return f"Kreisverwaltung {kreis_name}"


def reset_database(engine: Engine) -> None:
    """Drop every table and rebuild the schema from the migrations."""
    Base.metadata.drop_all(engine)
    with engine.begin() as connection:
        connection.execute(text("DROP TABLE IF EXISTS alembic_version"))
    migrate(engine)


def create_workspace(engine: Engine, folder: Path, *, benutzer: str = "system") -> str:
    """Load the official dataset in `folder` into an empty database; returns the Kreis AGS."""
    if not is_initialised(engine):
        migrate(engine)
    meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
    gemeinden = load_gemeinden(folder)
    kreis_geojson = (folder / "kreis.geojson").read_text(encoding="utf-8")
    kreis_ags = meta["kreis_ags"]
    with transaction(engine) as session:
        if session.scalar(select(Kreis.ags)) is not None:
            raise ValueError("Die Datenbank enthält bereits einen Kreis; zuerst zurücksetzen.")
        session.add(Kreis(ags=kreis_ags, name=meta["kreis_name"], land=meta["land"],
                          land_code=meta["land_code"],
                          geometry=json.dumps(json.loads(kreis_geojson)["features"][0]["geometry"])))
        session.add(Verwaltung(key=kreis_ags, kreis_ags=kreis_ags,
                               name=kreisverwaltung_name(meta["kreis_name"]),
                               typ="Kreisverwaltung"))
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
        for a, b in verwaltung_neighbours(gemeinden):
            session.add(Nachbarschaft(verwaltung_a=a, verwaltung_b=b))
        for reihenfolge, merkmal in enumerate(scales.STANDARD_MERKMALE):
            session.add(MerkmalConfig(key=merkmal.key, name=merkmal.name, art=merkmal.art,
                                      pflicht=merkmal.pflicht, gewicht=merkmal.gewicht,
                                      reihenfolge=reihenfolge))
        set_meta(session, "quellen", meta["sources"])
        set_meta(session, "datensatz", {k: v for k, v in meta.items() if k != "sources"})
        set_meta(session, "demo", False)
        audit.record(session, benutzer=benutzer, aktion="angelegt", objekt="kreis",
                     schluessel=kreis_ags,
                     kontext=f"Arbeitsbereich {meta['kreis_name']} aus {folder.name} angelegt")
    return kreis_ags


def set_meta(session, key: str, value: object) -> None:
    session.execute(delete(Meta).where(Meta.key == key))
    session.add(Meta(key=key, value=json.dumps(value, ensure_ascii=False)))
