"""Building blocks of the Kooperationen page: the 2x2 matrix and the network (plotly), the
detail of one Kooperation with its quadrant's strengths and risks, and the create / edit / end
forms. Texts, rules and colours come from kreis_data; every user text is escaped.
"""
from __future__ import annotations

import datetime as dt
import html
import math

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from components import data, layout
from components.auswahl_karte import auswahl_karte
from components.text import md  # re-exported: pages use kc.md
from kreis_data import auth, formatting, scales
from kreis_data import kooperationen as koop
from kreis_data.analyses import kooperationen as analyse
from kreis_data.quartal import Quartal

MELDUNG_KEY = "koop_meldung"
AUSWAHL_KEY = "koop_auswahl"
MATRIX_KEY = "koop_matrix"
ZEIGE_MATRIX_KEY = "koop_zeige_matrix"
WIE_FORMAT = "wie Format"
DATUM_MIN, DATUM_MAX = dt.date(1990, 1, 1), dt.date(2100, 12, 31)
QUADRANT_HINTERGRUND = "#f4f6fa"
ACHSE_TEXT = "#1a1a1a"

def esc(text: object) -> str:
    """User text safe inside plotly hover / annotation text."""
    return html.escape("" if text is None or (isinstance(text, float) and math.isnan(text))
                       else str(text))


def datum(value) -> str:
    return "–" if value is None or pd.isna(value) else formatting.datum(value)


# --- Matrix -------------------------------------------------------------------------------------


MAX_BESCHRIFTET = 9  # more points in one quadrant: names only on hover and in the table


def kurzname(name: str, breite: int = 20, zeilen: int = 3) -> str:
    """Escaped name wrapped to short lines for a label under a marker."""
    woerter, result, zeile = str(name).split(), [], ""
    for wort in woerter:
        if zeile and len(zeile) + 1 + len(wort) > breite:
            result.append(zeile)
            zeile = wort
        else:
            zeile = f"{zeile} {wort}".strip()
    result.append(zeile)
    if len(result) > zeilen:
        result = result[:zeilen]
        result[-1] = result[-1][:breite - 1] + "…"
    return "<br>".join(esc(z) for z in result)


def matrix_figur(punkte: pd.DataFrame, quartal: str) -> go.Figure:
    """Every Kooperation in its quadrant (no overlaps), size = members, colour and symbol =
    first Handlungsfeld; formats not running in the quarter are drawn faint."""
    figur = go.Figure()
    je_quadrant = punkte.groupby("quadrant").size()
    beschriften = bool(len(punkte)) and int(je_quadrant.max()) <= MAX_BESCHRIFTET
    for q in analyse.QUADRANTEN:
        x0, y0 = analyse._achse(q.verbindlichkeit, q.dauer)
        figur.add_shape(type="rect", x0=x0 + 0.01, x1=x0 + 0.99, y0=y0 + 0.01, y1=y0 + 0.99,
                        line={"width": 0}, fillcolor=QUADRANT_HINTERGRUND, layer="below")
        lx, ly = analyse.quadrant_beschriftung(q.verbindlichkeit, q.dauer)
        figur.add_annotation(x=lx, y=ly, text=f"<b>{esc(q.kurzname)}</b>: "
                             f"{esc(q.verbindlichkeit)} · {esc(q.dauer)}",
                             showarrow=False, font={"size": 14, "color": ACHSE_TEXT})
    for feld in list(scales.HANDLUNGSFELDER) + sorted(
            set(punkte["handlungsfeld"]) - set(scales.HANDLUNGSFELDER)):
        teil = punkte[punkte["handlungsfeld"] == feld]
        if teil.empty:
            continue
        customdata = [[int(r.id), esc(r.name), esc(r.format), esc(", ".join(r.handlungsfelder)),
                       r.mitglieder_anzahl, esc(r.federfuehrung or "–"), esc(r.status),
                       "läuft" if r.laeuft else "läuft nicht"]
                      for r in teil.itertuples()]
        figur.add_trace(go.Scatter(
            x=teil["x"], y=teil["y"], mode="markers+text" if beschriften else "markers",
            name=feld, text=[kurzname(n) for n in teil["name"]] if beschriften else None,
            textposition="bottom center", textfont={"size": 11, "color": ACHSE_TEXT},
            marker={"size": teil["groesse"], "color": analyse.handlungsfeld_farbe(feld),
                    "symbol": analyse.handlungsfeld_symbol(feld),
                    "opacity": [1.0 if laeuft else 0.45 for laeuft in teil["laeuft"]],
                    "line": {"color": "#1a1a1a", "width": 1.5}},
            customdata=customdata,
            hovertemplate=("<b>%{customdata[1]}</b><br>Format: %{customdata[2]}<br>"
                           "Handlungsfelder: %{customdata[3]}<br>Mitglieder: %{customdata[4]}"
                           "<br>Federführung: %{customdata[5]}<br>Status: %{customdata[6]} "
                           f"(%{{customdata[7]}} im {Quartal.parse(quartal).label})"
                           "<extra></extra>")))
    achse = {"range": [0, 2], "showgrid": False, "zeroline": False, "fixedrange": True,
             "tickfont": {"size": 14, "color": ACHSE_TEXT}}
    titel_schrift = {"size": 14, "color": ACHSE_TEXT}
    figur.update_layout(
        title={"text": f"Kooperationen nach Verbindlichkeit und Dauer "
                       f"({Quartal.parse(quartal).label})"},
        height=680 if beschriften else 560, margin={"l": 90, "r": 20, "t": 60, "b": 60}, plot_bgcolor="#ffffff",
        legend={"title": {"text": "Erstes Handlungsfeld", "font": titel_schrift},
                "orientation": "h", "y": -0.12, "font": {"color": ACHSE_TEXT}},
        xaxis={**achse, "title": {"text": "Dauer", "font": titel_schrift}, "tickvals": [0.5, 1.5],
               "ticktext": list(scales.DAUER)},
        yaxis={**achse, "title": {"text": "Verbindlichkeit", "font": titel_schrift}, "tickvals": [0.5, 1.5],
               "ticktext": list(scales.VERBINDLICHKEIT)},
        dragmode=False, clickmode="event+select")
    figur.add_shape(type="line", x0=1, x1=1, y0=0, y1=2, line={"color": "#6b6b6b", "width": 1})
    figur.add_shape(type="line", x0=0, x1=2, y0=1, y1=1, line={"color": "#6b6b6b", "width": 1})
    return figur


def filter_leiste(frame: pd.DataFrame, verwaltungen: pd.DataFrame) -> pd.DataFrame:
    """Filters for matrix and register (the same widgets in both tabs: the choice is kept while
    the other tab is open)."""
    spalten = st.columns(5)
    namen = dict(zip(verwaltungen["key"], verwaltungen["name"], strict=True))
    gemeinsam = {"placeholder": "alle", "persist_state": "page"}
    formate = spalten[0].multiselect("Format", analyse.format_namen(), key="koop_f_format",
                                     **gemeinsam)
    quadranten = spalten[1].multiselect("Quadrant", analyse.quadrant_keys(),
                                        key="koop_f_quadrant", **gemeinsam)
    felder = spalten[2].multiselect("Handlungsfeld", scales.HANDLUNGSFELDER, key="koop_f_feld",
                                    **gemeinsam)
    status = spalten[3].multiselect("Status", scales.KOOPERATION_STATUS, key="koop_f_status",
                                    **gemeinsam)
    verwaltung = spalten[4].selectbox(
        "Mitglied", [None, *sorted(namen, key=namen.get)], key="koop_f_verwaltung",
        format_func=lambda k: "alle Verwaltungen" if k is None else namen[k],
        persist_state="page")
    return analyse.filtern(frame, formate=formate, quadranten=quadranten,
                           handlungsfelder=felder, status=status, verwaltung_key=verwaltung)


def ausgewaehlte_id(event, gueltige_ids) -> int | None:
    """The Kooperation id of the clicked point of the matrix (plotly selection), if any."""
    try:
        punkte = event.selection.points
    except AttributeError:
        try:
            punkte = event["selection"]["points"]
        except (KeyError, TypeError):
            return None
    for punkt in punkte or []:
        daten = punkt.get("customdata") if isinstance(punkt, dict) else None
        if daten:
            try:
                kooperation_id = int(daten[0])
            except (TypeError, ValueError):
                continue
            if kooperation_id in gueltige_ids:
                return kooperation_id
    return None


def matrix_tabelle(punkte: pd.DataFrame) -> pd.DataFrame:
    """Table twin of the matrix."""
    return pd.DataFrame({
        "Quadrant": punkte["quadrant"], "Kooperation": punkte["name"],
        "Format": punkte["format"], "Handlungsfelder": punkte["handlungsfelder"].map(", ".join),
        "Mitglieder": punkte["mitglieder_anzahl"], "Status": punkte["status"],
        "läuft im Quartal": punkte["laeuft"].map({True: "ja", False: "nein"}),
    }).sort_values(["Quadrant", "Kooperation"])


# --- Detail -------------------------------------------------------------------------------------


def steckbrief(zeile: pd.Series) -> None:
    felder = [
        ("Format", zeile["format"]), ("Einordnung", zeile["quadrant"]),
        ("Handlungsfelder", ", ".join(zeile["handlungsfelder"])),
        ("Rechtsform", zeile["rechtsform"]), ("Ausrichtung", zeile["ausrichtung"]),
        ("Federführung", zeile["federfuehrung"] or "– keine –"),
        ("Stellvertretung", zeile["stellvertretung"] or "– keine –"),
        ("Start", datum(zeile["start"])), ("Ende", datum(zeile["ende"])),
        ("Status", zeile["status"]), ("Ansprechperson", zeile["ansprechperson"] or "–"),
        ("Anschluss / Betreibermodell", zeile["anschluss"] or "– nicht eingetragen –"),
        ("Was funktioniert", zeile["was_funktioniert"] or "–"),
        ("Was nicht funktioniert", zeile["was_nicht"] or "–"),
    ]
    st.table(pd.DataFrame(felder, columns=["Angabe", "Wert"]).set_index("Angabe"))


def swot(verbindlichkeit: str, dauer: str) -> None:
    q = analyse.quadrant(verbindlichkeit, dauer)
    st.markdown(f"**Quadrant {q.titel}**")
    spalten = st.columns(4, gap="small")
    for spalte, (titel, punkte) in zip(spalten, (("Stärken", q.staerken),
                                                ("Schwächen", q.schwaechen),
                                                ("Chancen", q.chancen),
                                                ("Risiken", q.risiken)), strict=True):
        with spalte.container(border=True):
            st.markdown(f"**{titel}**")
            st.markdown("\n".join(f"- {p}" for p in punkte))
    st.caption(f"{analyse.EINSTIEGSHUERDE}  \n{analyse.SWOT_QUELLE}")


def verlauf(kooperation_id: int) -> None:
    historie = data.cached(koop.einordnungen)
    eigene = historie[historie["kooperation_id"] == kooperation_id]
    if eigene.empty:
        st.markdown("Keine Einordnung erfasst.")
        return
    wechsel = analyse.wechsel(eigene)
    if wechsel:
        st.markdown("\n".join(f"- {md(w.text)}" for w in wechsel))
    else:
        st.markdown(f"Seit {Quartal.parse(eigene['ab_quartal'].iloc[0]).label} unverändert "
                    f"im Quadranten {md(eigene['quadrant'].iloc[0])}.")
    st.dataframe(pd.DataFrame({
        "ab Quartal": eigene["ab_quartal"].map(lambda q: Quartal.parse(q).label),
        "Verbindlichkeit": eigene["verbindlichkeit"], "Dauer": eigene["dauer"]}),
        hide_index=True, width="content")


def detail(zeile: pd.Series, quartal: str) -> None:
    st.subheader(zeile["name"])
    links, rechts = st.columns([3, 2], gap="large")
    with links:
        steckbrief(zeile)
    with rechts:
        st.markdown("**Verlauf der Einordnung**")
        verlauf(int(zeile["id"]))
    swot(zeile["verbindlichkeit"], zeile["dauer"])
    st.markdown("**Mitglieder auf der Karte**")
    tabelle = auswahl_karte(zeile["mitglied_keys"], key="koop_mitglieder_karte",
                            label_ausgewaehlt="Mitglied", label_andere="kein Mitglied",
                            mit_tabelle=False)
    with st.expander("Karte als Tabelle"):
        st.dataframe(tabelle, hide_index=True, width="stretch", column_config={
            "Einwohner": st.column_config.NumberColumn(format="localized")})
    st.caption("  \n".join(a for a in layout.attributions() if "Verwaltungsgrenzen" in a))
    mitglieder = data.cached(koop.mitglieder)
    externe = mitglieder[(mitglieder["kooperation_id"] == zeile["id"])
                         & mitglieder["verwaltung_key"].isna()]
    if not externe.empty:
        st.markdown("Weitere Mitglieder (nicht auf der Karte): " + "; ".join(
            f"{md(r.name)} ({md(r.akteurstyp)})" for r in externe.itertuples()))


# --- Network ------------------------------------------------------------------------------------

KNOTEN_FARBE = scales.STUFEN_FARBEN[3]
OHNE_FORMAT_FARBE = "#D55E00"  # Okabe-Ito vermillion: flags a Verwaltung in no format
KANTEN_FARBE = "rgba(37, 52, 148, 0.45)"


def netzwerk_figur(knoten: pd.DataFrame, kanten: pd.DataFrame, quartal: str) -> go.Figure:
    figur = go.Figure()
    lage = knoten.set_index("key")
    for gewicht in sorted(kanten["gemeinsame"].unique()) if not kanten.empty else []:
        teil = kanten[kanten["gemeinsame"] == gewicht]
        xs, ys = [], []
        for r in teil.itertuples():
            xs += [lage.at[r.a, "lon"], lage.at[r.b, "lon"], None]
            ys += [lage.at[r.a, "lat"], lage.at[r.b, "lat"], None]
        figur.add_trace(go.Scatter(
            x=xs, y=ys, mode="lines", hoverinfo="skip",
            line={"width": 1.2 * gewicht, "color": KANTEN_FARBE},
            name=f"{gewicht} gemeinsame{'s' if gewicht == 1 else ''} "
                 f"Format{'' if gewicht == 1 else 'e'}"))
    if not kanten.empty:  # hover on the middle of each line
        figur.add_trace(go.Scatter(
            x=[(lage.at[r.a, "lon"] + lage.at[r.b, "lon"]) / 2 for r in kanten.itertuples()],
            y=[(lage.at[r.a, "lat"] + lage.at[r.b, "lat"]) / 2 for r in kanten.itertuples()],
            mode="markers", marker={"size": 8, "color": "rgba(0,0,0,0)"}, showlegend=False,
            customdata=[[esc(r.a_name), esc(r.b_name), r.gemeinsame,
                         esc(r.formate).replace("; ", "<br>")] for r in kanten.itertuples()],
            hovertemplate=("<b>%{customdata[0]} – %{customdata[1]}</b><br>"
                           "%{customdata[2]} gemeinsame Formate:<br>%{customdata[3]}"
                           "<extra></extra>")))
    for ohne, farbe, symbol, name in ((False, KNOTEN_FARBE, "circle", "Verwaltung"),
                                      (True, OHNE_FORMAT_FARBE, "x",
                                       "Verwaltung in keinem Format")):
        teil = knoten[knoten["ohne_format"] == ohne].dropna(subset=["lon", "lat"])
        if teil.empty:
            continue
        figur.add_trace(go.Scatter(
            x=teil["lon"], y=teil["lat"], mode="markers+text", name=name,
            text=[esc(n) + (" – in keinem Format" if ohne else "") for n in teil["name"]],
            textposition="top center", textfont={"size": 11, "color": ACHSE_TEXT},
            marker={"size": [9 + 2.5 * f for f in teil["formate"]], "color": farbe,
                    "symbol": symbol, "line": {"color": "#1a1a1a", "width": 1}},
            customdata=[[esc(n), f] for n, f in zip(teil["name"], teil["formate"], strict=True)],
            hovertemplate="<b>%{customdata[0]}</b><br>in %{customdata[1]} laufenden Formaten"
                          "<extra></extra>"))
    breite = math.cos(math.radians(knoten["lat"].mean())) if not knoten.empty else 1.0
    figur.update_layout(
        title={"text": f"Verwaltungen, verbunden durch gemeinsame Formate "
                       f"({Quartal.parse(quartal).label})"},
        height=820, margin={"l": 10, "r": 10, "t": 60, "b": 10}, plot_bgcolor="#ffffff",
        legend={"orientation": "h", "y": -0.02, "font": {"color": ACHSE_TEXT}},
        xaxis={"visible": False, "fixedrange": False},
        yaxis={"visible": False, "scaleanchor": "x", "scaleratio": 1 / breite})
    return figur


def netzwerk_text(knoten: pd.DataFrame, alle_kanten: pd.DataFrame, kanten: pd.DataFrame,
                  mindestens: int, q_label: str) -> str:
    """One-sentence summary of the network (the text alternative of the chart)."""
    teile = [f"{len(alle_kanten)} Paare von Verwaltungen arbeiten im {q_label} in mindestens "
             f"einem gemeinsamen Format zusammen"]
    if mindestens > 1:
        teile.append(f"{len(kanten)} davon in mindestens {mindestens} (gezeigt)")
    if not alle_kanten.empty:
        eng = alle_kanten.sort_values(["gemeinsame", "a_name"], ascending=[False, True]).iloc[0]
        teile.append(f"am engsten {md(eng['a_name'])} und {md(eng['b_name'])} "
                     f"({int(eng['gemeinsame'])} gemeinsame Formate)")
    ohne = knoten[knoten["ohne_format"]]
    satz = "; ".join(teile) + ". "
    satz += ("In keinem laufenden Format: **" + ", ".join(md(n) for n in ohne["name"]) + "**."
             if not ohne.empty else "Jede Verwaltung ist in mindestens einem laufenden Format.")
    return satz


def netzwerk_tabelle(kanten: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame({
        "Verwaltung A": kanten["a_name"], "Verwaltung B": kanten["b_name"],
        "gemeinsame Formate": kanten["gemeinsame"], "Formate": kanten["formate"],
    }).sort_values(["gemeinsame Formate", "Verwaltung A", "Verwaltung B"],
                   ascending=[False, True, True])


# --- Forms --------------------------------------------------------------------------------------


def meldung_anzeigen() -> None:
    """The success message of the last write (kept across the rerun that shows new data)."""
    meldung = st.session_state.pop(MELDUNG_KEY, None)
    if meldung:
        st.success(meldung, icon=":material/check_circle:")


def _verwaltung_optionen() -> tuple[list[str], dict[str, str]]:
    verwaltungen = data.verwaltungen()
    sortiert = verwaltungen.sort_values(["kreisverwaltung", "name"], ascending=[False, True])
    return list(sortiert["key"]), dict(zip(verwaltungen["key"], verwaltungen["name"], strict=True))


def kooperation_form(form_key: str, werte: dict | None, submit_label: str,
                     benutzer: auth.Benutzer) -> dict | None:
    """The fields of a Kooperation in an st.form; returns the entered data on submit. The
    Federführung offers only Verwaltungen whose Kooperationen `benutzer` may edit (a Redaktion
    can neither create for nor hand over to another Verwaltung)."""
    werte = werte or {}
    keys, namen = _verwaltung_optionen()
    fuehrung_optionen = [None, *keys] if benutzer.ist_admin else [
        k for k in keys if auth.darf_kooperation_bearbeiten(benutzer, k)]
    formate = list(analyse.format_namen())
    mitglied_keys = [m["verwaltung_key"] for m in werte.get("mitglieder", [])
                     if m.get("verwaltung_key")]

    def index(optionen, wert, standard=0):
        return optionen.index(wert) if wert in optionen else standard

    with st.form(form_key):
        name = st.text_input("Name *", value=werte.get("name") or "", key=f"{form_key}_name")
        links, mitte, rechts = st.columns(3)
        format_ = links.selectbox("Format *", formate,
                                  index=formate.index(werte["format"])
                                  if werte.get("format") in formate else None,
                                  placeholder="bitte wählen", key=f"{form_key}_format")
        v_optionen = [WIE_FORMAT, *scales.VERBINDLICHKEIT]
        d_optionen = [WIE_FORMAT, *scales.DAUER]
        verbindlichkeit = mitte.selectbox(
            "Verbindlichkeit", v_optionen, index=index(v_optionen, werte.get("verbindlichkeit")),
            key=f"{form_key}_verbindlichkeit",
            help="„wie Format“ übernimmt die Einordnung des Formats (siehe Tabelle unten).")
        dauer = rechts.selectbox("Dauer", d_optionen, index=index(d_optionen, werte.get("dauer")),
                                 key=f"{form_key}_dauer")
        links, mitte, rechts = st.columns(3)
        rechtsform = links.selectbox("Rechtsform", scales.RECHTSFORMEN,
                                     index=index(list(scales.RECHTSFORMEN),
                                                 werte.get("rechtsform"),
                                                 scales.RECHTSFORMEN.index("keine")),
                                     key=f"{form_key}_rechtsform")
        ausrichtung = mitte.selectbox("Ausrichtung", scales.AUSRICHTUNGEN,
                                      index=index(list(scales.AUSRICHTUNGEN),
                                                  werte.get("ausrichtung")),
                                      key=f"{form_key}_ausrichtung")
        status = rechts.selectbox("Status", scales.KOOPERATION_STATUS,
                                  index=index(list(scales.KOOPERATION_STATUS),
                                              werte.get("status"), 1),
                                  key=f"{form_key}_status")
        handlungsfelder = st.multiselect(
            "Handlungsfelder *", scales.HANDLUNGSFELDER,
            default=[h for h in werte.get("handlungsfelder", []) if h in scales.HANDLUNGSFELDER],
            placeholder="bitte wählen", key=f"{form_key}_handlungsfelder")
        mitglieder = st.multiselect("Mitglieder: Verwaltungen des Kreises *", keys,
                                    default=mitglied_keys, format_func=namen.get,
                                    placeholder="bitte wählen", key=f"{form_key}_mitglieder")
        externe = st.text_area(
            "Weitere Mitglieder (je Zeile „Name; Akteurstyp“)",
            value=koop.externe_als_text(werte.get("mitglieder", [])),
            help="Akteurstypen: " + ", ".join(scales.AKTEURSTYPEN),
            key=f"{form_key}_externe")
        links, rechts = st.columns(2)
        optionen = [None, *keys]
        federfuehrung = links.selectbox(
            "Federführung", fuehrung_optionen,
            index=index(fuehrung_optionen, werte.get("federfuehrung_key")),
            format_func=lambda k: "– keine –" if k is None else namen[k],
            key=f"{form_key}_federfuehrung")
        stellvertretung = rechts.selectbox(
            "Stellvertretung", optionen, index=index(optionen, werte.get("stellvertretung_key")),
            format_func=lambda k: "– keine –" if k is None else namen[k],
            key=f"{form_key}_stellvertretung")
        links, mitte, rechts = st.columns(3)
        start = links.date_input("Start", value=werte.get("start"), min_value=DATUM_MIN,
                                 max_value=DATUM_MAX, format="DD.MM.YYYY",
                                 key=f"{form_key}_start")
        ende = mitte.date_input("Ende", value=werte.get("ende"), min_value=DATUM_MIN,
                                max_value=DATUM_MAX, format="DD.MM.YYYY", key=f"{form_key}_ende")
        ansprechperson = rechts.text_input("Ansprechperson",
                                           value=werte.get("ansprechperson") or "",
                                           key=f"{form_key}_ansprechperson")
        anschluss = st.text_area("Anschluss / Betreibermodell nach dem Ende",
                                 value=werte.get("anschluss") or "", key=f"{form_key}_anschluss")
        links, rechts = st.columns(2)
        funktioniert = links.text_area("Was funktioniert", value=werte.get("was_funktioniert")
                                       or "", key=f"{form_key}_funktioniert")
        nicht = rechts.text_area("Was nicht funktioniert", value=werte.get("was_nicht") or "",
                                 key=f"{form_key}_nicht")
        st.caption("Mit \\* markierte Felder sind Pflichtfelder. Mindestens zwei Mitglieder; "
                   "Federführung und Stellvertretung müssen Mitglieder sein.")
        if not st.form_submit_button(submit_label, type="primary"):
            return None
    return {
        "name": name, "format": format_,
        "verbindlichkeit": None if verbindlichkeit == WIE_FORMAT else verbindlichkeit,
        "dauer": None if dauer == WIE_FORMAT else dauer,
        "rechtsform": rechtsform, "ausrichtung": ausrichtung, "status": status,
        "handlungsfelder": handlungsfelder,
        "mitglieder": [*mitglieder, *koop.externe_aus_text(externe)],
        "federfuehrung_key": federfuehrung, "stellvertretung_key": stellvertretung,
        "start": start, "ende": ende, "ansprechperson": ansprechperson,
        "anschluss": anschluss, "was_funktioniert": funktioniert, "was_nicht": nicht,
    }


def fehler_anzeigen(fehler: koop.KooperationFehler) -> None:
    titel = ("Nicht gespeichert – die Kooperation wurde inzwischen geändert:"
             if isinstance(fehler, koop.VeralteteVersion)
             else "Nicht gespeichert – bitte korrigieren:")
    st.error(titel + "\n\n" + "\n".join(f"- {md(m)}" for m in fehler.meldungen),
             icon=":material/error:")


def formate_tabelle() -> None:
    with st.expander("Formate und ihre Einordnung („wie Format“)"):
        st.dataframe(pd.DataFrame([{"Format": f.name, "Verbindlichkeit": f.verbindlichkeit,
                                    "Dauer": f.dauer, "Hinweis": f.hinweis,
                                    "Beispiele": f.beispiele} for f in analyse.formate()]),
                     hide_index=True, width="stretch")
        st.caption("Quelle: Organisationsstrukturen für Smarte Landkreise, Abschnitt 3.2 "
                   "(kooperationsformate.csv)")


def bearbeitbar(register: pd.DataFrame, benutzer: auth.Benutzer) -> pd.DataFrame:
    """The Kooperationen of the register this person may edit (auth: by Federführung)."""
    return register[[auth.darf_kooperation_bearbeiten(benutzer, k)
                     for k in register["federfuehrung_key"]]]


def _schreiben(schreibfunktion, *args, **kwargs):
    """Call a kreis_data write; show a refusal (validation or rights) and return None."""
    try:
        return schreibfunktion(*args, **kwargs)
    except koop.KooperationFehler as fehler:
        fehler_anzeigen(fehler)
    except PermissionError as fehler:
        st.error(f"Nicht gespeichert: {fehler}", icon=":material/lock:")
    return None


def anlegen(quartal: str, benutzer: auth.Benutzer) -> None:
    formate_tabelle()
    eingabe = kooperation_form("koop_neu", None, "Kooperation anlegen", benutzer)
    if eingabe is None:
        return
    neu = _schreiben(koop.create_kooperation, data.engine(), {**eingabe, "ab_quartal": quartal},
                     benutzer)
    if neu is None:
        return
    st.session_state[MELDUNG_KEY] = (f"Kooperation „{eingabe['name'].strip()}“ angelegt "
                                     f"(Nr. {neu}); sie ist unten in der Matrix ausgewählt.")
    st.session_state[AUSWAHL_KEY] = neu
    st.session_state[ZEIGE_MATRIX_KEY] = True
    for key in [k for k in st.session_state if str(k).startswith("koop_neu_")]:
        del st.session_state[key]
    st.rerun()


def _geladene_version(kooperation_id: int, aktuell: int) -> int:
    """The version the user's form was loaded with (kept until saved or reloaded)."""
    return st.session_state.setdefault(f"koop_version_{kooperation_id}", aktuell)


def bearbeiten(register: pd.DataFrame, quartal: str, benutzer: auth.Benutzer) -> None:
    register = bearbeitbar(register, benutzer)
    if register.empty:
        st.info("Keine Kooperation, die Sie bearbeiten dürfen: Eine Redaktion bearbeitet die "
                "Kooperationen unter Federführung ihrer Verwaltung.")
        return
    ids = list(register["id"])
    namen = dict(zip(register["id"], register["name"], strict=True))
    kooperation_id = st.selectbox("Kooperation", ids, format_func=namen.get,
                                  key="koop_bearbeiten_id")
    werte = data.cached(koop.kooperation, int(kooperation_id))
    if werte is None:
        st.warning("Diese Kooperation gibt es nicht mehr.")
        return
    version = _geladene_version(kooperation_id, werte["version"])
    if version != werte["version"]:
        st.warning(f"Diese Kooperation wurde geändert, seit Sie das Formular geöffnet haben "
                   f"(Ihre Version {version}, aktuell {werte['version']}).")
        if st.button("Aktuelle Angaben laden", key="koop_aktuell_laden"):
            st.session_state.pop(f"koop_version_{kooperation_id}", None)
            st.rerun()
    st.caption(f"Ändern Sie Verbindlichkeit oder Dauer, gilt die neue Einordnung ab dem "
               f"{Quartal.parse(quartal).label} (Quartal in der Seitenleiste); die bisherige "
               f"bleibt im Verlauf.")
    eingabe = kooperation_form(f"koop_edit_{kooperation_id}_{version}", werte,
                               "Änderungen speichern", benutzer)
    if eingabe is None:
        return
    neue_version = _schreiben(koop.update_kooperation, data.engine(), int(kooperation_id),
                              {**eingabe, "ab_quartal": quartal}, benutzer,
                              expected_version=version)
    if neue_version is None:
        return
    st.session_state[f"koop_version_{kooperation_id}"] = neue_version
    st.session_state[MELDUNG_KEY] = f"Änderungen an „{eingabe['name'].strip()}“ gespeichert."
    st.rerun()


def beenden(register: pd.DataFrame, benutzer: auth.Benutzer) -> None:
    offen = bearbeitbar(register[register["status"] != "beendet"], benutzer)
    if offen.empty:
        st.info("Keine laufende oder geplante Kooperation, die Sie bearbeiten dürfen.")
        return
    namen = dict(zip(offen["id"], offen["name"], strict=True))
    with st.form("koop_ende"):
        kooperation_id = st.selectbox("Kooperation", list(offen["id"]), format_func=namen.get,
                                      key="koop_ende_id")
        ende = st.date_input("Ende", value=dt.date.today(), min_value=DATUM_MIN,
                             max_value=DATUM_MAX, format="DD.MM.YYYY", key="koop_ende_datum")
        st.caption("Setzt das Ende-Datum und den Status „beendet“. Ein Anschluss oder "
                   "Betreibermodell lässt sich unter „Bearbeiten“ eintragen.")
        if not st.form_submit_button("Kooperation beenden", type="primary"):
            return
    werte = data.cached(koop.kooperation, int(kooperation_id))
    version = _geladene_version(kooperation_id, werte["version"] if werte else 0)
    neue_version = _schreiben(koop.end_kooperation, data.engine(), int(kooperation_id), ende,
                              benutzer, expected_version=version)
    if neue_version is None:
        return
    st.session_state[f"koop_version_{kooperation_id}"] = neue_version
    st.session_state[MELDUNG_KEY] = (f"„{namen[kooperation_id]}“ zum {formatting.datum(ende)} "
                                     f"beendet.")
    st.rerun()


def quelle_stand() -> None:
    layout.quelle_stand(data.cached(koop.quelle), data.cached(koop.stand))
