"""Lagebild: the start page and briefing view. In presentation mode two screens (?schritt=):
the key figures, then the changes and the biggest chances (without names of persons)."""
import streamlit as st

from components import data, layout
from components.auswahl import auswahl
from components.karte import lagebild_karte
from components.kpi import kennzahl_tiles
from components.praesentation import ist_praesentation, schritt
from components.seiten import EFA, LAGEBILD
from components.shell import ensure_app_shell
from components.text import md
from kreis_data import formatting
from kreis_data.analyses import lagebild

ensure_app_shell()  # must run first: see components/shell.py

a = auswahl()
quartal, q = a.quartal, a.q
praesentieren = ist_praesentation()
teil = schritt(LAGEBILD.datei) if praesentieren else ""
titel = f"Lagebild {md(a.kreis_name)}" if a.kreis_name else "Lagebild"
st.title(f"{titel} – Veränderungen und Chancen" if teil == "chancen" else titel)
layout.ohne_bewertungen(a)
if teil != "chancen":
    st.markdown(f"Stand der Digitalisierung im **{q.label}**, verglichen mit dem "
                f"{q.previous().label}. {data.gebiet().anteil_basis}")
    kennzahlen = data.kennzahlen(quartal)
    kennzahl_tiles(kennzahlen, columns=len(kennzahlen) if praesentieren else 3)

if teil != "kennzahlen":
    links, rechts = st.columns(2, gap="large")
    with links:
        st.subheader("Was sich geändert hat")
        st.markdown("\n".join(f"- {md(satz)}" for satz in data.cached(lagebild.veraenderungen,
                                                                       quartal)))
    with rechts:
        st.subheader("Die drei größten Chancen")
        # the beamer names no person (issue #15): who to call is on the page EfA-Nachnutzung
        chancen = data.cached(lagebild.groesste_chancen, quartal, 3, False, not praesentieren)
        st.markdown("\n".join(f"{i}. {md(satz)}" for i, satz in enumerate(chancen, start=1))
                    or "Keine EfA-Nachnutzungs-Chancen in diesem Quartal.")
        if not praesentieren:
            st.page_link(EFA.datei, label="Alle Chancen auf der Seite EfA-Nachnutzung",
                         icon=":material/share:")
    layout.quelle_stand(f"Bewertungen und EfA-Anbindungen"
                        f"{' (Demo-Daten, fiktiv)' if data.ist_demo() else ''}",
                        f"{formatting.datum(q.ende)} ({q.label})")

if not praesentieren:  # on the beamer the map is a screen of its own (Karte)
    lagebild_karte(quartal)
