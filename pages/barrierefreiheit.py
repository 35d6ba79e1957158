"""Erklärung zur Barrierefreiheit (BITV 2.0): status, known barriers, feedback, enforcement."""
import streamlit as st

from components.rechtliches import angabe, betreiber, pruefdatum
from components.shell import ensure_app_shell
from components.text import md
from kreis_data.betreiber import BEKANNTE_BARRIEREN

ensure_app_shell()  # must run first: see components/shell.py

st.title("Erklärung zur Barrierefreiheit")
betreiber_ = betreiber()
traeger = betreiber_.name if betreiber_ is not None else "Die betreibende Stelle"
st.markdown(
    f"{md(traeger)} ist bemüht, den IKZ-Monitor im "
    "Einklang mit der Barrierefreie-Informationstechnik-Verordnung (BITV 2.0) und dem "
    "Landesrecht barrierefrei zugänglich zu machen. Maßstab ist die WCAG 2.1, Stufe AA.")

st.header("Stand der Vereinbarkeit mit den Anforderungen")
st.markdown("Die Anwendung ist **teilweise** mit den Anforderungen vereinbar. Nicht "
            "barrierefrei sind die folgenden Inhalte:")
st.markdown("\n".join(f"- {barriere}" for barriere in BEKANNTE_BARRIEREN))
st.markdown(
    "Was umgesetzt ist: Farbskalen, die auch bei Farbsehschwäche unterscheidbar sind und nie "
    "allein tragen; „keine Angabe“ zusätzlich schraffiert; zu jeder Karte eine Tabelle; "
    "Bedienung der Formulare und Auswahllisten per Tastatur; Kontraste von mindestens 4,5 : 1.")

st.header("Erstellung dieser Erklärung")
st.markdown(f"Letzte Prüfung: {pruefdatum(betreiber_)}"
            + (f" ({betreiber_.barrierefreiheit_methode})" if betreiber_ is not None else ""))

st.header("Barrieren melden")
if betreiber_ is not None:
    angabe("Kontakt", betreiber_.barrierefreiheit_kontakt or betreiber_.email)
st.markdown("Wenn Ihnen Barrieren auffallen oder Sie Inhalte in einer anderen Form benötigen, "
            "melden Sie sich bitte dort; wir antworten innerhalb von sechs Wochen.")

st.header("Durchsetzungsverfahren")
st.markdown("Wenn auf Ihre Meldung keine zufriedenstellende Antwort kommt, können Sie sich an "
            "die Durchsetzungs- bzw. Schlichtungsstelle des Landes wenden.")
if betreiber_ is not None:
    angabe("Zuständige Stelle", betreiber_.schlichtungsstelle)
