"""Demo software landscape: product catalog (reference/produkte.csv), which Verwaltung uses which
product per Domäne, and which standards each Verwaltung supports.

The catalog names are real product names (see the file's ``quelle`` column); which demo
Verwaltung uses which product is invented. Per Domäne one or two products dominate, neighbours
tend to use the same product, and each main Domäne has a fixed Insellösung (a product only one
Verwaltung uses). The Kreisverwaltung has no Meldebehörde and no Standesamt, so it has no row for
Einwohnermeldewesen and Personenstandswesen.
"""
from __future__ import annotations

import csv
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from kreis_data import scales
from kreis_data.demo.basis import (
    BERSENBRUECK,
    BRAMSCHE,
    GEORGSMARIENHUETTE,
    MELLE,
    WALLENHORST,
    DemoKontext,
)
from kreis_data.model import Produkt, ProduktEinsatz, StandardUnterstuetzung

PRODUKTE_CSV = Path(__file__).resolve().parent.parent / "datasets" / "reference" / "produkte.csv"
KREIS = "kreis"  # placeholder for the Kreisverwaltung's key in FEST


class Domaene:
    def __init__(self, haeufig: dict[str, int], fest: dict[str, str] | None = None,
                 ohne_kreis: bool = False):
        self.haeufig = haeufig  # product -> weight for the random draw
        self.fest = fest or {}  # Verwaltung key (or KREIS) -> product
        self.ohne_kreis = ohne_kreis


EINSATZ: dict[str, Domaene] = {
    "E-Akte/DMS": Domaene({"enaio": 5, "d.velop": 3, "regisafe": 2},
                          {MELLE: "Fabasoft eGov-Suite", KREIS: "enaio"}),
    "Portal/Antragsmanagement": Domaene(
        {"Formularserver des IT-Dienstleisters": 6, "Serviceportal des Landkreises": 3},
        {BRAMSCHE: "Bürgerportal im Website-CMS", KREIS: "Serviceportal des Landkreises"}),
    "Servicekonto": Domaene({"BundID (Nutzerkonto Bund)": 8, "Landes-Servicekonto": 2}),
    "Ratsinformationssystem": Domaene({"Session / SessionNet": 6, "SD.NET": 3},
                                      {GEORGSMARIENHUETTE: "Kommunal Plus Sitzungsdienst"}),
    "Finanzwesen (HKR)": Domaene({"H&H proDoppik": 6, "Infoma": 3},
                                 {KREIS: "SAP", BERSENBRUECK: "CIP-KD"}),
    "Einwohnermeldewesen": Domaene({"OK.EWO": 6, "VOIS|MESO": 4}, ohne_kreis=True),
    "Personenstandswesen": Domaene({"AutiSta": 1}, ohne_kreis=True),
    "IT-Dienstleister/Rechenzentrum": Domaene(
        {"ITEBO": 7, "KDO": 3},
        {MELLE: "eigener IT-Betrieb", KREIS: "eigener IT-Betrieb", WALLENHORST: "GovConnect"}),
}
NACHBAR_UEBERNAHME = 0.55  # chance to use the product of a neighbour already assigned


def read_katalog(path: Path = PRODUKTE_CSV) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle, delimiter=";"))
    for row in rows:
        if row["domaene"] not in scales.DOMAENEN:
            raise ValueError(f"{path.name}: unbekannte Domäne „{row['domaene']}“")
    return rows


def build_einsatz(kontext: DemoKontext) -> dict[str, dict[str, str]]:
    """Domäne -> {Verwaltung key -> product name}."""
    result: dict[str, dict[str, str]] = {}
    for domaene in scales.DOMAENEN:
        regel = EINSATZ[domaene]
        rng = kontext.rng(f"software:{domaene}")
        fest = {kontext.kreis_ags if k == KREIS else k: p for k, p in regel.fest.items()}
        namen = sorted(regel.haeufig)
        gewichte = [regel.haeufig[n] for n in namen]
        zuordnung: dict[str, str] = {}
        for key in kontext.keys:
            if regel.ohne_kreis and kontext.verwaltungen[key].ist_kreisverwaltung:
                continue
            if key in fest:
                zuordnung[key] = fest[key]
                continue
            vorbilder = [zuordnung[n] for n in kontext.nachbarn[key]
                         if n in zuordnung and zuordnung[n] in regel.haeufig]
            if vorbilder and rng.random() < NACHBAR_UEBERNAHME:
                zuordnung[key] = rng.choice(vorbilder)
            else:
                zuordnung[key] = rng.choices(namen, weights=gewichte)[0]
        result[domaene] = zuordnung
    return result


def build_standards(kontext: DemoKontext, stufe_jetzt: dict[tuple[str, str], int | None]
                    ) -> dict[tuple[str, str], str]:
    """(Verwaltung key, Standard) -> ja / nein / unbekannt, consistent with the latest Stufen."""
    rng = kontext.rng("software:standards")
    xmeld_unbekannt = rng.choice(kontext.gemeinde_keys)  # XMeld: everyone else "ja"
    werte = {}
    for key in kontext.keys:
        kreis = kontext.verwaltungen[key].ist_kreisverwaltung
        e_rechnung = stufe_jetzt.get((key, "e_rechnung"))
        e_akte = stufe_jetzt.get((key, "e_akte"))
        schnittstellen = stufe_jetzt.get((key, "schnittstellen"))
        werte[(key, "XRechnung")] = (
            "unbekannt" if e_rechnung is None else "ja" if e_rechnung >= 3
            else rng.choice(("nein", "unbekannt")) if e_rechnung == 2 else "nein")
        if e_akte is not None and e_akte >= 3:
            werte[(key, "xdomea")] = "ja" if rng.random() < 0.5 else "unbekannt"
        else:
            werte[(key, "xdomea")] = "nein" if rng.random() < 0.5 else "unbekannt"
        werte[(key, "XMeld")] = "unbekannt" if key == xmeld_unbekannt else "ja"
        werte[(key, "XPersonenstand")] = (
            "nein" if kreis else "ja" if rng.random() < 0.85 else "unbekannt")
        werte[(key, "XBau")] = "ja" if kreis else rng.choices(
            ("ja", "nein", "unbekannt"), weights=(25, 35, 40))[0]
        if kreis:
            werte[(key, "FIT-Connect")] = "ja"
        elif schnittstellen is not None and schnittstellen >= 3:
            werte[(key, "FIT-Connect")] = "ja" if rng.random() < 0.6 else "unbekannt"
        else:
            werte[(key, "FIT-Connect")] = "nein" if rng.random() < 0.6 else "unbekannt"
    return werte


def store_software(session: Session, kontext: DemoKontext,
                   stufe_jetzt: dict[tuple[str, str], int | None]) -> dict[tuple[str, str], str]:
    """Catalog, ProduktEinsatz and StandardUnterstuetzung; returns the standards."""
    for row in read_katalog():
        session.add(Produkt(domaene=row["domaene"], name=row["name"],
                            hersteller=row["hersteller"] or None))
    session.flush()
    ids = {(p.domaene, p.name): p.id for p in session.scalars(select(Produkt))}
    for domaene, zuordnung in build_einsatz(kontext).items():
        for key in sorted(zuordnung):
            session.add(ProduktEinsatz(verwaltung_key=key, domaene=domaene,
                                       produkt_id=ids[(domaene, zuordnung[key])]))
    standards = build_standards(kontext, stufe_jetzt)
    for key in kontext.keys:
        for standard in scales.STANDARDS:
            session.add(StandardUnterstuetzung(verwaltung_key=key, standard=standard,
                                               wert=standards[(key, standard)]))
    return standards
