"""Steuerung rules, pure: the fields of a Maßnahme-Steckbrief and their checks, and when a
Maßnahme ends (Start + Dauer − 1)."""
from __future__ import annotations

from collections.abc import Mapping

from kreis_data import scales, textregeln
from kreis_data.model import Massnahme
from kreis_data.quartal import Quartal, pruefe_quartal

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


def validate(werte: Mapping[str, object]) -> tuple[dict[str, object], list[str]]:
    """Cleaned values and German error messages (empty when valid)."""
    fehler: list[str] = []
    sauber: dict[str, object] = {}
    for feld, wert in werte.items():
        if feld not in FELDER:
            fehler.append(f"Unbekanntes Feld „{feld}“.")
            continue
        if feld in ("start_quartal", "dauer_quartale"):
            if isinstance(wert, bool) or textregeln.ist_formel_ohne_wert(wert):
                fehler.append(f"{FELDER[feld]}: „{wert}“ ist nicht erlaubt – WAHR/FALSCH oder "
                              "eine Formel ohne Wert ist kein Quartal und keine Zahl.")
                continue
            sauber[feld] = wert.strip() if isinstance(wert, str) else wert
            continue
        try:  # text: NFKC, no control characters, within its column – refused, never cut
            sauber[feld] = textregeln.pruefe_text(
                wert, FELDER[feld], max_laenge=textregeln.laenge(Massnahme, feld)) or ""
        except ValueError as exc:
            fehler.append(f"{exc}.")
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
            # a plan: up to IKZ_PLANUNG_VORAUS quarters ahead
            sauber["start_quartal"] = str(pruefe_quartal(sauber["start_quartal"], planung=True))
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


def end_quartal(start_quartal: str, dauer_quartale: int) -> str:
    """Last quarter of a Maßnahme: a Maßnahme from 2026-Q1 lasting 2 quarters ends in 2026-Q2."""
    return str(Quartal.parse(start_quartal).plus(max(int(dauer_quartale), 1) - 1))
