"""Die Karte, wie eine Analystin sie schreiben würde – der ehrliche Vergleich für die
Benchmarks (issue #14): geopandas + folium + streamlit_folium.st_folium mit den
Voreinstellungen, ohne Cache, dieselben Gemeinden und Bewertungen aus derselben Datenbank
(IKZ_DATABASE_URL). Nicht Teil der App; `python -m bench naiv` startet sie mit
`streamlit run bench/naive_karte.py`.

Einzige Zutat für die Messung: jede Gemeinde trägt im Stil die CSS-Klassen
`ikz-gemeinde ikz-ags-<AGS>`, damit der Benchmark „Karte gezeichnet“ erkennt und dieselbe
Gemeinde anklickt wie in der App (gut 30 Bytes je Gemeinde; eine Analystin schriebe das nicht).
"""
import os

import folium
import geopandas as gpd
import pandas as pd
import shapely
import streamlit as st
from sqlalchemy import create_engine, text
from streamlit_folium import st_folium

FARBEN = ["#ffffcc", "#a1dab4", "#41b6c4", "#2c7fb8", "#253494"]

st.title("Karte")
engine = create_engine(os.environ["IKZ_DATABASE_URL"])

merkmale = pd.read_sql("SELECT key, name FROM merkmal ORDER BY reihenfolge", engine)
name = st.selectbox("Merkmal", merkmale["name"])
merkmal_key = merkmale.set_index("name").loc[name, "key"]
quartal = pd.read_sql("SELECT max(quartal) AS quartal FROM bewertung", engine)["quartal"][0]

gemeinden = pd.read_sql(
    "SELECT g.ags, g.name, v.key AS verwaltung_key, v.name AS verwaltung, g.geometry "
    "FROM gemeinde g JOIN verwaltung v ON v.key = g.verwaltung_key", engine)
werte = pd.read_sql(
    text("SELECT verwaltung_key, stufe FROM bewertung WHERE quartal = :q AND merkmal_key = :m"),
    engine, params={"q": quartal, "m": merkmal_key})
tabelle = gemeinden.merge(werte, on="verwaltung_key", how="left")
karte = gpd.GeoDataFrame(tabelle.drop(columns="geometry"),
                         geometry=shapely.from_geojson(tabelle["geometry"]), crs="EPSG:4326")


def stil(feature):
    stufe = feature["properties"]["stufe"]
    return {"fillColor": "#cccccc" if stufe is None else FARBEN[int(stufe)],
            "color": "#555555", "weight": 1, "fillOpacity": 0.8,
            "className": f"ikz-gemeinde ikz-ags-{feature['properties']['ags']}"}


m = folium.Map()
folium.GeoJson(karte, style_function=stil,
               tooltip=folium.GeoJsonTooltip(["name", "verwaltung", "stufe"])).add_to(m)
minx, miny, maxx, maxy = karte.total_bounds
m.fit_bounds([[miny, minx], [maxy, maxx]])
ausgabe = st_folium(m)

if ausgabe and ausgabe.get("last_active_drawing"):
    gewaehlt = ausgabe["last_active_drawing"]["properties"]
    st.subheader(gewaehlt["verwaltung"])
    st.write(f"Gemeinde {gewaehlt['name']}, {name}: {gewaehlt['stufe']}")
