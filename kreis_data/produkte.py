"""Writing products (per Verwaltung x Domäne) and standard support (per Verwaltung x Standard).

Every write validates first (German messages), then changes the row and records its audit entry
in one transaction. Optimistic concurrency: pass the version the user saw as
``expected_version`` (0 = "there was no entry yet"); if someone changed the row in between, the
write is refused with ``VersionKonflikt`` and nothing is written.
"""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from kreis_data import audit, auth, scales
from kreis_data.database import transaction
from kreis_data.model import Produkt, ProduktEinsatz, StandardUnterstuetzung, Verwaltung

MAX_NAME = 200  # Produkt.name column length


class EingabeFehler(ValueError):
    """Invalid input; the message is German and names the value and what is allowed."""


class VersionKonflikt(EingabeFehler):
    """The row was changed by someone else since the user loaded it."""


@dataclass(frozen=True)
class Ergebnis:
    schluessel: str  # e.g. "034590024/E-Akte/DMS"
    aktion: str  # angelegt / geändert / unverändert
    alt: str | None
    neu: str
    version: int  # version of the row after the write
    neues_katalog_produkt: bool = False


# --- Validation ----------------------------------------------------------------------------------
def pruefe_verwaltung(session: Session, verwaltung_key: object) -> Verwaltung:
    key = str(verwaltung_key or "").strip()
    verwaltung = session.get(Verwaltung, key) if key else None
    if verwaltung is None:
        raise EingabeFehler(f"„{key}“ ist keine Verwaltung dieses Kreises – erlaubt sind die "
                            "Schlüssel der Verwaltungen im Arbeitsbereich (9-stelliger "
                            "Regionalschlüssel, für die Kreisverwaltung der Kreisschlüssel)")
    return verwaltung


def pruefe_domaene(domaene: object) -> str:
    text = str(domaene or "").strip()
    for erlaubt in scales.DOMAENEN:
        if erlaubt.casefold() == text.casefold():
            return erlaubt
    raise EingabeFehler(f"„{text}“ ist keine Domäne – erlaubt sind {', '.join(scales.DOMAENEN)}")


def pruefe_standard(standard: object) -> str:
    text = str(standard or "").strip()
    for erlaubt in scales.STANDARDS:
        if erlaubt.casefold() == text.casefold():
            return erlaubt
    raise EingabeFehler(f"„{text}“ ist kein Standard – erlaubt sind {', '.join(scales.STANDARDS)}")


def pruefe_wert(wert: object) -> str:
    text = str(wert if wert is not None else "").strip().casefold()
    if text in scales.STANDARD_WERTE:
        return text
    raise EingabeFehler(f"„{'' if wert is None else wert}“ ist keine gültige Angabe zur "
                        f"Unterstützung – erlaubt sind {', '.join(scales.STANDARD_WERTE)}")


def pruefe_produktname(name: object) -> str:
    text = " ".join(str(name or "").split())
    if not text:
        raise EingabeFehler("Produktname fehlt – bitte ein Produkt aus dem Katalog wählen oder "
                            "einen neuen Namen eingeben")
    if len(text) > MAX_NAME:
        raise EingabeFehler(f"Produktname ist zu lang ({len(text)} Zeichen) – erlaubt sind "
                            f"höchstens {MAX_NAME} Zeichen")
    if text[0] in ("=", "+", "-", "@"):
        raise EingabeFehler(f"„{text}“ ist kein gültiger Produktname – ein Name darf nicht mit "
                            "=, +, - oder @ beginnen")
    return text


def _pruefe_benutzer(benutzer: object) -> str:
    text = str(benutzer or "").strip()
    if not text:
        raise EingabeFehler("Benutzer*in fehlt – jede Änderung wird mit Namen protokolliert")
    return text


def _pruefe_version(aktuell: int, expected_version: int | None, was: str) -> None:
    if expected_version is not None and int(expected_version) != aktuell:
        raise VersionKonflikt(
            f"{was} wurde inzwischen von jemand anderem geändert (gespeicherte Version "
            f"{aktuell}, Ihre Version {int(expected_version)}). Ihre Änderung wurde nicht "
            "gespeichert – bitte die Seite neu laden und die Eingabe wiederholen.")


# --- Writes --------------------------------------------------------------------------------------
def find_katalog_produkt(session: Session, domaene: str, name: str) -> Produkt | None:
    """Catalog entry by name, ignoring case and surrounding spaces."""
    return session.scalar(select(Produkt).where(Produkt.domaene == domaene,
                                                func.lower(Produkt.name) == name.lower()))


def _pruefe_recht(session: Session, benutzer: auth.Benutzer | None,
                  verwaltung_key: object) -> str:
    """PermissionError (German, with the Verwaltungen's names) unless `benutzer` may edit this
    Verwaltung; returns the name for the audit log."""
    key = str(verwaltung_key or "").strip()
    auth.pruefe_bearbeiten(benutzer, key,
                           dict(session.execute(select(Verwaltung.key, Verwaltung.name)).all()))
    return benutzer.name


def set_produkt(engine: Engine, verwaltung_key: str, domaene: str, produkt_name: str,
                benutzer: auth.Benutzer | None, expected_version: int | None = None, *,
                kontext: str | None = None) -> Ergebnis:
    """Set the product a Verwaltung uses in a Domäne (adds a new name to the catalog).

    Raises PermissionError (nothing written) unless `benutzer` may edit this Verwaltung
    (auth.darf_bearbeiten); the audit log gets `benutzer.name`."""
    with transaction(engine) as session:
        wer = _pruefe_recht(session, benutzer, verwaltung_key)
        return apply_produkt(session, verwaltung_key, domaene, produkt_name, wer,
                             expected_version, kontext=kontext)


def apply_produkt(session: Session, verwaltung_key: str, domaene: str, produkt_name: str,
                  benutzer: str, expected_version: int | None = None, *,
                  kontext: str | None = None) -> Ergebnis:
    """set_produkt inside an open transaction (for imports of many rows)."""
    benutzer = _pruefe_benutzer(benutzer)
    verwaltung = pruefe_verwaltung(session, verwaltung_key)
    domaene = pruefe_domaene(domaene)
    name = pruefe_produktname(produkt_name)
    schluessel = f"{verwaltung.key}/{domaene}"
    einsatz = session.scalar(select(ProduktEinsatz).where(
        ProduktEinsatz.verwaltung_key == verwaltung.key, ProduktEinsatz.domaene == domaene))
    _pruefe_version(einsatz.version if einsatz else 0, expected_version,
                    f"Der Produkteintrag für {verwaltung.name} ({domaene})")
    zeitpunkt = audit.now()
    produkt = find_katalog_produkt(session, domaene, name)
    neu_im_katalog = produkt is None
    if produkt is None:
        produkt = Produkt(domaene=domaene, name=name)
        session.add(produkt)
        session.flush()
        audit.record(session, benutzer=benutzer, aktion="angelegt", objekt="produkt",
                     schluessel=f"{domaene}/{name}", aenderungen={"name": (None, name)},
                     kontext=kontext, zeitpunkt=zeitpunkt)
    alt = einsatz.produkt.name if einsatz else None
    if einsatz is not None and einsatz.produkt_id == produkt.id:
        return Ergebnis(schluessel, "unverändert", alt, produkt.name, einsatz.version)
    if einsatz is None:
        einsatz = ProduktEinsatz(verwaltung_key=verwaltung.key, domaene=domaene,
                                 produkt_id=produkt.id)
        session.add(einsatz)
        aktion = "angelegt"
    else:
        einsatz.produkt_id = produkt.id
        aktion = "geändert"
    audit.record(session, benutzer=benutzer, aktion=aktion, objekt="produkt_einsatz",
                 schluessel=schluessel, aenderungen={"produkt": (alt, produkt.name)},
                 kontext=kontext, zeitpunkt=zeitpunkt)
    _flush(session, f"Der Produkteintrag für {verwaltung.name} ({domaene})")
    return Ergebnis(schluessel, aktion, alt, produkt.name, einsatz.version, neu_im_katalog)


def set_standard(engine: Engine, verwaltung_key: str, standard: str, wert: str,
                 benutzer: auth.Benutzer | None, expected_version: int | None = None, *,
                 kontext: str | None = None) -> Ergebnis:
    """Set whether a Verwaltung supports a standard (ja / nein / unbekannt).

    Raises PermissionError (nothing written) unless `benutzer` may edit this Verwaltung
    (auth.darf_bearbeiten); the audit log gets `benutzer.name`."""
    with transaction(engine) as session:
        wer = _pruefe_recht(session, benutzer, verwaltung_key)
        return apply_standard(session, verwaltung_key, standard, wert, wer,
                              expected_version, kontext=kontext)


def apply_standard(session: Session, verwaltung_key: str, standard: str, wert: str,
                   benutzer: str, expected_version: int | None = None, *,
                   kontext: str | None = None) -> Ergebnis:
    """set_standard inside an open transaction (for imports of many rows)."""
    benutzer = _pruefe_benutzer(benutzer)
    verwaltung = pruefe_verwaltung(session, verwaltung_key)
    standard = pruefe_standard(standard)
    wert = pruefe_wert(wert)
    schluessel = f"{verwaltung.key}/{standard}"
    eintrag = session.scalar(select(StandardUnterstuetzung).where(
        StandardUnterstuetzung.verwaltung_key == verwaltung.key,
        StandardUnterstuetzung.standard == standard))
    _pruefe_version(eintrag.version if eintrag else 0, expected_version,
                    f"Die Angabe zu {standard} für {verwaltung.name}")
    alt = eintrag.wert if eintrag else None
    if eintrag is not None and eintrag.wert == wert:
        return Ergebnis(schluessel, "unverändert", alt, wert, eintrag.version)
    if eintrag is None:
        eintrag = StandardUnterstuetzung(verwaltung_key=verwaltung.key, standard=standard,
                                         wert=wert)
        session.add(eintrag)
        aktion = "angelegt"
    else:
        eintrag.wert = wert
        aktion = "geändert"
    audit.record(session, benutzer=benutzer, aktion=aktion, objekt="standard_unterstuetzung",
                 schluessel=schluessel, aenderungen={"wert": (alt, wert)}, kontext=kontext)
    _flush(session, f"Die Angabe zu {standard} für {verwaltung.name}")
    return Ergebnis(schluessel, aktion, alt, wert, eintrag.version)


def _flush(session: Session, was: str) -> None:
    """Turn SQLAlchemy's version check (a concurrent write between read and flush) into the
    German refusal."""
    try:
        session.flush()
    except StaleDataError:
        raise VersionKonflikt(f"{was} wurde gleichzeitig von jemand anderem geändert. Ihre "
                              "Änderung wurde nicht gespeichert – bitte die Seite neu laden "
                              "und die Eingabe wiederholen.") from None
