"""Building blocks of the Verwaltung Steckbrief (and the short profile beside the map):
Stufe chips, contact, Merkmal table, history chart, neighbour matrix, Bundesvergleich bars.
Colours and labels come from kreis_data.scales; every user text goes through components.text.
"""
from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from components import data, layout
from components.kontakte import hinweis as kontakt_hinweis
from components.kontakte import kontakt_sichtbar
from components.legend import keine_angabe_css
from components.seiten import VERWALTUNG
from components.text import html_text, mailto_md, md, tabelle_md, tel_md
from kreis_data import bundesvergleich, formatting, scales
from kreis_data.analyses import karte as karten_analyse
from kreis_data.analyses import nachbarvergleich, steckbrief
from kreis_data.bewertungen import regeln as bewertungs_regeln
from kreis_data.quartal import Quartal


def verwaltung_label(zeile: pd.Series | dict) -> str:
    """"Artland (Samtgemeinde)"; the Kreisverwaltung's name already says what it is."""
    if zeile["typ"] == "Kreisverwaltung" or zeile["typ"] in str(zeile["name"]):
        return str(zeile["name"])
    return f"{zeile['name']} ({zeile['typ']})"


def chip_html(label: str, klasse: int | None) -> str:
    """A coloured chip with the label as text (colour never alone)."""
    stil = (keine_angabe_css() + f"; color: {scales.KEINE_ANGABE_TEXTFARBE}" if klasse is None
            else f"background: {scales.farbe(klasse)}; color: {scales.textfarbe(klasse)}")
    return (f'<span style="{stil}; border: 1px solid #555; border-radius: .8em; '
            f'padding: .05em .6em; display: inline-block">'
            f'{html_text(label)}</span>')


def merkmal_klasse(merkmal_art: str, stufe: int | None) -> int | None:
    """Colour class of a value (ja/nein use the ends of the scale, as on the map)."""
    if stufe is None:
        return None
    return karten_analyse.JA_NEIN_KLASSEN[stufe] if merkmal_art == "ja_nein" else stufe


def person_md(person: steckbrief.Ansprechperson) -> str:
    """ "**Name**, Rolle" and – only where kontakt_sichtbar() – e-mail and phone as links."""
    text = f"**{md(person.name)}**, {md(person.rolle)}"
    if kontakt_sichtbar():
        wege = [mailto_md(person.email) if person.email else None,
                tel_md(person.telefon) if person.telefon else None]
        if any(wege):
            text += "  \n" + " · ".join(w for w in wege if w)
    return text


def kontakt(verwaltung_key: str, *, mit_hinweis: bool = True) -> None:
    """The named contact(s), or the visible gap; e-mail and phone only for signed-in users."""
    personen = data.cached(steckbrief.ansprechpersonen, verwaltung_key)
    if not personen:
        st.warning("Keine Ansprechperson benannt – für diese Verwaltung ist keine Person als "
                   "Digitalisierungsbeauftragte\\*r hinterlegt.",
                   icon=":material/person_off:")
        return
    for person in personen:
        st.markdown(person_md(person))
    if mit_hinweis:
        kontakt_hinweis()


def kurzprofil(verwaltung_key: str | None, quartal: str, merkmal_key: str) -> None:
    """Short profile of the selected Verwaltung beside the map, with a link to its Steckbrief."""
    if verwaltung_key is None:
        st.markdown("Klicken Sie auf eine Gemeinde, um das Kurzprofil ihrer Verwaltung zu sehen.")
        return
    verwaltungen = data.verwaltungen().set_index("key")
    if verwaltung_key not in verwaltungen.index:
        return
    zeile = verwaltungen.loc[verwaltung_key]
    st.markdown(f"#### {md(zeile['name'])}")
    mitglieder = data.cached(steckbrief.mitglieder, verwaltung_key)
    st.markdown(f"{zeile['typ']} · {formatting.zahl(int(zeile['einwohner']))} Einwohner  \n"
                f"Gemeinden: {md(', '.join(mitglieder['name']))}")
    werte = data.cached(karten_analyse.verwaltungs_werte, quartal, merkmal_key).set_index(
        "verwaltung_key")
    if verwaltung_key in werte.index:
        wert = werte.loc[verwaltung_key]
        klasse = None if pd.isna(wert["klasse"]) else int(wert["klasse"])
        name = karten_analyse.kartenmerkmal(data.merkmale(), merkmal_key).name
        st.markdown(f"{html_text(name)}: {chip_html(wert['label'], klasse)}",
                    unsafe_allow_html=True)
    kontakt(verwaltung_key)
    st.page_link(VERWALTUNG.datei, label="Steckbrief öffnen", icon=":material/description:",
                 query_params={"verwaltung": verwaltung_key})


def _text(wert: object) -> str:
    return wert if isinstance(wert, str) else ""


def merkmal_tabelle(werte: pd.DataFrame) -> None:
    """All Merkmale with chip, Stand, Quelle and Bemerkung (HTML table with text labels)."""
    zeilen = []
    for row in werte.itertuples():
        stufe = None if pd.isna(row.stufe) else int(row.stufe)
        zeilen.append(
            f"<tr><th scope='row' style='text-align:left;font-weight:normal'>"
            f"{html_text(row.merkmal)}</th>"
            f"<td>{chip_html(row.label, merkmal_klasse(row.art, stufe))}</td>"
            f"<td>{formatting.datum(row.stand)}</td>"
            f"<td>{html_text(_text(row.quelle) or '–')}</td>"
            f"<td>{html_text(_text(row.bemerkung))}</td></tr>")
    st.markdown(
        "<table style='width:100%'><thead><tr><th scope='col'>Merkmal</th>"
        "<th scope='col'>Stufe</th><th scope='col'>Stand</th><th scope='col'>Quelle</th>"
        f"<th scope='col'>Bemerkung</th></tr></thead><tbody>{''.join(zeilen)}</tbody></table>",
        unsafe_allow_html=True)


def verlauf_chart(verlauf: pd.DataFrame) -> None:
    """History as one heatmap trace (Merkmal x Quartal, integer Stufe, stepped colours)."""
    if verlauf.empty:
        st.info("Für diese Verwaltung liegen noch keine Bewertungen vor.")
        return
    tabelle = verlauf.pivot_table(index="merkmal", columns="quartal", values="stufe",
                                  aggfunc="first", sort=False, dropna=False)
    quartale = sorted(tabelle.columns)
    merkmale = list(dict.fromkeys(verlauf["merkmal"]))
    tabelle = tabelle.reindex(index=merkmale, columns=quartale)
    z = tabelle.astype("float").to_numpy()
    text = [["–" if pd.isna(v) else str(int(v)) for v in reihe] for reihe in z]
    n = len(scales.STUFEN_FARBEN)
    farben = []
    for i, farbe in enumerate(scales.STUFEN_FARBEN):  # stepped: each Stufe one flat band
        farben += [[i / n, farbe], [(i + 1) / n, farbe]]
    figur = go.Figure(go.Heatmap(
        z=z, x=[Quartal.parse(q).label for q in quartale], y=merkmale, text=text,
        texttemplate="%{text}", zmin=-0.5, zmax=n - 0.5, colorscale=farben, xgap=2, ygap=2,
        hovertemplate="%{y}<br>%{x}: Stufe %{text}<extra></extra>",
        colorbar={"title": {"text": "Stufe"}, "tickvals": list(range(n)),
                  "ticktext": [str(s) for s in range(n)]}))
    figur.update_layout(
        separators=formatting.PLOTLY_TRENNZEICHEN,
        title={"text": "Stufen je Quartal (– = keine Angabe)"}, height=90 + 32 * len(merkmale),
        margin={"l": 10, "r": 10, "t": 40, "b": 10}, plot_bgcolor=scales.KEINE_ANGABE_FARBE,
        xaxis={"title": {"text": "Quartal"}}, yaxis={"title": {"text": "Merkmal"},
                                                     "autorange": "reversed"})
    st.plotly_chart(figur, width="stretch", config={"displayModeBar": False})


def nachbar_matrix(stufen: pd.DataFrame) -> None:
    """The neighbour comparison as a coloured table (chips with the Stufe number; full
    labels in the twin table below)."""
    merkmale = {m.key: m for m in data.merkmale()}
    namen = data.verwaltungen().set_index("key")["name"]
    kopf = "".join(f"<th scope='col'>{html_text(str(namen.get(k, k)))}</th>"
                   for k in stufen.columns)
    zeilen = []
    for key, reihe in stufen.iterrows():
        merkmal = merkmale[key]
        zellen = []
        for wert in reihe:
            stufe = None if pd.isna(wert) else int(wert)
            kurz = "–" if stufe is None else (merkmal.label(stufe) if merkmal.art == "ja_nein"
                                              else str(stufe))
            zellen.append(f"<td title='{html_text(merkmal.kurzlabel(stufe))}'>"
                          f"{chip_html(kurz, merkmal_klasse(merkmal.art, stufe))}</td>")
        zeilen.append(f"<tr><th scope='row' style='text-align:left;font-weight:normal'>"
                      f"{html_text(merkmal.name)}</th>{''.join(zellen)}</tr>")
    st.markdown(f"<table style='width:100%'><thead><tr><th scope='col'>Merkmal</th>{kopf}"
                f"</tr></thead><tbody>{''.join(zeilen)}</tbody></table>",
                unsafe_allow_html=True)


def _balken(anteile: list[tuple[int | None, float, str]], markierung: int | None,
            beschreibung: str) -> str:
    """A 100 % stacked bar with Stufe colours and a ▲ under the own Stufe."""
    teile, links, marker_links = [], 0.0, None
    for stufe, prozent, titel in anteile:
        stil = (keine_angabe_css() if stufe is None
                else f"background:{scales.farbe(stufe)};color:{scales.textfarbe(stufe)}")
        text = formatting.prozent(prozent) if prozent >= 9 else ""
        teile.append(f"<span title='{html_text(titel)}: {formatting.prozent(prozent)}' "
                     f"style='{stil};flex:none;width:{prozent:.2f}%;height:1.6em;"
                     f"line-height:1.6em;text-align:center;font-size:.85em;overflow:hidden'>"
                     f"{text}</span>")
        if stufe == markierung and stufe is not None:
            marker_links = links + prozent / 2
        links += prozent
    marker = ("" if marker_links is None else
              f"<div aria-hidden='true' style='position:relative;height:1em'>"
              f"<span style='position:absolute;left:calc({marker_links:.2f}% - .5em)'>▲</span>"
              f"</div>")
    return (f"<div role='img' aria-label='{html_text(beschreibung)}' "
            f"style='border:1px solid #555;display:flex;overflow:hidden'>"
            f"{''.join(teile)}</div>{marker}")


def _verteilung_text(anteile: list[tuple[int | None, float, str]]) -> str:
    """Plain text of a distribution (escaped once where it is used: _balken's aria-label)."""
    return "; ".join(f"{'keine Angabe' if s is None else f'Stufe {s}'} "
                     f"({t}): {formatting.prozent(p)}" for s, p, t in anteile)


def bundesvergleich_block(verwaltung_key: str, quartal: str) -> None:
    """Per Merkmal: the Kreis distribution (Gemeinde level) and the national distribution, with
    the own Stufe marked; each labelled with source, date, befragte, n, historisch."""
    vergleiche = data.cached(bundesvergleich.vergleiche_fuer, verwaltung_key, quartal)
    if not vergleiche:
        st.info("Für die Merkmale dieser Verwaltung gibt es keine bundesweiten Vergleichswerte.")
        return
    stichtag = Quartal.parse(quartal).ende
    for vergleich in vergleiche:
        merkmal = vergleich.merkmal
        eigene = merkmal.kurzlabel(vergleich.eigene_stufe)
        st.markdown(f"**{html_text(merkmal.name)}** – diese Verwaltung: "
                    f"{chip_html(eigene, vergleich.eigene_stufe)}", unsafe_allow_html=True)
        if vergleich.kreis is not None:
            anteile = [(s, p, merkmal.label(s)) for s, p in vergleich.kreis.items()]
            beschreibung = (f"Im Kreis ({formatting.anzahl(vergleich.kreis_anzahl, 'Verwaltung')}): "
                            f"{_verteilung_text(anteile)}")
            st.markdown(f"Im Kreis ({formatting.anzahl(vergleich.kreis_anzahl, 'Verwaltung')}, "
                        f"{Quartal.parse(quartal).label})"
                        + _balken(anteile, vergleich.eigene_stufe, beschreibung),
                        unsafe_allow_html=True)
        for verteilung in vergleich.national:
            anteile = [(s, p, t) for s, p, t in verteilung.anteile]
            rest = 100 - sum(p for _, p, _ in anteile)
            if rest > 0.5:
                anteile.append((None, rest, "ohne Zuordnung"))
            titel = f"Bundesweit: {verteilung.befragte}"
            if vergleich.andere_ebene:
                titel += " (andere Verwaltungsebene, nur eingeschränkt vergleichbar)"
            markierung = (vergleich.eigene_stufe if not vergleich.andere_ebene
                          or vergleich.kreis is None else None)
            st.markdown(f"{html_text(titel)}"
                        + _balken(anteile, markierung, f"{titel}: {_verteilung_text(anteile)}"),
                        unsafe_allow_html=True)
            hinweis = f" · Hinweis: {md(verteilung.hinweis)}" if verteilung.hinweis else ""
            st.caption(md(verteilung.beschriftung(stichtag)) + hinweis)
    st.caption("▲ markiert die Stufe dieser Verwaltung.")


INDEX_ERKLAERUNG = ("Digitalisierungsindex: gewichtetes Mittel der bewerteten Stufen-Merkmale "
                    "(Stufe 0 = 0, Stufe 4 = 100 Punkte) – 0 bis 100, höher ist weiter; "
                    "unbewertete Merkmale zählen nicht mit (daher die Abdeckung).")


def index_zeile(text: str) -> None:
    """The Digitalisierungsindex of a Verwaltung with its one-line explanation."""
    st.markdown(f"**{md(text)}**", help=INDEX_ERKLAERUNG)
    st.caption(INDEX_ERKLAERUNG)


def quelle_bewertungen(werte: pd.DataFrame) -> None:
    layout.quelle_stand(*bewertungs_regeln.quelle_und_stand(werte["quelle"], werte["stand"],
                                                            data.ist_demo()))


def _einwohner_quelle() -> tuple[str, str]:
    quelle = next((q for q in data.meta().get("quellen", []) if "Destatis" in q.get("name", "")
                   or "Destatis" in q.get("herausgeber", "")), {})
    return ("Statistisches Bundesamt (Destatis), Gemeindeverzeichnis",
            quelle.get("stand", "unbekannt"))


def gebiet(zeile: pd.Series) -> None:
    """Members with Einwohner (German format), or the Kreis's whole population."""
    einwohner = formatting.zahl(int(zeile["einwohner"]))
    if zeile["kreisverwaltung"]:
        st.markdown(f"Zuständig für den ganzen Kreis: **{einwohner} Einwohner**.")
    else:
        mitglieder = data.cached(steckbrief.mitglieder, zeile["key"])
        art = "Gemeinde" if len(mitglieder) == 1 else "Mitgliedsgemeinden"
        st.markdown(f"{zeile['typ']} mit {len(mitglieder)} {art}, zusammen "
                    f"**{einwohner} Einwohner**.")
        st.dataframe(pd.DataFrame({"Gemeinde": mitglieder["name"],
                                   "Bezeichnung": mitglieder["bezeichnung"],
                                   "Einwohner": mitglieder["einwohner"].map(formatting.zahl)}),
                     hide_index=True, width="stretch")
    layout.quelle_stand(*_einwohner_quelle())


def _tabelle(frame: pd.DataFrame, spalten: dict[str, str], leer: str) -> None:
    if frame.empty:
        st.markdown(leer)
    else:
        st.dataframe(formatting.fuer_leser(frame.rename(columns=spalten)[list(spalten.values())]),
                     hide_index=True, width="stretch")


def software_kooperationen_efa(verwaltung_key: str, quartal: str) -> None:
    """Products per Domäne, Kooperationen and live EfA connections, one tab each."""
    produkte, kooperationen, efa = st.tabs([
        "Produkte je Domäne", "Kooperationen",
        f"Live angebundene EfA-Onlinedienste ({Quartal.parse(quartal).label})"])
    with produkte:
        _tabelle(data.cached(steckbrief.produkte, verwaltung_key),
                 {"domaene": "Domäne", "produkt": "Produkt", "hersteller": "Hersteller"},
                 "Keine Produkte erfasst.")
    with kooperationen:
        _tabelle(data.cached(steckbrief.kooperationen, verwaltung_key),
                 {"name": "Kooperation", "format": "Format", "status": "Status",
                  "rolle": "Rolle"}, "In keinem Kooperationsformat Mitglied.")
    with efa:
        _tabelle(data.cached(steckbrief.live_anbindungen, verwaltung_key, quartal),
                 {"leistung": "Leistung", "efa_dienst": "EfA-Onlinedienst",
                  "themenfeld": "Themenfeld", "live_seit": "live seit"},
                 "Keine EfA-Leistung live angebunden.")


def _weiter_text(merkmal, wert: int, eigene: int) -> str:
    if merkmal.art == "ja_nein":
        return f"{merkmal.name} („{merkmal.label(wert)}“)"
    return f"{merkmal.name} ({nachbarvergleich.stufen_text(wert - eigene)})"


def wer_kann_helfen(zeile: pd.Series, quartal: str) -> None:
    """Neighbours that are further, one box each: in which Merkmale, and whom to call there
    (name and role; e-mail and phone only where kontakt_sichtbar())."""
    st.markdown("**Wer kann helfen?**")
    if zeile["kreisverwaltung"]:
        st.markdown("Die Kreisverwaltung hat keine Nachbarn auf der Gemeindekarte – Hilfe "
                    "finden Sie bei den EfA-Nachnutzern und in den Kooperationen.")
        return
    stufen, _ = data.cached(nachbarvergleich.vergleich, zeile["key"], quartal, False)
    merkmale = {m.key: m for m in data.merkmale()}
    namen = data.verwaltungen().set_index("key")["name"]
    eigene = stufen[zeile["key"]]
    helfer = []
    for nachbar in stufen.columns[1:]:
        weiter = [_weiter_text(merkmale[m], int(w), int(eigene[m]))
                  for m, w in stufen[nachbar].items() if not pd.isna(w) and not pd.isna(eigene[m]) and w > eigene[m]]
        if weiter:
            helfer.append((len(weiter), str(namen.get(nachbar, nachbar)), nachbar, weiter))
    if not helfer:
        st.markdown("Bei keinem Merkmal ist eine Nachbarverwaltung weiter."
                    if len(stufen.columns) > 1 else "Für diese Verwaltung sind keine Nachbarn "
                    "erfasst.")
        return
    for _, name, nachbar, weiter in sorted(helfer, key=lambda h: (-h[0], h[1].lower())):
        with st.container(border=True):
            st.markdown(f"**{md(name)}** ist weiter bei: {md(', '.join(weiter))}")
            personen = data.cached(steckbrief.ansprechpersonen, nachbar)
            st.markdown("  \n".join(person_md(p) for p in personen) if personen
                        else "Keine Ansprechperson benannt – bitte die Verwaltung direkt "
                             "anfragen.")
    kontakt_hinweis()


def nachbarvergleich_block(zeile: pd.Series, quartal: str) -> None:
    """Matrix of the Verwaltung and its neighbours (coloured, with table twin) and the
    "… ist bei … weiter – Ansprechperson" lines."""
    if zeile["kreisverwaltung"]:
        st.markdown("Die Kreisverwaltung ist keine Fläche auf der Gemeindekarte und hat daher "
                    "keine Nachbarn; sie wird im Bundesvergleich mit anderen Landkreisen "
                    "verglichen.")
        return
    stufen, hinweise = data.cached(nachbarvergleich.vergleich, zeile["key"], quartal,
                                   kontakt_sichtbar())
    if len(stufen.columns) == 1:
        st.markdown("Für diese Verwaltung sind keine Nachbarn erfasst.")
        return
    st.markdown(f"{md(verwaltung_label(zeile))} und ihre {len(stufen.columns) - 1} "
                f"Nachbarverwaltungen im {Quartal.parse(quartal).label}:")
    nachbar_matrix(stufen)
    with st.expander("Als Tabelle"):  # st.table: an HTML table, every cell escaped
        st.table(tabelle_md(nachbarvergleich.matrix_tabelle(stufen, data.merkmale(),
                                                            data.verwaltungen())))
    with st.expander("Alle Hinweise einzeln"):
        if hinweise:
            st.markdown("\n".join(f"- {md(h)}" for h in hinweise))
        else:
            st.markdown("Bei keinem Merkmal ist eine Nachbarverwaltung weiter.")
