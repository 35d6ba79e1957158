"""IKZ-Monitor entry point: page config, navigation, the run's selection, banner, footer."""
import streamlit as st

from components import data, layout
from components.anmeldung import aktueller_benutzer, sidebar_status
from components.auswahl import auswahl_der_shell, gilt
from components.deutsch import deutsch
from components.praesentation import praesentation, praesentation_toggle
from components.seiten import DATENPFLEGE, RECHTLICHES, SEITEN
from components.shell import app_shell, datenbank_geschuetzt, zur_startseite
from components.text import md
from kreis_data.konten.regeln import lesen_ohne_anmeldung

# A local favicon: a Material icon would make the browser fetch it from a public font CDN.
st.set_page_config(page_title="IKZ-Monitor", page_icon="components/assets/favicon.png",
                   layout="wide")
deutsch()  # <html lang="de"> and the German uploader texts (components/deutsch.py)

# A database fault anywhere in the run (start-up, sidebar, page) shows a German message with
# what to do instead of a traceback (components/shell.py, issue #18).
with datenbank_geschuetzt():
    # With IKZ_LESEN_OHNE_ANMELDUNG=0 only the login page (Datenpflege) is reachable until sign-in.
    # Impressum, Datenschutz and Barrierefreiheit are always reachable, at the end of the list.
    fach = [s for s in SEITEN if not s.rechtlich]
    sichtbar = fach if lesen_ohne_anmeldung() or aktueller_benutzer() is not None else [DATENPFLEGE]
    # (A flat list: Streamlit's navigation sections break the list markup screen readers use.)
    navigation = st.navigation([
        # the start page lives at / (its path stays free: /lagebild leads to it, see below)
        st.Page(s.datei, title=s.titel, icon=s.icon, url_path="" if s == sichtbar[0] else s.pfad,
                default=s == sichtbar[0])
        for s in [*sichtbar, *RECHTLICHES]
    ] + zur_startseite(sichtbar[0], [*sichtbar, *RECHTLICHES]))  # /lagebild, /gibtsnicht
    data.engine()  # prepares the database (and the demo Kreis on a fresh installation)

    kreis = data.kreis()
    st.sidebar.markdown(f"**IKZ-Monitor**  \n{md(kreis['name']) if kreis else 'kein Kreis angelegt'}")
    auswahl = auswahl_der_shell()  # the one selection of this run: sidebar quarter + URL
    praesentation_toggle()
    sidebar_status()
    layout.demo_banner()
    praesentation(next(s.datei for s in SEITEN if s.titel == navigation.title))
    with app_shell(), gilt(auswahl):  # a page that ends early still gets the footer
        navigation.run()
    layout.footer()
