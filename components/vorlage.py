"""The Excel template of the selected quarter: download, upload, preview of every change or of
every error, and "Änderungen übernehmen" (all or nothing, ``kreis_data.bewertungen.vorlage``).
Success and refusals (not allowed, stale preview) are shown like every form
(``components.formular``)."""
from __future__ import annotations

import streamlit as st

from components import data, formular, selbstauskunft
from components.auswahl import Auswahl
from components.text import md
from kreis_data.bewertungen.vorlage import Vorschau, pruefe_vorlage, schreibe_vorlage, vorlage_xlsx
from kreis_data.formatting import anzahl
from kreis_data.io.export import XLSX_MIME
from kreis_data.io.tabelle import DateiFehler
from kreis_data.konten.regeln import Benutzer

KEY = "dp_vorlage"  # the messages' key in components.formular
_VORSCHAU, _GEPRUEFT, _UPLOAD_NR = "dp_vorschau", "dp_vorschau_key", "dp_upload_nr"


def _vorschau(datei, quartal: str, benutzer: Benutzer) -> Vorschau | None:
    """The preview of the uploaded file, checked once per file and quarter (and again after a
    refused write); the versions it saw guard the write against changes since."""
    kennung = (datei.file_id, quartal)
    if st.session_state.get(_GEPRUEFT) != kennung:
        quelle = "Kreis-Erhebung" if benutzer.ist_admin else "Selbstauskunft"
        try:
            st.session_state[_VORSCHAU] = pruefe_vorlage(
                data.engine(), datei.getvalue(), datei.name, quartal, benutzer, quelle=quelle)
        except DateiFehler as exc:
            st.error(md(exc))
            return None
        st.session_state[_GEPRUEFT] = kennung
    return st.session_state.get(_VORSCHAU)


def _uebernehmen(vorschau: Vorschau, benutzer: Benutzer) -> None:
    ergebnis = formular.ausfuehren(
        KEY, lambda: schreibe_vorlage(data.engine(), vorschau, benutzer),
        erfolg=lambda aenderungen: f"{anzahl(len(aenderungen), 'Änderung', 'Änderungen')} aus "
                                   f"{md(vorschau.datei)} "
                                   "gespeichert – im Änderungsprotokoll vermerkt.")
    st.session_state.pop(_GEPRUEFT, None)  # refused: check the file again; saved: done
    if ergebnis is not None:
        selbstauskunft.neu_laden()  # the form shows the written values
        st.session_state[_UPLOAD_NR] = st.session_state.get(_UPLOAD_NR, 0) + 1  # empty uploader
    st.rerun()


def vorlage(benutzer: Benutzer, eigene: list[str], auswahl: Auswahl) -> None:
    """Template of the selected quarter for the person's Verwaltungen (all for the admin)."""
    if not eigene:
        st.info("Ihre Rolle erlaubt keine Änderungen.")
        return
    quartal = auswahl.quartal
    st.markdown(f"Vorlage für das **{auswahl.label}** (Quartal in der Seitenleiste wählen): "
                "eine Zeile je Verwaltung, eine Spalte je Merkmal, Auswahllisten mit den "
                "erlaubten Stufen und ein Blatt „Hinweise“ mit der Skala.")
    verwaltungen = None if benutzer.ist_admin else eigene
    st.download_button(
        "Vorlage herunterladen (.xlsx)",
        data=lambda: vorlage_xlsx(data.engine(), quartal, verwaltungen),
        file_name=f"ikz-vorlage-{quartal}.xlsx", icon=":material/download:", mime=XLSX_MIME,
        key="dp_vorlage_download")
    datei = st.file_uploader("Ausgefüllte Vorlage hochladen", type=["xlsx"],
                             key=f"dp_vorlage_upload_{st.session_state.get(_UPLOAD_NR, 0)}")
    formular.nachricht_zeigen(KEY)
    if datei is None:
        st.session_state.pop(_GEPRUEFT, None)
        return
    vorschau = _vorschau(datei, quartal, benutzer)
    if vorschau is None:
        return
    if vorschau.fehler:
        st.error(f"Die Datei enthält {len(vorschau.fehler)} Fehler – es wird nichts gespeichert. "
                 "Bitte korrigieren Sie die Datei und laden Sie sie erneut hoch.")
        st.markdown("\n".join(f"- {md(m)}" for m in vorschau.meldungen()))
        return
    if not vorschau.aenderungen:
        st.success("Die Datei ist fehlerfrei und enthält keine Änderungen.")
        return
    st.markdown(f"**Vorschau: {anzahl(len(vorschau.aenderungen), 'Änderung', 'Änderungen')}** – noch nichts "
                "gespeichert.")
    st.dataframe(vorschau.aenderungen, hide_index=True, width="stretch")
    if st.button("Änderungen übernehmen", type="primary", key="dp_vorlage_bestaetigen"):
        _uebernehmen(vorschau, benutzer)
