"""Key figures of the Lagebild: structure, E-Akte / Portal / Strategie shares, mean index."""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
from sqlalchemy import Engine

from kreis_data import formatting, queries, scales
from kreis_data.bewertungen import regeln
from kreis_data.bewertungen.regeln import digitalisierungsindex
from kreis_data.quartal import Quartal

ZIEL_STUFE = 3  # "mindestens eingeführt / online / beschlossen"
# The base of every share of the Lagebild, said where the share is shown (issue #15).
BASIS = "(ohne Kreisverwaltung)"


@dataclass(frozen=True)
class Kennzahl:
    titel: str
    wert: str
    erlaeuterung: str
    delta: str | None  # change since the previous quarter, formatted
    delta_wert: float | None
    stand: str  # formatted date
    quelle: str


def _bewertungs_quelle(frame: pd.DataFrame, demo: bool) -> str:
    return regeln.quelle_und_stand(frame["quelle"], frame["stand"], demo)[0]


def _stand(frame: pd.DataFrame, quartal: Quartal) -> str:
    return regeln.quelle_und_stand(frame["quelle"], frame["stand"], False)[1]


def anteil_ab_stufe(bewertungen: pd.DataFrame, merkmal_key: str, keys: list[str],
                    stufe: int = ZIEL_STUFE) -> tuple[int, int, int]:
    """(count at >= stufe, count without value, total) among the Verwaltungen `keys`."""
    werte = bewertungen[(bewertungen["merkmal_key"] == merkmal_key)
                        & bewertungen["verwaltung_key"].isin(keys)].set_index("verwaltung_key")["stufe"]
    werte = werte.reindex(keys)
    return int((werte >= stufe).sum()), int(werte.isna().sum()), len(keys)


def kennzahlen(engine: Engine, quartal: str) -> list[Kennzahl]:
    q = Quartal.parse(quartal)
    vorher = str(q.previous())
    demo = queries.ist_demo(engine)
    verwaltungen = queries.verwaltungen(engine)
    gemeinde_ebene = verwaltungen[~verwaltungen["kreisverwaltung"]]
    # the base of the shares, said where a Kreisverwaltung exists (not in a kreisfreie Stadt)
    basis = f" {BASIS}" if verwaltungen["kreisverwaltung"].any() else ""
    keys = list(gemeinde_ebene["key"])
    bewertungen = queries.bewertungen(engine, [str(q), vorher])
    jetzt = bewertungen[bewertungen["quartal"] == str(q)]
    davor = bewertungen[bewertungen["quartal"] == vorher]
    quellen = queries.meta(engine).get("quellen", [])
    einwohner_stand = next((s.get("stand") for s in quellen if "Destatis" in s.get("name", "")),
                           "31.12.2019")

    result = [Kennzahl(
        titel="Gemeinden und Verwaltungen",
        wert=f"{formatting.zahl(int(verwaltungen['gemeinden'].sum()))} Gemeinden",
        erlaeuterung=(f"in {formatting.anzahl(len(keys), 'Verwaltung')}, "
                      f"{formatting.zahl(int(gemeinde_ebene['einwohner'].sum()))} Einwohner"),
        delta=None, delta_wert=None, stand=einwohner_stand,
        quelle="Statistisches Bundesamt (Destatis), Gemeindeverzeichnis")]

    merkmale = {m.key: m for m in queries.merkmale(engine)}
    for key in scales.PFLICHT_MERKMALE:
        merkmal = merkmale[key]
        treffer, ohne, gesamt = anteil_ab_stufe(jetzt, key, keys)
        treffer_vorher, _, _ = anteil_ab_stufe(davor, key, keys)
        # nothing entered at all: "keine Angabe", not "0 %" (issue #15)
        anteil = 100 * treffer / gesamt if gesamt and ohne < gesamt else None
        delta_pp = (100 * (treffer - treffer_vorher) / gesamt) if gesamt and not davor.empty else None
        erlaeuterung = (f"{treffer} von {formatting.anzahl(gesamt, 'Verwaltung')}{basis} "
                        f"mindestens Stufe {ZIEL_STUFE} "
                        f"({merkmal.label(ZIEL_STUFE)})")
        if ohne:
            erlaeuterung += f"; {ohne} ohne Angabe"
        result.append(Kennzahl(
            titel=merkmal.name, erlaeuterung=erlaeuterung,
            wert=formatting.KEINE_ANGABE if anteil is None else formatting.prozent(anteil),
            delta=None if delta_pp is None else formatting.delta(delta_pp, "Prozentpunkte"),
            delta_wert=delta_pp, stand=_stand(jetzt[jetzt["merkmal_key"] == key], q),
            quelle=_bewertungs_quelle(jetzt[jetzt["merkmal_key"] == key], demo)))

    index = digitalisierungsindex(bewertungen[bewertungen["verwaltung_key"].isin(keys)],
                                  list(merkmale.values()))
    mittel = index.groupby("quartal")["index"].mean()
    abdeckung = index[index["quartal"] == str(q)]
    jetzt_mittel = mittel.get(str(q))
    vorher_mittel = mittel.get(vorher)
    delta_index = (jetzt_mittel - vorher_mittel
                   if jetzt_mittel is not None and vorher_mittel is not None else None)
    gesamt_merkmale = int(abdeckung["gesamt"].max()) if not abdeckung.empty else 0
    result.append(Kennzahl(
        titel="Digitalisierungsindex (Mittel)",
        wert=(formatting.KEINE_ANGABE if jetzt_mittel is None or jetzt_mittel != jetzt_mittel
              else f"{formatting.zahl(jetzt_mittel, 0)} von 100"),
        erlaeuterung=(f"Mittel über {formatting.anzahl(len(keys), 'Verwaltung')}{basis}; "
                      "Abdeckung im Schnitt "
                      f"{formatting.zahl(abdeckung['abgedeckt'].mean(), 1)} von "
                      f"{gesamt_merkmale} Merkmalen"),
        delta=None if delta_index is None else formatting.delta(delta_index, "Punkte", 1),
        delta_wert=delta_index, stand=_stand(jetzt, q),
        quelle=_bewertungs_quelle(jetzt, demo)))
    return result




def veraenderungen(engine: Engine, quartal: str) -> list[str]:
    """What changed since the previous quarter, as short German sentences for the briefing."""
    from kreis_data.analyses.deltas import deltas

    d = deltas(engine, quartal)
    vorher = Quartal.parse(d.vergleich).label
    saetze = []
    if d.ohne_vorquartal:
        saetze.append(f"Kein Vorquartal zum Vergleich: Für das {vorher} liegen keine Daten vor, "
                      f"das {Quartal.parse(d.quartal).label} ist das erste erfasste Quartal. "
                      "Veränderungen zeigt das Lagebild ab dem nächsten Quartal.")
    elif d.verbesserungen or d.rueckschritte:
        top = (d.je_merkmal.sort_values("verbesserungen", ascending=False)
               .query("verbesserungen > 0").head(2))
        beispiele = ", ".join(f"{row.merkmal} ({row.verbesserungen})" for row in top.itertuples())
        saetze.append(f"{d.verbesserungen} Verbesserungen und {d.rueckschritte} Rückschritte "
                      f"gegenüber dem {vorher}" + (f", vor allem bei {beispiele}" if beispiele
                                                   else "") + ".")
    else:
        saetze.append(f"Keine Veränderung des Digitalisierungsstands gegenüber dem {vorher}.")
    if not d.go_lives.empty:
        namen = ", ".join(f"{row.leistung} bei {row.verwaltung}"
                          for row in d.go_lives.head(3).itertuples())
        mehr = f" und {len(d.go_lives) - 3} weitere" if len(d.go_lives) > 3 else ""
        saetze.append(f"{len(d.go_lives)} neue EfA-Anbindungen live: {namen}{mehr}.")
    if not d.kooperationen.empty:
        arten = d.kooperationen["art"].value_counts()
        saetze.append("Kooperationen: " + ", ".join(f"{anzahl} {art}"
                                                    for art, anzahl in arten.items()) + ".")
    if not d.fehlende_kontakte.empty:
        saetze.append(f"{formatting.anzahl(len(d.fehlende_kontakte), 'Verwaltung')} ohne "
                      "benannte Ansprechperson.")
    return saetze


def groesste_chancen(engine: Engine, quartal: str, anzahl: int = 3,
                     mit_kontaktdaten: bool = False, mit_ansprechperson: bool = True
                     ) -> list[str]:
    """The Kreis's best EfA reuse chances as sentences naming whom to call (the Lagebild is
    public and the beamer's first screen: name only, e-mail and phone only on request; the
    presentation mode names no person: mit_ansprechperson=False)."""
    from kreis_data.efa.lesen import chancen
    from kreis_data.kontakte import ohne_kontaktdaten

    frame = chancen(engine, quartal).head(anzahl)
    if not mit_kontaktdaten:
        frame = ohne_kontaktdaten(frame)
    result = []
    for row in frame.itertuples():
        nachbar = " (Nachbar)" if row.adopter_ist_nachbar else ""
        person = f"; Ansprechperson: {row.kontakt}" if mit_ansprechperson else ""
        result.append(f"{row.verwaltung}: {row.leistung} – läuft bei {row.adopter}{nachbar}"
                      f"{person}")
    return result
