"""Writing EfA data: one Anbindung (status, Hindernis) and catalog entries (Leistung + Vollzug).

Every write is one transaction together with its audit entries; invalid input is refused with a
German ValueError (`EingabeFehler`) and a stale version (someone else saved in between) with
`VeraltetFehler` — in both cases nothing is written. Reads and analyses: kreis_data.analyses.efa.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, fields

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from kreis_data import audit, auth, scales
from kreis_data.analyses.efa import LIVE, NICHT_ZUSTAENDIG, vollzug_rows, zustaendig
from kreis_data.bewertungen import Aenderung
from kreis_data.database import transaction
from kreis_data.model import Anbindung, Kreis, Leistung, LeistungVollzug, Verwaltung
from kreis_data.quartal import Quartal


class EingabeFehler(ValueError):
    """Invalid input; `fehler` holds every German message, str() joins them."""

    def __init__(self, fehler: list[str]):
        self.fehler = list(fehler)
        super().__init__("; ".join(self.fehler))


class VeraltetFehler(ValueError):
    """The record was changed by someone else since it was loaded; nothing was written."""


class _Unveraendert:
    def __repr__(self) -> str:
        return "UNVERAENDERT"


UNVERAENDERT = _Unveraendert()  # "leave this field as it is"

STATUS_ERLAUBT = ", ".join(scales.ANBINDUNG_STATUS)
HINDERNIS_ERLAUBT = ", ".join(scales.HINDERNISSE)


def _leer(value: object) -> bool:
    return value is None or (isinstance(value, str) and value.strip() == "")


def _veraltet(was: str, gesehen: int, aktuell: int) -> VeraltetFehler:
    return VeraltetFehler(
        f"{was} wurde inzwischen von jemand anderem geändert (gespeicherte Version {aktuell}, "
        f"Ihr Stand war Version {gesehen}). Nichts wurde gespeichert – bitte die Seite neu laden, "
        "die aktuellen Werte prüfen und erneut speichern.")


# --- Anbindung ------------------------------------------------------------------------------------
def parse_status(value: object) -> str:
    """One of scales.ANBINDUNG_STATUS (case-insensitive); German ValueError otherwise."""
    if _leer(value):
        raise ValueError(f"Status fehlt – erlaubt sind {STATUS_ERLAUBT}")
    text = str(value).strip()
    for status in scales.ANBINDUNG_STATUS:
        if status.casefold() == text.casefold():
            return status
    raise ValueError(f"„{text}“ ist kein gültiger Status – erlaubt sind {STATUS_ERLAUBT}")


def parse_hindernis(value: object) -> str | None:
    """One of scales.HINDERNISSE or None for empty; German ValueError otherwise."""
    if _leer(value):
        return None
    text = str(value).strip()
    for hindernis in scales.HINDERNISSE:
        if hindernis.casefold() == text.casefold():
            return hindernis
    raise ValueError(f"„{text}“ ist kein gültiges Hindernis – erlaubt sind {HINDERNIS_ERLAUBT} "
                     "oder leer")


def _vorige_live_seit(session: Session, verwaltung_key: str, leistung_id: int,
                      quartal: Quartal) -> str | None:
    row = session.scalar(select(Anbindung).where(
        Anbindung.verwaltung_key == verwaltung_key, Anbindung.leistung_id == leistung_id,
        Anbindung.quartal == str(quartal.previous())))
    return row.live_seit if row is not None and row.status == LIVE else None


def apply_anbindung(session: Session, verwaltung_key: str, leistung_id: int, quartal: str,
                    status: object, hindernis: object, *, benutzer: str,
                    bemerkung: object = UNVERAENDERT, live_seit: object = None,
                    expected_version: int | None = None, kontext: str | None = None,
                    zeitpunkt=None, vollzug: dict[int, str | None] | None = None
                    ) -> Aenderung | None:
    """Validate and upsert one Anbindung in an open session, with audit entries.

    expected_version: the version the user saw (0 = there was no row yet); None = no check.
    live_seit: only for status "live"; empty = keep the known date, else this quarter.
    Returns the change, or None when nothing changed. Raises EingabeFehler / VeraltetFehler.
    """
    fehler: list[str] = []
    try:
        q = Quartal.parse(quartal)
    except ValueError as exc:
        fehler.append(str(exc))
        q = None
    verwaltung = session.get(Verwaltung, verwaltung_key) if verwaltung_key else None
    if verwaltung is None:
        fehler.append(f"Verwaltung „{verwaltung_key}“ gibt es in diesem Arbeitsbereich nicht")
    try:
        leistung = session.get(Leistung, int(leistung_id)) if leistung_id is not None else None
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
    if status == LIVE and not _leer(live_seit):
        try:
            seit = str(Quartal.parse(live_seit))
            if q is not None and Quartal.parse(seit) > q:
                fehler.append(f"„live seit“ {seit} liegt nach dem Quartal {q} – erlaubt ist "
                              f"ein Quartal bis einschließlich {q}")
        except ValueError as exc:
            fehler.append(f"„live seit“: {exc}")
    elif status != LIVE and not _leer(live_seit):
        fehler.append(f"„live seit“ ({live_seit}) passt nur zum Status „live“ – leer lassen")
    if verwaltung is not None and leistung is not None and status is not None:
        if vollzug is None:
            vollzug = {r["leistung_id"]: r["ebene"]
                       for r in vollzug_rows(session, verwaltung.kreis_ags)}
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
        raise EingabeFehler(fehler)

    quartal = str(q)
    row = session.scalar(select(Anbindung).where(
        Anbindung.verwaltung_key == verwaltung_key, Anbindung.leistung_id == leistung.id,
        Anbindung.quartal == quartal))
    schluessel = f"{verwaltung_key}/{leistung.name}/{quartal}"[:200]
    if expected_version is not None:
        aktuell = row.version if row is not None else 0
        if aktuell != expected_version:
            raise _veraltet(f"Die Anbindung {verwaltung.name} – {leistung.name} ({quartal})",
                            expected_version, aktuell)
    if status == LIVE and seit is None:
        seit = ((row.live_seit if row is not None and row.status == LIVE else None)
                or _vorige_live_seit(session, verwaltung_key, leistung.id, q) or quartal)
    neu: dict[str, object] = {"status": status, "hindernis": hindernis,
                              "live_seit": seit if status == LIVE else None}
    if bemerkung is not UNVERAENDERT:
        neu["bemerkung"] = None if _leer(bemerkung) else str(bemerkung).strip()
    if row is None:
        row = Anbindung(verwaltung_key=verwaltung_key, leistung_id=leistung.id, quartal=quartal,
                        **neu)
        session.add(row)
        felder = {f: (None, v) for f, v in neu.items() if v is not None}
        aktion = "angelegt"
    else:
        felder = {f: (getattr(row, f), v) for f, v in neu.items() if getattr(row, f) != v}
        if not felder:
            return None
        for feld, (_alt, wert) in felder.items():
            setattr(row, feld, wert)
        aktion = "geändert"
    audit.record(session, benutzer=benutzer, aktion=aktion, objekt="anbindung",
                 schluessel=schluessel, aenderungen=felder, kontext=kontext, zeitpunkt=zeitpunkt)
    return Aenderung(schluessel, aktion, felder)


def set_anbindung(engine: Engine, verwaltung_key: str, leistung_id: int, quartal: str,
                  status: str, hindernis: str | None, benutzer: auth.Benutzer | None,
                  expected_version: int | None = None, *, bemerkung: object = UNVERAENDERT,
                  live_seit: str | None = None, kontext: str | None = None) -> Aenderung | None:
    """Set status and Hindernis of one Anbindung (Verwaltung x Leistung x Quartal) in one
    transaction with its audit entries (as `benutzer.name`). See `apply_anbindung`.

    Raises PermissionError (nothing written) unless `benutzer` may edit this Verwaltung
    (auth.darf_bearbeiten)."""
    try:
        with transaction(engine) as session:
            auth.pruefe_bearbeiten(benutzer, verwaltung_key,
                                   dict(session.execute(select(Verwaltung.key, Verwaltung.name))
                                        .all()))
            return apply_anbindung(session, verwaltung_key, leistung_id, quartal, status,
                                   hindernis, benutzer=benutzer.name, bemerkung=bemerkung,
                                   live_seit=live_seit, expected_version=expected_version,
                                   kontext=kontext)
    except StaleDataError:
        raise VeraltetFehler("Die Anbindung wurde gleichzeitig von jemand anderem gespeichert. "
                             "Nichts wurde gespeichert – bitte neu laden und erneut "
                             "speichern.") from None


# --- Katalog --------------------------------------------------------------------------------------
@dataclass(frozen=True)
class LeistungEingabe:
    """A catalog entry as entered. vollzug_land: rule of the Kreis's Land ("Gemeinde", "Kreis" or
    None = not known); vollzug_kreis: the Kreis's override (None = no override)."""

    name: str
    themenfeld: str
    federfuehrung: str | None = None
    leika: str | None = None
    efa_dienst: str | None = None
    reifegrad: int | None = None
    reifegrad_modell: str | None = None
    quelle_url: str | None = None
    vollzug_land: str | None = None
    vollzug_kreis: str | None = None


LEISTUNG_FELDER = ("name", "themenfeld", "federfuehrung", "leika", "efa_dienst", "reifegrad",
                   "reifegrad_modell", "quelle_url")
_LEIKA = re.compile(r"^99\d{12}$")


def _text(value: object) -> str | None:
    return None if _leer(value) else str(value).strip()


def validate_leistung(eingabe: LeistungEingabe) -> tuple[dict[str, object], list[str]]:
    """Cleaned field values and all German error messages."""
    fehler: list[str] = []
    werte: dict[str, object] = {f.name: getattr(eingabe, f.name) for f in fields(eingabe)}
    for feld in ("name", "federfuehrung", "efa_dienst", "quelle_url", "reifegrad_modell",
                 "vollzug_land", "vollzug_kreis"):
        werte[feld] = _text(werte[feld])
    if werte["name"] is None:
        fehler.append("Name fehlt – bitte die Bezeichnung der Leistung eintragen")
    elif len(werte["name"]) > 300:
        fehler.append("Name ist zu lang – höchstens 300 Zeichen")
    if werte["themenfeld"] not in scales.OZG_THEMENFELDER:
        fehler.append(f"„{werte['themenfeld'] or ''}“ ist kein OZG-Themenfeld – erlaubt sind "
                      f"{', '.join(scales.OZG_THEMENFELDER)}")
    leika = re.sub(r"\s+", "", str(werte["leika"])) if not _leer(werte["leika"]) else None
    if leika is not None and not _LEIKA.match(leika):
        fehler.append(f"LeiKa-Schlüssel „{werte['leika']}“ ist ungültig – erlaubt sind 14 Ziffern, "
                      "beginnend mit 99 (z. B. 99050012104000), oder leer")
    werte["leika"] = leika
    modell = werte["reifegrad_modell"]
    reifegrad = werte["reifegrad"]
    if modell is not None and modell not in scales.REIFEGRAD_MODELLE:
        fehler.append(f"Reifegradmodell „{modell}“ ist unbekannt – erlaubt sind "
                      f"{', '.join(scales.REIFEGRAD_MODELLE)}")
    if reifegrad is not None and not (isinstance(reifegrad, float) and reifegrad != reifegrad):
        try:
            stufe = int(reifegrad)
            if stufe != float(reifegrad):
                raise ValueError
        except (TypeError, ValueError):
            fehler.append(f"Reifegrad „{reifegrad}“ ist keine ganze Zahl")
            stufe = None
        if stufe is not None:
            if modell is None:
                fehler.append("zum Reifegrad fehlt die Modellversion – erlaubt sind "
                              f"{', '.join(scales.REIFEGRAD_MODELLE)}")
            elif modell in scales.REIFEGRAD_MODELLE:
                hoechste = scales.REIFEGRAD_MODELLE[modell]
                if not 0 <= stufe <= hoechste:
                    fehler.append(f"Reifegrad {stufe} liegt außerhalb des Modells {modell} – "
                                  f"erlaubt sind 0 bis {hoechste}")
        werte["reifegrad"] = stufe
    else:
        werte["reifegrad"] = None
    if werte["quelle_url"] is not None and not re.match(r"^https?://\S+$", werte["quelle_url"]):
        fehler.append(f"Quelle „{werte['quelle_url']}“ ist kein Link – erwartet wird eine "
                      "Adresse, die mit http:// oder https:// beginnt, oder leer")
    for feld, titel in (("vollzug_land", "Vollzug nach Landesrecht"),
                        ("vollzug_kreis", "Abweichung des Kreises")):
        if werte[feld] is not None and werte[feld] not in scales.VOLLZUG_EBENEN:
            fehler.append(f"{titel}: „{werte[feld]}“ ist ungültig – erlaubt sind "
                          f"{', '.join(scales.VOLLZUG_EBENEN)} oder leer")
    return werte, fehler


def _set_vollzug(session: Session, leistung: Leistung, land_code: str, kreis_ags: str | None,
                 ebene: str | None, *, benutzer: str, zeitpunkt) -> None:
    regel = session.scalar(select(LeistungVollzug).where(
        LeistungVollzug.leistung_id == leistung.id, LeistungVollzug.land_code == land_code,
        LeistungVollzug.kreis_ags.is_(None) if kreis_ags is None
        else LeistungVollzug.kreis_ags == kreis_ags))
    alt = regel.ebene if regel is not None else None
    if alt == ebene:
        return
    if regel is None:
        session.add(LeistungVollzug(leistung_id=leistung.id, land_code=land_code,
                                    kreis_ags=kreis_ags, ebene=ebene))
        aktion = "angelegt"
    elif ebene is None:
        session.delete(regel)
        aktion = "gelöscht"
    else:
        regel.ebene = ebene
        aktion = "geändert"
    wo = f"Kreis {kreis_ags}" if kreis_ags else f"Land {land_code}"
    audit.record(session, benutzer=benutzer, aktion=aktion, objekt="leistung_vollzug",
                 schluessel=f"{leistung.name}/{wo}"[:200], aenderungen={"ebene": (alt, ebene)},
                 zeitpunkt=zeitpunkt)


def save_leistung(engine: Engine, eingabe: LeistungEingabe, *,
                  benutzer: auth.Benutzer | None, leistung_id: int | None = None,
                  expected_version: int | None = None) -> int:
    """Create (leistung_id None) or update a catalog entry and its Vollzug for the workspace's
    Kreis (Land rule + Kreis override) in one transaction with audit entries (as
    `benutzer.name`); returns the id.

    Raises PermissionError unless the Kreis-Administration (auth.darf_kreisweit), EingabeFehler
    or VeraltetFehler (someone saved in between) – in every case nothing is written.
    """
    auth.pruefe_kreisweit(benutzer, "den EfA-Katalog")
    wer = benutzer.name
    werte, fehler = validate_leistung(eingabe)
    try:
        with transaction(engine) as session:
            kreis = session.scalar(select(Kreis))
            if kreis is None:
                fehler.append("in diesem Arbeitsbereich ist noch kein Kreis angelegt")
            leistung = None
            if leistung_id is not None:
                try:
                    leistung = session.get(Leistung, int(leistung_id))
                except (TypeError, ValueError):
                    leistung = None
                if leistung is None:
                    fehler.append(f"Leistung „{leistung_id}“ gibt es im Katalog nicht (mehr)")
            if werte["name"] is not None:
                gleichnamig = session.scalar(select(Leistung).where(Leistung.name == werte["name"]))
                if gleichnamig is not None and gleichnamig is not leistung:
                    fehler.append(f"eine Leistung „{werte['name']}“ gibt es schon im Katalog – "
                                  "der Name muss eindeutig sein")
            if fehler:
                raise EingabeFehler(fehler)
            if leistung is not None and expected_version is not None \
                    and leistung.version != expected_version:
                raise _veraltet(f"Die Leistung „{leistung.name}“", expected_version,
                                leistung.version)
            zeitpunkt = audit.now()
            neu = {f: werte[f] for f in LEISTUNG_FELDER}
            if leistung is None:
                leistung = Leistung(**neu)
                session.add(leistung)
                session.flush()
                audit.record(session, benutzer=wer, aktion="angelegt", objekt="leistung",
                             schluessel=leistung.name[:200],
                             aenderungen={f: (None, v) for f, v in neu.items() if v is not None},
                             zeitpunkt=zeitpunkt)
            else:
                felder = {f: (getattr(leistung, f), v) for f, v in neu.items()
                          if getattr(leistung, f) != v}
                if felder:
                    for feld, (_alt, wert) in felder.items():
                        setattr(leistung, feld, wert)
                    audit.record(session, benutzer=wer, aktion="geändert", objekt="leistung",
                                 schluessel=leistung.name[:200], aenderungen=felder,
                                 zeitpunkt=zeitpunkt)
            _set_vollzug(session, leistung, kreis.land_code, None, werte["vollzug_land"],
                         benutzer=wer, zeitpunkt=zeitpunkt)
            _set_vollzug(session, leistung, kreis.land_code, kreis.ags, werte["vollzug_kreis"],
                         benutzer=wer, zeitpunkt=zeitpunkt)
            session.flush()
            return leistung.id
    except StaleDataError:
        raise VeraltetFehler("Die Leistung wurde gleichzeitig von jemand anderem gespeichert. "
                             "Nichts wurde gespeichert – bitte neu laden und erneut "
                             "speichern.") from None
