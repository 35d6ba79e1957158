"""The edit forms of the EfA page (through ``components.formular``): one Anbindung, one catalog
entry (Leistung and its Vollzug), and the Excel exchange of the Anbindungen of a quarter
(download of the re-importable file, import through ``components.hochladen``).

A Redaktion edits the Anbindungen of its own Verwaltungen; only the Kreis-Administration the
catalog and the Excel import. The forms show only what the person may do; the write services of
``kreis_data.efa`` check the rights again.
"""
from __future__ import annotations

import pandas as pd
import streamlit as st

from components import data, formular
from components.auswahl import Auswahl
from components.download import datei_herunterladen
from components.hochladen import hochladen
from components.text import md
from kreis_data import formatting, scales
from kreis_data.efa import austausch, schreiben
from kreis_data.efa import lesen as efa
from kreis_data.efa.regeln import LEISTUNG_FELDNAMEN, LeistungEingabe
from kreis_data.konten import regeln as rechte

KEIN_HINDERNIS = "kein Hindernis"
KEINE_ABWEICHUNG = "keine Abweichung"
NEUE_LEISTUNG = 0
LEISTUNG_FORMULAR = "efa_leistung"
LEISTUNG_AUSWAHL = "efa_leistung_auswahl"
_NEU_ANGELEGT = "efa_leistung_neu_angelegt"  # id of a just created Leistung: select it next run
NEUER_EINTRAG = {"leistung": "", "themenfeld": scales.OZG_THEMENFELDER[0], "federfuehrung": "",
                 "leika": "", "efa_dienst": "", "reifegrad": None, "reifegrad_modell": "2.0",
                 "quelle_url": "", "ebene_land": None, "ebene_kreis": None, "version": None}


def _text(value: object) -> str:
    return value if isinstance(value, str) else ""


def _index(optionen: list, wert: object) -> int:
    return optionen.index(wert) if wert in optionen else 0


# --- One Anbindung -------------------------------------------------------------------------------
def anbindung_bearbeiten(benutzer: rechte.Benutzer, a: Auswahl, keys: list[str],
                         namen: dict[str, str]) -> None:
    """Status and Hindernis of one Anbindung (Verwaltung × Leistung) in the selected quarter."""
    st.subheader("Anbindung bearbeiten")
    eigene = rechte.bearbeitbare_verwaltungen(benutzer, keys)
    if not eigene:
        st.info("Ihre Rolle erlaubt keine Änderungen an Anbindungen.")
        return
    st.caption(f"Quartal: {a.label} (Auswahl in der Seitenleiste). Gespeichert wird als "
               f"„{md(benutzer.name)}“; jede Änderung landet im Änderungsprotokoll.")
    links, rechts = st.columns(2)
    v_key = links.selectbox("Verwaltung", eigene, format_func=namen.get, key="efa_edit_verwaltung")
    moeglich = data.cached(efa.bearbeitbare_anbindungen, a.quartal, v_key).set_index("leistung_id")
    if moeglich.empty:
        st.info(f"{md(namen[v_key])} ist laut Vollzug für keine Leistung des Katalogs zuständig.")
        return
    l_id = rechts.selectbox("Leistung", list(moeglich.index),
                            format_func=lambda i: moeglich.at[i, "leistung"],
                            key=f"efa_edit_leistung_{v_key}")
    zeile = moeglich.loc[l_id]
    suffix = f"{v_key}_{l_id}_{a.quartal}"
    titel = f"{namen[v_key]} – {zeile['leistung']} ({a.label})"
    hindernisse = [KEIN_HINDERNIS, *scales.HINDERNISSE]
    gesendet: dict[str, str] = {}

    def felder(runde: int) -> dict:
        return {
            "status": st.selectbox("Status", scales.ANBINDUNG_STATUS,
                                   index=_index(list(scales.ANBINDUNG_STATUS), zeile["status"]),
                                   key=f"efa_status_{suffix}_{runde}"),
            "hindernis": st.selectbox("Hindernis (nur wenn noch nicht live)", hindernisse,
                                      index=_index(hindernisse, zeile["hindernis"]),
                                      key=f"efa_hindernis_{suffix}_{runde}")}

    def speichern(werte: dict, version: int | None):
        gesendet.update(werte)
        hindernis = None if werte["hindernis"] == KEIN_HINDERNIS else werte["hindernis"]
        return schreiben.set_anbindung(data.engine(), benutzer, v_key, int(l_id), a.quartal,
                                       werte["status"], hindernis, version=version)

    def erfolg(aenderung) -> str:
        if not aenderung.geaendert:
            return f"Keine Änderung: {md(titel)} war bereits so gespeichert."
        hindernis = gesendet["hindernis"]
        return (f"Gespeichert: {md(titel)} – Status „{gesendet['status']}“"
                + (f", Hindernis „{hindernis}“." if hindernis != KEIN_HINDERNIS else "."))

    seit = f" seit {formatting.quartal(zeile['live_seit'])}" if zeile["live_seit"] else ""
    formular.bearbeiten(
        f"efa_anbindung_{suffix}", felder=felder, speichern=speichern, erfolg=erfolg,
        version=int(zeile["version"]), knopf="Anbindung speichern",
        titel=f"**{md(titel)}** · derzeit „{zeile['status']}“{seit}")


# --- One catalog entry ---------------------------------------------------------------------------
def _eingabe(werte: dict) -> LeistungEingabe:
    def ohne(feld: str, leer: object) -> object:
        return None if werte[feld] == leer else werte[feld]

    return LeistungEingabe(
        name=werte["name"], themenfeld=werte["themenfeld"],
        federfuehrung=werte["federfuehrung"], leika=werte["leika"],
        efa_dienst=werte["efa_dienst"], reifegrad=ohne("reifegrad", scales.KEINE_ANGABE),
        reifegrad_modell=werte["reifegrad_modell"], quelle_url=werte["quelle_url"],
        vollzug_land=ohne("vollzug_land", scales.KEINE_ANGABE),
        vollzug_kreis=ohne("vollzug_kreis", KEINE_ABWEICHUNG))


def _leistung_felder(eintrag: dict, lid: int, kreis: dict):
    """The widgets of a catalog entry (for formular.bearbeiten)."""
    modelle = list(scales.REIFEGRAD_MODELLE)
    stufen = [scales.KEINE_ANGABE, *range(max(scales.REIFEGRAD_MODELLE.values()) + 1)]
    reifegrad = eintrag["reifegrad"]
    reifegrad = scales.KEINE_ANGABE if reifegrad is None or pd.isna(reifegrad) else int(reifegrad)
    land = [scales.KEINE_ANGABE, *scales.VOLLZUG_EBENEN]
    abweichung = [KEINE_ABWEICHUNG, *scales.VOLLZUG_EBENEN]

    def felder(runde: int) -> dict:
        def k(feld: str) -> str:
            return f"efa_l_{feld}_{lid}_{runde}"

        name = st.text_input("Name", value=_text(eintrag["leistung"]), key=k("name"))
        a, b = st.columns(2)
        return {
            "name": name,
            "themenfeld": a.selectbox("OZG-Themenfeld", scales.OZG_THEMENFELDER,
                                      index=_index(list(scales.OZG_THEMENFELDER),
                                                   eintrag["themenfeld"]), key=k("themenfeld")),
            "federfuehrung": b.text_input("Federführung (Land)",
                                          value=_text(eintrag["federfuehrung"]),
                                          key=k("federfuehrung")),
            "leika": a.text_input("LeiKa-Schlüssel (14 Ziffern, beginnt mit 99; optional)",
                                  value=_text(eintrag["leika"]), key=k("leika")),
            "efa_dienst": b.text_input("EfA-Onlinedienst", value=_text(eintrag["efa_dienst"]),
                                       key=k("efa_dienst")),
            "reifegrad_modell": a.selectbox(
                "Reifegradmodell", modelle, index=_index(modelle, eintrag["reifegrad_modell"]),
                format_func=lambda m: f"Modell {m}",
                key=k("modell"), help=" · ".join(f"Modell {m}: Stufen 0–{h}"
                                                 for m, h in scales.REIFEGRAD_MODELLE.items())),
            "reifegrad": b.selectbox("Reifegrad", stufen, index=_index(stufen, reifegrad),
                                     key=k("reifegrad")),
            "quelle_url": st.text_input("Quelle (Link)", value=_text(eintrag["quelle_url"]),
                                        key=k("quelle_url")),
            "vollzug_land": a.selectbox(
                f"Vollzug nach Landesrecht ({kreis['land']})", land,
                index=_index(land, eintrag["ebene_land"] or scales.KEINE_ANGABE),
                key=k("vollzug_land")),
            "vollzug_kreis": b.selectbox(
                f"Abweichung des Kreises ({md(kreis['name'])})", abweichung,
                index=_index(abweichung, eintrag["ebene_kreis"] or KEINE_ABWEICHUNG),
                key=k("vollzug_kreis")),
        }
    return felder


def katalog_bearbeiten(benutzer: rechte.Benutzer, katalog: pd.DataFrame, kreis: dict) -> None:
    """Create or edit a catalog entry and its Vollzug (Kreis-Administration only)."""
    st.subheader("Katalogeintrag bearbeiten")
    if not rechte.darf_kreisweit(benutzer):
        st.caption("Den Katalog (Leistungen und Vollzug) pflegt die Kreis-Administration.")
        return
    eintraege = katalog.set_index("leistung_id")
    optionen = [NEUE_LEISTUNG, *katalog.sort_values("leistung")["leistung_id"].astype(int)]
    if (neu := st.session_state.pop(_NEU_ANGELEGT, None)) in optionen:
        st.session_state[LEISTUNG_AUSWAHL] = neu
    if st.session_state.get(LEISTUNG_AUSWAHL) not in optionen:
        st.session_state[LEISTUNG_AUSWAHL] = NEUE_LEISTUNG
    lid = st.selectbox(
        "Leistung", optionen, key=LEISTUNG_AUSWAHL,
        on_change=formular.neu_laden, args=(LEISTUNG_FORMULAR,),  # forget the old entry's version
        format_func=lambda i: "neue Leistung anlegen" if i == NEUE_LEISTUNG
        else eintraege.at[i, "leistung"])
    eintrag = NEUER_EINTRAG if lid == NEUE_LEISTUNG else eintraege.loc[lid].to_dict()
    gesendet: dict[str, object] = {}

    def speichern(werte: dict, version: int | None):
        gesendet.update(werte)
        aenderung = schreiben.save_leistung(
            data.engine(), benutzer, _eingabe(werte),
            leistung_id=None if lid == NEUE_LEISTUNG else int(lid), version=version)
        if aenderung.aktion == "angelegt":
            st.session_state[_NEU_ANGELEGT] = aenderung.id
        return aenderung

    def erfolg(aenderung) -> str:
        was = f"Leistung „{str(gesendet['name']).strip()}“"
        if aenderung.aktion == "angelegt":
            return f"{md(was)} angelegt – im Änderungsprotokoll vermerkt."
        return formular.erfolg_text(aenderung, was, LEISTUNG_FELDNAMEN)

    formular.bearbeiten(
        LEISTUNG_FORMULAR, felder=_leistung_felder(eintrag, lid, kreis), speichern=speichern,
        erfolg=erfolg, version=None if eintrag["version"] is None else int(eintrag["version"]),
        knopf="Katalogeintrag speichern")


# --- Excel exchange ------------------------------------------------------------------------------
def excel_austausch(benutzer: rechte.Benutzer, a: Auswahl) -> None:
    """Download of the quarter's Anbindungen (the template) and, for the Kreis-Administration,
    the import of the filled-in file (all or nothing)."""
    st.subheader("Excel-Austausch")
    st.markdown(f"Die Ausgabe aller Anbindungen des {a.label} ist zugleich die Vorlage: Status, "
                "Live seit, Hindernis und Bemerkung ändern und wieder hochladen. Enthält die Datei "
                "einen Fehler, wird **nichts** gespeichert und jeder Fehler mit Zeile und Spalte "
                "genannt.")
    datei_herunterladen("Anbindungen als Excel herunterladen",
                        lambda: austausch.export_bytes(data.engine(), a.quartal, "xlsx"),
                        f"anbindungen-{a.quartal}.xlsx", key="efa_export")
    if not rechte.darf_kreisweit(benutzer):
        st.caption("Den Excel-Import führt die Kreis-Administration aus.")
        return
    hochladen("efa_import", "Ausgefüllte Datei (.xlsx oder .csv)", ["xlsx", "csv"],
              lambda pfad: austausch.import_anbindungen(data.engine(), pfad, benutzer=benutzer,
                                                        quartal=a.quartal))


def bearbeiten(benutzer: rechte.Benutzer, a: Auswahl, keys: list[str], namen: dict[str, str],
               katalog: pd.DataFrame, kreis: dict) -> None:
    """The tab "Bearbeiten": the three forms one below the other."""
    anbindung_bearbeiten(benutzer, a, keys, namen)
    katalog_bearbeiten(benutzer, katalog, kreis)
    excel_austausch(benutzer, a)
