"""The one upload-and-import component: a file uploader and a button that runs an import of
kreis_data (all or nothing) and shows its result the same way for every import – the summary,
or every error with file, row and column; refusals like every form (``components.formular``)."""
from __future__ import annotations

import tempfile
from collections.abc import Callable
from pathlib import Path

import streamlit as st

from components import formular
from components.text import md
from kreis_data.fehler import Abgelehnt
from kreis_data.io.ergebnis import ImportErgebnis
from kreis_data.io.tabelle import DateiFehler

MAX_FEHLER = 50


def _hinweise(ergebnis: ImportErgebnis) -> str:
    """The import's notes (new catalog names, ignored columns) as a list, or ""."""
    zeilen = [f"- {md(h)}" for h in ergebnis.hinweise[:MAX_FEHLER]]
    if len(ergebnis.hinweise) > MAX_FEHLER:
        zeilen.append(f"- … und {len(ergebnis.hinweise) - MAX_FEHLER} weitere")
    return "\n\nHinweise:\n\n" + "\n".join(zeilen) if zeilen else ""


def ergebnis_text(ergebnis: ImportErgebnis) -> tuple[str, str]:
    """(art, Markdown) of an import result, with its notes."""
    if not ergebnis.fehler:
        return "success", md(ergebnis.zusammenfassung()) + _hinweise(ergebnis)
    zeilen = [f"- {md(f)}" for f in ergebnis.errors[:MAX_FEHLER]]
    if len(ergebnis.fehler) > MAX_FEHLER:
        zeilen.append(f"- … und {len(ergebnis.fehler) - MAX_FEHLER} weitere")
    return ("error", md(ergebnis.zusammenfassung()) + "\n\n" + "\n".join(zeilen)
            + _hinweise(ergebnis))


def hochladen(key: str, label: str, typen: list[str],
              importieren: Callable[[Path], ImportErgebnis], knopf: str = "Prüfen und importieren"
              ) -> None:
    """Uploader + button; the import runs on the uploaded file in a temporary folder."""
    formular.nachricht_zeigen(key)
    datei = st.file_uploader(label, type=typen, key=f"{key}_datei_{formular.runde(key)}")
    if st.button(knopf, key=f"{key}_knopf", disabled=datei is None):
        with tempfile.TemporaryDirectory() as ordner:
            pfad = Path(ordner) / Path(datei.name).name
            pfad.write_bytes(datei.getvalue())
            try:
                art, text = ergebnis_text(importieren(pfad))
            except DateiFehler as exc:
                art, text = "error", md(exc)
            except Abgelehnt as exc:
                art, text = "error", formular.ablehnung_text(exc)
        formular.nachricht(key, art, text)
        if art == "success":
            formular.neu_laden(key)  # empties the uploader
        st.rerun()
