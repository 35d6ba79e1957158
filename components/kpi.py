"""Key figure tiles with trend, source and Stand."""
from __future__ import annotations

import streamlit as st

from kreis_data.analyses.lagebild import Kennzahl


def kennzahl_tiles(kennzahlen: list[Kennzahl], columns: int = 3) -> None:
    rows = [kennzahlen[i:i + columns] for i in range(0, len(kennzahlen), columns)]
    for row in rows:
        for column, kennzahl in zip(st.columns(columns), row):
            with column.container(border=True):
                st.metric(kennzahl.titel, kennzahl.wert,
                          delta=f"{kennzahl.delta} zum Vorquartal" if kennzahl.delta else None,
                          delta_color="normal" if kennzahl.delta_wert else "off")
                st.markdown(kennzahl.erlaeuterung)
                st.caption(f"Quelle: {kennzahl.quelle} · Stand: {kennzahl.stand}")
