"""IKZ-Monitor entry point: page config, navigation, shared sidebar, demo banner, footer."""
import streamlit as st

from components import data, layout
from components.anmeldung import aktueller_benutzer, sidebar_status
from components.praesentation import praesentation, praesentation_toggle
from components.selection import quartal_selector
from components.shell import app_shell
from kreis_data import auth

# A local favicon: a Material icon would make the browser fetch it from a public font CDN.
st.set_page_config(page_title="IKZ-Monitor", page_icon="components/assets/favicon.png",
                   layout="wide")

data.engine()  # prepares the database (and the demo Kreis on a fresh installation)

# (file, title, icon, url path)
SEITEN = (
    ("pages/lagebild.py", "Lagebild", ":material/dashboard:", "lagebild"),
    ("pages/karte.py", "Karte", ":material/map:", "karte"),
    ("pages/verwaltung.py", "Verwaltung", ":material/account_balance:", "verwaltung"),
    ("pages/kooperationen.py", "Kooperationen", ":material/diversity_3:", "kooperationen"),
    ("pages/efa.py", "EfA-Nachnutzung", ":material/share:", "efa"),
    ("pages/standardisierung.py", "Standardisierung", ":material/rule:", "standardisierung"),
    ("pages/quartalsreview.py", "Quartalsreview", ":material/fact_check:", "quartalsreview"),
    ("pages/datenpflege.py", "Datenpflege", ":material/edit_note:", "datenpflege"),
    ("pages/methodik.py", "Methodik & Quellen", ":material/menu_book:", "methodik"),
)
# With IKZ_LESEN_OHNE_ANMELDUNG=0 only the login page (Datenpflege) is reachable until sign-in.
sichtbar = SEITEN if auth.lesen_ohne_anmeldung() or aktueller_benutzer() is not None else tuple(
    seite for seite in SEITEN if seite[3] == "datenpflege")
navigation = st.navigation([
    st.Page(datei, title=titel, icon=icon, url_path=pfad, default=(i == 0))
    for i, (datei, titel, icon, pfad) in enumerate(sichtbar)
])

kreis = data.kreis()
st.sidebar.markdown(f"**IKZ-Monitor**  \n{kreis['name'] if kreis else 'kein Kreis angelegt'}")
quartal_selector()
praesentation_toggle()
sidebar_status()
layout.demo_banner()
praesentation(next(datei for datei, titel, _, _ in SEITEN if titel == navigation.title))
with app_shell():  # a page that ends early (seite_beenden) still gets the footer
    navigation.run()
layout.footer()
