"""Quartalsreview: what changed between quarter A (the reviewed quarter) and quarter B (the
comparison quarter, by default the one before A).

Definitions (also shown on the page and in the report):

* **Verbesserung / Rückschritt**: a Verwaltung x Merkmal with a Stufe in both quarters whose
  Stufe is higher / lower in A than in B (ja/nein Merkmale: nein -> ja is a Verbesserung).
  A value that appears (keine Angabe in B, a Stufe in A) is "neu erfasst", one that disappears
  is "Angabe entfallen"; neither counts as Verbesserung or Rückschritt.
* **Neue Go-lives**: responsible Verwaltung x Leistung that is live in A and not live in B.
* **Kooperationen**: a Kooperation *läuft* in a quarter when its status is not "geplant", its start
  (if known) is on or before the quarter's last day and its end (if known) on or after the
  quarter's first day. "Neu" = läuft in A, not in B; "beendet" = läuft in B, not in A;
  "Quadrant gewechselt" = Verbindlichkeit x Dauer in force in A differs from the one in B
  (history of Einordnungen, else the current values).
* **Fehlende Kontakte**: Kontakte have no history in the data model, so this is the state *now*:
  Verwaltungen without a named Digitalisierungsbeauftragte*r (not "went missing since B").
* **Veraltete Daten**: the one rule of kreis_data.bewertungen.regeln (also used by the
  Qualitätshinweise of the Datenpflege): a value of A (with a Stufe) is veraltet when its Stand
  lies before the first day of A (`veraltet_grenze`), i.e. it was not confirmed during A. Listed
  per Verwaltung with the number of its veraltete values; also a Verwaltung without any value in
  A ("keine Meldung" in the Datenpflege).
* **Überfällige Maßnahme**: end quarter (Start + Dauer − 1) before A and status neither
  "abgeschlossen" nor "gestoppt" (a stopped Maßnahme is a decision, not a delay).
  **Überfälliger Meilenstein**: quarter before A, not done, of a Maßnahme that is neither
  abgeschlossen nor gestoppt.
* **Offene Aufgaben (fortgeschrieben)**: Aufgaben not done from Sitzungen held in a quarter before
  A; "überfällig" when their due quarter is before A.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import pandas as pd
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session, selectinload

from kreis_data import queries, scales
from kreis_data.bewertungen import regeln
from kreis_data.kooperationen.regeln import einordnung_am, laeuft_im_quartal
from kreis_data.model import Kooperation
from kreis_data.quartal import Quartal
from kreis_data.steuerung.lesen import aufgaben, massnahmen, meilensteine
from kreis_data.steuerung.regeln import end_quartal

VERBESSERUNG = "Verbesserung"
RUECKSCHRITT = "Rückschritt"
NEU_ERFASST = "neu erfasst"
ENTFALLEN = "Angabe entfallen"
RICHTUNGEN = (VERBESSERUNG, RUECKSCHRITT, NEU_ERFASST, ENTFALLEN)

ABGESCHLOSSEN = "abgeschlossen"
GESTOPPT = "gestoppt"
NICHT_FAELLIG_STATUS = (ABGESCHLOSSEN, GESTOPPT)

KONTAKT_HINWEIS = ("Kontakte werden ohne Verlauf gespeichert: gezeigt wird der heutige Stand "
                   "(Verwaltungen ohne benannte Ansprechperson), nicht, seit wann sie fehlt.")

def veraltet_satz(veraltet: pd.DataFrame, grenze: dt.date, quartal_text: str) -> str:
    """What the review and the report say after "Veraltete Daten:" – one wording for both."""
    from kreis_data.formatting import datum

    if veraltet.empty:
        return f"keine – alle Werte im {quartal_text} haben einen Stand ab dem {datum(grenze)}."
    return (f"{int(veraltet['bewertungen'].sum())} Werte mit Stand vor dem {datum(grenze)}, also "
            f"nicht im {quartal_text} bestätigt, oder Verwaltungen ohne Werte")


AENDERUNG_SPALTEN = ["verwaltung_key", "verwaltung", "merkmal_key", "merkmal", "alt", "neu",
                     "alt_label", "neu_label", "richtung"]
JE_MERKMAL_SPALTEN = ["merkmal_key", "merkmal", "art", "verbesserungen", "rueckschritte",
                      "neu_erfasst", "entfallen", "unveraendert", "mittel_vorher", "mittel_jetzt"]
GO_LIVE_SPALTEN = ["verwaltung_key", "verwaltung", "leistung_id", "leistung", "themenfeld",
                   "live_seit", "status_vorher"]
KOOPERATION_SPALTEN = ["kooperation_id", "kooperation", "format", "art", "vorher", "jetzt",
                       "start", "ende"]
KONTAKT_SPALTEN = ["verwaltung_key", "verwaltung", "typ"]
VERALTET_SPALTEN = ["verwaltung_key", "verwaltung", "neuester_stand", "bewertungen", "grund"]
MASSNAHME_UEBERFAELLIG_SPALTEN = ["massnahme_id", "titel", "verantwortlich", "status",
                                  "start_quartal", "end_quartal", "quartale_ueberfaellig"]
MEILENSTEIN_SPALTEN = ["massnahme_id", "massnahme", "meilenstein", "quartal",
                       "quartale_ueberfaellig"]
AUFGABE_SPALTEN = ["aufgabe_id", "titel", "verantwortlich", "faellig_quartal", "sitzung_quartal",
                   "sitzung_datum", "ueberfaellig"]


def vergleichsquartal(quartal: str, vergleich: str | None = None) -> str:
    """The comparison quarter B: `vergleich` when given, else the quarter before A."""
    return str(Quartal.parse(vergleich)) if vergleich else str(Quartal.parse(quartal).previous())




def veraltet_grenze(quartal: str) -> dt.date:
    """A Stand before this date is veraltet in quarter A (the one rule, bewertungen.regeln)."""
    return regeln.veraltet_grenze(quartal)


# --- Stufen --------------------------------------------------------------------------------------
def _richtung(alt: object, neu: object) -> str | None:
    alt = None if pd.isna(alt) else int(alt)
    neu = None if pd.isna(neu) else int(neu)
    if alt is None and neu is None:
        return None
    if alt is None:
        return NEU_ERFASST
    if neu is None:
        return ENTFALLEN
    if neu > alt:
        return VERBESSERUNG
    if neu < alt:
        return RUECKSCHRITT
    return None


def stufen_aenderungen(bewertungen: pd.DataFrame, quartal: str, vergleich: str,
                       merkmale: list[scales.Merkmal], namen: dict[str, str]) -> pd.DataFrame:
    """Every Verwaltung x Merkmal whose value differs between B (`vergleich`) and A (`quartal`),
    with old -> new labels (AENDERUNG_SPALTEN). Pure: works on a bewertungen DataFrame."""
    by_key = {m.key: m for m in merkmale}
    jetzt = bewertungen[bewertungen["quartal"] == quartal].set_index(
        ["verwaltung_key", "merkmal_key"])["stufe"]
    vorher = bewertungen[bewertungen["quartal"] == vergleich].set_index(
        ["verwaltung_key", "merkmal_key"])["stufe"]
    rows = []
    for key in sorted(set(jetzt.index) | set(vorher.index)):
        verwaltung_key, merkmal_key = key
        merkmal = by_key.get(merkmal_key)
        if merkmal is None:
            continue
        alt, neu = vorher.get(key), jetzt.get(key)
        richtung = _richtung(alt, neu)
        if richtung is None:
            continue
        alt = None if alt is None or pd.isna(alt) else int(alt)
        neu = None if neu is None or pd.isna(neu) else int(neu)
        rows.append({"verwaltung_key": verwaltung_key,
                     "verwaltung": namen.get(verwaltung_key, verwaltung_key),
                     "merkmal_key": merkmal_key, "merkmal": merkmal.name, "alt": alt, "neu": neu,
                     "alt_label": merkmal.kurzlabel(alt), "neu_label": merkmal.kurzlabel(neu),
                     "richtung": richtung})
    frame = pd.DataFrame(rows, columns=AENDERUNG_SPALTEN)
    reihenfolge = {m.key: i for i, m in enumerate(merkmale)}
    frame["_o"] = frame["merkmal_key"].map(reihenfolge)
    frame["_r"] = frame["richtung"].map({r: i for i, r in enumerate(RICHTUNGEN)})
    frame = frame.sort_values(["_o", "_r", "verwaltung"]).drop(columns=["_o", "_r"])
    frame["alt"] = frame["alt"].astype("Int64")
    frame["neu"] = frame["neu"].astype("Int64")
    return frame.reset_index(drop=True)


def je_merkmal(aenderungen: pd.DataFrame, bewertungen: pd.DataFrame, quartal: str,
               vergleich: str, merkmale: list[scales.Merkmal]) -> pd.DataFrame:
    """Counts per Merkmal (JE_MERKMAL_SPALTEN), in the Merkmale's order. mittel_vorher /
    mittel_jetzt: mean Stufe in B / A over the Verwaltungen with a value in both quarters
    (None when there are none), for the slope chart."""
    jetzt = bewertungen[bewertungen["quartal"] == quartal]
    vorher = bewertungen[bewertungen["quartal"] == vergleich]
    rows = []
    for merkmal in merkmale:
        teil = aenderungen[aenderungen["merkmal_key"] == merkmal.key]["richtung"]
        a = jetzt[jetzt["merkmal_key"] == merkmal.key].set_index("verwaltung_key")["stufe"]
        b = vorher[vorher["merkmal_key"] == merkmal.key].set_index("verwaltung_key")["stufe"]
        beide = a.index.intersection(b.index)
        gleich = int(sum(1 for k in beide if pd.notna(a[k]) and pd.notna(b[k]) and a[k] == b[k]))
        paare = [k for k in beide if pd.notna(a[k]) and pd.notna(b[k])]
        mittel_a = float(sum(int(a[k]) for k in paare) / len(paare)) if paare else None
        mittel_b = float(sum(int(b[k]) for k in paare) / len(paare)) if paare else None
        rows.append({"merkmal_key": merkmal.key, "merkmal": merkmal.name, "art": merkmal.art,
                     "mittel_vorher": mittel_b, "mittel_jetzt": mittel_a,
                     "verbesserungen": int((teil == VERBESSERUNG).sum()),
                     "rueckschritte": int((teil == RUECKSCHRITT).sum()),
                     "neu_erfasst": int((teil == NEU_ERFASST).sum()),
                     "entfallen": int((teil == ENTFALLEN).sum()), "unveraendert": gleich})
    return pd.DataFrame(rows, columns=JE_MERKMAL_SPALTEN)


# --- Veraltete Daten -----------------------------------------------------------------------------
def veraltete_daten(bewertungen: pd.DataFrame, verwaltungen: pd.DataFrame,
                    quartal: str) -> pd.DataFrame:
    """Verwaltungen whose data of quarter A is stale (see module doc), VERALTET_SPALTEN."""
    grenze = veraltet_grenze(quartal)
    jetzt = bewertungen[(bewertungen["quartal"] == quartal) & bewertungen["stufe"].notna()]
    rows = []
    for v in verwaltungen.itertuples():
        eigene = jetzt[jetzt["verwaltung_key"] == v.key]
        staende = [s for s in eigene["stand"] if s is not None and not pd.isna(s)]
        neuester = max(staende) if staende else None
        alt = sum(regeln.ist_veraltet(s, quartal) for s in eigene["stand"])
        if eigene.empty:
            grund = "keine Werte in diesem Quartal"
        elif alt:
            grund = (f"{alt} von {len(eigene)} Werten mit Stand vor dem "
                     f"{grenze.strftime('%d.%m.%Y')}")
        else:
            continue
        rows.append({"verwaltung_key": v.key, "verwaltung": v.name, "neuester_stand": neuester,
                     "bewertungen": alt, "grund": grund})
    return pd.DataFrame(rows, columns=VERALTET_SPALTEN)


# --- Steuerung -----------------------------------------------------------------------------------
def ueberfaellige_massnahmen(massnahmen: pd.DataFrame, quartal: str) -> pd.DataFrame:
    """massnahmen: id, titel, verantwortlich, status, start_quartal, dauer_quartale."""
    a = Quartal.parse(quartal)
    rows = []
    for m in massnahmen.itertuples():
        ende = end_quartal(m.start_quartal, m.dauer_quartale)
        if Quartal.parse(ende) < a and m.status not in NICHT_FAELLIG_STATUS:
            rows.append({"massnahme_id": m.id, "titel": m.titel,
                         "verantwortlich": m.verantwortlich, "status": m.status,
                         "start_quartal": m.start_quartal, "end_quartal": ende,
                         "quartale_ueberfaellig": a.minus(Quartal.parse(ende))})
    return pd.DataFrame(rows, columns=MASSNAHME_UEBERFAELLIG_SPALTEN)


def ueberfaellige_meilensteine(meilensteine: pd.DataFrame, quartal: str) -> pd.DataFrame:
    """meilensteine: massnahme_id, massnahme, massnahme_status, titel, quartal, erledigt."""
    a = Quartal.parse(quartal)
    rows = []
    for m in meilensteine.itertuples():
        if (not m.erledigt and Quartal.parse(m.quartal) < a
                and m.massnahme_status not in NICHT_FAELLIG_STATUS):
            rows.append({"massnahme_id": m.massnahme_id, "massnahme": m.massnahme,
                         "meilenstein": m.titel, "quartal": m.quartal,
                         "quartale_ueberfaellig": a.minus(Quartal.parse(m.quartal))})
    return pd.DataFrame(rows, columns=MEILENSTEIN_SPALTEN)


def offene_aufgaben(aufgaben: pd.DataFrame, quartal: str) -> pd.DataFrame:
    """aufgaben: id, titel, verantwortlich, faellig_quartal, erledigt, sitzung_quartal,
    sitzung_datum. Open ones from Sitzungen before A, oldest first."""
    a = Quartal.parse(quartal)
    rows = []
    for t in aufgaben.itertuples():
        if t.erledigt or Quartal.parse(t.sitzung_quartal) >= a:
            continue
        rows.append({"aufgabe_id": t.id, "titel": t.titel, "verantwortlich": t.verantwortlich,
                     "faellig_quartal": t.faellig_quartal, "sitzung_quartal": t.sitzung_quartal,
                     "sitzung_datum": t.sitzung_datum,
                     "ueberfaellig": Quartal.parse(t.faellig_quartal) < a})
    frame = pd.DataFrame(rows, columns=AUFGABE_SPALTEN)
    return frame.sort_values(["faellig_quartal", "sitzung_datum"]).reset_index(drop=True)
















def kooperations_aenderungen(engine: Engine, quartal: str, vergleich: str) -> pd.DataFrame:
    """New, ended and quadrant-changed Kooperationen between B and A (KOOPERATION_SPALTEN);
    art is "neu", "beendet" or "Quadrant gewechselt"."""
    a, b = Quartal.parse(quartal), Quartal.parse(vergleich)
    rows = []
    with Session(engine) as session:
        for k in session.scalars(select(Kooperation).options(selectinload(Kooperation.einordnungen))
                                 .order_by(Kooperation.name)):
            jetzt = laeuft_im_quartal(k.status, k.start, k.ende, a)
            vorher = laeuft_im_quartal(k.status, k.start, k.ende, b)
            basis = {"kooperation_id": k.id, "kooperation": k.name, "format": k.format,
                     "start": k.start, "ende": k.ende}
            if jetzt and not vorher:
                rows.append({**basis, "art": "neu", "vorher": "", "jetzt": "läuft"})
            elif vorher and not jetzt:
                rows.append({**basis, "art": "beendet", "vorher": "läuft", "jetzt": "beendet"})
            if jetzt or vorher:
                historie = pd.DataFrame(
                    [(e.ab_quartal, e.verbindlichkeit, e.dauer) for e in k.einordnungen],
                    columns=["ab_quartal", "verbindlichkeit", "dauer"])
                aktuell = (k.verbindlichkeit, k.dauer)
                ea = einordnung_am(historie, str(a), aktuell)
                eb = einordnung_am(historie, str(b), aktuell)
                if ea != eb:
                    rows.append({**basis, "art": "Quadrant gewechselt",
                                 "vorher": f"{eb[0]} / {eb[1]}", "jetzt": f"{ea[0]} / {ea[1]}"})
    return pd.DataFrame(rows, columns=KOOPERATION_SPALTEN)


def neue_go_lives(engine: Engine, quartal: str, vergleich: str) -> pd.DataFrame:
    """Responsible Verwaltung x Leistung live in A and not live in B (GO_LIVE_SPALTEN)."""
    from kreis_data.efa import lesen as efa

    jetzt = efa.anbindungen(engine, quartal)
    vorher = efa.anbindungen(engine, vergleich)
    live = jetzt[jetzt["zustaendig"] & (jetzt["status"] == efa.LIVE)]
    status_vorher = vorher.set_index(["verwaltung_key", "leistung_id"])["status"]
    rows = []
    for r in live.itertuples():
        alt = status_vorher.get((r.verwaltung_key, r.leistung_id), efa.NICHT_ANGEBUNDEN)
        if alt == efa.LIVE:
            continue
        rows.append({"verwaltung_key": r.verwaltung_key, "verwaltung": r.verwaltung,
                     "leistung_id": int(r.leistung_id), "leistung": r.leistung,
                     "themenfeld": r.themenfeld, "live_seit": r.live_seit, "status_vorher": alt})
    frame = pd.DataFrame(rows, columns=GO_LIVE_SPALTEN)
    return frame.sort_values(["verwaltung", "leistung"]).reset_index(drop=True)


def fehlende_kontakte(verwaltungen: pd.DataFrame) -> pd.DataFrame:
    ohne = verwaltungen[verwaltungen["kontakt"].isna() | (verwaltungen["kontakt"] == "")]
    return ohne.rename(columns={"key": "verwaltung_key", "name": "verwaltung"})[
        KONTAKT_SPALTEN].reset_index(drop=True)


@dataclass(frozen=True)
class Deltas:
    quartal: str  # A
    vergleich: str  # B
    aenderungen: pd.DataFrame  # AENDERUNG_SPALTEN
    je_merkmal: pd.DataFrame  # JE_MERKMAL_SPALTEN
    go_lives: pd.DataFrame  # GO_LIVE_SPALTEN
    kooperationen: pd.DataFrame  # KOOPERATION_SPALTEN
    fehlende_kontakte: pd.DataFrame  # KONTAKT_SPALTEN (state now, see KONTAKT_HINWEIS)
    veraltet: pd.DataFrame  # VERALTET_SPALTEN
    veraltet_grenze: dt.date
    massnahmen_ueberfaellig: pd.DataFrame
    meilensteine_ueberfaellig: pd.DataFrame
    offene_aufgaben: pd.DataFrame
    hinweise: list[str] = field(default_factory=list)
    # B has no data (A is the first quarter with Bewertungen): nothing can be compared, no
    # "Veränderung" and no "neue Go-lives" are invented (issue #15).
    ohne_vorquartal: bool = False

    @property
    def verbesserungen(self) -> int:
        return int((self.aenderungen["richtung"] == VERBESSERUNG).sum())

    @property
    def rueckschritte(self) -> int:
        return int((self.aenderungen["richtung"] == RUECKSCHRITT).sum())


def deltas(engine: Engine, quartal: str, vergleich: str | None = None) -> Deltas:
    """Everything the Quartalsreview shows for A = `quartal` vs B = `vergleich` (default: the
    quarter before A)."""
    a = str(Quartal.parse(quartal))
    b = vergleichsquartal(a, vergleich)
    verwaltungen = queries.verwaltungen(engine)
    namen = dict(zip(verwaltungen["key"], verwaltungen["name"]))
    merkmale = queries.merkmale(engine)
    bewertungen = queries.bewertungen(engine, [a, b])
    aenderungen = stufen_aenderungen(bewertungen, a, b, merkmale, namen)
    hinweise = [KONTAKT_HINWEIS]
    ohne_vorquartal = bewertungen[bewertungen["quartal"] == b].empty
    if ohne_vorquartal:
        hinweise.append(f"Für das {Quartal.parse(b).label} liegen keine Daten vor – es gibt kein "
                        "Vorquartal zum Vergleich. Veränderungen des Digitalisierungsstands und "
                        "neue Go-lives sind daher nicht bestimmbar.")
    return Deltas(
        quartal=a, vergleich=b, aenderungen=aenderungen,
        je_merkmal=je_merkmal(aenderungen, bewertungen, a, b, merkmale),
        go_lives=(pd.DataFrame(columns=GO_LIVE_SPALTEN) if ohne_vorquartal
                  else neue_go_lives(engine, a, b)),
        kooperationen=kooperations_aenderungen(engine, a, b),
        fehlende_kontakte=fehlende_kontakte(verwaltungen),
        veraltet=veraltete_daten(bewertungen, verwaltungen, a),
        veraltet_grenze=veraltet_grenze(a),
        massnahmen_ueberfaellig=ueberfaellige_massnahmen(massnahmen(engine), a),
        meilensteine_ueberfaellig=ueberfaellige_meilensteine(meilensteine(engine), a),
        offene_aufgaben=offene_aufgaben(aufgaben(engine), a),
        hinweise=hinweise, ohne_vorquartal=ohne_vorquartal)
