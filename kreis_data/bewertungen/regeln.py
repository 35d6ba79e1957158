"""Bewertungen rules, pure: how a raw value becomes a Stufe, Quelle, Stand; how a whole set of
rows is validated (every error, German, with row and column); the Digitalisierungsindex.

A reader turns its rows into ``Rohzeile`` records (raw values by field, row number, column
names as the user sees them); ``validate_zeilen`` checks them against the workspace's
``Katalog`` and returns the Eingaben or ALL errors. Used by the long import
(``bewertungen.austausch``), the wide template (``bewertungen.vorlage``: one Rohzeile per cell)
and the form.

**Digitalisierungsindex** (0-100): weighted mean of Stufe/4 over the rated Merkmale. Only ordinal
Merkmale (art "stufe") count; "keine Angabe" is left out of the mean and shows up in the
coverage instead (abgedeckt of gesamt Merkmale).
"""
from __future__ import annotations

import datetime as dt
import difflib
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

import pandas as pd

from kreis_data import scales, textregeln
from kreis_data.io.tabelle import Fehler, anzeige, ist_leer, unescape_formula
from kreis_data.model import Bewertung
from kreis_data.quartal import Quartal, pruefe_quartal


@dataclass(frozen=True)
class BewertungEingabe:
    """One Bewertung as entered (form, import), already validated."""

    verwaltung_key: str
    merkmal_key: str
    quartal: str
    stufe: int | None
    quelle: str | None = None
    stand: dt.date | None = None
    erfasst_von: str | None = None
    bemerkung: str | None = None


# field -> column name of the "lang" layout, in column order (also the default in errors).
SPALTEN: dict[str, str] = {
    "quartal": "Quartal",
    "verwaltung_key": "Verwaltungsschlüssel",
    "verwaltung_name": "Verwaltung",
    "merkmal": "Merkmal",
    "stufe": "Stufe",
    "quelle": "Quelle",
    "stand": "Stand",
    "erfasst_von": "Erfasst von",
    "bemerkung": "Bemerkung",
}


# --- Katalog: what rows are validated against ----------------------------------------------------
@dataclass(frozen=True)
class Katalog:
    """The workspace's Verwaltungen (key -> name) and Merkmale (key -> Merkmal, in order)."""

    verwaltungen: Mapping[str, str]
    merkmale: Mapping[str, scales.Merkmal]

    def find_merkmal(self, text: str) -> scales.Merkmal | None:
        """Merkmal by key or display name, case-insensitive."""
        gesucht = text.strip().casefold()
        for merkmal in self.merkmale.values():
            if gesucht in (merkmal.key.casefold(), merkmal.name.casefold()):
                return merkmal
        return None


# --- Validation core -----------------------------------------------------------------------------
@dataclass(frozen=True)
class Rohzeile:
    """One record as read from a file: raw cell values by field name, with its row number.

    `spalten` overrides the column name shown in errors (e.g. "E-Akte" in a wide template).
    """

    zeile: int
    werte: Mapping[str, object]
    spalten: Mapping[str, str] = field(default_factory=dict)

    def wert(self, feld: str) -> object:
        value = self.werte.get(feld)
        return unescape_formula(value) if isinstance(value, str) else value

    def spalte(self, feld: str) -> str:
        return self.spalten.get(feld, SPALTEN[feld])


class _Ungueltig:
    """Marker for a field that failed validation (its error is already recorded)."""


UNGUELTIG = _Ungueltig()


def validate_zeilen(zeilen: Iterable[Rohzeile], katalog: Katalog, *, datei: str,
                    quartal: str | None = None) -> tuple[list[BewertungEingabe], list[Fehler]]:
    """Validate every record; returns the Eingaben and ALL errors (Eingaben only if no error)."""
    fehler: list[Fehler] = []
    vorgabe = _parse_vorgabe(quartal, datei, fehler)
    eingaben: list[BewertungEingabe] = []
    erste_zeile: dict[tuple[str, str, str], int] = {}
    for roh in zeilen:
        eingabe = _validate_zeile(roh, katalog, vorgabe, datei, fehler)
        if eingabe is None:
            continue
        key = (eingabe.verwaltung_key, eingabe.merkmal_key, eingabe.quartal)
        if key in erste_zeile:
            fehler.append(Fehler(datei, roh.zeile, None, (
                f"doppelte Zeile – Verwaltung {key[0]}, Merkmal {key[1]}, Quartal {key[2]} "
                f"steht schon in Zeile {erste_zeile[key]}; jede Kombination darf nur einmal "
                "vorkommen")))
            continue
        erste_zeile[key] = roh.zeile
        eingaben.append(eingabe)
    return (eingaben if not fehler else []), fehler


def _parse_vorgabe(quartal: str | None, datei: str, fehler: list[Fehler]) -> str | None:
    if quartal is None or str(quartal).strip() == "":
        return None
    try:
        return str(pruefe_quartal(quartal))
    except ValueError as exc:
        fehler.append(Fehler(datei, None, None, f"vorgegebenes Quartal (--quartal): {exc}"))
        return None


def _validate_zeile(roh: Rohzeile, katalog: Katalog, vorgabe: str | None, datei: str,
                    fehler: list[Fehler]) -> BewertungEingabe | None:
    anzahl_vorher = len(fehler)

    def check(feld: str, parse, *args):
        try:
            return parse(textregeln.pruefe_zelle(roh.wert(feld)), *args)
        except ValueError as exc:
            fehler.append(Fehler(datei, roh.zeile, roh.spalte(feld), str(exc)))
            return UNGUELTIG

    quartal = check("quartal", parse_quartal, vorgabe)
    verwaltung_key = check("verwaltung_key", parse_verwaltung, katalog, roh.wert("verwaltung_name"))
    merkmal = check("merkmal", parse_merkmal, katalog)
    stufe = check("stufe", parse_stufe, merkmal) if merkmal is not UNGUELTIG else UNGUELTIG
    quelle = check("quelle", parse_quelle)
    stand = check("stand", parse_stand)
    erfasst_von = check("erfasst_von", parse_text, "Erfasst von", ERFASST_VON_MAX)
    bemerkung = check("bemerkung", parse_text, "Bemerkung", BEMERKUNG_MAX)
    if len(fehler) > anzahl_vorher:
        return None
    return BewertungEingabe(verwaltung_key=verwaltung_key, merkmal_key=merkmal.key,
                            quartal=quartal, stufe=stufe, quelle=quelle, stand=stand,
                            erfasst_von=erfasst_von, bemerkung=bemerkung)


def parse_quartal(value: object, vorgabe: str | None = None) -> str:
    if ist_leer(value):
        if vorgabe:
            return str(pruefe_quartal(vorgabe))
        raise ValueError("Quartal fehlt – erwartet wird JJJJ-QN, z. B. 2026-Q3")
    quartal = str(pruefe_quartal(value))  # format and allowed range; German ValueError
    if vorgabe and quartal != vorgabe:
        raise ValueError(f"„{anzeige(value)}“ weicht vom vorgegebenen Quartal {vorgabe} ab – "
                         f"alle Zeilen müssen zu {vorgabe} gehören")
    return quartal


def schluessel_text(value: object) -> str:
    """Verwaltungsschlüssel as text; restores a leading zero Excel dropped (8 -> 9, 4 -> 5 digits)."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = re.sub(r"\s+", "", str(value)) if value is not None else ""
    if text.isdigit() and len(text) in (4, 8):
        text = "0" + text
    return text


def parse_verwaltung(value: object, katalog: Katalog, name: object = None) -> str:
    if ist_leer(value):
        raise ValueError("Verwaltungsschlüssel fehlt – erwartet wird der 9-stellige "
                         "Regionalschlüssel (ARS) der Verwaltung bzw. der 5-stellige "
                         "Kreisschlüssel für die Kreisverwaltung")
    if isinstance(value, bool):
        raise ValueError(f"„{'WAHR' if value else 'FALSCH'}“ ist ein Wahrheitswert, kein "
                         "Verwaltungsschlüssel – erwartet wird der 9-stellige Regionalschlüssel "
                         "(ARS) bzw. der 5-stellige Kreisschlüssel")
    unsichtbar = [z for z in str(value) if unicodedata.category(z) in ("Cf", "Cc")
                  and not z.isspace()]
    if unsichtbar:
        raise ValueError(f"„{anzeige(value)}“ enthält das unsichtbare Zeichen "
                         f"{textregeln.zeichen_name(unsichtbar[0])} – ein Verwaltungsschlüssel "
                         "besteht nur aus Ziffern (9-stelliger ARS bzw. 5-stelliger "
                         "Kreisschlüssel)")
    key = schluessel_text(value)
    if key in katalog.verwaltungen:
        return key
    meldung = (f"„{anzeige(value)}“ ist keine Verwaltung dieses Kreises – erlaubt sind die "
               f"Schlüssel der {len(katalog.verwaltungen)} Verwaltungen im Arbeitsbereich "
               "(Liste im Blatt „Hinweise“ der Vorlage)")
    vermutung = _verwaltung_nach_name(katalog, name)
    if vermutung:
        meldung += f"; laut Spalte „Verwaltung“ ist vermutlich {vermutung} gemeint"
    raise ValueError(meldung)


def _verwaltung_nach_name(katalog: Katalog, name: object) -> str | None:
    if ist_leer(name):
        return None
    gesucht = str(name).strip().casefold()
    for key, verwaltung_name in katalog.verwaltungen.items():
        if verwaltung_name.casefold() == gesucht:
            return f"{key} ({verwaltung_name})"
    return None


def parse_merkmal(value: object, katalog: Katalog) -> scales.Merkmal:
    erlaubt = ", ".join(f"{m.key} ({m.name})" for m in katalog.merkmale.values())
    if ist_leer(value):
        raise ValueError(f"Merkmal fehlt – erlaubt sind {erlaubt}")
    merkmal = katalog.find_merkmal(str(value))
    if merkmal is not None:
        return merkmal
    meldung = f"„{anzeige(value)}“ ist kein Merkmal dieses Arbeitsbereichs"
    namen = [m.key for m in katalog.merkmale.values()] + [m.name for m in katalog.merkmale.values()]
    nahe = difflib.get_close_matches(str(value).strip(), namen, n=1)
    if nahe:
        meldung += f" – meinten Sie „{nahe[0]}“?"
    raise ValueError(f"{meldung} Erlaubt sind {erlaubt}")


def parse_stufe(value: object, merkmal: scales.Merkmal) -> int | None:
    """Stufe as number or label; WAHR/FALSCH (a bool, which Python counts as 1/0) is refused."""
    if isinstance(value, bool):
        raise ValueError(f"„{'WAHR' if value else 'FALSCH'}“ ist ein Wahrheitswert, keine Stufe "
                         f"– {merkmal._erlaubt_text()}")
    if isinstance(value, str):
        value = value.strip()
    try:
        return merkmal.parse(value)
    except ValueError as exc:
        raise ValueError(f"„{anzeige(value)}“ ist ungültig für {merkmal.name} – {exc}") from None


def parse_quelle(value: object) -> str | None:
    if ist_leer(value):
        return None
    gesucht = str(value).strip().casefold()
    for quelle in scales.QUELLEN:
        if quelle.casefold() == gesucht:
            return quelle
    raise ValueError(f"„{anzeige(value)}“ ist keine gültige Quelle – erlaubt sind "
                     f"{', '.join(scales.QUELLEN)} oder leer")


_DATUM_DE = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})$")


_DATUM_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]00:00(?::00)?)?$")


def parse_stand(value: object) -> dt.date | None:
    """TT.MM.JJJJ, JJJJ-MM-TT or a real Excel date; empty = unknown. Within the plausible range
    (textregeln.pruefe_datum: the allowed quarters)."""
    return textregeln.pruefe_datum(_parse_datum(value), "Stand")


def _parse_datum(value: object) -> dt.date | None:
    if isinstance(value, bool):
        raise ValueError(f"„{'WAHR' if value else 'FALSCH'}“ ist ein Wahrheitswert, kein Datum – "
                         "erlaubt sind TT.MM.JJJJ (z. B. 30.09.2026), JJJJ-MM-TT oder ein "
                         "Excel-Datum; leer, wenn unbekannt")
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if ist_leer(value):
        return None
    text = str(value).strip()
    teile = None
    if match := _DATUM_DE.match(text):
        teile = (int(match.group(3)), int(match.group(2)), int(match.group(1)))
    elif match := _DATUM_ISO.match(text):
        teile = (int(match.group(1)), int(match.group(2)), int(match.group(3)))
    try:
        if teile:
            return dt.date(*teile)
    except ValueError:
        pass
    raise ValueError(f"„{anzeige(value)}“ ist kein gültiges Datum – erlaubt sind TT.MM.JJJJ "
                     "(z. B. 30.09.2026), JJJJ-MM-TT oder ein Excel-Datum; leer, wenn unbekannt")


ERFASST_VON_MAX = textregeln.laenge(Bewertung, "erfasst_von")
BEMERKUNG_MAX = textregeln.laenge(Bewertung, "bemerkung")


def parse_text(value: object, feld: str = "Text",
               max_laenge: int = textregeln.TEXT_MAX) -> str | None:
    """Free text (Erfasst von, Bemerkung): kept as written (NFKC-normalised); empty -> None.
    Longer than ``max_laenge``, a control character or WAHR/FALSCH: German ValueError."""
    if ist_leer(value):
        return None
    return textregeln.pruefe_text(value, feld, max_laenge=max_laenge, strip=False)


# --- Veraltet: the one definition (issue #15) ---------------------------------------------------
def veraltet_grenze(quartal: object) -> dt.date:
    """A value of quarter A whose Stand lies before this day – the first day of A – is
    "veraltet": it was not confirmed during the quarter it is reported for (e.g. copied from the
    quarter before). Datenpflege (Qualitätshinweise), Quartalsreview and report use this rule."""
    return Quartal.parse(quartal).start


def ist_veraltet(stand: object, quartal: object) -> bool:
    """True for a value of `quartal` with a Stand before veraltet_grenze (no Stand: not veraltet
    but "Stand fehlt", a flag of its own)."""
    if stand is None or (not isinstance(stand, dt.date) and pd.isna(stand)):
        return False
    return pd.Timestamp(stand).date() < veraltet_grenze(quartal)


# --- Digitalisierungsindex ---------------------------------------------------------------
def digitalisierungsindex(bewertungen: pd.DataFrame, merkmale: list[scales.Merkmal]) -> pd.DataFrame:
    """Per Verwaltung and Quartal: index (float or NA), abgedeckt, gesamt."""
    gewichte = {m.key: m.gewicht for m in merkmale if m.art == "stufe"}
    frame = bewertungen[bewertungen["merkmal_key"].isin(gewichte)].copy()
    frame["gewicht"] = frame["merkmal_key"].map(gewichte)
    rated = frame[frame["stufe"].notna()].copy()
    rated["punkte"] = rated["gewicht"] * rated["stufe"].astype(float) / 4
    grouped = rated.groupby(["verwaltung_key", "quartal"]).agg(
        punkte=("punkte", "sum"), gewicht=("gewicht", "sum"), abgedeckt=("stufe", "size"))
    keys = frame[["verwaltung_key", "quartal"]].drop_duplicates().set_index(
        ["verwaltung_key", "quartal"])
    result = keys.join(grouped)
    result["index"] = 100 * result["punkte"] / result["gewicht"]
    result["abgedeckt"] = result["abgedeckt"].fillna(0).astype(int)
    result["gesamt"] = len(gewichte)
    return result.reset_index()[["verwaltung_key", "quartal", "index", "abgedeckt", "gesamt"]]


# --- "Quelle · Stand" of a set of Bewertungen (Lagebild, Karte, Steckbrief) --------------------
KEINE_BEWERTUNG = "noch keine Bewertungen erfasst"


def quelle_und_stand(quellen: Iterable[object], staende: pd.Series, demo: bool) -> tuple[str, str]:
    """("Kreis-Erhebung, Selbstauskunft (Demo-Daten, fiktiv)", "27.09.2026"); without any value
    it says so and gives no date (never a made-up Stand such as the end of the quarter)."""
    from kreis_data.formatting import datum

    namen = sorted({str(q) for q in quellen if not ist_leer(q)})
    stand = staende.dropna()
    if not namen and stand.empty:
        return KEINE_BEWERTUNG, "–"
    text = ", ".join(namen) if namen else "ohne Quellenangabe"
    return (f"{text}{' (Demo-Daten, fiktiv)' if demo else ''}",
            datum(stand.max()) if not stand.empty else "–")

