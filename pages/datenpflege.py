"""Datenpflege: Selbstauskunft and Excel template of the selected quarter, audit log, quality
flags. The quarter is the sidebar's (``auswahl()``); writes happen in the components."""
from __future__ import annotations

import datetime as dt

import streamlit as st

from components import data
from components.anmeldung import anmeldebox
from components.auswahl import auswahl
from components.download import tabelle_herunterladen
from components.praesentation import ist_praesentation
from components.selbstauskunft import selbstauskunft
from components.shell import ensure_app_shell, seite_beenden
from components.vorlage import vorlage
from kreis_data import formatting
from kreis_data.bewertungen.lesen import protokoll, protokoll_personen, qualitaet
from kreis_data.konten import regeln

ensure_app_shell()  # must run first: see components/shell.py

a = auswahl()
st.title("Datenpflege")
verwaltungen = data.verwaltungen()
namen = dict(zip(verwaltungen["key"], verwaltungen["name"], strict=True))
QUELLE = f"Datenpflege des Kreises{' (Demo-Daten, fiktiv)' if data.ist_demo() else ''}"
STAND = formatting.datum(dt.date.today())  # the tables are read now


# --- Qualität (also readable without login) ------------------------------------------------------
def zeige_qualitaet() -> None:
    flags = data.cached(qualitaet, a.quartal)
    st.markdown(f"Hinweise zur Datenqualität für das **{a.label}**: veraltete Werte (Stand vor "
                "Quartalsbeginn), Werte ohne Stand oder Quelle und Verwaltungen ohne Meldung.")
    if flags.empty:
        st.success("Keine Auffälligkeiten.")
        return
    zaehlung = flags["Hinweis"].value_counts()
    spalten = st.columns(len(zaehlung))
    for spalte, (hinweis, anzahl) in zip(spalten, zaehlung.items(), strict=True):
        spalte.metric(hinweis, f"{anzahl:n}")
    st.dataframe(flags, hide_index=True, width="stretch")
    tabelle_herunterladen(flags, f"Qualitätshinweise {a.label}", quelle=QUELLE,
                          stand=STAND, key="dp_qualitaet")


if ist_praesentation():
    st.info("Im Präsentationsmodus ist die Datenpflege ausgeblendet; angezeigt werden nur die "
            "Hinweise zur Datenqualität.")
    zeige_qualitaet()
    seite_beenden()

benutzer = anmeldebox()
if benutzer is None:
    if regeln.lesen_ohne_anmeldung():
        st.subheader("Datenqualität")
        zeige_qualitaet()
    seite_beenden()

eigene = regeln.bearbeitbare_verwaltungen(benutzer, namen)


# --- Änderungsprotokoll --------------------------------------------------------------------------
def zeige_protokoll() -> None:
    merkmale = {m.key: m.name for m in data.merkmale()}
    c1, c2, c3, c4 = st.columns(4)
    vk = c1.selectbox("Verwaltung", [None, *namen], key="dp_p_verwaltung",
                      format_func=lambda k: "alle" if k is None else namen[k])
    mk = c2.selectbox("Merkmal", [None, *merkmale], key="dp_p_merkmal",
                      format_func=lambda k: "alle" if k is None else merkmale[k])
    person = c3.selectbox("Person", [None, *data.cached(protokoll_personen)], key="dp_p_person",
                          format_func=lambda p: "alle" if p is None else p)
    zeitraum = c4.date_input("Zeitraum", value=(), format="DD.MM.YYYY", key="dp_p_zeitraum")
    von = zeitraum[0] if len(zeitraum) > 0 else None
    bis = zeitraum[1] if len(zeitraum) > 1 else von
    tabelle = data.cached(protokoll, vk, mk, person, von, bis)
    st.caption(f"{formatting.zahl(len(tabelle))} Einträge, neueste zuerst; Zeiten in deutscher "
               "Zeit (Europe/Berlin).")
    st.dataframe(tabelle, hide_index=True, width="stretch")
    tabelle_herunterladen(tabelle, "Änderungsprotokoll", quelle=QUELLE, stand=STAND,
                          key="dp_protokoll")


tab_form, tab_excel, tab_protokoll, tab_qualitaet = st.tabs(
    ["Selbstauskunft", "Excel-Vorlage", "Änderungsprotokoll", "Qualität"])
with tab_form:
    selbstauskunft(benutzer, eigene, namen, a)
with tab_excel:
    vorlage(benutzer, eigene, a)
with tab_protokoll:
    zeige_protokoll()
with tab_qualitaet:
    zeige_qualitaet()
