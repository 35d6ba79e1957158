"""A small map that highlights a set of Verwaltungen (e.g. the users of a product, the members of
a Kooperation), with Verwaltung borders, escaped tooltips, legend, summary sentence and table twin.

Works offline (components.offline_map: vendored Leaflet, no tiles). The base map (all Gemeinden in
a light colour, the borders) is the same on every run, so st_folium keeps its iframe; the
highlighted Gemeinden are passed as `feature_group_to_add`, which is swapped without remounting.
The map returns nothing (`returned_objects=[]`): panning and zooming never rerun the page.
Verwaltungen without a polygon (the Kreisverwaltung) are named in the summary instead.
"""
from __future__ import annotations

import html
import json
from collections.abc import Collection

import folium
import pandas as pd
import streamlit as st
from streamlit_folium import st_folium

from components import data, offline_map
from components.legend import legende_html
from components.text import md
from kreis_data import formatting, map_style, queries, scales
from kreis_data.analyses import karte as karten_analyse

FARBE_AUSGEWAEHLT = scales.AUSGEWAEHLT_FARBE
FARBE_ANDERE = scales.NICHT_AUSGEWAEHLT_FARBE
HOEHE = 420


def _stil(farbe: str) -> dict:
    return {**map_style.GEMEINDE_RAND, "fillColor": farbe,
            "fillOpacity": map_style.FUELL_DECKKRAFT}


def _tooltip(gemeinde: str, verwaltung: str, status: str) -> str:
    zeilen = [("Gemeinde", gemeinde), ("Verwaltung", verwaltung), ("", status)]
    return "".join(f"<b>{html.escape(k)}:</b> {html.escape(v)}<br>" if k
                   else f"{html.escape(v)}" for k, v in zeilen)


def auswahl_features(gemeinden: pd.DataFrame, keys: Collection[str], label_ausgewaehlt: str,
                     label_andere: str) -> tuple[dict, dict]:
    """(all Gemeinden in the light colour, only the Gemeinden of `keys` highlighted) as
    FeatureCollections; `gemeinden` is queries.gemeinden(with_geometry=True)."""
    alle, auswahl = [], []
    for row in gemeinden[gemeinden["geometry"].notna()].itertuples():
        geometrie = json.loads(row.geometry)
        ausgewaehlt = row.verwaltung_key in keys
        basis = {"ags": row.ags, "verwaltung_key": row.verwaltung_key}
        alle.append({"type": "Feature", "id": row.ags, "geometry": geometrie, "properties": {
            **basis, "tooltip": _tooltip(row.name, row.verwaltung, label_andere),
            "style": _stil(FARBE_ANDERE)}})
        if ausgewaehlt:
            auswahl.append({"type": "Feature", "id": row.ags, "geometry": geometrie,
                            "properties": {**basis, "tooltip": _tooltip(
                                row.name, row.verwaltung, label_ausgewaehlt),
                                "style": _stil(FARBE_AUSGEWAEHLT)}})
    return ({"type": "FeatureCollection", "features": alle},
            {"type": "FeatureCollection", "features": auswahl})


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
    gemeinden = data.cached(queries.gemeinden, True)
    verwaltungen = data.verwaltungen()
    alle, auswahl = auswahl_features(gemeinden, keys, label_ausgewaehlt, label_andere)
    grenzen = data.cached(karten_analyse.verwaltung_grenzen)
    karte = offline_map.neue_karte(karten_analyse.kartenausschnitt(alle), kompakt=True)
    folium.GeoJson(alle, name="Gemeinden",
                   tooltip=folium.GeoJsonTooltip(fields=["tooltip"], labels=False, sticky=True)
                   ).add_to(karte)
    folium.GeoJson(grenzen, name="Verwaltungen", interactive=False).add_to(karte)
    gruppe = folium.FeatureGroup(name="Auswahl")
    if auswahl["features"]:
        folium.GeoJson(auswahl, tooltip=folium.GeoJsonTooltip(fields=["tooltip"], labels=False,
                                                              sticky=True)).add_to(gruppe)
    links, rechts = st.columns([3, 1], gap="medium")
    with links:
        st_folium(karte, key=key, height=hoehe, use_container_width=True, returned_objects=[],
                  feature_group_to_add=gruppe)
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
