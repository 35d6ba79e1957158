"""Minimal app shell for AppTest of the Quartalsreview (mirrors app.py: sidebar quarter,
presentation toggle, navigation over Lagebild and Quartalsreview)."""
import sys
from pathlib import Path

import streamlit as st

ROOT = Path(__file__).resolve().parent.parent.parent
if str(ROOT) not in sys.path:  # the project root, as when `streamlit run app.py` runs there
    sys.path.insert(0, str(ROOT))

from components.praesentation import praesentation_toggle  # noqa: E402
from components.selection import quartal_selector  # noqa: E402

st.set_page_config(page_title="IKZ-Monitor", layout="wide")
navigation = st.navigation([
    st.Page(str(ROOT / "pages" / "quartalsreview.py"), title="Quartalsreview",
            url_path="quartalsreview", default=True),
    st.Page(str(ROOT / "pages" / "lagebild.py"), title="Lagebild", url_path="lagebild"),
])
quartal_selector()
praesentation_toggle()
navigation.run()
