"""EfA write services: one Anbindung (status, Hindernis) and catalog entries (Leistung + Vollzug).

Each service checks the right (``konten.regeln``), runs the rules (``efa.regeln``) and writes
through one unit of work with its audit entries; a refusal is a ``fehler.Abgelehnt`` and
nothing is written. ``apply_anbindung`` is the same inside an open unit of work (imports).
"""
from __future__ import annotations

from dataclasses import replace

from sqlalchemy import Engine, select

from kreis_data import textregeln
from kreis_data.arbeitseinheit import Aenderung, Arbeitseinheit, schreiben
from kreis_data.efa.lesen import vollzug_rows
from kreis_data.efa.regeln import (
    LEISTUNG_FELDER,
    LIVE,
    NICHT_ZUSTAENDIG,
    UNVERAENDERT,
    LeistungEingabe,
    leer,
    parse_hindernis,
    parse_status,
    validate_leistung,
    zustaendig,
)
from kreis_data.fehler import Ungueltig
from kreis_data.konten import regeln as rechte
from kreis_data.model import Anbindung, Kreis, Leistung, LeistungVollzug, Verwaltung
from kreis_data.quartal import Quartal, pruefe_quartal

BEMERKUNG_MAX = textregeln.laenge(Anbindung, "bemerkung")


def _vorige_live_seit(uow: Arbeitseinheit, verwaltung_key: str, leistung_id: int,
                      quartal: Quartal) -> str | None:
    row = uow.session.scalar(select(Anbindung).where(
        Anbindung.verwaltung_key == verwaltung_key, Anbindung.leistung_id == leistung_id,
        Anbindung.quartal == str(quartal.previous())))
    return row.live_seit if row is not None and row.status == LIVE else None


def _pruefe_anbindung(uow: Arbeitseinheit, verwaltung_key, leistung_id, quartal, status,
                      hindernis, live_seit, vollzug) -> tuple:
    """Every check of one Anbindung: (Verwaltung, Leistung, Quartal, status, hindernis, seit)
    or Ungueltig with all German messages."""
    fehler: list[str] = []
    try:
        q = pruefe_quartal(quartal)
    except ValueError as exc:
        fehler.append(f"Quartal: {exc}")
        q = None
    verwaltung = uow.session.get(Verwaltung, verwaltung_key) if verwaltung_key else None
    if verwaltung is None:
        fehler.append(f"Verwaltung „{verwaltung_key}“ gibt es in diesem Arbeitsbereich nicht")
    try:
        leistung = uow.session.get(Leistung, int(leistung_id)) if leistung_id is not None else None
    except (TypeError, ValueError):
        leistung = None
    if leistung is None:
        fehler.append(f"Leistung „{leistung_id}“ gibt es im Katalog nicht")
    try:
        status = parse_status(status)
    except ValueError as exc:
        fehler.append(str(exc))
        status = None
    try:
        hindernis = parse_hindernis(hindernis)
    except ValueError as exc:
        fehler.append(str(exc))
        hindernis = None
    if hindernis is not None and status in (LIVE, NICHT_ZUSTAENDIG):
        fehler.append(f"ein Hindernis („{hindernis}“) passt nicht zum Status „{status}“ – "
                      "Hindernisse gibt es nur für Anbindungen, die noch nicht live sind; "
                      "Hindernis leer lassen")
    seit: str | None = None
    if status == LIVE and not leer(live_seit):
        try:
            seit = str(pruefe_quartal(textregeln.pruefe_zelle(live_seit)))
            if q is not None and Quartal.parse(seit) > q:
                fehler.append(f"„live seit“ {seit} liegt nach dem Quartal {q} – erlaubt ist "
                              f"ein Quartal bis einschließlich {q}")
        except ValueError as exc:
            fehler.append(f"„live seit“: {exc}")
    elif status != LIVE and not leer(live_seit):
        fehler.append(f"„live seit“ ({live_seit}) passt nur zum Status „live“ – leer lassen")
    if verwaltung is not None and leistung is not None and status is not None:
        if vollzug is None:
            vollzug = {r["leistung_id"]: r["ebene"]
                       for r in vollzug_rows(uow.session, verwaltung.kreis_ags)}
        ebene = vollzug.get(leistung.id)
        if status != NICHT_ZUSTAENDIG and not zustaendig(ebene, verwaltung.vollzugsebenen):
            if ebene is None:
                fehler.append(f"für „{leistung.name}“ ist nicht festgelegt, wer sie vollzieht "
                              "(weder Landesrecht noch Abweichung des Kreises) – bitte zuerst im "
                              "Katalog den Vollzug eintragen; bis dahin ist nur "
                              f"„{NICHT_ZUSTAENDIG}“ möglich")
            else:
                fehler.append(f"{verwaltung.name} ist für „{leistung.name}“ nicht zuständig "
                              f"(Vollzug: {ebene}) – erlaubt ist nur „{NICHT_ZUSTAENDIG}“; die "
                              "Zuständigkeit ändern Sie im Katalog (Vollzug)")
    if fehler:
        raise Ungueltig(fehler)
    return verwaltung, leistung, q, status, hindernis, seit


def apply_anbindung(uow: Arbeitseinheit, verwaltung_key: str, leistung_id: int, quartal: str,
                    status: object, hindernis: object, *, bemerkung: object = UNVERAENDERT,
                    live_seit: object = None, version: int | None = None,
                    vollzug: dict[int, str | None] | None = None) -> Aenderung:
    """Validate and upsert one Anbindung inside a unit of work.

    version: the version the user saw (0 = there was no row yet); None = no check.
    live_seit: only for status "live"; empty = keep the known quarter, else this quarter.
    """
    if bemerkung is not UNVERAENDERT:
        try:
            bemerkung = textregeln.pruefe_text(bemerkung, "Bemerkung", max_laenge=BEMERKUNG_MAX)
        except ValueError as exc:
            raise Ungueltig(str(exc)) from None
    verwaltung, leistung, q, status, hindernis, seit = _pruefe_anbindung(
        uow, verwaltung_key, leistung_id, quartal, status, hindernis, live_seit, vollzug)
    quartal = str(q)
    row = uow.session.scalar(select(Anbindung).where(
        Anbindung.verwaltung_key == verwaltung_key, Anbindung.leistung_id == leistung.id,
        Anbindung.quartal == quartal))
    schluessel = f"{verwaltung_key}/{leistung.name}/{quartal}"
    uow.pruefe_version(f"Die Anbindung {verwaltung.name} – {leistung.name} ({quartal})",
                       row.version if row is not None else 0, version)
    if status == LIVE and seit is None:
        seit = ((row.live_seit if row is not None and row.status == LIVE else None)
                or _vorige_live_seit(uow, verwaltung_key, leistung.id, q) or quartal)
    neu: dict[str, object] = {"status": status, "hindernis": hindernis,
                              "live_seit": seit if status == LIVE else None}
    if bemerkung is not UNVERAENDERT:
        neu["bemerkung"] = None if leer(bemerkung) else str(bemerkung).strip()
    if row is None:
        row = Anbindung(verwaltung_key=verwaltung_key, leistung_id=leistung.id, quartal=quartal,
                        **neu)
        return uow.anlegen(row, objekt="anbindung", schluessel=schluessel,
                           felder={f: w for f, w in neu.items() if w is not None})
    return uow.aendern(row, neu, objekt="anbindung", schluessel=schluessel)


def set_anbindung(engine: Engine, benutzer: rechte.Benutzer | None, verwaltung_key: str,
                  leistung_id: int, quartal: str, status: str, hindernis: str | None, *,
                  version: int | None = None, bemerkung: object = UNVERAENDERT,
                  live_seit: str | None = None, kontext: str | None = None) -> Aenderung:
    """Set status and Hindernis of one Anbindung (Verwaltung × Leistung × Quartal)."""
    rechte.pruefe_angemeldet(benutzer)
    with schreiben(engine, benutzer.name, kontext) as uow:
        rechte.pruefe_bearbeiten(benutzer, verwaltung_key, _namen(uow))
        return apply_anbindung(uow, verwaltung_key, leistung_id, quartal, status, hindernis,
                               bemerkung=bemerkung, live_seit=live_seit, version=version)


def _namen(uow: Arbeitseinheit) -> dict[str, str]:
    return dict(uow.session.execute(select(Verwaltung.key, Verwaltung.name)).all())


# --- Katalog --------------------------------------------------------------------------------------
def _set_vollzug(uow: Arbeitseinheit, leistung: Leistung, land_code: str, kreis_ags: str | None,
                 ebene: str | None) -> Aenderung | None:
    """Create, change or delete one Vollzug rule; None when there is none and none is wanted."""
    regel = uow.session.scalar(select(LeistungVollzug).where(
        LeistungVollzug.leistung_id == leistung.id, LeistungVollzug.land_code == land_code,
        LeistungVollzug.kreis_ags.is_(None) if kreis_ags is None
        else LeistungVollzug.kreis_ags == kreis_ags))
    wo = f"Kreis {kreis_ags}" if kreis_ags else f"Land {land_code}"
    schluessel = f"{leistung.name}/{wo}"
    if regel is None and ebene is not None:
        return uow.anlegen(LeistungVollzug(leistung_id=leistung.id, land_code=land_code,
                                           kreis_ags=kreis_ags, ebene=ebene),
                           objekt="leistung_vollzug", schluessel=schluessel,
                           felder={"ebene": ebene})
    if regel is not None and ebene is None:
        return uow.loeschen(regel, objekt="leistung_vollzug", schluessel=schluessel,
                            felder={"ebene": regel.ebene})
    if regel is not None:
        return uow.aendern(regel, {"ebene": ebene}, objekt="leistung_vollzug",
                           schluessel=schluessel)
    return None


def save_leistung(engine: Engine, benutzer: rechte.Benutzer | None, eingabe: LeistungEingabe,
                  *, leistung_id: int | None = None, version: int | None = None) -> Aenderung:
    """Create (leistung_id None) or update a catalog entry and its Vollzug for the workspace's
    Kreis (Land rule + Kreis override). Only the Kreis-Administration."""
    rechte.pruefe_kreisweit(benutzer, "den EfA-Katalog")
    werte, fehler = validate_leistung(eingabe)
    with schreiben(engine, benutzer.name) as uow:
        kreis = uow.session.scalar(select(Kreis))
        if kreis is None:
            fehler.append("in diesem Arbeitsbereich ist noch kein Kreis angelegt")
        leistung = None
        if leistung_id is not None:
            try:
                leistung = uow.session.get(Leistung, int(leistung_id))
            except (TypeError, ValueError):
                leistung = None
            if leistung is None:
                fehler.append(f"Leistung „{leistung_id}“ gibt es im Katalog nicht (mehr)")
        if werte["name"] is not None:
            andere = [n for i, n in uow.session.execute(select(Leistung.id, Leistung.name))
                      if leistung is None or i != leistung.id]
            gleichnamig = textregeln.gleicher_name(werte["name"], andere)
            if gleichnamig == werte["name"]:
                fehler.append(f"eine Leistung „{werte['name']}“ gibt es schon im Katalog – "
                              "der Name muss eindeutig sein")
            elif gleichnamig is not None:
                fehler.append(textregeln.meinten_sie(werte["name"], gleichnamig, "Name"))
        if fehler:
            raise Ungueltig(fehler)
        neu = {f: werte[f] for f in LEISTUNG_FELDER}
        if leistung is None:
            leistung = Leistung(**neu)
            aenderung = uow.anlegen(leistung, objekt="leistung", schluessel=leistung.name,
                                    felder={f: w for f, w in neu.items() if w is not None})
        else:
            uow.pruefe_version(f"Die Leistung „{leistung.name}“", leistung.version, version)
            aenderung = uow.aendern(leistung, neu, objekt="leistung", schluessel=leistung.name)
        vollzug = {
            "vollzug_land": _set_vollzug(uow, leistung, kreis.land_code, None,
                                         werte["vollzug_land"]),
            "vollzug_kreis": _set_vollzug(uow, leistung, kreis.land_code, kreis.ags,
                                          werte["vollzug_kreis"])}
        return _mit_vollzug(aenderung, vollzug)


def _mit_vollzug(aenderung: Aenderung, vollzug: dict[str, Aenderung | None]) -> Aenderung:
    """The Leistung's change including its Vollzug ("vollzug_land", "vollzug_kreis": (alt, neu));
    a change of the Vollzug alone is a change of the catalog entry, too."""
    geaendert = {feld: a for feld, a in vollzug.items() if a is not None and a.geaendert}
    if not geaendert:
        return aenderung
    return replace(
        aenderung, aktion="geändert" if not aenderung.geaendert else aenderung.aktion,
        felder={**aenderung.felder,
                **{feld: a.felder.get("ebene", (None, None)) for feld, a in geaendert.items()}},
        weitere=(*aenderung.weitere, *geaendert.values()))
