"""Gebietsstand of the workspace: what the map's borders are and what was reconciled.

The geometry (VG250) and the register (Gemeindeverzeichnis) have different Gebietsstände;
``official.abgleich`` merged predecessor areas into today's Gemeinden. This read view says so on
screen: one sentence, the reconciled Gemeinden of this Kreis and what is still open.
"""
from __future__ import annotations

import pandas as pd
from sqlalchemy import Engine

from kreis_data import formatting, laender, queries

ABGLEICH_SPALTEN = ["Gemeinde", "AGS", "Vorgänger (Gebietsstand der Geometrie)",
                    "Fläche laut Gemeindeverzeichnis (km²)", "Fläche der Vorgänger (km²)",
                    "Flächenprüfung"]


def _abgleich(engine: Engine) -> dict:
    return (queries.meta(engine).get("datensatz") or {}).get("abgleich") or {}


def abgleich_tabelle(engine: Engine) -> pd.DataFrame:
    """The Gemeinden of this Kreis whose area was put together from predecessors."""
    rows = [{
        "Gemeinde": e["name"], "AGS": e["ags"],
        "Vorgänger (Gebietsstand der Geometrie)": ", ".join(
            f"{v['name']} ({v['ags']})" for v in e["vorgaenger"]),
        "Fläche laut Gemeindeverzeichnis (km²)": formatting.zahl(e["flaeche_register_km2"], 2),
        "Fläche der Vorgänger (km²)": formatting.zahl(e["flaeche_geometrie_km2"], 2),
        "Flächenprüfung": "passt" if e["geprueft"] else "weicht ab",
    } for e in _abgleich(engine).get("abgeglichen", []) if not e.get("gemeindefrei")]
    return pd.DataFrame(rows, columns=ABGLEICH_SPALTEN)


def offene_punkte(engine: Engine) -> list[str]:
    """German sentences for what could not be reconciled in this Kreis."""
    saetze = []
    for e in _abgleich(engine).get("offen", []):
        if e.get("gemeindefrei"):
            continue
        saetze.append(f"{e['name']} ({e['ags']}): {e['art']} – {e['grund']}.")
    return saetze


def zusammenfassung(engine: Engine) -> str:
    """One or two sentences for the Methodik page."""
    gebiet = queries.gebiet(engine)
    if gebiet is None:
        return ""
    teile = [f"{gebiet.gebietsstand}." if gebiet.gebietsstand else ""]
    anzahl = len(abgleich_tabelle(engine))
    if anzahl:
        teile.append(f"{laender.anzahl(anzahl, 'Gemeinde')} dieses Kreises "
                     f"{'ist' if anzahl == 1 else 'sind'} seit dem Stand der Geometrie "
                     "entstanden oder gewachsen; ihre Fläche ist die Vereinigung ihrer Vorgänger "
                     "und wurde an der Fläche laut Gemeindeverzeichnis geprüft (Toleranz 1 km² "
                     "oder 5 %).")
    if gebiet.gemeindefreie_gebiete:
        teile.append(
            f"{laender.anzahl(gebiet.gemeindefreie_gebiete, 'gemeindefreies Gebiet', 'gemeindefreie Gebiete')} "
            "(etwa Staatsforste oder Seen) "
            f"{'gehört' if gebiet.gemeindefreie_gebiete == 1 else 'gehören'} zu keiner Gemeinde: "
            "Die Karte zeigt sie neutral, in keiner Kennzahl werden sie gezählt.")
    return " ".join(t for t in teile if t)
