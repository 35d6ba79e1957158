"""Bounded, safe reading of import files (issue #18, point 3): every hostile or broken file is
refused with a German DateiFehler naming the file and what is allowed – in seconds, and the
archive classes before openpyxl parses anything."""
from __future__ import annotations

import time
import zipfile

import openpyxl
import pytest

from kreis_data.io import tabelle
from kreis_data.io.tabelle import (
    FORMEL_OHNE_WERT,
    MAX_ZEILEN,
    DateiFehler,
    read_tabelle,
)
from tests.kreis_data.io import boese_dateien as boese


@pytest.fixture
def ohne_parser(monkeypatch):
    """openpyxl must not even be started for the refused archive classes."""
    def verboten(*_args, **_kwargs):
        raise AssertionError("load_workbook wurde aufgerufen – die Prüfung kam zu spät")

    monkeypatch.setattr(tabelle, "load_workbook", verboten)


def _abgelehnt(pfad, *erwartet: str) -> str:
    start = time.perf_counter()
    with pytest.raises(DateiFehler) as info:
        read_tabelle(pfad)
    dauer = time.perf_counter() - start
    meldung = str(info.value)
    assert meldung.startswith(pfad.name), meldung
    for teil in erwartet:
        assert teil in meldung, meldung
    for englisch in ("Traceback", "Error", "invalid", "File is not", "line "):
        assert englisch not in meldung, meldung
    assert str(pfad.parent) not in meldung, meldung  # no path of the server
    assert dauer < 10, f"{pfad.name}: {dauer:.1f} s"
    return meldung


def test_zip_bomb_is_refused_from_the_zip_directory(tmp_path, ohne_parser):
    pfad = boese.zip_bombe(tmp_path, mb=300)
    assert pfad.stat().st_size < 2 * 1024 * 1024  # small file, 300 MB inside
    start = time.perf_counter()
    _abgelehnt(pfad, "entpackt sich auf das", "erlaubt ist höchstens das 100-Fache")
    assert time.perf_counter() - start < 1  # nothing was decompressed


def test_total_expanded_size_is_capped(tmp_path, ohne_parser, monkeypatch):
    monkeypatch.setattr(tabelle, "MAX_ENTPACKT_BYTES", 1024)
    pfad = boese.formel_ohne_wert(tmp_path)
    _abgelehnt(pfad, "entpackt", "erlaubt sind höchstens")


@pytest.mark.parametrize("bauen", [boese.milliarde_lacher, boese.externe_entitaet])
def test_doctype_and_entities_are_refused_before_parsing(tmp_path, ohne_parser, bauen):
    _abgelehnt(bauen(tmp_path), "DOCTYPE- oder ENTITY-Deklaration – nicht erlaubt")


def test_openpyxl_itself_parses_sheets_with_defusedxml(tmp_path):
    """Second line of defence: openpyxl uses defusedxml (installed, pinned in requirements.txt)
    and refuses the entity file on its own."""
    assert openpyxl.DEFUSEDXML is True
    with pytest.raises(ValueError) as info:  # noqa: PT011 - openpyxl wraps EntitiesForbidden
        openpyxl.load_workbook(boese.milliarde_lacher(tmp_path))
    ursachen, fehler = [], info.value
    while fehler is not None:
        ursachen.append(type(fehler).__module__)
        fehler = fehler.__cause__ or fehler.__context__
    assert any(m.startswith("defusedxml") for m in ursachen), ursachen


def test_truncated_and_binary_files(tmp_path):
    _abgelehnt(boese.abgeschnitten(tmp_path), "keine gültige Excel-Datei (.xlsx)",
               "abgeschnitten", "erlaubt sind .xlsx")
    _abgelehnt(boese.binaer(tmp_path, ".xlsx"), "keine gültige Excel-Datei (.xlsx)")
    _abgelehnt(boese.binaer(tmp_path, ".csv"), "keine Textdatei", "erlaubt sind CSV-Dateien")


def test_shared_strings_are_capped_before_openpyxl_loads_them(tmp_path, ohne_parser,
                                                            monkeypatch):
    import xlsxwriter

    pfad = tmp_path / "texte.xlsx"
    workbook = xlsxwriter.Workbook(pfad)
    workbook.add_worksheet().write_row(0, 0, boese.KOPF)
    workbook.close()
    monkeypatch.setattr(tabelle, "MAX_TEXTE_BYTES", 10)
    _abgelehnt(pfad, "die Texte der Arbeitsmappe sind entpackt", "erlaubt sind höchstens")


def test_a_zip_that_is_no_workbook(tmp_path, ohne_parser):
    pfad = tmp_path / "archiv.xlsx"
    with zipfile.ZipFile(pfad, "w") as archiv:
        archiv.writestr("liesmich.txt", "kein Excel")
    _abgelehnt(pfad, "keine Excel-Arbeitsmappe")


def test_oversized_csv_cells(tmp_path):
    # beyond Python's csv field limit (131,072) and between it and Excel's 32,767
    _abgelehnt(boese.riesen_zelle(tmp_path, 200_000), "Zeile 2",
               "länger als 32.767 Zeichen")
    _abgelehnt(boese.riesen_zelle(tmp_path, 40_000), "Zeile 2, Spalte 4",
               "länger als 32.767 Zeichen")


def test_a_million_csv_rows_stop_at_the_limit(tmp_path):
    start = time.perf_counter()
    _abgelehnt(boese.million_zeilen(tmp_path), "mehr als 100.000 Datenzeilen")
    assert time.perf_counter() - start < 5


def test_file_size_is_checked_first(tmp_path, monkeypatch):
    monkeypatch.setattr(tabelle, "MAX_DATEI_BYTES", 100)
    _abgelehnt(boese.riesen_zelle(tmp_path, 1_000), "erlaubt sind höchstens 10 MB")


def test_declared_sheet_dimension_is_checked_before_the_rows(tmp_path, monkeypatch):
    pfad = boese.formel_ohne_wert(tmp_path)
    monkeypatch.setattr(tabelle, "MAX_ZEILEN", 0)
    _abgelehnt(pfad, "hat 2 Zeilen", "erlaubt sind höchstens 0 Datenzeilen")
    monkeypatch.setattr(tabelle, "MAX_ZEILEN", MAX_ZEILEN)
    monkeypatch.setattr(tabelle, "MAX_SPALTEN", 3)
    _abgelehnt(pfad, "hat 5 Spalten", "erlaubt sind höchstens 3")


def test_a_lying_dimension_does_not_cut_rows(tmp_path):
    workbook = openpyxl.Workbook()
    for zeile in ([*boese.KOPF], ["1", "a", "b", 1], ["2", "a", "b", 2], ["3", "a", "b", 3]):
        workbook.active.append(zeile)
    pfad = tmp_path / "luege.xlsx"
    workbook.save(pfad)
    with zipfile.ZipFile(pfad) as alt:
        teile = {e.filename: alt.read(e) for e in alt.infolist()}
    teile["xl/worksheets/sheet1.xml"] = teile["xl/worksheets/sheet1.xml"].replace(
        b'<dimension ref="A1:D4"/>', b'<dimension ref="A1:A1"/>')
    with zipfile.ZipFile(pfad, "w") as neu:
        for name, inhalt in teile.items():
            neu.writestr(name, inhalt)
    assert [z[0] for _, z in read_tabelle(pfad).zeilen] == ["1", "2", "3"]


def test_formula_without_cached_value_is_the_sentinel(tmp_path):
    daten = read_tabelle(boese.formel_ohne_wert(tmp_path))
    assert daten.zeilen == [(2, ("034590024", "e_akte", "2026-Q3", 3, FORMEL_OHNE_WERT))]
    assert daten.zeilen[0][1][4] is FORMEL_OHNE_WERT and not tabelle.ist_leer(FORMEL_OHNE_WERT)


def test_formula_with_cached_value_is_its_value(tmp_path):
    pfad = boese.formel_ohne_wert(tmp_path)
    with zipfile.ZipFile(pfad) as alt:
        teile = {e.filename: alt.read(e) for e in alt.infolist()}
    blatt = teile["xl/worksheets/sheet1.xml"]
    alt_zelle = b'<c r="E2"><f>CONCAT("a","b")</f><v></v></c>'
    assert alt_zelle in blatt
    teile["xl/worksheets/sheet1.xml"] = blatt.replace(
        alt_zelle, b'<c r="E2" t="str"><f>CONCAT("a","b")</f><v>ab</v></c>')
    with zipfile.ZipFile(pfad, "w") as neu:
        for name, inhalt in teile.items():
            neu.writestr(name, inhalt)
    assert read_tabelle(pfad).zeilen[0][1][4] == "ab"


@pytest.mark.parametrize("kodierung", ["utf-16", "utf-16-be", "utf-8-sig", "cp1252"])
def test_csv_encodings_keep_column_names(tmp_path, kodierung):
    pfad = tmp_path / "kodiert.csv"
    text = "Verwaltungsschlüssel;Bemerkung\n034590024;Größe\n"
    daten = text.encode(kodierung)
    if kodierung == "utf-16-be":
        daten = b"\xfe\xff" + daten
    pfad.write_bytes(daten)
    tab = read_tabelle(pfad)
    assert tab.kopf == ["Verwaltungsschlüssel", "Bemerkung"]
    assert tab.zeilen == [(2, ["034590024", "Größe"])]


def test_utf16_without_bom_is_refused_not_garbled(tmp_path):
    pfad = tmp_path / "ohne_bom.csv"
    pfad.write_bytes("Verwaltungsschlüssel;Stufe\n1;2\n".encode("utf-16-le"))
    _abgelehnt(pfad, "keine Textdatei", "UTF-16 ohne Kennung")


def test_unclosed_quote_and_parser_errors_are_german(tmp_path, monkeypatch):
    pfad = tmp_path / "kaputt.xlsx"
    pfad.write_bytes(boese._xlsx_bytes())

    def kaputt(*_a, **_k):
        raise MemoryError

    monkeypatch.setattr(tabelle, "load_workbook", kaputt)
    _abgelehnt(pfad, "zu groß")
    monkeypatch.setattr(tabelle, "load_workbook", lambda *_a, **_k: {}["fehlt"])
    _abgelehnt(pfad, "ein Bestandteil der Arbeitsmappe fehlt")


def test_a_real_100000_row_file_is_read(tmp_path):
    """The limits leave room for real files: the largest export fits."""
    import xlsxwriter

    pfad = tmp_path / "gross.xlsx"
    workbook = xlsxwriter.Workbook(pfad)
    sheet = workbook.add_worksheet("Bewertungen")
    sheet.write_row(0, 0, [*boese.KOPF, "Bemerkung"])
    for i in range(1, MAX_ZEILEN + 1):
        sheet.write_row(i, 0, [f"0345{i % 999:05d}", "e_akte", "2026-Q3", i % 4, "Text " * 5])
    workbook.close()
    assert pfad.stat().st_size < tabelle.MAX_DATEI_BYTES
    assert len(read_tabelle(pfad).zeilen) == MAX_ZEILEN
