"""Building blocks of the Kooperationen page, one per view: "Meine Verwaltung", the 2x2 matrix
(plotly) with the detail of one Kooperation and its quadrant's strengths and risks, the register
with its downloads, the network of shared formats, the warnings and the Bundesvergleich. Texts,
rules and colours come from kreis_data.kooperationen; every user text is escaped. The create /
edit / end forms are in components.kooperationen_pflege.
"""
from __future__ import annotations

import html
import math

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from components import data, layout
from components import kontakte as kontakt_regel
from components.auswahl import Auswahl, verwaltung_waehlen
from components.auswahl_karte import auswahl_karte
from components.download import tabelle_herunterladen
from components.text import md, tabelle_md  # md re-exported: kc.md
from kreis_data import formatting, queries, scales
from kreis_data.kooperationen import lesen, regeln
from kreis_data.quartal import Quartal

AUSWAHL_KEY = "koop_auswahl"  # the Kooperation shown in the detail (set by a click or a create)
MATRIX_KEY = "koop_matrix"
QUADRANT_HINTERGRUND = "#f4f6fa"
ACHSE_TEXT = "#1a1a1a"


def esc(text: object) -> str:
    """User text safe inside plotly hover / annotation text."""
    return html.escape("" if text is None or (isinstance(text, float) and math.isnan(text))
                       else str(text))


def datum(value) -> str:
    return "–" if value is None or pd.isna(value) else formatting.datum(value)


# --- Meine Verwaltung ---------------------------------------------------------------------------


def meine_verwaltung(a: Auswahl, verwaltungen: pd.DataFrame) -> None:
    """The quick answer for one Verwaltung (?verwaltung=): the formats it is in, and those its
    neighbours are in without it."""
    namen = dict(zip(verwaltungen["key"], verwaltungen["name"], strict=True))
    keys = list(verwaltungen.sort_values(["kreisverwaltung", "name"],
                                         ascending=[False, True])["key"])
    key = verwaltung_waehlen(keys, namen.get, label="Meine Verwaltung")
    if key is None:
        st.info("Für diesen Kreis sind noch keine Verwaltungen erfasst.")
        return
    eigene = data.cached(lesen.mitgliedschaften, key, a.quartal)
    st.subheader(f"{md(namen[key])} ist in diesen Formaten")
    if eigene.empty:
        st.warning(f"{md(namen[key])} ist im {a.label} in keinem laufenden oder geplanten "
                   f"Kooperationsformat.", icon=":material/link_off:")
    else:
        st.dataframe(pd.DataFrame({
            "Kooperation": eigene["name"], "Format": eigene["format"],
            "Einordnung": eigene["quadrant"], "Status": eigene["status"],
            "Federführung": eigene["federfuehrung"],
            "Ansprechperson": eigene["ansprechperson"].map(kontakt_regel.text)}),
            hide_index=True, width="stretch")
    st.subheader("Ihre Nachbarn sind zusätzlich in")
    _nachbarn(key, namen, a.quartal)
    quelle_stand()


def _nachbarn(key: str, namen: dict[str, str], quartal: str) -> None:
    """ "Ihr Nachbar X ist zusätzlich in …" for every neighbour of the Verwaltung `key`."""
    zusaetzlich = data.cached(lesen.nachbar_formate, key, quartal)
    nachbarn = data.cached(queries.nachbarn).get(key, [])
    if not nachbarn:
        st.markdown("Die Stadt hat im Arbeitsbereich keine Nachbarn: die angrenzenden Städte "
                    "und Gemeinden gehören zu anderen Kreisen." if data.gebiet().kreisfrei
                    else "Für diese Verwaltung sind keine Nachbarn auf der Gemeindekarte "
                         "erfasst (die Kreisverwaltung hat keine eigene Fläche).")
        return
    if zusaetzlich.empty:
        st.markdown(f"Keiner der {len(nachbarn)} Nachbarn ist in einem Format, in dem "
                    f"{md(namen[key])} nicht ist.")
        return
    zeilen = []
    for nachbar, gruppe in zusaetzlich.groupby("nachbar", sort=True):
        formate = "; ".join(
            f"**{md(r.name)}** ({md(r.format)}, {md(r.status)}"
            + (f", Ansprechperson {md(kontakt_regel.text(r.ansprechperson))}"
               if r.ansprechperson else "")
            + ")" for r in gruppe.itertuples())
        zeilen.append(f"- Ihr Nachbar **{md(nachbar)}** ist zusätzlich in: {formate}")
    st.markdown("\n".join(zeilen))
    ohne = sorted(set(namen[n] for n in nachbarn) - set(zusaetzlich["nachbar"]))
    if ohne:
        st.caption("Keine zusätzlichen Formate bei: " + ", ".join(md(n) for n in ohne))


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
    for q in regeln.QUADRANTEN:
        x0, y0 = regeln._achse(q.verbindlichkeit, q.dauer)
        figur.add_shape(type="rect", x0=x0 + 0.01, x1=x0 + 0.99, y0=y0 + 0.01, y1=y0 + 0.99,
                        line={"width": 0}, fillcolor=QUADRANT_HINTERGRUND, layer="below")
        lx, ly = regeln.quadrant_beschriftung(q.verbindlichkeit, q.dauer)
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
            marker={"size": teil["groesse"], "color": regeln.handlungsfeld_farbe(feld),
                    "symbol": regeln.handlungsfeld_symbol(feld),
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
        separators=formatting.PLOTLY_TRENNZEICHEN,
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
    formate = spalten[0].multiselect("Format", regeln.format_namen(), key="koop_f_format",
                                     **gemeinsam)
    quadranten = spalten[1].multiselect("Quadrant", regeln.quadrant_keys(),
                                        key="koop_f_quadrant", **gemeinsam)
    felder = spalten[2].multiselect("Handlungsfeld", scales.HANDLUNGSFELDER, key="koop_f_feld",
                                    **gemeinsam)
    status = spalten[3].multiselect("Status", scales.KOOPERATION_STATUS, key="koop_f_status",
                                    **gemeinsam)
    verwaltung = spalten[4].selectbox(
        "Mitglied", [None, *sorted(namen, key=namen.get)], key="koop_f_verwaltung",
        format_func=lambda k: "alle Verwaltungen" if k is None else namen[k],
        persist_state="page")
    return regeln.filtern(frame, formate=formate, quadranten=quadranten,
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


def matrix(punkte: pd.DataFrame, register: pd.DataFrame, quartal: str) -> None:
    """The matrix chart and its table twin; a click on a symbol shows that Kooperation in the
    detail below."""
    ereignis = st.plotly_chart(matrix_figur(punkte, quartal), key=MATRIX_KEY,
                               on_select="rerun", selection_mode="points",
                               config={"displayModeBar": False})
    geklickt = ausgewaehlte_id(ereignis, set(register["id"]))
    if geklickt is not None and geklickt != st.session_state.get("koop_letzter_klick"):
        st.session_state[AUSWAHL_KEY] = geklickt
    st.session_state["koop_letzter_klick"] = geklickt
    with st.expander("Matrix als Tabelle"):
        st.dataframe(matrix_tabelle(punkte), hide_index=True, width="stretch")


def bewegungen(wechsel: pd.DataFrame) -> None:
    """The changes of quadrant of all Kooperationen (lesen.wechsel)."""
    st.markdown("**Bewegungen zwischen den Quadranten**")
    if wechsel.empty:
        st.markdown("Bisher hat keine Kooperation den Quadranten gewechselt.")
        return
    st.dataframe(pd.DataFrame({
        "Kooperation": wechsel["name"],
        "ab Quartal": wechsel["ab_quartal"].map(lambda q: Quartal.parse(q).label),
        "von": wechsel["von"], "nach": wechsel["nach"], "Art": wechsel["art"]}),
        hide_index=True, width="stretch")


# --- Detail -------------------------------------------------------------------------------------


def steckbrief(zeile: pd.Series) -> None:
    felder = [
        ("Format", zeile["format"]), ("Einordnung", zeile["quadrant"]),
        ("Handlungsfelder", ", ".join(zeile["handlungsfelder"])),
        ("Rechtsform", zeile["rechtsform"]), ("Ausrichtung", zeile["ausrichtung"]),
        ("Federführung", zeile["federfuehrung"] or "– keine –"),
        ("Stellvertretung", zeile["stellvertretung"] or "– keine –"),
        ("Start", datum(zeile["start"])), ("Ende", datum(zeile["ende"])),
        ("Status", zeile["status"]),
        ("Ansprechperson", kontakt_regel.text(zeile["ansprechperson"]) or "–"),
        ("Anschluss / Betreibermodell", zeile["anschluss"] or "– nicht eingetragen –"),
        ("Was funktioniert", zeile["was_funktioniert"] or "–"),
        ("Was nicht funktioniert", zeile["was_nicht"] or "–"),
    ]
    # st.table renders Markdown in its cells: every value escaped (components.text)
    st.table(tabelle_md(pd.DataFrame(felder, columns=["Angabe", "Wert"]).set_index("Angabe")))


def swot(verbindlichkeit: str, dauer: str) -> None:
    q = regeln.quadrant(verbindlichkeit, dauer)
    st.markdown(f"**Quadrant {q.titel}**")
    spalten = st.columns(4, gap="small")
    for spalte, (titel, punkte) in zip(spalten, (("Stärken", q.staerken),
                                                ("Schwächen", q.schwaechen),
                                                ("Chancen", q.chancen),
                                                ("Risiken", q.risiken)), strict=True):
        with spalte.container(border=True):
            st.markdown(f"**{titel}**")
            st.markdown("\n".join(f"- {p}" for p in punkte))
    st.caption(f"{regeln.EINSTIEGSHUERDE}  \n{regeln.SWOT_QUELLE}")


def verlauf(kooperation_id: int) -> None:
    historie = data.cached(lesen.einordnungen)
    eigene = historie[historie["kooperation_id"] == kooperation_id]
    if eigene.empty:
        st.markdown("Keine Einordnung erfasst.")
        return
    wechsel = regeln.wechsel(eigene)
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
    st.subheader(md(zeile["name"]))
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
    mitglieder = data.cached(lesen.mitglieder)
    externe = mitglieder[(mitglieder["kooperation_id"] == zeile["id"])
                         & mitglieder["verwaltung_key"].isna()]
    if not externe.empty:
        st.markdown("Weitere Mitglieder (nicht auf der Karte): " + "; ".join(
            f"{md(r.name)} ({md(r.akteurstyp)})" for r in externe.itertuples()))


def detail_waehlen(register: pd.DataFrame, quartal: str) -> None:
    """The detail of the Kooperation chosen here (preset by a click in the matrix or by
    creating one)."""
    ids = list(register["id"])
    if not ids:
        return
    namen = dict(zip(register["id"], register["name"], strict=True))
    if st.session_state.get(AUSWAHL_KEY) not in ids:
        st.session_state[AUSWAHL_KEY] = ids[0]
    gewaehlt = st.selectbox("Kooperation im Detail", ids, format_func=namen.get,
                            key=AUSWAHL_KEY)
    detail(register.set_index("id", drop=False).loc[gewaehlt], quartal)


# --- Register -----------------------------------------------------------------------------------


def register_ansicht(gefiltert: pd.DataFrame, a: Auswahl) -> None:
    """The (filtered) register as a table with Quelle and Stand, and as CSV / Excel."""
    tabelle = kontakt_regel.spalte(lesen.register_tabelle(gefiltert), "Ansprechperson")
    st.dataframe(formatting.fuer_leser(tabelle.assign(Start=tabelle["Start"].map(datum),
                                                      Ende=tabelle["Ende"].map(datum))),
                 hide_index=True, width="stretch")
    quelle, stand = data.cached(lesen.quelle), data.cached(lesen.stand)
    layout.quelle_stand(quelle, stand)
    tabelle_herunterladen(tabelle, f"Kooperationen {a.label}", quelle=quelle, stand=stand,
                          key="koop_register")


# --- Network ------------------------------------------------------------------------------------

KNOTEN_FARBE = scales.AKZENT_FARBE
OHNE_FORMAT_FARBE = "#D55E00"  # Okabe-Ito vermillion: flags a Verwaltung in no format
KANTEN_FARBE = "rgba(37, 52, 148, 0.45)"


NETZ_HOEHE = 820
NETZ_RAND = {"l": 10, "r": 10, "t": 60, "b": 10}
NETZ_SCHRIFT = 12  # px; a label's width is estimated at 0.6 em per character
_LABEL_LAGEN = (  # (textposition, dx, dy): direction of the label box from the marker
    ("top center", 0, 1), ("bottom center", 0, -1), ("middle right", 1, 0),
    ("middle left", -1, 0), ("top right", 1, 1), ("top left", -1, 1),
    ("bottom right", 1, -1), ("bottom left", -1, -1))


def _netz_texte(knoten: pd.DataFrame) -> list[str]:
    return [str(n) + (" – in keinem Format" if ohne else "")
            for n, ohne in zip(knoten["name"], knoten["ohne_format"], strict=True)]


def netz_achsen(knoten: pd.DataFrame) -> tuple[list[float], float]:
    """The fixed y-range of the network (lat, with room for labels) and px per degree of lat."""
    lat = knoten["lat"].dropna()
    if lat.empty:
        return [0.0, 1.0], 1.0
    spanne = max(float(lat.max() - lat.min()), 1e-3)
    bereich = [float(lat.min()) - 0.08 * spanne, float(lat.max()) + 0.08 * spanne]
    hoehe = NETZ_HOEHE - NETZ_RAND["t"] - NETZ_RAND["b"] - 40  # the legend below
    return bereich, hoehe / (bereich[1] - bereich[0])


def label_boxen(knoten: pd.DataFrame, lagen: list[str]) -> list[tuple[float, float, float, float]]:
    """The estimated label boxes (x0, y0, x1, y1 in px, y upwards) for the given positions."""
    _, px = netz_achsen(knoten)
    breite = math.cos(math.radians(knoten["lat"].mean())) if not knoten.empty else 1.0
    richtung = {name: (dx, dy) for name, dx, dy in _LABEL_LAGEN}
    boxen = []
    for (lon, lat, formate, text), lage in zip(
            zip(knoten["lon"], knoten["lat"], knoten["formate"], _netz_texte(knoten),
                strict=True), lagen, strict=True):
        x, y = lon * px * breite, lat * px
        r = (9 + 2.5 * formate) / 2 + 2
        w, h = 0.6 * NETZ_SCHRIFT * len(text), NETZ_SCHRIFT * 1.25
        dx, dy = richtung[lage]
        cx = x + dx * (r + w / 2) * (1 if dy == 0 else 0.8)
        cy = y + dy * (r + h / 2) * (1 if dx == 0 else 0.8)
        boxen.append((cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2))
    return boxen


def _ueberlappung(a, b) -> float:
    return (max(0.0, min(a[2], b[2]) - max(a[0], b[0]))
            * max(0.0, min(a[3], b[3]) - max(a[1], b[1])))


def label_lagen(knoten: pd.DataFrame) -> list[str]:
    """A textposition per node so that no label covers another label or a marker: greedy, the
    nodes with the longest names first, the first free of eight positions around the marker
    (else the one with the least overlap)."""
    knoten = knoten.reset_index(drop=True)
    lagen = ["top center"] * len(knoten)
    if knoten.empty:
        return lagen
    _, px = netz_achsen(knoten)
    breite = math.cos(math.radians(knoten["lat"].mean()))
    marker = [(lon * px * breite - (9 + 2.5 * f) / 2, lat * px - (9 + 2.5 * f) / 2,
               lon * px * breite + (9 + 2.5 * f) / 2, lat * px + (9 + 2.5 * f) / 2)
              for lon, lat, f in zip(knoten["lon"], knoten["lat"], knoten["formate"],
                                     strict=True)]
    gesetzt: list[tuple[float, float, float, float]] = []
    reihenfolge = sorted(range(len(knoten)), key=lambda i: -len(_netz_texte(knoten)[i]))
    for i in reihenfolge:
        beste, kosten = lagen[i], None
        for name, _, _ in _LABEL_LAGEN:
            versuch = lagen.copy()
            versuch[i] = name
            box = label_boxen(knoten, versuch)[i]
            k = sum(_ueberlappung(box, g) for g in gesetzt) + sum(
                _ueberlappung(box, m) for j, m in enumerate(marker) if j != i)
            if kosten is None or k < kosten:
                beste, kosten = name, k
            if k == 0:
                break
        lagen[i] = beste
        gesetzt.append(label_boxen(knoten, lagen)[i])
    return lagen


def netzwerk_figur(knoten: pd.DataFrame, kanten: pd.DataFrame, quartal: str) -> go.Figure:
    figur = go.Figure()
    knoten = knoten.dropna(subset=["lon", "lat"]).reset_index(drop=True)
    knoten = knoten.assign(textlage=label_lagen(knoten))
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
            textposition=list(teil["textlage"]),  # placed so that no labels overlap
            textfont={"size": NETZ_SCHRIFT, "color": ACHSE_TEXT},
            marker={"size": [9 + 2.5 * f for f in teil["formate"]], "color": farbe,
                    "symbol": symbol, "line": {"color": "#1a1a1a", "width": 1}},
            customdata=[[esc(n), f] for n, f in zip(teil["name"], teil["formate"], strict=True)],
            hovertemplate="<b>%{customdata[0]}</b><br>in %{customdata[1]} laufenden Formaten"
                          "<extra></extra>"))
    breite = math.cos(math.radians(knoten["lat"].mean())) if not knoten.empty else 1.0
    figur.update_layout(
        separators=formatting.PLOTLY_TRENNZEICHEN,
        title={"text": f"Verwaltungen, verbunden durch gemeinsame Formate "
                       f"({Quartal.parse(quartal).label})"},
        height=NETZ_HOEHE, margin=NETZ_RAND, plot_bgcolor="#ffffff",
        legend={"orientation": "h", "y": -0.02, "font": {"color": ACHSE_TEXT}},
        xaxis={"visible": False, "fixedrange": False},
        yaxis={"visible": False, "scaleanchor": "x", "scaleratio": 1 / breite,
               "range": netz_achsen(knoten)[0]})
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


def netzwerk(a: Auswahl) -> None:
    """The network view: a slider for the closeness shown, the summary, the chart and its
    table twin."""
    knoten, alle_kanten = data.cached(lesen.netzwerk, a.quartal)
    hoechstens = int(alle_kanten["gemeinsame"].max()) if not alle_kanten.empty else 1
    mindestens = st.slider("Verbindungen zeigen ab … gemeinsamen Formaten", 1,
                           max(hoechstens, 2), min(3, hoechstens), key="koop_netz_min",
                           help="Voreingestellt: enge Verbindungen ab 3 gemeinsamen Formaten. "
                                "Bei 1 erscheinen auch Paare, die nur ein großes Format (z. B. "
                                "einen Zweckverband) teilen.")
    kanten = alle_kanten[alle_kanten["gemeinsame"] >= mindestens]
    st.markdown(netzwerk_text(knoten, alle_kanten, kanten, mindestens, a.label))
    st.plotly_chart(netzwerk_figur(knoten, kanten, a.quartal), key="koop_netzwerk",
                    config={"displayModeBar": False})
    st.caption("Lage der Punkte: Mitte der Gemeinden jeder Verwaltung"
               + ("" if data.gebiet().kreisfrei else " (die Kreisverwaltung nahe der Kreismitte)")
               + ". Linienstärke = Zahl gemeinsamer laufender Formate; "
               "Punktgröße = Zahl der Formate der Verwaltung; ✕ = in keinem Format.")
    with st.expander("Netzwerk als Tabelle"):
        st.dataframe(netzwerk_tabelle(alle_kanten), hide_index=True, width="stretch")
    quelle_stand()


# --- Hinweise and Bundesvergleich ---------------------------------------------------------------


def hinweise(warnungen: pd.DataFrame, a: Auswahl) -> None:
    """The warnings of the quarter by rule, and how the rules are defined."""
    if warnungen.empty:
        st.success(f"Keine Hinweise für das {a.label}.")
    for art in regeln.WARNUNG_ARTEN:
        teil = warnungen[warnungen["art"] == art]
        if teil.empty:
            continue
        st.markdown(f"**{art} ({len(teil)})**")
        st.markdown("\n".join(f"- {md(g)}" for g in teil["grund"]))
    with st.expander("So sind die Hinweise definiert"):
        st.markdown("\n".join(f"- **{md(regel)}:** {md(text)}" for regel, text in regeln.REGELN))
    quelle_stand()


def bundesvergleich(a: Auswahl) -> None:
    """The share of Verwaltungen in a regular Arbeitsgremium beside the nationwide survey."""
    st.markdown("Anteil der Verwaltungen in einem **regelmäßigen interkommunalen "
                "Arbeitsgremium zur Verwaltungsdigitalisierung**, verglichen mit der "
                "bundesweiten Befragung. Gemeinde-Werte werden mit Städten und Gemeinden "
                "verglichen" + ("." if data.gebiet().kreisfrei
                                else ", die Kreisverwaltung mit Landkreisen."))
    for vergleich in data.cached(lesen.arbeitsgremium_vergleich, a.quartal):
        with st.container(border=True):
            links, rechts = st.columns(2)
            titel = ("Verwaltungen der Gemeinden" if vergleich.ebene == "Gemeinden"
                     else "Kreisverwaltung")
            links.metric(f"{titel} im Kreis ({a.label})", vergleich.kreis_text)
            if vergleich.verwaltungen and vergleich.ebene == "Gemeinden":
                links.caption("Im Arbeitsgremium: "
                              + ", ".join(md(v) for v in vergleich.verwaltungen))
            if vergleich.bund is not None:
                rechts.metric(f"Bundesvergleich: {vergleich.bund.befragte}",
                              formatting.prozent(vergleich.bund.anteil_prozent))
                rechts.caption(vergleich.bund.beschriftung(a.quartal))
    with st.expander("Was als regelmäßiges Arbeitsgremium zählt"):
        st.markdown(md(dict(regeln.REGELN)["Regelmäßiges Arbeitsgremium"]))
    quelle_stand()


def quelle_stand() -> None:
    layout.quelle_stand(data.cached(lesen.quelle), data.cached(lesen.stand))
