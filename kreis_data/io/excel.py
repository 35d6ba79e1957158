"""Writing tables for German Excel: .xlsx sheets (data, notes, dropdowns) and .csv bytes.

Every text cell goes through escape_formula, so export -> import never changes a value.
"""
from __future__ import annotations

import csv
import io
from collections.abc import Collection, Iterable, Mapping, Sequence

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from kreis_data.io.tabelle import escape_formula


def xlsx_wert(value: object) -> object:
    return escape_formula(value) if isinstance(value, str) else value


def datenblatt(sheet, spalten: Mapping[str, str], zeilen: Sequence[Mapping[str, object]],
               breiten: Mapping[str, int], formate: Mapping[str, str]) -> None:
    """Bold header `spalten` (field -> name), one row per dict, column widths, number formats
    of the data cells by field (e.g. "@" keeps a leading zero), frozen header, auto filter."""
    sheet.append(list(spalten.values()))
    for zelle in sheet[1]:
        zelle.font = Font(bold=True)
    for zeile in zeilen:
        sheet.append([xlsx_wert(zeile[feld]) for feld in spalten])
    for index, feld in enumerate(spalten, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = breiten[feld]
        if feld in formate:
            for (zelle,) in sheet.iter_rows(min_row=2, min_col=index, max_col=index):
                zelle.number_format = formate[feld]
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(spalten))}{max(len(zeilen) + 1, 2)}"


def hinweisblatt(sheet, zeilen: Iterable[Sequence[object]], *, fett: Collection[object],
                 breiten: Sequence[int]) -> None:
    """Notes sheet: rows as given, column A as text, rows whose A cell is in `fett` in bold,
    widths of columns A, B, ..."""
    for zeile in zeilen:
        sheet.append([xlsx_wert(wert) for wert in zeile])
    for zelle in sheet["A"]:
        zelle.number_format = "@"
        if zelle.value in fett:
            for nachbar in sheet[zelle.row]:
                nachbar.font = Font(bold=True)
    for index, breite in enumerate(breiten, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = breite


def listen_spalte(listen, index: int, titel: str, werte: Sequence[str]) -> str:
    """Write `werte` below `titel` into column `index` of the (hidden) list sheet; returns the
    range formula for `auswahlliste`."""
    listen.cell(1, index, titel)
    for reihe, wert in enumerate(werte, start=2):
        listen.cell(reihe, index, escape_formula(wert))
    buchstabe = get_column_letter(index)
    return f"'{listen.title}'!${buchstabe}$2:${buchstabe}${len(werte) + 1}"


def werte_formel(werte: Iterable[str]) -> str:
    """An inline dropdown list: "a,b,c"."""
    return '"' + ",".join(werte) + '"'


def auswahlliste(sheet, formel: str, bereiche: Iterable[str], **optionen) -> None:
    """Dropdown on the cell ranges; by default other values may still be typed."""
    optionen = {"allow_blank": True, "showErrorMessage": False, **optionen}
    validation = DataValidation(type="list", formula1=formel, **optionen)
    for bereich in bereiche:
        validation.add(bereich)
    sheet.add_data_validation(validation)


def als_bytes(workbook: Workbook) -> bytes:
    puffer = io.BytesIO()
    workbook.save(puffer)
    return puffer.getvalue()


def csv_bytes(kopf: Sequence[object], zeilen: Iterable[Sequence[object]]) -> bytes:
    """CSV as German Excel opens it: UTF-8 with BOM, ";" and CRLF; cells already formatted."""
    puffer = io.StringIO(newline="")
    writer = csv.writer(puffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(kopf)
    writer.writerows(zeilen)
    return ("\ufeff" + puffer.getvalue()).encode("utf-8")
