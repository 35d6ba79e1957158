"""The stored configuration of the Merkmale (table "merkmal") from their declaration in
``scales.STANDARD_MERKMALE``: written when a workspace is created, and by the migration that
adds a new Merkmal to existing databases.

A new Merkmal (see README, "Aufbau"): its declaration in scales.py, its demo values in
demo/bewertungen.py, and a migration whose upgrade is ``ergaenzen(op.get_bind(), "open_data")``.
"""
from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from kreis_data import scales

# The table as the migrations see it (independent of the ORM model's later changes).
MERKMAL = sa.table(
    "merkmal", sa.column("key", sa.String), sa.column("name", sa.String),
    sa.column("art", sa.String), sa.column("pflicht", sa.Boolean),
    sa.column("gewicht", sa.Float), sa.column("reihenfolge", sa.Integer))
KREIS = sa.table("kreis", sa.column("ags", sa.String))


def zeile(merkmal: scales.Merkmal, reihenfolge: int) -> dict[str, object]:
    """The stored configuration of a declared Merkmal."""
    return {"key": merkmal.key, "name": merkmal.name, "art": merkmal.art,
            "pflicht": merkmal.pflicht, "gewicht": merkmal.gewicht, "reihenfolge": reihenfolge}


def deklaration(key: str) -> scales.Merkmal:
    for merkmal in scales.STANDARD_MERKMALE:
        if merkmal.key == key:
            return merkmal
    raise KeyError(f"Das Merkmal „{key}“ ist in kreis_data/scales.py nicht deklariert.")


def ergaenzen(connection: Connection, key: str) -> bool:
    """Add the declared Merkmal `key` to an existing workspace, after its other Merkmale.
    A database without a Kreis gets it when its workspace is created; a workspace that has it
    already is left alone. True when a row was written."""
    merkmal = deklaration(key)
    if connection.execute(sa.select(KREIS.c.ags).limit(1)).first() is None:
        return False
    if connection.execute(sa.select(MERKMAL.c.key).where(MERKMAL.c.key == key)).first():
        return False
    letzte = connection.execute(sa.select(sa.func.max(MERKMAL.c.reihenfolge))).scalar()
    connection.execute(sa.insert(MERKMAL).values(**zeile(merkmal, (letzte or 0) + 1)))
    return True


def entfernen(connection: Connection, key: str) -> None:
    """Downgrade of `ergaenzen`: remove the Merkmal's configuration and its Bewertungen."""
    connection.execute(sa.text("DELETE FROM bewertung WHERE merkmal_key = :key"), {"key": key})
    connection.execute(sa.delete(MERKMAL).where(MERKMAL.c.key == key))
