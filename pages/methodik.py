"""Methodik & Quellen: scales, formulas, data sources, licences, Barrierefreiheit."""
import streamlit as st

from components import data, layout
from components.legend import stufen_legende
from components.shell import ensure_app_shell
from components.text import md
from kreis_data import scales
from kreis_data.analyses import gebietsstand
from kreis_data.efa import regeln as efa
from kreis_data.kooperationen import regeln as kooperationen

ensure_app_shell()  # must run first: see components/shell.py

st.title("Methodik & Quellen")

st.header("Skala des Digitalisierungsstands")
st.markdown(
    "Jedes Merkmal wird je Verwaltung und Quartal auf einer Stufe von **0 bis 4** bewertet. "
    "„keine Angabe“ ist keine Stufe: Sie wird grau schraffiert dargestellt und fließt nicht in "
    f"Mittelwerte ein. {data.gebiet().bewertung_gehoert}")
stufen_legende()
st.dataframe(scales.skalen_tabelle(data.merkmale()), hide_index=True,
             width="stretch")

st.header("Digitalisierungsindex")
st.markdown(
    "Der Digitalisierungsindex (0–100) einer Verwaltung ist der gewichtete Mittelwert von "
    "Stufe ÷ 4 über alle Merkmale der Stufenskala, für die ein Wert vorliegt, mal 100. "
    "Ja/Nein-Merkmale (Digitalisierungsbeauftragte\\*r, Digitallots\\*innen) zählen nicht mit. "
    "Neben dem Index steht immer die **Abdeckung**: wie viele Merkmale einen Wert hatten. "
    f"Klassen auf der Karte: {', '.join(scales.INDEX_KLASSEN_LABELS)}.")

st.header("EfA-Nachnutzungs-Chancen")
st.markdown(efa.methodik_text(arten_text=data.gebiet().arten_text,
                              kreisfrei=data.gebiet().kreisfrei))

st.header("Kooperationen: Einordnung und Warnhinweise")
st.markdown(kooperationen.EINSTIEGSHUERDE)
st.markdown("\n".join(f"- **{md(name)}**: {md(regel)}" for name, regel in kooperationen.REGELN))

st.header("Datenquellen und Lizenzen")
for quelle in data.meta().get("quellen", []):
    st.markdown(f"- **{quelle.get('name', '')}** – Stand {quelle.get('stand', 'unbekannt')}, "
                f"Lizenz {quelle.get('licence', quelle.get('lizenz', ''))}  \n"
                f"  Namensnennung: {quelle.get('attribution', '')}")
if data.ist_demo():
    st.markdown(f"- **Fachdaten**: {layout.DEMO_TEXT}")
st.markdown(
    "- **Bundesvergleich**: Deutscher Landkreistag / Fraunhofer IESE (Umfrage Ende 2017), "
    "Prognos / Behörden Spiegel (Trendreport, Frühjahr 2022), Fraunhofer FOKUS / KGSt "
    "(„Digital vorangehen“, 2019). Werte älter als drei Jahre werden als historisch gekennzeichnet.")

st.header("Gebietsstand der Karte")
st.markdown(md(data.cached(gebietsstand.zusammenfassung)))
abgleich = data.cached(gebietsstand.abgleich_tabelle)
if len(abgleich):
    st.dataframe(abgleich, hide_index=True, width="stretch")
for satz in data.cached(gebietsstand.offene_punkte):
    st.warning(md(f"Nicht abgeglichen: {satz}"), icon=":material/warning:")

st.header("Barrierefreiheit")
st.markdown(
    "IKZ-Monitor soll die Anforderungen der BITV 2.0 (WCAG 2.1, Stufe AA) erfüllen: "
    "Farbskalen sind für Farbsehschwächen geeignet und werden nie allein verwendet – jede Karte "
    "hat eine Tabelle mit denselben Werten, „keine Angabe“ ist zusätzlich schraffiert. "
    "Bekannte Einschränkungen und Barrieren können Sie der Stelle melden, die diese "
    "Installation betreibt.")
