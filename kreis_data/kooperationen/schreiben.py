"""Kooperationen write services: create, change, end. Each checks the rights of the signed-in
person (``konten.regeln``: the Federführung's Redaktion or the Kreis-Administration), validates
(``kooperationen.regeln.pruefe``: every problem as one German message naming the field), then
writes the Kooperation, its members, a new Einordnung row when Verbindlichkeit or Dauer changed,
and the audit entries in ONE unit of work. A stale version is refused with ``fehler.Veraltet``
naming who changed the Kooperation last (from the audit log).
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session, attributes
from sqlalchemy.orm.exc import StaleDataError

from kreis_data import formatting, laender, textregeln
from kreis_data.arbeitseinheit import Aenderung, Arbeitseinheit, schreiben
from kreis_data.fehler import Ungueltig, Veraltet
from kreis_data.konten import regeln as rechte
from kreis_data.kooperationen.lesen import OBJEKT, letzte_aenderung, werte
from kreis_data.kooperationen.regeln import TRENNER, Mitglied, _text, mitglied_id, pruefe
from kreis_data.model import Kooperation, KooperationEinordnung, KooperationMitglied, Verwaltung
from kreis_data.quartal import Quartal, pruefe_quartal


def _mitglieder_text(k: Kooperation, namen: Mapping[str, str]) -> str:
    return TRENNER.join(sorted(
        namen.get(m.verwaltung_key, m.verwaltung_key) if m.verwaltung_key
        else f"{m.extern_name} ({m.akteurstyp})" for m in k.mitglieder))


def _namen(session: Session) -> dict[str, str]:
    return dict(session.execute(select(Verwaltung.key, Verwaltung.name)).all())


def _set_mitglieder(session: Session, k: Kooperation, mitglieder: list[Mitglied]) -> None:
    kreis = set(session.scalars(select(Verwaltung.key)
                                .where(Verwaltung.typ == laender.KREISVERWALTUNG)))
    bestehend = {mitglied_id(m.verwaltung_key, m.extern_name): m for m in k.mitglieder}
    neu = []
    for m in mitglieder:
        alt = bestehend.get(m.identitaet)
        if alt is not None and (alt.verwaltung_key or alt.akteurstyp == m.akteurstyp):
            neu.append(alt)
            continue
        if m.verwaltung_key:
            neu.append(KooperationMitglied(
                verwaltung_key=m.verwaltung_key,
                akteurstyp="Landkreis" if m.verwaltung_key in kreis else "Verwaltung"))
        else:
            neu.append(KooperationMitglied(extern_name=m.extern_name, akteurstyp=m.akteurstyp))
    k.mitglieder = neu


def _ab_quartal(data: Mapping) -> str:
    wert = data.get("ab_quartal")
    if not wert:
        return str(Quartal.of_date(dt.date.today()))
    try:
        return str(pruefe_quartal(wert))
    except ValueError as exc:
        raise Ungueltig(f"Einordnung ab Quartal: {exc}.") from None


def _einordnen(k: Kooperation, ab_quartal: str) -> None:
    """Record the current Verbindlichkeit / Dauer from ab_quartal on (replacing a row of the
    same quarter, so several edits in one quarter leave one row)."""
    for row in k.einordnungen:
        if row.ab_quartal == ab_quartal:
            row.verbindlichkeit, row.dauer = k.verbindlichkeit, k.dauer
            return
    k.einordnungen.append(KooperationEinordnung(
        ab_quartal=ab_quartal, verbindlichkeit=k.verbindlichkeit, dauer=k.dauer))


def create_kooperation(engine: Engine, benutzer: rechte.Benutzer | None,
                       data: Mapping) -> Aenderung:
    """A new Kooperation with members, first Einordnung and audit entries; ``.id`` of the
    result is its id. The first Einordnung starts in the quarter of the start date (else
    ``data["ab_quartal"]``, else the current quarter)."""
    rechte.pruefe_angemeldet(benutzer)
    with schreiben(engine, benutzer.name) as uow:
        namen = _namen(uow.session)
        rechte.pruefe_kooperation_bearbeiten(benutzer, _text(data.get("federfuehrung_key")),
                                             namen)
        neu, mitglieder = pruefe(data, namen)
        _pruefe_namensvariante(uow.session, neu["name"], None)
        k = Kooperation(**neu)
        _set_mitglieder(uow.session, k, mitglieder)
        ab = str(Quartal.of_date(neu["start"])) if neu["start"] else _ab_quartal(data)
        _einordnen(k, ab)
        uow.kontext = f"Kooperation „{k.name}“, Einordnung ab {ab}"
        felder = {f: w for f, w in neu.items() if w is not None}
        felder["mitglieder"] = _mitglieder_text(k, namen)
        return uow.anlegen(k, objekt=OBJEKT, schluessel=lambda neu_k: str(neu_k.id), felder=felder)


def _pruefe_namensvariante(session: Session, name: str, eigene_id: int | None) -> None:
    """A name that differs from another Kooperation's only by case, spaces, NFKC or look-alike
    letters is refused ("meinten Sie …"): it would look like the same Kooperation twice."""
    andere = [n for i, n in session.execute(select(Kooperation.id, Kooperation.name))
              if i != eigene_id]
    gleich = textregeln.gleicher_name(name, andere)
    if gleich is not None and gleich != name:
        raise Ungueltig(textregeln.meinten_sie(name, gleich, "Name") + ".")


def _veraltet(session: Session, k: Kooperation, gesehen: int | None) -> Veraltet:
    eintrag = letzte_aenderung(session, k.id)
    wer = (f"von {eintrag.benutzer} am {formatting.zeitpunkt(eintrag.zeitpunkt)}"
           if eintrag else "von einer anderen Person")
    return Veraltet(
        f"Die Kooperation „{k.name}“ wurde inzwischen {wer} geändert (Ihre Version "
        f"{gesehen}, aktuell Version {k.version}). Ihre Änderungen wurden nicht "
        f"gespeichert: bitte die Seite neu laden, die aktuellen Angaben prüfen und die Änderung "
        f"erneut eintragen.")


def _laden(uow: Arbeitseinheit, kooperation_id: int, version: int | None) -> Kooperation:
    k = uow.session.get(Kooperation, kooperation_id)
    if k is None:
        raise Ungueltig(f"Kooperation Nr. {kooperation_id} gibt es nicht (mehr).")
    if version is not None and k.version != version:
        raise _veraltet(uow.session, k, version)
    return k


def update_kooperation(engine: Engine, benutzer: rechte.Benutzer | None, kooperation_id: int,
                       data: Mapping, *, version: int | None) -> Aenderung:
    """Change a Kooperation; fields missing from ``data`` keep their value. A change of
    Verbindlichkeit or Dauer appends an Einordnung row from ``data["ab_quartal"]`` (default: the
    current quarter). The right is checked for the current Federführung and, when ``data``
    changes it, for the new one. ``.version`` of the result is the new version."""
    rechte.pruefe_angemeldet(benutzer)
    try:
        with schreiben(engine, benutzer.name) as uow:
            return _aendern(uow, benutzer, kooperation_id, data, version)
    except StaleDataError:  # saved by someone else between our read and our write
        with Session(engine) as session:
            raise _veraltet(session, session.get(Kooperation, kooperation_id), version) from None


def _aendern(uow: Arbeitseinheit, benutzer: rechte.Benutzer, kooperation_id: int,
             data: Mapping, version: int | None) -> Aenderung:
    namen = _namen(uow.session)
    vorhanden = uow.session.get(Kooperation, kooperation_id)
    if vorhanden is not None:
        rechte.pruefe_kooperation_bearbeiten(benutzer, vorhanden.federfuehrung_key, namen)
        if "federfuehrung_key" in data:
            neu_ff = _text(data.get("federfuehrung_key"))
            if neu_ff != vorhanden.federfuehrung_key:
                rechte.pruefe_kooperation_bearbeiten(benutzer, neu_ff, namen)
    k = _laden(uow, kooperation_id, version)
    bisher = werte(k)
    eingabe = {**bisher, "mitglieder": [
        {"verwaltung_key": m.verwaltung_key, "extern_name": m.extern_name,
         "akteurstyp": m.akteurstyp} for m in k.mitglieder]}
    if "verbindlichkeit" not in data and "dauer" not in data and "format" in data \
            and data["format"] != bisher["format"]:
        eingabe["verbindlichkeit"] = eingabe["dauer"] = None  # new format's default
    eingabe.update({key: value for key, value in data.items() if key != "ab_quartal"})
    neu, mitglieder = pruefe(eingabe, namen)
    mitglieder_vorher = _mitglieder_text(k, namen)
    felder = {f: (bisher[f], w) for f, w in neu.items() if bisher[f] != w}
    if "name" in felder:
        _pruefe_namensvariante(uow.session, neu["name"], k.id)
    with uow.session.no_autoflush:  # one UPDATE, so the version grows by exactly one
        for feld, (_alt, wert) in felder.items():
            setattr(k, feld, wert)
        _set_mitglieder(uow.session, k, mitglieder)
        mitglieder_nachher = _mitglieder_text(k, namen)
        if mitglieder_nachher != mitglieder_vorher:
            felder["mitglieder"] = (mitglieder_vorher, mitglieder_nachher)
        if not felder:
            uow.session.expire_all()  # nothing changed: leave the members as they were
            return Aenderung(str(k.id), "unverändert", {}, OBJEKT, k.version, k.id)
        uow.kontext = f"Kooperation „{k.name}“"
        if "verbindlichkeit" in felder or "dauer" in felder:
            ab = _ab_quartal(data)
            _einordnen(k, ab)
            uow.kontext += f", neue Einordnung ab {ab}"
        if set(felder) == {"mitglieder"}:
            attributes.flag_modified(k, "name")  # member-only change: bump version
    uow.flush(f"Die Kooperation „{k.name}“")
    aenderung = uow.protokolliere("geändert", OBJEKT, str(k.id), felder)
    return Aenderung(aenderung.schluessel, aenderung.aktion, aenderung.felder, OBJEKT,
                     k.version, k.id)


def end_kooperation(engine: Engine, benutzer: rechte.Benutzer | None, kooperation_id: int,
                    ende: dt.date | str, *, version: int | None) -> Aenderung:
    """Set the end date and status "beendet"; same rights as update_kooperation."""
    return update_kooperation(engine, benutzer, kooperation_id,
                              {"ende": ende, "status": "beendet"}, version=version)
