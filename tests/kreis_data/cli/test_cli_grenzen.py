"""Hostile and broken files into each of the three imports (issue #18, point 3), at the command
line and through the upload handler the UI uses (components.hochladen.import_ausfuehren): a
German message naming the file, exit status 2, seconds not minutes, the database unchanged."""
from __future__ import annotations

import time
from pathlib import Path

import pytest

from components.hochladen import import_ausfuehren
from components.text import md
from kreis_data.bewertungen.vorlage import pruefe_vorlage
from kreis_data.cli import main
from kreis_data.efa.austausch import import_anbindungen
from kreis_data.konten.regeln import ADMIN, Benutzer
from kreis_data.sicherung import inhalt as alle_zeilen
from kreis_data.software.austausch import import_produkte
from tests.kreis_data.io import boese_dateien as boese

IMPORTE = ("import", "anbindungen-import", "produkte-import")
ADMINISTRATION = Benutzer("Admin", ADMIN)


@pytest.fixture(scope="module")
def dateien(tmp_path_factory) -> dict[str, Path]:
    ordner = tmp_path_factory.mktemp("boese")
    return {name: bauen(ordner) for name, bauen in boese.BOESE.items()}


def inhalt(engine) -> dict:
    """Every row of every table (SQLite or PostgreSQL): equal before and after = unchanged."""
    return alle_zeilen(engine)


@pytest.mark.parametrize("befehl", IMPORTE)
def test_every_hostile_file_is_refused_by_every_cli_import(befehl, dateien, small_engine,
                                                            monkeypatch, capsys):
    monkeypatch.setenv("IKZ_DATABASE_URL", str(small_engine.url))
    vorher = inhalt(small_engine)
    for name, pfad in dateien.items():
        start = time.perf_counter()
        status = main([befehl, str(pfad)])
        dauer = time.perf_counter() - start
        ausgabe = capsys.readouterr()
        assert status == 2, (befehl, name, ausgabe.err)
        assert ausgabe.err.startswith(f"Fehler: {pfad.name}"), (befehl, name, ausgabe.err)
        assert "Nichts wurde geschrieben" in ausgabe.err and "erlaubt" in ausgabe.err
        assert "Traceback" not in ausgabe.err and str(pfad.parent) not in ausgabe.err
        assert dauer < 10, (befehl, name, dauer)  # measured: < 1.5 s each
    assert inhalt(small_engine) == vorher


def test_every_hostile_file_is_refused_by_every_upload_handler(dateien, small_engine):
    """The three uploads of the app: EfA-Anbindungen and Produkte via components.hochladen, the
    Bewertungen template via kreis_data.bewertungen.vorlage (Datenpflege)."""
    vorher = inhalt(small_engine)
    importe = {
        "anbindungen": lambda p: import_anbindungen(small_engine, p, benutzer=ADMINISTRATION,
                                                    quartal="2026-Q3"),
        "produkte": lambda p: import_produkte(small_engine, p, benutzer=ADMINISTRATION),
    }
    for name, pfad in dateien.items():
        for was, importieren in importe.items():
            start = time.perf_counter()
            art, text = import_ausfuehren(pfad, importieren)
            assert art == "error" and md(pfad.name) in text, (was, name, text)
            assert time.perf_counter() - start < 10
        start = time.perf_counter()
        vorschau = pruefe_vorlage(small_engine, pfad.read_bytes(), pfad.name, "2026-Q3",
                                  ADMINISTRATION)
        assert not vorschau.eingaben and vorschau.fehler, name
        assert str(vorschau.fehler[0]).startswith(pfad.name), vorschau.meldungen()
        assert time.perf_counter() - start < 10
    assert inhalt(small_engine) == vorher


def test_an_import_keeps_no_big_objects(dateien, small_engine):
    """Memory is released after an import: what the upload handler parsed is gone afterwards."""
    import tracemalloc

    def importieren(pfad):
        return import_produkte(small_engine, pfad, benutzer=ADMINISTRATION)

    import_ausfuehren(dateien["million_zeilen"], importieren)  # warm up imports and caches
    tracemalloc.start()
    try:
        art, _ = import_ausfuehren(dateien["million_zeilen"], importieren)
        aktuell, spitze = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert art == "error"
    assert spitze > 10 * 1024 * 1024  # it did read the 100,000 rows ...
    assert aktuell < 2 * 1024 * 1024, aktuell  # ... and keeps nothing of them
