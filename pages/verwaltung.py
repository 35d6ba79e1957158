"""Verwaltung: Steckbrief of one Verwaltung (?verwaltung=034595401). Always shown: selector,
Gebiet, Ansprechperson and the Digitalisierungsstand; below, in tabs of which only the open one
runs (st.tabs with state): whom to call (neighbours, their EfA-Onlinedienste), Verlauf, Software
und Kooperationen, Bundesvergleich."""
import streamlit as st

from components import data, layout
from components import steckbrief as sb
from components.auswahl import auswahl, verwaltung_waehlen
from components.efa_chancen import chancen_karten
from components.seiten import EFA
from components.shell import ensure_app_shell, seite_beenden
from components.text import md
from kreis_data import formatting
from kreis_data.analyses import steckbrief
from kreis_data.efa import lesen as efa

ensure_app_shell()  # must run first: see components/shell.py

a = auswahl()
quartal = a.quartal
st.title("Verwaltung")
verwaltungen = data.verwaltungen().set_index("key", drop=False)
if verwaltungen.empty:
    st.info("Für diesen Kreis sind noch keine Verwaltungen erfasst.")
    seite_beenden()
layout.ohne_bewertungen(a)

# Kreisverwaltung first, then the Verwaltungen of the Gemeinden by name.
keys = sorted(verwaltungen.index, key=lambda k: (not verwaltungen.at[k, "kreisverwaltung"],
                                                 verwaltungen.at[k, "name"].lower()))
key = verwaltung_waehlen(keys, lambda k: sb.verwaltung_label(verwaltungen.loc[k]))
zeile = verwaltungen.loc[key]
q_label = a.label
demo = " (Demo-Daten, fiktiv)" if data.ist_demo() else ""
datenstand = data.cached(steckbrief.datenstand)
werte = data.cached(steckbrief.merkmal_werte, key, quartal)

st.header(f"Steckbrief {md(sb.verwaltung_label(zeile))}")
links, rechts = st.columns(2, gap="large")
with links:
    st.subheader("Gebiet")
    sb.gebiet(zeile)
with rechts:
    st.subheader("Ansprechperson")
    sb.kontakt(key)
    layout.quelle_stand(f"Kontaktverzeichnis des Kreises{demo}", datenstand)

st.subheader(f"Digitalisierungsstand im {q_label}")
st.markdown(f"**{data.cached(steckbrief.index_text, key, quartal)}**")
sb.merkmal_tabelle(werte)
sb.quelle_bewertungen(werte)

# Tab labels stay the same whatever the data, so the open tab survives a rerun.
TABS = ["Wer kann helfen?", "Verlauf", "Software und Kooperationen", "Bundesvergleich"]
tabs = st.tabs(TABS, key="verwaltung_ansicht", on_change="rerun")

with tabs[0]:
    if tabs[0].open:
        st.subheader("Nachbarvergleich")
        sb.nachbarvergleich_block(zeile, quartal)
        sb.quelle_bewertungen(werte)

        st.subheader("EfA-Onlinedienste, die Nachbarn schon nutzen")
        chancen = data.cached(efa.chancen, quartal, key)
        if chancen.empty:
            st.info("Keine Nachnutzungs-Chancen: Was im Kreis schon live ist, ist hier live oder "
                    "nicht in der Zuständigkeit dieser Verwaltung.")
        else:
            chancen_karten(chancen, 3, mit_verwaltung=False)
            st.page_link(EFA.datei, label=f"Alle {len(chancen)} Chancen auf der Seite "
                         "EfA-Nachnutzung", icon=":material/share:",
                         query_params={"verwaltung": key})
        layout.quelle_stand(f"EfA-Anbindungen der Verwaltungen{demo}",
                            f"{formatting.datum(a.q.ende)} ({q_label})")

with tabs[1]:
    if tabs[1].open:
        sb.verlauf_chart(data.cached(steckbrief.verlauf, key))
        sb.quelle_bewertungen(werte)

with tabs[2]:
    if tabs[2].open:
        sb.software_kooperationen_efa(key, quartal)
        layout.quelle_stand(f"Datenpflege des Kreises{demo}", datenstand)

with tabs[3]:
    if tabs[3].open:
        sb.bundesvergleich_block(key, quartal)
