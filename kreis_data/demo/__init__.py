"""Demo workspace: Landkreis Osnabrück (03459) with official Gebiete and Einwohner and
fictitious, deterministically generated data for the quarters 2024-Q4 to 2026-Q3.

    install_demo(engine)              # empty database -> demo; demo present -> nothing
    install_demo(engine, force=True)  # always rebuild (deletes everything in the database)

The generators live in the submodules: bewertungen (Digitalisierungsstand), personen (Kontakte),
software (Produkte, Standards), leistungen (EfA-Leistungen, Vollzug, Anbindungen),
kooperationen, steuerung (Maßnahmen, Sitzungen). Everything derives from ``seed``; nothing
reads the clock except the audit timestamp.
"""
from __future__ import annotations

import json

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from kreis_data import audit
from kreis_data.database import is_initialised, transaction
from kreis_data.demo.basis import DEMO_QUARTALE, load_kontext
from kreis_data.demo.bewertungen import store_bewertungen
from kreis_data.demo.kooperationen import store_kooperationen
from kreis_data.demo.leistungen import store_anbindungen, store_leistungen
from kreis_data.demo.personen import assign_personen, store_kontakte
from kreis_data.demo.software import store_software
from kreis_data.demo.steuerung import store_massnahmen, store_sitzungen
from kreis_data.model import Kreis, Meta
from kreis_data.workspace import (
    DEMO_KREIS_AGS,
    create_kreis_workspace,
    reset_database,
    set_meta,
)

__all__ = ["DEMO_HINWEIS", "DEMO_QUARTALE", "DEMO_SEED", "install_demo"]

DEMO_SEED = 3459
DEMO_BENUTZER = "Demo-Generator"
DEMO_HINWEIS = ("Demo-Daten (fiktiv): Digitalisierungsstand, Produkte, Anbindungen, "
                "Kooperationen, Maßnahmen und Kontakte sind erfunden; Gebiete und Einwohner "
                "sind amtlich.")


def _zustand(engine: Engine) -> str:
    """'leer' (no workspace), 'demo' (demo workspace) or 'eigen' (a real workspace)."""
    if not is_initialised(engine):
        return "leer"
    with Session(engine) as session:
        kreis = session.scalar(select(Kreis.ags))
        if kreis is None:
            return "leer"
        demo = session.scalar(select(Meta.value).where(Meta.key == "demo"))
    return "demo" if demo is not None and json.loads(demo) is True else "eigen"


def install_demo(engine: Engine, *, force: bool = False, seed: int = DEMO_SEED) -> bool:
    """Load the demo workspace; True if it was (re)built, False if it was already there.

    A database holding a workspace with the user's own data is only replaced with
    ``force=True``; otherwise ValueError with a German message.
    """
    zustand = _zustand(engine)
    if zustand == "demo" and not force:
        return False
    if zustand == "eigen" and not force:
        raise ValueError(
            "Die Datenbank enthält bereits einen Arbeitsbereich mit eigenen Daten (keine "
            "Demo-Daten). Die Demo wird nur mit --force eingespielt; dabei werden alle "
            "vorhandenen Daten gelöscht.")
    reset_database(engine)
    create_kreis_workspace(engine, DEMO_KREIS_AGS, benutzer=DEMO_BENUTZER)
    try:
        with transaction(engine) as session:
            _generate(session, seed)
    except BaseException:
        reset_database(engine)  # never leave a half-filled workspace behind
        raise
    return True


def _generate(session: Session, seed: int) -> None:
    kontext = load_kontext(session, seed)
    assign_personen(kontext)
    store_kontakte(session, kontext)
    bewertungen = store_bewertungen(session, kontext)
    letzte = DEMO_QUARTALE[-1]
    stufe_jetzt = {(r["verwaltung_key"], r["merkmal_key"]): r["stufe"]
                   for r in bewertungen if r["quartal"] == letzte}
    standards = store_software(session, kontext, stufe_jetzt)
    leistungen = store_leistungen(session, kontext)
    anbindungen = store_anbindungen(session, kontext, leistungen, standards)
    kooperationen = store_kooperationen(session, kontext)
    massnahmen = store_massnahmen(session, kontext, kooperationen, leistungen)
    store_sitzungen(session, kontext)
    set_meta(session, "demo", True)
    set_meta(session, "quartale", list(DEMO_QUARTALE))
    set_meta(session, "demo_hinweis", DEMO_HINWEIS)
    set_meta(session, "demo_seed", seed)
    audit.record(session, benutzer=DEMO_BENUTZER, aktion="angelegt", objekt="demo",
                 schluessel=kontext.kreis_ags,
                 kontext=(f"Demo-Daten erzeugt (Seed {seed}): {len(bewertungen)} Bewertungen, "
                          f"{anbindungen} Anbindungen, {len(kooperationen)} Kooperationen, "
                          f"{massnahmen} Maßnahmen"))
