"""Hostile and broken import files (issue #18), shared by the reader, CLI and upload tests.

Every builder writes one file into a folder and returns its path; the names say the class.
"""
from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from pathlib import Path

from openpyxl import Workbook

KOPF = ["Verwaltungsschlüssel", "Merkmal", "Quartal", "Stufe"]


def _xlsx_bytes(blatt: str = "Tabelle") -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = blatt
    sheet.append(KOPF)
    sheet.append(["034590024", "e_akte", "2026-Q3", 3])
    puffer = io.BytesIO()
    workbook.save(puffer)
    return puffer.getvalue()


def _ersetze_blatt(daten: bytes, neu: Callable[[zipfile.ZipFile, zipfile.ZipInfo], None],
                   ziel: Path) -> Path:
    """Copy an .xlsx, letting `neu` write xl/worksheets/sheet1.xml."""
    with zipfile.ZipFile(io.BytesIO(daten)) as alt, zipfile.ZipFile(
            ziel, "w", zipfile.ZIP_DEFLATED) as archiv:
        for eintrag in alt.infolist():
            if eintrag.filename == "xl/worksheets/sheet1.xml":
                neu(archiv, eintrag)
            else:
                archiv.writestr(eintrag, alt.read(eintrag))
    return ziel


def zip_bombe(ordner: Path, mb: int = 300) -> Path:
    """A small .xlsx whose sheet expands to `mb` MB (millions of cells): ~1000x compression."""
    zeile = b"".join(b'<c t="n"><v>1</v></c>' for _ in range(50))

    def schreiben(archiv: zipfile.ZipFile, eintrag: zipfile.ZipInfo) -> None:
        info = zipfile.ZipInfo(eintrag.filename)
        info.compress_type = zipfile.ZIP_DEFLATED
        with archiv.open(info, "w", force_zip64=True) as ziel:
            ziel.write(b'<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats'
                       b'.org/spreadsheetml/2006/main"><sheetData>')
            block = (b"<row>" + zeile + b"</row>") * 1000
            for _ in range(mb * 1024 * 1024 // len(block)):
                ziel.write(block)
            ziel.write(b"</sheetData></worksheet>")

    return _ersetze_blatt(_xlsx_bytes(), schreiben, ordner / "bombe.xlsx")


_MILLIARDE_LACHER = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>
<row r="1"><c r="A1" t="inlineStr"><is><t>&lol9;</t></is></c></row></sheetData></worksheet>"""

_EXTERNE_ENTITAET = b"""<?xml version="1.0"?>
<!DOCTYPE x [ <!ENTITY geheim SYSTEM "file:///etc/passwd"> ]>
<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>
<row r="1"><c r="A1" t="inlineStr"><is><t>&geheim;</t></is></c></row></sheetData></worksheet>"""


def milliarde_lacher(ordner: Path) -> Path:
    """Entity expansion ("billion laughs") in the sheet XML."""
    return _ersetze_blatt(_xlsx_bytes(), lambda archiv, e: archiv.writestr(e, _MILLIARDE_LACHER),
                          ordner / "lacher.xlsx")


def externe_entitaet(ordner: Path) -> Path:
    """An external entity (a local file) in the sheet XML."""
    return _ersetze_blatt(_xlsx_bytes(), lambda archiv, e: archiv.writestr(e, _EXTERNE_ENTITAET),
                          ordner / "extern.xlsx")


def abgeschnitten(ordner: Path) -> Path:
    """A valid .xlsx cut off in the middle (a broken download)."""
    daten = _xlsx_bytes()
    ziel = ordner / "abgeschnitten.xlsx"
    ziel.write_bytes(daten[: len(daten) // 2])
    return ziel


def binaer(ordner: Path, endung: str = ".csv") -> Path:
    """Binary data (a PNG-like header, NUL bytes) under an import file name."""
    ziel = ordner / f"binaer{endung}"
    ziel.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 64)
    return ziel


def riesen_zelle(ordner: Path, zeichen: int = 200_000) -> Path:
    """A CSV with one cell longer than Python's csv field limit (131,072)."""
    ziel = ordner / "riesenzelle.csv"
    ziel.write_text(";".join(KOPF) + "\n034590024;e_akte;2026-Q3;" + "x" * zeichen + "\n",
                    encoding="utf-8")
    return ziel


def million_zeilen(ordner: Path) -> Path:
    """A CSV with 1,000,000 data rows (7 MB: under the upload limit, over the row limit)."""
    ziel = ordner / "million.csv"
    with ziel.open("w", encoding="utf-8") as datei:
        datei.write(";".join(KOPF) + "\n")
        datei.write("1;a;b;c\n" * 1_000_000)
    return ziel


def formel_ohne_wert(ordner: Path) -> Path:
    """An .xlsx written by a program that does not calculate: the formula has no cached value."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(KOPF + ["Bemerkung"])
    sheet.append(["034590024", "e_akte", "2026-Q3", 3, '=CONCAT("a","b")'])
    ziel = ordner / "formel.xlsx"
    workbook.save(ziel)
    return ziel


# The classes every import must refuse (name -> builder); each builder takes the folder.
BOESE = {
    "zip_bombe": zip_bombe,
    "milliarde_lacher": milliarde_lacher,
    "externe_entitaet": externe_entitaet,
    "abgeschnitten": abgeschnitten,
    "binaer_csv": binaer,
    "binaer_xlsx": lambda ordner: binaer(ordner, ".xlsx"),
    "riesen_zelle": riesen_zelle,
    "million_zeilen": million_zeilen,
}
