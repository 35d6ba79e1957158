"""National survey values (datasets/reference/bundesvergleich.csv) for the Bundesvergleich.

Every distribution carries its source, survey date, who was asked (befragte) and n. Values
of a survey older than three years are marked as historical. Surveys of Landkreise are compared
with the Kreisverwaltung, surveys of Städte/Gemeinden with the Gemeinde-level Verwaltungen.
"""
from __future__ import annotations

import datetime as dt
import functools
import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from kreis_data import scales

CSV_PATH = Path(__file__).resolve().parent / "datasets" / "reference" / "bundesvergleich.csv"
VERALTET_NACH_JAHREN = 3
HISTORISCH_TEXT = "historisch (älter als drei Jahre)"
EBENE_KREIS = "Kreis"
EBENE_GEMEINDE = "Gemeinde"

# Last day of the period a survey date names ("Ende 2017", "Frühjahr 2022", "Q1 2019", "2021").
_ZEITRAUM_ENDE = {
    "anfang": (3, 31), "frühjahr": (5, 31), "mitte": (6, 30), "sommer": (8, 31),
    "herbst": (11, 30), "ende": (12, 31), "q1": (3, 31), "q2": (6, 30), "q3": (9, 30),
    "q4": (12, 31),
}


def erhebungsdatum(text: str) -> dt.date | None:
    """Latest day the survey date can mean (so nothing is marked historical too early)."""
    match = re.search(r"(\d{4})", str(text))
    if not match:
        return None
    jahr = int(match.group(1))
    wort = str(text)[:match.start()].strip().lower()
    monat, tag = _ZEITRAUM_ENDE.get(wort, (12, 31))
    return dt.date(jahr, monat, tag)


def ebene(befragte: str) -> str:
    """"Kreis" for surveys of Landkreise, else "Gemeinde" (Städte, Gemeinden, Kommunen)."""
    return EBENE_KREIS if str(befragte).strip().lower() in {"landkreise", "kreise"} \
        else EBENE_GEMEINDE


@dataclass(frozen=True)
class Verteilung:
    """One national distribution of a Merkmal over the Stufen, in percent of respondents."""

    merkmal_key: str
    quelle: str
    erhebung: str  # as published, e.g. "Ende 2017"
    befragte: str
    n: str
    anteile: tuple[tuple[int, float, str], ...]  # (stufe, percent, answer as asked)
    hinweis: str = ""

    @property
    def ebene(self) -> str:
        return ebene(self.befragte)

    @property
    def erhebungsdatum(self) -> dt.date | None:
        return erhebungsdatum(self.erhebung)

    def veraltet(self, stichtag: dt.date) -> bool:
        """True when the survey is older than three years at `stichtag`."""
        datum = self.erhebungsdatum
        if datum is None:
            return True
        try:
            grenze = stichtag.replace(year=stichtag.year - VERALTET_NACH_JAHREN)
        except ValueError:  # 29 February
            grenze = stichtag.replace(year=stichtag.year - VERALTET_NACH_JAHREN, day=28)
        return datum < grenze

    def anteil(self, stufe: int) -> float | None:
        return next((p for s, p, _ in self.anteile if s == stufe), None)

    def anteil_ab(self, stufe: int) -> float:
        return sum(p for s, p, _ in self.anteile if s >= stufe)

    def beschriftung(self, stichtag: dt.date) -> str:
        """"Quelle: … · Erhebung: Ende 2017 · befragt: Landkreise (n = 146)" (+ historisch)."""
        text = (f"Quelle: {self.quelle} · Erhebung: {self.erhebung} · befragt: {self.befragte}"
                f"{f' (n = {self.n})' if self.n else ''}")
        return f"{text} · {HISTORISCH_TEXT}" if self.veraltet(stichtag) else text


@functools.lru_cache(maxsize=4)
def _laden(path: str) -> pd.DataFrame:
    frame = pd.read_csv(path, sep=";", dtype=str, keep_default_na=False, encoding="utf-8")
    frame["anteil_prozent"] = pd.to_numeric(frame["anteil_prozent"])
    return frame


def laden(path: Path | str = CSV_PATH) -> pd.DataFrame:
    """The CSV as a DataFrame (all text columns; anteil_prozent numeric)."""
    return _laden(str(path)).copy()


def _quelle(texte: list[str]) -> str:
    """The fullest wording of a source (rows often shorten it after the first)."""
    return max(texte, key=len)


def verteilungen(merkmal_key: str, path: Path | str = CSV_PATH) -> list[Verteilung]:
    """National distributions of a Merkmal on the 0-4 scale, one per survey (erhebung,
    befragte), newest first. Rows without a Stufe (other questions) are left out."""
    frame = laden(path)
    frame = frame[(frame["merkmal"] == merkmal_key) & (frame["stufe"].str.strip() != "")]
    result = []
    for (erhebung, befragte), gruppe in frame.groupby(["erhebung", "befragte"], sort=False):
        anteile = tuple(sorted((int(r.stufe), float(r.anteil_prozent), r.antwort)
                               for r in gruppe.itertuples()))
        hinweise = [h for h in gruppe["hinweis"] if h.strip()]
        result.append(Verteilung(
            merkmal_key=merkmal_key, quelle=_quelle(list(gruppe["quelle"])), erhebung=erhebung,
            befragte=befragte, n=_quelle(list(gruppe["n"])), anteile=anteile,
            hinweis="; ".join(hinweise).strip('"')))
    return sorted(result, key=lambda v: v.erhebungsdatum or dt.date.min, reverse=True)


def fuer_ebene(merkmal_key: str, ebene_: str, path: Path | str = CSV_PATH) -> list[Verteilung]:
    """Distributions that compare with a Verwaltung of this level ("Kreis" or "Gemeinde")."""
    return [v for v in verteilungen(merkmal_key, path) if v.ebene == ebene_]


def verteilung_im_kreis(bewertungen: pd.DataFrame, merkmal_key: str, keys: list[str]
                        ) -> dict[int | None, float]:
    """The Kreis's own distribution among the Verwaltungen `keys`, in percent per Stufe
    (None = keine Angabe, including Verwaltungen without any Bewertung)."""
    werte = bewertungen[bewertungen["merkmal_key"] == merkmal_key].set_index(
        "verwaltung_key")["stufe"].reindex(keys)
    if not keys:
        return {}
    result: dict[int | None, float] = {}
    for stufe in scales.STUFEN:
        anzahl = int((werte == stufe).sum())
        if anzahl:
            result[stufe] = 100 * anzahl / len(keys)
    ohne = int(werte.isna().sum())
    if ohne:
        result[None] = 100 * ohne / len(keys)
    return result


@dataclass(frozen=True)
class Vergleich:
    """What the Steckbrief shows for one Merkmal with national values."""

    merkmal: scales.Merkmal
    eigene_stufe: int | None
    national: tuple[Verteilung, ...]
    andere_ebene: bool  # the national survey asked another level than this Verwaltung's
    kreis: dict[int | None, float] | None = None  # Kreis distribution (Gemeinde level only)
    kreis_anzahl: int = 0  # number of Verwaltungen in that distribution


def vergleiche(merkmale: list[scales.Merkmal], bewertungen: pd.DataFrame, verwaltung_key: str,
               ist_kreisverwaltung: bool, gemeinde_keys: list[str],
               path: Path | str = CSV_PATH) -> list[Vergleich]:
    """Bundesvergleich of a Verwaltung for every Merkmal with a national distribution.

    Kreisverwaltung: the surveys of Landkreise. Gemeinde-level Verwaltung: the Kreis's own
    distribution over `gemeinde_keys` beside the national one (a survey of Städte/Gemeinden
    when there is one, else that of the Landkreise, marked as another level).
    """
    eigene = bewertungen[bewertungen["verwaltung_key"] == verwaltung_key].set_index(
        "merkmal_key")["stufe"]
    eigene_ebene = EBENE_KREIS if ist_kreisverwaltung else EBENE_GEMEINDE
    result = []
    for merkmal in merkmale:
        alle = verteilungen(merkmal.key, path)
        if not alle or merkmal.art != "stufe":
            continue
        passend = tuple(v for v in alle if v.ebene == eigene_ebene)
        stufe = eigene.get(merkmal.key)
        stufe = None if stufe is None or pd.isna(stufe) else int(stufe)
        kreis = (None if ist_kreisverwaltung
                 else verteilung_im_kreis(bewertungen, merkmal.key, gemeinde_keys))
        result.append(Vergleich(
            merkmal=merkmal, eigene_stufe=stufe, national=passend or tuple(alle),
            andere_ebene=not passend, kreis=kreis,
            kreis_anzahl=0 if ist_kreisverwaltung else len(gemeinde_keys)))
    return result


def vergleiche_fuer(engine, verwaltung_key: str, quartal: str) -> list[Vergleich]:
    """vergleiche() read from the database for a Verwaltung in a quarter."""
    from kreis_data import queries

    verwaltungen = queries.verwaltungen(engine)
    zeile = verwaltungen[verwaltungen["key"] == verwaltung_key]
    if zeile.empty:
        return []
    gemeinde_keys = list(verwaltungen.loc[~verwaltungen["kreisverwaltung"], "key"])
    return vergleiche(queries.merkmale(engine), queries.bewertungen(engine, quartal),
                      verwaltung_key, bool(zeile["kreisverwaltung"].iloc[0]), gemeinde_keys)
