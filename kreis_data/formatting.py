"""The one formatting module for everything people read (issue #15): German numbers with a
decimal comma (1.234 Einwohner, 30,5, 62 %), dates TT.MM.JJJJ, times in Europe/Berlin, quarters
in one reader format ("3. Quartal 2026"; the code "2026-Q3" stays for URLs, keys and files meant
for machines), one sign for a missing value, counted nouns ("1 Verwaltung", "21 Verwaltungen")
and tables made readable as a whole (``fuer_leser``)."""
from __future__ import annotations

import datetime as dt
import re
from decimal import ROUND_HALF_UP, Decimal
from zoneinfo import ZoneInfo

import pandas as pd

from kreis_data.quartal import Quartal

# A missing value: "–" in tables and lists, "keine Angabe" where a sentence or a key figure
# names it (never "None", "nan" or "0 %").
LEER = "–"
KEINE_ANGABE = "keine Angabe"
ZEITZONE = ZoneInfo("Europe/Berlin")


def zahl(wert: float | int | None, stellen: int = 0) -> str:
    if wert is None or wert != wert:
        return "–"
    # Commercial rounding (12,5 -> 13), as users expect, not Python's round-half-even.
    gerundet = Decimal(str(wert)).quantize(Decimal(1).scaleb(-stellen), rounding=ROUND_HALF_UP)
    text = f"{gerundet:,.{stellen}f}"
    return text.replace(",", "\0").replace(".", ",").replace("\0", ".")


def prozent(wert: float | None, stellen: int = 0) -> str:
    """wert in percent (0-100)."""
    return "–" if wert is None or wert != wert else f"{zahl(wert, stellen)} %"


def delta(wert: float | None, einheit: str = "", stellen: int = 0) -> str:
    """Signed change, e.g. "+2", "−1,5 Prozentpunkte", "±0"."""
    if wert is None or wert != wert:
        return "–"
    if round(wert, stellen) == 0:
        text = "±0"
    else:
        text = ("+" if wert > 0 else "−") + zahl(abs(wert), stellen)
    return f"{text} {einheit}".strip()


def datum(wert: dt.date | dt.datetime | str | None) -> str:
    if leer(wert):
        return "–"
    if isinstance(wert, str):
        wert = dt.date.fromisoformat(wert[:10])
    elif isinstance(wert, dt.datetime):  # a stored time (UTC): the day in Germany
        wert = ortszeit(wert)
    return wert.strftime("%d.%m.%Y")


def ortszeit(wert: dt.datetime) -> dt.datetime:
    """A stored time (naive = UTC, as the database keeps it) in German local time."""
    if wert.tzinfo is None:
        wert = wert.replace(tzinfo=dt.UTC)
    return wert.astimezone(ZEITZONE)


def zeitpunkt(wert: dt.datetime | None) -> str:
    """ "30.11.2026, 08:42 Uhr" in Europe/Berlin (stored times are UTC)."""
    if leer(wert):
        return LEER
    return ortszeit(wert).strftime("%d.%m.%Y, %H:%M Uhr")


def quartal(wert: object) -> str:
    """A quarter as people read it: "3. Quartal 2026" ("2026-Q3" or a Quartal)."""
    if leer(wert):
        return LEER
    return Quartal.parse(wert).label


_QUARTALSCODE = re.compile(r"(?<![=/\w])(\d{4})-Q([1-4])\b")


def quartale_im_text(text: str) -> str:
    """Quarter codes inside a generated sentence ("live seit 2025-Q2") in the reader format."""
    return _QUARTALSCODE.sub(lambda m: f"{m.group(2)}. Quartal {m.group(1)}", text)


def namensliste(text: object) -> str:
    """Names entered one per line (or separated by ";") as one line joined with commas:
    "Anna Beispiel (Vorsitz), Bernd Muster, Carla Test"."""
    if leer(text):
        return LEER
    return ", ".join(t.strip() for t in re.split(r"[\n;]+", str(text)) if t.strip())


def ja_nein(wert: object) -> str:
    if leer(wert):
        return LEER
    return "ja" if wert else "nein"


def leer(wert: object) -> bool:
    """None, NaN, NaT, pd.NA or an empty string."""
    if wert is None or (isinstance(wert, str) and not wert.strip()):
        return True
    try:
        return bool(pd.isna(wert))
    except (TypeError, ValueError):
        return False


def fuer_leser(tabelle: pd.DataFrame, stellen: int | dict[str, int] = 1) -> pd.DataFrame:
    """A table as people read it in the app's grid, which would draw None for a gap, "30.47"
    for a fraction and True/False for a flag: gaps become "–", fractions German text with
    `stellen` decimals (per column if a dict), flags "ja"/"nein", dates TT.MM.JJJJ, quarter codes
    the reader format. Whole-number columns without gaps stay numbers (they sort as numbers)."""
    ergebnis = tabelle.copy()
    for spalte in ergebnis.columns:
        werte = ergebnis[spalte]
        n = stellen.get(spalte, 1) if isinstance(stellen, dict) else stellen
        if pd.api.types.is_bool_dtype(werte):
            ergebnis[spalte] = werte.map(ja_nein)
        elif pd.api.types.is_numeric_dtype(werte):
            ganz = werte.dropna()
            if werte.isna().any() or not (ganz == ganz.round()).all():
                ergebnis[spalte] = werte.map(lambda w, n=n: LEER if leer(w) else zahl(w, n))
        elif pd.api.types.is_datetime64_any_dtype(werte):
            ergebnis[spalte] = werte.map(lambda w: LEER if leer(w) else datum(w))
        else:
            ergebnis[spalte] = werte.map(_zelle)
    return ergebnis


def _zelle(wert: object) -> object:
    if leer(wert):
        return LEER
    if isinstance(wert, bool):
        return ja_nein(wert)
    if isinstance(wert, float):
        return zahl(wert, 0 if wert == int(wert) else 1)
    if isinstance(wert, dt.datetime):
        return zeitpunkt(wert)
    if isinstance(wert, dt.date):
        return datum(wert)
    if isinstance(wert, str):
        return quartale_im_text(wert)
    return wert


# Plotly's layout.separators for German charts: decimal comma, thousands point.
PLOTLY_TRENNZEICHEN = ",."


# Plurals of the nouns the product counts (the Verwaltungsarten are in kreis_data.laender).
MEHRZAHL: dict[str, str] = {
    "Gemeinde": "Gemeinden", "Verwaltung": "Verwaltungen", "Leistung": "Leistungen",
    "Kooperation": "Kooperationen", "Merkmal": "Merkmale", "Maßnahme": "Maßnahmen",
    "Einwohner": "Einwohner", "Kreis": "Kreise", "Produkt": "Produkte", "Standard": "Standards",
    "Anbindung": "Anbindungen", "Bewertung": "Bewertungen", "Quartal": "Quartale",
}


def anzahl(n: int, einzahl: str, mehrzahl: str | None = None) -> str:
    """ "1 Gemeinde", "34 Gemeinden", "1.234 Einwohner" (German thousands separator)."""
    wort = einzahl if n == 1 else (mehrzahl or MEHRZAHL.get(einzahl, einzahl))
    return f"{zahl(n)} {wort}"
