"""Legend of the Stufen scale: colour, hatch for "keine Angabe", and the label as text."""
from __future__ import annotations

import streamlit as st

from components.text import html_text
from kreis_data import scales


def keine_angabe_css() -> str:
    """CSS background for "keine Angabe": grey with diagonal hatching."""
    return (f"background: repeating-linear-gradient(45deg, {scales.KEINE_ANGABE_FARBE} 0 4px, "
            f"#ffffff 4px 7px)")


GEMEINDEFREI = "gemeindefrei"  # legend entry kind for gemeindefreie Gebiete


def legende_html(eintraege: list[tuple[str, int | str | None]]) -> str:
    """eintraege: (label, stufe, None for keine Angabe, or GEMEINDEFREI)."""
    items = []
    for label, stufe in eintraege:
        style = (keine_angabe_css() if stufe is None
                 else f"background: {scales.GEMEINDEFREI_FARBE}; border-style: dashed"
                 if stufe == GEMEINDEFREI else f"background: {scales.farbe(stufe)}")
        items.append(
            f'<li style="display:flex;align-items:center;gap:.5em;margin:.15em 0">'
            f'<span aria-hidden="true" style="display:inline-block;flex:none;width:1.6em;height:1.1em;'
            f'border:1px solid #555;{style}"></span>{html_text(label)}</li>')
    return f'<ul style="list-style:none;padding:0;margin:0">{"".join(items)}</ul>'


def stufen_legende(merkmal: scales.Merkmal | None = None) -> None:
    if merkmal is None:
        eintraege = [(f"Stufe {s}", s) for s in scales.STUFEN]
    else:
        eintraege = [(merkmal.kurzlabel(s), s) for s in merkmal.werte]
    eintraege.append((scales.KEINE_ANGABE, None))
    st.markdown(legende_html(eintraege), unsafe_allow_html=True)
