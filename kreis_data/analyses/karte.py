"""Values of the choropleth map: one row per Gemeinde, coloured with its Verwaltung's value.

Selectable are every Merkmal of the workspace and the derived indicators in INDIKATOREN (today
the Digitalisierungsindex; a later EfA-Quote is one more entry there). Everything here is pure:
it works on an Engine or on a `Grundlage` of plain DataFrames (for tests).
"""
from __future__ import annotations

import html
import json
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd
import shapely
from sqlalchemy import Engine

from kreis_data import formatting, map_style, queries, scales
from kreis_data.analyses.lagebild import ZIEL_STUFE
from kreis_data.bewertungen import regeln
from kreis_data.bewertungen.regeln import digitalisierungsindex

INDEX_KEY = "index"
WERTE_SPALTEN = ["verwaltung_key", "klasse", "label", "wert", "stand", "quelle"]
# ja/nein Merkmale use the ends of the sequential scale, so the two are clearly apart.
JA_NEIN_KLASSEN = (0, 4)


@dataclass(frozen=True)
class Grundlage:
    """What the map needs for one quarter, as DataFrames of kreis_data.queries."""

    gemeinden: pd.DataFrame  # queries.gemeinden (ags, name, einwohner, verwaltung_key, verwaltung)
    verwaltungen: pd.DataFrame  # queries.verwaltungen
    bewertungen: pd.DataFrame  # queries.bewertungen of the quarter
    merkmale: tuple[scales.Merkmal, ...]
    efa_quoten: pd.DataFrame | None = None  # efa.lesen.efa_quote of the quarter
    demo: bool = False  # the workspace holds the (fictitious) demo data


def grundlage(engine: Engine, quartal: str) -> Grundlage:
    """Everything the map's views of one quarter derive from (the app builds it once per
    quarter and data version: components/data.py). Derive from it, never change it."""
    from kreis_data.efa.lesen import efa_quote

    return Grundlage(queries.gemeinden(engine), queries.verwaltungen(engine),
                     queries.bewertungen(engine, quartal), tuple(queries.merkmale(engine)),
                     efa_quote(engine, quartal), queries.ist_demo(engine))


@dataclass(frozen=True)
class Kartenmerkmal:
    """A selectable map layer: a Merkmal or a derived indicator, with its legend."""

    key: str
    name: str
    art: str  # "stufe", "ja_nein" or "indikator"
    legende: tuple[tuple[str, int | None], ...]  # (label, klasse); None = keine Angabe


@dataclass(frozen=True)
class Indikator:
    """A derived, numeric indicator shown in classes (0-100 scale, scales.INDEX_KLASSEN)."""

    key: str
    name: str
    werte: Callable[[Grundlage], pd.DataFrame]  # -> WERTE_SPALTEN per Gemeinde-level Verwaltung
    satz: Callable[[pd.DataFrame], str]  # one German sentence on the per-Verwaltung values


def _quelle_text(quellen: pd.Series) -> str | None:
    werte = sorted(q for q in quellen.dropna().unique())
    return ", ".join(werte) if werte else None


def _index_werte(basis: Grundlage) -> pd.DataFrame:
    index = digitalisierungsindex(basis.bewertungen, list(basis.merkmale)).set_index(
        "verwaltung_key")
    gruppen = basis.bewertungen.groupby("verwaltung_key")
    gesamt = sum(m.art == "stufe" for m in basis.merkmale)
    rows = []
    for key in _gemeinde_ebene(basis)["key"]:
        wert = index["index"].get(key)
        wert = None if wert is None or pd.isna(wert) else float(wert)
        abgedeckt = int(index["abgedeckt"].get(key, 0))
        label = (scales.KEINE_ANGABE if wert is None
                 else f"{formatting.zahl(wert)} von 100 ({abgedeckt} von {gesamt} Merkmalen "
                      f"bewertet)")
        eigene = gruppen.get_group(key) if key in gruppen.groups else basis.bewertungen.iloc[:0]
        stand = eigene["stand"].dropna()
        rows.append({"verwaltung_key": key, "klasse": scales.index_klasse(wert), "label": label,
                     "wert": wert, "stand": stand.max() if not stand.empty else None,
                     "quelle": _quelle_text(eigene["quelle"])})
    return pd.DataFrame(rows, columns=WERTE_SPALTEN)


def _index_satz(werte: pd.DataFrame) -> str:
    bekannt = werte["wert"].dropna()
    ohne = len(werte) - len(bekannt)
    if bekannt.empty:
        return (f"Für keine der {formatting.anzahl(len(werte), 'Verwaltung')} lässt sich ein "
                "Digitalisierungsindex berechnen.")
    return (f"Der Digitalisierungsindex {_der(len(bekannt))} mit Angaben liegt im "
            f"Mittel bei {formatting.zahl(bekannt.mean())} von 100 (zwischen "
            f"{formatting.zahl(bekannt.min())} und {formatting.zahl(bekannt.max())})"
            f"{_ohne_text(ohne)}")


EFA_QUOTE_KEY = "efa_quote"


def _efa_werte(basis: Grundlage) -> pd.DataFrame:
    """EfA-Quote (live / zuständige Leistungen, in %) per Gemeinde-level Verwaltung."""
    quoten = (basis.efa_quoten.set_index("verwaltung_key") if basis.efa_quoten is not None
              else pd.DataFrame(columns=["quote", "live", "zustaendig"]))
    rows = []
    for key in _gemeinde_ebene(basis)["key"]:
        wert = quoten["quote"].get(key) if key in quoten.index else None
        wert = None if wert is None or pd.isna(wert) else float(wert)
        label = (scales.KEINE_ANGABE if wert is None else
                 f"{formatting.prozent(wert)} ({int(quoten['live'][key])} von "
                 f"{int(quoten['zustaendig'][key])} zuständigen Leistungen live)")
        rows.append({"verwaltung_key": key, "klasse": scales.index_klasse(wert), "label": label,
                     "wert": wert, "stand": None, "quelle": "EfA-Anbindungen"})
    return pd.DataFrame(rows, columns=WERTE_SPALTEN)


def _efa_satz(werte: pd.DataFrame) -> str:
    bekannt = werte["wert"].dropna()
    if bekannt.empty:
        return "Für keine Verwaltung sind EfA-Anbindungen erfasst."
    return (f"Die EfA-Quote {_der(len(bekannt))} liegt im Mittel bei "
            f"{formatting.prozent(bekannt.mean())} (zwischen {formatting.prozent(bekannt.min())} "
            f"und {formatting.prozent(bekannt.max())}){_ohne_text(len(werte) - len(bekannt))}")


# The one place to register a derived indicator shown in classes of 0-100.
INDIKATOREN: dict[str, Indikator] = {
    INDEX_KEY: Indikator(INDEX_KEY, "Digitalisierungsindex", _index_werte, _index_satz),
    EFA_QUOTE_KEY: Indikator(EFA_QUOTE_KEY, "EfA-Quote", _efa_werte, _efa_satz),
}


def kartenmerkmale(merkmale: list[scales.Merkmal] | tuple[scales.Merkmal, ...]
                   ) -> list[Kartenmerkmal]:
    """The selectable layers: every Merkmal in its order, then the indicators."""
    result = []
    for merkmal in merkmale:
        if merkmal.art == "ja_nein":
            legende = tuple((merkmal.label(w), JA_NEIN_KLASSEN[w]) for w in merkmal.werte)
        else:
            legende = tuple((merkmal.kurzlabel(w), w) for w in merkmal.werte)
        result.append(Kartenmerkmal(merkmal.key, merkmal.name, merkmal.art,
                                    legende + ((scales.KEINE_ANGABE, None),)))
    for indikator in INDIKATOREN.values():
        legende = tuple((label, klasse) for klasse, label in enumerate(scales.INDEX_KLASSEN_LABELS))
        result.append(Kartenmerkmal(indikator.key, indikator.name, "indikator",
                                    legende + ((scales.KEINE_ANGABE, None),)))
    return result


def kartenmerkmal(merkmale, key: str) -> Kartenmerkmal:
    for item in kartenmerkmale(merkmale):
        if item.key == key:
            return item
    raise ValueError(f"„{key}“ ist kein Merkmal der Karte")


def _gemeinde_ebene(basis: Grundlage) -> pd.DataFrame:
    return basis.verwaltungen[~basis.verwaltungen["kreisverwaltung"]]


def _merkmal_werte(basis: Grundlage, merkmal: scales.Merkmal) -> pd.DataFrame:
    eigene = basis.bewertungen[basis.bewertungen["merkmal_key"] == merkmal.key].set_index(
        "verwaltung_key")
    rows = []
    for key in _gemeinde_ebene(basis)["key"]:
        if key in eigene.index:
            row = eigene.loc[key]
            stufe = None if pd.isna(row["stufe"]) else int(row["stufe"])
            stand, quelle = row["stand"], row["quelle"]
        else:
            stufe, stand, quelle = None, None, None
        klasse = (None if stufe is None
                  else JA_NEIN_KLASSEN[stufe] if merkmal.art == "ja_nein" else stufe)
        rows.append({"verwaltung_key": key, "klasse": klasse,
                     "label": merkmal.kurzlabel(stufe), "wert": stufe,
                     "stand": None if pd.isna(stand) else stand,
                     "quelle": None if pd.isna(quelle) else quelle})
    return pd.DataFrame(rows, columns=WERTE_SPALTEN)


def _basis(quelle: Engine | Grundlage, quartal: str) -> Grundlage:
    return quelle if isinstance(quelle, Grundlage) else grundlage(quelle, quartal)


def verwaltungs_werte(quelle: Engine | Grundlage, quartal: str, merkmal_key: str
                      ) -> pd.DataFrame:
    """One row per Gemeinde-level Verwaltung (no Kreisverwaltung): verwaltung_key, verwaltung,
    klasse (0-4 or NA), label, wert (Stufe or indicator value), stand, quelle."""
    basis = _basis(quelle, quartal)
    if merkmal_key in INDIKATOREN:
        werte = INDIKATOREN[merkmal_key].werte(basis)
    else:
        merkmal = next((m for m in basis.merkmale if m.key == merkmal_key), None)
        if merkmal is None:
            raise ValueError(f"„{merkmal_key}“ ist kein Merkmal der Karte")
        werte = _merkmal_werte(basis, merkmal)
    namen = basis.verwaltungen.set_index("key")["name"]
    werte.insert(1, "verwaltung", werte["verwaltung_key"].map(namen))
    werte["klasse"] = werte["klasse"].astype("Int64")
    werte["wert"] = pd.to_numeric(werte["wert"]).astype("Float64")
    return werte


def karten_werte(quelle: Engine | Grundlage, quartal: str, merkmal_key: str) -> pd.DataFrame:
    """One row per Gemeinde: ags, gemeinde, einwohner, verwaltung_key, verwaltung, klasse,
    label, wert, stand, quelle. Member Gemeinden carry their Verwaltung's value."""
    basis = _basis(quelle, quartal)
    werte = verwaltungs_werte(basis, quartal, merkmal_key).drop(columns="verwaltung")
    gemeinden = basis.gemeinden.rename(columns={"name": "gemeinde"})[
        ["ags", "gemeinde", "einwohner", "verwaltung_key", "verwaltung"]]
    frame = gemeinden.merge(werte, on="verwaltung_key", how="left")
    frame["label"] = frame["label"].fillna(scales.KEINE_ANGABE)
    return frame.sort_values("gemeinde", key=lambda s: s.str.lower()).reset_index(drop=True)


def _der(n: int) -> str:
    """ "der 21 Verwaltungen" / "der Verwaltung" (genitive after a noun)."""
    return "der Verwaltung" if n == 1 else f"der {formatting.anzahl(n, 'Verwaltung')}"


def _ohne_text(ohne: int) -> str:
    return "; alle mit Angabe." if ohne == 0 else f"; {ohne} ohne Angabe."


def zusammenfassung(quelle: Engine | Grundlage, quartal: str, merkmal_key: str) -> str:
    """One German sentence for the map's text alternative, counted over the Verwaltungen – and
    the base of the count, when the Kreis has a Kreisverwaltung the map does not show."""
    basis = _basis(quelle, quartal)
    werte = verwaltungs_werte(basis, quartal, merkmal_key)
    satz = _zusammenfassung(basis, werte, merkmal_key)
    kreis = set(basis.verwaltungen.loc[basis.verwaltungen["kreisverwaltung"], "key"])
    if kreis and not kreis & set(werte["verwaltung_key"]):
        satz += " Gezählt ohne die Kreisverwaltung (sie hat keine eigene Fläche auf der Karte)."
    return satz


def _zusammenfassung(basis: Grundlage, werte: pd.DataFrame, merkmal_key: str) -> str:
    if merkmal_key in INDIKATOREN:
        return INDIKATOREN[merkmal_key].satz(werte)
    merkmal = next(m for m in basis.merkmale if m.key == merkmal_key)
    gesamt = len(werte)
    ohne = int(werte["wert"].isna().sum())
    if merkmal.art == "ja_nein":
        ja = int((werte["wert"] == 1).sum())
        return (f"Bei {ja} von {formatting.anzahl(gesamt, 'Verwaltung')} gilt „{merkmal.name}“: "
                f"{merkmal.label(1)}{_ohne_text(ohne)}")
    treffer = int((werte["wert"] >= ZIEL_STUFE).sum())
    return (f"{treffer} von {formatting.anzahl(gesamt, 'Verwaltung')} "
            f"{'hat' if gesamt == 1 else 'haben'} bei {merkmal.name} mindestens Stufe "
            f"{ZIEL_STUFE} („{merkmal.label(ZIEL_STUFE)}“) erreicht{_ohne_text(ohne)}")


TABELLEN_SPALTEN = {"gemeinde": "Gemeinde", "verwaltung": "Verwaltung", "einwohner": "Einwohner",
                    "label": "Stufe", "wert": "Wert", "stand": "Stand", "quelle": "Quelle"}


def tabelle(werte: pd.DataFrame) -> pd.DataFrame:
    """The map's table twin with German column names (typed columns, so it sorts correctly)."""
    frame = werte[list(TABELLEN_SPALTEN)].rename(columns=TABELLEN_SPALTEN)
    frame["Stand"] = pd.to_datetime(frame["Stand"])
    frame["Quelle"] = frame["Quelle"].fillna(formatting.LEER)
    # The sort column shows the value as the text beside it does ("91 von 100", "63 %"):
    # rounded half up to a whole number, so no grid draws "90.625" (issue #15).
    frame["Wert"] = np.floor(frame["Wert"].astype("Float64") + 0.5).astype("Int64")
    return frame


# --- Values for the map component ----------------------------------------------------------------
def anzeige(quelle: Engine | Grundlage, quartal: str, merkmal_key: str) -> dict[str, dict]:
    """What the map shows per Verwaltung (the geometry comes once, see kartengeometrie):
    {key: {"k": class 0-4 or None, "t": [[label, text], ...] tooltip rows}}. Text only – the
    browser inserts it as text."""
    basis = _basis(quelle, quartal)
    name = kartenmerkmal(basis.merkmale, merkmal_key).name
    werte = verwaltungs_werte(basis, quartal, merkmal_key)
    return {row.verwaltung_key: {
        "k": None if pd.isna(row.klasse) else int(row.klasse),
        "t": [["Verwaltung", str(row.verwaltung)], [name, str(row.label)],
              ["Stand", formatting.datum(None if pd.isna(row.stand) else row.stand)]]}
        for row in werte.itertuples()}


def verwaltung_grenzen(engine: Engine) -> dict:
    """FeatureCollection of the Verwaltungen (Gemeinden dissolved), for their borders."""
    gemeinden = queries.gemeinden(engine, with_geometry=True)
    gemeinden = gemeinden[gemeinden["geometry"].notna()]
    features = []
    for key, gruppe in gemeinden.groupby("verwaltung_key", sort=True):
        flaechen = [shapely.from_geojson(g) for g in gruppe["geometry"]]
        umriss = shapely.make_valid(shapely.union_all(flaechen, grid_size=1e-6))
        features.append({"type": "Feature", "id": key,
                         "geometry": json.loads(shapely.to_geojson(umriss)),
                         "properties": {"verwaltung_key": key,
                                        "name": html.escape(gruppe["verwaltung"].iloc[0]),
                                        "style": map_style.VERWALTUNG_RAND}})
    return {"type": "FeatureCollection", "features": features}


def quelle_und_stand(quelle: Engine | Grundlage, quartal: str, merkmal_key: str
                     ) -> tuple[str, str]:
    """("Selbstauskunft, Kreis-Erhebung (Demo-Daten, fiktiv)", "15.09.2026") of the map values;
    Stand is the newest date of a value, else the end of the quarter."""
    basis = _basis(quelle, quartal)
    werte = verwaltungs_werte(basis, quartal, merkmal_key)
    # an indicator's quelle already joins several ("Schätzung, Selbstauskunft")
    einzeln = werte["quelle"].dropna().str.split(", ").explode()
    return regeln.quelle_und_stand(einzeln, werte["stand"], basis.demo)
