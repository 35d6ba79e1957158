"""The one exporter of tables meant for people: CSV for German Excel and .xlsx, each with the
source, the Stand and the attributions of the data, in German formats.

    als_csv(tabelle, quelle="…", stand="30.09.2026", hinweise=attributionen)
    als_xlsx(tabelle, titel="Karte E-Akte", quelle=…, stand=…, hinweise=…)

German formats: decimal comma, dates TT.MM.JJJJ, ja/nein for booleans, empty for "no value";
text that Excel would run as a formula (=, +, -, @) gets a leading apostrophe. Files that are
imported again (templates) keep their own machine-readable layout in the domains' ``austausch``
modules.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from kreis_data import formatting
from kreis_data.io.excel import als_bytes, csv_bytes
from kreis_data.io.tabelle import escape_formula

CSV_MIME = "text/csv"
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def zelle(wert: object) -> str:
    """One value as people read it in a German spreadsheet."""
    if wert is None or wert is pd.NA or wert is pd.NaT:
        return ""
    if isinstance(wert, float) and wert != wert:
        return ""
    if isinstance(wert, bool):
        return "ja" if wert else "nein"
    if isinstance(wert, (int,)) and not isinstance(wert, bool):
        return str(wert)
    if isinstance(wert, float):
        text = f"{wert:.4f}".rstrip("0").rstrip(".")
        return text.replace(".", ",")
    if isinstance(wert, (pd.Timestamp, dt.datetime)):
        if (wert.hour, wert.minute, wert.second) == (0, 0, 0):
            return formatting.datum(wert)
        return wert.strftime("%d.%m.%Y %H:%M")
    if isinstance(wert, dt.date):
        return formatting.datum(wert)
    if isinstance(wert, (list, tuple, set, frozenset)):
        return ", ".join(zelle(w) for w in wert)
    return escape_formula(str(wert))


def _fuss(quelle: str | None, stand: str | None, hinweise: Iterable[str]) -> list[str]:
    zeilen = []
    if quelle or stand:
        zeilen.append(" · ".join(t for t in (f"Quelle: {quelle}" if quelle else "",
                                               f"Stand: {stand}" if stand else "") if t))
    zeilen += [h for h in hinweise if h]
    return zeilen


def als_csv(tabelle: pd.DataFrame, *, quelle: str | None = None, stand: str | None = None,
            hinweise: Iterable[str] = ()) -> bytes:
    """CSV for German Excel (UTF-8 with BOM, ";"); Quelle · Stand and attributions as trailing
    lines starting with "#"."""
    zeilen = [[zelle(w) for w in row] for row in tabelle.itertuples(index=False)]
    zeilen += [[f"# {text}"] for text in _fuss(quelle, stand, hinweise)]
    return csv_bytes([escape_formula(str(c)) for c in tabelle.columns], zeilen)


def als_xlsx(tabelle: pd.DataFrame, *, titel: str, quelle: str | None = None,
             stand: str | None = None, hinweise: Iterable[str] = ()) -> bytes:
    """One sheet with the table (bold header, frozen, filter) and the source lines below it."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _blattname(titel)
    sheet.append([escape_formula(str(c)) for c in tabelle.columns])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in tabelle.itertuples(index=False):
        sheet.append([_xlsx_wert(w) for w in row])
    sheet.append([])
    for text in _fuss(quelle, stand, hinweise):
        sheet.append([escape_formula(text)])
    for index, spalte in enumerate(tabelle.columns, start=1):
        laenge = max([len(str(spalte)), *(len(zelle(w)) for w in tabelle.iloc[:, index - 1])])
        sheet.column_dimensions[get_column_letter(index)].width = min(60, max(10, laenge + 2))
    sheet.freeze_panes = "A2"
    if len(tabelle.columns):
        sheet.auto_filter.ref = (f"A1:{get_column_letter(len(tabelle.columns))}"
                                 f"{max(len(tabelle) + 1, 2)}")
    return als_bytes(workbook)


def _xlsx_wert(wert: object) -> object:
    """Numbers and dates stay typed in .xlsx (Excel formats them itself); the rest as text."""
    if isinstance(wert, bool):
        return "ja" if wert else "nein"
    if isinstance(wert, (int, float)) and not (isinstance(wert, float) and wert != wert):
        return wert
    if isinstance(wert, pd.Timestamp):
        return wert.to_pydatetime() if not pd.isna(wert) else None
    if isinstance(wert, (dt.date, dt.datetime)):
        return wert
    text = zelle(wert)
    return text or None


def _blattname(titel: str) -> str:
    """Excel sheet names: at most 31 characters, none of []:*?/\\."""
    name = "".join("-" if c in "[]:*?/\\" else c for c in titel).strip() or "Tabelle"
    return name[:31]
