"""Standardisierung: products per Domäne, Vereinheitlichungsgrad, Insellösungen,
Konsolidierungs-Cluster, the users of a product on the map, standard support and gaps, the
national reference, and the forms to keep products and standards current (signed in only: a
Redaktion edits its own Verwaltungen, the Excel import is for the Kreis-Administration; rules in
kreis_data.konten.regeln, enforced again by kreis_data.software.schreiben; none of it in
presentation mode). Building blocks: components/standardisierung.py and
components/standardisierung_pflege.py."""
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
auswertung = data.cached(lesen.domaenen_auswertung, domaene)

st.header(f"Produkte: {domaene}")
sd.kennzahlen(auswertung, quelle, stand)
sd.produkte(auswertung, quelle, stand)

st.subheader("Insellösungen")
sd.insel_loesungen(auswertung)

st.subheader("Konsolidierungs-Cluster")
sd.cluster(auswertung, quelle, stand)

st.subheader("Wer nutzt welches Produkt?")
sd.nutzer_karte(auswertung, quelle, stand)

st.header("Standards")
standards = data.cached(lesen.standard_auswertung)
st.markdown("Unterstützung der Austauschstandards je Verwaltung. Lücken sind nach den "
            "betroffenen Einwohnern geordnet: dort nützt ein Standard den meisten Menschen.")
sd.luecken(standards, quelle, stand)
sd.matrix(standards, quelle, stand)
sd.anteile(standards, quelle, stand)

st.header("Bundesvergleich: Standardisierungsbedarf")
st.markdown("Anteil der Landkreise, die in einem Bereich Bedarf an Standardisierung sehen, "
            "neben den vergleichbaren Kennzahlen dieses Kreises.")
sd.bundesvergleich(standards, quelle, stand)

# --- Edit (signed in only, never in presentation mode) ------------------------------------------
if not ist_praesentation():
    st.header("Daten pflegen")
    if (bearbeiter := bearbeiter_oder_hinweis()) is not None:
        daten_pflegen(bearbeiter, domaene)
