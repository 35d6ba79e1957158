"""Kooperationen: register, 2x2 matrix with the quadrants' strengths and risks, members on the
map, network of shared formats, warnings, "Meine Verwaltung", Bundesvergleich, create / edit /
end (signed in only: a Redaktion edits the Kooperationen under its Federführung; rules in
kreis_data.auth, enforced again by kreis_data.kooperationen; none in presentation mode). Only the
open tab runs (st.tabs with state)."""
import pandas as pd
import streamlit as st

from components import data, layout
from components import kooperationen as kc
from components.anmeldung import bearbeiter_oder_hinweis
from components.praesentation import ist_praesentation
from components.selection import current_quartal
from components.shell import ensure_app_shell, seite_beenden
from components.url_state import url_selectbox
from kreis_data import auth, formatting, queries
from kreis_data import kooperationen as koop
from kreis_data.analyses import kooperationen as analyse
from kreis_data.quartal import Quartal

ensure_app_shell()  # must run first: see components/shell.py

st.title("Kooperationen")
quartal = current_quartal()
if quartal is None:
    st.info("Für diesen Kreis sind noch keine Quartale erfasst.")
    seite_beenden()
q_label = Quartal.parse(quartal).label
kc.meldung_anzeigen()

register = data.cached(koop.register, quartal)
warnungen = data.cached(koop.warnungen, quartal)
verwaltungen = data.verwaltungen()
laufend = int(register["laeuft"].sum()) if not register.empty else 0
st.markdown(
    f"{len(register)} Kooperationsformate im Register, davon **{laufend} laufend im {q_label}**; "
    f"{len(warnungen)} Hinweise. Einordnung nach Verbindlichkeit (eher lose / verbindlich) und "
    f"Dauer (temporär / dauerhaft).")

# Tab labels stay the same whatever the data, so the open tab survives a rerun after a write.
TABS = ["Meine Verwaltung", "Matrix und Detail", "Register", "Netzwerk", "Hinweise",
        "Bundesvergleich", "Anlegen und bearbeiten"]
if st.session_state.pop(kc.ZEIGE_MATRIX_KEY, False):  # after "anlegen": show it in the matrix
    st.session_state["koop_ansicht"] = "Matrix und Detail"
tabs = st.tabs(TABS, key="koop_ansicht", on_change="rerun")

# --- Meine Verwaltung ----------------------------------------------------------------------------
with tabs[0]:
    if tabs[0].open:
        namen = dict(zip(verwaltungen["key"], verwaltungen["name"], strict=True))
        keys = list(verwaltungen.sort_values(["kreisverwaltung", "name"],
                                             ascending=[False, True])["key"])
        key = url_selectbox("Meine Verwaltung", keys, key="verwaltung", format_func=namen.get,
                            help="Auch per Link: ?verwaltung=<Regionalschlüssel>")
        eigene = data.cached(koop.mitgliedschaften, key, quartal)
        st.subheader(f"{namen[key]} ist in diesen Formaten")
        if eigene.empty:
            st.warning(f"{namen[key]} ist im {q_label} in keinem laufenden oder geplanten "
                       f"Kooperationsformat.", icon=":material/link_off:")
        else:
            st.dataframe(pd.DataFrame({
                "Kooperation": eigene["name"], "Format": eigene["format"],
                "Einordnung": eigene["quadrant"], "Status": eigene["status"],
                "Federführung": eigene["federfuehrung"],
                "Ansprechperson": eigene["ansprechperson"]}), hide_index=True, width="stretch")
        st.subheader("Ihre Nachbarn sind zusätzlich in")
        zusaetzlich = data.cached(koop.nachbar_formate, key, quartal)
        nachbarn = data.cached(queries.nachbarn).get(key, [])
        if not nachbarn:
            st.markdown("Die Stadt hat im Arbeitsbereich keine Nachbarn: die angrenzenden Städte "
                        "und Gemeinden gehören zu anderen Kreisen." if data.gebiet().kreisfrei
                        else "Für diese Verwaltung sind keine Nachbarn auf der Gemeindekarte "
                             "erfasst (die Kreisverwaltung hat keine eigene Fläche).")
        elif zusaetzlich.empty:
            st.markdown(f"Keiner der {len(nachbarn)} Nachbarn ist in einem Format, in dem "
                        f"{kc.md(namen[key])} nicht ist.")
        else:
            zeilen = []
            for nachbar, gruppe in zusaetzlich.groupby("nachbar", sort=True):
                formate = "; ".join(
                    f"**{kc.md(r.name)}** ({kc.md(r.format)}, {kc.md(r.status)}"
                    + (f", Ansprechperson {kc.md(r.ansprechperson)}" if r.ansprechperson else "")
                    + ")" for r in gruppe.itertuples())
                zeilen.append(f"- Ihr Nachbar **{kc.md(nachbar)}** ist zusätzlich in: {formate}")
            st.markdown("\n".join(zeilen))
            ohne = sorted(set(namen[n] for n in nachbarn) - set(zusaetzlich["nachbar"]))
            if ohne:
                st.caption("Keine zusätzlichen Formate bei: " + ", ".join(ohne))
        kc.quelle_stand()

# --- Matrix und Detail ---------------------------------------------------------------------------
with tabs[1]:
    if tabs[1].open:
        punkte = kc.filter_leiste(data.cached(koop.matrix, quartal), verwaltungen)
        st.caption(f"{len(punkte)} von {len(register)} Kooperationen. Blasse Symbole laufen im "
                   f"{q_label} nicht (geplant oder beendet). Größe = Zahl der Mitglieder, Farbe "
                   f"und Form = erstes Handlungsfeld. Klick auf ein Symbol zeigt es unten im "
                   f"Detail.")
        ereignis = st.plotly_chart(kc.matrix_figur(punkte, quartal), key=kc.MATRIX_KEY,
                                   on_select="rerun", selection_mode="points",
                                   config={"displayModeBar": False})
        geklickt = kc.ausgewaehlte_id(ereignis, set(register["id"]))
        if geklickt is not None and geklickt != st.session_state.get("koop_letzter_klick"):
            st.session_state[kc.AUSWAHL_KEY] = geklickt
        st.session_state["koop_letzter_klick"] = geklickt
        with st.expander("Matrix als Tabelle"):
            st.dataframe(kc.matrix_tabelle(punkte), hide_index=True, width="stretch")
        wechsel = data.cached(koop.wechsel)
        st.markdown("**Bewegungen zwischen den Quadranten**")
        if wechsel.empty:
            st.markdown("Bisher hat keine Kooperation den Quadranten gewechselt.")
        else:
            st.dataframe(pd.DataFrame({
                "Kooperation": wechsel["name"],
                "ab Quartal": wechsel["ab_quartal"].map(lambda q: Quartal.parse(q).label),
                "von": wechsel["von"], "nach": wechsel["nach"], "Art": wechsel["art"]}),
                hide_index=True, width="stretch")
        kc.quelle_stand()

        st.divider()
        ids = list(register["id"])
        namen_k = dict(zip(register["id"], register["name"], strict=True))
        if ids:
            if st.session_state.get(kc.AUSWAHL_KEY) not in ids:
                st.session_state[kc.AUSWAHL_KEY] = ids[0]
            auswahl = st.selectbox("Kooperation im Detail", ids, format_func=namen_k.get,
                                   key=kc.AUSWAHL_KEY)
            kc.detail(register.set_index("id", drop=False).loc[auswahl], quartal)

# --- Register ------------------------------------------------------------------------------------
with tabs[2]:
    if tabs[2].open:
        gefiltert = kc.filter_leiste(register, verwaltungen)
        st.caption(f"{len(gefiltert)} von {len(register)} Kooperationen; Einordnung wie im "
                   f"{q_label}.")
        tabelle = koop.export_tabelle(gefiltert)
        for spalte in ("Start", "Ende"):
            tabelle[spalte] = tabelle[spalte].map(kc.datum)
        st.dataframe(tabelle, hide_index=True, width="stretch")
        quelle, stand = data.cached(koop.quelle), data.cached(koop.stand)
        layout.quelle_stand(quelle, stand)
        links, rechts, _ = st.columns([1, 1, 3])
        links.download_button("CSV herunterladen", koop.export_csv(gefiltert, quelle, stand),
                              file_name=f"kooperationen_{quartal}.csv", mime="text/csv",
                              icon=":material/download:", key="koop_csv")
        rechts.download_button(
            "Excel herunterladen", koop.export_xlsx(gefiltert, quelle, stand),
            file_name=f"kooperationen_{quartal}.xlsx", icon=":material/download:",
            mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            key="koop_xlsx")

# --- Netzwerk ------------------------------------------------------------------------------------
with tabs[3]:
    if tabs[3].open:
        knoten, alle_kanten = data.cached(koop.netzwerk, quartal)
        hoechstens = int(alle_kanten["gemeinsame"].max()) if not alle_kanten.empty else 1
        mindestens = st.slider("Verbindungen zeigen ab … gemeinsamen Formaten", 1,
                               max(hoechstens, 2), min(3, hoechstens), key="koop_netz_min",
                               help="Voreingestellt: enge Verbindungen ab 3 gemeinsamen Formaten. Bei 1 "
                                    "erscheinen auch Paare, die nur ein großes Format (z. B. "
                                    "einen Zweckverband) teilen.")
        kanten = alle_kanten[alle_kanten["gemeinsame"] >= mindestens]
        st.markdown(kc.netzwerk_text(knoten, alle_kanten, kanten, mindestens, q_label))
        st.plotly_chart(kc.netzwerk_figur(knoten, kanten, quartal), key="koop_netzwerk",
                        config={"displayModeBar": False})
        st.caption("Lage der Punkte: Mitte der Gemeinden jeder Verwaltung"
                   + ("" if data.gebiet().kreisfrei else " (die Kreisverwaltung nahe der Kreismitte)")
                   + ". Linienstärke = Zahl gemeinsamer laufender Formate; "
                   "Punktgröße = Zahl der Formate der Verwaltung; ✕ = in keinem Format.")
        with st.expander("Netzwerk als Tabelle"):
            st.dataframe(kc.netzwerk_tabelle(alle_kanten), hide_index=True, width="stretch")
        kc.quelle_stand()

# --- Hinweise ------------------------------------------------------------------------------------
with tabs[4]:
    if tabs[4].open:
        if warnungen.empty:
            st.success(f"Keine Hinweise für das {q_label}.")
        for art in analyse.WARNUNG_ARTEN:
            teil = warnungen[warnungen["art"] == art]
            if teil.empty:
                continue
            st.markdown(f"**{art} ({len(teil)})**")
            st.markdown("\n".join(f"- {kc.md(g)}" for g in teil["grund"]))
        with st.expander("So sind die Hinweise definiert"):
            st.markdown("\n".join(f"- **{regel}:** {text}" for regel, text in analyse.REGELN))
        kc.quelle_stand()

# --- Bundesvergleich -----------------------------------------------------------------------------
with tabs[5]:
    if tabs[5].open:
        st.markdown("Anteil der Verwaltungen in einem **regelmäßigen interkommunalen "
                    "Arbeitsgremium zur Verwaltungsdigitalisierung**, verglichen mit der "
                    "bundesweiten Befragung. Gemeinde-Werte werden mit Städten und Gemeinden "
                    "verglichen" + ("." if data.gebiet().kreisfrei
                                    else ", die Kreisverwaltung mit Landkreisen."))
        for vergleich in data.cached(koop.arbeitsgremium_vergleich, quartal):
            with st.container(border=True):
                links, rechts = st.columns(2)
                titel = ("Verwaltungen der Gemeinden" if vergleich.ebene == "Gemeinden"
                         else "Kreisverwaltung")
                links.metric(f"{titel} im Kreis ({q_label})", vergleich.kreis_text)
                if vergleich.verwaltungen and vergleich.ebene == "Gemeinden":
                    links.caption("Im Arbeitsgremium: " + ", ".join(vergleich.verwaltungen))
                if vergleich.bund is not None:
                    rechts.metric(f"Bundesvergleich: {vergleich.bund.befragte}",
                                  formatting.prozent(vergleich.bund.anteil_prozent))
                    rechts.caption(vergleich.bund.beschriftung(quartal))
        with st.expander("Was als regelmäßiges Arbeitsgremium zählt"):
            st.markdown(dict(analyse.REGELN)["Regelmäßiges Arbeitsgremium"])
        kc.quelle_stand()

# --- Anlegen und bearbeiten ----------------------------------------------------------------------
with tabs[6]:
    if tabs[6].open:
        if ist_praesentation():
            st.info("Im Präsentationsmodus ist das Bearbeiten ausgeblendet.")
        elif (benutzer := bearbeiter_oder_hinweis()) is None:
            pass  # the login hint is shown
        elif not any(auth.darf_kooperation_bearbeiten(benutzer, k) for k in verwaltungen["key"]):
            st.info("Ihre Rolle erlaubt keine Änderungen an Kooperationen.")
        else:
            aktion = st.segmented_control("Aktion", ["Neu anlegen", "Bearbeiten", "Beenden"],
                                          default="Neu anlegen", key="koop_aktion",
                                          required=True)
            st.caption(f"Gespeichert wird als „{benutzer.name}“; jede Änderung steht im "
                       "Änderungsprotokoll."
                       + ("" if benutzer.ist_admin else " Sie bearbeiten die Kooperationen "
                          "unter Federführung Ihrer Verwaltung."))
            if aktion == "Neu anlegen":
                kc.anlegen(quartal, benutzer)
            elif aktion == "Bearbeiten":
                kc.bearbeiten(register, quartal, benutzer)
            else:
                kc.beenden(register, benutzer)
