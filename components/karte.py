"""The choropleth of the Gemeinden: colours from scales, hatch for "keine Angabe", Verwaltung
borders, escaped tooltip, click selects a Verwaltung (inside an st.fragment), legend beside it.

Stability: the base map is rebuilt each run from cached GeoJSON (same data -> same Leaflet script
-> st_folium keeps its iframe); the selection is drawn by `feature_group_to_add`, which the
component swaps without remounting. Only `last_active_drawing` is returned, so pan and zoom do
not rerun anything.
"""
from __future__ import annotations

from collections.abc import Callable

import folium
import streamlit as st
from streamlit_folium import st_folium

from components import data, layout, offline_map
from components.download import tabelle_herunterladen
from components.legend import GEMEINDEFREI, legende_html
from components.seiten import KARTE
from kreis_data import map_style, scales
from kreis_data.analyses import karte as karten_analyse
from kreis_data.map_events import ausgewaehlte_verwaltung

HOEHE = 560
HOEHE_KOMPAKT = 400
KLICK_KEY = "karte_klick"  # st_folium writes its last event here (via its `key`)
AUSWAHL_KEY = "karte_auswahl"  # the selected Verwaltung key

# Leaflet tooltips do not wrap by default; long Stufe labels would run off the map.
TOOLTIP_STIL = "white-space: normal; min-width: 14em; max-width: 22em; font-size: 0.9rem;"

# CSS classes on the SVG paths (set before Leaflet creates them), so tests and styles can find
# a Gemeinde: path.ikz-ags-03459024 (Melle), path.ikz-verwaltung-034590024, path.ikz-auswahl.
_KLASSEN_GEMEINDE = folium.JsCode(
    'function(feature, layer) { layer.options.className = "ikz-gemeinde ikz-ags-" '
    '+ feature.properties.ags + " ikz-verwaltung-" + feature.properties.verwaltung_key; }')
_KLASSEN_AUSWAHL = folium.JsCode(
    'function(feature, layer) { layer.options.className = "ikz-auswahl ikz-auswahl-" '
    '+ feature.properties.verwaltung_key; }')


def basiskarte(features: dict, grenzen: dict, hintergrund: str | None = None,
               kompakt: bool = False, gemeindefrei: dict | None = None) -> folium.Map:
    """The map without selection: Gemeinden, gemeindefreie Gebiete (neutral) and the
    Verwaltung borders on top (not clickable, so clicks reach the Gemeinde). Folium styles
    every feature with its `properties.style`."""
    alle = {"features": features["features"] + (gemeindefrei or {"features": []})["features"]}
    karte = offline_map.neue_karte(karten_analyse.kartenausschnitt(alle), hintergrund, kompakt)
    if gemeindefrei and gemeindefrei["features"]:
        folium.GeoJson(
            gemeindefrei, name="Gemeindefreie Gebiete",
            tooltip=folium.GeoJsonTooltip(fields=["tooltip"], labels=False, sticky=True,
                                          style=TOOLTIP_STIL),
        ).add_to(karte)
    folium.GeoJson(
        features, name="Gemeinden", on_each_feature=_KLASSEN_GEMEINDE,
        tooltip=folium.GeoJsonTooltip(fields=["tooltip"], labels=False, sticky=True,
                                      style=TOOLTIP_STIL),
    ).add_to(karte)
    folium.GeoJson(grenzen, name="Verwaltungen", interactive=False).add_to(karte)
    return karte


def auswahl_ebene(grenzen: dict, verwaltung_key: str | None) -> folium.FeatureGroup:
    """Outline of the selected Verwaltung (empty group when nothing is selected)."""
    gruppe = folium.FeatureGroup(name="Auswahl")
    features = [{**f, "properties": {**f["properties"], "style": map_style.AUSWAHL_RAND}}
                for f in grenzen["features"]
                if verwaltung_key and f["properties"]["verwaltung_key"] == verwaltung_key]
    if features:
        folium.GeoJson({"type": "FeatureCollection", "features": features},
                       on_each_feature=_KLASSEN_AUSWAHL, interactive=False).add_to(gruppe)
    return gruppe


def legende(merkmal_key: str) -> None:
    item = karten_analyse.kartenmerkmal(data.merkmale(), merkmal_key)
    eintraege = list(item.legende)
    if data.gebiet() is not None and data.gebiet().gemeindefreie_gebiete:
        eintraege.append((scales.GEMEINDEFREI_LABEL, GEMEINDEFREI))
    st.markdown(f"**{item.name}**")
    st.markdown(legende_html(eintraege), unsafe_allow_html=True)


def quelle_stand(quartal: str, merkmal_key: str) -> None:
    """Quelle · Stand of the map's values, and the attribution of the geometry."""
    quelle, stand = data.cached(karten_analyse.quelle_und_stand, quartal, merkmal_key)
    layout.quelle_stand(quelle, stand)
    st.caption("  \n".join(a for a in layout.attributions() if "Verwaltungsgrenzen" in a))


def _daten(quartal: str, merkmal_key: str) -> tuple[dict, dict]:
    return (data.cached(karten_analyse.gemeinde_features, quartal, merkmal_key),
            data.cached(karten_analyse.verwaltung_grenzen))


def _gemeindefrei() -> dict:
    return data.cached(karten_analyse.gemeindefreie_features)


def aktuelle_auswahl(gueltige_keys) -> str | None:
    """The selected Verwaltung: the last clicked one (kept across Merkmal changes)."""
    neu = ausgewaehlte_verwaltung(st.session_state.get(KLICK_KEY), gueltige_keys)
    if neu is not None:
        st.session_state[AUSWAHL_KEY] = neu
    auswahl = st.session_state.get(AUSWAHL_KEY)
    return auswahl if auswahl in gueltige_keys else None


@st.fragment
def karte_mit_auswahl(quartal: str, merkmal_key: str, hintergrund: str | None,
                      detail: Callable[[str | None], None]) -> None:
    """Map, legend and `detail(selected key)`; a click reruns only this fragment."""
    features, grenzen = _daten(quartal, merkmal_key)
    keys = {f["properties"]["verwaltung_key"] for f in features["features"]}
    # st_folium's on_change has already stored a new click under KLICK_KEY before this rerun.
    auswahl = aktuelle_auswahl(keys)
    links, rechts = st.columns([3, 1], gap="medium")
    with links:
        st_folium(basiskarte(features, grenzen, hintergrund, gemeindefrei=_gemeindefrei()),
                  key=KLICK_KEY, height=HOEHE,
                  use_container_width=True, returned_objects=["last_active_drawing"],
                  feature_group_to_add=auswahl_ebene(grenzen, auswahl))
        st.caption("Klick auf eine Gemeinde wählt ihre Verwaltung; dicke Linien sind "
                   "Verwaltungsgrenzen, schraffiert heißt „keine Angabe“.")
    with rechts:
        legende(merkmal_key)
        st.divider()
        detail(auswahl)


def karte_kompakt(quartal: str, merkmal_key: str) -> None:
    """Small, read-only map with legend (Lagebild); never reruns the page."""
    features, grenzen = _daten(quartal, merkmal_key)
    links, rechts = st.columns([3, 1], gap="medium")
    with links:
        st_folium(basiskarte(features, grenzen, kompakt=True, gemeindefrei=_gemeindefrei()),
                  key="karte_kompakt",
                  height=HOEHE_KOMPAKT, use_container_width=True, returned_objects=[])
    with rechts:
        legende(merkmal_key)


def karten_tabelle(quartal: str, merkmal_key: str) -> None:
    """The map's table twin (sortable), its summary sentence, Quelle · Stand and CSV download."""
    st.markdown(data.cached(karten_analyse.zusammenfassung, quartal, merkmal_key))
    werte = data.cached(karten_analyse.karten_werte, quartal, merkmal_key)
    tabelle = karten_analyse.tabelle(werte)
    name = karten_analyse.kartenmerkmal(data.merkmale(), merkmal_key).name
    ist_indikator = merkmal_key in karten_analyse.INDIKATOREN
    st.dataframe(
        tabelle, hide_index=True, width="stretch",
        column_config={
            "Einwohner": st.column_config.NumberColumn(format="localized"),
            "Stufe": st.column_config.TextColumn(name),
            "Wert": st.column_config.NumberColumn(
                "Index" if ist_indikator else "Stufe (Zahl)", format="localized",
                help="Zum Sortieren: Stufe 0–4 bzw. Indexwert 0–100; leer = keine Angabe"),
            "Stand": st.column_config.DateColumn(format="DD.MM.YYYY"),
        })
    quelle, stand = data.cached(karten_analyse.quelle_und_stand, quartal, merkmal_key)
    layout.quelle_stand(quelle, stand)
    tabelle_herunterladen(tabelle, f"Karte {name} {quartal}", quelle=quelle, stand=stand,
                          key=f"karte_{merkmal_key}")


def lagebild_karte(quartal: str, merkmal_key: str = karten_analyse.INDEX_KEY) -> None:
    """The compact map for the Lagebild with summary, Quelle · Stand and a link to the Karte."""
    name = karten_analyse.kartenmerkmal(data.merkmale(), merkmal_key).name
    st.subheader(f"Karte: {name}")
    st.markdown(data.cached(karten_analyse.zusammenfassung, quartal, merkmal_key))
    karte_kompakt(quartal, merkmal_key)
    quelle_stand(quartal, merkmal_key)
    st.page_link(KARTE.datei, label="Zur Karte mit Tabelle und Auswahl",
                 icon=":material/map:", query_params={"merkmal": merkmal_key})
