"""Reading tables for imports: .xlsx or .csv as German Excel writes them, formula safety,
and the German error record shared by every import.

Generic: nothing here knows a particular layout.
"""
from __future__ import annotations

import csv
import datetime as dt
import io
import re
import unicodedata
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

DATUMSFORMAT = "%d.%m.%Y"
ENDUNGEN = (".xlsx", ".csv")

# Cell starts that spreadsheet programs run as formulas (CSV/formula injection).
_FORMEL_ZEICHEN = ("=", "+", "-", "@", "\t", "\r")


class DateiFehler(ValueError):
    """The file cannot be read at all (missing, damaged, unsupported); German message."""


# --- Formula neutralisation ----------------------------------------------------------------------
def escape_formula(text: str) -> str:
    """Prefix ' to text a spreadsheet would run as a formula; `unescape_formula` reverses it.

    Text that already starts with ' followed by such a character (or another ') gets a prefix too,
    so the pair is a bijection and export -> import never changes a value.
    """
    if text.startswith(_FORMEL_ZEICHEN) or _hat_praefix(text):
        return "'" + text
    return text


def unescape_formula(text: str) -> str:
    return text[1:] if _hat_praefix(text) else text


def _hat_praefix(text: str) -> bool:
    return len(text) > 1 and text[0] == "'" and text[1] in _FORMEL_ZEICHEN + ("'",)


# --- Errors --------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Fehler:
    """One validation error; str() is the German sentence shown to the user."""

    datei: str
    zeile: int | None  # row as seen in Excel (header = 1)
    spalte: str | None
    meldung: str

    def __str__(self) -> str:
        ort = [self.datei]
        if self.zeile is not None:
            ort.append(f"Zeile {self.zeile}")
        if self.spalte:
            ort.append(f"Spalte „{self.spalte}“")
        return f"{', '.join(ort)}: {self.meldung}"


def anzeige(value: object) -> str:
    """A cell value as the user typed/sees it, for error messages."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (dt.date, dt.datetime)):
        return value.strftime(DATUMSFORMAT)
    return str(value)


def ist_leer(value: object) -> bool:
    return value is None or (isinstance(value, str) and value.strip() == "")


# --- Reading files -------------------------------------------------------------------------------
@dataclass
class Tabelle:
    """Raw sheet: header cells and data rows with their row number (header = row 1)."""

    datei: str
    kopf: list[object]
    zeilen: list[tuple[int, Sequence[object]]]


def read_tabelle(path: Path, blatt: str | None = None) -> Tabelle:
    """Header and non-empty rows of a .xlsx (sheet `blatt` if present, else the first) or .csv.

    Raises DateiFehler when the file cannot be read.
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in ENDUNGEN:
        raise DateiFehler(f"{path.name}: Dateiendung „{path.suffix}“ wird nicht unterstützt – "
                          "erlaubt sind .xlsx (Excel) und .csv; ältere .xls-Dateien bitte in "
                          "Excel als .xlsx speichern")
    try:
        zeilen = _read_xlsx(path, blatt) if suffix == ".xlsx" else _read_csv(path)
    except FileNotFoundError:
        raise DateiFehler(f"{path.name}: Datei nicht gefunden ({path})") from None
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError) as exc:
        raise DateiFehler(f"{path.name}: Datei kann nicht gelesen werden – keine gültige "
                          f"{suffix}-Datei oder beschädigt ({exc})") from None
    nummeriert = [(nummer, zellen) for nummer, zellen in enumerate(zeilen, start=1)
                  if not all(ist_leer(z) for z in zellen)]
    if not nummeriert:
        return Tabelle(path.name, [], [])
    (_, kopf), *daten = nummeriert
    return Tabelle(path.name, list(kopf), daten)


def _read_xlsx(path: Path, blatt: str | None) -> list[tuple[object, ...]]:
    workbook = load_workbook(path, data_only=True)  # values as Excel shows them
    try:
        sheet = workbook[blatt] if blatt in workbook.sheetnames else workbook.worksheets[0]
        return list(sheet.iter_rows(values_only=True))
    finally:
        workbook.close()


def _read_csv(path: Path) -> list[list[str]]:
    text = decode_csv(path.read_bytes(), path.name)
    erste = next((line for line in text.splitlines() if line.strip()), "")
    trenner = ";" if erste.count(";") >= erste.count(",") and ";" in erste else ","
    return list(csv.reader(io.StringIO(text, newline=""), delimiter=trenner))


def decode_csv(data: bytes, name: str) -> str:
    """UTF-8 (with or without BOM), else Windows-1252 as German Excel writes it."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:
        raise DateiFehler(f"{name}: Zeichenkodierung nicht erkannt – bitte als "
                          "„CSV UTF-8“ speichern") from None


# --- Header names --------------------------------------------------------------------------------
def norm_spaltenname(text: object) -> str:
    """Header comparison: case, umlaut spelling, spaces, _ and - do not matter."""
    value = unicodedata.normalize("NFC", str(text)).casefold().strip().lstrip("\ufeff")
    for umlaut, ersatz in (("ä", "ae"), ("ö", "oe"), ("ü", "ue"), ("ß", "ss")):
        value = value.replace(umlaut, ersatz)
    return re.sub(r"[\s_\-]+", "", value)
