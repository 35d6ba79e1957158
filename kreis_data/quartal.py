"""Quartal ("2026-Q3"): the time unit of every Bewertung, Anbindung and review."""
from __future__ import annotations

import datetime as dt
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
