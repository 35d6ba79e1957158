"""The one upload-and-import component: a file uploader and a button that runs an import of
kreis_data (all or nothing) and shows its result the same way for every import – the summary,
or every error with file, row and column; refusals like every form (``components.formular``)."""
from __future__ import annotations

import gc
import tempfile
from collections.abc import Callable
from pathlib import Path

import streamlit as st

from components import formular
from components.text import md
from kreis_data import datenbank_pruefung
from kreis_data.fehler import Abgelehnt
from kreis_data.io.ergebnis import ImportErgebnis
from kreis_data.io.tabelle import MAX_DATEI_MB, MAX_SPALTEN, MAX_ZEILEN, DateiFehler

MAX_FEHLER = 50
# The same limits as kreis_data.io.tabelle and server.maxUploadSize (.streamlit/config.toml).
GRENZEN_TEXT = (f"Höchstens {MAX_DATEI_MB} MB, {MAX_ZEILEN:,} Zeilen und {MAX_SPALTEN} Spalten "
                "je Datei.").replace(",", ".")


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


def import_ausfuehren(pfad: Path, importieren: Callable[[Path], ImportErgebnis]
                      ) -> tuple[str, str]:
    """Run an import on a file and return (art, Markdown) – never raises for a bad file or a
    database fault: every refusal becomes a German message (issue #18)."""
    try:
        return ergebnis_text(importieren(pfad))
    except DateiFehler as exc:
        return "error", md(exc)
    except Abgelehnt as exc:
        return "error", formular.ablehnung_text(exc)
    except MemoryError:
        return "error", md(f"{pfad.name}: Datei ist zu groß, um sie zu lesen – erlaubt sind "
                           f"höchstens {MAX_DATEI_MB} MB. Nichts wurde gespeichert.")
    except Exception as exc:
        if not datenbank_pruefung.ist_datenbankfehler(exc):
            raise
        return "error", md(datenbank_pruefung.meldung(exc) + " Nichts wurde gespeichert.")
    finally:
        gc.collect()  # the parsed rows of a large file are not kept until the next import


def hochladen(key: str, label: str, typen: list[str],
              importieren: Callable[[Path], ImportErgebnis], knopf: str = "Prüfen und importieren"
              ) -> None:
    """Uploader + button; the import runs on the uploaded file in a temporary folder."""
    formular.nachricht_zeigen(key)
    datei = st.file_uploader(label, type=typen, key=f"{key}_datei_{formular.runde(key)}",
                             help=GRENZEN_TEXT)
    st.caption(GRENZEN_TEXT)
    if st.button(knopf, key=f"{key}_knopf", disabled=datei is None):
        with tempfile.TemporaryDirectory() as ordner:
            pfad = Path(ordner) / Path(datei.name).name
            pfad.write_bytes(datei.getvalue())
            art, text = import_ausfuehren(pfad, importieren)
        del datei
        formular.nachricht(key, art, text)
        if art == "success":
            formular.neu_laden(key)  # empties the uploader
        st.rerun()
