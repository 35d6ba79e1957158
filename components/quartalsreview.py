"""Parts of the Quartalsreview: charts (plotly, German titles and labels), tables with German
column names, the comparison quarter and the report download."""
from __future__ import annotations

import datetime as dt

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from components import data
from components.text import md, plotly_text, tabelle_md
from kreis_data import formatting, scales
from kreis_data.quartal import Quartal

# Status colours of the roadmap. Sequential dark = further along; "verzögert" and "gestoppt"
# stand out by a dark outline / hatch pattern as well, never by colour alone.
STATUS_MUSTER = {"verzögert": "/", "gestoppt": "x"}


def slope_chart(je_merkmal: pd.DataFrame, vergleich: str, quartal: str) -> go.Figure:
    """Mean Stufe per Merkmal in B and A (Verwaltungen with a value in both)."""
    a, b = Quartal.parse(quartal).label, Quartal.parse(vergleich).label
    fig = go.Figure()
    frame = je_merkmal[(je_merkmal["art"] == "stufe") & je_merkmal["mittel_jetzt"].notna()]
    symbole = ("circle", "square", "diamond", "triangle-up", "x", "star", "cross", "hexagon")
    striche = ("solid", "dash", "dot", "dashdot")
    for i, row in enumerate(frame.itertuples()):
        # Colour, marker and dash all vary, so lines are told apart without colour.
        farbe = scales.LINIEN_FARBEN[i % len(scales.LINIEN_FARBEN)]
        text = (f"{row.merkmal}: {row.verbesserungen} Verbesserungen, "
                f"{row.rueckschritte} Rückschritte")
        fig.add_trace(go.Scatter(
            x=[b, a], y=[row.mittel_vorher, row.mittel_jetzt], mode="lines+markers",
            name=f"{row.merkmal} ({row.mittel_vorher:.1f} → {row.mittel_jetzt:.1f})".replace(
                ".", ","),
            line={"color": farbe, "width": 3, "dash": striche[i % 4]},
            marker={"size": 11, "symbol": symbole[i % len(symbole)]},
            hovertext=[text, text], hoverinfo="text"))
    fig.update_layout(
        separators=formatting.PLOTLY_TRENNZEICHEN,
        title=f"Mittlere Stufe je Merkmal: {b} → {a} (Verwaltungen mit Angabe in beiden)",
        yaxis={"title": "mittlere Stufe (0–4)", "range": [0, 4.2], "dtick": 1},
        xaxis={"title": "Quartal"}, height=480, legend={"title": "Merkmal (vorher → jetzt)"},
        margin={"l": 60, "r": 20, "t": 60, "b": 40})
    return fig


def bilanz_chart(je_merkmal: pd.DataFrame) -> go.Figure:
    """Verbesserungen (right) and Rückschritte (left) per Merkmal, with the counts as labels."""
    frame = je_merkmal.iloc[::-1]
    fig = go.Figure()
    fig.add_trace(go.Bar(y=frame["merkmal"], x=frame["verbesserungen"], orientation="h",
                         name="Verbesserungen", marker_color=scales.AKZENT_FARBE,
                         text=frame["verbesserungen"], textposition="outside"))
    fig.add_trace(go.Bar(y=frame["merkmal"], x=-frame["rueckschritte"], orientation="h",
                         name="Rückschritte", marker_color=scales.RUECKSCHRITT_FARBE,
                         marker_pattern_shape="/", text=frame["rueckschritte"],
                         textposition="outside"))
    fig.update_layout(separators=formatting.PLOTLY_TRENNZEICHEN,
                      title="Verbesserungen und Rückschritte je Merkmal (Anzahl Verwaltungen)",
                      barmode="relative", xaxis={"title": "← Rückschritte | Verbesserungen →"},
                      height=420, legend={"orientation": "h", "y": -0.2},
                      margin={"l": 10, "r": 30, "t": 60, "b": 40})
    return fig


def _mitte(q: Quartal) -> dt.date:
    return q.start + (q.ende - q.start) / 2


def roadmap(massnahmen: pd.DataFrame, quartal: str, ueberfaellig: set[int]) -> go.Figure:
    """Quarter-based roadmap: one bar per Maßnahme (start to end quarter), milestones as
    markers (filled = erledigt), overdue ones outlined and labelled, a line at quarter A."""
    fig = go.Figure()
    titel = [plotly_text(f"{t} (überfällig)" if i in ueberfaellig else t)
             for t, i in zip(massnahmen["titel"], massnahmen["id"])]
    for status in scales.MASSNAHME_STATUS:
        teil = massnahmen[massnahmen["status"] == status]
        if teil.empty:
            continue
        starts = [Quartal.parse(s).start for s in teil["start_quartal"]]
        enden = [Quartal.parse(e).ende for e in teil["end_quartal"]]
        namen = [titel[i] for i in teil.index.map(massnahmen.index.get_loc)]
        fig.add_trace(go.Bar(
            y=namen, x=[(e - s).days * 86400000 for s, e in zip(starts, enden)], base=starts,
            orientation="h", name=status,
            marker={"color": scales.MASSNAHME_STATUS_FARBEN.get(status, "#cccccc"),
                    "pattern": {"shape": STATUS_MUSTER.get(status, "")},
                    "line": {"color": [scales.UEBERFAELLIG_FARBE if i in ueberfaellig else "#333333"
                                       for i in teil["id"]],
                             "width": [4 if i in ueberfaellig else 1 for i in teil["id"]]}},
            hovertext=[f"{n}<br>{Quartal.parse(s).label} – {Quartal.parse(e).label}<br>"
                       f"Status: {status}" for n, s, e in zip(namen, teil["start_quartal"],
                                                              teil["end_quartal"])],
            hoverinfo="text"))
    xs, ys, symbole, texte = [], [], [], []
    for i, m in enumerate(massnahmen.itertuples()):
        for s in m.meilensteine:
            xs.append(_mitte(Quartal.parse(s["quartal"])))
            ys.append(titel[i])
            symbole.append("diamond" if s["erledigt"] else "diamond-open")
            texte.append(f"Meilenstein: {plotly_text(s['titel'])} "
                         f"({Quartal.parse(s['quartal']).label}, "
                         f"{'erledigt' if s['erledigt'] else 'offen'})")
    if xs:
        fig.add_trace(go.Scatter(x=xs, y=ys, mode="markers", name="Meilenstein (gefüllt = "
                                 "erledigt)", marker={"symbol": symbole, "size": 13,
                                                      "color": "#000000",
                                                      "line": {"width": 2, "color": "#000000"}},
                                 hovertext=texte, hoverinfo="text"))
    a = Quartal.parse(quartal)
    fig.add_vline(x=a.ende, line={"color": scales.UEBERFAELLIG_FARBE, "dash": "dash", "width": 2})
    fig.add_annotation(x=a.ende, y=1.02, yref="paper", text=f"Ende {a.label}",
                       showarrow=False, font={"color": scales.UEBERFAELLIG_FARBE})
    fig.update_layout(separators=formatting.PLOTLY_TRENNZEICHEN,
                      title="Roadmap der Maßnahmen (Quartale; rot umrandet = überfällig)",
                      barmode="overlay", height=140 + 42 * len(massnahmen),
                      # numeric month ticks: Plotly would write English month names ("Jan 2025")
                      xaxis={"type": "date", "title": "Zeitraum", "tickformat": "%m.%Y"},
                      yaxis={"autorange": "reversed", "title": ""},
                      legend={"orientation": "h", "y": -0.15},
                      margin={"l": 10, "r": 20, "t": 60, "b": 40})
    return fig


def _tabelle(frame: pd.DataFrame, spalten: dict[str, str], *, klein: bool = False) -> None:
    """A table with German column names, in this order; a small one (one row per Merkmal) as a
    plain HTML table – lighter for the browser than the interactive grid."""
    tabelle = formatting.fuer_leser(frame.rename(columns=spalten)[list(spalten.values())])
    if klein:  # st.table renders Markdown in its cells: dataset text is escaped
        st.table(tabelle_md(tabelle), hide_index=True)
    else:
        st.dataframe(tabelle, hide_index=True)


def merkmal_tabelle(je_merkmal: pd.DataFrame) -> None:
    _tabelle(je_merkmal, klein=True, spalten={
        "merkmal": "Merkmal", "verbesserungen": "Verbesserungen", "rueckschritte": "Rückschritte",
        "neu_erfasst": "neu erfasst", "entfallen": "Angabe entfallen",
        "unveraendert": "unverändert"})


def aenderungen_tabelle(aenderungen: pd.DataFrame, vorher: str, jetzt: str) -> None:
    _tabelle(aenderungen, {"verwaltung": "Verwaltung", "merkmal": "Merkmal",
                           "richtung": "Richtung", "alt_label": vorher, "neu_label": jetzt})


def go_live_tabelle(go_lives: pd.DataFrame) -> None:
    _tabelle(go_lives, {"verwaltung": "Verwaltung", "leistung": "Leistung",
                        "themenfeld": "Themenfeld", "status_vorher": "Status vorher"})


def kooperationen_tabelle(kooperationen: pd.DataFrame) -> None:
    _tabelle(kooperationen, {"kooperation": "Kooperation", "format": "Format",
                             "art": "Veränderung", "vorher": "vorher", "jetzt": "jetzt",
                             "start": "Start", "ende": "Ende"})


def veraltet_tabelle(veraltet: pd.DataFrame) -> None:
    _tabelle(veraltet, {"verwaltung": "Verwaltung", "neuester_stand": "Neuester Stand",
                        "bewertungen": "veraltete Werte", "grund": "Grund"})


def bericht_herunterladen(quartal: str) -> None:
    """PDF and PowerPoint of the quarterly report, built only on click."""
    from kreis_data.reports.pdf import build_pdf, pdf_hindernis
    from kreis_data.reports.pptx import build_pptx

    links, rechts = st.columns(2)
    if pdf_hindernis():
        links.info(pdf_hindernis(), icon=":material/info:")
    else:
        links.download_button(
            "PDF-Bericht (A4 quer)", data=lambda: build_pdf(data.engine(), quartal),
            icon=":material/picture_as_pdf:", file_name=f"IKZ-Quartalsbericht-{quartal}.pdf",
            mime="application/pdf", on_click="ignore")
    rechts.download_button(
        "PowerPoint-Folien", data=lambda: build_pptx(data.engine(), quartal),
        icon=":material/slideshow:", file_name=f"IKZ-Quartalsbericht-{quartal}.pptx",
        on_click="ignore",
        mime="application/vnd.openxmlformats-officedocument.presentationml.presentation")


def vergleich_waehlen(auswahl) -> str:
    """The comparison quarter, derived from the selection: by default the quarter before;
    any other quarter with Bewertungen before the selected one can be chosen."""
    optionen = sorted({auswahl.vorquartal, *(q for q in auswahl.quartale if q < auswahl.quartal)})
    return st.selectbox(
        "Verglichen mit", optionen, index=optionen.index(auswahl.vorquartal),
        format_func=lambda q: Quartal.parse(q).label, key=f"review_vergleich_{auswahl.quartal}",
        help=f"Das betrachtete Quartal ({auswahl.label}) wählen Sie in der Seitenleiste; "
             "verglichen wird standardmäßig mit dem Quartal davor.")


def quelle_bewertungen(jetzt: str, vorher: str) -> None:
    """Quelle · Stand of the review's comparison of Bewertungen."""
    demo = " – Demo-Daten (fiktiv)" if data.ist_demo() else ""
    st.caption(f"Quelle: Bewertungen der Verwaltungen (Selbstauskunft, Kreis-Erhebung u. a.)"
               f"{demo} · Stand: {jetzt} gegenüber {vorher}")


# --- Presentation mode: one screen per step (components/praesentation.py TEILE) -----------------
BILANZ_HOEHE = 470  # px: the balance chart under the four key figures
ROADMAP_HOEHE = 570  # px: the roadmap under its heading


def praesentation(d, massnahmen: pd.DataFrame) -> None:
    """The Quartalsreview on the beamer, step ?schritt= of components.praesentation: the key
    figures with the balance per Merkmal, the EfA go-lives and Kooperationen, the roadmap of the
    Maßnahmen. Tables as HTML tables (>= 20 px), charts with their own large fonts, no names of
    persons; each step fits one 1920x1080 screen."""
    from components import praesentation as praes
    from components.seiten import QUARTALSREVIEW

    teil = praes.schritt(QUARTALSREVIEW.datei)
    qa, qb = Quartal.parse(d.quartal), Quartal.parse(d.vergleich)
    if teil == "efa":
        st.subheader(f"{len(d.go_lives) or 'Keine'} neue EfA-Go-lives (live im {qa.label}, "
                     f"nicht live im {qb.label})")
        if not d.go_lives.empty:
            # (without "Status vorher": the heading says it; the room goes to the names)
            praes.tabelle(d.go_lives, {"verwaltung": "Verwaltung", "leistung": "Leistung",
                                       "themenfeld": "Themenfeld"}, rest="weitere Go-lives")
        if d.kooperationen.empty:
            st.markdown("**Kooperationen:** keine neuen, beendeten oder neu eingeordneten.")
        else:
            st.markdown(f"**Kooperationen:** {len(d.kooperationen)} Veränderungen")
            praes.tabelle(d.kooperationen, {"kooperation": "Kooperation", "format": "Format",
                                            "art": "Veränderung", "vorher": "vorher",
                                            "jetzt": "jetzt"},
                          max_zeilen=4, rest="weitere Veränderungen bei Kooperationen")
        demo = " (Demo-Daten, fiktiv)" if data.ist_demo() else ""
        st.caption(f"Quelle: EfA-Anbindungen der Verwaltungen und Kooperationsregister{demo} · "
                   f"Stand: {qa.label} gegenüber {qb.label}")
        return
    if teil == "massnahmen":
        st.subheader(f"Maßnahmen: Roadmap und Stand im {qa.label}")
        if massnahmen.empty:
            st.markdown("Noch keine Maßnahmen erfasst.")
            return
        ueberfaellig = set(d.massnahmen_ueberfaellig["massnahme_id"])
        fig = roadmap(massnahmen, d.quartal, ueberfaellig)
        fig.update_xaxes(title=None)  # the dates say it; the legend takes the room below
        praes.diagramm(fig, ROADMAP_HOEHE, legende_oben=False)
        if not d.meilensteine_ueberfaellig.empty:
            namen = sorted(set(d.meilensteine_ueberfaellig["massnahme"]))
            st.markdown(f"**Überfällige Meilensteine:** {len(d.meilensteine_ueberfaellig)} "
                        f"(Maßnahmen: {', '.join(md(name) for name in namen)})")
        demo = " (Demo-Daten, fiktiv)" if data.ist_demo() else ""
        st.caption(f"Quelle: Maßnahmenplan der Steuerungsgruppe{demo} · Stand: {qa.label}")
        return
    spalten = st.columns(4)
    spalten[0].metric("Verbesserungen", d.verbesserungen)
    spalten[1].metric("Rückschritte", d.rueckschritte)
    spalten[2].metric("Neue EfA-Go-lives", len(d.go_lives))
    spalten[3].metric("Überfällige Maßnahmen", len(d.massnahmen_ueberfaellig))
    for hinweis in d.hinweise[1:]:
        st.info(hinweis)
    st.subheader(f"Verbesserungen und Rückschritte je Merkmal: {qa.label} gegenüber {qb.label} "
                 "(Anzahl Verwaltungen)")
    if d.aenderungen.empty:
        st.markdown("Keine Veränderungen zwischen den beiden Quartalen.")
    else:
        fig = bilanz_chart(d.je_merkmal)
        for balken in fig.data:  # "0" beside an empty bar reads like a value on the beamer
            balken.text = [str(int(t)) if t else "" for t in balken.text]
        praes.diagramm(fig, BILANZ_HOEHE)
    quelle_bewertungen(qa.label, qb.label)
