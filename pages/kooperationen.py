"""Kooperationen: "Meine Verwaltung", 2x2 matrix with the quadrants' strengths and risks and the
detail of one Kooperation (members on the map), register with downloads, network of shared
formats, warnings, Bundesvergleich – all for the selected quarter – and create / edit / end
(components.kooperationen_pflege: signed in only, none in presentation mode). Only the open tab
runs (st.tabs with state)."""
import streamlit as st

from components import data
from components import kooperationen as kc
from components import kooperationen_pflege as pflege
from components.auswahl import auswahl
from components.shell import ensure_app_shell
from kreis_data.kooperationen import lesen

ensure_app_shell()  # must run first: see components/shell.py

a = auswahl()
st.title("Kooperationen")
matrix_zeigen = pflege.nach_dem_anlegen()  # and its success message

register = data.cached(lesen.register, a.quartal)
warnungen = data.cached(lesen.warnungen, a.quartal)
verwaltungen = data.verwaltungen()
laufend = int(register["laeuft"].sum()) if not register.empty else 0
if register.empty:
    st.info("Noch keine Kooperationen erfasst. Angemeldete Redaktionen legen sie unter „Anlegen "
            "und bearbeiten“ an.")
st.markdown(
    f"{len(register)} Kooperationsformate im Register, davon **{laufend} laufend im {a.label}**; "
    f"{len(warnungen)} Hinweise. Einordnung nach Verbindlichkeit (eher lose / verbindlich) und "
    f"Dauer (temporär / dauerhaft).")

# Tab labels stay the same whatever the data, so the open tab survives a rerun after a write.
TABS = ["Meine Verwaltung", "Matrix und Detail", "Register", "Netzwerk", "Hinweise",
        "Bundesvergleich", "Anlegen und bearbeiten"]
if matrix_zeigen:  # after "anlegen": the new Kooperation is selected in the matrix
    st.session_state["koop_ansicht"] = "Matrix und Detail"
tabs = st.tabs(TABS, key="koop_ansicht", on_change="rerun")

with tabs[0]:
    if tabs[0].open:
        kc.meine_verwaltung(a, verwaltungen)

with tabs[1]:
    if tabs[1].open:
        punkte = kc.filter_leiste(data.cached(lesen.matrix, a.quartal), verwaltungen)
        st.caption(f"{len(punkte)} von {len(register)} Kooperationen. Blasse Symbole laufen im "
                   f"{a.label} nicht (geplant oder beendet). Größe = Zahl der Mitglieder, Farbe "
                   f"und Form = erstes Handlungsfeld. Klick auf ein Symbol zeigt es unten im "
                   f"Detail.")
        kc.matrix(punkte, register, a.quartal)
        kc.bewegungen(data.cached(lesen.wechsel))
        kc.quelle_stand()
        st.divider()
        kc.detail_waehlen(register, a.quartal)

with tabs[2]:
    if tabs[2].open:
        gefiltert = kc.filter_leiste(register, verwaltungen)
        st.caption(f"{len(gefiltert)} von {len(register)} Kooperationen; Einordnung wie im "
                   f"{a.label}.")
        kc.register_ansicht(gefiltert, a)

with tabs[3]:
    if tabs[3].open:
        kc.netzwerk(a)

with tabs[4]:
    if tabs[4].open:
        kc.hinweise(warnungen, a)

with tabs[5]:
    if tabs[5].open:
        kc.bundesvergleich(a)

with tabs[6]:
    if tabs[6].open:
        pflege.bereich(register, verwaltungen, a.quartal)
