"""Quartalsreview: deltas quarter over quarter, Maßnahmen with roadmap, Sitzungen, report export.

Maßnahmen are edited only by the Kreis-Administration (signed in; rule in kreis_data.auth,
enforced again by kreis_data.massnahmen); presentation mode shows no edit controls."""
import streamlit as st

from components import data
from components.anmeldung import bearbeiter_oder_hinweis
from components.praesentation import ist_praesentation
from components.quartalsreview import bilanz_chart, roadmap, slope_chart
from components.selection import current_quartal
from components.shell import ensure_app_shell, seite_beenden
from kreis_data import auth, formatting, scales
from kreis_data.analyses import deltas as deltas_mod
from kreis_data.massnahmen import VeralteteVersion, update_massnahme
from kreis_data.quartal import Quartal

ensure_app_shell()  # must run first: see components/shell.py

praesentieren = ist_praesentation()
st.title("Quartalsreview")

quartale = data.quartale()
if not quartale:
    st.info("Für diesen Kreis sind noch keine Bewertungen erfasst – ein Quartalsvergleich ist "
            "erst mit Daten möglich.")
    seite_beenden()

# --- Quarter selection ---------------------------------------------------------------------------
sidebar_quartal = current_quartal()
links, rechts = st.columns(2)
with links:
    quartal = st.selectbox("Betrachtetes Quartal", quartale, index=quartale.index(sidebar_quartal),
                           format_func=lambda q: Quartal.parse(q).label, key="review_quartal")
vorher = str(Quartal.parse(quartal).previous())
optionen = [q for q in quartale if q != quartal] or [vorher]
if vorher not in optionen:
    optionen.append(vorher)
optionen = sorted(optionen)
with rechts:
    vergleich = st.selectbox("Verglichen mit", optionen, index=optionen.index(vorher),
                             format_func=lambda q: Quartal.parse(q).label, key="review_vergleich",
                             help="Standard: das Quartal davor")

d = data.cached(deltas_mod.deltas, quartal, vergleich)
qa, qb = Quartal.parse(d.quartal), Quartal.parse(d.vergleich)
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

# --- Digitalisierungsstand -----------------------------------------------------------------------
st.header("Veränderungen des Digitalisierungsstands")
if d.aenderungen.empty:
    st.markdown("Keine Veränderungen zwischen den beiden Quartalen.")
else:
    st.plotly_chart(slope_chart(d.je_merkmal, d.vergleich, d.quartal),
                    config={"displaylogo": False})
    st.plotly_chart(bilanz_chart(d.je_merkmal), config={"displaylogo": False})
    st.dataframe(d.je_merkmal.rename(columns={
        "merkmal": "Merkmal", "verbesserungen": "Verbesserungen", "rueckschritte": "Rückschritte",
        "neu_erfasst": "neu erfasst", "entfallen": "Angabe entfallen",
        "unveraendert": "unverändert"})[["Merkmal", "Verbesserungen", "Rückschritte",
                                         "neu erfasst", "Angabe entfallen", "unverändert"]],
        hide_index=True)
    st.subheader("Einzelne Veränderungen (vorher → jetzt)")
    st.dataframe(d.aenderungen.rename(columns={
        "verwaltung": "Verwaltung", "merkmal": "Merkmal", "richtung": "Richtung",
        "alt_label": f"{qb.label}", "neu_label": f"{qa.label}"})[
        ["Verwaltung", "Merkmal", "Richtung", qb.label, qa.label]], hide_index=True)
st.caption(f"Quelle: Bewertungen der Verwaltungen (Selbstauskunft, Kreis-Erhebung u. a.)"
           f"{' – Demo-Daten (fiktiv)' if data.ist_demo() else ''} · Stand: {qa.label} "
           f"gegenüber {qb.label}")

# --- EfA, Kooperationen, Kontakte, Datenstand ----------------------------------------------------
st.header("EfA-Go-lives und Kooperationen")
if d.go_lives.empty:
    st.markdown("Keine neuen Go-lives.")
else:
    st.markdown(f"**{len(d.go_lives)} neue Go-lives** (live im {qa.label}, nicht live im "
                f"{qb.label}):")
    st.dataframe(d.go_lives.rename(columns={"verwaltung": "Verwaltung", "leistung": "Leistung",
                                            "themenfeld": "Themenfeld",
                                            "status_vorher": "Status vorher"})[
        ["Verwaltung", "Leistung", "Themenfeld", "Status vorher"]], hide_index=True)
if d.kooperationen.empty:
    st.markdown("Keine neuen, beendeten oder neu eingeordneten Kooperationen.")
else:
    st.dataframe(d.kooperationen.rename(columns={
        "kooperation": "Kooperation", "format": "Format", "art": "Veränderung",
        "vorher": "vorher", "jetzt": "jetzt", "start": "Start", "ende": "Ende"})[
        ["Kooperation", "Format", "Veränderung", "vorher", "jetzt", "Start", "Ende"]],
        hide_index=True)

st.header("Kontakte und Datenstand")
if d.fehlende_kontakte.empty:
    st.markdown("Alle Verwaltungen haben eine benannte Ansprechperson.")
else:
    st.markdown("**Ohne benannte Ansprechperson:** "
                + ", ".join(d.fehlende_kontakte["verwaltung"]))
st.caption(deltas_mod.KONTAKT_HINWEIS)
grenze = formatting.datum(d.veraltet_grenze)
if d.veraltet.empty:
    st.markdown(f"**Veraltete Daten:** keine – jede Verwaltung hat im {qa.label} Angaben mit "
                f"Stand ab dem {grenze}.")
else:
    st.markdown(f"**Veraltete Daten** (neuester Stand vor dem {grenze}, also mehr als ein "
                "Quartal vor dem Stichtag ohne Aktualisierung, oder ohne Angaben):")
    st.dataframe(d.veraltet.rename(columns={"verwaltung": "Verwaltung",
                                            "neuester_stand": "Neuester Stand",
                                            "bewertungen": "Bewertungen", "grund": "Grund"})[
        ["Verwaltung", "Neuester Stand", "Bewertungen", "Grund"]], hide_index=True)

# --- Maßnahmen -----------------------------------------------------------------------------------
st.header("Maßnahmen")
massnahmen = data.cached(deltas_mod.massnahmen)
ueberfaellig = set(d.massnahmen_ueberfaellig["massnahme_id"])
if massnahmen.empty:
    st.markdown("Noch keine Maßnahmen erfasst.")
else:
    st.plotly_chart(roadmap(massnahmen, d.quartal, ueberfaellig), config={"displaylogo": False})
    if not d.meilensteine_ueberfaellig.empty:
        st.markdown("**Überfällige Meilensteine:** " + "; ".join(
            f"{r.meilenstein} ({r.massnahme}, fällig {Quartal.parse(r.quartal).label})"
            for r in d.meilensteine_ueberfaellig.itertuples()))
    bearbeiter = None if praesentieren else bearbeiter_oder_hinweis()
    darf_bearbeiten = auth.darf_kreisweit(bearbeiter)
    if bearbeiter is not None and not darf_bearbeiten:
        st.caption("Maßnahmen bearbeitet die Kreis-Administration.")
    for m in massnahmen.itertuples():
        kopf = f"{m.titel} – {m.status}" + (" – überfällig" if m.id in ueberfaellig else "")
        with st.expander(kopf, expanded=m.id in ueberfaellig and not praesentieren):
            st.markdown(
                f"1. **Beschreibung und Ziel:** {m.beschreibung}  \n  Ziel: {m.ziel}\n"
                f"2. **Verantwortlich:** {m.verantwortlich}\n"
                f"3. **Beteiligte:** {m.beteiligte}\n"
                f"4. **Finanzierung:** {m.finanzierung}\n"
                f"5. **Priorität:** {m.prioritaet} – {m.prioritaet_begruendung}\n"
                f"6. **Start und Dauer:** {Quartal.parse(m.start_quartal).label}, "
                f"{m.dauer_quartale} Quartale (bis {Quartal.parse(m.end_quartal).label})\n"
                f"7. **Status:** {m.status}"
                + (f" – {m.status_begruendung}" if m.status_begruendung else "") + "\n"
                f"8. **Erfolgsindikator:** {m.erfolgsindikator}\n"
                "9. **Meilensteine:** " + ("; ".join(
                    f"{Quartal.parse(s['quartal']).label}: {s['titel']} "
                    f"({'erledigt' if s['erledigt'] else 'offen'})" for s in m.meilensteine)
                    or "keine"))
            if praesentieren or not darf_bearbeiten:
                continue
            version_key = f"massnahme_version_{m.id}"
            # The version this editor started from; kept across reruns so a save by someone
            # else in between is detected and refused.
            st.session_state.setdefault(version_key, int(m.version))
            with st.form(f"massnahme_{m.id}"):
                st.markdown("**Maßnahme bearbeiten**")
                c1, c2 = st.columns(2)
                werte = {
                    "titel": c1.text_input("Titel", m.titel),
                    "verantwortlich": c2.text_input("Verantwortlich", m.verantwortlich),
                    "beschreibung": c1.text_area("Beschreibung", m.beschreibung),
                    "ziel": c2.text_area("Ziel", m.ziel),
                    "beteiligte": c1.text_area("Beteiligte", m.beteiligte),
                    "erfolgsindikator": c2.text_area("Erfolgsindikator", m.erfolgsindikator),
                    "finanzierung": c1.selectbox(
                        "Finanzierung", scales.FINANZIERUNG,
                        index=scales.FINANZIERUNG.index(m.finanzierung)
                        if m.finanzierung in scales.FINANZIERUNG else 0),
                    "prioritaet": c2.selectbox(
                        "Priorität", scales.PRIORITAETEN,
                        index=scales.PRIORITAETEN.index(m.prioritaet)
                        if m.prioritaet in scales.PRIORITAETEN else 0),
                    "prioritaet_begruendung": c1.text_input("Begründung der Priorität",
                                                            m.prioritaet_begruendung),
                    "start_quartal": c2.text_input("Start (Quartal, z. B. 2026-Q3)",
                                                   m.start_quartal),
                    "dauer_quartale": c1.number_input("Dauer (Quartale)", min_value=1,
                                                      max_value=40, value=int(m.dauer_quartale)),
                    "status": c2.selectbox(
                        "Status", scales.MASSNAHME_STATUS,
                        index=scales.MASSNAHME_STATUS.index(m.status)
                        if m.status in scales.MASSNAHME_STATUS else 0),
                    "status_begruendung": st.text_input(
                        "Begründung des Status (Pflicht bei „verzögert“ und „gestoppt“)",
                        m.status_begruendung or ""),
                }
                if st.form_submit_button("Speichern"):
                    try:
                        geaendert = update_massnahme(data.engine(), int(m.id),
                                                     st.session_state[version_key], werte,
                                                     benutzer=bearbeiter)
                    except (VeralteteVersion, PermissionError) as error:
                        st.error(str(error))
                    except ValueError as error:
                        st.error("Nicht gespeichert:\n\n" + "\n".join(
                            f"- {z}" for z in str(error).splitlines()))
                    else:
                        del st.session_state[version_key]
                        if geaendert:
                            st.success(f"Gespeichert: {', '.join(geaendert)} geändert "
                                       "(im Änderungsprotokoll vermerkt).")
                        else:
                            st.info("Keine Änderung – nichts gespeichert.")

# --- Sitzungen -----------------------------------------------------------------------------------
st.header("Sitzungen der Steuerungsgruppe")
if not d.offene_aufgaben.empty:
    st.subheader("Offene Aufgaben aus früheren Sitzungen")
    offen = d.offene_aufgaben.copy()
    st.dataframe(offen.assign(
        Fällig=[Quartal.parse(q).label for q in offen["faellig_quartal"]],
        Sitzung=[formatting.datum(x) for x in offen["sitzung_datum"]],
        Überfällig=["ja" if u else "nein" for u in offen["ueberfaellig"]]).rename(
        columns={"titel": "Aufgabe", "verantwortlich": "Verantwortlich"})[
        ["Aufgabe", "Verantwortlich", "Fällig", "Sitzung", "Überfällig"]], hide_index=True)
sitzungen = data.cached(deltas_mod.sitzungen)
if not sitzungen:
    st.markdown("Noch keine Sitzungen erfasst.")
for sitzung in sitzungen:
    with st.expander(f"Sitzung vom {formatting.datum(sitzung['datum'])} "
                     f"({Quartal.parse(sitzung['quartal']).label})",
                     expanded=sitzung["quartal"] == d.quartal):
        st.markdown(f"**Teilnehmende:** {sitzung['teilnehmende']}")
        st.markdown("**Beschlüsse:**\n" + "\n".join(f"- {b}" for b in sitzung["beschluesse"]))
        if sitzung["aufgaben"]:
            st.markdown("**Aufgaben:**\n" + "\n".join(
                f"- {a['titel']} – {a['verantwortlich']}, fällig "
                f"{Quartal.parse(a['faellig_quartal']).label} "
                f"({'erledigt' if a['erledigt'] else 'offen'})" for a in sitzung["aufgaben"]))

# --- Export --------------------------------------------------------------------------------------
if not praesentieren:
    st.header("Bericht herunterladen")
    st.markdown(f"Quartalsbericht {qa.label} (Kennzahlen, Karte, Veränderungen, EfA-Chancen, "
                "Standardisierung, Maßnahmen) mit Quellen und Stand auf jeder Seite. "
                "Er wird erst beim Klick erzeugt.")

    def _pdf() -> bytes:
        from kreis_data.reports.pdf import build_pdf
        return build_pdf(data.engine(), d.quartal)

    def _pptx() -> bytes:
        from kreis_data.reports.pptx import build_pptx
        return build_pptx(data.engine(), d.quartal)

    k1, k2 = st.columns(2)
    k1.download_button("PDF-Bericht (A4 quer)", data=_pdf, icon=":material/picture_as_pdf:",
                       file_name=f"IKZ-Quartalsbericht-{d.quartal}.pdf", mime="application/pdf",
                       on_click="ignore")
    k2.download_button(
        "PowerPoint-Folien", data=_pptx, icon=":material/slideshow:",
        file_name=f"IKZ-Quartalsbericht-{d.quartal}.pptx", on_click="ignore",
        mime="application/vnd.openxmlformats-officedocument.presentationml.presentation")
