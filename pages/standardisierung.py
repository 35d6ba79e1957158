"""Standardisierung: products per Domäne, Vereinheitlichungsgrad, Insellösungen,
Konsolidierungs-Cluster, the users of a product on the map, standard support and gaps, the
national reference, and the forms to keep products and standards current (signed in only: a
Redaktion edits its own Verwaltungen, the Excel import is for the Kreis-Administration; rules in
kreis_data.auth, enforced again by kreis_data.produkte; none of it in presentation mode)."""
import datetime as dt
import tempfile
from io import BytesIO
from pathlib import Path

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from components import data, layout
from components.anmeldung import bearbeiter_oder_hinweis
from components.auswahl_karte import auswahl_karte
from components.legend import legende_html
from components.praesentation import ist_praesentation
from components.shell import ensure_app_shell
from components.text import md
from components.url_state import url_selectbox
from kreis_data import auth, formatting, scales
from kreis_data.analyses import standardisierung as std
from kreis_data.io.tabelle import DateiFehler
from kreis_data.produkte import EingabeFehler, VersionKonflikt, set_produkt, set_standard
from kreis_data.produkte_io import export_produkte, import_produkte, tabelle_csv

ensure_app_shell()  # must run first: see components/shell.py

NEU = "– neues Produkt eingeben –"
MELDUNG = "standardisierung_meldung"
# Cell colours of the standards matrix: the ends of the Stufen scale, "unbekannt" grey.
WERT_KLASSE = {"ja": 4, "nein": 0, "unbekannt": None}


def download(frame: pd.DataFrame, name: str, key: str) -> None:
    st.download_button("Tabelle als CSV herunterladen", data=tabelle_csv(frame),
                       file_name=f"{name}.csv", mime="text/csv", icon=":material/download:",
                       key=key)


def zelle_stil(wert: str) -> str:
    klasse = WERT_KLASSE.get(wert)
    return f"background-color: {scales.farbe(klasse)}; color: {scales.textfarbe(klasse)}"


def balken(y: list[str], x: list[float], texte: list[str], hover: list[str], titel: str,
           x_titel: str, y_titel: str) -> go.Figure:
    figur = go.Figure(go.Bar(
        x=x, y=y, orientation="h", text=texte, textposition="outside", cliponaxis=False,
        marker_color=scales.STUFEN_FARBEN[3], customdata=hover,
        hovertemplate="%{customdata}<extra></extra>"))
    figur.update_layout(
        title=titel, separators=",.", height=max(220, 60 + 38 * len(y)),
        margin={"l": 10, "r": 40, "t": 50, "b": 40}, showlegend=False,
        xaxis={"title": x_titel, "rangemode": "tozero"},
        yaxis={"title": y_titel, "autorange": "reversed"})
    return figur


st.title("Standardisierung")
st.markdown(
    "Welche Software nutzen die Verwaltungen, wo gibt es **Insellösungen**, wo nutzen mehrere "
    "Verwaltungen dasselbe Produkt (**Konsolidierungs-Cluster** – Kandidaten für gemeinsame "
    "Beschaffung, gemeinsamen Betrieb oder gemeinsame Schulungen) und welche Standards fehlen? "
    + ("" if data.gebiet().kreisfrei else
       "Gezählt werden die Verwaltungen der Gemeinden; die Kreisverwaltung wird getrennt "
       "ausgewiesen, weil sie für den ganzen Kreis arbeitet."))

quelle, stand = data.cached(std.quelle_und_stand)
domaene = url_selectbox("Domäne", list(scales.DOMAENEN), key="domaene",
                        default=std.HAUPT_DOMAENEN[0],
                        help="Auch per Link: ?domaene=E-Akte/DMS")
auswertung = data.cached(std.domaenen_auswertung, domaene)
produkte = auswertung.produkte

# --- Key figures --------------------------------------------------------------------------------
st.header(f"Produkte: {domaene}")
grad = auswertung.vereinheitlichungsgrad
spalten = st.columns(4)
spalten[0].metric("Produkte im Kreis", formatting.zahl(auswertung.anzahl_produkte),
                  help="Verschiedene Produkte bei den Verwaltungen der Gemeinden")
spalten[1].metric("Vereinheitlichungsgrad", "–" if grad is None else formatting.zahl(grad, 2),
                  help="Normierter Herfindahl-Index über die Anteile der Verwaltungen je "
                       "Produkt: 1 = alle nutzen dasselbe Produkt, 0 = gleichmäßig auf die "
                       "Produkte verteilt (z. B. jede Verwaltung ein anderes).")
spalten[2].metric("Insellösungen", formatting.zahl(len(auswertung.insel_loesungen)),
                  help="Produkte, die nur eine Verwaltung nutzt")
spalten[3].metric("Konsolidierungs-Cluster", formatting.zahl(len(auswertung.cluster)),
                  help="Produkte, die mindestens zwei Verwaltungen nutzen")
layout.quelle_stand(quelle, stand)
hinweise = []
if auswertung.kreis_produkt:
    hinweise.append(f"Die Kreisverwaltung nutzt **{auswertung.kreis_produkt}** "
                    "(nicht mitgezählt).")
elif data.gebiet().hat_kreisverwaltung:
    hinweise.append("Für die Kreisverwaltung ist in dieser Domäne kein Produkt erfasst.")
if auswertung.ohne_angabe:
    hinweise.append(f"Ohne Angabe ({len(auswertung.ohne_angabe)}): "
                    f"{', '.join(auswertung.ohne_angabe)}.")
st.markdown(" ".join(hinweise))

if produkte.empty:
    st.info(f"In der Domäne {domaene} sind noch keine Produkte erfasst.")
else:
    tabelle = pd.DataFrame({
        "Produkt": produkte["produkt"],
        "Hersteller": produkte["hersteller"].fillna("–"),
        "Verwaltungen": produkte["verwaltungen"],
        "Einwohner": produkte["einwohner"].map(formatting.zahl),
        "Anteil der Verwaltungen": produkte["anteil"].map(formatting.prozent),
        "Kreisverwaltung": produkte["kreisverwaltung"].map({True: "nutzt es", False: "–"}),
        "Genutzt von": produkte["namen"],
    })
    if not data.gebiet().hat_kreisverwaltung:
        tabelle = tabelle.drop(columns="Kreisverwaltung")
    st.dataframe(tabelle, hide_index=True, width="stretch",
                 column_config={"Genutzt von": st.column_config.TextColumn(width="large")})
    layout.quelle_stand(quelle, stand)
    download(tabelle, f"produkte_{domaene}", "dl_produkte")
    genutzt = produkte[produkte["verwaltungen"] > 0]
    st.plotly_chart(balken(
        y=[p + (" (Insellösung)" if i else "") for p, i in
           zip(genutzt["produkt"], genutzt["insel"], strict=True)],
        x=list(genutzt["verwaltungen"]), texte=[str(v) for v in genutzt["verwaltungen"]],
        hover=[f"{p}: {v} Verwaltungen, {formatting.zahl(e)} Einwohner" for p, v, e in
               zip(genutzt["produkt"], genutzt["verwaltungen"], genutzt["einwohner"],
                   strict=True)],
        titel=f"Verwaltungen je Produkt – {domaene}", x_titel="Anzahl Verwaltungen",
        y_titel="Produkt"), config={"displayModeBar": False})

# --- Insellösungen and Cluster -----------------------------------------------------------------
st.subheader("Insellösungen")
inseln = auswertung.insel_loesungen
if inseln.empty:
    st.markdown("Keine Insellösung: jedes Produkt wird von mindestens zwei Verwaltungen genutzt.")
else:
    st.markdown("\n".join(
        f"- **{md(row.produkt)}** – nur {md(row.verwaltung)} "
        f"({formatting.zahl(row.einwohner)} Einwohner)"
        + (" · die Kreisverwaltung nutzt es ebenfalls" if row.kreisverwaltung else "")
        for row in inseln.itertuples()))

st.subheader("Konsolidierungs-Cluster")
cluster = auswertung.cluster
if cluster.empty:
    st.markdown("Kein Produkt wird von mehreren Verwaltungen genutzt.")
for row in cluster.itertuples():
    with st.container(border=True):
        st.markdown(f"**{md(row.produkt)}** – {row.verwaltungen} Verwaltungen, "
                    f"{formatting.zahl(row.einwohner)} Einwohner  \n"
                    f"Vorschlag: **{row.vorschlag}**. {row.begruendung}")
        st.caption(f"Verwaltungen: {md(row.namen)}")
        if row.ohne_gemeinsames_format:
            st.warning("Kein gemeinsames Kooperationsformat – diese Verwaltungen arbeiten noch "
                       "nirgends zusammen: starker Hinweis auf ungenutztes Potenzial.",
                       icon=":material/priority_high:")
        else:
            text = f"Bereits gemeinsam in: {row.kooperationen}."
            if row.ohne_verbindung:
                text += f" Noch ohne gemeinsames Format mit den anderen: {row.ohne_verbindung}."
            st.markdown(text)
if not cluster.empty:
    download(cluster.drop(columns=["verwaltung_keys", "domaene"]).rename(columns={
        "produkt": "Produkt", "verwaltungen": "Verwaltungen", "einwohner": "Einwohner",
        "namen": "Verwaltungen (Namen)", "kreisverwaltung": "Kreisverwaltung nutzt es",
        "vorschlag": "Vorschlag", "begruendung": "Begründung",
        "kooperationen": "Gemeinsame Kooperationen",
        "ohne_gemeinsames_format": "ohne gemeinsames Format",
        "ohne_verbindung": "ohne Verbindung"}), f"cluster_{domaene}", "dl_cluster")

# --- Map of a product's users --------------------------------------------------------------------
st.subheader("Wer nutzt welches Produkt?")
if not produkte.empty:
    produkt = st.selectbox("Produkt", list(produkte["produkt"]), key=f"karte_produkt_{domaene}")
    zeile = produkte[produkte["produkt"] == produkt].iloc[0]
    nutzer = list(zeile["verwaltung_keys"])
    if zeile["kreisverwaltung"]:
        nutzer += list(data.verwaltungen().query("kreisverwaltung")["key"])
    karte_tabelle = auswahl_karte(nutzer, key="standardisierung_karte",
                                  label_ausgewaehlt=f"nutzt {produkt}",
                                  label_andere="anderes Produkt oder keine Angabe")
    download(karte_tabelle, f"nutzer_{produkt}", "dl_karte")
    layout.quelle_stand(quelle, stand)
    st.caption("  \n".join(a for a in layout.attributions() if "Verwaltungsgrenzen" in a))

# --- Standards -----------------------------------------------------------------------------------
st.header("Standards")
standards = data.cached(std.standard_auswertung)
matrix = standards.matrix
st.markdown("Unterstützung der Austauschstandards je Verwaltung. Lücken sind nach den "
            "betroffenen Einwohnern geordnet: dort nützt ein Standard den meisten Menschen.")
luecken = standards.luecken
if luecken.empty:
    st.markdown("Keine Verwaltung hat einen Standard ausdrücklich nicht unterstützt.")
else:
    st.markdown("\n".join(f"{i}. {text}" for i, text in enumerate(luecken["text"], start=1)))
if standards.kreis_luecken:
    st.markdown(f"Die Kreisverwaltung unterstützt nicht: {', '.join(standards.kreis_luecken)}.")
layout.quelle_stand(quelle, stand)

anzeige = matrix.reset_index()[["verwaltung", "einwohner", *scales.STANDARDS]].rename(
    columns={"verwaltung": "Verwaltung", "einwohner": "Einwohner"})
anzeige["Einwohner"] = anzeige["Einwohner"].map(formatting.zahl)
st.dataframe(anzeige.style.map(zelle_stil, subset=list(scales.STANDARDS)),
             hide_index=True, width="stretch", height=35 * (len(anzeige) + 1) + 3,
             column_config={"Verwaltung": st.column_config.TextColumn(width="medium")})
st.markdown(legende_html([(w, WERT_KLASSE[w]) for w in scales.STANDARD_WERTE]),
            unsafe_allow_html=True)
st.caption("Fehlt eine Angabe, gilt „unbekannt“."
           + (" Die Kreisverwaltung steht in der letzten Zeile und zählt bei Anteilen und "
              "Lücken nicht mit." if data.gebiet().hat_kreisverwaltung else ""))
download(anzeige, "standards_matrix", "dl_matrix")
anteile = standards.anteile
links, rechts = st.columns(2, gap="large")
with links:
    st.plotly_chart(balken(
        y=list(anteile["standard"]), x=[round(a, 1) for a in anteile["anteil_ja"]],
        texte=[formatting.prozent(a) for a in anteile["anteil_ja"]],
        hover=[f"{r.standard}: {r.ja} von {r.gesamt} Verwaltungen unterstützen ihn, "
               f"{r.nein} nicht, {r.unbekannt} unbekannt" for r in anteile.itertuples()],
        titel="Anteil der Verwaltungen mit Unterstützung", x_titel="Anteil der Verwaltungen (%)",
        y_titel="Standard"), config={"displayModeBar": False})
with rechts:
    anteile_tabelle = pd.DataFrame({
        "Standard": anteile["standard"], "ja": anteile["ja"], "nein": anteile["nein"],
        "unbekannt": anteile["unbekannt"],
        "Anteil ja": anteile["anteil_ja"].map(formatting.prozent),
        "Einwohner mit Unterstützung": anteile["anteil_einwohner_ja"].map(formatting.prozent),
        "Kreisverwaltung": anteile["kreisverwaltung"].fillna("–")})
    if not data.gebiet().hat_kreisverwaltung:
        anteile_tabelle = anteile_tabelle.drop(columns="Kreisverwaltung")
    st.dataframe(anteile_tabelle, hide_index=True, width="stretch")
    layout.quelle_stand(quelle, stand)
    download(anteile_tabelle, "standards_anteile", "dl_anteile")
if not luecken.empty:
    luecken_tabelle = luecken.drop(columns=["text"]).rename(columns={
        "standard": "Standard", "verwaltungen": "Verwaltungen ohne Unterstützung",
        "einwohner": "Einwohner dieser Verwaltungen", "namen": "Verwaltungen (Namen)",
        "unbekannt": "Verwaltungen mit unbekannter Unterstützung",
        "einwohner_unbekannt": "Einwohner (unbekannt)"})
    with st.expander("Lücken als Tabelle"):
        st.dataframe(luecken_tabelle, hide_index=True, width="stretch")
        download(luecken_tabelle, "standards_luecken", "dl_luecken")

# --- National reference --------------------------------------------------------------------------
st.header("Bundesvergleich: Standardisierungsbedarf")
referenz = standards.referenz
st.markdown("Anteil der Landkreise, die in einem Bereich Bedarf an Standardisierung sehen, "
            "neben den vergleichbaren Kennzahlen dieses Kreises.")
referenz_tabelle = pd.DataFrame({
    "Bereich": referenz["bereich"],
    "Landkreise mit Standardisierungsbedarf (bundesweit)": referenz["bundesweit"].map(
        formatting.prozent),
    "Vergleichbare Kennzahlen im Kreis": referenz["kreis"],
    "Erhebung": referenz["erhebung"],
    "Hinweis": referenz["hinweis"]})
st.table(referenz_tabelle.set_index("Bereich"))
historisch = any(r.historisch(dt.date.today()) for r in std.referenz_standardisierungsbedarf())
st.caption(f"Quelle: {std.REFERENZ_LABEL}"
           + (" · historischer Wert (älter als drei Jahre)" if historisch else "")
           + f" · Kreis: {quelle}, Stand {stand}")
download(referenz_tabelle, "bundesvergleich_standardisierung", "dl_referenz")

# --- Edit (signed in only; kreis_data.produkte checks the rights again) -------------------------
def daten_pflegen(benutzer: auth.Benutzer) -> None:
    verwaltungen = data.verwaltungen()
    namen = dict(zip(verwaltungen["key"], verwaltungen["name"], strict=True))
    eigene = auth.bearbeitbare_verwaltungen(benutzer, namen)
    if not eigene:
        st.info("Ihre Rolle erlaubt keine Änderungen an Produkten und Standards.")
        return
    st.caption(f"Änderungen werden mit dem Namen „{benutzer.name}“ im Änderungsprotokoll "
               "gespeichert.")
    einsatz = data.cached(std.load_einsatz)
    katalog = data.cached(std.load_katalog)
    tab_produkt, tab_standard, tab_excel = st.tabs(["Produkt", "Standard", "Excel"])

    with tab_produkt:
        vk = st.selectbox("Verwaltung", eigene, format_func=namen.get, key="edit_verwaltung")
        aktuell, version = std.aktueller_eintrag(einsatz, vk, domaene)
        # The version the user saw: remembered from the last run, so a write between two runs by
        # someone else is noticed.
        gesehen = st.session_state.get("edit_produkt_version")
        erwartet = gesehen[2] if gesehen and gesehen[:2] == (vk, domaene) else version
        st.markdown(f"Domäne **{domaene}** (Auswahl oben) bei {namen[vk]}: "
                    f"**{md(aktuell or 'keine Angabe')}**")
        optionen = list(katalog.loc[katalog["domaene"] == domaene, "produkt"]) + [NEU]
        with st.form("form_produkt"):
            wahl = st.selectbox("Produkt", optionen,
                                index=optionen.index(aktuell) if aktuell in optionen else 0,
                                key=f"edit_produkt_{vk}_{domaene}")  # fresh per selection
            neu = st.text_input("Neuer Produktname (nur bei „neues Produkt eingeben“)",
                                key="edit_produkt_neu")
            gespeichert = st.form_submit_button("Produkt speichern", type="primary")
        if gespeichert:
            try:
                ergebnis = set_produkt(data.engine(), vk, domaene, neu if wahl == NEU else wahl,
                                       benutzer, expected_version=erwartet)
            except VersionKonflikt as exc:
                st.session_state.pop("edit_produkt_version", None)
                st.error(str(exc), icon=":material/sync_problem:")
            except (EingabeFehler, PermissionError) as exc:
                st.error(str(exc), icon=":material/error:")
            else:
                text = (f"Gespeichert: {namen[vk]} nutzt in {domaene} jetzt {ergebnis.neu}."
                        if ergebnis.aktion != "unverändert"
                        else f"Keine Änderung: {namen[vk]} nutzt in {domaene} bereits {ergebnis.neu}.")
                if ergebnis.neues_katalog_produkt:
                    text += f" „{ergebnis.neu}“ wurde in den Produktkatalog aufgenommen."
                st.session_state[MELDUNG] = text
                st.session_state["edit_produkt_version"] = (vk, domaene, ergebnis.version)
                st.rerun()
        else:  # what this run shows is what the user sees when submitting next time
            st.session_state["edit_produkt_version"] = (vk, domaene, version)

    with tab_standard:
        sk = st.selectbox("Verwaltung", eigene, format_func=namen.get, key="edit_std_verwaltung")
        standard = st.selectbox("Standard", list(scales.STANDARDS), key="edit_standard")
        wert_aktuell, s_version = std.aktueller_standard(data.cached(std.load_standards), sk, standard)
        gesehen = st.session_state.get("edit_standard_version")
        s_erwartet = gesehen[2] if gesehen and gesehen[:2] == (sk, standard) else s_version
        st.markdown(f"{standard} bei {namen[sk]}: **{wert_aktuell or 'unbekannt (keine Angabe)'}**")
        with st.form("form_standard"):
            wert = st.radio("Unterstützung", list(scales.STANDARD_WERTE), horizontal=True,
                            index=scales.STANDARD_WERTE.index(wert_aktuell or "unbekannt"),
                            key=f"edit_wert_{sk}_{standard}")  # fresh per selection
            gespeichert = st.form_submit_button("Angabe speichern", type="primary")
        if gespeichert:
            try:
                ergebnis = set_standard(data.engine(), sk, standard, wert, benutzer,
                                        expected_version=s_erwartet)
            except VersionKonflikt as exc:
                st.session_state.pop("edit_standard_version", None)
                st.error(str(exc), icon=":material/sync_problem:")
            except (EingabeFehler, PermissionError) as exc:
                st.error(str(exc), icon=":material/error:")
            else:
                st.session_state[MELDUNG] = (
                    f"Gespeichert: {namen[sk]} – {standard}: {ergebnis.neu}."
                    if ergebnis.aktion != "unverändert"
                    else f"Keine Änderung: {namen[sk]} – {standard} ist bereits „{ergebnis.neu}“.")
                st.session_state["edit_standard_version"] = (sk, standard, ergebnis.version)
                st.rerun()
        else:
            st.session_state["edit_standard_version"] = (sk, standard, s_version)

    with tab_excel:
        st.markdown("Die Excel-Datei enthält je Verwaltung alle Domänen (Blatt „Produkte“) und alle "
                    "Standards (Blatt „Standards“) und ist zugleich die Importvorlage. Beim Import "
                    "wird jede Zeile geprüft; bei einem Fehler wird **nichts** gespeichert.")

        def _export() -> bytes:
            puffer = BytesIO()
            export_produkte(data.engine(), puffer, demo=data.ist_demo())
            return puffer.getvalue()

        st.download_button("Produkte und Standards als Excel herunterladen", data=_export,
                           file_name="produkte_standards.xlsx", icon=":material/download:",
                           mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        if not auth.darf_kreisweit(benutzer):
            st.caption("Den Excel-Import führt die Kreis-Administration aus.")
            datei = None
        else:
            datei = st.file_uploader("Ausgefüllte Datei hochladen (.xlsx oder .csv)",
                                     type=["xlsx", "csv"], key="import_datei")
        if datei is not None and st.button("Import starten", key="import_start"):
            with tempfile.TemporaryDirectory() as ordner:
                pfad = Path(ordner) / Path(datei.name).name
                pfad.write_bytes(datei.getvalue())
                try:
                    ergebnis = import_produkte(data.engine(), pfad, benutzer=benutzer.name)
                except DateiFehler as exc:
                    st.error(str(exc))
                else:
                    if ergebnis.ok:
                        st.session_state[MELDUNG] = "  \n".join([ergebnis.zusammenfassung(),
                                                                 *ergebnis.hinweise])
                        st.rerun()
                    for hinweis in ergebnis.hinweise:
                        st.info(hinweis)
                    st.error(ergebnis.zusammenfassung())
                    st.markdown("\n".join(f"- {md(fehler)}" for fehler in ergebnis.errors))

if not ist_praesentation():
    st.header("Daten pflegen")
    if meldung := st.session_state.pop(MELDUNG, None):
        st.success(meldung, icon=":material/check_circle:")
    if (bearbeiter := bearbeiter_oder_hinweis()) is not None:
        daten_pflegen(bearbeiter)
