"""Verwaltung: Steckbrief of one Verwaltung (?verwaltung=034595401; without it "Meine
Verwaltung" from the sidebar or the login, else the Kreisverwaltung). The first screen answers
the CDO's question "whom can I call?": tab "Wer kann helfen?" (neighbours that are further and
their contacts, the EfA-Onlinedienste neighbours already run, the Nachbarvergleich); further tabs
Verlauf and Software und Kooperationen (only the open tab runs). Below: Gebiet, Ansprechperson,
Digitalisierungsstand and, collapsed, the Bundesvergleich (a nationwide survey)."""
import streamlit as st

from components import data, layout
from components import steckbrief as sb
from components.auswahl import auswahl, meine_verwaltung, verwaltung_waehlen
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
waehler, _ = st.columns([1, 2])
key = verwaltung_waehlen(keys, lambda k: sb.verwaltung_label(verwaltungen.loc[k]),
                         default=meine_verwaltung(), container=waehler)
zeile = verwaltungen.loc[key]
q_label = a.label
demo = " (Demo-Daten, fiktiv)" if data.ist_demo() else ""
datenstand = data.cached(steckbrief.datenstand)
werte = data.cached(steckbrief.merkmal_werte, key, quartal)

st.header(f"Steckbrief {md(sb.verwaltung_label(zeile))}")

# Tab labels stay the same whatever the data, so the open tab survives a rerun.
TABS = ["Wer kann helfen?", "Verlauf", "Software und Kooperationen"]
tabs = st.tabs(TABS, key="verwaltung_ansicht", on_change="rerun")

with tabs[0]:
    if tabs[0].open:
        helfen, chancen_spalte = st.columns(2, gap="large")
        with helfen:
            sb.wer_kann_helfen(zeile, quartal)
            sb.quelle_bewertungen(werte)
        with chancen_spalte:
            st.subheader("EfA-Onlinedienste, die Nachbarn schon nutzen")
            chancen = data.cached(efa.chancen, quartal, key)
            if chancen.empty:
                st.info("Keine Nachnutzungs-Chancen: Was im Kreis schon live ist, ist hier live "
                        "oder nicht in der Zuständigkeit dieser Verwaltung.")
            else:
                chancen_karten(chancen, 3, mit_verwaltung=False)
                st.page_link(EFA.datei, label=f"Alle {len(chancen)} Chancen auf der Seite "
                             "EfA-Nachnutzung", icon=":material/share:",
                             query_params={"verwaltung": key})
            layout.quelle_stand(f"EfA-Anbindungen der Verwaltungen{demo}",
                                f"{formatting.datum(a.q.ende)} ({q_label})")
        st.subheader("Nachbarvergleich")
        sb.nachbarvergleich_block(zeile, quartal)

with tabs[1]:
    if tabs[1].open:
        sb.verlauf_chart(data.cached(steckbrief.verlauf, key))
        sb.quelle_bewertungen(werte)

with tabs[2]:
    if tabs[2].open:
        sb.software_kooperationen_efa(key, quartal)
        layout.quelle_stand(f"Datenpflege des Kreises{demo}", datenstand)

links, rechts = st.columns(2, gap="large")
with links:
    st.subheader("Gebiet")
    sb.gebiet(zeile)
with rechts:
    st.subheader("Ansprechperson")
    sb.kontakt(key)
    layout.quelle_stand(f"Kontaktverzeichnis des Kreises{demo}", datenstand)

st.subheader(f"Digitalisierungsstand im {q_label}")
sb.index_zeile(data.cached(steckbrief.index_text, key, quartal))
sb.merkmal_tabelle(werte)
sb.quelle_bewertungen(werte)

# A nationwide survey (partly of another level of administration): collapsed, run when opened.
bund = st.expander("Bundesvergleich (bundesweite Befragung)", key="verwaltung_bundesvergleich",
                   on_change="rerun")
with bund:
    if bund.open:
        sb.bundesvergleich_block(key, quartal)
