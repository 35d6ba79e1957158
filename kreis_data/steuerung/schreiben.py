"""Steuerung write services: change a Maßnahme (Steckbrief with nine fields) in one unit of work
with its audit entries. Only the Kreis-Administration; a stale version is refused."""
from __future__ import annotations

from collections.abc import Mapping

from sqlalchemy import Engine

from kreis_data.arbeitseinheit import Aenderung, schreiben
from kreis_data.fehler import Ungueltig
from kreis_data.konten import regeln as rechte
from kreis_data.model import Massnahme
from kreis_data.steuerung.regeln import validate


def update_massnahme(engine: Engine, benutzer: rechte.Benutzer | None, massnahme_id: int,
                     werte: Mapping[str, object], *, version: int | None) -> Aenderung:
    """Change the given fields of a Maßnahme; unchanged values write nothing."""
    rechte.pruefe_kreisweit(benutzer, "Maßnahmen")
    sauber, fehler = validate(werte)
    if fehler:
        raise Ungueltig(fehler)
    with schreiben(engine, benutzer.name) as uow:
        massnahme = uow.session.get(Massnahme, massnahme_id)
        if massnahme is None:
            raise Ungueltig(f"Maßnahme {massnahme_id} gibt es nicht (mehr).")
        uow.pruefe_version(f"Die Maßnahme „{massnahme.titel}“", massnahme.version, version)
        return uow.aendern(massnahme, sauber, objekt="massnahme",
                           schluessel=f"{massnahme_id} {massnahme.titel}")
