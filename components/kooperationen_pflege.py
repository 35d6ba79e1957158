"""Create, edit and end a Kooperation (the tab "Anlegen und bearbeiten" of the Kooperationen
page), every form through components.formular: version check, refusals, success message.
Signed in only: a Redaktion edits the Kooperationen under the Federführung of its Verwaltungen,
the Kreis-Administration all (kreis_data.konten.regeln; enforced again by
kreis_data.kooperationen.schreiben). Nothing in presentation mode.
"""
from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from components import data, formular
from components.anmeldung import bearbeiter_oder_hinweis
from components.kooperationen import AUSWAHL_KEY
from components.praesentation import ist_praesentation
from components.text import md
from kreis_data import formatting, scales
from kreis_data.arbeitseinheit import Aenderung
from kreis_data.konten import regeln as rechte
from kreis_data.kooperationen import lesen, regeln, schreiben
from kreis_data.quartal import Quartal

NEU = "koop_neu"  # the create form (formular key, prefix of its widget keys)
ZEIGE_MATRIX_KEY = "koop_zeige_matrix"  # after a create: the page opens the matrix
BEENDET_KEY = "koop_beendet"  # the Kooperation just ended (its message, after the rerun)
AKTIONEN = ("Neu anlegen", "Bearbeiten", "Beenden")
WIE_FORMAT = "wie Format"
DATUM_MIN, DATUM_MAX = dt.date(1990, 1, 1), dt.date(2100, 12, 31)


def nach_dem_anlegen() -> bool:
    """Right after a create: its success message (above the tabs) and True – the page then
    opens the matrix, where the new Kooperation is selected for the detail."""
    if not st.session_state.pop(ZEIGE_MATRIX_KEY, False):
        return False
    formular.nachricht_zeigen(NEU)
    return True


def bereich(register: pd.DataFrame, verwaltungen: pd.DataFrame, quartal: str) -> None:
    """The tab "Anlegen und bearbeiten": the forms, or why there are none."""
    if ist_praesentation():
        st.info("Im Präsentationsmodus ist das Bearbeiten ausgeblendet.")
        return
    benutzer = bearbeiter_oder_hinweis()
    if benutzer is None:
        return  # the login hint is shown
    if not any(rechte.darf_kooperation_bearbeiten(benutzer, k) for k in verwaltungen["key"]):
        st.info("Ihre Rolle erlaubt keine Änderungen an Kooperationen.")
        return
    aktion = st.segmented_control("Aktion", AKTIONEN, default=AKTIONEN[0], key="koop_aktion",
                                  required=True)
    st.caption(f"Gespeichert wird als „{md(benutzer.name)}“; jede Änderung steht im "
               "Änderungsprotokoll."
               + ("" if benutzer.ist_admin else " Sie bearbeiten die Kooperationen "
                  "unter Federführung Ihrer Verwaltung."))
    if aktion == "Neu anlegen":
        anlegen(quartal, benutzer)
    elif aktion == "Bearbeiten":
        bearbeiten(register, quartal, benutzer)
    else:
        beenden(register, benutzer)


def bearbeitbar(register: pd.DataFrame, benutzer: rechte.Benutzer) -> pd.DataFrame:
    """The Kooperationen of the register this person may edit (by Federführung)."""
    return register[[rechte.darf_kooperation_bearbeiten(benutzer, k)
                     for k in register["federfuehrung_key"]]]


# --- The fields of a Kooperation ----------------------------------------------------------------


def _index(optionen, wert, standard=0):
    optionen = list(optionen)
    return optionen.index(wert) if wert in optionen else standard


def felder(prefix: str, werte: dict, benutzer: rechte.Benutzer) -> dict:
    """The widgets of a Kooperation (inside the form; keys start with `prefix`), preset with
    `werte` (lesen.kooperation); returns the entry as the write services take it. The
    Federführung offers only Verwaltungen whose Kooperationen `benutzer` may edit (a Redaktion
    can neither create for nor hand over to another Verwaltung)."""
    verwaltungen = data.verwaltungen()
    namen = dict(zip(verwaltungen["key"], verwaltungen["name"], strict=True))
    keys = list(verwaltungen.sort_values(["kreisverwaltung", "name"],
                                         ascending=[False, True])["key"])
    fuehrung_optionen = [None, *keys] if benutzer.ist_admin else [
        k for k in keys if rechte.darf_kooperation_bearbeiten(benutzer, k)]
    formate = list(regeln.format_namen())
    mitglied_keys = [m["verwaltung_key"] for m in werte.get("mitglieder", [])
                     if m.get("verwaltung_key")]

    def name_oder_keine(k):
        return "– keine –" if k is None else namen[k]

    name = st.text_input("Name *", value=werte.get("name") or "", key=f"{prefix}_name")
    links, mitte, rechts = st.columns(3)
    format_ = links.selectbox("Format *", formate,
                              index=_index(formate, werte.get("format"), None),
                              placeholder="bitte wählen", key=f"{prefix}_format")
    v_optionen = [WIE_FORMAT, *scales.VERBINDLICHKEIT]
    d_optionen = [WIE_FORMAT, *scales.DAUER]
    verbindlichkeit = mitte.selectbox(
        "Verbindlichkeit", v_optionen, index=_index(v_optionen, werte.get("verbindlichkeit")),
        key=f"{prefix}_verbindlichkeit",
        help="„wie Format“ übernimmt die Einordnung des Formats (Tabelle „Formate und "
             "ihre Einordnung“ unter „Neu anlegen“).")
    dauer = rechts.selectbox("Dauer", d_optionen, index=_index(d_optionen, werte.get("dauer")),
                             key=f"{prefix}_dauer")
    links, mitte, rechts = st.columns(3)
    rechtsform = links.selectbox(
        "Rechtsform", scales.RECHTSFORMEN, key=f"{prefix}_rechtsform",
        index=_index(scales.RECHTSFORMEN, werte.get("rechtsform"),
                     scales.RECHTSFORMEN.index("keine")))
    ausrichtung = mitte.selectbox(
        "Ausrichtung", scales.AUSRICHTUNGEN, key=f"{prefix}_ausrichtung",
        index=_index(scales.AUSRICHTUNGEN, werte.get("ausrichtung")))
    status = rechts.selectbox("Status", scales.KOOPERATION_STATUS, key=f"{prefix}_status",
                              index=_index(scales.KOOPERATION_STATUS, werte.get("status"), 1))
    handlungsfelder = st.multiselect(
        "Handlungsfelder *", scales.HANDLUNGSFELDER,
        default=[h for h in werte.get("handlungsfelder", []) if h in scales.HANDLUNGSFELDER],
        placeholder="bitte wählen", key=f"{prefix}_handlungsfelder")
    mitglieder = st.multiselect("Mitglieder: Verwaltungen des Kreises *", keys,
                                default=mitglied_keys, format_func=namen.get,
                                placeholder="bitte wählen", key=f"{prefix}_mitglieder")
    externe = st.text_area("Weitere Mitglieder (je Zeile „Name; Akteurstyp“)",
                           value=regeln.externe_als_text(werte.get("mitglieder", [])),
                           help="Akteurstypen: " + ", ".join(scales.AKTEURSTYPEN),
                           key=f"{prefix}_externe")
    links, rechts = st.columns(2)
    federfuehrung = links.selectbox(
        "Federführung", fuehrung_optionen, format_func=name_oder_keine,
        index=_index(fuehrung_optionen, werte.get("federfuehrung_key")),
        key=f"{prefix}_federfuehrung")
    optionen = [None, *keys]
    stellvertretung = rechts.selectbox(
        "Stellvertretung", optionen, format_func=name_oder_keine,
        index=_index(optionen, werte.get("stellvertretung_key")),
        key=f"{prefix}_stellvertretung")
    links, mitte, rechts = st.columns(3)
    start = links.date_input("Start", value=werte.get("start"), min_value=DATUM_MIN,
                             max_value=DATUM_MAX, format="DD.MM.YYYY", key=f"{prefix}_start")
    ende = mitte.date_input("Ende", value=werte.get("ende"), min_value=DATUM_MIN,
                            max_value=DATUM_MAX, format="DD.MM.YYYY", key=f"{prefix}_ende")
    ansprechperson = rechts.text_input("Ansprechperson", value=werte.get("ansprechperson") or "",
                                       key=f"{prefix}_ansprechperson")
    anschluss = st.text_area("Anschluss / Betreibermodell nach dem Ende",
                             value=werte.get("anschluss") or "", key=f"{prefix}_anschluss")
    links, rechts = st.columns(2)
    funktioniert = links.text_area("Was funktioniert", value=werte.get("was_funktioniert") or "",
                                   key=f"{prefix}_funktioniert")
    nicht = rechts.text_area("Was nicht funktioniert", value=werte.get("was_nicht") or "",
                             key=f"{prefix}_nicht")
    st.caption("Mit \\* markierte Felder sind Pflichtfelder. Mindestens zwei Mitglieder; "
               "Federführung und Stellvertretung müssen Mitglieder sein.")
    return {
        "name": name, "format": format_,
        "verbindlichkeit": None if verbindlichkeit == WIE_FORMAT else verbindlichkeit,
        "dauer": None if dauer == WIE_FORMAT else dauer,
        "rechtsform": rechtsform, "ausrichtung": ausrichtung, "status": status,
        "handlungsfelder": handlungsfelder,
        "mitglieder": [*mitglieder, *regeln.externe_aus_text(externe)],
        "federfuehrung_key": federfuehrung, "stellvertretung_key": stellvertretung,
        "start": start, "ende": ende, "ansprechperson": ansprechperson,
        "anschluss": anschluss, "was_funktioniert": funktioniert, "was_nicht": nicht,
    }


def formate_tabelle() -> None:
    with st.expander("Formate und ihre Einordnung („wie Format“)"):
        st.dataframe(pd.DataFrame([{"Format": f.name, "Verbindlichkeit": f.verbindlichkeit,
                                    "Dauer": f.dauer, "Hinweis": f.hinweis,
                                    "Beispiele": f.beispiele} for f in regeln.formate()]),
                     hide_index=True, width="stretch")
        st.caption("Quelle: Organisationsstrukturen für Smarte Landkreise, Abschnitt 3.2 "
                   "(kooperationsformate.csv)")


# --- Create, edit, end --------------------------------------------------------------------------


def _neu(aenderung: Aenderung) -> str:
    name = aenderung.felder["name"][1]
    return (f"Kooperation „{md(name)}“ angelegt (Nr. {aenderung.id}) – im Änderungsprotokoll "
            "vermerkt. Sie ist unten in der Matrix ausgewählt.")


def anlegen(quartal: str, benutzer: rechte.Benutzer) -> None:
    """The create form; a new Kooperation is then selected in the matrix."""
    formate_tabelle()

    def speichern(eingabe: dict, _version) -> Aenderung:
        neu = schreiben.create_kooperation(data.engine(), benutzer,
                                           {**eingabe, "ab_quartal": quartal})
        st.session_state[AUSWAHL_KEY] = neu.id
        st.session_state[ZEIGE_MATRIX_KEY] = True
        return neu

    formular.bearbeiten(NEU, felder=lambda runde: felder(f"{NEU}_{runde}", {}, benutzer),
                        speichern=speichern, knopf="Kooperation anlegen", erfolg=_neu)


def _geaendert(aenderung: Aenderung, name: str) -> str:
    name = md(aenderung.felder.get("name", (None, name))[1])
    if not aenderung.geaendert:
        return f"Keine Änderung an „{name}“ – nichts gespeichert."
    was = ", ".join(regeln.FELD_NAMEN.get(f, f) for f in aenderung.felder)
    return f"Änderungen an „{name}“ gespeichert ({md(was)}) – im Änderungsprotokoll vermerkt."


def bearbeiten(register: pd.DataFrame, quartal: str, benutzer: rechte.Benutzer) -> None:
    """The edit form of one Kooperation this person may edit."""
    register = bearbeitbar(register, benutzer)
    if register.empty:
        st.info("Keine Kooperation, die Sie bearbeiten dürfen: Eine Redaktion bearbeitet die "
                "Kooperationen unter Federführung ihrer Verwaltung.")
        return
    namen = dict(zip(register["id"], register["name"], strict=True))
    kooperation_id = int(st.selectbox("Kooperation", list(register["id"]),
                                      format_func=namen.get, key="koop_bearbeiten_id"))
    werte = data.cached(lesen.kooperation, kooperation_id)
    if werte is None:
        st.warning("Diese Kooperation gibt es nicht mehr.")
        return
    st.caption(f"Ändern Sie Verbindlichkeit oder Dauer, gilt die neue Einordnung ab dem "
               f"{Quartal.parse(quartal).label} (Quartal in der Seitenleiste); die bisherige "
               f"bleibt im Verlauf.")
    key = f"koop_edit_{kooperation_id}"
    formular.bearbeiten(
        key, felder=lambda runde: felder(f"{key}_{runde}", werte, benutzer),
        speichern=lambda eingabe, version: schreiben.update_kooperation(
            data.engine(), benutzer, kooperation_id, {**eingabe, "ab_quartal": quartal},
            version=version),
        version=werte["version"], knopf="Änderungen speichern",
        erfolg=lambda aenderung: _geaendert(aenderung, werte["name"]))


def beenden(register: pd.DataFrame, benutzer: rechte.Benutzer) -> None:
    """Set the end date and the status "beendet" of a running or planned Kooperation."""
    if (zuletzt := st.session_state.pop(BEENDET_KEY, None)) is not None:
        formular.nachricht_zeigen(f"koop_ende_{zuletzt}")  # it is no longer in the list
    offen = bearbeitbar(register[register["status"] != "beendet"], benutzer)
    if offen.empty:
        st.info("Keine laufende oder geplante Kooperation, die Sie bearbeiten dürfen.")
        return
    namen = dict(zip(offen["id"], offen["name"], strict=True))
    kooperation_id = int(st.selectbox("Kooperation", list(offen["id"]), format_func=namen.get,
                                      key="koop_ende_id"))
    key = f"koop_ende_{kooperation_id}"

    def ende_feld(runde: int) -> dict:
        ende = st.date_input("Ende", value=dt.date.today(), min_value=DATUM_MIN,
                             max_value=DATUM_MAX, format="DD.MM.YYYY", key=f"{key}_{runde}")
        st.caption("Setzt das Ende-Datum und den Status „beendet“. Ein Anschluss oder "
                   "Betreibermodell lässt sich unter „Bearbeiten“ eintragen.")
        return {"ende": ende}

    def speichern(eingabe: dict, version: int | None) -> Aenderung:
        ergebnis = schreiben.end_kooperation(data.engine(), benutzer, kooperation_id,
                                             eingabe["ende"], version=version)
        st.session_state[BEENDET_KEY] = kooperation_id
        return ergebnis

    def beendet(aenderung: Aenderung) -> str:
        ende = aenderung.felder.get("ende", (None, None))[1]
        zum = f" zum {formatting.datum(ende)}" if ende else ""
        return (f"„{md(namen[kooperation_id])}“{zum} beendet – im Änderungsprotokoll "
                "vermerkt.")

    formular.bearbeiten(key, felder=ende_feld, speichern=speichern,
                        version=int(offen.set_index("id").at[kooperation_id, "version"]),
                        knopf="Kooperation beenden", erfolg=beendet)
