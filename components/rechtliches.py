"""The operator block of the legal pages: the configured Betreiber (kreis_data/betreiber.py), or
a plain statement of what the operator still has to configure – never an invented operator."""
from __future__ import annotations

import streamlit as st

from components.text import md
from kreis_data import betreiber as b
from kreis_data.fehler import Ungueltig
from kreis_data.formatting import datum


def betreiber() -> b.Betreiber | None:
    """The operator, or None (with a German note on the page saying what is missing)."""
    try:
        gefunden = b.lade_betreiber()
    except Ungueltig as exc:
        st.error("Die Betreiberangaben dieser Installation sind fehlerhaft:  \n"
                 + "  \n".join(md(f) for f in exc.fehler))
        return None
    if gefunden is None:
        st.warning(
            "Für diese Installation sind noch keine Betreiberangaben hinterlegt. Die Stelle, die "
            "den IKZ-Monitor betreibt, trägt sie in die Datei "
            f"`{b.DEFAULT_BETREIBER_DATEI.relative_to(b.PROJECT_ROOT)}` ein (Vorlage: "
            "`docs/betreiber.beispiel.toml`, anderer Ort über `IKZ_BETREIBER_DATEI`): "
            + ", ".join(b.BESCHREIBUNG[k] for k in b.PFLICHT) + ".", icon=":material/info:")
    return gefunden


def zeilen(text: str) -> str:
    """Several lines of plain text (an address) as Markdown line breaks, escaped."""
    return "  \n".join(md(zeile.strip()) for zeile in text.splitlines() if zeile.strip())


def angabe(titel: str, wert: str) -> None:
    """One labelled fact, only when it is configured."""
    if wert:
        st.markdown(f"**{titel}**  \n{zeilen(wert)}")


def pruefdatum(betreiber: b.Betreiber | None) -> str:
    if betreiber is None or betreiber.barrierefreiheit_pruefung is None:
        return "noch nicht angegeben"
    return datum(betreiber.barrierefreiheit_pruefung)
