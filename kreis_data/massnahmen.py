"""Writing Maßnahmen (Steckbrief with nine fields): validation, optimistic concurrency, audit.

Reads are in kreis_data.analyses.deltas (massnahmen(), meilensteine()).
"""
from __future__ import annotations

from collections.abc import Mapping

from sqlalchemy import Engine
from sqlalchemy.orm.exc import StaleDataError

from kreis_data import audit, auth, scales
from kreis_data.database import transaction
from kreis_data.model import Massnahme
from kreis_data.quartal import Quartal

# Editable fields with their German names (for messages and the audit log).
FELDER = {
    "titel": "Titel", "beschreibung": "Beschreibung", "ziel": "Ziel",
    "verantwortlich": "Verantwortlich", "beteiligte": "Beteiligte",
    "finanzierung": "Finanzierung", "prioritaet": "Priorität",
    "prioritaet_begruendung": "Begründung der Priorität", "start_quartal": "Start (Quartal)",
    "dauer_quartale": "Dauer (Quartale)", "status": "Status",
    "status_begruendung": "Begründung des Status", "erfolgsindikator": "Erfolgsindikator",
}
PFLICHT = ("titel", "beschreibung", "ziel", "verantwortlich", "finanzierung", "prioritaet",
           "prioritaet_begruendung", "start_quartal", "dauer_quartale", "status",
           "erfolgsindikator")
# A status that is not the plan needs a reason.
STATUS_MIT_BEGRUENDUNG = ("verzögert", "gestoppt")


class VeralteteVersion(Exception):
    """Someone else saved the Maßnahme in between; nothing was written."""


def validate(werte: Mapping[str, object]) -> tuple[dict[str, object], list[str]]:
    """Cleaned values and German error messages (empty when valid)."""
    fehler: list[str] = []
    sauber: dict[str, object] = {}
    for feld, wert in werte.items():
        if feld not in FELDER:
            fehler.append(f"Unbekanntes Feld „{feld}“.")
            continue
        sauber[feld] = wert.strip() if isinstance(wert, str) else wert
    for feld in PFLICHT:
        if feld in sauber and (sauber[feld] is None or sauber[feld] == ""):
            fehler.append(f"{FELDER[feld]} darf nicht leer sein.")
    if "finanzierung" in sauber and sauber["finanzierung"] and (
            sauber["finanzierung"] not in scales.FINANZIERUNG):
        fehler.append(f"Finanzierung „{sauber['finanzierung']}“ ist nicht erlaubt – erlaubt sind "
                      f"{', '.join(scales.FINANZIERUNG)}.")
    if "prioritaet" in sauber and sauber["prioritaet"] and (
            sauber["prioritaet"] not in scales.PRIORITAETEN):
        fehler.append(f"Priorität „{sauber['prioritaet']}“ ist nicht erlaubt – erlaubt sind "
                      f"{', '.join(scales.PRIORITAETEN)}.")
    if "status" in sauber and sauber["status"] and sauber["status"] not in scales.MASSNAHME_STATUS:
        fehler.append(f"Status „{sauber['status']}“ ist nicht erlaubt – erlaubt sind "
                      f"{', '.join(scales.MASSNAHME_STATUS)}.")
    if sauber.get("start_quartal"):
        try:
            sauber["start_quartal"] = str(Quartal.parse(sauber["start_quartal"]))
        except ValueError as error:
            fehler.append(f"Start (Quartal): {error}.")
    if "dauer_quartale" in sauber and sauber["dauer_quartale"] not in (None, ""):
        try:
            dauer = int(sauber["dauer_quartale"])
        except (TypeError, ValueError):
            dauer = 0
        if not 1 <= dauer <= 40:
            fehler.append(f"Dauer „{sauber['dauer_quartale']}“ ist nicht erlaubt – erlaubt sind "
                          "ganze Zahlen von 1 bis 40 Quartalen.")
        else:
            sauber["dauer_quartale"] = dauer
    if sauber.get("status") in STATUS_MIT_BEGRUENDUNG and not sauber.get("status_begruendung"):
        fehler.append(f"Beim Status „{sauber['status']}“ ist eine Begründung des Status nötig.")
    if "status_begruendung" in sauber and sauber["status_begruendung"] == "":
        sauber["status_begruendung"] = None
    return sauber, fehler


def update_massnahme(engine: Engine, massnahme_id: int, version: int,
                     werte: Mapping[str, object], *,
                     benutzer: auth.Benutzer | None) -> dict[str, tuple]:
    """Change a Maßnahme in one transaction with its audit entries (as `benutzer.name`).

    Only the Kreis-Administration may (auth.darf_kreisweit); anyone else gets PermissionError.
    `version` is the version the editor started from; if the Maßnahme was saved in between,
    VeralteteVersion is raised and nothing is written. Invalid values raise ValueError with all
    German messages joined by newlines. Returns the changed fields {feld: (alt, neu)}.
    """
    auth.pruefe_kreisweit(benutzer, "Maßnahmen")
    sauber, fehler = validate(werte)
    if fehler:
        raise ValueError("\n".join(fehler))
    try:
        with transaction(engine) as session:
            massnahme = session.get(Massnahme, massnahme_id)
            if massnahme is None:
                raise ValueError(f"Maßnahme {massnahme_id} gibt es nicht (mehr).")
            if massnahme.version != version:
                raise VeralteteVersion(
                    f"Die Maßnahme „{massnahme.titel}“ wurde inzwischen von jemand anderem "
                    "geändert. Ihre Änderungen wurden nicht gespeichert – bitte neu laden und "
                    "erneut eintragen.")
            aenderungen = {f: (getattr(massnahme, f), v) for f, v in sauber.items()
                           if getattr(massnahme, f) != v}
            if not aenderungen:
                return {}
            for feld, (_alt, neu) in aenderungen.items():
                setattr(massnahme, feld, neu)
            audit.record(session, benutzer=benutzer.name, aktion="geändert",
                         objekt="massnahme",
                         schluessel=f"{massnahme_id} {massnahme.titel}"[:200],
                         aenderungen=aenderungen)
            session.flush()  # version check of the ORM (UPDATE ... WHERE version = ?)
    except StaleDataError as error:
        raise VeralteteVersion(
            "Die Maßnahme wurde gleichzeitig von jemand anderem geändert. Ihre Änderungen wurden "
            "nicht gespeichert – bitte neu laden und erneut eintragen.") from error
    return aenderungen
