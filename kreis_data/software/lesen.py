"""Software and standards read views: products in use, standard support, the Kooperationen the
clusters are checked against, and the evaluations per Domäne and for the standards that the
page and the report show (rules in ``software.regeln``)."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from kreis_data import bundesvergleich, formatting, queries, scales
from kreis_data.model import (
    AuditEintrag,
    Kooperation,
    KooperationMitglied,
    Produkt,
    ProduktEinsatz,
    StandardUnterstuetzung,
)
from kreis_data.software.regeln import (
    EINSATZ_SPALTEN,
    KOOPERATION_HANDLUNGSFELD,
    Referenzwert,
    cluster,
    insel_loesungen,
    kreis_luecken,
    ohne_angabe,
    produkte,
    referenz_vergleich,
    standard_anteile,
    standard_luecken,
    standard_matrix,
    uebersicht,
    vereinheitlichungsgrad,
)


# --- Loading ------------------------------------------------------------------------------------
def load_einsatz(engine: Engine) -> pd.DataFrame:
    """One row per Verwaltung x Domäne with a product: see EINSATZ_SPALTEN."""
    verwaltungen = queries.verwaltungen(engine).set_index("key")
    with Session(engine) as session:
        rows = session.execute(
            select(ProduktEinsatz.verwaltung_key, ProduktEinsatz.domaene, Produkt.name,
                   Produkt.hersteller, ProduktEinsatz.version)
            .join(Produkt, Produkt.id == ProduktEinsatz.produkt_id)
            .order_by(ProduktEinsatz.domaene, ProduktEinsatz.verwaltung_key)).all()
    frame = pd.DataFrame(rows, columns=["verwaltung_key", "domaene", "produkt", "hersteller",
                                        "version"])
    return _mit_verwaltung(frame, verwaltungen)[EINSATZ_SPALTEN]


def load_standards(engine: Engine) -> pd.DataFrame:
    """verwaltung_key, verwaltung, kreisverwaltung, einwohner, standard, wert, version."""
    verwaltungen = queries.verwaltungen(engine).set_index("key")
    with Session(engine) as session:
        rows = session.execute(
            select(StandardUnterstuetzung.verwaltung_key, StandardUnterstuetzung.standard,
                   StandardUnterstuetzung.wert, StandardUnterstuetzung.version)
            .order_by(StandardUnterstuetzung.verwaltung_key, StandardUnterstuetzung.standard)
        ).all()
    frame = pd.DataFrame(rows, columns=["verwaltung_key", "standard", "wert", "version"])
    return _mit_verwaltung(frame, verwaltungen)[
        ["verwaltung_key", "verwaltung", "kreisverwaltung", "einwohner", "standard", "wert",
         "version"]]


def load_kooperationen(engine: Engine) -> pd.DataFrame:
    """Memberships of Verwaltungen in Kooperationen that have not ended and work in the
    Handlungsfeld "Verwaltung" (a Breitband-Zweckverband is no format for sharing software):
    kooperation_id, kooperation, format, verwaltung_key."""
    with Session(engine) as session:
        rows = session.execute(
            select(Kooperation.id, Kooperation.name, Kooperation.format,
                   Kooperation.handlungsfelder, KooperationMitglied.verwaltung_key)
            .join(KooperationMitglied, KooperationMitglied.kooperation_id == Kooperation.id)
            .where(KooperationMitglied.verwaltung_key.is_not(None))
            .where(Kooperation.status != "beendet")
            .order_by(Kooperation.name)).all()
    frame = pd.DataFrame(rows, columns=["kooperation_id", "kooperation", "format",
                                        "handlungsfelder", "verwaltung_key"])
    felder = frame["handlungsfelder"].fillna("").str.split(";")
    relevant = felder.map(lambda liste: KOOPERATION_HANDLUNGSFELD in [f.strip() for f in liste])
    return (frame.loc[relevant.astype(bool)].drop(columns="handlungsfelder")
            .reset_index(drop=True))


def load_katalog(engine: Engine) -> pd.DataFrame:
    """The product catalog: domaene, produkt, hersteller (by Domäne order, then name)."""
    with Session(engine) as session:
        rows = session.execute(select(Produkt.domaene, Produkt.name, Produkt.hersteller)).all()
    frame = pd.DataFrame(rows, columns=["domaene", "produkt", "hersteller"])
    reihenfolge = {d: i for i, d in enumerate(scales.DOMAENEN)}
    frame["_ordnung"] = frame["domaene"].map(reihenfolge).fillna(len(reihenfolge))
    frame["_name"] = frame["produkt"].str.casefold()
    return (frame.sort_values(["_ordnung", "_name"]).drop(columns=["_ordnung", "_name"])
            .reset_index(drop=True))


def _mit_verwaltung(frame: pd.DataFrame, verwaltungen: pd.DataFrame) -> pd.DataFrame:
    frame = frame.copy()
    frame["verwaltung"] = frame["verwaltung_key"].map(verwaltungen["name"])
    frame["kreisverwaltung"] = frame["verwaltung_key"].map(verwaltungen["kreisverwaltung"]).astype(bool)
    frame["einwohner"] = frame["verwaltung_key"].map(verwaltungen["einwohner"]).fillna(0).astype(int)
    return frame


def referenz_standardisierungsbedarf(pfad: Path | str = bundesvergleich.CSV_PATH
                                     ) -> list[Referenzwert]:
    """The rows "standardisierungsbedarf" of bundesvergleich.csv, in file order."""
    frame = bundesvergleich.laden(pfad)
    frame = frame[frame["merkmal"] == "standardisierungsbedarf"]
    return [Referenzwert(bereich=row.antwort, anteil_prozent=float(row.anteil_prozent),
                         quelle=row.quelle, erhebung=row.erhebung, befragte=row.befragte,
                         n=row.n, hinweis=str(row.hinweis).strip('"'))
            for row in frame.itertuples()]


# --- Quelle and Stand ----------------------------------------------------------------------------
QUELLE_PRODUKTE = "Angaben der Verwaltungen (Redaktion IKZ-Monitor)"


def quelle_und_stand(engine: Engine) -> tuple[str, str]:
    """("Angaben der Verwaltungen … (Demo-Daten, fiktiv)", "22.11.2026"): the Stand is the date
    of the last change of a product or standard entry, else when the data was set up."""
    with Session(engine) as session:
        zuletzt = session.scalar(select(func.max(AuditEintrag.zeitpunkt)).where(
            AuditEintrag.objekt.in_(("produkt", "produkt_einsatz", "standard_unterstuetzung"))))
        if zuletzt is None:
            zuletzt = session.scalar(select(func.max(AuditEintrag.zeitpunkt)).where(
                AuditEintrag.objekt.in_(("demo", "kreis"))))
    quelle = QUELLE_PRODUKTE + (" (Demo-Daten, fiktiv)" if queries.ist_demo(engine) else "")
    return quelle, formatting.datum(zuletzt)


# --- One call per page section (cache-friendly) ------------------------------------------------
@dataclass(frozen=True)
class DomaenenAuswertung:
    domaene: str
    produkte: pd.DataFrame
    anzahl_produkte: int
    vereinheitlichungsgrad: float | None
    insel_loesungen: pd.DataFrame
    cluster: pd.DataFrame
    ohne_angabe: list[str]
    kreis_produkt: str | None
    verwaltungen_gesamt: int  # Gemeinde-level Verwaltungen


def domaenen_auswertung(engine: Engine, domaene: str) -> DomaenenAuswertung:
    if domaene not in scales.DOMAENEN:
        raise ValueError(f"„{domaene}“ ist keine Domäne – erlaubt sind "
                         f"{', '.join(scales.DOMAENEN)}")
    einsatz = load_einsatz(engine)
    verwaltungen = queries.verwaltungen(engine)
    tabelle = produkte(einsatz, domaene)
    genutzt = tabelle[tabelle["verwaltungen"] > 0]
    kreis = einsatz[(einsatz["domaene"] == domaene) & einsatz["kreisverwaltung"]]["produkt"]
    return DomaenenAuswertung(
        domaene=domaene, produkte=tabelle, anzahl_produkte=len(genutzt),
        vereinheitlichungsgrad=vereinheitlichungsgrad(list(genutzt["verwaltungen"])),
        insel_loesungen=insel_loesungen(einsatz, domaene),
        cluster=cluster(einsatz, load_kooperationen(engine), domaene),
        ohne_angabe=ohne_angabe(einsatz, verwaltungen, domaene),
        kreis_produkt=kreis.iloc[0] if not kreis.empty else None,
        verwaltungen_gesamt=int((~verwaltungen["kreisverwaltung"]).sum()))


@dataclass(frozen=True)
class StandardAuswertung:
    matrix: pd.DataFrame
    anteile: pd.DataFrame
    luecken: pd.DataFrame
    kreis_luecken: list[str]
    uebersicht: pd.DataFrame
    referenz: pd.DataFrame


def standard_auswertung(engine: Engine) -> StandardAuswertung:
    verwaltungen = queries.verwaltungen(engine)
    matrix = standard_matrix(load_standards(engine), verwaltungen)
    anteile = standard_anteile(matrix)
    domaenen = uebersicht(load_einsatz(engine), verwaltungen)
    return StandardAuswertung(
        matrix=matrix, anteile=anteile, luecken=standard_luecken(matrix),
        kreis_luecken=kreis_luecken(matrix), uebersicht=domaenen,
        referenz=referenz_vergleich(domaenen, anteile, referenz_standardisierungsbedarf()))
