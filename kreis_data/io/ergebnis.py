"""The common part of every import result: file, rows read, German errors and notes, summary."""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import ClassVar

from kreis_data.io.tabelle import Fehler


def tausender(anzahl: int) -> str:
    """German thousands separator: 1.234."""
    return f"{anzahl:,}".replace(",", ".")


@dataclass
class ImportErgebnis:
    """Base of the import results; a subclass adds what it collects (see `_aktionen`)."""

    EINHEIT: ClassVar[tuple[str, str] | None] = None  # ("Bewertung", "Bewertungen") in the summary

    datei: str
    gelesen: int = 0  # data rows in the file
    fehler: list[Fehler] = field(default_factory=list)
    hinweise: list[str] = field(default_factory=list)
    dry_run: bool = False  # computed in a rolled-back transaction
    geschrieben: bool = False

    @property
    def ok(self) -> bool:
        return not self.fehler

    @property
    def errors(self) -> list[str]:
        return [str(f) for f in self.fehler]

    @staticmethod
    def _zahl(anzahl: int) -> str:
        return str(anzahl)

    def _aktionen(self) -> Iterable[object]:
        """The computed changes; each has .aktion ("geändert", "angelegt", ...)."""
        return ()

    def _bilanz(self, geaendert: int, neu: int, unveraendert: int) -> str:
        einheit = f" {self.EINHEIT[geaendert != 1]}" if self.EINHEIT else ""
        return (f"{self._zahl(geaendert)}{einheit} geändert, {self._zahl(neu)} neu angelegt, "
                f"{self._zahl(unveraendert)} unverändert")

    def zusammenfassung(self) -> str:
        """German one-liner, e.g. "b.csv: 12 Bewertungen geändert, 3 neu angelegt, 85 unverändert."."""
        if self.fehler:
            return (f"{self.datei}: Import abgebrochen, {self._zahl(len(self.fehler))} Fehler – "
                    "nichts wurde geschrieben.")
        aktionen = [a.aktion for a in self._aktionen()]
        geaendert, neu = aktionen.count("geändert"), aktionen.count("angelegt")
        text = self._bilanz(geaendert, neu, self.gelesen - geaendert - neu)
        if self.dry_run:
            return f"Probelauf {self.datei}: {text} – nichts wurde geschrieben."
        return f"{self.datei}: {text}."
