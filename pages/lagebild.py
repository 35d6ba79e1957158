"""Lagebild: the start page and briefing view."""
import streamlit as st

from components import data, layout
from components.auswahl import auswahl
from components.karte import lagebild_karte
from components.kpi import kennzahl_tiles
from components.seiten import EFA
from components.shell import ensure_app_shell
from components.text import md
from kreis_data import formatting
from kreis_data.analyses import lagebild

ensure_app_shell()  # must run first: see components/shell.py

a = auswahl()
quartal, q = a.quartal, a.q
st.title(f"Lagebild {md(a.kreis_name)}" if a.kreis_name else "Lagebild")
layout.ohne_bewertungen(a)
st.markdown(f"Stand der Digitalisierung im **{q.label}**, verglichen mit dem "
            f"{q.previous().label}. {data.gebiet().anteil_basis}")
kennzahl_tiles(data.kennzahlen(quartal))

links, rechts = st.columns(2, gap="large")
with links:
    st.subheader("Was sich geändert hat")
    st.markdown("\n".join(f"- {md(satz)}" for satz in data.cached(lagebild.veraenderungen,
                                                                   quartal)))
with rechts:
    st.subheader("Die drei größten Chancen")
    chancen = data.cached(lagebild.groesste_chancen, quartal)
    st.markdown("\n".join(f"{i}. {md(satz)}" for i, satz in enumerate(chancen, start=1))
                or "Keine EfA-Nachnutzungs-Chancen in diesem Quartal.")
    st.page_link(EFA.datei, label="Alle Chancen auf der Seite EfA-Nachnutzung",
                 icon=":material/share:")
layout.quelle_stand(f"Bewertungen und EfA-Anbindungen{' (Demo-Daten, fiktiv)' if data.ist_demo() else ''}",
                    f"{formatting.datum(q.ende)} ({q.label})")

lagebild_karte(quartal)
