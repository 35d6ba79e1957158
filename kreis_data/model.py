"""Database tables of the domain model (SQLAlchemy 2, declarative).

Digitalisierungsstand, products, EfA connections and contacts belong to the Verwaltung, not to
the member Gemeinde. Keys are the official ones: AGS (8 digits) for a Gemeinde, ARS of the
Gemeindeverband (9 digits) for a Verwaltung; the Kreisverwaltung uses the 5-digit Kreis AGS.
Quarters are stored as text "2026-Q3" (sortable), dates as ISO dates.
"""
from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from kreis_data import laender


class Base(DeclarativeBase):
    pass


class Versioned:
    """Optimistic concurrency: a stale update raises instead of silently overwriting."""

    version: Mapped[int] = mapped_column(Integer, nullable=False, default=1)


class Meta(Base):
    """Workspace facts: demo flag, data sources, attribution texts (JSON values)."""

    __tablename__ = "meta"
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text, nullable=False)


class Kreis(Base):
    __tablename__ = "kreis"
    ags: Mapped[str] = mapped_column(String(5), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    land: Mapped[str] = mapped_column(String(100))
    land_code: Mapped[str] = mapped_column(String(2))
    geometry: Mapped[str | None] = mapped_column(Text)  # GeoJSON outline, WGS84


class Verwaltung(Versioned, Base):
    __tablename__ = "verwaltung"
    key: Mapped[str] = mapped_column(String(9), primary_key=True)
    kreis_ags: Mapped[str] = mapped_column(ForeignKey("kreis.ags"))
    name: Mapped[str] = mapped_column(String(200))
    typ: Mapped[str] = mapped_column(String(40))
    gemeinden: Mapped[list[Gemeinde]] = relationship(back_populates="verwaltung",
                                                       order_by="Gemeinde.name")
    __mapper_args__ = {"version_id_col": Versioned.version}

    @property
    def ist_kreisverwaltung(self) -> bool:
        return self.typ == laender.KREISVERWALTUNG

    @property
    def vollzugsebenen(self) -> tuple[str, ...]:
        return laender.vollzugsebenen(self.typ)


class Gemeinde(Base):
    __tablename__ = "gemeinde"
    ags: Mapped[str] = mapped_column(String(8), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    bezeichnung: Mapped[str] = mapped_column(String(60))
    einwohner: Mapped[int] = mapped_column(Integer)
    flaeche_km2: Mapped[float] = mapped_column(Float)
    verwaltung_key: Mapped[str] = mapped_column(ForeignKey("verwaltung.key"), index=True)
    geometry: Mapped[str | None] = mapped_column(Text)  # GeoJSON geometry, WGS84
    verwaltung: Mapped[Verwaltung] = relationship(back_populates="gemeinden")


class GemeindefreiesGebiet(Base):
    """An area that belongs to no Gemeinde (mostly forests, lakes, military areas): drawn on
    the map as a neutral area, counted nowhere (no Gemeinde, no Verwaltung)."""

    __tablename__ = "gemeindefreies_gebiet"
    ags: Mapped[str] = mapped_column(String(8), primary_key=True)
    kreis_ags: Mapped[str] = mapped_column(ForeignKey("kreis.ags"))
    name: Mapped[str] = mapped_column(String(200))
    bewohnt: Mapped[bool] = mapped_column(Boolean, default=False)
    einwohner: Mapped[int] = mapped_column(Integer, default=0)
    flaeche_km2: Mapped[float] = mapped_column(Float)
    geometry: Mapped[str | None] = mapped_column(Text)  # GeoJSON geometry, WGS84


class Nachbarschaft(Base):
    """Two Verwaltungen whose Gemeinden share a border (stored once, a < b)."""

    __tablename__ = "nachbarschaft"
    verwaltung_a: Mapped[str] = mapped_column(ForeignKey("verwaltung.key"), primary_key=True)
    verwaltung_b: Mapped[str] = mapped_column(ForeignKey("verwaltung.key"), primary_key=True)


class MerkmalConfig(Base):
    """Which Merkmale a workspace rates, with weight and order (definitions in scales)."""

    __tablename__ = "merkmal"
    key: Mapped[str] = mapped_column(String(40), primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    art: Mapped[str] = mapped_column(String(10), default="stufe")
    pflicht: Mapped[bool] = mapped_column(Boolean, default=False)
    gewicht: Mapped[float] = mapped_column(Float, default=1.0)
    reihenfolge: Mapped[int] = mapped_column(Integer, default=0)
    stufen: Mapped[str | None] = mapped_column(Text)  # JSON list of labels for custom Merkmale


class Bewertung(Versioned, Base):
    __tablename__ = "bewertung"
    __table_args__ = (UniqueConstraint("verwaltung_key", "merkmal_key", "quartal"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    verwaltung_key: Mapped[str] = mapped_column(ForeignKey("verwaltung.key"), index=True)
    merkmal_key: Mapped[str] = mapped_column(ForeignKey("merkmal.key"))
    quartal: Mapped[str] = mapped_column(String(7), index=True)
    stufe: Mapped[int | None] = mapped_column(Integer)  # None = keine Angabe
    quelle: Mapped[str | None] = mapped_column(String(40))
    stand: Mapped[dt.date | None] = mapped_column(Date)
    erfasst_von: Mapped[str | None] = mapped_column(String(200))
    bemerkung: Mapped[str | None] = mapped_column(Text)
    __mapper_args__ = {"version_id_col": Versioned.version}


class Kontakt(Versioned, Base):
    __tablename__ = "kontakt"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    verwaltung_key: Mapped[str] = mapped_column(ForeignKey("verwaltung.key"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    rolle: Mapped[str] = mapped_column(String(200))
    email: Mapped[str | None] = mapped_column(String(200))
    telefon: Mapped[str | None] = mapped_column(String(60))
    __mapper_args__ = {"version_id_col": Versioned.version}


# --- Software and standards ---------------------------------------------------------------------
class Produkt(Base):
    """Catalog of product names per Domäne."""

    __tablename__ = "produkt"
    __table_args__ = (UniqueConstraint("domaene", "name"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    domaene: Mapped[str] = mapped_column(String(60))
    name: Mapped[str] = mapped_column(String(200))
    hersteller: Mapped[str | None] = mapped_column(String(200))


class ProduktEinsatz(Versioned, Base):
    """Which product a Verwaltung uses in a Domäne."""

    __tablename__ = "produkt_einsatz"
    __table_args__ = (UniqueConstraint("verwaltung_key", "domaene"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    verwaltung_key: Mapped[str] = mapped_column(ForeignKey("verwaltung.key"), index=True)
    domaene: Mapped[str] = mapped_column(String(60))
    produkt_id: Mapped[int] = mapped_column(ForeignKey("produkt.id"))
    produkt: Mapped[Produkt] = relationship()
    __mapper_args__ = {"version_id_col": Versioned.version}


class StandardUnterstuetzung(Versioned, Base):
    __tablename__ = "standard_unterstuetzung"
    __table_args__ = (UniqueConstraint("verwaltung_key", "standard"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    verwaltung_key: Mapped[str] = mapped_column(ForeignKey("verwaltung.key"), index=True)
    standard: Mapped[str] = mapped_column(String(40))
    wert: Mapped[str] = mapped_column(String(10))  # ja / nein / unbekannt
    __mapper_args__ = {"version_id_col": Versioned.version}


# --- EfA ----------------------------------------------------------------------------------------
class Leistung(Versioned, Base):
    __tablename__ = "leistung"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(300), unique=True)
    themenfeld: Mapped[str] = mapped_column(String(80))
    federfuehrung: Mapped[str | None] = mapped_column(String(120))
    leika: Mapped[str | None] = mapped_column(String(14))
    efa_dienst: Mapped[str | None] = mapped_column(String(300))
    reifegrad: Mapped[int | None] = mapped_column(Integer)
    reifegrad_modell: Mapped[str | None] = mapped_column(String(5))
    quelle_url: Mapped[str | None] = mapped_column(Text)
    __mapper_args__ = {"version_id_col": Versioned.version}


class LeistungVollzug(Base):
    """Who executes a Leistung, by Land law (kreis_ags NULL) or as a Kreis override."""

    __tablename__ = "leistung_vollzug"
    __table_args__ = (UniqueConstraint("leistung_id", "land_code", "kreis_ags"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    leistung_id: Mapped[int] = mapped_column(ForeignKey("leistung.id"), index=True)
    land_code: Mapped[str] = mapped_column(String(2))
    kreis_ags: Mapped[str | None] = mapped_column(String(5))
    ebene: Mapped[str] = mapped_column(String(10))  # Gemeinde / Kreis
    hinweis: Mapped[str | None] = mapped_column(Text)
    grundlage: Mapped[str | None] = mapped_column(String(20))  # belegt / Annahme
    quelle: Mapped[str | None] = mapped_column(Text)  # the source where "belegt"


class Anbindung(Versioned, Base):
    __tablename__ = "anbindung"
    __table_args__ = (UniqueConstraint("verwaltung_key", "leistung_id", "quartal"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    verwaltung_key: Mapped[str] = mapped_column(ForeignKey("verwaltung.key"), index=True)
    leistung_id: Mapped[int] = mapped_column(ForeignKey("leistung.id"), index=True)
    quartal: Mapped[str] = mapped_column(String(7), index=True)
    status: Mapped[str] = mapped_column(String(20))
    live_seit: Mapped[str | None] = mapped_column(String(7))
    hindernis: Mapped[str | None] = mapped_column(String(60))
    bemerkung: Mapped[str | None] = mapped_column(Text)
    __mapper_args__ = {"version_id_col": Versioned.version}


# --- Kooperationen ------------------------------------------------------------------------------
class Kooperation(Versioned, Base):
    __tablename__ = "kooperation"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(300))
    format: Mapped[str] = mapped_column(String(200))
    verbindlichkeit: Mapped[str] = mapped_column(String(20))
    dauer: Mapped[str] = mapped_column(String(20))
    rechtsform: Mapped[str] = mapped_column(String(60))
    ausrichtung: Mapped[str] = mapped_column(String(20))
    handlungsfelder: Mapped[str] = mapped_column(Text)  # "; "-separated
    federfuehrung_key: Mapped[str | None] = mapped_column(ForeignKey("verwaltung.key"))
    stellvertretung_key: Mapped[str | None] = mapped_column(ForeignKey("verwaltung.key"))
    start: Mapped[dt.date | None] = mapped_column(Date)
    ende: Mapped[dt.date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(20))
    ansprechperson: Mapped[str | None] = mapped_column(String(200))
    anschluss: Mapped[str | None] = mapped_column(Text)  # follow-up / Betreibermodell
    was_funktioniert: Mapped[str | None] = mapped_column(Text)
    was_nicht: Mapped[str | None] = mapped_column(Text)
    mitglieder: Mapped[list[KooperationMitglied]] = relationship(
        back_populates="kooperation", cascade="all, delete-orphan")
    einordnungen: Mapped[list[KooperationEinordnung]] = relationship(
        back_populates="kooperation", cascade="all, delete-orphan",
        order_by="KooperationEinordnung.ab_quartal")
    __mapper_args__ = {"version_id_col": Versioned.version}


class KooperationMitglied(Base):
    __tablename__ = "kooperation_mitglied"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kooperation_id: Mapped[int] = mapped_column(ForeignKey("kooperation.id"), index=True)
    verwaltung_key: Mapped[str | None] = mapped_column(ForeignKey("verwaltung.key"))
    extern_name: Mapped[str | None] = mapped_column(String(300))
    akteurstyp: Mapped[str] = mapped_column(String(40))
    kooperation: Mapped[Kooperation] = relationship(back_populates="mitglieder")


class KooperationEinordnung(Base):
    """History of Verbindlichkeit x Dauer (Verstetigung, Institutionalisierung)."""

    __tablename__ = "kooperation_einordnung"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kooperation_id: Mapped[int] = mapped_column(ForeignKey("kooperation.id"), index=True)
    ab_quartal: Mapped[str] = mapped_column(String(7))
    verbindlichkeit: Mapped[str] = mapped_column(String(20))
    dauer: Mapped[str] = mapped_column(String(20))
    kooperation: Mapped[Kooperation] = relationship(back_populates="einordnungen")


# --- Steuerung ----------------------------------------------------------------------------------
class Massnahme(Versioned, Base):
    """Maßnahmen-Steckbrief with its nine fields."""

    __tablename__ = "massnahme"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    titel: Mapped[str] = mapped_column(String(300))
    beschreibung: Mapped[str] = mapped_column(Text)  # 1 Beschreibung und Ziel
    ziel: Mapped[str] = mapped_column(Text)
    verantwortlich: Mapped[str] = mapped_column(String(200))  # 2
    beteiligte: Mapped[str] = mapped_column(Text)  # 3
    finanzierung: Mapped[str] = mapped_column(String(40))  # 4
    prioritaet: Mapped[str] = mapped_column(String(20))  # 5 with reason
    prioritaet_begruendung: Mapped[str] = mapped_column(Text)
    start_quartal: Mapped[str] = mapped_column(String(7))  # 6 Start und Dauer
    dauer_quartale: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(20))  # 7
    status_begruendung: Mapped[str | None] = mapped_column(Text)
    erfolgsindikator: Mapped[str] = mapped_column(Text)  # 8
    kooperation_id: Mapped[int | None] = mapped_column(ForeignKey("kooperation.id"))
    leistung_id: Mapped[int | None] = mapped_column(ForeignKey("leistung.id"))
    merkmal_key: Mapped[str | None] = mapped_column(ForeignKey("merkmal.key"))
    meilensteine: Mapped[list[Meilenstein]] = relationship(  # 9
        back_populates="massnahme", cascade="all, delete-orphan", order_by="Meilenstein.quartal")
    __mapper_args__ = {"version_id_col": Versioned.version}


class Meilenstein(Base):
    __tablename__ = "meilenstein"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    massnahme_id: Mapped[int] = mapped_column(ForeignKey("massnahme.id"), index=True)
    quartal: Mapped[str] = mapped_column(String(7))
    titel: Mapped[str] = mapped_column(String(300))
    erledigt: Mapped[bool] = mapped_column(Boolean, default=False)
    massnahme: Mapped[Massnahme] = relationship(back_populates="meilensteine")


class Sitzung(Versioned, Base):
    __tablename__ = "sitzung"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    quartal: Mapped[str] = mapped_column(String(7))
    datum: Mapped[dt.date] = mapped_column(Date)
    teilnehmende: Mapped[str] = mapped_column(Text)
    beschluesse: Mapped[str] = mapped_column(Text)  # one Beschluss per line
    aufgaben: Mapped[list[Aufgabe]] = relationship(
        back_populates="sitzung", cascade="all, delete-orphan", order_by="Aufgabe.id")
    __mapper_args__ = {"version_id_col": Versioned.version}


class Aufgabe(Base):
    __tablename__ = "aufgabe"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    sitzung_id: Mapped[int] = mapped_column(ForeignKey("sitzung.id"), index=True)
    titel: Mapped[str] = mapped_column(Text)
    verantwortlich: Mapped[str] = mapped_column(String(200))
    faellig_quartal: Mapped[str] = mapped_column(String(7))
    erledigt: Mapped[bool] = mapped_column(Boolean, default=False)
    sitzung: Mapped[Sitzung] = relationship(back_populates="aufgaben")


# --- Audit --------------------------------------------------------------------------------------
class AuditEintrag(Base):
    """One changed field: who, when, what, old -> new. Written in the same transaction."""

    __tablename__ = "audit_log"
    # The newest entry per objekt in one index lookup (queries.versionen, the cache keys).
    __table_args__ = (Index("ix_audit_log_objekt_id", "objekt", "id"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    zeitpunkt: Mapped[dt.datetime] = mapped_column(DateTime, index=True)
    benutzer: Mapped[str] = mapped_column(String(200))
    aktion: Mapped[str] = mapped_column(String(20))  # angelegt / geändert / gelöscht
    objekt: Mapped[str] = mapped_column(String(40))  # table name
    schluessel: Mapped[str] = mapped_column(String(200))  # readable key, e.g. "034590024/e_akte/2026-Q3"
    feld: Mapped[str | None] = mapped_column(String(60))
    alt: Mapped[str | None] = mapped_column(Text)
    neu: Mapped[str | None] = mapped_column(Text)
    kontext: Mapped[str | None] = mapped_column(Text)  # e.g. "Import bewertungen.xlsx"


# --- Login throttling ---------------------------------------------------------------------------
class AnmeldeVersuch(Base):
    """Failed logins per account name (regeln.sperr_schluessel: normalised, also for unknown
    names) and the lock they caused. In the database, so a reload, a new session, a restart or
    another server process does not reset it (kreis_data.konten.sperre)."""

    __tablename__ = "anmeldeversuch"
    konto: Mapped[str] = mapped_column(String(80), primary_key=True)
    fehlversuche: Mapped[int] = mapped_column(Integer, nullable=False)
    letzter_fehlversuch: Mapped[dt.datetime] = mapped_column(DateTime, nullable=False)  # UTC
    gesperrt_bis: Mapped[dt.datetime | None] = mapped_column(DateTime)  # UTC


class AnmeldeSitzung(Base):
    """A signed-in browser (kreis_data.konten.sitzung): only the SHA-256 of its random token is
    stored, with the account name and when it was created and last used (UTC); a reload (F5)
    finds the login again through the token's cookie, "Abmelden" or a new password ends it."""

    __tablename__ = "anmeldesitzung"
    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    konto: Mapped[str] = mapped_column(String(200), nullable=False)
    erstellt: Mapped[dt.datetime] = mapped_column(DateTime, nullable=False)  # UTC
    zuletzt: Mapped[dt.datetime] = mapped_column(DateTime, nullable=False)  # UTC
    # SHA-256 of the account's password hash at login: a new password ends the session
    passwort_marke: Mapped[str] = mapped_column(String(64), nullable=False)
