"""Lagebild: the start page and briefing view."""
import streamlit as st

from components import data
from components.karte import lagebild_karte
from components.kpi import kennzahl_tiles
from components.selection import current_quartal
from kreis_data.quartal import Quartal

kreis = data.kreis()
quartal = current_quartal()
st.title(f"Lagebild {kreis['name']}" if kreis else "Lagebild")

if quartal is None:
    st.info("Für diesen Kreis sind noch keine Bewertungen erfasst.")
    st.stop()

q = Quartal.parse(quartal)
st.markdown(f"Stand der Digitalisierung im **{q.label}**, verglichen mit dem "
            f"{q.previous().label}. Anteile beziehen sich auf die Verwaltungen der Gemeinden "
            f"(Einheitsgemeinden, Städte und Samtgemeinden), ohne die Kreisverwaltung.")
kennzahl_tiles(data.kennzahlen(quartal))

lagebild_karte(quartal)
