"""Content of the quarterly briefing, shared by the PDF and the PowerPoint export.

`bericht(engine, quartal)` collects every section as plain text and tables (German formats);
the renderers in pdf.py and pptx.py only lay it out. A section whose analysis is not available
says so in one German line and never shows invented content.

Order (issue #15): the management summary ("Das Wichtigste in Kürze") and the decisions the
Steuerungsgruppe is asked to take come first, then one section per topic, then the annex with
every list in full – a handout never points to the app for the rest. Public handouts carry no
personal contact data: people appear with name, role and Verwaltung, never with e-mail or
telephone (`ohne_kontaktdaten` also removes both from any free text).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from types import SimpleNamespace

import pandas as pd
from sqlalchemy import Engine

from kreis_data import formatting, queries
from kreis_data.analyses import deltas as deltas_mod
from kreis_data.analyses import lagebild
from kreis_data.quartal import Quartal

DEMO_ZEILE = "Demo-Daten (fiktiv): Digitalisierungsstand und alle weiteren Fachdaten sind erfunden."
ANHANG = "Anhang"

# E-mail addresses and telephone numbers (international "+49 …" or national "05401 …" with at
# least six digits) – removed from every text of a handout. LeiKa keys (14 digits starting
# with 99), years, dates and Einwohner ("10.388") do not match.
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_TELEFON = re.compile(r"(?<![\w.])(?:\+\d{1,3}[ /-]?|0)\d{2,5}(?:[ /-]?\d){4,}(?![\w.])")
KONTAKT_ENTFERNT = "[Kontaktangabe entfernt]"


def ohne_kontaktdaten(text: str) -> str:
    """`text` with every e-mail address and telephone number replaced by a visible note."""
    return _TELEFON.sub(KONTAKT_ENTFERNT, _EMAIL.sub(KONTAKT_ENTFERNT, text))


def fuer_handout(text: str) -> str:
    """Any text as a handout shows it: no contact data, quarter codes as people read them
    ("2026-Q4" -> "4. Quartal 2026")."""
    return formatting.quartale_im_text(ohne_kontaktdaten(text))


@dataclass(frozen=True)
class Tabelle:
    spalten: list[str]
    zeilen: list[list[str]]
    breiten: list[float]  # relative column widths
    titel: str | None = None
    anhang: bool = False  # belongs in the annex whatever its length


@dataclass(frozen=True)
class Abschnitt:
    titel: str
    absaetze: list[str] = field(default_factory=list)
    tabellen: list[Tabelle] = field(default_factory=list)
    bild: bytes | None = None  # PNG
    bild_titel: str | None = None
    bild_alt: str | None = None  # text alternative of the picture (what it shows, with figures)
    punkte: list[str] = field(default_factory=list)  # a list (numbered when `nummeriert`)
    nummeriert: bool = False
    anhang: bool = False  # part of the annex (full lists)


@dataclass(frozen=True)
class Bericht:
    titel: str
    untertitel: str
    quartal: str
    stand: str  # formatted date: newest Stand of the quarter's Bewertungen
    fusszeilen: list[str]  # attributions (+ demo line)
    abschnitte: list[Abschnitt]
    demo: bool

    @property
    def hauptteil(self) -> list[Abschnitt]:
        return [a for a in self.abschnitte if not a.anhang]

    @property
    def anhang(self) -> list[Abschnitt]:
        return [a for a in self.abschnitte if a.anhang]


def _text(wert: object) -> str:
    if wert is None or (not isinstance(wert, (list, dict)) and pd.isna(wert)):
        return "–"
    return str(wert)


def _tabelle(frame: pd.DataFrame, spalten: dict[str, str], breiten: list[float],
             titel: str | None = None, anhang: bool = False) -> Tabelle:
    """Every row of `frame` (a handout lists everything; long lists go to the annex)."""
    zeilen = [[fuer_handout(_text(row[c])) for c in spalten] for _, row in frame.iterrows()]
    return Tabelle(list(spalten.values()), zeilen, breiten, titel, anhang)


def _k(text: object, zeichen: int = 120) -> str:
    """A name inside a sentence: one line, at most `zeichen` characters (cut with "…"); the
    full text is in the section's table."""
    text = " ".join(_text(text).split())
    return text if len(text) <= zeichen else text[:zeichen].rstrip() + " …"


def _liste(teile: list[str]) -> str:
    """"A, B und C"."""
    teile = [t for t in teile if t]
    return teile[0] if len(teile) == 1 else ", ".join(teile[:-1]) + " und " + teile[-1] \
        if teile else ""


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


def trend_alt(verlauf: pd.DataFrame) -> str:
    """Text alternative of the trend chart: period and first -> last value of every line."""
    erstes, letztes = (Quartal.parse(verlauf["quartal"].iloc[i]).label for i in (0, -1))
    teile = []
    for spalte in [c for c in verlauf.columns if c != "quartal"]:
        werte = [v for v in verlauf[spalte] if v is not None and v == v]
        if werte:
            einheit = " von 100" if "index" in spalte.lower() else " %"
            teile.append(f"{spalte} von {formatting.zahl(werte[0], 0)}{einheit} auf "
                         f"{formatting.zahl(werte[-1], 0)}{einheit}")
    return (f"Liniendiagramm der Kennzahlen je Quartal vom {erstes} bis zum {letztes} "
            "(Anteil der Verwaltungen der Gemeinden mit mindestens Stufe 3 bzw. mittlerer "
            "Digitalisierungsindex): " + "; ".join(teile) + ".")


def abschnitt_kennzahlen(engine: Engine, quartal: str,
                         zahlen: list[lagebild.Kennzahl]) -> Abschnitt:
    from kreis_data.reports.kartenbild import trendbild

    q = Quartal.parse(quartal)
    verlauf = trend(engine, quartal)
    zeilen = [[k.titel, k.wert, k.delta or "–", k.erlaeuterung, f"{k.quelle}; Stand {k.stand}"]
              for k in zahlen]
    mit_bild = len(verlauf) >= 2
    return Abschnitt(
        titel=f"Kennzahlen {q.label}",
        absaetze=[f"Veränderung jeweils zum {q.previous().label}. Anteile beziehen sich auf die "
                  "Verwaltungen der Gemeinden (ohne Kreisverwaltung); Zielstufe ist Stufe "
                  f"{lagebild.ZIEL_STUFE}."],
        tabellen=[Tabelle(["Kennzahl", "Wert", "Trend", "Erläuterung", "Quelle und Stand"],
                          zeilen, [2.2, 1.4, 1.6, 4.2, 3.2])],
        bild=trendbild(verlauf) if mit_bild else None,
        bild_titel="Entwicklung der Kennzahlen",
        bild_alt=trend_alt(verlauf) if mit_bild else None)


def abschnitt_karte(engine: Engine, quartal: str, merkmal_key: str | None = None) -> Abschnitt:
    from kreis_data.analyses import karte
    from kreis_data.reports.kartenbild import kartenbild

    merkmal_key = merkmal_key or karte.INDEX_KEY
    km = karte.kartenmerkmal(queries.merkmale(engine), merkmal_key)
    satz = karte.zusammenfassung(engine, quartal, merkmal_key)
    bild = kartenbild(engine, quartal, merkmal_key)
    label = Quartal.parse(quartal).label
    titel = f"Karte: {km.name}, {label}"
    if bild is None:
        return Abschnitt(titel=titel, absaetze=[
            satz, "Karte folgt, sobald Gemeindegeometrien im Arbeitsbereich vorliegen."])
    kreis = (queries.kreis(engine) or {}).get("name", "Kreis")
    anzahl = len(queries.gemeinden(engine))
    alt = (f"Karte der {formatting.anzahl(anzahl, 'Gemeinde')} im {kreis}, jede Gemeinde "
           f"eingefärbt nach {km.name} ihrer Verwaltung ({label}); dicke Linien: "
           f"Verwaltungsgrenzen, schraffiert: keine Angabe. {satz}")
    return Abschnitt(titel=titel, absaetze=[satz, "Jede Gemeinde trägt den Wert ihrer "
                                            "Verwaltung; dicke Linien: Verwaltungsgrenzen; "
                                            "schraffiert: keine Angabe."],
                     bild=bild, bild_titel=titel, bild_alt=alt)


def _sortierte_aenderungen(d: deltas_mod.Deltas) -> pd.DataFrame:
    wichtig = d.aenderungen.copy()
    # Rückschritte first: they need attention in the review.
    wichtig["_o"] = wichtig["richtung"].map({deltas_mod.RUECKSCHRITT: 0,
                                             deltas_mod.VERBESSERUNG: 1}).fillna(2)
    return wichtig.sort_values(["_o", "merkmal", "verwaltung"], kind="stable")


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
    tabellen.append(_tabelle(_sortierte_aenderungen(d),
                             {"verwaltung": "Verwaltung", "merkmal": "Merkmal",
                              "richtung": "Richtung", "alt_label": "vorher",
                              "neu_label": "jetzt"},
                             [2.4, 2.4, 1.5, 3.4, 3.4],
                             "Einzelne Veränderungen (Rückschritte zuerst)"))
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
                                 [2.5, 5, 3, 2], f"Neue Go-lives ({len(d.go_lives)})"))
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
    satz = deltas_mod.veraltet_satz(d.veraltet, d.veraltet_grenze, Quartal.parse(d.quartal).label)
    if d.veraltet.empty:
        absaetze.append(f"Veraltete Daten: {satz}")
    else:
        absaetze.append(f"Veraltete Daten ({satz}): "
                        + ", ".join(f"{r.verwaltung} ({r.grund})"
                                    for r in d.veraltet.itertuples()) + ".")
    return Abschnitt(titel="EfA-Go-lives, Kooperationen, Kontakte und Datenstand",
                     absaetze=[ohne_kontaktdaten(a) for a in absaetze], tabellen=tabellen)


def efa_chancen(engine: Engine, quartal: str) -> pd.DataFrame | str:
    """The EfA chances, or a German sentence why there are none."""
    try:
        from kreis_data.efa import lesen as efa
        frame = efa.chancen(engine, quartal)
    except (ImportError, AttributeError) as error:  # analysis not built in this installation
        return f"Abschnitt folgt, sobald die EfA-Auswertung verfügbar ist ({error})."
    if frame.empty:
        return ("Keine Nachnutzungs-Chancen: keine Leistung ist bei einer Verwaltung live, die "
                "bei einer anderen zuständigen Verwaltung fehlt (oder es sind keine Anbindungen "
                "erfasst).")
    return frame


def abschnitt_efa_chancen(chancen: pd.DataFrame | str, anzahl: int = 6) -> Abschnitt:
    titel = "Größte Chancen der EfA-Nachnutzung"
    if isinstance(chancen, str):
        return Abschnitt(titel=titel, absaetze=[chancen])
    frame = chancen.head(anzahl).copy()
    frame["score_text"] = [formatting.zahl(s, 1) for s in frame["score"]]
    # Name of the person at the model Verwaltung only: no e-mail, no telephone in a handout.
    frame["vorbild"] = [f"{a} ({p})" if isinstance(p, str) and p else a
                        for a, p in zip(frame["adopter"], frame["ansprechperson"])]
    return Abschnitt(
        titel=titel,
        absaetze=[f"Die {len(frame)} Chancen mit dem höchsten Punktwert (live bei Nachbarn, "
                  "viele Nachnutzer, Einwohner, gleiches Portal) von insgesamt "
                  f"{len(chancen)}. Der Anruf bei der Vorbild-Verwaltung ist der erste Schritt; "
                  "ihre Kontaktdaten stehen für angemeldete Nutzer im IKZ-Monitor."],
        tabellen=[_tabelle(frame, {"verwaltung": "Verwaltung", "leistung": "Leistung",
                                   "vorbild": "Vorbild (Ansprechperson)",
                                   "begruendung": "Begründung", "score_text": "Punkte"},
                           [2.0, 3.0, 2.8, 5.0, 1.1])])


def standardisierung(engine: Engine):
    """(StandardAuswertung, Konsolidierungs-Cluster, already shared services) or a German
    sentence why the analysis is missing."""
    try:
        from kreis_data.software import lesen as std
        from kreis_data.software import regeln as std_regeln
        einsatz = std.load_einsatz(engine)
        # only what the report shows (the page's Auswertung also builds the Domänen overview)
        matrix = std_regeln.standard_matrix(std.load_standards(engine),
                                            queries.verwaltungen(engine))
        auswertung = SimpleNamespace(luecken=std_regeln.standard_luecken(matrix),
                                     kreis_luecken=std_regeln.kreis_luecken(matrix))
        return (auswertung, std.cluster(einsatz, std.load_kooperationen(engine)),
                std_regeln.gemeinsam_betrieben(einsatz))
    except (ImportError, AttributeError) as error:
        return f"Abschnitt folgt, sobald die Standardisierungs-Auswertung verfügbar ist ({error})."


def abschnitt_standardisierung(daten) -> Abschnitt:
    titel = "Hinweise zur Standardisierung"
    if isinstance(daten, str):
        return Abschnitt(titel=titel, absaetze=[daten])
    auswertung, cluster, geteilt = daten
    absaetze = ["Standards gelten je Ebene: XPersonenstand verbindet Standesämter; die "
                "Kreisverwaltung hat keins und ist dort nicht zuständig."]
    tabellen = []
    if auswertung.luecken.empty:
        absaetze.insert(0, "Keine Lücken: alle Verwaltungen mit Angabe unterstützen die "
                           "erfassten Standards.")
    else:
        luecken = auswertung.luecken.copy()
        luecken["einwohner_text"] = [formatting.zahl(e) for e in luecken["einwohner"]]
        tabellen.append(_tabelle(luecken, {
            "standard": "Standard", "verwaltungen": "ohne Unterstützung (Verwaltungen)",
            "einwohner_text": "Einwohner dieser Verwaltungen", "unbekannt": "unbekannt",
            "namen": "Verwaltungen ohne Unterstützung"}, [1.6, 1.8, 1.8, 1.3, 6.5],
            "Lücken bei den Standards (Verwaltungen der Gemeinden, nach betroffenen Einwohnern)"))
    if auswertung.kreis_luecken:
        absaetze.append("Die Kreisverwaltung unterstützt nicht: "
                        + ", ".join(auswertung.kreis_luecken) + ".")
    if not cluster.empty:
        cluster = cluster.copy()
        formate = [[f for f in k.split("; ") if f] for k in cluster["kooperationen"]]
        cluster["koop"] = [f"{len(f)}, am breitesten: {f[0]}" if f else "kein gemeinsames Format"
                           for f in formate]
        cluster["koop_alle"] = [", ".join(f) or "kein gemeinsames Format" for f in formate]
        tabellen.append(_tabelle(cluster, {"domaene": "Domäne", "produkt": "Produkt",
                                           "verwaltungen": "Verwaltungen",
                                           "vorschlag": "Vorschlag",
                                           "koop": "Gemeinsame Formate (laufende Kooperationen)"},
                                 [2.4, 2.4, 1.6, 2.6, 4.6], "Konsolidierungs-Cluster "
                                 "(gleiches Produkt, mindestens zwei Verwaltungen, noch nicht "
                                 "gemeinsam betrieben)"))
        tabellen.append(_tabelle(cluster, {"produkt": "Produkt", "domaene": "Domäne",
                                           "koop_alle": "Alle gemeinsamen Formate (Mitglieder "
                                                        "aus dem Cluster)"},
                                 [2, 2.4, 9], "Konsolidierungs-Cluster: alle gemeinsamen Formate",
                                 anhang=True))
    if not geteilt.empty:
        tabellen.append(_tabelle(geteilt, {"produkt": "Produkt", "domaene": "Domäne",
                                           "betreiber": "betrieben von",
                                           "verwaltungen": "Verwaltungen"},
                                 [3, 3, 4, 1.6], "Bereits gemeinsam betrieben – kein "
                                 "Konsolidierungs-Cluster"))
    return Abschnitt(titel=titel, absaetze=absaetze, tabellen=tabellen)


def massnahmen_frame(engine: Engine, d: deltas_mod.Deltas) -> pd.DataFrame:
    """Every Maßnahme, what needs a decision first: overdue, delayed, running, planned,
    stopped, done."""
    frame = deltas_mod.massnahmen(engine)
    if frame.empty:
        return frame
    frame = frame.copy()
    ueberfaellig = set(d.massnahmen_ueberfaellig["massnahme_id"])
    frame["zeitraum"] = [f"{Quartal.parse(s).label} – {Quartal.parse(e).label}"
                         for s, e in zip(frame["start_quartal"], frame["end_quartal"])]
    frame["ueberfaellig"] = [i in ueberfaellig for i in frame["id"]]
    frame["status_text"] = [f"{s} (überfällig)" if u else s
                            for s, u in zip(frame["status"], frame["ueberfaellig"])]
    frame["grund"] = frame["status_begruendung"].fillna("–")
    ordnung = {"verzögert": 1, "in Umsetzung": 2, "geplant": 3, "gestoppt": 4,
               "abgeschlossen": 5}
    frame["_o"] = [0 if u else ordnung.get(s, 6)
                   for s, u in zip(frame["status"], frame["ueberfaellig"])]
    return frame.sort_values(["_o", "start_quartal"], kind="stable")


def abschnitt_massnahmen(frame: pd.DataFrame, d: deltas_mod.Deltas) -> Abschnitt:
    if frame.empty:
        return Abschnitt(titel="Maßnahmen", absaetze=["Noch keine Maßnahmen erfasst."])
    zaehlung = frame["status"].value_counts()
    absaetze = [f"Alle {len(frame)} Maßnahmen. Status: "
                + ", ".join(f"{n} {s}" for s, n in zaehlung.items()) + "."]
    if not d.meilensteine_ueberfaellig.empty:
        absaetze.append("Überfällige Meilensteine: " + "; ".join(
            f"{_k(r.meilenstein)} ({_k(r.massnahme)}, fällig {Quartal.parse(r.quartal).label})"
            for r in d.meilensteine_ueberfaellig.itertuples()) + ".")
    if not d.offene_aufgaben.empty:
        absaetze.append(f"{len(d.offene_aufgaben)} offene Aufgaben aus früheren Sitzungen: "
                        + "; ".join(f"{_k(r.titel)} ({_k(r.verantwortlich)}, fällig "
                                    f"{Quartal.parse(r.faellig_quartal).label})"
                                    for r in d.offene_aufgaben.itertuples()) + ".")
    tabelle = _tabelle(frame, {"titel": "Maßnahme", "verantwortlich": "Verantwortlich",
                               "prioritaet": "Priorität", "zeitraum": "Zeitraum",
                               "status_text": "Status", "grund": "Begründung"},
                       [3.4, 2.6, 1.5, 2.6, 1.9, 3.4])
    return Abschnitt(titel="Maßnahmen: Status und Zeitplan",
                     absaetze=[ohne_kontaktdaten(a) for a in absaetze], tabellen=[tabelle])


# --- Summary and proposed decisions --------------------------------------------------------------
def abschnitt_zusammenfassung(q: Quartal, d: deltas_mod.Deltas, zahlen: list[lagebild.Kennzahl],
                              chancen, standards, massnahmen: pd.DataFrame) -> Abschnitt:
    punkte = []
    mit_trend = [k for k in zahlen if k.delta_wert is not None] or zahlen
    werte = [f"{k.titel} {k.wert}" + (f" ({k.delta})" if k.delta else "") for k in mit_trend]
    if werte:
        punkte.append(f"Kennzahlen {q.label} (Veränderung zum {q.previous().label}): "
                      + "; ".join(werte) + ".")
    punkte.append(f"Seit dem {Quartal.parse(d.vergleich).label}: {d.verbesserungen} "
                  f"Verbesserungen, {d.rueckschritte} Rückschritte, {len(d.go_lives)} neue "
                  "EfA-Go-lives.")
    if not massnahmen.empty:
        zaehlung = massnahmen["status"].value_counts()
        text = (f"{len(massnahmen)} Maßnahmen: "
                + ", ".join(f"{n} {s}" for s, n in zaehlung.items()))
        ueber = massnahmen[massnahmen["ueberfaellig"]]
        if not ueber.empty:
            text += "; überfällig: " + _liste([f"„{_k(t)}“" for t in ueber["titel"]])
        punkte.append(text + ".")
    if isinstance(chancen, pd.DataFrame) and not chancen.empty:
        c = chancen.iloc[0]
        punkte.append(f"Größte EfA-Chance: {c['leistung']} in {c['verwaltung']} (Vorbild "
                      f"{c['adopter']}); insgesamt {len(chancen)} Nachnutzungs-Chancen.")
    if not isinstance(standards, str) and not standards[0].luecken.empty:
        punkte.append(f"Größte Standard-Lücke: {standards[0].luecken['text'].iloc[0]}.")
    if not d.fehlende_kontakte.empty:
        punkte.append("Ohne benannte Ansprechperson: "
                      + _liste(list(d.fehlende_kontakte["verwaltung"])) + ".")
    if not d.veraltet.empty:
        punkte.append(f"Veraltete Angaben bei {formatting.anzahl(len(d.veraltet), 'Verwaltung')}.")
    return Abschnitt(titel="Das Wichtigste in Kürze",
                     punkte=[ohne_kontaktdaten(p) for p in punkte])


def beschlussvorschlaege(d: deltas_mod.Deltas, chancen, standards,
                         massnahmen: pd.DataFrame) -> list[str]:
    """What the Steuerungsgruppe is asked to decide, derived from the data; delays first."""
    punkte = []
    for m in massnahmen.itertuples() if not massnahmen.empty else []:
        if m.ueberfaellig or m.status == "verzögert":
            wie = "überfällig" if m.ueberfaellig else "verzögert"
            punkte.append(f"Maßnahme „{_k(m.titel)}“ ({wie}, verantwortlich {_k(m.verantwortlich)}): "
                          "neuen Zieltermin und Abhilfe beschließen.")
    for r in d.meilensteine_ueberfaellig.itertuples():
        punkte.append(f"Meilenstein „{_k(r.meilenstein)}“ der Maßnahme „{_k(r.massnahme)}“ (fällig "
                      f"{Quartal.parse(r.quartal).label}) neu terminieren.")
    for r in d.offene_aufgaben.itertuples():
        punkte.append(f"Offene Aufgabe „{_k(r.titel)}“ ({_k(r.verantwortlich)}, fällig "
                      f"{Quartal.parse(r.faellig_quartal).label}) abschließen oder neu "
                      "terminieren.")
    rueck = d.aenderungen[d.aenderungen["richtung"] == deltas_mod.RUECKSCHRITT]
    if not rueck.empty:
        punkte.append("Rückschritte mit den Verwaltungen klären: " + _liste(
            [f"{r.verwaltung} bei {r.merkmal}" for r in rueck.itertuples()]) + ".")
    if not d.fehlende_kontakte.empty:
        punkte.append(_liste(list(d.fehlende_kontakte["verwaltung"])) + " bitten, eine "
                      "Ansprechperson (Digitalisierungsbeauftragte*r) zu benennen.")
    if isinstance(chancen, pd.DataFrame):
        for c in chancen.head(3).itertuples():
            punkte.append(f"Nachnutzung anstoßen: {c.leistung} in {c.verwaltung} (Vorbild "
                          f"{c.adopter}).")
    if not isinstance(standards, str):
        auswertung, cluster, _ = standards
        for c in cluster.head(2).itertuples():
            punkte.append(f"{c.vorschlag[0].upper()}{c.vorschlag[1:]} für {c.produkt} "
                          f"({c.domaene}, {formatting.anzahl(c.verwaltungen, 'Verwaltung')}) "
                          "prüfen lassen.")
        if not auswertung.luecken.empty:
            luecke = auswertung.luecken.iloc[0]
            punkte.append(f"Umstellungsplan für {luecke['standard']} bei den "
                          f"{formatting.anzahl(int(luecke['verwaltungen']), 'Verwaltung')} ohne "
                          "Unterstützung anfordern.")
    if not d.veraltet.empty:
        punkte.append("Aktualisierung der Angaben anfordern: "
                      + _liste(list(d.veraltet["verwaltung"])) + ".")
    return [ohne_kontaktdaten(p) for p in punkte]


# --- Annex -------------------------------------------------------------------------------------
MAX_ZEILEN_HAUPTTEIL = 12  # a longer table moves to the annex, in full


def mit_anhang(abschnitte: list[Abschnitt]) -> list[Abschnitt]:
    """Sections as they are, except that every table longer than MAX_ZEILEN_HAUPTTEIL rows
    moves – complete – into an annex section at the end; the section names where it is."""
    haupt, anhang = [], []
    for a in abschnitte:
        bleiben, verweise = [], []
        for tabelle in a.tabellen:
            if not tabelle.anhang and (len(tabelle.zeilen) <= MAX_ZEILEN_HAUPTTEIL
                                       or a.titel.startswith("Maßnahmen")):
                bleiben.append(tabelle)
                continue
            buchstabe = chr(ord("A") + len(anhang))
            name = tabelle.titel or a.titel
            anhang.append(Abschnitt(titel=f"{ANHANG} {buchstabe}: {name}",
                                    absaetze=[f"Vollständige Liste zum Abschnitt „{a.titel}“ "
                                              f"({len(tabelle.zeilen)} Einträge)."],
                                    tabellen=[tabelle], anhang=True))
            verweise.append(f"{name}: alle {len(tabelle.zeilen)} Einträge in {ANHANG} "
                            f"{buchstabe}.")
        haupt.append(Abschnitt(a.titel, a.absaetze + verweise, bleiben, a.bild, a.bild_titel,
                               a.bild_alt, a.punkte, a.nummeriert, a.anhang))
    return haupt + anhang


def bericht(engine: Engine, quartal: str, merkmal_key: str | None = None) -> Bericht:
    q = Quartal.parse(quartal)
    kreis = queries.kreis(engine) or {"name": "Kreis"}
    d = deltas_mod.deltas(engine, str(q))
    zahlen = lagebild.kennzahlen(engine, str(q))
    chancen = efa_chancen(engine, str(q))
    standards = standardisierung(engine)
    massnahmen = massnahmen_frame(engine, d)
    vorschlaege = beschlussvorschlaege(d, chancen, standards, massnahmen)
    abschnitte = [
        abschnitt_zusammenfassung(q, d, zahlen, chancen, standards, massnahmen),
        Abschnitt(titel="Beschlussvorschläge für die Steuerungsgruppe",
                  absaetze=["Aus den Daten abgeleitet, Terminverzug zuerst; die "
                            "Steuerungsgruppe entscheidet."] if vorschlaege else [
                      "Keine Beschlüsse nötig: nichts ist verzögert oder überfällig."],
                  punkte=vorschlaege, nummeriert=True),
        abschnitt_kennzahlen(engine, str(q), zahlen),
        abschnitt_karte(engine, str(q), merkmal_key),
        abschnitt_veraenderungen(engine, str(q), d),
        abschnitt_efa_kooperation(engine, str(q), d),
        abschnitt_efa_chancen(chancen),
        abschnitt_standardisierung(standards),
        abschnitt_massnahmen(massnahmen, d),
    ]
    demo = queries.ist_demo(engine)
    return Bericht(
        titel=f"Digitalisierung im {kreis['name']}",
        untertitel=f"Quartalsbericht {q.label} – IKZ-Monitor"
                   + (" – Demo-Daten (fiktiv)" if demo else ""),
        quartal=str(q), stand=bericht_stand(engine, str(q)), fusszeilen=fusszeilen(engine),
        abschnitte=mit_anhang(abschnitte), demo=demo)
