"""Building blocks of the Standardisierung page: the key figures and products of a Domäne with
their chart, Insellösungen and Konsolidierungs-Cluster, the users of a product on the map, the
standards (gaps, matrix, shares) and the national reference. Rules and texts come from
``kreis_data.software``; every user and dataset text is escaped; tables are downloaded through
``components.download``.
"""
from __future__ import annotations

import datetime as dt
import html

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from components import data, layout
from components.auswahl_karte import auswahl_karte
from components.download import tabelle_herunterladen
from components.legend import legende_html
from components.text import md, tabelle_md
from kreis_data import formatting, scales
from kreis_data.software import lesen, regeln
from kreis_data.software.lesen import DomaenenAuswertung, StandardAuswertung

# Cell colours of the standards matrix: the ends of the Stufen scale, "unbekannt" grey.
WERT_KLASSE = {"ja": 4, "nein": 0, "unbekannt": None}
OHNE_LEISTE = {"displayModeBar": False}


def zelle_stil(wert: str) -> str:
    klasse = WERT_KLASSE.get(wert)
    return f"background-color: {scales.farbe(klasse)}; color: {scales.textfarbe(klasse)}"


def balken(y: list[str], x: list[float], texte: list[str], hover: list[str], titel: str,
           x_titel: str, y_titel: str) -> go.Figure:
    """Horizontal bars; `y` and `hover` may hold user text (escaped here)."""
    figur = go.Figure(go.Bar(
        x=x, y=[html.escape(t) for t in y], orientation="h", text=texte, textposition="outside",
        cliponaxis=False, marker_color=scales.AKZENT_FARBE,
        customdata=[html.escape(t) for t in hover], hovertemplate="%{customdata}<extra></extra>"))
    figur.update_layout(
        title=titel, separators=formatting.PLOTLY_TRENNZEICHEN, height=max(220, 60 + 38 * len(y)),
        margin={"l": 10, "r": 40, "t": 50, "b": 40}, showlegend=False,
        xaxis={"title": x_titel, "rangemode": "tozero"},
        yaxis={"title": y_titel, "autorange": "reversed"})
    return figur


# --- Products of a Domäne -----------------------------------------------------------------------
def grad_erklaerung(grad: float | None) -> str:
    """One line that says what the Vereinheitlichungsgrad means, and what this value means."""
    if grad is None:
        return "Vereinheitlichungsgrad: ohne Produktangaben nicht berechenbar."
    lage = ("alle nutzen dasselbe Produkt" if grad >= 0.99 else
            "weitgehend einheitlich" if grad >= 0.6 else
            "teils einheitlich, teils verschieden" if grad >= 0.3 else
            "eher zersplittert: mehrere Produkte nebeneinander" if grad >= 0.1 else
            "stark zersplittert: fast jede Verwaltung ein anderes Produkt")
    return (f"Vereinheitlichungsgrad {formatting.zahl(grad, 2)} = {lage}. Skala 0 bis 1: "
            "1 = alle Verwaltungen nutzen dasselbe Produkt, 0 = gleichmäßig auf die Produkte "
            "verteilt (normierter Herfindahl-Index).")


def kennzahlen(auswertung: DomaenenAuswertung, quelle: str, stand: str) -> None:
    """Four metrics and the notes on the Kreisverwaltung and the Verwaltungen without entry."""
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
    st.caption(grad_erklaerung(grad))
    layout.quelle_stand(quelle, stand)
    hinweise = []
    if auswertung.kreis_produkt:
        hinweise.append(f"Die Kreisverwaltung nutzt **{md(auswertung.kreis_produkt)}** "
                        "(nicht mitgezählt).")
    elif data.gebiet().hat_kreisverwaltung:
        hinweise.append("Für die Kreisverwaltung ist in dieser Domäne kein Produkt erfasst.")
    if auswertung.ohne_angabe:
        hinweise.append(f"Ohne Angabe ({len(auswertung.ohne_angabe)}): "
                        f"{md(', '.join(auswertung.ohne_angabe))}.")
    st.markdown(" ".join(hinweise))


def produkte(auswertung: DomaenenAuswertung, quelle: str, stand: str) -> None:
    """The products of the Domäne as a table (with download) and as bars."""
    produkte_, domaene = auswertung.produkte, auswertung.domaene
    if produkte_.empty:
        st.info(f"In der Domäne {domaene} sind noch keine Produkte erfasst.")
        return
    tabelle = pd.DataFrame({
        "Produkt": produkte_["produkt"],
        "Hersteller": produkte_["hersteller"].fillna("–"),
        "Verwaltungen": produkte_["verwaltungen"],
        "Einwohner": produkte_["einwohner"].map(formatting.zahl),
        "Anteil der Verwaltungen": produkte_["anteil"].map(formatting.prozent),
        "Kreisverwaltung": produkte_["kreisverwaltung"].map({True: "nutzt es", False: "–"}),
        "Genutzt von": produkte_["namen"],
    })
    if not data.gebiet().hat_kreisverwaltung:
        tabelle = tabelle.drop(columns="Kreisverwaltung")
    st.dataframe(tabelle, hide_index=True, width="stretch",
                 column_config={"Genutzt von": st.column_config.TextColumn(width="large")})
    layout.quelle_stand(quelle, stand)
    tabelle_herunterladen(tabelle, f"Produkte {domaene}", quelle=quelle, stand=stand,
                          key="dl_produkte")
    genutzt = produkte_[produkte_["verwaltungen"] > 0]
    st.plotly_chart(balken(
        y=[p + (" (Insellösung)" if i else "") for p, i in
           zip(genutzt["produkt"], genutzt["insel"], strict=True)],
        x=list(genutzt["verwaltungen"]), texte=[str(v) for v in genutzt["verwaltungen"]],
        hover=[f"{p}: {v} Verwaltungen, {formatting.zahl(e)} Einwohner" for p, v, e in
               zip(genutzt["produkt"], genutzt["verwaltungen"], genutzt["einwohner"],
                   strict=True)],
        titel=f"Verwaltungen je Produkt – {domaene}", x_titel="Anzahl Verwaltungen",
        y_titel="Produkt"), config=OHNE_LEISTE)


def insel_loesungen(auswertung: DomaenenAuswertung) -> None:
    inseln = auswertung.insel_loesungen
    if inseln.empty:
        st.markdown("Keine Insellösung: jedes Produkt wird von mindestens zwei Verwaltungen "
                    "genutzt.")
        return
    st.markdown("\n".join(
        f"- **{md(row.produkt)}** – nur {md(row.verwaltung)} "
        f"({formatting.zahl(row.einwohner)} Einwohner)"
        + (" · die Kreisverwaltung nutzt es ebenfalls" if row.kreisverwaltung else "")
        for row in inseln.itertuples()))


def cluster(auswertung: DomaenenAuswertung, quelle: str, stand: str) -> None:
    """One box per cluster with its suggestion and the Kooperationen its users share."""
    cluster_ = auswertung.cluster
    if cluster_.empty:
        st.markdown("Kein Produkt wird von mehreren Verwaltungen genutzt.")
        return
    for row in cluster_.itertuples():
        with st.container(border=True):
            st.markdown(f"**{md(row.produkt)}** – {row.verwaltungen} Verwaltungen, "
                        f"{formatting.zahl(row.einwohner)} Einwohner  \n"
                        f"Vorschlag: **{row.vorschlag}**. {md(row.begruendung)}")
            st.caption(f"Verwaltungen: {md(row.namen)}")
            if row.ohne_gemeinsames_format:
                st.warning("Kein gemeinsames Kooperationsformat – diese Verwaltungen arbeiten "
                           "noch nirgends zusammen: starker Hinweis auf ungenutztes Potenzial.",
                           icon=":material/priority_high:")
            else:
                text = f"Bereits gemeinsam in: {md(row.kooperationen)}."
                if row.ohne_verbindung:
                    text += (" Noch ohne gemeinsames Format mit den anderen: "
                             f"{md(row.ohne_verbindung)}.")
                st.markdown(text)
    tabelle_herunterladen(cluster_.drop(columns=["verwaltung_keys", "domaene"]).rename(columns={
        "produkt": "Produkt", "verwaltungen": "Verwaltungen", "einwohner": "Einwohner",
        "namen": "Verwaltungen (Namen)", "kreisverwaltung": "Kreisverwaltung nutzt es",
        "vorschlag": "Vorschlag", "begruendung": "Begründung",
        "kooperationen": "Gemeinsame Kooperationen",
        "ohne_gemeinsames_format": "ohne gemeinsames Format",
        "ohne_verbindung": "ohne Verbindung"}), f"Konsolidierungs-Cluster {auswertung.domaene}",
        quelle=quelle, stand=stand, key="dl_cluster")


def nutzer_karte(auswertung: DomaenenAuswertung, quelle: str, stand: str) -> None:
    """A product of the Domäne (selectbox) and its users on the map, with the table twin."""
    produkte_ = auswertung.produkte
    if produkte_.empty:
        st.info(f"In der Domäne {auswertung.domaene} sind noch keine Produkte erfasst.")
        return
    produkt = st.selectbox("Produkt", list(produkte_["produkt"]),
                           key=f"karte_produkt_{auswertung.domaene}")
    zeile = produkte_[produkte_["produkt"] == produkt].iloc[0]
    nutzer = list(zeile["verwaltung_keys"])
    if zeile["kreisverwaltung"]:
        nutzer += list(data.verwaltungen().query("kreisverwaltung")["key"])
    tabelle = auswahl_karte(nutzer, key="standardisierung_karte",
                            label_ausgewaehlt=f"nutzt {produkt}",
                            label_andere="anderes Produkt oder keine Angabe")
    tabelle_herunterladen(tabelle, f"Nutzer von {produkt} ({auswertung.domaene})",
                          quelle=quelle, stand=stand, key="dl_karte")
    layout.quelle_stand(quelle, stand)
    st.caption("  \n".join(a for a in layout.attributions() if "Verwaltungsgrenzen" in a))


# --- Standards -----------------------------------------------------------------------------------
def luecken(standards: StandardAuswertung, quelle: str, stand: str) -> None:
    """The gaps ranked by affected Einwohner, and those of the Kreisverwaltung."""
    if standards.luecken.empty:
        st.markdown("Keine Verwaltung hat einen Standard ausdrücklich nicht unterstützt.")
    else:  # rule texts (standard names and numbers), no user text
        st.markdown("\n".join(f"{i}. {text}"
                              for i, text in enumerate(standards.luecken["text"], start=1)))
    if standards.kreis_luecken:
        st.markdown("Die Kreisverwaltung unterstützt nicht: "
                    f"{', '.join(standards.kreis_luecken)}.")
    layout.quelle_stand(quelle, stand)


def matrix(standards: StandardAuswertung, quelle: str, stand: str) -> None:
    """Verwaltung x Standard, coloured ja / nein / unbekannt, with legend and download."""
    anzeige = standards.matrix.reset_index()[
        ["verwaltung", "einwohner", *scales.STANDARDS]].rename(
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
    tabelle_herunterladen(anzeige, "Standards je Verwaltung", quelle=quelle, stand=stand,
                          key="dl_matrix")


def anteile(standards: StandardAuswertung, quelle: str, stand: str) -> None:
    """Share of the Verwaltungen supporting each standard: bars and table side by side; the
    gaps as a table below."""
    anteile_ = standards.anteile
    links, rechts = st.columns(2, gap="large")
    with links:
        st.plotly_chart(balken(
            y=list(anteile_["standard"]), x=[round(a, 1) for a in anteile_["anteil_ja"]],
            texte=[formatting.prozent(a) for a in anteile_["anteil_ja"]],
            hover=[f"{r.standard}: {r.ja} von {r.gesamt} Verwaltungen unterstützen ihn, "
                   f"{r.nein} nicht, {r.unbekannt} unbekannt" for r in anteile_.itertuples()],
            titel="Anteil der Verwaltungen mit Unterstützung",
            x_titel="Anteil der Verwaltungen (%)", y_titel="Standard"), config=OHNE_LEISTE)
    with rechts:
        tabelle = pd.DataFrame({
            "Standard": anteile_["standard"], "ja": anteile_["ja"], "nein": anteile_["nein"],
            "unbekannt": anteile_["unbekannt"],
            "Anteil ja": anteile_["anteil_ja"].map(formatting.prozent),
            "Einwohner mit Unterstützung": anteile_["anteil_einwohner_ja"].map(
                formatting.prozent),
            "Kreisverwaltung": anteile_["kreisverwaltung"].fillna("–")})
        if not data.gebiet().hat_kreisverwaltung:
            tabelle = tabelle.drop(columns="Kreisverwaltung")
        st.dataframe(tabelle, hide_index=True, width="stretch")
        layout.quelle_stand(quelle, stand)
        tabelle_herunterladen(tabelle, "Unterstützung der Standards", quelle=quelle,
                              stand=stand, key="dl_anteile")
    if standards.luecken.empty:
        return
    tabelle = standards.luecken.drop(columns=["text"]).rename(columns={
        "standard": "Standard", "verwaltungen": "Verwaltungen ohne Unterstützung",
        "einwohner": "Einwohner dieser Verwaltungen", "namen": "Verwaltungen (Namen)",
        "unbekannt": "Verwaltungen mit unbekannter Unterstützung",
        "einwohner_unbekannt": "Einwohner (unbekannt)"})
    with st.expander("Lücken als Tabelle"):
        st.dataframe(tabelle, hide_index=True, width="stretch")
        tabelle_herunterladen(tabelle, "Lücken bei den Standards", quelle=quelle, stand=stand,
                              key="dl_luecken")


def bundesvergleich(standards: StandardAuswertung, quelle: str, stand: str) -> None:
    """The national survey next to the comparable figures of this Kreis."""
    referenz = standards.referenz
    tabelle = pd.DataFrame({
        "Bereich": referenz["bereich"],
        "Landkreise mit Standardisierungsbedarf (bundesweit)": referenz["bundesweit"].map(
            formatting.prozent),
        "Vergleichbare Kennzahlen im Kreis": referenz["kreis"],
        "Erhebung": referenz["erhebung"],
        "Hinweis": referenz["hinweis"]})
    st.table(tabelle_md(tabelle.set_index("Bereich")))
    st.caption("Vereinheitlichungsgrad: 0 bis 1 – 1 = alle Verwaltungen nutzen dasselbe "
               "Produkt, 0 = gleichmäßig auf die Produkte verteilt (normierter "
               "Herfindahl-Index).")
    historisch = any(r.historisch(dt.date.today())
                     for r in lesen.referenz_standardisierungsbedarf())
    st.caption(f"Quelle: {regeln.REFERENZ_LABEL}"
               + (" · historischer Wert (älter als drei Jahre)" if historisch else "")
               + f" · Kreis: {quelle}, Stand {stand}")
    tabelle_herunterladen(tabelle, "Bundesvergleich Standardisierung",
                          quelle=f"{regeln.REFERENZ_LABEL}; Kreis: {quelle}", stand=stand,
                          key="dl_referenz")
