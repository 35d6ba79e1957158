"""Bewertungen write services: the upsert of validated rows (imports, template) and the
quarterly self-assessment form, each through one unit of work with its audit entries.

The form refuses with ``fehler.Veraltet`` (naming who changed what, when) if anything changed
since it was loaded; rights are checked with ``konten.regeln``.
"""
from __future__ import annotations

import unicodedata
from collections.abc import Mapping

from sqlalchemy import Engine, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from kreis_data import scales, textregeln
from kreis_data.arbeitseinheit import Aenderung, Arbeitseinheit, schreiben
from kreis_data.bewertungen.lesen import (
    Schluessel,
    Wert,
    bewertung_schluessel,
    format_zeitpunkt,
    katalog_from_session,
    letzte_aenderungen,
)
from kreis_data.bewertungen.regeln import BEMERKUNG_MAX, BewertungEingabe
from kreis_data.database import read_session
from kreis_data.fehler import Ungueltig, Veraltet
from kreis_data.konten import regeln as rechte
from kreis_data.model import Bewertung
from kreis_data.quartal import pruefe_quartal

FELDER = ("stufe", "quelle", "stand", "erfasst_von", "bemerkung")
VORGABE_QUELLE = "Selbstauskunft"


def apply_bewertungen(uow: Arbeitseinheit, eingaben: list[BewertungEingabe]) -> list[Aenderung]:
    """Upsert inside a unit of work; unchanged rows write nothing. Returns the changes."""
    if not eingaben:
        return []
    quartale = {e.quartal for e in eingaben}
    vorhanden = {
        (b.verwaltung_key, b.merkmal_key, b.quartal): b
        for b in uow.session.scalars(select(Bewertung).where(Bewertung.quartal.in_(quartale)))
    }
    aenderungen: list[Aenderung] = []
    for eingabe in eingaben:
        key = (eingabe.verwaltung_key, eingabe.merkmal_key, eingabe.quartal)
        # "" and None both mean "empty": store None so a form round trip changes nothing.
        neu = {f: (None if getattr(eingabe, f) == "" else getattr(eingabe, f)) for f in FELDER}
        bewertung = vorhanden.get(key)
        if bewertung is None:
            bewertung = Bewertung(verwaltung_key=eingabe.verwaltung_key,
                                  merkmal_key=eingabe.merkmal_key, quartal=eingabe.quartal, **neu)
            vorhanden[key] = bewertung
            aenderung = uow.anlegen(bewertung, objekt="bewertung", schluessel="/".join(key),
                                    felder=neu)
        else:
            aenderung = uow.aendern(bewertung, neu, objekt="bewertung", schluessel="/".join(key))
        if aenderung.geaendert:
            aenderungen.append(aenderung)
    return aenderungen


def store_bewertungen(engine: Engine, eingaben: list[BewertungEingabe], *, benutzer: str,
                      kontext: str | None = None) -> list[Aenderung]:
    """All or nothing: one unit of work for all rows (for trusted callers: demo, tests)."""
    with schreiben(engine, benutzer, kontext) as uow:
        return apply_bewertungen(uow, eingaben)


def pruefe_versionen(session: Session, gesehen: Mapping[Schluessel, int | None],
                     merkmal_namen: Mapping[str, str] | None = None,
                     verwaltung_namen: Mapping[str, str] | None = None) -> None:
    """Raise Veraltet if any row's version differs from the one seen (inside a transaction)."""
    if not gesehen:
        return
    quartale = {key[2] for key in gesehen}
    verwaltungen = {key[0] for key in gesehen}
    aktuell = {(b.verwaltung_key, b.merkmal_key, b.quartal): b.version
               for b in session.scalars(select(Bewertung).where(
                   Bewertung.quartal.in_(quartale), Bewertung.verwaltung_key.in_(verwaltungen)))}
    veraendert = [key for key, version in gesehen.items() if aktuell.get(key) != version]
    if veraendert:
        raise _konflikt(session, veraendert, merkmal_namen or {}, verwaltung_namen or {})


def _konflikt(session: Session, keys: list[Schluessel], merkmal_namen: Mapping[str, str],
              verwaltung_namen: Mapping[str, str]) -> Veraltet:
    letzte = letzte_aenderungen(session, (bewertung_schluessel(k) for k in keys))
    konflikte, teile = [], []
    for key in keys:
        eintrag = letzte.get(bewertung_schluessel(key))
        wer = eintrag.benutzer if eintrag else "jemand anderes"
        wann = format_zeitpunkt(eintrag.zeitpunkt) if eintrag else "unbekannt"
        merkmal = merkmal_namen.get(key[1], key[1])
        verwaltung = verwaltung_namen.get(key[0], key[0])
        konflikte.append({"verwaltung_key": key[0], "merkmal_key": key[1], "quartal": key[2],
                          "benutzer": wer, "zeitpunkt": eintrag.zeitpunkt if eintrag else None})
        teile.append(f"{merkmal} ({verwaltung}) wurde von {wer} am {wann} geändert")
    meldung = ("Speichern nicht möglich – die Daten wurden inzwischen geändert: "
               + "; ".join(teile) + ". Es wurde nichts gespeichert. Bitte laden Sie das Formular "
               "neu, prüfen Sie die aktuellen Werte und tragen Sie Ihre Änderungen erneut ein.")
    return Veraltet(meldung, konflikte)


def speichere_formular(engine: Engine, benutzer: rechte.Benutzer | None, verwaltung_key: str,
                       quartal: str, werte: Mapping[str, Wert],
                       gesehene_versionen: Mapping[str, int | None]) -> list[Aenderung]:
    """Save the self-assessment form of one Verwaltung and quarter in ONE unit of work.

    Refuses (nothing written) with NichtErlaubt, Veraltet (a row changed or was created since
    the form was loaded) or Ungueltig. New empty rows are not created; rows the form creates or
    changes get erfasst_von = the person and, if empty, Quelle "Selbstauskunft".
    """
    rechte.pruefe_angemeldet(benutzer)
    try:
        quartal = str(pruefe_quartal(quartal))
    except ValueError as exc:
        raise Ungueltig(f"Quartal: {exc}") from None
    try:
        with schreiben(engine, benutzer.name, "Selbstauskunft") as uow:
            katalog = katalog_from_session(uow.session)
            rechte.pruefe_bearbeiten(benutzer, verwaltung_key, katalog.verwaltungen)
            merkmal_namen = {k: m.name for k, m in katalog.merkmale.items()}
            unbekannt = sorted(set(werte) - set(katalog.merkmale))
            if unbekannt:
                raise Ungueltig(f"Unbekannte Merkmale: {', '.join(unbekannt)}")
            pruefe_versionen(uow.session, {(verwaltung_key, key, quartal):
                                           gesehene_versionen.get(key) for key in werte},
                             merkmal_namen, katalog.verwaltungen)
            return apply_bewertungen(uow, _eingaben(uow, katalog, benutzer, verwaltung_key,
                                                    quartal, werte))
    except (StaleDataError, IntegrityError):
        # A concurrent transaction committed between our check and our write.
        with read_session(engine) as session:
            katalog = katalog_from_session(session)
            keys = [(verwaltung_key, key, quartal) for key in werte]
            raise _konflikt(session, keys, {k: m.name for k, m in katalog.merkmale.items()},
                            katalog.verwaltungen) from None


def _eingaben(uow: Arbeitseinheit, katalog, benutzer: rechte.Benutzer, verwaltung_key: str,
              quartal: str, werte: Mapping[str, Wert]) -> list[BewertungEingabe]:
    """The form's values as Eingaben: unchanged and new-but-empty rows left out."""
    vorhanden = {b.merkmal_key: b for b in uow.session.scalars(select(Bewertung).where(
        Bewertung.verwaltung_key == verwaltung_key, Bewertung.quartal == quartal))}
    fehler, eingaben = [], []
    for key, wert in werte.items():
        merkmal = katalog.merkmale[key]
        if isinstance(wert.stufe, bool) or (
                wert.stufe is not None and wert.stufe not in merkmal.werte):
            fehler.append(f"Stufe {wert.stufe} ist für {merkmal.name} nicht erlaubt.")
        if wert.quelle is not None and wert.quelle not in scales.QUELLEN:
            fehler.append(f"„{wert.quelle}“ ist keine gültige Quelle.")
        alt = vorhanden.get(key)
        if alt is not None and _gleicher_text(alt.bemerkung, wert.bemerkung):
            # unchanged (the one-line form field shows line breaks as spaces and the form
            # strips): keep the stored text exactly as it is – never cut, never rewritten
            bemerkung = alt.bemerkung
        else:
            try:
                bemerkung = textregeln.pruefe_text(
                    wert.bemerkung, f"{merkmal.name}, Bemerkung", max_laenge=BEMERKUNG_MAX)
            except ValueError as exc:
                fehler.append(f"{exc}.")
                continue
        if wert.stand != (alt.stand if alt is not None else None):
            try:
                textregeln.pruefe_datum(wert.stand, f"{merkmal.name}, Stand")
            except ValueError as exc:
                fehler.append(f"{exc}.")
                continue
        if alt is None and wert.stufe is None and not wert.quelle and not wert.stand \
                and not bemerkung:
            continue  # nothing to say, nothing was there
        if alt is not None and (alt.stufe, alt.quelle, alt.stand, alt.bemerkung) == (
                wert.stufe, wert.quelle, wert.stand, bemerkung):
            continue  # unchanged: keep erfasst_von as it is
        eingaben.append(BewertungEingabe(
            verwaltung_key, key, quartal, wert.stufe, quelle=wert.quelle or VORGABE_QUELLE,
            stand=wert.stand, erfasst_von=benutzer.name, bemerkung=bemerkung))
    if fehler:
        raise Ungueltig(fehler)
    return eingaben


def _gleicher_text(gespeichert: str | None, eingabe: str | None) -> bool:
    """The form shows ``gespeichert`` unchanged: equal up to NFKC and whitespace."""
    if gespeichert is None or eingabe is None:
        return False

    def form(text: str) -> str:
        return " ".join(unicodedata.normalize("NFKC", text).split())

    return form(gespeichert) == form(eingabe)
