"""Karte: choropleth of all Gemeinden, Merkmal selectable (?merkmal=e_akte), click selects a
Verwaltung; the table twin with its summary sentence and downloads in the second tab (only the
open tab runs and is sent)."""
import streamlit as st

from components import data, layout
from components.auswahl import auswahl, merkmal_waehlen
from components.karte import (
    karte_mit_auswahl,
    karte_praesentation,
    karten_tabelle,
    praesentation_spalten,
    quelle_stand,
)
from components.praesentation import ist_praesentation
from components.shell import ensure_app_shell, seite_beenden
from components.steckbrief import kurzprofil
from components.text import md
from kreis_data import map_style

ensure_app_shell()  # must run first: see components/shell.py

a = auswahl()
quartal = a.quartal
st.title("Karte")
layout.ohne_bewertungen(a)

namen = {m.key: m.name for m in data.kartenmerkmale()}
if ist_praesentation():  # the beamer: the map fills the screen, legend and Merkmal beside it
    links, rechts = praesentation_spalten()
    karte_praesentation(quartal, merkmal_waehlen(list(namen), namen.get, container=rechts),
                        links, rechts)
    seite_beenden()
links, rechts = st.columns([2, 1])
merkmal_key = merkmal_waehlen(list(namen), namen.get, container=links)
hintergruende = {h.key: h.name for h in map_style.HINTERGRUENDE}
hintergrund = rechts.selectbox(
    "Hintergrundkarte", list(hintergruende), format_func=hintergruende.get, key="hintergrund",
    help="Ohne Hintergrundkarte lädt die Karte nichts aus dem Internet; basemap.de und "
         "OpenStreetMap laden Kartenkacheln von deren Servern.")

st.markdown(f"**{md(namen[merkmal_key])}** der Verwaltungen im {a.label}. "
            f"{data.gebiet().mitglieder_satz}")
karte_tab, tabelle_tab = st.tabs(["Karte", "Tabelle zur Karte"], key="karte_ansicht",
                                 on_change="rerun")
with karte_tab:
    if karte_tab.open:
        karte_mit_auswahl(quartal, merkmal_key, hintergrund,
                          lambda key: kurzprofil(key, quartal, merkmal_key))
        quelle_stand(quartal, merkmal_key)
with tabelle_tab:
    if tabelle_tab.open:
        st.subheader("Tabelle zur Karte")
        karten_tabelle(quartal, merkmal_key)
