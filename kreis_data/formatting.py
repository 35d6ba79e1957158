"""German number and date formats (1.234 Einwohner, 30.09.2026, 62 %)."""
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
