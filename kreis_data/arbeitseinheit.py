"""The unit of work every write service uses: one short transaction, the audit entry of every
change in the same transaction, and the version check for concurrent editors.

    with schreiben(engine, benutzer.name, kontext="Import x.xlsx") as uow:
        zeile = uow.session.get(...)
        uow.pruefe_version("Die Anbindung …", zeile.version, gesehen)
        return uow.aendern(zeile, {"status": "live"}, objekt="anbindung", schluessel="…")

A service is a few lines: check the right, load through the unit of work, call a pure rule,
change, return the ``Aenderung``. Anything refused raises a ``fehler.Abgelehnt``; the
transaction is rolled back and nothing is written (audit entries included).
"""
from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field

from sqlalchemy import Engine
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from kreis_data import audit, fehler
from kreis_data.database import transaction


@dataclass(frozen=True)
class Aenderung:
    """What one write changed: the readable key, what happened, and field -> (old, new)."""

    schluessel: str
    aktion: str  # angelegt / geändert / gelöscht / unverändert
    felder: dict[str, tuple[object, object]] = field(default_factory=dict)
    objekt: str = ""
    version: int | None = None  # version of the record after the write, where it has one
    id: int | None = None  # id of the record, where it has one (e.g. a new Leistung)
    weitere: tuple[Aenderung, ...] = ()  # what the write also created (e.g. a catalog entry)

    @property
    def geaendert(self) -> bool:
        return self.aktion != "unverändert"


@dataclass
class Arbeitseinheit:
    session: Session
    benutzer: str
    kontext: str | None = None
    zeitpunkt: dt.datetime = field(default_factory=audit.now)

    def pruefe_version(self, was: str, aktuell: int, gesehen: int | None) -> None:
        """Refuse (Veraltet) when the record's version is not the one the user saw;
        ``gesehen`` None skips the check, 0 means "there was no record yet"."""
        if gesehen is not None and int(gesehen) != int(aktuell):
            raise fehler.veraltet(was, int(gesehen), int(aktuell))

    def protokolliere(self, aktion: str, objekt: str, schluessel: str,
                      felder: Mapping[str, tuple[object, object]] | None = None) -> Aenderung:
        """One audit entry per changed field (or one without fields) in this transaction."""
        schluessel = schluessel[:200]
        audit.record(self.session, benutzer=self.benutzer, aktion=aktion, objekt=objekt,
                     schluessel=schluessel, aenderungen=dict(felder or {}),
                     kontext=self.kontext, zeitpunkt=self.zeitpunkt)
        return Aenderung(schluessel, aktion, dict(felder or {}), objekt)

    def anlegen(self, zeile, *, objekt: str, schluessel: str | Callable[[object], str],
                felder: Mapping[str, object] | None = None) -> Aenderung:
        """Add a new record. The audit log gets ``felder`` (field -> new value), by default
        every non-empty mapped field of the record. ``schluessel`` may be a function of the
        written record (e.g. of its new id)."""
        werte = _felder(zeile) if felder is None else felder
        self.session.add(zeile)
        self.flush("Der Eintrag")
        if callable(schluessel):
            schluessel = schluessel(zeile)
        protokoll = {f: (None, w) for f, w in werte.items() if w is not None}
        return self._mit_version(self.protokolliere("angelegt", objekt, schluessel, protokoll),
                                 zeile)

    def aendern(self, zeile, neu: Mapping[str, object], *, objekt: str,
                schluessel: str) -> Aenderung:
        """Set the fields that differ and log them; "unverändert" when nothing differs."""
        felder = {f: (getattr(zeile, f), wert) for f, wert in neu.items()
                  if getattr(zeile, f) != wert}
        if not felder:
            return Aenderung(schluessel[:200], "unverändert", {}, objekt,
                             getattr(zeile, "version", None), getattr(zeile, "id", None))
        for feld_name, (_alt, wert) in felder.items():
            setattr(zeile, feld_name, wert)
        self.flush(schluessel)
        return self._mit_version(self.protokolliere("geändert", objekt, schluessel, felder), zeile)

    def loeschen(self, zeile, *, objekt: str, schluessel: str,
                 felder: Mapping[str, object] | None = None) -> Aenderung:
        """Delete a record; the audit log gets ``felder`` (field -> old value), by default
        every non-empty mapped field."""
        werte = _felder(zeile) if felder is None else felder
        felder = {f: (w, None) for f, w in werte.items() if w is not None}
        self.session.delete(zeile)
        self.flush(schluessel)
        return self.protokolliere("gelöscht", objekt, schluessel, felder)

    def flush(self, was: str = "Der Eintrag") -> None:
        """Write now; a concurrent save between load and write becomes ``Veraltet``."""
        try:
            self.session.flush()
        except StaleDataError:
            raise fehler.Veraltet(f"{was} wurde gleichzeitig von jemand anderem gespeichert. "
                                  "Nichts wurde gespeichert – bitte neu laden und erneut "
                                  "speichern.") from None

    @staticmethod
    def _mit_version(aenderung: Aenderung, zeile) -> Aenderung:
        return Aenderung(aenderung.schluessel, aenderung.aktion, aenderung.felder,
                         aenderung.objekt, getattr(zeile, "version", None),
                         getattr(zeile, "id", None))


_TECHNISCH = {"id", "version"}


def _felder(zeile) -> dict[str, object]:
    """The mapped column values of a record, without id and version."""
    return {spalte.key: getattr(zeile, spalte.key) for spalte in zeile.__table__.columns
            if spalte.key not in _TECHNISCH and hasattr(zeile, spalte.key)}


@contextlib.contextmanager
def schreiben(engine: Engine, benutzer: str, kontext: str | None = None
              ) -> Iterator[Arbeitseinheit]:
    """A unit of work: commit when the block ends, roll back on any exception."""
    if not str(benutzer or "").strip():
        raise fehler.Ungueltig("Benutzer*in fehlt – jede Änderung wird mit Namen protokolliert")
    with transaction(engine) as session:
        einheit = Arbeitseinheit(session, str(benutzer).strip(), kontext)
        try:
            yield einheit
            einheit.flush()
        except StaleDataError:
            raise fehler.Veraltet("Der Eintrag wurde gleichzeitig von jemand anderem gespeichert. "
                                  "Nichts wurde gespeichert – bitte neu laden und erneut "
                                  "speichern.") from None
