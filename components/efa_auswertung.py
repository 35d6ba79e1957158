"""Figures of the EfA page: the Anbindungsmatrix (cells coloured by status, with a legend), the
Go-lives per quarter and the Hindernisse. Colours come from ``kreis_data.scales``."""
from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from components.text import link_ziel, md
from kreis_data import formatting, scales
from kreis_data.efa.regeln import LIVE, NICHT_ZUSTAENDIG


def zellstil(status: object) -> str:
    """Cell style of the Anbindungsmatrix: colours from scales, text colour with contrast."""
    farbe = scales.ANBINDUNG_FARBEN.get(status)
    if farbe is None:
        return ""
    if status == NICHT_ZUSTAENDIG:  # distinct: white, grey italic text
        return "background-color: #ffffff; color: #595959; font-style: italic"
    text = (scales.STUFEN_TEXTFARBEN[scales.STUFEN_FARBEN.index(farbe)]
            if farbe in scales.STUFEN_FARBEN else "#000000")
    return f"background-color: {farbe}; color: {text}"


def status_legende() -> None:
    items = []
    for status in scales.ANBINDUNG_STATUS:
        rahmen = "1px dashed #595959" if status == NICHT_ZUSTAENDIG else "1px solid #555"
        items.append(
            f'<li style="display:flex;align-items:center;gap:.4em;margin:.1em .8em .1em 0">'
            f'<span aria-hidden="true" style="display:inline-block;width:1.6em;height:1.1em;'
            f'border:{rahmen};background:{scales.ANBINDUNG_FARBEN[status]}"></span>{status}</li>')
    st.markdown(f'<ul style="list-style:none;padding:0;margin:0;display:flex;flex-wrap:wrap">'
                f'{"".join(items)}</ul>', unsafe_allow_html=True)


def anbindungsmatrix(matrix: pd.DataFrame) -> None:
    """Legend and the matrix (Verwaltungen × Leistungen; every cell names its status)."""
    status_legende()
    leistungs_spalten = list(matrix.columns[2:])
    st.dataframe(matrix.style.map(zellstil, subset=leistungs_spalten), hide_index=True,
                 width="stretch", height=35 * (len(matrix) + 1) + 3,
                 column_config={"Schlüssel": None,
                                "Verwaltung": st.column_config.TextColumn(pinned=True),
                                **{name: st.column_config.TextColumn(width=135, help=name)
                                   for name in leistungs_spalten}})


def go_lives(golives: pd.DataFrame) -> None:
    """Bar chart of the Go-lives per quarter and a sentence about them."""
    figur = go.Figure(go.Bar(
        x=golives["quartal"], y=golives["go_lives"], text=golives["go_lives"],
        textposition="outside", marker_color=scales.ANBINDUNG_FARBEN[LIVE],
        hovertemplate="%{x}: %{y} Go-lives<extra></extra>"))
    figur.update_layout(
        title="Go-lives je Quartal: neu live geschaltete Anbindungen",
        xaxis_title="Quartal", yaxis_title="Go-lives (Anzahl)", height=360,
        margin={"t": 60, "b": 40}, separators=formatting.PLOTLY_TRENNZEICHEN)
    st.plotly_chart(figur, width="stretch")
    gesamt = int(golives["go_lives"].sum())
    st.markdown(f"Vom {formatting.quartal(golives['quartal'].iloc[0])} bis zum "
                f"{formatting.quartal(golives['quartal'].iloc[-1])} wurden "
                f"{gesamt} Anbindungen live geschaltet; live sind zuletzt "
                f"{int(golives['live'].iloc[-1])} von {int(golives['zustaendig'].iloc[-1])}.")


def hindernisse(tabelle: pd.DataFrame) -> None:
    """The Hindernisse named for open Anbindungen: a list and the table."""
    st.markdown("\n".join(f"- **{md(row.text)}** ({row.anbindungen} "
                          f"{'Anbindung' if row.anbindungen == 1 else 'Anbindungen'})"
                          for row in tabelle.itertuples(index=False)))
    st.dataframe(tabelle.rename(columns={
        "hindernis": "Hindernis", "verwaltungen": "Verwaltungen", "anbindungen": "Anbindungen",
        "verwaltung_namen": "betroffene Verwaltungen", "leistungen": "Leistungen"})
        .drop(columns="text"), hide_index=True, width="stretch")


KATALOG_TITEL = {
    "leistung": "Leistung", "themenfeld": "Themenfeld", "federfuehrung": "Federführung",
    "leika": "LeiKa-Schlüssel", "reifegrad_text": "Reifegrad (Modell)", "vollzug_text": "Vollzug",
    "hinweis": "Hinweis zum Vollzug", "quelle_url": "Quelle"}


def katalog(katalog_: pd.DataFrame) -> None:
    """The catalog of EfA-Leistungen with Vollzug and a link to each source."""
    katalog_ = katalog_.assign(quelle_url=katalog_["quelle_url"].map(link_ziel))
    anzeige = katalog_.rename(columns=KATALOG_TITEL)[list(KATALOG_TITEL.values())]
    st.dataframe(formatting.fuer_leser(anzeige.drop(columns="Quelle")).assign(
                     Quelle=anzeige["Quelle"]),
                 hide_index=True, width="stretch",
                 column_config={"Quelle": st.column_config.LinkColumn(
                     display_text="Quelle öffnen")})
