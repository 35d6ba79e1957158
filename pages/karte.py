"""Karte: choropleth of all Gemeinden, Merkmal selectable (?merkmal=e_akte), click selects a
Verwaltung; table twin, summary sentence and CSV download below."""
import streamlit as st

from components import data
from components.karte import karte_mit_auswahl, karten_tabelle, quelle_stand
from components.selection import current_quartal
from components.shell import ensure_app_shell, seite_beenden
from components.steckbrief import kurzprofil
from components.url_state import url_selectbox
from kreis_data import map_style
from kreis_data.analyses.karte import kartenmerkmale
from kreis_data.quartal import Quartal

ensure_app_shell()  # must run first: see components/shell.py

quartal = current_quartal()
st.title("Karte")
if quartal is None:
    st.info("Für diesen Kreis sind noch keine Bewertungen erfasst.")
    seite_beenden()

auswahl = {m.key: m.name for m in kartenmerkmale(data.merkmale())}
links, rechts = st.columns([2, 1])
merkmal_key = url_selectbox(
    "Merkmal", list(auswahl), key="merkmal", format_func=auswahl.get, default="e_akte",
    container=links, help="Auch per Link: ?merkmal=e_akte")
hintergruende = {h.key: h.name for h in map_style.HINTERGRUENDE}
hintergrund = rechts.selectbox(
    "Hintergrundkarte", list(hintergruende), format_func=hintergruende.get, key="hintergrund",
    help="Ohne Hintergrundkarte lädt die Karte nichts aus dem Internet; basemap.de und "
         "OpenStreetMap laden Kartenkacheln von deren Servern.")

st.markdown(f"**{auswahl[merkmal_key]}** der Verwaltungen im {Quartal.parse(quartal).label}. "
            f"{data.gebiet().mitglieder_satz}")
karte_mit_auswahl(quartal, merkmal_key, hintergrund,
                  lambda key: kurzprofil(key, quartal, merkmal_key))
quelle_stand(quartal, merkmal_key)

st.subheader("Tabelle zur Karte")
karten_tabelle(quartal, merkmal_key)
