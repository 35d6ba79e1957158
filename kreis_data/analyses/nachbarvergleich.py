"""Neighbour comparison of one Verwaltung: the Stufen side by side and who can help with what.

Phrased as "who is further and whom to call", never as a ranking.
"""
from __future__ import annotations

import pandas as pd
from sqlalchemy import Engine

from kreis_data import queries, scales

ZAHLWORTE = {1: "eine Stufe", 2: "zwei Stufen", 3: "drei Stufen", 4: "vier Stufen"}
KEINE_ANSPRECHPERSON = "keine Ansprechperson benannt"


def stufen_text(differenz: int) -> str:
    """German words for a difference of Stufen: 1 -> "eine Stufe", 2 -> "zwei Stufen"."""
    return ZAHLWORTE.get(differenz, f"{differenz} Stufen")


def spalten(verwaltung_key: str, nachbarn: dict[str, list[str]],
            verwaltungen: pd.DataFrame) -> list[str]:
    """The Verwaltung itself, then its neighbours sorted by name."""
    namen = verwaltungen.set_index("key")["name"]
    andere = sorted(nachbarn.get(verwaltung_key, []), key=lambda k: str(namen.get(k, k)).lower())
    return [verwaltung_key, *andere]


def matrix(verwaltung_key: str, nachbarn: dict[str, list[str]], bewertungen: pd.DataFrame,
           merkmale: list[scales.Merkmal], verwaltungen: pd.DataFrame) -> pd.DataFrame:
    """Stufen (Int64, NA = keine Angabe): index = Merkmal keys in order, columns = Verwaltung
    keys (the Verwaltung first, then its neighbours). `bewertungen` of one quarter."""
    keys = spalten(verwaltung_key, nachbarn, verwaltungen)
    werte = bewertungen.set_index(["merkmal_key", "verwaltung_key"])["stufe"]
    frame = pd.DataFrame(
        [[werte.get((m.key, k), pd.NA) for k in keys] for m in merkmale],
        index=[m.key for m in merkmale], columns=keys)
    return frame.astype("Int64")


def matrix_tabelle(stufen: pd.DataFrame, merkmale: list[scales.Merkmal],
                   verwaltungen: pd.DataFrame) -> pd.DataFrame:
    """The matrix as a readable table: Merkmal names as rows, Verwaltung names as columns,
    cells with the Stufe label ("3 – beschlossen", "keine Angabe")."""
    namen = verwaltungen.set_index("key")["name"]
    nach_key = {m.key: m for m in merkmale}
    rows = {}
    for key, reihe in stufen.iterrows():
        merkmal = nach_key[key]
        rows[merkmal.name] = [merkmal.kurzlabel(None if pd.isna(v) else int(v)) for v in reihe]
    return pd.DataFrame.from_dict(rows, orient="index",
                                  columns=[namen.get(k, k) for k in stufen.columns])


def ansprechperson(verwaltung: pd.Series | dict, mit_kontaktdaten: bool = True) -> str:
    """"Vorname Name (mail, Telefon)" or "keine Ansprechperson benannt"; without e-mail and
    phone when `mit_kontaktdaten` is False (kreis_data.kontakte)."""
    name = verwaltung.get("kontakt")
    if not isinstance(name, str) or not name.strip():
        return KEINE_ANSPRECHPERSON
    if not mit_kontaktdaten:
        return name
    wege = [w for w in (verwaltung.get("kontakt_email"), verwaltung.get("kontakt_telefon"))
            if isinstance(w, str) and w.strip()]
    return f"{name} ({', '.join(wege)})" if wege else name


def hinweise(verwaltung_key: str, nachbarn: dict[str, list[str]], bewertungen: pd.DataFrame,
             merkmale: list[scales.Merkmal], verwaltungen: pd.DataFrame,
             mit_kontaktdaten: bool = True) -> list[str]:
    """For every Merkmal where a neighbour is further: who, how far, whom to call.

    Only pairs where both have a value are compared; order: Merkmal order, then neighbour name.
    """
    stufen = matrix(verwaltung_key, nachbarn, bewertungen, merkmale, verwaltungen)
    info = verwaltungen.set_index("key")
    result = []
    for merkmal in merkmale:
        eigene = stufen.at[merkmal.key, verwaltung_key]
        if pd.isna(eigene):
            continue
        for nachbar in stufen.columns[1:]:
            wert = stufen.at[merkmal.key, nachbar]
            if pd.isna(wert) or wert <= eigene:
                continue
            name = info.at[nachbar, "name"] if nachbar in info.index else nachbar
            kontakt = (ansprechperson(info.loc[nachbar], mit_kontaktdaten)
                       if nachbar in info.index
                       else KEINE_ANSPRECHPERSON)
            person = (kontakt if kontakt == KEINE_ANSPRECHPERSON
                      else f"Ansprechperson: {kontakt}")
            if merkmal.art == "ja_nein":
                text = f"{name} hat bei „{merkmal.name}“ bereits „{merkmal.label(int(wert))}“"
            else:
                text = (f"{name} ist bei {merkmal.name} {stufen_text(int(wert - eigene))} "
                        f"weiter („{merkmal.label(int(wert))}“)")
            result.append(f"{text} – {person}")
    return result


def vergleich(engine: Engine, verwaltung_key: str, quartal: str,
              mit_kontaktdaten: bool = True) -> tuple[pd.DataFrame, list[str]]:
    """(matrix, hinweise) of a Verwaltung in a quarter, read from the database; the hinweise
    without e-mail and phone when `mit_kontaktdaten` is False."""
    nachbarn = queries.nachbarn(engine)
    bewertungen = queries.bewertungen(engine, quartal)
    merkmale = queries.merkmale(engine)
    verwaltungen = queries.verwaltungen(engine)
    return (matrix(verwaltung_key, nachbarn, bewertungen, merkmale, verwaltungen),
            hinweise(verwaltung_key, nachbarn, bewertungen, merkmale, verwaltungen,
                     mit_kontaktdaten))
