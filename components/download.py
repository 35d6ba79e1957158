"""The one download component: a table as CSV and Excel, named after what it holds, with the
source, the Stand and the attributions in the file (``kreis_data.io.export``)."""
from __future__ import annotations

import re
from collections.abc import Callable

import pandas as pd
import streamlit as st

from components import layout
from components.text import md
from kreis_data.io import export


def _dateiname(was: str) -> str:
    ersetzt = was.lower().translate(str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"}))
    return re.sub(r"[^a-z0-9]+", "-", ersetzt).strip("-") or "tabelle"


def tabelle_herunterladen(tabelle: pd.DataFrame, was: str, *, quelle: str | None = None,
                          stand: str | None = None, key: str | None = None) -> None:
    """Two buttons: „<was>“ als CSV / als Excel. `was` names the table ("Produkte E-Akte/DMS")."""
    hinweise = layout.attributions()
    name = _dateiname(was)
    key = key or f"dl_{name}"
    links, rechts = st.columns(2)
    # A button label is Markdown: the name (of a Merkmal, a Domäne …) escaped (components.text)
    inhalt = (f"Tabelle „{md(was)}“ mit {len(tabelle)} Zeilen, wie auf dem Bildschirm, mit "
              "Quelle und Stand.")  # help: what the file holds
    links.download_button(
        f"„{md(was)}“ als CSV", icon=":material/download:", key=f"{key}_csv",
        help=f"{inhalt} CSV mit Semikolon (UTF-8), öffnet in Excel und LibreOffice.",
        data=lambda: export.als_csv(tabelle, quelle=quelle, stand=stand, hinweise=hinweise),
        file_name=f"{name}.csv", mime=export.CSV_MIME, on_click="ignore")
    rechts.download_button(
        f"„{md(was)}“ als Excel", icon=":material/download:", key=f"{key}_xlsx", help=inhalt,
        data=lambda: export.als_xlsx(tabelle, titel=was, quelle=quelle, stand=stand,
                                     hinweise=hinweise),
        file_name=f"{name}.xlsx", mime=export.XLSX_MIME, on_click="ignore")


def datei_herunterladen(label: str, daten: Callable[[], bytes], dateiname: str, *,
                        key: str | None = None) -> None:
    """One button for a file in its own layout (a template that is filled in and imported
    again, e.g. ``efa.austausch.export_bytes``); built only when clicked."""
    mime = export.XLSX_MIME if dateiname.endswith(".xlsx") else export.CSV_MIME
    st.download_button(label, data=daten, file_name=dateiname, mime=mime, key=key,
                       icon=":material/download:", on_click="ignore")
