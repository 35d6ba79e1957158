"""Adding a Merkmal (here a probe "Open Data (Probe)", 0-4) is one declaration in scales.py, its demo
values and a migration (issue #13). The declaration and the demo values are patched in;
everything else – workspace, demo, map, index, form, template, import – must follow by itself.
The key is a probe's, so the test keeps working once a real Open-Data Merkmal is declared."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from kreis_data import merkmal_konfiguration, queries, scales
from kreis_data.analyses import karte
from kreis_data.bewertungen.lesen import lade_formular, load_katalog
from kreis_data.database import make_engine
from kreis_data.demo import bewertungen as demo_bewertungen
from kreis_data.demo import install_demo
from kreis_data.model import Bewertung, MerkmalConfig

OPEN_DATA = scales.Merkmal(
    "open_data_probe", "Open Data (Probe)",
    ("kein Thema", "geplant", "erste Datensätze veröffentlicht",
     "Open-Data-Portal mit regelmäßigen Veröffentlichungen", "Open by Default, maschinenlesbar"),
    beschreibung="Veröffentlichung offener Verwaltungsdaten.")


@pytest.fixture
def mit_open_data(monkeypatch):
    """What a developer writes: the declaration and the demo values."""
    monkeypatch.setattr(scales, "STANDARD_MERKMALE", (*scales.STANDARD_MERKMALE, OPEN_DATA))
    monkeypatch.setitem(demo_bewertungen.DEMO_MERKMALE, "open_data_probe",
                        demo_bewertungen.DemoMerkmal(verteilung=(0.25, 0.3, 0.25, 0.15, 0.05), rueckfall="Portal abgeschaltet"))


def test_a_declared_merkmal_reaches_demo_map_index_and_form(mit_open_data, tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path}/demo.sqlite")
    install_demo(engine)
    merkmale = queries.merkmale(engine)
    assert [m.key for m in merkmale][-1] == "open_data_probe"
    assert len(merkmale) == len(scales.STANDARD_MERKMALE)
    with Session(engine) as session:
        assert session.scalar(select(func.count()).select_from(Bewertung).where(
            Bewertung.merkmal_key == "open_data_probe", Bewertung.quartal == "2026-Q3")) > 0
    assert "open_data_probe" in {m.key for m in karte.kartenmerkmale(merkmale)}
    werte = karte.verwaltungs_werte(engine, "2026-Q3", "open_data_probe")
    assert werte["wert"].notna().any()
    index = karte.verwaltungs_werte(engine, "2026-Q3", "index")
    assert index["label"].str.contains(f"von {len(scales.STANDARD_MERKMALE) - 2} Merkmalen").any()
    assert "open_data_probe" in load_katalog(engine).merkmale
    zeilen = lade_formular(engine, "034590024", "2026-Q3").zeilen
    assert [z.merkmal.key for z in zeilen][-1] == "open_data_probe"


def test_the_migration_adds_it_to_an_existing_workspace_once(small_engine, monkeypatch):
    vorher = {m.key for m in queries.merkmale(small_engine)}
    monkeypatch.setattr(scales, "STANDARD_MERKMALE", (*scales.STANDARD_MERKMALE, OPEN_DATA))
    with small_engine.begin() as connection:
        assert merkmal_konfiguration.ergaenzen(connection, "open_data_probe") is True
        assert merkmal_konfiguration.ergaenzen(connection, "open_data_probe") is False  # once
    merkmale = queries.merkmale(small_engine)
    assert {m.key for m in merkmale} == vorher | {"open_data_probe"}
    assert merkmale[-1] == OPEN_DATA
    with small_engine.begin() as connection:
        merkmal_konfiguration.entfernen(connection, "open_data_probe")
    assert {m.key for m in queries.merkmale(small_engine)} == vorher


def test_the_migration_leaves_a_database_without_workspace_alone(tmp_path, monkeypatch):
    from kreis_data.database import migrate

    engine = make_engine(f"sqlite:///{tmp_path}/leer.sqlite")
    migrate(engine)
    monkeypatch.setattr(scales, "STANDARD_MERKMALE", (*scales.STANDARD_MERKMALE, OPEN_DATA))
    with engine.begin() as connection:
        assert merkmal_konfiguration.ergaenzen(connection, "open_data_probe") is False
    with Session(engine) as session:
        assert session.scalar(select(func.count()).select_from(MerkmalConfig)) == 0


def test_an_undeclared_merkmal_is_refused_with_a_clear_message(small_engine, monkeypatch):
    with small_engine.begin() as connection, pytest.raises(KeyError, match="nicht deklariert"):
        merkmal_konfiguration.ergaenzen(connection, "open_data_probe")
    monkeypatch.setattr(scales, "STANDARD_MERKMALE", (*scales.STANDARD_MERKMALE, OPEN_DATA))
    with pytest.raises(KeyError, match="fehlen die Demo-Werte"):
        install_demo(make_engine("sqlite://"))
