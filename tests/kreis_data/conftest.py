"""Fixtures for kreis_data tests: a tiny workspace DB, independent of the demo generator."""
from __future__ import annotations

import datetime as dt

import pytest

from kreis_data import scales
from kreis_data.database import make_engine, migrate, transaction
from kreis_data.model import Bewertung, Kreis, MerkmalConfig, Verwaltung
from tests.datenbanken import kopie, neue_url

KREIS_AGS = "03459"
# key -> (name, typ); the Kreisverwaltung uses the 5-digit Kreis AGS.
VERWALTUNGEN = {
    KREIS_AGS: ("Kreisverwaltung Landkreis Osnabrück", "Kreisverwaltung"),
    "034590024": ("Stadt Melle", "Stadt"),
    "034595402": ("Samtgemeinde Fürstenau", "Samtgemeinde"),
}


def _bewertungen() -> list[Bewertung]:
    stand = dt.date(2026, 9, 15)
    return [
        Bewertung(verwaltung_key="034590024", merkmal_key="e_akte", quartal="2026-Q3", stufe=3,
                  quelle="Selbstauskunft", stand=stand, erfasst_von="M. Müller",
                  bemerkung="Bauamt und Ordnungsamt umgestellt"),
        Bewertung(verwaltung_key="034590024", merkmal_key="online_portal", quartal="2026-Q3",
                  stufe=None, quelle="Kreis-Erhebung", stand=stand, erfasst_von=None,
                  bemerkung="=HYPERLINK(\"http://example.org\")"),
        Bewertung(verwaltung_key="034590024", merkmal_key="digitallotsen", quartal="2026-Q3",
                  stufe=1, quelle="Selbstauskunft", stand=stand),
        Bewertung(verwaltung_key="034595402", merkmal_key="strategie", quartal="2026-Q3",
                  stufe=0, quelle="Schätzung", stand=dt.date(2026, 7, 1), erfasst_von="Kreis",
                  bemerkung="Grundsatzbeschluss im Rat für Frühjahr geplant;\nZweite Zeile"),
        Bewertung(verwaltung_key=KREIS_AGS, merkmal_key="e_akte", quartal="2026-Q3", stufe=4,
                  quelle="PVOG", stand=None, erfasst_von="'-leer", bemerkung="-5 % Budget"),
        Bewertung(verwaltung_key="034590024", merkmal_key="e_akte", quartal="2026-Q2", stufe=2,
                  quelle="Selbstauskunft", stand=dt.date(2026, 6, 1)),
    ]


def _build(url: str) -> None:
    engine = make_engine(url)
    migrate(engine)
    with transaction(engine) as session:
        session.add(Kreis(ags=KREIS_AGS, name="Landkreis Osnabrück", land="Niedersachsen",
                          land_code="03"))
        session.flush()
        for key, (name, typ) in VERWALTUNGEN.items():
            session.add(Verwaltung(key=key, kreis_ags=KREIS_AGS, name=name, typ=typ))
        for reihenfolge, merkmal in enumerate(scales.STANDARD_MERKMALE):
            session.add(MerkmalConfig(key=merkmal.key, name=merkmal.name, art=merkmal.art,
                                      pflicht=merkmal.pflicht, gewicht=merkmal.gewicht,
                                      reihenfolge=reihenfolge))
        session.flush()
        session.add_all(_bewertungen())
    engine.dispose()  # closes connections, checkpoints the WAL into the file


@pytest.fixture(scope="session")
def _small_db_template(tmp_path_factory) -> str:
    url = neue_url(tmp_path_factory.mktemp("small_db"), "template")
    _build(url)
    return url


@pytest.fixture
def small_engine(_small_db_template, tmp_path):
    """Engine on a fresh copy of a tiny workspace: Kreis 03459, 3 Verwaltungen (incl. the
    Kreisverwaltung), all standard Merkmale, six Bewertungen (five in 2026-Q3, one in 2026-Q2)."""
    engine = make_engine(kopie(_small_db_template, tmp_path, "ikz"))
    yield engine
    engine.dispose()
