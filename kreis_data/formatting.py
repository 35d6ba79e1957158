"""German number and date formats (1.234 Einwohner, 30.09.2026, 62 %) and counted nouns
("1 Verwaltung", "21 Verwaltungen")."""
from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal


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
    if wert is None or wert == "":
        return "–"
    if isinstance(wert, str):
        wert = dt.date.fromisoformat(wert[:10])
    return wert.strftime("%d.%m.%Y")


def zeitpunkt(wert: dt.datetime | None) -> str:
    return "–" if wert is None else wert.strftime("%d.%m.%Y %H:%M")


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
