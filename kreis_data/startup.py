"""What the app does once per process before the first page: schema up to date, the structure
check (kreis_data.datenbank_pruefung: not corrupt, known schema revision, every table), and on a
fresh installation the demo Kreis, so a new user sees real figures at once.

A database that fails raises (DatenbankFehler or the driver's error); components/shell.py shows
it in German on every page."""
from __future__ import annotations

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from kreis_data.database import is_initialised, migrate
from kreis_data.datenbank_pruefung import sicherstellen
from kreis_data.model import Kreis


def ensure_database(engine: Engine) -> None:
    if is_initialised(engine):
        migrate(engine)
        sicherstellen(engine)
        with Session(engine) as session:
            if session.scalar(select(Kreis.ags)) is not None:
                return
    from kreis_data.demo import install_demo

    install_demo(engine)
