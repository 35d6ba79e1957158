"""Steckbrief of one Verwaltung: members, contact, Merkmale with history, products,
Kooperationen and live EfA connections. Read functions take the engine first (cacheable with
components.data.cached) and return plain data.
"""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from kreis_data import audit, formatting, queries, scales
from kreis_data.bewertungen.regeln import digitalisierungsindex
from kreis_data.model import (
    Anbindung,
    AuditEintrag,
    Kontakt,
    Kooperation,
    KooperationMitglied,
    Leistung,
    Produkt,
    ProduktEinsatz,
)


@dataclass(frozen=True)
class Ansprechperson:
    name: str
    rolle: str
    email: str | None
    telefon: str | None


def mitglieder(engine: Engine, verwaltung_key: str) -> pd.DataFrame:
    """Member Gemeinden of a Verwaltung: ags, name, bezeichnung, einwohner (sorted by name)."""
    frame = queries.gemeinden(engine)
    frame = frame[frame["verwaltung_key"] == verwaltung_key]
    return frame[["ags", "name", "bezeichnung", "einwohner"]].reset_index(drop=True)


def ansprechpersonen(engine: Engine, verwaltung_key: str) -> list[Ansprechperson]:
    with Session(engine) as session:
        rows = session.scalars(select(Kontakt).where(Kontakt.verwaltung_key == verwaltung_key)
                               .order_by(Kontakt.id)).all()
        return [Ansprechperson(k.name, k.rolle, k.email, k.telefon) for k in rows]


def merkmal_werte(engine: Engine, verwaltung_key: str, quartal: str) -> pd.DataFrame:
    """All Merkmale of the workspace for a Verwaltung in a quarter: merkmal_key, merkmal,
    art, stufe (Int64, NA = keine Angabe), label, stand, quelle, bemerkung."""
    bewertungen = queries.bewertungen(engine, quartal)
    eigene = bewertungen[bewertungen["verwaltung_key"] == verwaltung_key].set_index(
        "merkmal_key")
    rows = []
    for merkmal in queries.merkmale(engine):
        row = eigene.loc[merkmal.key] if merkmal.key in eigene.index else None
        stufe = None if row is None or pd.isna(row["stufe"]) else int(row["stufe"])
        rows.append({
            "merkmal_key": merkmal.key, "merkmal": merkmal.name, "art": merkmal.art,
            "stufe": stufe, "label": merkmal.kurzlabel(stufe),
            "stand": None if row is None or pd.isna(row["stand"]) else row["stand"],
            "quelle": None if row is None or pd.isna(row["quelle"]) else row["quelle"],
            "bemerkung": None if row is None or pd.isna(row["bemerkung"]) else row["bemerkung"],
        })
    frame = pd.DataFrame(rows, columns=["merkmal_key", "merkmal", "art", "stufe", "label",
                                        "stand", "quelle", "bemerkung"])
    frame["stufe"] = frame["stufe"].astype("Int64")
    return frame


def verlauf(engine: Engine, verwaltung_key: str) -> pd.DataFrame:
    """Stufe per quarter and ordinal Merkmal: quartal, merkmal_key, merkmal, stufe (Int64)."""
    bewertungen = queries.bewertungen(engine)
    namen = {m.key: m.name for m in queries.merkmale(engine) if m.art == "stufe"}
    frame = bewertungen[(bewertungen["verwaltung_key"] == verwaltung_key)
                        & bewertungen["merkmal_key"].isin(namen)].copy()
    frame["merkmal"] = frame["merkmal_key"].map(namen)
    reihenfolge = {k: i for i, k in enumerate(namen)}
    frame = frame.sort_values(["quartal", "merkmal_key"],
                              key=lambda s: s.map(reihenfolge) if s.name == "merkmal_key" else s)
    return frame[["quartal", "merkmal_key", "merkmal", "stufe"]].reset_index(drop=True)


def produkte(engine: Engine, verwaltung_key: str) -> pd.DataFrame:
    """Products in use per Domäne (in the order of scales.DOMAENEN): domaene, produkt,
    hersteller."""
    with Session(engine) as session:
        rows = session.execute(
            select(ProduktEinsatz.domaene, Produkt.name, Produkt.hersteller)
            .join(Produkt, ProduktEinsatz.produkt_id == Produkt.id)
            .where(ProduktEinsatz.verwaltung_key == verwaltung_key)).all()
    frame = pd.DataFrame(rows, columns=["domaene", "produkt", "hersteller"])
    ordnung = {d: i for i, d in enumerate(scales.DOMAENEN)}
    return frame.sort_values("domaene", key=lambda s: s.map(ordnung).fillna(99)).reset_index(
        drop=True)


def kooperationen(engine: Engine, verwaltung_key: str) -> pd.DataFrame:
    """Kooperationen the Verwaltung is a member of: name, format, status, rolle
    (Federführung / Stellvertretung / Mitglied)."""
    with Session(engine) as session:
        rows = session.execute(
            select(Kooperation.name, Kooperation.format, Kooperation.status,
                   Kooperation.federfuehrung_key, Kooperation.stellvertretung_key)
            .join(KooperationMitglied, KooperationMitglied.kooperation_id == Kooperation.id)
            .where(KooperationMitglied.verwaltung_key == verwaltung_key)
            .distinct().order_by(Kooperation.name)).all()
    result = []
    for name, format_, status, federfuehrung, stellvertretung in rows:
        rolle = ("Federführung" if federfuehrung == verwaltung_key
                 else "Stellvertretung" if stellvertretung == verwaltung_key else "Mitglied")
        result.append({"name": name, "format": format_, "status": status, "rolle": rolle})
    return pd.DataFrame(result, columns=["name", "format", "status", "rolle"])


def live_anbindungen(engine: Engine, verwaltung_key: str, quartal: str) -> pd.DataFrame:
    """EfA services live at the Verwaltung in the quarter: leistung, efa_dienst, themenfeld,
    live_seit."""
    with Session(engine) as session:
        rows = session.execute(
            select(Leistung.name, Leistung.efa_dienst, Leistung.themenfeld, Anbindung.live_seit)
            .join(Leistung, Anbindung.leistung_id == Leistung.id)
            .where(Anbindung.verwaltung_key == verwaltung_key, Anbindung.quartal == quartal,
                   Anbindung.status == "live")
            .order_by(Leistung.name)).all()
    return pd.DataFrame(rows, columns=["leistung", "efa_dienst", "themenfeld", "live_seit"])


def datenstand(engine: Engine) -> str:
    """Date of the newest change to any data (audit log), German format; "–" when empty."""
    with Session(engine) as session:
        zeitpunkt = session.scalar(select(func.max(AuditEintrag.zeitpunkt)).where(
            AuditEintrag.objekt.not_in(audit.KEINE_DATEN)))  # a login changes no data
    return formatting.datum(zeitpunkt)


def index_wert(engine: Engine, verwaltung_key: str, quartal: str
               ) -> tuple[float | None, int, int]:
    """(Digitalisierungsindex or None, abgedeckt, gesamt) of a Verwaltung in a quarter."""
    merkmale = queries.merkmale(engine)
    bewertungen = queries.bewertungen(engine, quartal)
    index = digitalisierungsindex(bewertungen[bewertungen["verwaltung_key"] == verwaltung_key],
                                  merkmale)
    gesamt = sum(m.art == "stufe" for m in merkmale)
    if index.empty:
        return None, 0, gesamt
    wert = index["index"].iloc[0]
    return (None if pd.isna(wert) else float(wert)), int(index["abgedeckt"].iloc[0]), gesamt


def index_text(engine: Engine, verwaltung_key: str, quartal: str) -> str:
    """"Digitalisierungsindex: 62 von 100 (Abdeckung: 7 von 8 Merkmalen bewertet)"."""
    wert, abgedeckt, gesamt = index_wert(engine, verwaltung_key, quartal)
    zahl = "keine Angabe" if wert is None else f"{formatting.zahl(wert)} von 100"
    return (f"Digitalisierungsindex: {zahl} (Abdeckung: {abgedeckt} von {gesamt} Merkmalen "
            f"bewertet)")
