"""EfA read views for pages, reports and exports: Vollzug, Anbindungen per quarter, the
Anbindungsmatrix, EfA-Quote, Go-lives, Hindernisse and the Nachnutzungs-Chancen. The rules they
apply are in ``efa.regeln``; writes in ``efa.schreiben``."""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from kreis_data import formatting, queries, scales
from kreis_data.efa.regeln import (
    GEWICHTE,
    LIVE,
    NICHT_ANGEBUNDEN,
    NICHT_ZUSTAENDIG,
    PORTAL_DOMAENE,
    ChancenGewichte,
    begruendung,
    bester_adopter,
    einwohner_skala,
    kontakt_text,
    quote,
    reifegrad_text,
    vollzug_text,
    zustaendig,
)
from kreis_data.model import Anbindung, Kreis, Leistung, LeistungVollzug, Produkt, ProduktEinsatz
from kreis_data.quartal import Quartal


# --- Vollzug and Zuständigkeit -------------------------------------------------------------------
def _kreis(session: Session, kreis_ags: str | None) -> Kreis | None:
    if kreis_ags is None:
        return session.scalar(select(Kreis))
    return session.get(Kreis, kreis_ags)


VOLLZUG_SPALTEN = ["leistung_id", "ebene", "herkunft", "ebene_land", "ebene_kreis", "hinweis",
                   "grundlage", "vollzug_quelle"]


def vollzug_rows(session: Session, kreis_ags: str | None = None) -> list[dict[str, object]]:
    """Vollzug of every Leistung for a Kreis (None = the workspace's Kreis), in an open session:
    leistung_id, ebene (resolved, None = unknown), herkunft ("Kreis" override, "Land" rule or
    None), ebene_land, ebene_kreis, hinweis, grundlage ("belegt" / "Annahme" / None),
    vollzug_quelle (the source where "belegt")."""
    kreis = _kreis(session, kreis_ags)
    land_code = kreis.land_code if kreis else None
    ags = kreis.ags if kreis else kreis_ags
    regeln = list(session.scalars(select(LeistungVollzug)))
    land = {r.leistung_id: r for r in regeln if r.kreis_ags is None and r.land_code == land_code}
    kreis_regel = {r.leistung_id: r for r in regeln
                   if r.kreis_ags is not None and r.kreis_ags == ags}
    rows = []
    for leistung_id in session.scalars(select(Leistung.id).order_by(Leistung.id)):
        regel_land, regel_kreis = land.get(leistung_id), kreis_regel.get(leistung_id)
        gilt = regel_kreis or regel_land
        rows.append({
            "leistung_id": leistung_id,
            "ebene": gilt.ebene if gilt else None,
            "herkunft": "Kreis" if regel_kreis else "Land" if regel_land else None,
            "ebene_land": regel_land.ebene if regel_land else None,
            "ebene_kreis": regel_kreis.ebene if regel_kreis else None,
            "hinweis": gilt.hinweis if gilt else None,
            "grundlage": gilt.grundlage if gilt else None,
            "vollzug_quelle": gilt.quelle if gilt else None,
        })
    return rows


def vollzug_details(engine: Engine, kreis_ags: str | None = None) -> pd.DataFrame:
    """vollzug_rows as a DataFrame (VOLLZUG_SPALTEN)."""
    with Session(engine) as session:
        return pd.DataFrame(vollzug_rows(session, kreis_ags), columns=VOLLZUG_SPALTEN)


def vollzug(engine: Engine, kreis_ags: str | None = None) -> dict[int, str | None]:
    """leistung_id -> "Gemeinde" / "Kreis" / None (unknown): Kreis override > Land rule."""
    with Session(engine) as session:
        return {r["leistung_id"]: r["ebene"] for r in vollzug_rows(session, kreis_ags)}


# --- Loading ------------------------------------------------------------------------------------
LEISTUNG_SPALTEN = ["leistung_id", "leistung", "themenfeld", "federfuehrung", "leika",
                    "efa_dienst", "reifegrad", "reifegrad_modell", "quelle_url", "version"]


def leistungen(engine: Engine) -> pd.DataFrame:
    """The catalog with the Vollzug resolved for the workspace's Kreis.

    Columns: LEISTUNG_SPALTEN + ebene, herkunft, ebene_land, ebene_kreis, hinweis, reifegrad_text,
    vollzug_text ("Gemeinde (Land)", "Kreis (Abweichung des Kreises)", "keine Angabe").
    """
    with Session(engine) as session:
        rows = session.execute(select(
            Leistung.id, Leistung.name, Leistung.themenfeld, Leistung.federfuehrung, Leistung.leika,
            Leistung.efa_dienst, Leistung.reifegrad, Leistung.reifegrad_modell, Leistung.quelle_url,
            Leistung.version).order_by(Leistung.themenfeld, Leistung.name)).all()
    frame = pd.DataFrame(rows, columns=LEISTUNG_SPALTEN)
    frame = frame.merge(vollzug_details(engine), on="leistung_id", how="left")
    frame["reifegrad"] = frame["reifegrad"].astype("Int64")
    frame["reifegrad_text"] = [reifegrad_text(r, m) for r, m in
                               zip(frame["reifegrad"], frame["reifegrad_modell"], strict=True)]
    frame["vollzug_text"] = [vollzug_text(e, h, g) for e, h, g in
                             zip(frame["ebene"], frame["herkunft"], frame["grundlage"], strict=True)]
    return frame


ANBINDUNG_SPALTEN = [
    "verwaltung_key", "verwaltung", "kreisverwaltung", "vollzugsebenen", "einwohner",
    "leistung_id", "leistung",
    "themenfeld", "ebene", "zustaendig", "status", "gespeichert", "live_seit", "hindernis",
    "bemerkung", "version",
]


def _anbindung_rows(engine: Engine, quartale: list[str]) -> pd.DataFrame:
    with Session(engine) as session:
        rows = session.execute(select(
            Anbindung.verwaltung_key, Anbindung.leistung_id, Anbindung.quartal, Anbindung.status,
            Anbindung.live_seit, Anbindung.hindernis, Anbindung.bemerkung, Anbindung.version)
            .where(Anbindung.quartal.in_(quartale))).all()
    return pd.DataFrame(rows, columns=["verwaltung_key", "leistung_id", "quartal", "status_db",
                                       "live_seit", "hindernis", "bemerkung", "version"])


def _raster(engine: Engine) -> pd.DataFrame:
    """Every Verwaltung x Leistung with Vollzug-Ebene (without any quarter)."""
    verwaltungen = queries.verwaltungen(engine)[["key", "name", "kreisverwaltung",
                                                 "vollzugsebenen", "einwohner"]]
    verwaltungen = verwaltungen.rename(columns={"key": "verwaltung_key", "name": "verwaltung"})
    katalog = leistungen(engine)[["leistung_id", "leistung", "themenfeld", "ebene"]]
    return verwaltungen.merge(katalog, how="cross")


def _status_frame(raster: pd.DataFrame, rows: pd.DataFrame) -> pd.DataFrame:
    frame = raster.merge(rows, on=["verwaltung_key", "leistung_id"], how="left")
    frame["gespeichert"] = frame["status_db"].notna()
    frame["zustaendig"] = pd.Series(
        [zustaendig(e, k, s if isinstance(s, str) else None) for e, k, s in
         zip(frame["ebene"], frame["vollzugsebenen"], frame["status_db"], strict=True)],
        index=frame.index, dtype=bool)
    frame["status"] = [
        (s if isinstance(s, str) else NICHT_ANGEBUNDEN) if z else NICHT_ZUSTAENDIG
        for z, s in zip(frame["zustaendig"], frame["status_db"], strict=True)]
    frame["version"] = frame["version"].fillna(0).astype(int)
    for spalte in ("live_seit", "hindernis", "bemerkung"):
        frame[spalte] = frame[spalte].astype(object).where(frame[spalte].notna(), None)
    return frame


def anbindungen(engine: Engine, quartal: str) -> pd.DataFrame:
    """Long form: one row per Verwaltung x Leistung for the quarter (ANBINDUNG_SPALTEN).

    status is the effective status ("nicht zuständig" where the Verwaltung is not responsible,
    "nicht angebunden" where a responsible Verwaltung has no row); version 0 = no row yet.
    """
    quartal = str(Quartal.parse(quartal))
    frame = _status_frame(_raster(engine), _anbindung_rows(engine, [quartal]).drop(
        columns="quartal"))
    return frame[ANBINDUNG_SPALTEN].reset_index(drop=True)


def bearbeitbare_anbindungen(engine: Engine, quartal: str, verwaltung_key: str) -> pd.DataFrame:
    """The Anbindungen of one Verwaltung that can be edited: Leistungen it is responsible for by
    Vollzug (including those marked "nicht zuständig" as an exception); ANBINDUNG_SPALTEN."""
    frame = anbindungen(engine, quartal)
    frame = frame[frame["verwaltung_key"] == verwaltung_key]
    nach_vollzug = pd.Series([zustaendig(e, k) for e, k in
                              zip(frame["ebene"], frame["vollzugsebenen"], strict=True)],
                             index=frame.index, dtype=bool)
    return frame.loc[nach_vollzug].sort_values("leistung").reset_index(drop=True)


def anbindungsmatrix(engine: Engine, quartal: str, themenfeld: str | None = None) -> pd.DataFrame:
    """Verwaltungen x Leistungen with the effective status in each cell.

    Columns "Schlüssel", "Verwaltung", then one column per Leistung (Gemeinde-level first, each
    group in catalog order); the Kreisverwaltung is the last row. Leistungen with unknown Vollzug are left out (see
    `leistungen_ohne_vollzug`).
    """
    frame = anbindungen(engine, quartal)
    frame = frame[frame["ebene"].notna()]
    if themenfeld:
        frame = frame[frame["themenfeld"] == themenfeld]
    reihen = (frame[["verwaltung_key", "verwaltung", "kreisverwaltung"]].drop_duplicates()
              .sort_values(["kreisverwaltung", "verwaltung"]))
    # Gemeinde-level Leistungen first (what most rows owe), then Kreis-level; catalog order.
    katalog = frame[["leistung", "ebene"]].drop_duplicates()
    spalten = (list(katalog.loc[katalog["ebene"] == "Gemeinde", "leistung"])
               + list(katalog.loc[katalog["ebene"] != "Gemeinde", "leistung"]))
    wide = frame.pivot(index="verwaltung_key", columns="leistung", values="status")
    wide = wide.reindex(index=list(reihen["verwaltung_key"]), columns=spalten)
    wide.insert(0, "Verwaltung", list(reihen["verwaltung"]))
    wide.insert(0, "Schlüssel", wide.index)
    wide.columns.name = None
    return wide.reset_index(drop=True)


def leistungen_ohne_vollzug(engine: Engine) -> list[str]:
    """Names of Leistungen without a Vollzug rule for the workspace's Kreis (count for nobody)."""
    katalog = leistungen(engine)
    return sorted(katalog.loc[katalog["ebene"].isna(), "leistung"])


def anbindung_quartale(engine: Engine) -> list[str]:
    """Quarters that have at least one Anbindung row."""
    with Session(engine) as session:
        return sorted(session.scalars(select(Anbindung.quartal).distinct()))


def _quote_frame(raster: pd.DataFrame, rows: pd.DataFrame, quartal: str) -> pd.DataFrame:
    """live and zustaendig per Verwaltung in `quartal`, from the raster and the Anbindung rows
    (of one or more quarters)."""
    frame = _status_frame(raster, rows[rows["quartal"] == quartal].drop(columns="quartal"))
    frame["ist_live"] = frame["zustaendig"] & (frame["status"] == LIVE)
    grouped = frame.groupby(["verwaltung_key", "verwaltung", "kreisverwaltung", "einwohner"],
                            sort=False).agg(live=("ist_live", "sum"),
                                            zustaendig=("zustaendig", "sum")).reset_index()
    grouped["live"] = grouped["live"].astype(int)
    grouped["zustaendig"] = grouped["zustaendig"].astype(int)
    return grouped


def efa_quote(engine: Engine, quartal: str) -> pd.DataFrame:
    """Per Verwaltung: verwaltung_key, verwaltung, kreisverwaltung, einwohner, live, zustaendig,
    quote (percent, NaN without responsible Leistungen), live_vorquartal, zustaendig_vorquartal,
    quote_vorquartal, delta_pp (change in Prozentpunkte; NaN when the previous quarter has no
    Anbindungen recorded)."""
    q = Quartal.parse(quartal)
    vorher_q = str(q.previous())
    # One raster and one read of both quarters' rows (the raster is the costly part).
    raster, rows = _raster(engine), _anbindung_rows(engine, [str(q), vorher_q])
    jetzt = _quote_frame(raster, rows, str(q))
    jetzt["quote"] = [quote(lv, z) for lv, z in zip(jetzt["live"], jetzt["zustaendig"], strict=True)]
    if (rows["quartal"] == vorher_q).any():  # the previous quarter has Anbindungen recorded
        vorher = _quote_frame(raster, rows, vorher_q)[["verwaltung_key", "live", "zustaendig"]]
        vorher = vorher.rename(columns={"live": "live_vorquartal",
                                        "zustaendig": "zustaendig_vorquartal"})
        jetzt = jetzt.merge(vorher, on="verwaltung_key", how="left")
        jetzt["quote_vorquartal"] = [quote(lv, z) for lv, z in
                                     zip(jetzt["live_vorquartal"], jetzt["zustaendig_vorquartal"], strict=True)]
    else:
        jetzt["live_vorquartal"] = pd.NA
        jetzt["zustaendig_vorquartal"] = pd.NA
        jetzt["quote_vorquartal"] = None
    jetzt["quote"] = pd.to_numeric(jetzt["quote"], errors="coerce").astype(float)
    jetzt["quote_vorquartal"] = pd.to_numeric(jetzt["quote_vorquartal"],
                                              errors="coerce").astype(float)
    jetzt["delta_pp"] = jetzt["quote"] - jetzt["quote_vorquartal"]
    return jetzt.sort_values(["kreisverwaltung", "verwaltung"]).reset_index(drop=True)


def quote_tabelle(quoten: pd.DataFrame) -> pd.DataFrame:
    """efa_quote() as a display table with German titles and German number formats."""
    return pd.DataFrame({
        "Verwaltung": quoten["verwaltung"],
        "live": quoten["live"],
        "zuständig": quoten["zustaendig"],
        "EfA-Quote": [formatting.prozent(q) for q in quoten["quote"]],
        "Veränderung zum Vorquartal": [formatting.delta(d, "Prozentpunkte", 1)
                                       for d in quoten["delta_pp"]],
    })


@dataclass(frozen=True)
class KreisQuote:
    """EfA-Quote over all Verwaltungen of the Kreis (incl. the Kreisverwaltung)."""

    quartal: str
    live: int
    zustaendig: int
    quote: float | None
    live_vorquartal: int | None
    quote_vorquartal: float | None
    delta_pp: float | None

    @property
    def text(self) -> str:
        """e.g. "112 von 480 zuständigen Leistungen live (23 %)"."""
        return (f"{formatting.zahl(self.live)} von {formatting.zahl(self.zustaendig)} "
                f"zuständigen Leistungen live ({formatting.prozent(self.quote)})")


def efa_quote_kreis(engine: Engine, quartal: str) -> KreisQuote:
    frame = efa_quote(engine, quartal)
    live, zust = int(frame["live"].sum()), int(frame["zustaendig"].sum())
    jetzt = quote(live, zust)
    if frame["zustaendig_vorquartal"].isna().all():
        live_v = quote_v = delta = None
    else:
        live_v = int(frame["live_vorquartal"].sum())
        quote_v = quote(live_v, int(frame["zustaendig_vorquartal"].sum()))
        delta = None if jetzt is None or quote_v is None else jetzt - quote_v
    return KreisQuote(str(Quartal.parse(quartal)), live, zust, jetzt, live_v, quote_v, delta)


def go_lives(engine: Engine) -> pd.DataFrame:
    """Per quarter with Anbindungen: quartal, go_lives (responsible Anbindungen that went live in
    that quarter), live (live at the end of the quarter), zustaendig, quote (percent).

    A go-live is counted in the quarter given as "live seit"; without that date, in the first
    quarter a row is live after a recorded quarter in which it was not.
    """
    quartale = anbindung_quartale(engine)
    raster = _raster(engine)
    alle = _anbindung_rows(engine, quartale)
    result = []
    vorher_live: set[tuple[str, int]] | None = None
    for quartal in quartale:
        frame = _status_frame(raster, alle[alle["quartal"] == quartal].drop(columns="quartal"))
        live = frame[frame["zustaendig"] & (frame["status"] == LIVE)]
        paare = set(zip(live["verwaltung_key"], live["leistung_id"], strict=True))
        neu = 0
        for key, leistung_id, seit in zip(live["verwaltung_key"], live["leistung_id"],
                                          live["live_seit"], strict=True):
            if isinstance(seit, str) and seit:
                neu += seit == quartal
            elif vorher_live is not None and (key, leistung_id) not in vorher_live:
                neu += 1
        zust = int(frame["zustaendig"].sum())
        result.append({"quartal": quartal, "go_lives": neu, "live": len(paare),
                       "zustaendig": zust, "quote": quote(len(paare), zust)})
        vorher_live = paare
    return pd.DataFrame(result, columns=["quartal", "go_lives", "live", "zustaendig", "quote"])


# --- Hindernisse ----------------------------------------------------------------------------------
def hindernisse(engine: Engine, quartal: str) -> pd.DataFrame:
    """Per Hindernis (responsible, not live Anbindungen of the quarter): hindernis, verwaltungen
    (count), anbindungen (count), verwaltung_namen, leistungen, text ("5 Verwaltungen: kein
    FIT-Connect-Zustellpunkt"). Most frequent first; only Hindernisse that occur."""
    frame = anbindungen(engine, quartal)
    frame = frame[frame["zustaendig"] & (frame["status"] != LIVE) & frame["hindernis"].notna()]
    rows = []
    for hindernis in scales.HINDERNISSE:
        teil = frame[frame["hindernis"] == hindernis]
        if teil.empty:
            continue
        anzahl = teil["verwaltung_key"].nunique()
        rows.append({
            "hindernis": hindernis, "verwaltungen": anzahl, "anbindungen": len(teil),
            "verwaltung_namen": ", ".join(sorted(teil["verwaltung"].unique())),
            "leistungen": ", ".join(sorted(teil["leistung"].unique())),
            "text": f"{anzahl} {'Verwaltung' if anzahl == 1 else 'Verwaltungen'}: {hindernis}",
        })
    result = pd.DataFrame(rows, columns=["hindernis", "verwaltungen", "anbindungen",
                                         "verwaltung_namen", "leistungen", "text"])
    reihenfolge = {h: i for i, h in enumerate(scales.HINDERNISSE)}
    result["_ordnung"] = result["hindernis"].map(reihenfolge)
    return (result.sort_values(["verwaltungen", "anbindungen", "_ordnung"],
                               ascending=[False, False, True])
            .drop(columns="_ordnung").reset_index(drop=True))


CHANCEN_SPALTEN = [
    "verwaltung_key", "verwaltung", "leistung_id", "leistung", "themenfeld", "status",
    "hindernis", "score", "punkte_nachbarn", "punkte_nachnutzer", "punkte_einwohner",
    "punkte_portal", "nachbarn_live", "nachnutzer", "einwohner", "einwohner_anteil",
    "gleiches_portal", "portal", "begruendung", "adopter_key", "adopter", "adopter_ist_nachbar",
    "adopter_live_seit", "ansprechperson", "ansprechperson_email", "ansprechperson_telefon",
    "kontakt", "nachnutzer_namen",
]


# German column titles for tables and CSV downloads of the chances.
CHANCEN_TITEL = {
    "verwaltung": "Verwaltung", "leistung": "Leistung", "themenfeld": "Themenfeld",
    "score": "Score", "begruendung": "Begründung", "adopter": "Ansprechen bei",
    "kontakt": "Ansprechperson", "status": "Status bei der Verwaltung", "hindernis": "Hindernis",
    "nachbarn_live": "live bei Nachbarn", "nachnutzer": "live im Kreis",
    "punkte_nachbarn": "Punkte Nachbarn", "punkte_nachnutzer": "Punkte Nachnutzer",
    "punkte_einwohner": "Punkte Einwohner", "punkte_portal": "Punkte gleiches Portal",
    "nachnutzer_namen": "alle Nachnutzer", "verwaltung_key": "Verwaltungsschlüssel",
}


def portale(engine: Engine) -> dict[str, str]:
    """Verwaltung key -> name of its portal product (Domäne "Portal/Antragsmanagement")."""
    with Session(engine) as session:
        rows = session.execute(select(ProduktEinsatz.verwaltung_key, Produkt.name)
                               .join(Produkt, Produkt.id == ProduktEinsatz.produkt_id)
                               .where(ProduktEinsatz.domaene == PORTAL_DOMAENE)).all()
    return dict(rows)


def chancen(engine: Engine, quartal: str, verwaltung_key: str | None = None,
            gewichte: ChancenGewichte = GEWICHTE) -> pd.DataFrame:
    """Nachnutzungs-Chancen of the quarter, best first (CHANCEN_SPALTEN); one Verwaltung or all.

    score = nachbar × (live bei Nachbarn) + nachnutzer × (live im Kreis)
            + einwohner × (Einwohner log-skaliert 0..1) + gleiches_portal × (gleiches Portal).
    """
    frame = anbindungen(engine, quartal)
    verwaltungen = queries.verwaltungen(engine).set_index("key")
    nachbarn = {k: set(v) for k, v in queries.nachbarn(engine).items()}
    portale_ = portale(engine)
    namen = verwaltungen["name"].to_dict()
    kontakte = verwaltungen["kontakt"].to_dict()
    einwohner = verwaltungen["einwohner"].to_dict()

    zust = frame[frame["zustaendig"]]
    live = zust[zust["status"] == LIVE]
    adopters: dict[int, dict[str, object]] = {}
    for lid, key, seit in zip(live["leistung_id"], live["verwaltung_key"], live["live_seit"], strict=True):
        adopters.setdefault(int(lid), {})[key] = seit
    offen = zust[zust["status"] != LIVE]
    if verwaltung_key is not None:
        offen = offen[offen["verwaltung_key"] == verwaltung_key]

    # Einwohner scale per Ebene: Gemeinde-level Verwaltungen among themselves.
    ebene_ew = {
        bool(kv): (float(g["einwohner"].min()), float(g["einwohner"].max()))
        for kv, g in verwaltungen.groupby("kreisverwaltung") if len(g)}

    rows = []
    for row in offen.itertuples(index=False):
        v = row.verwaltung_key
        andere = {k: s for k, s in adopters.get(int(row.leistung_id), {}).items() if k != v}
        if not andere:
            continue
        v_nachbarn = nachbarn.get(v, set())
        nachbar_adopter = [k for k in andere if k in v_nachbarn]
        portal = portale_.get(v)
        gleich = portal is not None and any(portale_.get(k) == portal for k in andere)
        minimum, maximum = ebene_ew.get(bool(row.kreisverwaltung), (0.0, 0.0))
        ew = int(einwohner.get(v, 0) or 0)
        anteil = einwohner_skala(ew, minimum, maximum)
        punkte = {
            "punkte_nachbarn": gewichte.nachbar * len(nachbar_adopter),
            "punkte_nachnutzer": gewichte.nachnutzer * len(andere),
            "punkte_einwohner": gewichte.einwohner * anteil,
            "punkte_portal": gewichte.gleiches_portal * gleich,
        }
        bester = bester_adopter(list(andere), v_nachbarn, portal, portale_, kontakte, andere,
                                 namen)
        info = verwaltungen.loc[bester]
        rows.append({
            "verwaltung_key": v, "verwaltung": row.verwaltung, "leistung_id": int(row.leistung_id),
            "leistung": row.leistung, "themenfeld": row.themenfeld, "status": row.status,
            "hindernis": row.hindernis, "score": round(sum(punkte.values()), 2),
            **{k: round(p, 2) for k, p in punkte.items()},
            "nachbarn_live": len(nachbar_adopter), "nachnutzer": len(andere), "einwohner": ew,
            "einwohner_anteil": round(anteil, 3), "gleiches_portal": gleich, "portal": portal,
            "begruendung": begruendung(
                nachbarn_live=len(nachbar_adopter), nachnutzer=len(andere), adopter=namen[bester],
                adopter_live_seit=andere[bester], adopter_ist_nachbar=bester in v_nachbarn,
                gleiches_portal=gleich, portal=portal, einwohner=ew),
            "adopter_key": bester, "adopter": namen[bester],
            "adopter_ist_nachbar": bester in v_nachbarn, "adopter_live_seit": andere[bester],
            "ansprechperson": info["kontakt"], "ansprechperson_email": info["kontakt_email"],
            "ansprechperson_telefon": info["kontakt_telefon"],
            "kontakt": kontakt_text(info["kontakt"], info["kontakt_email"],
                                    info["kontakt_telefon"]),
            "nachnutzer_namen": ", ".join(sorted(
                (namen[k] + (" (Nachbar)" if k in v_nachbarn else "") for k in andere),
                key=lambda n: (not n.endswith("(Nachbar)"), n))),
        })
    result = pd.DataFrame(rows, columns=CHANCEN_SPALTEN)
    return result.sort_values(["score", "nachbarn_live", "verwaltung", "leistung"],
                              ascending=[False, False, True, True]).reset_index(drop=True)
