"""Content of the quarterly briefing, shared by the PDF and the PowerPoint export.

`bericht(engine, quartal)` collects every section as plain text and tables (German formats);
the renderers in pdf.py and pptx.py only lay it out. A section whose analysis is not available
says so in one German line and never shows invented content.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd
from sqlalchemy import Engine

from kreis_data import formatting, queries
from kreis_data.analyses import deltas as deltas_mod
from kreis_data.analyses import lagebild
from kreis_data.quartal import Quartal

DEMO_ZEILE = "Demo-Daten (fiktiv): Digitalisierungsstand und alle weiteren Fachdaten sind erfunden."
MAX_ZEILEN = 12  # rows per table, so every section fits one page / slide


@dataclass(frozen=True)
class Tabelle:
    spalten: list[str]
    zeilen: list[list[str]]
    breiten: list[float]  # relative column widths
    titel: str | None = None
    weitere: int = 0  # rows left out (shown as "… und n weitere")


@dataclass(frozen=True)
class Abschnitt:
    titel: str
    absaetze: list[str] = field(default_factory=list)
    tabellen: list[Tabelle] = field(default_factory=list)
    bild: bytes | None = None  # PNG
    bild_titel: str | None = None


@dataclass(frozen=True)
class Bericht:
    titel: str
    untertitel: str
    quartal: str
    stand: str  # formatted date: newest Stand of the quarter's Bewertungen
    fusszeilen: list[str]  # attributions (+ demo line)
    abschnitte: list[Abschnitt]
    demo: bool


def _text(wert: object) -> str:
    if wert is None or (not isinstance(wert, (list, dict)) and pd.isna(wert)):
        return "–"
    return str(wert)


def _tabelle(frame: pd.DataFrame, spalten: dict[str, str], breiten: list[float],
             titel: str | None = None, max_zeilen: int = MAX_ZEILEN) -> Tabelle:
    zeilen = [[_text(row[c]) for c in spalten] for _, row in frame.head(max_zeilen).iterrows()]
    return Tabelle(list(spalten.values()), zeilen, breiten, titel,
                   max(len(frame) - max_zeilen, 0))


def _kurz(liste: str, anzahl: int = 2) -> str:
    """First `anzahl` entries of a "; "-separated list, with the number of the rest."""
    teile = [t for t in liste.split("; ") if t]
    text = "; ".join(teile[:anzahl])
    return text + (f" und {len(teile) - anzahl} weitere" if len(teile) > anzahl else "")


def fusszeilen(engine: Engine) -> list[str]:
    meta = queries.meta(engine)
    zeilen = [q["attribution"] for q in meta.get("quellen", []) if q.get("attribution")]
    if meta.get("demo"):
        zeilen.append(DEMO_ZEILE)
    return zeilen


def bericht_stand(engine: Engine, quartal: str) -> str:
    stand = queries.bewertungen(engine, quartal)["stand"].dropna()
    return formatting.datum(stand.max() if not stand.empty else Quartal.parse(quartal).ende)


# --- Sections ------------------------------------------------------------------------------------
def trend(engine: Engine, quartal: str, anzahl: int = 8) -> pd.DataFrame:
    """Per quarter up to A (at most `anzahl`): share of Gemeinde-level Verwaltungen at Stufe >= 3
    for each Pflicht-Merkmal (percent) and the mean Digitalisierungsindex; one column per
    Merkmal name plus "Digitalisierungsindex (Mittel)"."""
    from kreis_data import scales
    from kreis_data.bewertungen.regeln import digitalisierungsindex

    alle = [x for x in queries.quartale(engine) if x <= str(Quartal.parse(quartal))][-anzahl:]
    verwaltungen = queries.verwaltungen(engine)
    keys = list(verwaltungen.loc[~verwaltungen["kreisverwaltung"], "key"])
    merkmale = queries.merkmale(engine)
    namen = {m.key: m.name for m in merkmale}
    bewertungen = queries.bewertungen(engine, alle)
    index = digitalisierungsindex(bewertungen[bewertungen["verwaltung_key"].isin(keys)],
                                  merkmale).groupby("quartal")["index"].mean()
    rows = []
    for q in alle:
        teil = bewertungen[bewertungen["quartal"] == q]
        row = {"quartal": q}
        for key in scales.PFLICHT_MERKMALE:
            treffer, _, gesamt = lagebild.anteil_ab_stufe(teil, key, keys)
            row[namen.get(key, key)] = 100 * treffer / gesamt if gesamt else None
        row["Digitalisierungsindex (Mittel)"] = index.get(q)
        rows.append(row)
    return pd.DataFrame(rows)


def abschnitt_kennzahlen(engine: Engine, quartal: str) -> Abschnitt:
    from kreis_data.reports.kartenbild import trendbild

    q = Quartal.parse(quartal)
    zahlen = lagebild.kennzahlen(engine, quartal)
    verlauf = trend(engine, quartal)
    zeilen = [[k.titel, k.wert, k.delta or "–", k.erlaeuterung, f"{k.quelle}; Stand {k.stand}"]
              for k in zahlen]
    return Abschnitt(
        titel=f"Kennzahlen {q.label}",
        absaetze=[f"Veränderung jeweils zum {q.previous().label}. Anteile beziehen sich auf die "
                  "Verwaltungen der Gemeinden (ohne Kreisverwaltung); Zielstufe ist Stufe "
                  f"{lagebild.ZIEL_STUFE}."],
        tabellen=[Tabelle(["Kennzahl", "Wert", "Trend", "Erläuterung", "Quelle und Stand"],
                          zeilen, [2.2, 1.4, 1.6, 4.2, 3.2])],
        bild=trendbild(verlauf) if len(verlauf) >= 2 else None,
        bild_titel="Entwicklung der Kennzahlen")


def abschnitt_karte(engine: Engine, quartal: str, merkmal_key: str | None = None) -> Abschnitt:
    from kreis_data.analyses import karte
    from kreis_data.reports.kartenbild import kartenbild

    merkmal_key = merkmal_key or karte.INDEX_KEY
    km = karte.kartenmerkmal(queries.merkmale(engine), merkmal_key)
    satz = karte.zusammenfassung(engine, quartal, merkmal_key)
    bild = kartenbild(engine, quartal, merkmal_key)
    titel = f"Karte: {km.name}, {Quartal.parse(quartal).label}"
    if bild is None:
        return Abschnitt(titel=titel, absaetze=[
            satz, "Karte folgt, sobald Gemeindegeometrien im Arbeitsbereich vorliegen."])
    return Abschnitt(titel=titel, absaetze=[satz, "Jede Gemeinde trägt den Wert ihrer "
                                            "Verwaltung; dicke Linien: Verwaltungsgrenzen; "
                                            "schraffiert: keine Angabe."],
                     bild=bild, bild_titel=titel)


def abschnitt_veraenderungen(engine: Engine, quartal: str, d: deltas_mod.Deltas) -> Abschnitt:
    qa, qb = Quartal.parse(d.quartal), Quartal.parse(d.vergleich)
    absaetze = [f"{qa.label} im Vergleich zum {qb.label}: {d.verbesserungen} Verbesserungen und "
                f"{d.rueckschritte} Rückschritte über alle Merkmale und Verwaltungen; "
                f"{len(d.go_lives)} neue EfA-Go-lives."]
    absaetze += d.hinweise[1:]
    je = d.je_merkmal[(d.je_merkmal[["verbesserungen", "rueckschritte", "neu_erfasst",
                                     "entfallen"]].sum(axis=1) > 0)]
    tabellen = [_tabelle(je, {"merkmal": "Merkmal", "verbesserungen": "Verbesserungen",
                              "rueckschritte": "Rückschritte", "neu_erfasst": "neu erfasst",
                              "entfallen": "Angabe entfallen", "unveraendert": "unverändert"},
                         [3.5, 1.6, 1.6, 1.6, 1.6, 1.6], "Veränderungen je Merkmal")]
    wichtig = d.aenderungen.copy()
    # Rückschritte first: they need attention in the review.
    wichtig["_o"] = wichtig["richtung"].map({deltas_mod.RUECKSCHRITT: 0,
                                             deltas_mod.VERBESSERUNG: 1}).fillna(2)
    wichtig = wichtig.sort_values(["_o", "merkmal", "verwaltung"], kind="stable")
    tabellen.append(_tabelle(wichtig, {"verwaltung": "Verwaltung", "merkmal": "Merkmal",
                                       "richtung": "Richtung", "alt_label": "vorher",
                                       "neu_label": "jetzt"},
                             [2.4, 2.4, 1.5, 3.4, 3.4], "Einzelne Veränderungen (Rückschritte zuerst)", 8))
    return Abschnitt(titel="Was hat sich verändert?", absaetze=absaetze, tabellen=tabellen)


def abschnitt_efa_kooperation(engine: Engine, quartal: str, d: deltas_mod.Deltas) -> Abschnitt:
    tabellen = []
    absaetze = []
    if d.go_lives.empty:
        absaetze.append("Keine neuen EfA-Go-lives in diesem Quartal.")
    else:
        tabellen.append(_tabelle(d.go_lives, {"verwaltung": "Verwaltung", "leistung": "Leistung",
                                              "themenfeld": "Themenfeld",
                                              "status_vorher": "Status vorher"},
                                 [2.5, 5, 3, 2], f"Neue Go-lives ({len(d.go_lives)})", 8))
    if d.kooperationen.empty:
        absaetze.append("Keine neuen, beendeten oder neu eingeordneten Kooperationen.")
    else:
        tabellen.append(_tabelle(d.kooperationen, {"kooperation": "Kooperation",
                                                   "format": "Format", "art": "Veränderung",
                                                   "vorher": "vorher", "jetzt": "jetzt"},
                                 [4, 2.5, 2, 2, 2], "Kooperationen"))
    if d.fehlende_kontakte.empty:
        absaetze.append("Alle Verwaltungen haben eine benannte Ansprechperson.")
    else:
        absaetze.append("Ohne benannte Ansprechperson (Digitalisierungsbeauftragte*r): "
                        + ", ".join(d.fehlende_kontakte["verwaltung"]) + ". "
                        + deltas_mod.KONTAKT_HINWEIS)
    grenze = formatting.datum(d.veraltet_grenze)
    if d.veraltet.empty:
        absaetze.append(f"Veraltete Daten: keine – alle Verwaltungen haben Angaben mit Stand ab "
                        f"dem {grenze}.")
    else:
        absaetze.append(f"Veraltete Daten (neuester Stand vor dem {grenze} oder ohne Angaben): "
                        + ", ".join(f"{r.verwaltung} ({r.grund})"
                                    for r in d.veraltet.itertuples()) + ".")
    return Abschnitt(titel="EfA-Go-lives, Kooperationen, Kontakte und Datenstand",
                     absaetze=absaetze, tabellen=tabellen)


def abschnitt_efa_chancen(engine: Engine, quartal: str, anzahl: int = 6) -> Abschnitt:
    titel = "Größte Chancen der EfA-Nachnutzung"
    try:
        from kreis_data.efa import lesen as efa
        frame = efa.chancen(engine, quartal)
    except (ImportError, AttributeError) as error:  # analysis not built in this installation
        return Abschnitt(titel=titel, absaetze=[
            f"Abschnitt folgt, sobald die EfA-Auswertung verfügbar ist ({error})."])
    if frame.empty:
        return Abschnitt(titel=titel, absaetze=[
            "Keine Nachnutzungs-Chancen: keine Leistung ist bei einer Verwaltung live, die bei "
            "einer anderen zuständigen Verwaltung fehlt (oder es sind keine Anbindungen "
            "erfasst)."])
    frame = frame.head(anzahl).copy()
    frame["score_text"] = [formatting.zahl(s, 1) for s in frame["score"]]
    return Abschnitt(
        titel=titel,
        absaetze=[f"Die {len(frame)} Chancen mit dem höchsten Punktwert (live bei Nachbarn, "
                  "viele Nachnutzer, Einwohner, gleiches Portal). Der Anruf bei der genannten "
                  "Verwaltung ist der erste Schritt."],
        tabellen=[_tabelle(frame, {"verwaltung": "Verwaltung", "leistung": "Leistung",
                                   "adopter": "Vorbild", "kontakt": "Ansprechperson",
                                   "begruendung": "Begründung", "score_text": "Punkte"},
                           [1.8, 2.8, 1.8, 2.6, 4.4, 1.1])])


def abschnitt_standardisierung(engine: Engine) -> Abschnitt:
    titel = "Hinweise zur Standardisierung"
    try:
        from kreis_data.software import lesen as std
        auswertung = std.standard_auswertung(engine)
        cluster = std.cluster(std.load_einsatz(engine), std.load_kooperationen(engine))
    except (ImportError, AttributeError) as error:
        return Abschnitt(titel=titel, absaetze=[
            f"Abschnitt folgt, sobald die Standardisierungs-Auswertung verfügbar ist ({error})."])
    absaetze = list(auswertung.luecken["text"].head(5)) or [
        "Keine Lücken: alle Verwaltungen mit Angabe unterstützen die erfassten Standards."]
    if auswertung.kreis_luecken:
        absaetze.append("Die Kreisverwaltung unterstützt nicht: "
                        + ", ".join(auswertung.kreis_luecken) + ".")
    tabellen = []
    if not cluster.empty:
        cluster = cluster.copy()
        cluster["koop"] = [_kurz(k) if k else "kein gemeinsames Format"
                           for k in cluster["kooperationen"]]
        tabellen.append(_tabelle(cluster, {"domaene": "Domäne", "produkt": "Produkt",
                                           "verwaltungen": "Verwaltungen",
                                           "vorschlag": "Vorschlag", "koop": "Gemeinsames Format"},
                                 [2.4, 2.4, 1.3, 2.6, 4], "Konsolidierungs-Cluster "
                                 "(gleiches Produkt, mindestens zwei Verwaltungen)", 5))
    return Abschnitt(titel=titel, absaetze=absaetze, tabellen=tabellen)


def abschnitt_massnahmen(engine: Engine, quartal: str, d: deltas_mod.Deltas) -> Abschnitt:
    frame = deltas_mod.massnahmen(engine)
    if frame.empty:
        return Abschnitt(titel="Maßnahmen", absaetze=["Noch keine Maßnahmen erfasst."])
    frame = frame.copy()
    ueberfaellig = set(d.massnahmen_ueberfaellig["massnahme_id"])
    frame["zeitraum"] = [f"{Quartal.parse(s).label} – {Quartal.parse(e).label}"
                         for s, e in zip(frame["start_quartal"], frame["end_quartal"])]
    frame["status_text"] = [f"{s} (überfällig)" if i in ueberfaellig else s
                            for s, i in zip(frame["status"], frame["id"])]
    frame["grund"] = frame["status_begruendung"].fillna("–")
    # What needs a decision first: overdue, delayed, running, planned, stopped, done.
    ordnung = {"verzögert": 1, "in Umsetzung": 2, "geplant": 3, "gestoppt": 4,
               "abgeschlossen": 5}
    frame["_o"] = [0 if i in ueberfaellig else ordnung.get(s, 6)
                   for s, i in zip(frame["status"], frame["id"])]
    frame = frame.sort_values(["_o", "start_quartal"], kind="stable")
    zaehlung = frame["status"].value_counts()
    absaetze = ["Status: " + ", ".join(f"{n} {s}" for s, n in zaehlung.items()) + "."]
    if not d.meilensteine_ueberfaellig.empty:
        absaetze.append("Überfällige Meilensteine: " + "; ".join(
            f"{r.meilenstein} ({r.massnahme}, fällig {Quartal.parse(r.quartal).label})"
            for r in d.meilensteine_ueberfaellig.itertuples()) + ".")
    if not d.offene_aufgaben.empty:
        absaetze.append(f"{len(d.offene_aufgaben)} offene Aufgaben aus früheren Sitzungen: "
                        + "; ".join(f"{r.titel} ({r.verantwortlich}, fällig "
                                    f"{Quartal.parse(r.faellig_quartal).label})"
                                    for r in d.offene_aufgaben.head(4).itertuples()) + ".")
    return Abschnitt(
        titel="Maßnahmen: Status und Zeitplan", absaetze=absaetze,
        tabellen=[_tabelle(frame, {"titel": "Maßnahme", "verantwortlich": "Verantwortlich",
                                   "prioritaet": "Priorität", "zeitraum": "Zeitraum",
                                   "status_text": "Status", "grund": "Begründung"},
                           [3.4, 2.6, 1.1, 2.6, 1.6, 3.2], None, 8)])


def bericht(engine: Engine, quartal: str, merkmal_key: str | None = None) -> Bericht:
    q = Quartal.parse(quartal)
    kreis = queries.kreis(engine) or {"name": "Kreis"}
    d = deltas_mod.deltas(engine, str(q))
    abschnitte = [
        abschnitt_kennzahlen(engine, str(q)),
        abschnitt_karte(engine, str(q), merkmal_key),
        abschnitt_veraenderungen(engine, str(q), d),
        abschnitt_efa_kooperation(engine, str(q), d),
        abschnitt_efa_chancen(engine, str(q)),
        abschnitt_standardisierung(engine),
        abschnitt_massnahmen(engine, str(q), d),
    ]
    demo = queries.ist_demo(engine)
    return Bericht(
        titel=f"Digitalisierung im {kreis['name']}",
        untertitel=f"Quartalsbericht {q.label} – IKZ-Monitor"
                   + (" – Demo-Daten (fiktiv)" if demo else ""),
        quartal=str(q), stand=bericht_stand(engine, str(q)), fusszeilen=fusszeilen(engine),
        abschnitte=abschnitte, demo=demo)
