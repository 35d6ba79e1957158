"""Datenschutzerklärung: what the application stores about persons, why and how long."""
import pandas as pd
import streamlit as st

from components.rechtliches import angabe, betreiber
from components.shell import ensure_app_shell
from kreis_data.betreiber import VERARBEITUNGEN

ensure_app_shell()  # must run first: see components/shell.py

st.title("Datenschutzerklärung")
betreiber_ = betreiber()
st.header("Verantwortliche Stelle")
if betreiber_ is not None:
    angabe("Verantwortlich", f"{betreiber_.name}\n{betreiber_.anschrift}\n{betreiber_.email}")
    angabe("Datenschutzbeauftragte*r", betreiber_.datenschutz_kontakt)
else:
    st.markdown("Verantwortlich ist die Stelle, die diese Installation betreibt (siehe oben).")

st.header("Welche personenbezogenen Daten die Anwendung speichert")
st.table(pd.DataFrame(VERARBEITUNGEN, columns=["Was", "Welche Daten", "Wie lange"])
         .set_index("Was"))
st.markdown(
    "Zweck ist die Steuerung der interkommunalen Zusammenarbeit bei der Digitalisierung und "
    "der Nachweis, wer welche Angabe gepflegt hat. Rechtsgrundlage ist Art. 6 Abs. 1 "
    "Buchst. e DSGVO in Verbindung mit dem Datenschutzgesetz des Landes (Wahrnehmung einer "
    "Aufgabe im öffentlichen Interesse).")

st.header("Beim Aufruf der Seiten")
st.markdown(
    "Die Anwendung setzt keine Cookies zu Analyse- oder Werbezwecken und bindet keine Dienste "
    "Dritter ein: Schriften, Kartengrundlagen und Programmteile kommen vom eigenen Server. "
    "Für die Dauer des Besuchs hält der Server eine technische Sitzung (Auswahl, Anmeldung). "
    "Der Browser speichert die Kartengeometrie des Kreises (keine personenbezogenen Daten) im "
    "lokalen Speicher, damit die Karte beim nächsten Besuch ohne erneutes Laden erscheint. "
    "Ob der Webserver Zugriffe protokolliert, legt der Betrieb fest.")

st.header("Ihre Rechte")
st.markdown(
    "Sie haben das Recht auf Auskunft (Art. 15 DSGVO), Berichtigung (Art. 16), Löschung "
    "(Art. 17), Einschränkung der Verarbeitung (Art. 18) und Widerspruch (Art. 21). Wenden Sie "
    "sich dazu an die verantwortliche Stelle oder ihre\\*n Datenschutzbeauftragte\\*n. Sie können "
    "sich außerdem bei der Datenschutz-Aufsichtsbehörde beschweren (Art. 77 DSGVO).")
if betreiber_ is not None:
    angabe("Aufsichtsbehörde für den Datenschutz", betreiber_.datenschutz_aufsicht)
