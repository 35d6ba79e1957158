"""A small map that highlights a set of Verwaltungen (e.g. the users of a product, the members of
a Kooperation), with Verwaltung borders, tooltips, legend, summary sentence and table twin.

The map component (components.karte_komponente) has the geometry once; a rerun sends only which
Verwaltung is highlighted. Panning and zooming never rerun the page. Verwaltungen without a
polygon (the Kreisverwaltung) are named in the summary instead.
"""
from __future__ import annotations

from collections.abc import Collection

import pandas as pd
import streamlit as st

from components import data
from components.karte_komponente import karte
from components.legend import legende_html
from components.text import md
from kreis_data import formatting, queries, scales

FARBE_AUSGEWAEHLT = scales.AUSGEWAEHLT_FARBE
FARBE_ANDERE = scales.NICHT_AUSGEWAEHLT_FARBE
FARBEN = (FARBE_ANDERE, FARBE_AUSGEWAEHLT)  # class 0: andere, 1: ausgewählt
HOEHE = 420


def auswahl_werte(verwaltungen: pd.DataFrame, keys: Collection[str], label_ausgewaehlt: str,
                  label_andere: str) -> dict[str, dict]:
    """Per Verwaltung: class 1 (highlighted) or 0 and the tooltip rows (plain text)."""
    return {row.key: {"k": int(row.key in keys),
                      "t": [["Verwaltung", str(row.name)],
                            ["Status", label_ausgewaehlt if row.key in keys else label_andere]]}
            for row in verwaltungen.itertuples()}


def tabelle(verwaltungen: pd.DataFrame, gemeinden: pd.DataFrame, keys: Collection[str],
            label_ausgewaehlt: str, label_andere: str) -> pd.DataFrame:
    """Table twin: one row per Verwaltung (highlighted first), German column names, Einwohner
    as integers."""
    namen = gemeinden.groupby("verwaltung_key")["name"].agg(lambda s: ", ".join(sorted(s)))
    frame = pd.DataFrame({
        "Verwaltung": verwaltungen["name"],
        "Gemeinden": verwaltungen["key"].map(namen).fillna("– (ganzer Kreis)"),
        "Einwohner": verwaltungen["einwohner"].astype(int),
        "Status": [label_ausgewaehlt if k in keys else label_andere for k in verwaltungen["key"]],
    })
    frame["_sort"] = frame["Status"] != label_ausgewaehlt
    return (frame.sort_values(["_sort", "Verwaltung"]).drop(columns="_sort")
            .reset_index(drop=True))


def zusammenfassung(verwaltungen: pd.DataFrame, keys: Collection[str],
                    label_ausgewaehlt: str) -> str:
    """One German sentence: how many Gemeinde-level Verwaltungen with how many Einwohner; the
    Kreisverwaltung (no polygon) named separately."""
    ebene = verwaltungen[~verwaltungen["kreisverwaltung"]]
    treffer = ebene[ebene["key"].isin(keys)]
    satz = (f"{len(treffer)} von {formatting.anzahl(len(ebene), 'Verwaltung')} "
            f"({formatting.zahl(int(treffer['einwohner'].sum()))} Einwohner): {label_ausgewaehlt}.")
    kreis = verwaltungen[verwaltungen["kreisverwaltung"] & verwaltungen["key"].isin(keys)]
    if not kreis.empty:
        satz += f" Außerdem {kreis['name'].iloc[0]} (nicht auf der Karte)."
    return satz


def auswahl_karte(keys: Collection[str], *, key: str, label_ausgewaehlt: str = "ausgewählt",
                  label_andere: str = "nicht ausgewählt", hoehe: int = HOEHE,
                  mit_tabelle: bool = True) -> pd.DataFrame:
    """Render the map (with legend, summary and, if wanted, the table twin); returns the table
    (Einwohner as integers, for downloads or an own rendering).

    `key` must be unique on the page and stay the same across reruns."""
    keys = set(keys)
    gemeinden = data.cached(queries.gemeinden)
    verwaltungen = data.verwaltungen()
    links, rechts = st.columns([3, 1], gap="medium")
    with links:
        karte(auswahl_werte(verwaltungen, keys, label_ausgewaehlt, label_andere), key=key,
              hoehe=hoehe, farben=FARBEN, kompakt=True)
    with rechts:
        st.markdown(legende_html([(label_ausgewaehlt, 4), (label_andere, 0)]),
                    unsafe_allow_html=True)
        st.caption("Dicke Linien: Verwaltungsgrenzen.")
    st.markdown(md(zusammenfassung(verwaltungen, keys, label_ausgewaehlt)))
    frame = tabelle(verwaltungen, gemeinden, keys, label_ausgewaehlt, label_andere)
    if mit_tabelle:  # Einwohner in German format (1.234), whatever the browser's locale
        st.dataframe(frame.assign(Einwohner=frame["Einwohner"].map(formatting.zahl)),
                     hide_index=True, width="stretch")
    return frame
