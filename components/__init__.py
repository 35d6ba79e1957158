"""Reusable Streamlit building blocks (may import streamlit and kreis_data, never pages)."""
