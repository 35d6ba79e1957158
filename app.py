"""IKZ-Monitor entry point: page config, navigation, shared sidebar, demo banner, footer."""
import streamlit as st

from components import data, layout
from components.selection import quartal_selector

st.set_page_config(page_title="IKZ-Monitor", page_icon=":material/hub:", layout="wide")

data.engine()  # prepares the database (and the demo Kreis on a fresh installation)

navigation = st.navigation([
    st.Page("pages/lagebild.py", title="Lagebild", icon=":material/dashboard:", default=True,
            url_path="lagebild"),
    st.Page("pages/methodik.py", title="Methodik & Quellen", icon=":material/menu_book:",
            url_path="methodik"),
])

kreis = data.kreis()
st.sidebar.markdown(f"**IKZ-Monitor**  \n{kreis['name'] if kreis else 'kein Kreis angelegt'}")
quartal_selector()
layout.demo_banner()
navigation.run()
layout.footer()
