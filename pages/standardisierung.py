"""Standardisierung: products per Domäne, Vereinheitlichungsgrad, Insellösungen,
Konsolidierungs-Cluster, the users of a product on the map, standard support and gaps, the
national reference, and the forms to keep products and standards current (signed in only: a
Redaktion edits its own Verwaltungen, the Excel import is for the Kreis-Administration; rules in
kreis_data.konten.regeln, enforced again by kreis_data.software.schreiben; none of it in
presentation mode: no tab "Daten pflegen"). Only the open tab runs (st.tabs with state); the
Domäne above the tabs applies to Produkte, Wer nutzt was? and Daten pflegen. Building blocks:
components/standardisierung.py and components/standardisierung_pflege.py."""
import streamlit as st

from components import data
from components import standardisierung as sd
from components.anmeldung import bearbeiter_oder_hinweis
from components.praesentation import ist_praesentation
from components.shell import ensure_app_shell
from components.standardisierung_pflege import daten_pflegen
from components.url_state import url_selectbox
from kreis_data import scales
from kreis_data.software import lesen, regeln

ensure_app_shell()  # must run first: see components/shell.py

st.title("Standardisierung")
st.markdown(
    "Welche Software nutzen die Verwaltungen, wo gibt es **Insellösungen**, wo nutzen mehrere "
    "Verwaltungen dasselbe Produkt (**Konsolidierungs-Cluster** – Kandidaten für gemeinsame "
    "Beschaffung, gemeinsamen Betrieb oder gemeinsame Schulungen) und welche Standards fehlen? "
    + ("" if data.gebiet().kreisfrei else
       "Gezählt werden die Verwaltungen der Gemeinden; die Kreisverwaltung wird getrennt "
       "ausgewiesen, weil sie für den ganzen Kreis arbeitet."))

quelle, stand = data.cached(lesen.quelle_und_stand)
# The Domäne is this page's own choice (not part of the run's selection): ?domaene=E-Akte/DMS
domaene = url_selectbox("Domäne", list(scales.DOMAENEN), key="domaene",
                        default=regeln.HAUPT_DOMAENEN[0],
                        help="Auch per Link: ?domaene=E-Akte/DMS")

# Tab labels stay the same whatever the Domäne or data, so the open tab survives a rerun after a
# write; only the open tab runs. Presentation mode has no edit tab.
pflegen = not ist_praesentation()
TABS = ["Produkte", "Wer nutzt was?", "Standards", "Bundesvergleich",
        *(["Daten pflegen"] if pflegen else [])]
tabs = st.tabs(TABS, key="standardisierung_ansicht", on_change="rerun")

with tabs[0]:
    if tabs[0].open:
        auswertung = data.cached(lesen.domaenen_auswertung, domaene)
        st.subheader(f"Produkte: {domaene}")
        sd.kennzahlen(auswertung, quelle, stand)
        sd.produkte(auswertung, quelle, stand)
        st.subheader("Insellösungen")
        sd.insel_loesungen(auswertung)
        st.subheader("Konsolidierungs-Cluster")
        sd.cluster(auswertung, quelle, stand)

with tabs[1]:
    if tabs[1].open:
        st.subheader(f"Wer nutzt welches Produkt? ({domaene})")
        sd.nutzer_karte(data.cached(lesen.domaenen_auswertung, domaene), quelle, stand)

with tabs[2]:
    if tabs[2].open:
        standards = data.cached(lesen.standard_auswertung)
        st.markdown("Unterstützung der Austauschstandards je Verwaltung. Lücken sind nach den "
                    "betroffenen Einwohnern geordnet: dort nützt ein Standard den meisten "
                    "Menschen.")
        sd.luecken(standards, quelle, stand)
        sd.matrix(standards, quelle, stand)
        sd.anteile(standards, quelle, stand)

with tabs[3]:
    if tabs[3].open:
        st.subheader("Bundesvergleich: Standardisierungsbedarf")
        st.markdown("Anteil der Landkreise, die in einem Bereich Bedarf an Standardisierung "
                    "sehen, neben den vergleichbaren Kennzahlen dieses Kreises.")
        sd.bundesvergleich(data.cached(lesen.standard_auswertung), quelle, stand)

if pflegen:  # signed in only; kreis_data.software.schreiben checks the rights again
    with tabs[4]:
        if tabs[4].open and (bearbeiter := bearbeiter_oder_hinweis()) is not None:
            daten_pflegen(bearbeiter, domaene)
