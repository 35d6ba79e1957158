"""EfA-Nachnutzung: Nachnutzungs-Chancen, Anbindungsmatrix, EfA-Quote, Hindernisse, Katalog and
the edit forms (one Anbindung, one catalog entry, Excel exchange).

Editing needs a login (components.anmeldung): a Redaktion edits the Anbindungen of its own
Verwaltungen, only the Kreis-Administration the catalog and the Excel import (rules in
kreis_data.auth, enforced again by kreis_data.efa). Presentation mode shows no edit controls.
Every write happens in a button callback (before the script reruns), so the page always shows
the data as saved; the cached reads refresh by themselves (data version).
"""
import tempfile
from pathlib import Path

import plotly.graph_objects as go
import streamlit as st

from components import data, layout
from components.anmeldung import aktueller_benutzer, bearbeiter_oder_hinweis
from components.efa_chancen import chancen_karten
from components.praesentation import ist_praesentation
from components.selection import current_quartal
from components.shell import ensure_app_shell, seite_beenden
from components.text import md
from components.url_state import url_selectbox
from kreis_data import anbindungen_io, auth, formatting, scales
from kreis_data import efa as efa_pflege
from kreis_data.analyses import efa
from kreis_data.quartal import Quartal

ensure_app_shell()  # must run first: see components/shell.py

GANZER_KREIS = "kreis"
ALLE_THEMENFELDER = "alle Themenfelder"
KEIN_HINDERNIS = "kein Hindernis"
KEINE_ABWEICHUNG = "keine Abweichung"
NEUE_LEISTUNG = 0
TOP = 10


def zellstil(status: object) -> str:
    """Cell style of the Anbindungsmatrix: colours from scales, text colour with contrast."""
    farbe = scales.ANBINDUNG_FARBEN.get(status)
    if farbe is None:
        return ""
    if status == efa.NICHT_ZUSTAENDIG:  # distinct: white, grey italic text
        return "background-color: #ffffff; color: #595959; font-style: italic"
    text = (scales.STUFEN_TEXTFARBEN[scales.STUFEN_FARBEN.index(farbe)]
            if farbe in scales.STUFEN_FARBEN else "#000000")
    return f"background-color: {farbe}; color: {text}"


def status_legende() -> None:
    items = []
    for status in scales.ANBINDUNG_STATUS:
        rahmen = "1px dashed #595959" if status == efa.NICHT_ZUSTAENDIG else "1px solid #555"
        items.append(
            f'<li style="display:flex;align-items:center;gap:.4em;margin:.1em .8em .1em 0">'
            f'<span aria-hidden="true" style="display:inline-block;width:1.6em;height:1.1em;'
            f'border:{rahmen};background:{scales.ANBINDUNG_FARBEN[status]}"></span>{status}</li>')
    st.markdown(f'<ul style="list-style:none;padding:0;margin:0;display:flex;flex-wrap:wrap">'
                f'{"".join(items)}</ul>', unsafe_allow_html=True)


def meldung(bereich: str) -> None:
    art, text = st.session_state.pop(f"efa_meldung_{bereich}", (None, None))
    if art == "success":
        st.success(text, icon=":material/check_circle:")
    elif art == "error":
        st.error(text, icon=":material/error:")


# --- Writes (callbacks) -----------------------------------------------------------------------
def speichere_anbindung(verwaltung_key: str, leistung_id: int, quartal: str, version: int,
                        suffix: str, titel: str) -> None:
    status = st.session_state[f"efa_status_{suffix}"]
    hindernis = st.session_state[f"efa_hindernis_{suffix}"]
    try:
        aenderung = efa_pflege.set_anbindung(
            data.engine(), verwaltung_key, leistung_id, quartal, status,
            None if hindernis == KEIN_HINDERNIS else hindernis, aktueller_benutzer(),
            expected_version=version)
    except (ValueError, PermissionError) as exc:
        st.session_state["efa_meldung_anbindung"] = ("error", f"Nicht gespeichert: {exc}")
        return
    if aenderung is None:
        text = f"Keine Änderung: {titel} war bereits so gespeichert."
    else:
        text = f"Gespeichert: {titel} – Status „{status}“"
        text += f", Hindernis „{hindernis}“." if hindernis != KEIN_HINDERNIS else "."
    st.session_state["efa_meldung_anbindung"] = ("success", text)


def speichere_leistung(leistung_id: int, version: int | None, suffix: str) -> None:
    def wert(feld: str) -> object:
        return st.session_state.get(f"efa_l_{feld}_{suffix}")

    reifegrad = wert("reifegrad")
    eingabe = efa_pflege.LeistungEingabe(
        name=wert("name"), themenfeld=wert("themenfeld"), federfuehrung=wert("federfuehrung"),
        leika=wert("leika"), efa_dienst=wert("efa_dienst"),
        reifegrad=None if reifegrad == scales.KEINE_ANGABE else reifegrad,
        reifegrad_modell=wert("modell"), quelle_url=wert("quelle_url"),
        vollzug_land=None if wert("vollzug_land") == scales.KEINE_ANGABE else wert("vollzug_land"),
        vollzug_kreis=None if wert("vollzug_kreis") == KEINE_ABWEICHUNG else wert("vollzug_kreis"))
    try:
        neue_id = efa_pflege.save_leistung(
            data.engine(), eingabe, benutzer=aktueller_benutzer(),
            leistung_id=None if leistung_id == NEUE_LEISTUNG else leistung_id,
            expected_version=version)
    except (ValueError, PermissionError) as exc:
        st.session_state["efa_meldung_leistung"] = ("error", f"Nicht gespeichert: {exc}")
        return
    st.session_state["efa_leistung_auswahl"] = neue_id
    verb = "angelegt" if leistung_id == NEUE_LEISTUNG else "gespeichert"
    st.session_state["efa_meldung_leistung"] = (
        "success", f"Leistung „{eingabe.name.strip()}“ {verb}.")


def importiere(quartal: str) -> None:
    benutzer = aktueller_benutzer()
    try:
        auth.pruefe_kreisweit(benutzer, "Anbindungen per Excel-Import")
    except PermissionError as exc:
        st.session_state["efa_meldung_import"] = ("error", f"Nicht importiert: {exc}")
        return
    datei = st.session_state.get("efa_upload")
    if datei is None:
        st.session_state["efa_meldung_import"] = ("error", "Bitte zuerst eine Datei auswählen.")
        return
    with tempfile.TemporaryDirectory() as ordner:
        pfad = Path(ordner) / Path(datei.name).name
        pfad.write_bytes(datei.getvalue())
        try:
            ergebnis = anbindungen_io.import_anbindungen(data.engine(), pfad,
                                                         benutzer=benutzer.name, quartal=quartal)
        except ValueError as exc:  # DateiFehler: unreadable file
            st.session_state["efa_meldung_import"] = ("error", str(exc))
            return
    if ergebnis.fehler:
        text = ergebnis.zusammenfassung() + "\n\n" + "\n".join(
            f"- {md(f)}" for f in ergebnis.errors[:50])
        if len(ergebnis.fehler) > 50:
            text += f"\n- … und {len(ergebnis.fehler) - 50} weitere"
        st.session_state["efa_meldung_import"] = ("error", text)
    else:
        st.session_state["efa_meldung_import"] = ("success", ergebnis.zusammenfassung())


# --- Page ---------------------------------------------------------------------------------------
quartal = current_quartal()
kreis = data.kreis()
st.title("EfA-Nachnutzung")
if quartal is None or kreis is None:
    st.info("Für diesen Kreis sind noch keine Daten erfasst.")
    seite_beenden()

q = Quartal.parse(quartal)
demo = " (Demo-Daten, fiktiv)" if data.ist_demo() else ""
QUELLE = f"Anbindungsmeldungen der Verwaltungen an den Kreis{demo}"
STAND = f"{formatting.datum(q.ende)} ({q.label})"
verwaltungen = data.verwaltungen().set_index("key", drop=False)
namen = verwaltungen["name"].to_dict()
keys = sorted(verwaltungen.index, key=lambda k: (bool(verwaltungen.at[k, "kreisverwaltung"]),
                                                 namen[k].lower()))
katalog = data.cached(efa.leistungen)

st.markdown(
    f"Welche „Einer für Alle“-Onlinedienste (EfA) laufen im **{q.label}** schon bei wem – und "
    "wer könnte sie von einem Nachbarn nachnutzen? Gezählt wird nur, wofür eine Verwaltung "
    f"zuständig ist. {data.gebiet().zustaendigkeit_satz}")
if quartal not in data.cached(efa.anbindung_quartale):
    st.info(f"Für das {q.label} sind noch keine Anbindungen erfasst; alle zuständigen "
            "Verwaltungen gelten als „nicht angebunden“.")

tab_chancen, tab_matrix, tab_quote, tab_hindernisse, tab_katalog, tab_pflege = st.tabs(
    ["Nachnutzungs-Chancen", "Anbindungsmatrix", "EfA-Quote", "Hindernisse", "Katalog",
     "Bearbeiten"])

with tab_chancen:
    auswahl = url_selectbox(
        "Verwaltung", [GANZER_KREIS, *keys], key="verwaltung", default=GANZER_KREIS,
        format_func=lambda k: "ganzer Kreis" if k == GANZER_KREIS else namen[k],
        help="Auch per Link: ?verwaltung=<Regionalschlüssel>")
    eine = None if auswahl == GANZER_KREIS else auswahl
    chancen = data.cached(efa.chancen, quartal, eine)
    if chancen.empty:
        if eine is not None and verwaltungen.at[eine, "kreisverwaltung"]:
            st.info("Die Kreisverwaltung ist im Kreis die einzige Zuständige für Leistungen der "
                    "Kreisebene – Nachnutzer dafür gibt es nur in anderen Kreisen, die hier nicht "
                    "erfasst sind.")
        else:
            st.info(f"Im {q.label} keine Nachnutzungs-Chancen: Was bei anderen Verwaltungen live "
                    "ist, ist hier schon live oder nicht in der Zuständigkeit.")
    else:
        wer = "im ganzen Kreis" if eine is None else f"für {md(namen[eine])}"
        st.markdown(f"**{len(chancen)} Nachnutzungs-Chancen {wer}** – die besten {min(TOP, len(chancen))}, "
                    "geordnet nach Score (Berechnung siehe unten). Der erste Schritt ist ein "
                    "Anruf bei der genannten Verwaltung.")
        chancen_karten(chancen, TOP, mit_verwaltung=eine is None)
        spalten = ["verwaltung", "leistung", "themenfeld", "score", "begruendung", "adopter",
                   "kontakt", "status", "hindernis", "punkte_nachbarn", "punkte_nachnutzer",
                   "punkte_einwohner", "punkte_portal", "nachnutzer_namen"]
        tabelle = chancen[spalten].rename(columns=efa.CHANCEN_TITEL)
        st.dataframe(tabelle, hide_index=True, width="stretch")
        st.download_button(
            "Chancen als CSV herunterladen", anbindungen_io.tabelle_csv(
                chancen[["verwaltung_key", *spalten]].rename(columns=efa.CHANCEN_TITEL)),
            file_name=f"efa-chancen-{quartal}.csv", mime="text/csv", icon=":material/download:")
    layout.quelle_stand(f"{QUELLE}; Nachbarschaft aus amtlichen Gemeindegrenzen (BKG VG250); "
                        "Ansprechpersonen und Portale: Angaben der Verwaltungen", STAND)
    with st.expander("Wie der Score berechnet wird"):
        st.markdown(efa.methodik_text(arten_text=data.gebiet().arten_text,
                                      kreisfrei=data.gebiet().kreisfrei))

with tab_matrix:
    themen = [t for t in scales.OZG_THEMENFELDER if t in set(katalog["themenfeld"])]
    themenfeld = st.selectbox("Themenfeld", [ALLE_THEMENFELDER, *themen], key="efa_themenfeld")
    matrix = data.cached(efa.anbindungsmatrix, quartal,
                         None if themenfeld == ALLE_THEMENFELDER else themenfeld)
    kreis_quote = data.cached(efa.efa_quote_kreis, quartal)
    st.markdown(f"Im {q.label} sind im Kreis {kreis_quote.text}. Zeilen: Verwaltungen, "
                "Spalten: Leistungen; jede Zelle nennt den Status in Worten.")
    status_legende()
    leistungs_spalten = list(matrix.columns[2:])
    st.dataframe(matrix.style.map(zellstil, subset=leistungs_spalten), hide_index=True,
                 width="stretch", height=35 * (len(matrix) + 1) + 3,
                 column_config={"Schlüssel": None,
                                "Verwaltung": st.column_config.TextColumn(pinned=True),
                                **{name: st.column_config.TextColumn(width=135, help=name)
                                   for name in leistungs_spalten}})
    ohne = data.cached(efa.leistungen_ohne_vollzug)
    if ohne:
        st.warning("Ohne festgelegten Vollzug (zählen für niemanden, bitte im Katalog "
                   f"ergänzen): {', '.join(ohne)}")
    st.download_button("Matrix als CSV herunterladen", anbindungen_io.tabelle_csv(matrix),
                       file_name=f"efa-anbindungsmatrix-{quartal}.csv", mime="text/csv",
                       icon=":material/download:")
    layout.quelle_stand(f"{QUELLE}; Vollzug: Landesrecht {kreis['land']} und Festlegungen des "
                        "Kreises (Katalog)", STAND)

with tab_quote:
    delta = (None if kreis_quote.delta_pp is None
             else f"{formatting.delta(kreis_quote.delta_pp, 'Prozentpunkte', 1)} zum Vorquartal")
    st.metric("EfA-Quote des Kreises", formatting.prozent(kreis_quote.quote), delta=delta,
              delta_color="normal" if delta else "off")
    st.markdown(f"{kreis_quote.text}; EfA-Quote = live ÷ zuständige Leistungen, "
                f"{data.gebiet().quote_basis}.")
    quoten = data.cached(efa.efa_quote, quartal)
    st.dataframe(efa.quote_tabelle(quoten), hide_index=True, width="stretch")
    layout.quelle_stand(QUELLE, STAND)
    golives = data.cached(efa.go_lives)
    if not golives.empty:
        figur = go.Figure(go.Bar(
            x=golives["quartal"], y=golives["go_lives"], text=golives["go_lives"],
            textposition="outside", marker_color=scales.ANBINDUNG_FARBEN[efa.LIVE],
            hovertemplate="%{x}: %{y} Go-lives<extra></extra>"))
        figur.update_layout(
            title="Go-lives je Quartal: neu live geschaltete Anbindungen",
            xaxis_title="Quartal", yaxis_title="Go-lives (Anzahl)", height=360,
            margin={"t": 60, "b": 40}, separators=",.")
        st.plotly_chart(figur, width="stretch")
        gesamt = int(golives["go_lives"].sum())
        st.markdown(f"Von {golives['quartal'].iloc[0]} bis {golives['quartal'].iloc[-1]} wurden "
                    f"{gesamt} Anbindungen live geschaltet; live sind zuletzt "
                    f"{int(golives['live'].iloc[-1])} von {int(golives['zustaendig'].iloc[-1])}.")
        layout.quelle_stand(QUELLE, STAND)

with tab_hindernisse:
    hindernisse = data.cached(efa.hindernisse, quartal)
    if hindernisse.empty:
        st.info(f"Im {q.label} ist bei keiner offenen Anbindung ein Hindernis genannt.")
    else:
        st.markdown("Genannte Hindernisse bei zuständigen, noch nicht live geschalteten "
                    f"Anbindungen im {q.label}:")
        st.markdown("\n".join(f"- **{md(row.text)}** ({row.anbindungen} "
                              f"{'Anbindung' if row.anbindungen == 1 else 'Anbindungen'})"
                              for row in hindernisse.itertuples(index=False)))
        st.dataframe(hindernisse.rename(columns={
            "hindernis": "Hindernis", "verwaltungen": "Verwaltungen", "anbindungen": "Anbindungen",
            "verwaltung_namen": "betroffene Verwaltungen", "leistungen": "Leistungen"})
            .drop(columns="text"), hide_index=True, width="stretch")
    layout.quelle_stand(QUELLE, STAND)

with tab_katalog:
    st.markdown(f"{len(katalog)} EfA-Leistungen. Den Vollzug (Gemeinde oder Kreis) bestimmt das "
                f"Landesrecht ({kreis['land']}); der Kreis kann abweichen.")
    st.dataframe(
        katalog.rename(columns={
            "leistung": "Leistung", "themenfeld": "Themenfeld", "federfuehrung": "Federführung",
            "leika": "LeiKa-Schlüssel", "reifegrad_text": "Reifegrad (Modell)",
            "vollzug_text": "Vollzug", "hinweis": "Hinweis zum Vollzug", "quelle_url": "Quelle"})
        [["Leistung", "Themenfeld", "Federführung", "LeiKa-Schlüssel", "Reifegrad (Modell)",
          "Vollzug", "Hinweis zum Vollzug", "Quelle"]],
        hide_index=True, width="stretch",
        column_config={"Quelle": st.column_config.LinkColumn(display_text="Quelle öffnen")})
    layout.quelle_stand(f"öffentliche Quellen je Leistung (Spalte Quelle); Reifegrade{demo or ''}",
                        STAND)

# --- Bearbeiten (only signed in; kreis_data.efa checks the rights again) -------------------
def text(value: object) -> str:
    return value if isinstance(value, str) else ""


def anbindung_bearbeiten(benutzer: auth.Benutzer) -> None:
    st.subheader("Anbindung bearbeiten")
    eigene = auth.bearbeitbare_verwaltungen(benutzer, keys)
    if not eigene:
        st.info("Ihre Rolle erlaubt keine Änderungen an Anbindungen.")
        return
    st.caption(f"Quartal: {q.label} (Auswahl in der Seitenleiste). Gespeichert wird als "
               f"„{benutzer.name}“; jede Änderung landet im Änderungsprotokoll.")
    links, rechts = st.columns(2)
    v_key = links.selectbox("Verwaltung", eigene, format_func=namen.get, key="efa_edit_verwaltung")
    moeglich = data.cached(efa.bearbeitbare_anbindungen, quartal, v_key).set_index("leistung_id")
    if moeglich.empty:
        st.info(f"{namen[v_key]} ist laut Vollzug für keine Leistung des Katalogs zuständig.")
    else:
        l_id = rechts.selectbox("Leistung", list(moeglich.index),
                                format_func=lambda i: moeglich.at[i, "leistung"],
                                key=f"efa_edit_leistung_{v_key}")
        zeile = moeglich.loc[l_id]
        suffix = f"{v_key}_{l_id}_{quartal}"
        titel = f"{namen[v_key]} – {zeile['leistung']} ({q.label})"
        with st.form("efa_anbindung_form"):
            st.markdown(f"**{md(titel)}** · derzeit „{zeile['status']}“"
                        + (f" seit {zeile['live_seit']}" if zeile["live_seit"] else ""))
            st.selectbox("Status", scales.ANBINDUNG_STATUS,
                         index=scales.ANBINDUNG_STATUS.index(zeile["status"]),
                         key=f"efa_status_{suffix}")
            hindernis_optionen = [KEIN_HINDERNIS, *scales.HINDERNISSE]
            st.selectbox("Hindernis (nur wenn noch nicht live)", hindernis_optionen,
                         index=hindernis_optionen.index(zeile["hindernis"] or KEIN_HINDERNIS),
                         key=f"efa_hindernis_{suffix}")
            st.form_submit_button(
                "Anbindung speichern", type="primary", on_click=speichere_anbindung,
                args=(v_key, int(l_id), quartal, int(zeile["version"]), suffix, titel))


def katalog_bearbeiten(benutzer: auth.Benutzer) -> None:
    st.subheader("Katalogeintrag bearbeiten")
    if not auth.darf_kreisweit(benutzer):
        st.caption("Den Katalog (Leistungen und Vollzug) pflegt die Kreis-Administration.")
        return
    optionen = [NEUE_LEISTUNG, *katalog.sort_values("leistung")["leistung_id"].astype(int)]
    if st.session_state.get("efa_leistung_auswahl") not in optionen:
        st.session_state["efa_leistung_auswahl"] = NEUE_LEISTUNG
    lid = st.selectbox(
        "Leistung", optionen, key="efa_leistung_auswahl",
        format_func=lambda i: "neue Leistung anlegen" if i == NEUE_LEISTUNG
        else katalog.set_index("leistung_id").at[i, "leistung"])
    eintrag = (katalog.set_index("leistung_id").loc[lid].to_dict() if lid != NEUE_LEISTUNG
               else {"leistung": "", "themenfeld": scales.OZG_THEMENFELDER[0],
                     "federfuehrung": "", "leika": "", "efa_dienst": "", "reifegrad": None,
                     "reifegrad_modell": "2.0", "quelle_url": "", "ebene_land": None,
                     "ebene_kreis": None, "version": None})
    version = None if eintrag["version"] is None else int(eintrag["version"])
    suffix = f"{lid}_{version}"

    with st.form("efa_leistung_form"):
        st.text_input("Name", value=text(eintrag["leistung"]), key=f"efa_l_name_{suffix}")
        a, b = st.columns(2)
        a.selectbox("OZG-Themenfeld", scales.OZG_THEMENFELDER,
                    index=scales.OZG_THEMENFELDER.index(eintrag["themenfeld"])
                    if eintrag["themenfeld"] in scales.OZG_THEMENFELDER else 0,
                    key=f"efa_l_themenfeld_{suffix}")
        b.text_input("Federführung (Land)", value=text(eintrag["federfuehrung"]),
                     key=f"efa_l_federfuehrung_{suffix}")
        a.text_input("LeiKa-Schlüssel (14 Ziffern, beginnt mit 99; optional)",
                     value=text(eintrag["leika"]), key=f"efa_l_leika_{suffix}")
        b.text_input("EfA-Onlinedienst", value=text(eintrag["efa_dienst"]),
                     key=f"efa_l_efa_dienst_{suffix}")
        modelle = list(scales.REIFEGRAD_MODELLE)
        a.selectbox("Reifegradmodell", modelle,
                    index=modelle.index(eintrag["reifegrad_modell"])
                    if eintrag["reifegrad_modell"] in modelle else 0,
                    key=f"efa_l_modell_{suffix}",
                    help=" · ".join(f"Modell {m}: Stufen 0–{h}"
                                    for m, h in scales.REIFEGRAD_MODELLE.items()))
        stufen = [scales.KEINE_ANGABE, *range(max(scales.REIFEGRAD_MODELLE.values()) + 1)]
        reifegrad = eintrag["reifegrad"]
        b.selectbox("Reifegrad", stufen,
                    index=0 if reifegrad is None or reifegrad != reifegrad
                    else stufen.index(int(reifegrad)),
                    key=f"efa_l_reifegrad_{suffix}")
        st.text_input("Quelle (Link)", value=text(eintrag["quelle_url"]),
                      key=f"efa_l_quelle_url_{suffix}")
        land_optionen = [scales.KEINE_ANGABE, *scales.VOLLZUG_EBENEN]
        kreis_optionen = [KEINE_ABWEICHUNG, *scales.VOLLZUG_EBENEN]
        a.selectbox(f"Vollzug nach Landesrecht ({kreis['land']})", land_optionen,
                    index=land_optionen.index(eintrag["ebene_land"] or scales.KEINE_ANGABE),
                    key=f"efa_l_vollzug_land_{suffix}")
        b.selectbox(f"Abweichung des Kreises ({kreis['name']})", kreis_optionen,
                    index=kreis_optionen.index(eintrag["ebene_kreis"] or KEINE_ABWEICHUNG),
                    key=f"efa_l_vollzug_kreis_{suffix}")
        st.form_submit_button("Katalogeintrag speichern", type="primary",
                              on_click=speichere_leistung, args=(lid, version, suffix))


def excel_austausch(benutzer: auth.Benutzer) -> None:
    st.subheader("Excel-Austausch")
    st.markdown(f"Die Ausgabe aller Anbindungen des {q.label} ist zugleich die Vorlage: Status, "
                "Live seit, Hindernis und Bemerkung ändern und wieder hochladen. Enthält die Datei "
                "einen Fehler, wird **nichts** gespeichert und jeder Fehler mit Zeile und Spalte "
                "genannt.")
    st.download_button(
        "Anbindungen als Excel herunterladen",
        data=lambda: anbindungen_io.export_bytes(data.engine(), quartal, "xlsx"),
        file_name=f"anbindungen-{quartal}.xlsx", icon=":material/download:",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    if not auth.darf_kreisweit(benutzer):
        st.caption("Den Excel-Import führt die Kreis-Administration aus.")
        return
    st.file_uploader("Ausgefüllte Datei (.xlsx oder .csv)", type=["xlsx", "csv"],
                     key="efa_upload")
    st.button("Prüfen und importieren", on_click=importiere, args=(quartal,))


with tab_pflege:
    if ist_praesentation():
        st.info("Im Präsentationsmodus ist das Bearbeiten ausgeblendet.")
    elif (bearbeiter := bearbeiter_oder_hinweis()) is not None:
        anbindung_bearbeiten(bearbeiter)
        meldung("anbindung")
        katalog_bearbeiten(bearbeiter)
        meldung("leistung")
        excel_austausch(bearbeiter)
        meldung("import")
