"""Kooperationen, analysed: quadrants of Verbindlichkeit x Dauer with their strengths and risks
(our own wording, after "Organisationsstrukturen für Smarte Landkreise", section 3.2.2),
movement between quadrants, warnings, the network of shared formats, positions in the 2x2
matrix and the comparison with the national survey.

Everything here is pure: functions take the DataFrames built by ``kooperationen.lesen`` (or
hand-made ones in tests) and never touch the database; ``pruefe`` checks what a form or an
import sends.

Definitions (also shown on the page and in Methodik):

* **läuft im Quartal q**: status is not "geplant", the start (if known) is on or before the last
  day of q, and the end (if known) is on or after the first day of q. A Kooperation with status
  "beendet" always has an end date (validation), so past quarters still show it as running.
* **Ende ohne Anschluss**: Dauer "temporär", end date in q, q+1 or q+2 (the selected quarter
  and the two after it) and no follow-up / Betreibermodell written down (field ``anschluss``).
* **Doppelstruktur (wahrscheinlich)**: two Kooperationen running in q, at least one
  Handlungsfeld in common, and a member overlap of at least 2/3 measured as the Jaccard share
  |A ∩ B| / |A ∪ B| over all members (Verwaltungen by key, external members by name). Jaccard
  rather than |A ∩ B| / min(|A|, |B|): a small project group inside a large network is normal
  and not a duplicate; a duplicate needs most of *both* member lists in common.
* **Federführung ohne Stellvertretung**: a running Kooperation whose Federführung is named but
  no Stellvertretung; a running Kooperation without any Federführung is reported under the same
  rule ("Federführung fehlt").
* **Verwaltung in keinem Format**: a Verwaltung of the Kreis that is a member of no Kooperation
  running in q.
* **Netzwerk**: two Verwaltungen are linked when they are both members of at least one
  Kooperation running in q; the weight is the number of such shared Kooperationen.
* **Regelmäßiges Arbeitsgremium** (for the Bundesvergleich): a running Kooperation of one of the
  formats in ``ARBEITSGREMIUM_FORMATE`` whose Handlungsfelder include "Verwaltung" – the survey
  asked about an "interkommunales Arbeitsgremium Verwaltungsdigitalisierung". Workshops,
  conferences and the yearly Netzwerktreffen are not working bodies; IT-Verbund, Zweckverband
  and Digitalagentur are institutions, not Gremien.
"""
from __future__ import annotations

import csv
import datetime as dt
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from itertools import combinations
from pathlib import Path

import pandas as pd

from kreis_data import bundesvergleich, formatting, scales, textregeln
from kreis_data.fehler import Ungueltig
from kreis_data.model import Kooperation, KooperationMitglied
from kreis_data.quartal import Quartal

REFERENCE_DIR = Path(__file__).resolve().parent.parent / "datasets" / "reference"

# --- Formats -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Format:
    """A cooperation format from reference/kooperationsformate.csv with its default quadrant."""

    name: str
    verbindlichkeit: str
    dauer: str
    beispiele: str
    hinweis: str


@cache
def formate() -> tuple[Format, ...]:
    path = REFERENCE_DIR / "kooperationsformate.csv"
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle, delimiter=";"))
    result = []
    for row in rows[1:]:
        if not row or not row[0].strip():
            continue
        name, verbindlichkeit, dauer = (c.strip() for c in row[:3])
        beispiele, hinweis = _split_beispiele_hinweis(row[3:])
        result.append(Format(name, verbindlichkeit, dauer, beispiele, hinweis))
    return tuple(result)


def _split_beispiele_hinweis(rest: list[str]) -> tuple[str, str]:
    """The CSV has unquoted "; " inside the examples and notes; a field that starts with a
    space continues the previous one. The last logical field is the hinweis."""
    logical: list[str] = []
    for part in rest:
        if logical and part.startswith(" "):
            logical[-1] += ";" + part
        else:
            logical.append(part)
    logical = [p.strip() for p in logical]
    if len(logical) == 1:
        return "", logical[0]
    return "; ".join(p for p in logical[:-1] if p), logical[-1]


def format_namen() -> tuple[str, ...]:
    return tuple(f.name for f in formate())


# Names a format had in earlier versions of kooperationsformate.csv -> today's name. Stored
# Kooperationen keep working (read, edit) and are shown under the corrected name: moving a task
# from the Gemeinden up to the Kreis is a "Hochzonung", not a "Kommunalisierung" (that is the
# transfer of state tasks down to the Kommunen).
FRUEHERE_FORMATNAMEN = {
    "Kommunalisierung (Aufgabenübertragung auf den Kreis)":
        "Hochzonung (Aufgabenübertragung auf den Kreis)",
}


def formatname(name: str) -> str:
    """Today's name of a format (an earlier name is mapped, any other name returned as is)."""
    return FRUEHERE_FORMATNAMEN.get(name, name)


def format_info(name: str) -> Format | None:
    name = formatname(name)
    return next((f for f in formate() if f.name == name), None)


def einordnung_aus_format(name: str) -> tuple[str, str] | None:
    """Default (Verbindlichkeit, Dauer) of a format, None for an unknown format."""
    info = format_info(name)
    return None if info is None else (info.verbindlichkeit, info.dauer)


ARBEITSGREMIUM_FORMATE: tuple[str, ...] = (
    "Interkommunaler Arbeitskreis (z. B. Digitalisierung, Gesundheit, Mobilität)",
    "Arbeitskreis in Verband (Landkreistag, KGSt)",
    "Runde der Hauptverwaltungsbeamt*innen",
)
ARBEITSGREMIUM_HANDLUNGSFELD = "Verwaltung"

# --- Quadrants -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Quadrant:
    verbindlichkeit: str
    dauer: str
    kurzname: str
    staerken: tuple[str, ...]
    schwaechen: tuple[str, ...]
    chancen: tuple[str, ...]
    risiken: tuple[str, ...]

    @property
    def key(self) -> str:
        return quadrant_key(self.verbindlichkeit, self.dauer)

    @property
    def titel(self) -> str:
        return f"{self.kurzname}: {self.verbindlichkeit} und {self.dauer}"


def quadrant_key(verbindlichkeit: str, dauer: str) -> str:
    """"verbindlich · dauerhaft" – the label used in tables, filters and the matrix."""
    return f"{verbindlichkeit} · {dauer}"


# Own wording; facts after "Organisationsstrukturen für Smarte Landkreise", Abschnitt 3.2.2.
QUADRANTEN: tuple[Quadrant, ...] = (
    Quadrant(
        "verbindlich", "dauerhaft", "Einrichtung",
        staerken=(
            "vertraglich abgesichert und nach innen wie außen sichtbar",
            "Zuständigkeiten sind klar geregelt",
            "hohe Verbindlichkeit, auf Dauer angelegt",
            "Personal, Technik und Geld werden gebündelt",
        ),
        schwaechen=(
            "aufwendiger Start: Rechtsform, Aufgaben und Finanzierung müssen ausgehandelt werden",
            "neue Partner kommen nur mit Aufwand hinzu",
            "die Steuerung liegt nicht mehr allein bei der eigenen Verwaltung",
            "laufende Kosten",
            "in den Verwaltungen oft weniger Rückhalt als für eigene Lösungen",
        ),
        chancen=(
            "Fachwissen wächst gemeinsam und bleibt in der Region",
            "Beschäftigte identifizieren sich mit der gemeinsamen Einrichtung",
            "macht die Verwaltung als Arbeitgeberin attraktiver",
            "stärkt eine digitale Arbeitskultur",
        ),
        risiken=(
            "es entsteht eine weitere Institution",
            "Parallelstrukturen zu bestehenden Einrichtungen",
            "Streit darüber, wer wofür zuständig ist",
        ),
    ),
    Quadrant(
        "eher lose", "dauerhaft", "Netzwerk",
        staerken=(
            "auf Dauer angelegt",
            "nah an einem Handlungsfeld – dort bündelt sich Fachwissen",
            "offen für weitere Akteure",
            "kostet wenig",
        ),
        schwaechen=(
            "wenig Verbindlichkeit",
            "steht und fällt mit den Menschen, die mitmachen",
        ),
        chancen=(
            "macht Arbeit sichtbar und nachvollziehbar",
            "bindet Akteure über die Kreisgrenze hinaus ein",
            "stärkt digitale Kompetenzen",
        ),
        risiken=(
            "der Fortbestand hängt an einzelnen Personen (Stellenwechsel, Ruhestand)",
        ),
    ),
    Quadrant(
        "verbindlich", "temporär", "Projekt",
        staerken=(
            "flexibel: Partner schließen sich für eine bestimmte Aufgabe zusammen",
            "Ressourcen werden für die Projektzeit gebündelt",
            "verbindliche Projektarbeit mit Zielen und Meilensteinen",
        ),
        schwaechen=(
            "konkurriert mit dem Tagesgeschäft der Beteiligten",
            "der Erfolg hängt stark am Projektmanagement",
        ),
        chancen=(
            "Ergebnisse werden weitergeführt oder stoßen Folgeprojekte an",
        ),
        risiken=(
            "nach Projektende bleibt nichts, wenn kein Anschluss oder Betreibermodell "
            "vereinbart ist",
        ),
    ),
    Quadrant(
        "eher lose", "temporär", "Impuls",
        staerken=(
            "offen für neue Formate und für alle Akteure",
            "niedrige Schwelle, breite Beteiligung",
        ),
        schwaechen=(
            "kaum Verbindlichkeit",
        ),
        chancen=(
            "Ausgangspunkt für dauerhaftere oder verbindlichere Zusammenarbeit",
        ),
        risiken=(
            "das Angebot findet kein Interesse oder keine Akzeptanz bei den Akteuren",
        ),
    ),
)

EINSTIEGSHUERDE = ("Je verbindlicher die Zusammenarbeit, desto höher die Einstiegshürde. "
                   "Formate wandern mit der Zeit zwischen den Quadranten: von temporär zu "
                   "dauerhaft (Verstetigung) und von eher lose zu verbindlich "
                   "(Institutionalisierung).")
SWOT_QUELLE = ("Einordnung nach „Organisationsstrukturen für Smarte Landkreise“, Abschnitt "
               "3.2.2 (Abb. 4 und 5); Formulierung IKZ-Monitor")


def quadrant(verbindlichkeit: str, dauer: str) -> Quadrant:
    for q in QUADRANTEN:
        if q.verbindlichkeit == verbindlichkeit and q.dauer == dauer:
            return q
    raise ValueError(f"unbekannte Einordnung: {verbindlichkeit} / {dauer}")


def quadrant_keys() -> list[str]:
    return [q.key for q in QUADRANTEN]


# Colours and symbols of the Handlungsfelder are owned by kreis_data.scales.


def handlungsfeld_farbe(handlungsfeld: str) -> str:
    return scales.HANDLUNGSFELD_FARBEN.get(handlungsfeld, scales.WEITERE_HANDLUNGSFELD_FARBE)


def handlungsfeld_symbol(handlungsfeld: str) -> str:
    return scales.HANDLUNGSFELD_SYMBOLE.get(handlungsfeld, "star")


# --- Time ---------------------------------------------------------------------------------------


def laeuft_im_quartal(status: str, start: dt.date | None, ende: dt.date | None,
                      quartal: str | Quartal) -> bool:
    q = Quartal.parse(quartal)
    if status == "geplant":
        return False
    if _datum(start) is not None and _datum(start) > q.ende:
        return False
    return not (_datum(ende) is not None and _datum(ende) < q.start)


def _datum(value) -> dt.date | None:
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NaT:
        return None
    if isinstance(value, pd.Timestamp):
        return value.date()
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, str):
        return dt.date.fromisoformat(value[:10]) if value else None
    return value


def laufende(register: pd.DataFrame, quartal: str) -> pd.DataFrame:
    """The rows of the register running in the quarter."""
    if register.empty:
        return register
    maske = [laeuft_im_quartal(r.status, r.start, r.ende, quartal)
             for r in register.itertuples()]
    return register[maske]


# --- History: Verstetigung and Institutionalisierung --------------------------------------------

VERSTETIGUNG = "Verstetigung"
INSTITUTIONALISIERUNG = "Institutionalisierung"
BEFRISTUNG = "Befristung"  # dauerhaft -> temporär
LOCKERUNG = "Lockerung"  # verbindlich -> eher lose


@dataclass(frozen=True)
class Wechsel:
    ab_quartal: str
    von: str  # quadrant key
    nach: str
    arten: tuple[str, ...]

    @property
    def text(self) -> str:
        return (f"ab {Quartal.parse(self.ab_quartal).label}: {self.von} → {self.nach} "
                f"({', '.join(self.arten)})")


def wechsel(einordnungen: pd.DataFrame) -> list[Wechsel]:
    """Quadrant changes of ONE Kooperation from its Einordnung history (columns ab_quartal,
    verbindlichkeit, dauer), oldest first."""
    rows = einordnungen.sort_values("ab_quartal")
    result = []
    vorher = None
    for row in rows.itertuples():
        if vorher is not None and (row.verbindlichkeit, row.dauer) != vorher:
            arten = []
            if vorher[1] == "temporär" and row.dauer == "dauerhaft":
                arten.append(VERSTETIGUNG)
            if vorher[1] == "dauerhaft" and row.dauer == "temporär":
                arten.append(BEFRISTUNG)
            if vorher[0] == "eher lose" and row.verbindlichkeit == "verbindlich":
                arten.append(INSTITUTIONALISIERUNG)
            if vorher[0] == "verbindlich" and row.verbindlichkeit == "eher lose":
                arten.append(LOCKERUNG)
            result.append(Wechsel(row.ab_quartal, quadrant_key(*vorher),
                                  quadrant_key(row.verbindlichkeit, row.dauer), tuple(arten)))
        vorher = (row.verbindlichkeit, row.dauer)
    return result


def alle_wechsel(register: pd.DataFrame, einordnungen: pd.DataFrame) -> pd.DataFrame:
    """Every quadrant change of every Kooperation: kooperation_id, name, ab_quartal, von, nach,
    art ("Verstetigung, Institutionalisierung")."""
    namen = dict(zip(register["id"], register["name"], strict=True))
    rows = []
    for kooperation_id, gruppe in einordnungen.groupby("kooperation_id", sort=True):
        for w in wechsel(gruppe):
            rows.append({"kooperation_id": kooperation_id, "name": namen.get(kooperation_id, ""),
                         "ab_quartal": w.ab_quartal, "von": w.von, "nach": w.nach,
                         "art": ", ".join(w.arten)})
    return pd.DataFrame(rows, columns=["kooperation_id", "name", "ab_quartal", "von", "nach",
                                       "art"])


def einordnung_am(einordnungen: pd.DataFrame, quartal: str,
                  aktuell: tuple[str, str]) -> tuple[str, str]:
    """(Verbindlichkeit, Dauer) of one Kooperation valid in the quarter. The current values on
    the Kooperation win from its latest history row on; before its first row the first row."""
    if einordnungen.empty:
        return aktuell
    rows = einordnungen.sort_values("ab_quartal")
    if quartal >= rows["ab_quartal"].iloc[-1]:
        return aktuell
    gueltig = rows[rows["ab_quartal"] <= quartal]
    row = gueltig.iloc[-1] if not gueltig.empty else rows.iloc[0]
    return row["verbindlichkeit"], row["dauer"]


# --- Warnings -----------------------------------------------------------------------------------

ENDE_OHNE_ANSCHLUSS = "Ende ohne Anschluss"
DOPPELSTRUKTUR = "Doppelstruktur wahrscheinlich"
OHNE_STELLVERTRETUNG = "Federführung ohne Stellvertretung"
OHNE_FORMAT = "Verwaltung in keinem Format"
WARNUNG_ARTEN = (ENDE_OHNE_ANSCHLUSS, DOPPELSTRUKTUR, OHNE_STELLVERTRETUNG, OHNE_FORMAT)

ENDE_VORLAUF_QUARTALE = 2
DOPPELSTRUKTUR_SCHWELLE = 2 / 3

WARNUNG_SPALTEN = ["art", "betrifft", "grund", "kooperation_ids", "verwaltung_key"]


def mitglied_id(verwaltung_key: object, extern_name: object) -> str:
    """Identity of a member for comparisons: the Verwaltung key or the normalised external name."""
    if isinstance(verwaltung_key, str) and verwaltung_key:
        return verwaltung_key
    return "extern:" + " ".join(str(extern_name or "").casefold().split())


def jaccard(a: set[str], b: set[str]) -> float:
    vereinigung = a | b
    return len(a & b) / len(vereinigung) if vereinigung else 0.0


def _mitgliedsmengen(mitglieder: pd.DataFrame) -> dict[int, set[str]]:
    result: dict[int, set[str]] = {}
    for row in mitglieder.itertuples():
        result.setdefault(int(row.kooperation_id), set()).add(
            mitglied_id(row.verwaltung_key, row.extern_name))
    return result


def _leer(text: object) -> bool:
    return text is None or (isinstance(text, float) and math.isnan(text)) or not str(text).strip()


def warnungen(register: pd.DataFrame, mitglieder: pd.DataFrame, verwaltungen: pd.DataFrame,
              quartal: str) -> pd.DataFrame:
    """All warnings for the quarter, each with its reason in German.

    register: id, name, dauer, status, start, ende, anschluss, handlungsfelder (tuple),
    federfuehrung_key, federfuehrung, stellvertretung_key; mitglieder: kooperation_id,
    verwaltung_key, extern_name; verwaltungen: key, name.
    """
    q = Quartal.parse(quartal)
    rows: list[dict] = []

    # 1. temporary format ending soon without Anschluss / Betreibermodell
    grenze = q.plus(ENDE_VORLAUF_QUARTALE)
    for r in register.sort_values("id").itertuples():
        ende = _datum(r.ende)
        if r.dauer != "temporär" or ende is None or not _leer(r.anschluss):
            continue
        ende_q = Quartal.of_date(ende)
        if q <= ende_q <= grenze:
            rows.append({
                "art": ENDE_OHNE_ANSCHLUSS, "betrifft": r.name,
                "grund": (f"„{r.name}“ ist temporär angelegt und endet am "
                          f"{formatting.datum(ende)} ({ende_q.label}), also innerhalb von "
                          f"{ENDE_VORLAUF_QUARTALE} Quartalen nach dem {q.label}; ein Anschluss "
                          f"oder Betreibermodell ist nicht eingetragen."),
                "kooperation_ids": (int(r.id),), "verwaltung_key": None})

    laufend = laufende(register, str(q)).sort_values("id")
    mengen = _mitgliedsmengen(mitglieder)

    # 2. probable Doppelstruktur
    for a, b in combinations(list(laufend.itertuples()), 2):
        felder = sorted(set(a.handlungsfelder) & set(b.handlungsfelder))
        if not felder:
            continue
        ma, mb = mengen.get(int(a.id), set()), mengen.get(int(b.id), set())
        anteil = jaccard(ma, mb)
        if anteil + 1e-9 >= DOPPELSTRUKTUR_SCHWELLE:
            gemeinsam = len(ma & mb)
            rows.append({
                "art": DOPPELSTRUKTUR, "betrifft": f"{a.name} / {b.name}",
                "grund": (f"„{a.name}“ und „{b.name}“ arbeiten beide im Handlungsfeld "
                          f"{', '.join(felder)} und haben {gemeinsam} von {len(ma | mb)} "
                          f"Mitgliedern gemeinsam ({formatting.prozent(100 * anteil)}, "
                          f"Schwelle 2/3). Prüfen, ob beide Formate gebraucht werden."),
                "kooperation_ids": (int(a.id), int(b.id)), "verwaltung_key": None})

    # 3. single organiser without Stellvertretung
    for r in laufend.itertuples():
        if _leer(r.federfuehrung_key):
            rows.append({
                "art": OHNE_STELLVERTRETUNG, "betrifft": r.name,
                "grund": (f"„{r.name}“ hat keine Federführung; niemand ist für Einladung, "
                          f"Ergebnisse und Fortbestand zuständig."),
                "kooperation_ids": (int(r.id),), "verwaltung_key": None})
        elif _leer(r.stellvertretung_key):
            rows.append({
                "art": OHNE_STELLVERTRETUNG, "betrifft": r.name,
                "grund": (f"„{r.name}“ hängt an einer einzigen Federführung ({r.federfuehrung}) "
                          f"ohne Stellvertretung; fällt sie aus, steht das Format still."),
                "kooperation_ids": (int(r.id),), "verwaltung_key": None})

    # 4. Verwaltungen in no running format
    beteiligt = set(mitglieder[mitglieder["kooperation_id"].isin(laufend["id"])]
                    ["verwaltung_key"].dropna())
    for v in verwaltungen.sort_values("name").itertuples():
        if v.key not in beteiligt:
            rows.append({
                "art": OHNE_FORMAT, "betrifft": v.name,
                "grund": (f"{v.name} ist im {q.label} in keinem laufenden "
                          f"Kooperationsformat Mitglied."),
                "kooperation_ids": (), "verwaltung_key": v.key})
    return pd.DataFrame(rows, columns=WARNUNG_SPALTEN)


# --- Network ------------------------------------------------------------------------------------

KANTEN_SPALTEN = ["a", "b", "a_name", "b_name", "gemeinsame", "formate"]


def netzwerk_kanten(register: pd.DataFrame, mitglieder: pd.DataFrame, verwaltungen: pd.DataFrame,
                    quartal: str) -> pd.DataFrame:
    """Pairs of Verwaltungen (a < b) with the number and names of Kooperationen running in the
    quarter that both are members of."""
    laufend = laufende(register, quartal)
    namen = dict(zip(verwaltungen["key"], verwaltungen["name"], strict=True))
    koop_namen = dict(zip(laufend["id"], laufend["name"], strict=True))
    paare: dict[tuple[str, str], list[str]] = {}
    relevant = mitglieder[mitglieder["kooperation_id"].isin(laufend["id"])
                          & mitglieder["verwaltung_key"].notna()]
    for kooperation_id, gruppe in relevant.groupby("kooperation_id", sort=True):
        keys = sorted(set(gruppe["verwaltung_key"]))
        for a, b in combinations(keys, 2):
            paare.setdefault((a, b), []).append(koop_namen[kooperation_id])
    rows = [{"a": a, "b": b, "a_name": namen.get(a, a), "b_name": namen.get(b, b),
             "gemeinsame": len(formate_), "formate": "; ".join(sorted(formate_))}
            for (a, b), formate_ in sorted(paare.items())]
    return pd.DataFrame(rows, columns=KANTEN_SPALTEN)


def netzwerk_knoten(register: pd.DataFrame, mitglieder: pd.DataFrame, verwaltungen: pd.DataFrame,
                    positionen: pd.DataFrame, quartal: str) -> pd.DataFrame:
    """One row per Verwaltung: key, name, lon, lat, formate (count of running Kooperationen),
    ohne_format (bool)."""
    laufend = laufende(register, quartal)
    relevant = mitglieder[mitglieder["kooperation_id"].isin(laufend["id"])
                          & mitglieder["verwaltung_key"].notna()]
    anzahl = relevant.drop_duplicates(["kooperation_id", "verwaltung_key"]).groupby(
        "verwaltung_key").size()
    knoten = verwaltungen[["key", "name"]].merge(positionen, on="key", how="left")
    knoten["formate"] = [int(anzahl.get(k, 0)) for k in knoten["key"]]
    knoten["ohne_format"] = knoten["formate"] == 0
    return knoten.reset_index(drop=True)


# --- Matrix positions ---------------------------------------------------------------------------
# Cell coordinates: x = Dauer (temporär 0..1, dauerhaft 1..2), y = Verbindlichkeit
# (eher lose 0..1, verbindlich 1..2). Points of a quadrant lie on a staggered grid inside the
# cell, so they never overlap; the marker size is capped by the grid spacing at a nominal cell
# size in pixels that is smaller than the chart actually drawn.
NOMINAL_ZELLE_PX = (300.0, 190.0)
GROESSE_PX = (14.0, 40.0)
ZELLE_RAND_X = 0.08
ZELLE_OBEN = 0.80  # the top strip of each cell holds the quadrant label
ZELLE_UNTEN = 0.06


def _achse(verbindlichkeit: str, dauer: str) -> tuple[float, float]:
    return float(scales.DAUER.index(dauer)), float(scales.VERBINDLICHKEIT.index(verbindlichkeit))


def matrix_punkte(register: pd.DataFrame) -> pd.DataFrame:
    """x, y and marker size (px) for every row of the register (columns id, verbindlichkeit,
    dauer, mitglieder_anzahl); deterministic: same data, same picture."""
    frame = register.copy()
    frame["x"] = 0.0
    frame["y"] = 0.0
    frame["groesse"] = 0.0
    if frame.empty:
        return frame
    nmax = max(int(frame["mitglieder_anzahl"].max()), 2)
    breite_px, hoehe_px = NOMINAL_ZELLE_PX
    for (verbindlichkeit, dauer), gruppe in frame.groupby(["verbindlichkeit", "dauer"]):
        x0, y0 = _achse(verbindlichkeit, dauer)
        ids = sorted(gruppe.index, key=lambda i: int(frame.at[i, "id"]))
        n = len(ids)
        spalten = max(1, math.ceil(math.sqrt(n * breite_px / hoehe_px)))
        zeilen = math.ceil(n / spalten)
        nutz_b = 1 - 2 * ZELLE_RAND_X
        nutz_h = ZELLE_OBEN - ZELLE_UNTEN
        dx, dy = nutz_b / spalten, nutz_h / zeilen
        # Largest marker that fits between grid neighbours: same row dx apart; odd rows are
        # shifted by +dx/4, even rows by -dx/4, so neighbours in adjacent rows are dx/2 apart
        # horizontally and dy vertically.
        stagger = 0.25 * dx if zeilen > 1 else 0.0
        if zeilen > 1:
            abstand_px = min(dx * breite_px, math.hypot(0.5 * dx * breite_px, dy * hoehe_px))
        else:
            abstand_px = min(dx * breite_px, nutz_h * hoehe_px)
        max_px = min(GROESSE_PX[1], 0.9 * abstand_px)
        min_px = min(GROESSE_PX[0], max_px)
        for nummer, index in enumerate(ids):
            zeile, spalte = divmod(nummer, spalten)
            versatz = stagger if zeile % 2 else -stagger
            frame.at[index, "x"] = x0 + ZELLE_RAND_X + (spalte + 0.5) * dx + versatz
            frame.at[index, "y"] = y0 + ZELLE_OBEN - (zeile + 0.5) * dy
            anteil = math.sqrt(max(int(frame.at[index, "mitglieder_anzahl"]), 0) / nmax)
            frame.at[index, "groesse"] = min_px + (max_px - min_px) * anteil
    return frame


def quadrant_mitte(verbindlichkeit: str, dauer: str) -> tuple[float, float]:
    x0, y0 = _achse(verbindlichkeit, dauer)
    return x0 + 0.5, y0 + 0.5


def quadrant_beschriftung(verbindlichkeit: str, dauer: str) -> tuple[float, float]:
    """Position of the quadrant label (top centre of the cell)."""
    x0, y0 = _achse(verbindlichkeit, dauer)
    return x0 + 0.5, y0 + 0.91


# --- Bundesvergleich ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Vergleichswert:
    """One row of bundesvergleich.csv (share of respondents with this answer)."""

    merkmal: str
    antwort: str
    anteil_prozent: float
    quelle: str
    erhebung: str
    befragte: str
    n: str
    hinweis: str
    n_gesamt: str = ""  # n of the whole survey when the row gives none for its subgroup

    def veraltet(self, quartal: str) -> bool:
        """Older than three years at the end of the selected quarter."""
        datum = bundesvergleich.erhebungsdatum(self.erhebung)
        ende = Quartal.parse(quartal).ende
        return datum is None or datum < ende.replace(
            year=ende.year - bundesvergleich.VERALTET_NACH_JAHREN)

    def beschriftung(self, quartal: str) -> str:
        if self.n:
            n_text = f"n = {self.n}"
        elif self.n_gesamt:
            n_text = f"n der Teilgruppe nicht angegeben, Befragung insgesamt {self.n_gesamt}"
        else:
            n_text = "n nicht angegeben"
        text = (f"Quelle: {self.quelle} · Erhebung: {self.erhebung} · befragt: {self.befragte} "
                f"({n_text})")
        return f"{text} · {bundesvergleich.HISTORISCH_TEXT}" if self.veraltet(quartal) else text


def _studie(quelle: str) -> str:
    """"Prognos / Behörden Spiegel, Trendreport (Abb. 10)" -> "Prognos / Behörden Spiegel,
    Trendreport": the survey without the figure reference."""
    return quelle.split(" (")[0].strip()


def vergleichswerte(merkmal: str) -> tuple[Vergleichswert, ...]:
    frame = bundesvergleich.laden()
    gesamt: dict[tuple[str, str], str] = {}
    # the n of the whole survey: preferably from a row asked of all levels
    mit_n = frame[frame["n"].str.strip() != ""]
    for r in sorted(mit_n.itertuples(), key=lambda r: "aller Ebenen" not in r.befragte):
        gesamt.setdefault((_studie(r.quelle), r.erhebung),
                          f"{r.n} {r.befragte}" if "aller Ebenen" in r.befragte else r.n)
    return tuple(
        Vergleichswert(r.merkmal, r.antwort, float(r.anteil_prozent), r.quelle, r.erhebung,
                       r.befragte, r.n, r.hinweis.strip('"'),
                       "" if r.n else gesamt.get((_studie(r.quelle), r.erhebung), ""))
        for r in frame[frame["merkmal"] == merkmal].itertuples())


ARBEITSGREMIUM_ANTWORT = "interkommunales Arbeitsgremium Verwaltungsdigitalisierung"


@dataclass(frozen=True)
class GremiumVergleich:
    ebene: str  # "Gemeinden" or "Kreisverwaltung"
    kreis_text: str  # "12 von 20 Verwaltungen (60 %)" / "ja" / "nein"
    kreis_anteil: float | None  # percent; None for the Kreisverwaltung (yes/no)
    bund: Vergleichswert | None
    verwaltungen: tuple[str, ...]  # names of the Verwaltungen counted as "in a Gremium"


def arbeitsgremium_vergleich(register: pd.DataFrame, mitglieder: pd.DataFrame,
                             verwaltungen: pd.DataFrame, quartal: str) -> list[GremiumVergleich]:
    """Share of the Gemeinde-level Verwaltungen in a regular Arbeitsgremium (compared with the
    survey value for Städte und Gemeinden) and whether the Kreisverwaltung is in one (compared
    with the value for Landkreise)."""
    laufend = laufende(register, quartal)
    gremien = laufend[laufend["format"].isin(ARBEITSGREMIUM_FORMATE)
                      & laufend["handlungsfelder"].map(
                          lambda f: ARBEITSGREMIUM_HANDLUNGSFELD in f)]
    drin = set(mitglieder[mitglieder["kooperation_id"].isin(gremien["id"])]
               ["verwaltung_key"].dropna())
    werte = {v.antwort: v for v in vergleichswerte("ikz_format")}
    gemeinde = verwaltungen[~verwaltungen["kreisverwaltung"]]
    kreis = verwaltungen[verwaltungen["kreisverwaltung"]]
    result = []
    treffer = gemeinde[gemeinde["key"].isin(drin)]
    anteil = 100 * len(treffer) / len(gemeinde) if len(gemeinde) else None
    result.append(GremiumVergleich(
        "Gemeinden", f"{len(treffer)} von {formatting.anzahl(len(gemeinde), 'Verwaltung')} "
                     f"({formatting.prozent(anteil)})",
        anteil, werte.get(f"{ARBEITSGREMIUM_ANTWORT} (Städte/Gemeinden)"),
        tuple(sorted(treffer["name"]))))
    if not kreis.empty:
        ja = bool(kreis["key"].isin(drin).any())
        result.append(GremiumVergleich(
            "Kreisverwaltung", "ja" if ja else "nein", 100.0 if ja else 0.0,
            werte.get(f"{ARBEITSGREMIUM_ANTWORT} (Landkreise)"),
            tuple(sorted(kreis["name"])) if ja else ()))
    return result


# --- Filters and rule texts for the page --------------------------------------------------------


def filtern(register: pd.DataFrame, *, formate: list[str] | tuple[str, ...] = (),
            quadranten: list[str] | tuple[str, ...] = (),
            handlungsfelder: list[str] | tuple[str, ...] = (),
            status: list[str] | tuple[str, ...] = (), verwaltung_key: str | None = None
            ) -> pd.DataFrame:
    """Rows matching every given filter (an empty filter lets everything through; several values
    of one filter are alternatives; a Kooperation matches a Handlungsfeld filter when any of its
    Handlungsfelder is chosen)."""
    maske = pd.Series(True, index=register.index)
    if formate:
        maske &= register["format"].isin(formate)
    if quadranten:
        maske &= register["quadrant"].isin(quadranten)
    if handlungsfelder:
        gewaehlt = set(handlungsfelder)
        maske &= register["handlungsfelder"].map(lambda f: bool(gewaehlt & set(f)))
    if status:
        maske &= register["status"].isin(status)
    if verwaltung_key:
        maske &= register["mitglied_keys"].map(lambda keys: verwaltung_key in keys)
    return register[maske]


REGELN: tuple[tuple[str, str], ...] = (
    ("läuft im Quartal",
     "Status nicht „geplant“, Start (falls bekannt) spätestens am letzten Tag des Quartals, "
     "Ende (falls bekannt) frühestens am ersten Tag des Quartals."),
    (ENDE_OHNE_ANSCHLUSS,
     "Dauer „temporär“, das Ende liegt im gewählten Quartal oder in einem der zwei folgenden, "
     "und weder Anschluss noch Betreibermodell sind eingetragen."),
    (DOPPELSTRUKTUR,
     "Zwei im Quartal laufende Kooperationen mit mindestens einem gemeinsamen Handlungsfeld, "
     "deren Mitglieder sich zu mindestens zwei Dritteln decken: gemeinsame Mitglieder geteilt "
     "durch alle Mitglieder beider Kooperationen zusammen (Jaccard-Anteil; Verwaltungen und "
     "externe Mitglieder zählen gleich). Eine kleine Projektgruppe innerhalb eines großen "
     "Netzwerks gilt damit nicht als Doppelstruktur."),
    (OHNE_STELLVERTRETUNG,
     "Eine im Quartal laufende Kooperation mit Federführung, aber ohne Stellvertretung – oder "
     "ganz ohne Federführung."),
    (OHNE_FORMAT,
     "Eine Verwaltung des Arbeitsbereichs (Kreisverwaltung eingerechnet, wo es sie gibt), die "
     "in keiner im Quartal laufenden Kooperation Mitglied ist."),
    ("Netzwerk",
     "Zwei Verwaltungen sind verbunden, wenn sie gemeinsam Mitglied mindestens einer im Quartal "
     "laufenden Kooperation sind; die Linienstärke ist die Zahl dieser Kooperationen."),
    ("Regelmäßiges Arbeitsgremium",
     "Eine im Quartal laufende Kooperation im Format „Interkommunaler Arbeitskreis“, "
     "„Arbeitskreis in Verband“ oder „Runde der Hauptverwaltungsbeamt*innen“ mit dem "
     "Handlungsfeld „Verwaltung“ – die Befragung fragte nach einem interkommunalen "
     "Arbeitsgremium zur Verwaltungsdigitalisierung. Workshops, Konferenzen und das jährliche "
     "Netzwerktreffen sind keine Arbeitsgremien; IT-Verbund, Zweckverband und Digitalagentur "
     "sind Einrichtungen, keine Gremien."),
)


# --- Checks of what a form or an import sends ------------------------------------------
TRENNER = "; "


FELDER = ("name", "format", "verbindlichkeit", "dauer", "rechtsform", "ausrichtung",
          "handlungsfelder", "federfuehrung_key", "stellvertretung_key", "start", "ende",
          "status", "ansprechperson", "anschluss", "was_funktioniert", "was_nicht")


FELD_NAMEN = {
    "name": "Name", "format": "Format", "verbindlichkeit": "Verbindlichkeit", "dauer": "Dauer",
    "rechtsform": "Rechtsform", "ausrichtung": "Ausrichtung",
    "handlungsfelder": "Handlungsfelder", "federfuehrung_key": "Federführung",
    "stellvertretung_key": "Stellvertretung", "start": "Start", "ende": "Ende",
    "status": "Status", "ansprechperson": "Ansprechperson", "anschluss": "Anschluss",
    "was_funktioniert": "Was funktioniert", "was_nicht": "Was nicht funktioniert",
    "mitglieder": "Mitglieder",
}


@dataclass(frozen=True)
class Mitglied:
    verwaltung_key: str | None = None
    extern_name: str | None = None
    akteurstyp: str | None = None

    @property
    def identitaet(self) -> str:
        return mitglied_id(self.verwaltung_key, self.extern_name)


def _text(value: object) -> str | None:
    if value is None:
        return None
    text = str(value).strip()
    return text or None


def _feld_text(data: Mapping, feld: str, fehler: list[str], *, name: bool = False
               ) -> str | None:
    """A text field: NFKC, no control characters, within its column (refused, never cut);
    ``name``: also no invisible characters, one script, not only a number or date."""
    try:
        if name:
            return textregeln.pruefe_name(data.get(feld), FELD_NAMEN[feld],
                                          max_laenge=textregeln.laenge(Kooperation, feld))
        return textregeln.pruefe_text(data.get(feld), FELD_NAMEN[feld],
                                      max_laenge=textregeln.laenge(Kooperation, feld))
    except ValueError as exc:
        fehler.append(f"{exc}.")
        return None


def _datum_eingabe(value: object, feld: str, fehler: list[str]) -> dt.date | None:
    if value is None or value == "" or (isinstance(value, float) and value != value):
        return None
    if isinstance(value, bool) or textregeln.ist_formel_ohne_wert(value):
        fehler.append(f"{FELD_NAMEN[feld]}: „{value}“ ist kein Datum; erwartet wird TT.MM.JJJJ, "
                      "z. B. 30.09.2026.")
        return None
    try:
        if isinstance(value, dt.date):
            # a start may lie long ago (historisch), an end may be planned (planung)
            return textregeln.pruefe_datum(value, FELD_NAMEN[feld], planung=True,
                                           historisch=True)
        text = str(value).strip()
        for parse in (dt.date.fromisoformat,
                      lambda t: dt.datetime.strptime(t, "%d.%m.%Y").date()):
            try:
                datum = parse(text)
            except ValueError:
                continue
            return textregeln.pruefe_datum(datum, FELD_NAMEN[feld], planung=True,
                                           historisch=True)
    except ValueError as exc:
        fehler.append(f"{exc}.")
        return None
    fehler.append(f"{FELD_NAMEN[feld]}: „{text}“ ist kein Datum; erwartet wird TT.MM.JJJJ, "
                  f"z. B. 30.09.2026.")
    return None


def _liste(value: object) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [v.strip() for v in value.split(";") if v.strip()]
    return [str(v).strip() for v in value if str(v).strip()]


def _erlaubt(werte: Iterable[str]) -> str:
    return ", ".join(werte)


def _mitglieder(value: object, fehler: list[str]) -> list[Mitglied]:
    result: list[Mitglied] = []
    for eintrag in value or []:
        if isinstance(eintrag, str):
            result.append(Mitglied(verwaltung_key=eintrag.strip()))
        elif isinstance(eintrag, Mapping):
            key = _text(eintrag.get("verwaltung_key"))
            if key:
                result.append(Mitglied(verwaltung_key=key))
            else:
                result.append(Mitglied(extern_name=_text(eintrag.get("extern_name")),
                                       akteurstyp=_text(eintrag.get("akteurstyp"))))
        else:
            fehler.append(f"Mitglieder: unlesbarer Eintrag „{eintrag}“.")
    return result


def pruefe(data: Mapping, verwaltungen: Mapping[str, str]) -> tuple[dict, list[Mitglied]]:
    """Validate and normalise a Kooperation's data. verwaltungen: key -> name of the Kreis.

    Returns (values for the Kooperation's columns, members); raises Ungueltig with all
    problems at once. Verbindlichkeit / Dauer left empty take the format's default.
    """
    fehler: list[str] = []
    werte: dict[str, object] = {}
    werte["name"] = _feld_text(data, "name", fehler, name=True)
    if not werte["name"] and not any(f.startswith("Name:") for f in fehler):
        fehler.append("Name: Bitte einen Namen für die Kooperation angeben.")

    werte["format"] = _text(data.get("format"))
    if werte["format"]:
        werte["format"] = formatname(werte["format"])
    standard = einordnung_aus_format(werte["format"]) if werte["format"] else None
    if not werte["format"]:
        fehler.append("Format: Bitte ein Format wählen (z. B. „Gemeinsames Projekt“).")
    elif standard is None:
        fehler.append(f"Format: „{werte['format']}“ ist kein bekanntes Format; erlaubt sind die "
                      f"Formate aus kooperationsformate.csv, z. B. "
                      f"{_erlaubt(format_namen()[:3])} …")

    for feld, erlaubt, index in (("verbindlichkeit", scales.VERBINDLICHKEIT, 0),
                                 ("dauer", scales.DAUER, 1)):
        wert = _text(data.get(feld))
        if wert is None and standard is not None:
            wert = standard[index]
        if wert is None:
            if standard is not None or werte["format"] is None:
                fehler.append(f"{FELD_NAMEN[feld]}: Bitte angeben (erlaubt: {_erlaubt(erlaubt)}).")
        elif wert not in erlaubt:
            fehler.append(f"{FELD_NAMEN[feld]}: „{wert}“ ist nicht erlaubt; erlaubt sind "
                          f"{_erlaubt(erlaubt)}.")
        werte[feld] = wert

    for feld, erlaubt, vorgabe in (("rechtsform", scales.RECHTSFORMEN, "keine"),
                                   ("ausrichtung", scales.AUSRICHTUNGEN, None),
                                   ("status", scales.KOOPERATION_STATUS, None)):
        wert = _text(data.get(feld)) or vorgabe
        if wert is None:
            fehler.append(f"{FELD_NAMEN[feld]}: Bitte angeben (erlaubt: {_erlaubt(erlaubt)}).")
        elif wert not in erlaubt:
            fehler.append(f"{FELD_NAMEN[feld]}: „{wert}“ ist nicht erlaubt; erlaubt sind "
                          f"{_erlaubt(erlaubt)}.")
        werte[feld] = wert

    felder = _liste(data.get("handlungsfelder"))
    if not felder:
        fehler.append(f"Handlungsfelder: Bitte mindestens ein Handlungsfeld wählen "
                      f"({_erlaubt(scales.HANDLUNGSFELDER)}).")
    for feld in felder:
        if feld not in scales.HANDLUNGSFELDER:
            fehler.append(f"Handlungsfelder: „{feld}“ ist nicht erlaubt; erlaubt sind "
                          f"{_erlaubt(scales.HANDLUNGSFELDER)}.")
    werte["handlungsfelder"] = TRENNER.join(dict.fromkeys(felder))

    werte["start"] = _datum_eingabe(data.get("start"), "start", fehler)
    werte["ende"] = _datum_eingabe(data.get("ende"), "ende", fehler)
    if werte["start"] and werte["ende"] and werte["ende"] < werte["start"]:
        fehler.append(f"Ende: Das Ende ({formatting.datum(werte['ende'])}) liegt vor dem Start "
                      f"({formatting.datum(werte['start'])}).")
    if werte["status"] == "beendet" and not werte["ende"]:
        fehler.append("Ende: Eine beendete Kooperation braucht ein Ende-Datum.")

    mitglieder_ = _mitglieder(data.get("mitglieder"), fehler)
    gesehen: set[str] = set()
    eindeutig: list[Mitglied] = []
    for m in mitglieder_:
        if m.verwaltung_key:
            if m.verwaltung_key not in verwaltungen:
                fehler.append(f"Mitglieder: „{m.verwaltung_key}“ ist keine Verwaltung dieses "
                              f"Kreises.")
                continue
        else:
            if not m.extern_name:
                fehler.append("Mitglieder: Ein externes Mitglied braucht einen Namen.")
                continue
            try:
                m = Mitglied(extern_name=textregeln.pruefe_name(
                    m.extern_name, "Mitglieder",
                    max_laenge=textregeln.laenge(KooperationMitglied, "extern_name")),
                    akteurstyp=m.akteurstyp)
            except ValueError as exc:
                fehler.append(f"{exc}.")
                continue
            if not m.akteurstyp:
                fehler.append(f"Mitglieder: Für „{m.extern_name}“ fehlt der Akteurstyp "
                              f"(„Name; Akteurstyp“); erlaubt sind "
                              f"{_erlaubt(scales.AKTEURSTYPEN)}.")
                continue
            if m.akteurstyp not in scales.AKTEURSTYPEN:
                fehler.append(f"Mitglieder: Akteurstyp „{m.akteurstyp}“ von "
                              f"„{m.extern_name}“ ist nicht erlaubt; erlaubt sind "
                              f"{_erlaubt(scales.AKTEURSTYPEN)}.")
                continue
        if m.identitaet not in gesehen:
            gesehen.add(m.identitaet)
            eindeutig.append(m)
    if len(eindeutig) < 2:
        fehler.append(f"Mitglieder: Eine Kooperation braucht mindestens zwei Mitglieder "
                      f"(angegeben: {len(eindeutig)}).")

    mitglied_keys = {m.verwaltung_key for m in eindeutig if m.verwaltung_key}
    for feld in ("federfuehrung_key", "stellvertretung_key"):
        key = _text(data.get(feld))
        werte[feld] = key
        if key and key not in mitglied_keys:
            name = verwaltungen.get(key, key)
            fehler.append(f"{FELD_NAMEN[feld]}: {name} ist kein Mitglied der Kooperation; "
                          f"bitte als Mitglied aufnehmen oder eine andere Verwaltung wählen.")
    if werte["federfuehrung_key"] and werte["federfuehrung_key"] == werte["stellvertretung_key"]:
        fehler.append("Stellvertretung: Die Stellvertretung muss eine andere Verwaltung sein "
                      "als die Federführung.")
    if werte["stellvertretung_key"] and not werte["federfuehrung_key"]:
        fehler.append("Federführung: Eine Stellvertretung gibt es nur mit Federführung; bitte "
                      "die Federführung angeben.")

    for feld in ("ansprechperson", "anschluss", "was_funktioniert", "was_nicht"):
        werte[feld] = _feld_text(data, feld, fehler)
    if fehler:
        raise Ungueltig(fehler)
    return werte, eindeutig


def externe_aus_text(text: str | None) -> list[dict]:
    """External members from a text field, one per line: "Name; Akteurstyp" (the last ";"
    separates). Validation of the Akteurstyp happens in `pruefe`."""
    result = []
    for zeile in (text or "").splitlines():
        if not zeile.strip():
            continue
        name, trenner, typ = zeile.rpartition(";")
        if not trenner:
            name, typ = zeile, ""
        result.append({"extern_name": name.strip(), "akteurstyp": typ.strip() or None})
    return result


def externe_als_text(mitglieder_: Iterable[Mapping]) -> str:
    return "\n".join(f"{m['extern_name']}; {m['akteurstyp']}" for m in mitglieder_
                     if not m.get("verwaltung_key"))
