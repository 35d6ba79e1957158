"""The edit forms of the Standardisierung page (through ``components.formular``): the product a
Verwaltung uses in the selected Domäne (a new name joins the catalog), whether it supports a
standard, and the Excel exchange of both (download of the re-importable file, import through
``components.hochladen``).

A Redaktion edits its own Verwaltungen; only the Kreis-Administration imports. The forms show
only what the person may do; ``kreis_data.software.schreiben`` checks the rights again.
"""
from __future__ import annotations

import io

import streamlit as st

from components import data, formular
from components.auswahl import verwaltung_waehlen
from components.download import datei_herunterladen
from components.hochladen import hochladen
from components.text import md
from kreis_data import scales
from kreis_data.arbeitseinheit import Aenderung
from kreis_data.konten import regeln as rechte
from kreis_data.software import austausch, lesen, regeln, schreiben

NEU = "– neues Produkt eingeben –"
PRODUKT_FORMULAR, STANDARD_FORMULAR, IMPORT = "std_produkt", "std_standard", "std_import"


def _fuer(key: str, eintrag: tuple) -> str:
    """The form `key` edits `eintrag` (Verwaltung × Domäne or × Standard): when another entry
    is chosen, it starts from that entry's stored value and version."""
    merker = f"_{key}_eintrag"
    if st.session_state.get(merker, eintrag) != eintrag:
        formular.neu_laden(key)
    st.session_state[merker] = eintrag
    return key


def produkt_bearbeiten(benutzer: rechte.Benutzer, vk: str, name: str, domaene: str) -> None:
    """The product of Verwaltung `vk` in `domaene`: from the catalog or a new name."""
    aktuell, version = regeln.aktueller_eintrag(data.cached(lesen.load_einsatz), vk, domaene)
    katalog = data.cached(lesen.load_katalog)
    optionen = [*katalog.loc[katalog["domaene"] == domaene, "produkt"], NEU]
    st.markdown(f"Domäne **{md(domaene)}** (Auswahl oben) bei {md(name)}: "
                f"**{md(aktuell or 'keine Angabe')}**")

    def felder(runde: int) -> dict:
        wahl = st.selectbox("Produkt", optionen,
                            index=optionen.index(aktuell) if aktuell in optionen else 0,
                            key=f"edit_produkt_{runde}")
        neu = st.text_input("Neuer Produktname (nur bei „neues Produkt eingeben“)",
                            key=f"edit_produkt_neu_{runde}")
        return {"produkt": neu if wahl == NEU else wahl}

    def erfolg(aenderung: Aenderung) -> str:
        if not aenderung.geaendert:
            return f"Keine Änderung: {md(name)} nutzt in {md(domaene)} bereits {md(aktuell)}."
        neu = md(aenderung.felder["produkt"][1])
        text = (f"Gespeichert: {md(name)} nutzt in {md(domaene)} jetzt {neu} – im "
                "Änderungsprotokoll vermerkt.")
        if aenderung.weitere:
            text += f" „{neu}“ wurde in den Produktkatalog aufgenommen."
        return text

    formular.bearbeiten(
        _fuer(PRODUKT_FORMULAR, (vk, domaene)), felder=felder, version=version, erfolg=erfolg,
        speichern=lambda werte, gesehen: schreiben.set_produkt(
            data.engine(), benutzer, vk, domaene, werte["produkt"], version=gesehen),
        knopf="Produkt speichern")


def standard_bearbeiten(benutzer: rechte.Benutzer, vk: str, name: str) -> None:
    """Whether Verwaltung `vk` supports a standard: ja / nein / unbekannt."""
    standard = st.selectbox("Standard", list(scales.STANDARDS), key="edit_standard")
    aktuell, version = regeln.aktueller_standard(data.cached(lesen.load_standards), vk,
                                                 standard)
    st.markdown(f"{md(standard)} bei {md(name)}: "
                f"**{md(aktuell or 'unbekannt (keine Angabe)')}**")

    def felder(runde: int) -> dict:
        return {"wert": st.radio("Unterstützung", list(scales.STANDARD_WERTE), horizontal=True,
                                 index=scales.STANDARD_WERTE.index(aktuell or "unbekannt"),
                                 key=f"edit_wert_{runde}")}

    def erfolg(aenderung: Aenderung) -> str:
        if not aenderung.geaendert:
            return f"Keine Änderung: {md(name)} – {md(standard)} ist bereits „{md(aktuell)}“."
        return (f"Gespeichert: {md(name)} – {md(standard)}: "
                f"{md(aenderung.felder['wert'][1])} – im Änderungsprotokoll vermerkt.")

    formular.bearbeiten(
        _fuer(STANDARD_FORMULAR, (vk, standard)), felder=felder, version=version,
        erfolg=erfolg, knopf="Angabe speichern",
        speichern=lambda werte, gesehen: schreiben.set_standard(
            data.engine(), benutzer, vk, standard, werte["wert"], version=gesehen))


def _export() -> bytes:
    puffer = io.BytesIO()
    austausch.export_produkte(data.engine(), puffer, demo=data.ist_demo())
    return puffer.getvalue()


def excel_austausch(benutzer: rechte.Benutzer) -> None:
    """The workbook of all products and standards (the template) and, for the
    Kreis-Administration, the import of the filled-in file (all or nothing)."""
    st.markdown("Die Excel-Datei enthält je Verwaltung alle Domänen (Blatt „Produkte“) und alle "
                "Standards (Blatt „Standards“) und ist zugleich die Importvorlage. Beim Import "
                "wird jede Zeile geprüft; bei einem Fehler wird **nichts** gespeichert.")
    datei_herunterladen("Produkte und Standards als Excel herunterladen", _export,
                        "produkte_standards.xlsx", key="std_export")
    if not rechte.darf_kreisweit(benutzer):
        st.caption("Den Excel-Import führt die Kreis-Administration aus.")
        return
    hochladen(IMPORT, "Ausgefüllte Datei hochladen (.xlsx oder .csv)", ["xlsx", "csv"],
              lambda pfad: austausch.import_produkte(data.engine(), pfad, benutzer=benutzer),
              knopf="Import starten")


def daten_pflegen(benutzer: rechte.Benutzer, domaene: str) -> None:
    """The Verwaltung selector and the tabs Produkt, Standard and Excel."""
    verwaltungen = data.verwaltungen()
    namen = dict(zip(verwaltungen["key"], verwaltungen["name"], strict=True))
    eigene = rechte.bearbeitbare_verwaltungen(benutzer, namen)
    if not eigene:
        st.info("Ihre Rolle erlaubt keine Änderungen an Produkten und Standards.")
        return
    st.caption(f"Änderungen werden mit dem Namen „{md(benutzer.name)}“ im Änderungsprotokoll "
               "gespeichert.")
    vk = verwaltung_waehlen(eigene, namen.get)
    tab_produkt, tab_standard, tab_excel = st.tabs(["Produkt", "Standard", "Excel"])
    with tab_produkt:
        produkt_bearbeiten(benutzer, vk, namen[vk], domaene)
    with tab_standard:
        standard_bearbeiten(benutzer, vk, namen[vk])
    with tab_excel:
        excel_austausch(benutzer)
