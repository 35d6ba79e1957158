"""Quartal ("2026-Q3"): the time unit of every Bewertung, Anbindung and review.

``Quartal.parse`` only reads the format. Every place where a quarter *enters* (imports, forms,
``--quartal`` of the command line, ``check`` for what is stored) uses ``pruefe_quartal``: the
quarter must lie in the allowed range around today – the one place where that range is set:

* reported data (Bewertungen, Anbindungen, Einordnung of a Kooperation, ``--quartal``): from
  ``IKZ_QUARTAL_VON`` (default 2015-Q1) to the current quarter plus ``IKZ_QUARTALE_VORAUS``
  (default 4);
* plans (Start of a Maßnahme, Meilensteine, due quarters of Aufgaben): the same start, up to
  the current quarter plus ``IKZ_PLANUNG_VORAUS`` (default 40, ten years).

A quarter outside (e.g. "0000-Q1" or "9999-Q4") would break every page that counts quarters or
turns them into dates; it is refused with a German message naming the allowed range.
"""
from __future__ import annotations

import datetime as dt
import functools
import os
import re
from dataclasses import dataclass

_PATTERN = re.compile(r"^(\d{4})-Q([1-4])$")


@dataclass(frozen=True, order=True)
class Quartal:
    jahr: int
    nummer: int

    @classmethod
    def parse(cls, text: object) -> Quartal:
        """Parse "2026-Q3"; raises ValueError with a German message otherwise."""
        if isinstance(text, Quartal):
            return text
        match = _PATTERN.match(str(text).strip().upper()) if text is not None else None
        if not match:
            raise ValueError(
                f"„{text}“ ist kein gültiges Quartal; erwartet wird JJJJ-QN, z. B. 2026-Q3"
            )
        return cls(int(match.group(1)), int(match.group(2)))

    @classmethod
    def of_date(cls, datum: dt.date) -> Quartal:
        return cls(datum.year, (datum.month - 1) // 3 + 1)

    def __str__(self) -> str:
        return f"{self.jahr}-Q{self.nummer}"

    @property
    def label(self) -> str:
        """German display form, e.g. "3. Quartal 2026"."""
        return f"{self.nummer}. Quartal {self.jahr}"

    def previous(self) -> Quartal:
        return Quartal(self.jahr - 1, 4) if self.nummer == 1 else Quartal(self.jahr, self.nummer - 1)

    def next(self) -> Quartal:
        return Quartal(self.jahr + 1, 1) if self.nummer == 4 else Quartal(self.jahr, self.nummer + 1)

    def plus(self, quartale: int) -> Quartal:
        index = self.jahr * 4 + self.nummer - 1 + quartale
        return Quartal(index // 4, index % 4 + 1)

    def minus(self, other: Quartal) -> int:
        """Number of quarters from other to self."""
        return (self.jahr * 4 + self.nummer) - (other.jahr * 4 + other.nummer)

    @property
    def start(self) -> dt.date:
        return dt.date(self.jahr, 3 * self.nummer - 2, 1)

    @property
    def ende(self) -> dt.date:
        return self.next().start - dt.timedelta(days=1)


def quartal_range(first: Quartal | str, last: Quartal | str) -> list[Quartal]:
    first, last = Quartal.parse(first), Quartal.parse(last)
    return [first.plus(i) for i in range(last.minus(first) + 1)]


# --- The allowed range ---------------------------------------------------------------------------
ERSTES_QUARTAL = "2015-Q1"  # default of IKZ_QUARTAL_VON
QUARTALE_VORAUS = 4  # default of IKZ_QUARTALE_VORAUS: reported data
PLANUNG_VORAUS = 40  # default of IKZ_PLANUNG_VORAUS: plans (Maßnahmen, Meilensteine, Aufgaben)
ENV_VON, ENV_VORAUS, ENV_PLANUNG = "IKZ_QUARTAL_VON", "IKZ_QUARTALE_VORAUS", "IKZ_PLANUNG_VORAUS"


@dataclass(frozen=True)
class Bereich:
    """The allowed quarters ``von`` .. ``bis`` (both included)."""

    von: Quartal
    bis: Quartal
    aktuell: Quartal  # the current quarter the range was computed from

    def __contains__(self, quartal: object) -> bool:
        return isinstance(quartal, Quartal) and self.von <= quartal <= self.bis

    @property
    def text(self) -> str:
        """"Quartale von 2015-Q1 bis 2027-Q4 (laufendes Quartal 2026-Q4 plus 4)"."""
        return (f"Quartale von {self.von} bis {self.bis} (laufendes Quartal {self.aktuell} plus "
                f"{self.bis.minus(self.aktuell)})")


def _env_quartal(name: str, vorgabe: str) -> Quartal:
    wert = os.environ.get(name, "").strip() or vorgabe
    try:
        quartal = Quartal.parse(wert)
    except ValueError:
        raise ValueError(f"Einstellung {name}=„{wert}“ ist kein Quartal – erwartet wird JJJJ-QN, "
                         f"z. B. {vorgabe}") from None
    if not 1900 <= quartal.jahr <= 2999:
        raise ValueError(f"Einstellung {name}=„{wert}“: erlaubt sind die Jahre 1900 bis 2999")
    return quartal


def _env_anzahl(name: str, vorgabe: int) -> int:
    wert = os.environ.get(name, "").strip()
    if not wert:
        return vorgabe
    if not wert.isdigit() or not 0 <= int(wert) <= 400:
        raise ValueError(f"Einstellung {name}=„{wert}“ ist ungültig – erwartet wird eine ganze "
                         "Zahl von 0 bis 400 (Quartale nach dem laufenden Quartal)")
    return int(wert)


def bereich(heute: dt.date | None = None, *, planung: bool = False) -> Bereich:
    """The allowed range on ``heute`` (default: today); ``planung`` for plans (longer ahead)."""
    env = ENV_PLANUNG if planung else ENV_VORAUS
    return _bereich(Quartal.of_date(heute or dt.date.today()), planung,
                    os.environ.get(ENV_VON, ""), os.environ.get(env, ""))


@functools.lru_cache(maxsize=64)
def _bereich(aktuell: Quartal, planung: bool, _von: str, _voraus: str) -> Bereich:
    """Cached per quarter and setting (an import checks many quarters); the arguments after
    ``planung`` only make a changed setting a new cache entry."""
    von = _env_quartal(ENV_VON, ERSTES_QUARTAL)
    voraus = (_env_anzahl(ENV_PLANUNG, PLANUNG_VORAUS) if planung
              else _env_anzahl(ENV_VORAUS, QUARTALE_VORAUS))
    return Bereich(min(von, aktuell), aktuell.plus(voraus), aktuell)


def pruefe_quartal(value: object, *, heute: dt.date | None = None,
                   planung: bool = False) -> Quartal:
    """A quarter that enters the system: format (JJJJ-QN) and range; ValueError in German."""
    grenzen = bereich(heute, planung=planung)
    try:
        quartal = Quartal.parse(value)
    except ValueError as exc:
        raise ValueError(f"{exc} – erlaubt sind {grenzen.text}") from None
    if quartal not in grenzen:
        lage = "zu weit in der Zukunft" if quartal > grenzen.bis else "zu weit in der Vergangenheit"
        raise ValueError(f"„{str(value).strip()}“ liegt {lage} – erlaubt sind {grenzen.text}")
    return quartal
