"""Verwaltung: Steckbrief of one Verwaltung (?verwaltung=034595401) and its neighbours."""
import streamlit as st

from components import data, layout
from components import steckbrief as sb
from components.efa_chancen import chancen_karten
from components.selection import current_quartal
from components.shell import ensure_app_shell, seite_beenden
from components.url_state import url_selectbox
from kreis_data import formatting
from kreis_data.analyses import efa, steckbrief
from kreis_data.quartal import Quartal

ensure_app_shell()  # must run first: see components/shell.py

quartal = current_quartal()
st.title("Verwaltung")
verwaltungen = data.verwaltungen().set_index("key", drop=False)
if verwaltungen.empty or quartal is None:
    st.info("Für diesen Kreis sind noch keine Verwaltungen oder Bewertungen erfasst.")
    seite_beenden()

# Kreisverwaltung first, then the Verwaltungen of the Gemeinden by name.
keys = sorted(verwaltungen.index, key=lambda k: (not verwaltungen.at[k, "kreisverwaltung"],
                                                 verwaltungen.at[k, "name"].lower()))
key = url_selectbox("Verwaltung", keys, key="verwaltung",
                    format_func=lambda k: sb.verwaltung_label(verwaltungen.loc[k]),
                    help="Auch per Link: ?verwaltung=<Regionalschlüssel>")
zeile = verwaltungen.loc[key]
q_label = Quartal.parse(quartal).label
demo = " (Demo-Daten, fiktiv)" if data.ist_demo() else ""
datenstand = data.cached(steckbrief.datenstand)
werte = data.cached(steckbrief.merkmal_werte, key, quartal)

st.header(f"Steckbrief {sb.verwaltung_label(zeile)}")
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

st.subheader("Verlauf")
sb.verlauf_chart(data.cached(steckbrief.verlauf, key))
sb.quelle_bewertungen(werte)

st.subheader("Software, Kooperationen und EfA-Onlinedienste")
sb.software_kooperationen_efa(key, quartal)
layout.quelle_stand(f"Datenpflege des Kreises{demo}", datenstand)

st.subheader("EfA-Onlinedienste, die Nachbarn schon nutzen")
chancen = data.cached(efa.chancen, quartal, key)
if chancen.empty:
    st.info("Keine Nachnutzungs-Chancen: Was im Kreis schon live ist, ist hier live oder "
            "nicht in der Zuständigkeit dieser Verwaltung.")
else:
    chancen_karten(chancen, 3, mit_verwaltung=False)
    st.page_link("pages/efa.py", label=f"Alle {len(chancen)} Chancen auf der Seite EfA-Nachnutzung",
                 icon=":material/share:", query_params={"verwaltung": key})
layout.quelle_stand(f"EfA-Anbindungen der Verwaltungen{demo}",
                    f"{formatting.datum(Quartal.parse(quartal).ende)} ({q_label})")

st.subheader("Nachbarvergleich")
sb.nachbarvergleich_block(zeile, quartal)
sb.quelle_bewertungen(werte)

st.subheader("Bundesvergleich")
sb.bundesvergleich_block(key, quartal)
