"""Reusable Streamlit building blocks (may import streamlit and kreis_data, never pages).

Importing this package also guards against a Streamlit quirk: because a folder named pages/
sits beside app.py, the very first run after a server start that opens a deep link
(/karte?...) executes the page file alone ("multipage v1"), without app.py's navigation,
sidebar and banner. st.navigation switches that mode off for good, so here we switch it off
ourselves and rerun: the rerun executes app.py, which resolves the requested page.
"""
import streamlit as st
from streamlit.runtime.pages_manager import PagesManager
from streamlit.runtime.scriptrunner import get_script_run_ctx

if PagesManager.uses_pages_directory and get_script_run_ctx() is not None:
    PagesManager.uses_pages_directory = False
    st.rerun()
