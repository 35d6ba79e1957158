"""Quartalsreview: what changed from the comparison quarter to the quarter selected in the
sidebar, Maßnahmen with roadmap, Sitzungen, report export.

Maßnahmen are edited only by the Kreis-Administration (components.steuerung); presentation mode
shows no edit controls."""
import streamlit as st

from components import data, steuerung
from components import quartalsreview as review
from components.anmeldung import bearbeiter_oder_hinweis
from components.auswahl import auswahl
from components.praesentation import ist_praesentation
from components.shell import ensure_app_shell, seite_beenden
from components.text import md
from kreis_data.analyses import deltas as deltas_mod
from kreis_data.quartal import Quartal
from kreis_data.steuerung import lesen as steuerung_lesen

ensure_app_shell()  # must run first: see components/shell.py

a = auswahl()
praesentieren = ist_praesentation()
st.title(f"Quartalsreview {a.label}")
if not a.quartale:
    st.info("Für diesen Kreis sind noch keine Bewertungen erfasst – ein Quartalsvergleich ist "
            "erst mit Daten möglich.")
    seite_beenden()

vergleich = review.vergleich_waehlen(a) if not praesentieren else a.vorquartal
d = data.cached(deltas_mod.deltas, a.quartal, vergleich)
qa, qb = Quartal.parse(d.quartal), Quartal.parse(d.vergleich)
if praesentieren:  # the beamer: one screen per step (components/quartalsreview.py)
    review.praesentation(d, data.cached(steuerung_lesen.massnahmen))
    seite_beenden()
for hinweis in d.hinweise[1:]:
    st.info(hinweis)

spalten = st.columns(4)
spalten[0].metric("Verbesserungen", d.verbesserungen, help="Verwaltung × Merkmal mit höherer Stufe")
spalten[1].metric("Rückschritte", d.rueckschritte, help="Verwaltung × Merkmal mit niedrigerer Stufe")
spalten[2].metric("Neue EfA-Go-lives", len(d.go_lives))
spalten[3].metric("Überfällige Maßnahmen", len(d.massnahmen_ueberfaellig))
st.markdown(f"**{qa.label}** im Vergleich zum **{qb.label}**: {d.verbesserungen} Verbesserungen "
            f"und {d.rueckschritte} Rückschritte über alle Merkmale und Verwaltungen, "
            f"{len(d.go_lives)} neue Go-lives, {len(d.kooperationen)} Veränderungen bei "
            "Kooperationen.")

# Only the open tab runs and is sent (labels stay the same, so the open tab survives reruns).
TABS = ["Digitalisierungsstand", "Einzelne Veränderungen", "EfA und Kooperationen",
        "Kontakte und Datenstand", "Maßnahmen", "Sitzungen", *([] if praesentieren else ["Bericht"])]
tabs = st.tabs(TABS, key="review_ansicht", on_change="rerun")

with tabs[0]:
    if tabs[0].open:
        st.header("Veränderungen des Digitalisierungsstands")
        if d.aenderungen.empty:
            st.markdown("Keine Veränderungen zwischen den beiden Quartalen.")
        else:
            st.plotly_chart(review.slope_chart(d.je_merkmal, d.vergleich, d.quartal),
                            config={"displaylogo": False})
            review.merkmal_tabelle(d.je_merkmal)
        review.quelle_bewertungen(qa.label, qb.label)

with tabs[1]:
    if tabs[1].open:
        st.header("Einzelne Veränderungen (vorher → jetzt)")
        if d.aenderungen.empty:
            st.markdown("Keine Veränderungen zwischen den beiden Quartalen.")
        else:
            st.plotly_chart(review.bilanz_chart(d.je_merkmal), config={"displaylogo": False})
            review.aenderungen_tabelle(d.aenderungen, qb.label, qa.label)
        review.quelle_bewertungen(qa.label, qb.label)

with tabs[2]:
    if tabs[2].open:
        st.header("EfA-Go-lives und Kooperationen")
        if d.go_lives.empty:
            st.markdown("Keine neuen Go-lives.")
        else:
            st.markdown(f"**{len(d.go_lives)} neue Go-lives** (live im {qa.label}, nicht live "
                        f"im {qb.label}):")
            review.go_live_tabelle(d.go_lives)
        if d.kooperationen.empty:
            st.markdown("Keine neuen, beendeten oder neu eingeordneten Kooperationen.")
        else:
            review.kooperationen_tabelle(d.kooperationen)

with tabs[3]:
    if tabs[3].open:
        st.header("Kontakte und Datenstand")
        if d.fehlende_kontakte.empty:
            st.markdown("Alle Verwaltungen haben eine benannte Ansprechperson.")
        else:
            st.markdown("**Ohne benannte Ansprechperson:** "
                        + ", ".join(md(name) for name in d.fehlende_kontakte["verwaltung"]))
        st.caption(deltas_mod.KONTAKT_HINWEIS)
        satz = deltas_mod.veraltet_satz(d.veraltet, d.veraltet_grenze, qa.label)
        if d.veraltet.empty:
            st.markdown(f"**Veraltete Daten:** {satz}")
        else:
            st.markdown(f"**Veraltete Daten:** {satz} (dieselbe Regel wie die "
                        "Qualitätshinweise der Datenpflege):")
            review.veraltet_tabelle(d.veraltet)

with tabs[4]:
    if tabs[4].open:
        st.header("Maßnahmen")
        massnahmen = data.cached(steuerung_lesen.massnahmen)
        if massnahmen.empty:
            st.markdown("Noch keine Maßnahmen erfasst.")
        else:
            ueberfaellig = set(d.massnahmen_ueberfaellig["massnahme_id"])
            st.plotly_chart(review.roadmap(massnahmen, d.quartal, ueberfaellig),
                            config={"displaylogo": False})
            if not d.meilensteine_ueberfaellig.empty:
                st.markdown("**Überfällige Meilensteine:** " + "; ".join(
                    f"{md(r.meilenstein)} ({md(r.massnahme)}, fällig "
                    f"{Quartal.parse(r.quartal).label})"
                    for r in d.meilensteine_ueberfaellig.itertuples()))
            steuerung.massnahmen(massnahmen, ueberfaellig,
                                 None if praesentieren else bearbeiter_oder_hinweis(),
                                 praesentieren=praesentieren)

with tabs[5]:
    if tabs[5].open:
        st.header("Sitzungen der Steuerungsgruppe")
        if not d.offene_aufgaben.empty:
            st.subheader("Offene Aufgaben aus früheren Sitzungen")
            steuerung.offene_aufgaben(d.offene_aufgaben)
        sitzungen = data.cached(steuerung_lesen.sitzungen)
        if not sitzungen:
            st.markdown("Noch keine Sitzungen erfasst.")
        for sitzung in sitzungen:
            steuerung.sitzung(sitzung, offen=sitzung["quartal"] == d.quartal)

if not praesentieren:
    with tabs[6]:
        if tabs[6].open:
            st.header("Bericht herunterladen")
            st.markdown(f"Quartalsbericht {qa.label} (Kennzahlen, Karte, Veränderungen, "
                        "EfA-Chancen, Standardisierung, Maßnahmen) mit Quellen und Stand auf "
                        "jeder Seite. Er wird erst beim Klick erzeugt.")
            review.bericht_herunterladen(d.quartal)
