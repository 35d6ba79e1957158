"""Software write services: the product a Verwaltung uses in a Domäne (a new name joins the
catalog) and whether it supports a standard (ja / nein / unbekannt).

Each goes through one unit of work with its audit entries; ``version`` is the version the user
saw (0 = "there was no entry yet"); a concurrent change is refused with ``fehler.Veraltet``.
``apply_*`` do the same inside an open unit of work (imports of many rows).
"""
from __future__ import annotations

from sqlalchemy import Engine, select

from kreis_data import textregeln
from kreis_data.arbeitseinheit import Aenderung, Arbeitseinheit, schreiben
from kreis_data.fehler import Ungueltig
from kreis_data.konten import regeln as rechte
from kreis_data.model import Produkt, ProduktEinsatz, StandardUnterstuetzung, Verwaltung
from kreis_data.software.regeln import (
    pruefe_domaene,
    pruefe_produktname,
    pruefe_standard,
    pruefe_wert,
)


def _verwaltung(uow: Arbeitseinheit, verwaltung_key: object) -> Verwaltung:
    key = str(verwaltung_key or "").strip()
    verwaltung = uow.session.get(Verwaltung, key) if key else None
    if verwaltung is None:
        raise Ungueltig(f"„{key}“ ist keine Verwaltung dieses Kreises – erlaubt sind die "
                        "Schlüssel der Verwaltungen im Arbeitsbereich (9-stelliger "
                        "Regionalschlüssel, für die Kreisverwaltung der Kreisschlüssel)")
    return verwaltung


def find_katalog_produkt(session, domaene: str, name: str) -> Produkt | None:
    """Catalog entry by name, ignoring case, spaces, NFKC and look-alike letters
    (textregeln.gleicher_name): such a variant is the existing product, never a new one."""
    produkte = {p.name: p for p in session.scalars(select(Produkt).where(
        Produkt.domaene == domaene))}
    treffer = textregeln.gleicher_name(name, produkte)
    return produkte[treffer] if treffer is not None else None


def apply_produkt(uow: Arbeitseinheit, verwaltung_key: str, domaene: str, produkt_name: str,
                  version: int | None = None) -> Aenderung:
    """The product of a Verwaltung in a Domäne; a new catalog name is in ``weitere``."""
    verwaltung = _verwaltung(uow, verwaltung_key)
    domaene = pruefe_domaene(domaene)
    name = pruefe_produktname(produkt_name)
    einsatz = uow.session.scalar(select(ProduktEinsatz).where(
        ProduktEinsatz.verwaltung_key == verwaltung.key, ProduktEinsatz.domaene == domaene))
    uow.pruefe_version(f"Der Produkteintrag für {verwaltung.name} ({domaene})",
                       einsatz.version if einsatz else 0, version)
    weitere = ()
    produkt = find_katalog_produkt(uow.session, domaene, name)
    if produkt is None:
        produkt = Produkt(domaene=domaene, name=name)
        weitere = (uow.anlegen(produkt, objekt="produkt", schluessel=f"{domaene}/{name}",
                               felder={"name": name}),)
    schluessel = f"{verwaltung.key}/{domaene}"
    alt = einsatz.produkt.name if einsatz else None
    if einsatz is None:
        aenderung = uow.anlegen(
            ProduktEinsatz(verwaltung_key=verwaltung.key, domaene=domaene, produkt_id=produkt.id),
            objekt="produkt_einsatz", schluessel=schluessel, felder={"produkt": produkt.name})
    elif einsatz.produkt_id == produkt.id:
        aenderung = Aenderung(schluessel, "unverändert", {}, "produkt_einsatz", einsatz.version)
    else:
        einsatz.produkt_id = produkt.id
        uow.flush(f"Der Produkteintrag für {verwaltung.name} ({domaene})")
        aenderung = uow.protokolliere("geändert", "produkt_einsatz", schluessel,
                                      {"produkt": (alt, produkt.name)})
        aenderung = Aenderung(aenderung.schluessel, aenderung.aktion, aenderung.felder,
                              aenderung.objekt, einsatz.version)
    return Aenderung(aenderung.schluessel, aenderung.aktion, aenderung.felder, aenderung.objekt,
                     aenderung.version, aenderung.id, weitere)


def apply_standard(uow: Arbeitseinheit, verwaltung_key: str, standard: str, wert: str,
                   version: int | None = None) -> Aenderung:
    verwaltung = _verwaltung(uow, verwaltung_key)
    standard = pruefe_standard(standard)
    wert = pruefe_wert(wert)
    eintrag = uow.session.scalar(select(StandardUnterstuetzung).where(
        StandardUnterstuetzung.verwaltung_key == verwaltung.key,
        StandardUnterstuetzung.standard == standard))
    uow.pruefe_version(f"Die Angabe zu {standard} für {verwaltung.name}",
                       eintrag.version if eintrag else 0, version)
    schluessel = f"{verwaltung.key}/{standard}"
    if eintrag is None:
        return uow.anlegen(StandardUnterstuetzung(verwaltung_key=verwaltung.key,
                                                  standard=standard, wert=wert),
                           objekt="standard_unterstuetzung", schluessel=schluessel,
                           felder={"wert": wert})
    return uow.aendern(eintrag, {"wert": wert}, objekt="standard_unterstuetzung",
                       schluessel=schluessel)


def set_produkt(engine: Engine, benutzer: rechte.Benutzer | None, verwaltung_key: str,
                domaene: str, produkt_name: str, *, version: int | None = None) -> Aenderung:
    """Set the product a Verwaltung uses in a Domäne (adds a new name to the catalog)."""
    rechte.pruefe_angemeldet(benutzer)
    with schreiben(engine, benutzer.name) as uow:
        rechte.pruefe_bearbeiten(benutzer, str(verwaltung_key or "").strip(), _namen(uow))
        return apply_produkt(uow, verwaltung_key, domaene, produkt_name, version)


def set_standard(engine: Engine, benutzer: rechte.Benutzer | None, verwaltung_key: str,
                 standard: str, wert: str, *, version: int | None = None) -> Aenderung:
    """Set whether a Verwaltung supports a standard (ja / nein / unbekannt)."""
    rechte.pruefe_angemeldet(benutzer)
    with schreiben(engine, benutzer.name) as uow:
        rechte.pruefe_bearbeiten(benutzer, str(verwaltung_key or "").strip(), _namen(uow))
        return apply_standard(uow, verwaltung_key, standard, wert, version)


def _namen(uow: Arbeitseinheit) -> dict[str, str]:
    return dict(uow.session.execute(select(Verwaltung.key, Verwaltung.name)).all())
