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

DATUMSFORMAT = "%d.%m.%Y"
ENDUNGEN = (".xlsx", ".csv")

# Cell starts that spreadsheet programs run as formulas (CSV/formula injection).
_FORMEL_ZEICHEN = ("=", "+", "-", "@", "\t", "\r")


class DateiFehler(ValueError):
    """The file cannot be read at all (missing, damaged, unsupported); German message."""


class _FormelOhneWert:
    """A formula cell without a cached value (the file was never calculated/saved by Excel).

    The reader delivers this sentinel instead of None, so an import can refuse the cell instead of
    treating it as empty (which would wipe an existing value)."""

    _instanz: _FormelOhneWert | None = None

    def __new__(cls) -> _FormelOhneWert:
        if cls._instanz is None:
            cls._instanz = super().__new__(cls)
        return cls._instanz

    def __repr__(self) -> str:
        return "FORMEL_OHNE_WERT"

    def __str__(self) -> str:
        return "Formel ohne berechneten Wert"

    def __bool__(self) -> bool:
        return True

    def __reduce__(self) -> str:
        return "FORMEL_OHNE_WERT"


FORMEL_OHNE_WERT = _FormelOhneWert()
FORMEL_OHNE_WERT_MELDUNG = ("Zelle enthält eine Formel ohne berechneten Wert – Datei in Excel "
                            "öffnen, neu berechnen und speichern oder den Wert direkt eintragen")


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
# Limits checked BEFORE a file is parsed (issue #18): a real import file (the exports and templates
# of the largest Kreis, a few hundred Verwaltungen x Merkmale x quarters) is far below every one
# of them; a hostile file (compressed bomb, 1e6 rows, a 100 MB cell) is refused in seconds.
MAX_DATEI_MB = 10  # the same as server.maxUploadSize in .streamlit/config.toml
MAX_DATEI_BYTES = MAX_DATEI_MB * 1024 * 1024
MAX_ZEILEN = 100_000  # data rows (plus the header)
MAX_SPALTEN = 200
MAX_ZELLE_ZEICHEN = 32_767  # Excel's own limit for the text of a cell
MAX_ENTPACKT_BYTES = 100 * 1024 * 1024  # all members together, uncompressed (100,000 rows x 8
# columns from Excel: 29 MB in a 2.9 MB file)
MAX_VERHAELTNIS = 100  # uncompressed / compressed size of a member (> 1 MB); bombs reach 1000+
MAX_ZIP_EINTRAEGE = 1_000
# openpyxl holds all shared strings in memory at once: 100,000 rows of distinct 50-character
# texts are ~7 MB of XML.
MAX_TEXTE_BYTES = 30 * 1024 * 1024
_VERHAELTNIS_AB_BYTES = 1024 * 1024
_XML_VERBOTEN = re.compile(rb"<!\s*(DOCTYPE|ENTITY)", re.IGNORECASE)
_FORMEL = re.compile(rb"<(?:\w+:)?f[\s>/]")
_DIMENSION = re.compile(rb"<(?:\w+:)?dimension\s[^>]*ref=\"([A-Z]+)?(\d+)?(?::([A-Z]+)(\d+))?\"")


def _zahl(n: int) -> str:
    return f"{n:,}".replace(",", ".")


@dataclass
class Tabelle:
    """Raw sheet: header cells and data rows with their row number (header = row 1)."""

    datei: str
    kopf: list[object]
    zeilen: list[tuple[int, Sequence[object]]]


def read_tabelle(path: Path, blatt: str | None = None) -> Tabelle:
    """Header and non-empty rows of a .xlsx (sheet `blatt` if present, else the first) or .csv.

    A formula cell without a calculated value is delivered as FORMEL_OHNE_WERT (never as None).
    Raises DateiFehler (German: file, what happened, what is allowed) for every file that cannot
    be read or exceeds a limit; the limits are checked before the file is parsed.
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in ENDUNGEN:
        raise DateiFehler(f"{path.name}: Dateiendung „{path.suffix}“ wird nicht unterstützt – "
                          "erlaubt sind .xlsx (Excel) und .csv; ältere .xls-Dateien bitte in "
                          "Excel als .xlsx speichern")
    art = "Excel-Datei (.xlsx)" if suffix == ".xlsx" else "CSV-Datei"
    try:
        groesse = path.stat().st_size
        if groesse > MAX_DATEI_BYTES:
            raise DateiFehler(f"{path.name}: Datei ist {groesse / 1024 / 1024:.1f} MB groß – "
                              f"erlaubt sind höchstens {MAX_DATEI_MB} MB")
        zeilen = _read_xlsx(path, blatt) if suffix == ".xlsx" else _read_csv(path)
    except DateiFehler:
        raise
    except FileNotFoundError:
        raise DateiFehler(f"{path.name}: Datei nicht gefunden") from None
    except MemoryError:
        raise DateiFehler(f"{path.name}: Datei ist zu groß, um sie zu lesen – erlaubt sind "
                          f"höchstens {_zahl(MAX_ZEILEN)} Zeilen und {MAX_DATEI_MB} MB") from None
    except Exception as exc:  # noqa: BLE001 - every parser error becomes a German message
        raise DateiFehler(f"{path.name}: Datei kann nicht gelesen werden – keine gültige {art} "
                          f"oder beschädigt ({_fehlerart(exc)}); erlaubt sind .xlsx-Dateien aus "
                          "Excel/LibreOffice und .csv-Dateien (UTF-8 oder Windows-1252)") from None
    nummeriert = [(nummer, zellen) for nummer, zellen in enumerate(zeilen, start=1)
                  if not all(ist_leer(z) for z in zellen)]
    del zeilen
    if not nummeriert:
        return Tabelle(path.name, [], [])
    (_, kopf), *daten = nummeriert
    return Tabelle(path.name, list(kopf), daten)


def _fehlerart(exc: BaseException) -> str:
    """A German name for what went wrong inside a parser (no English text, no paths)."""
    import xml.etree.ElementTree as ET

    if isinstance(exc, zipfile.BadZipFile):
        return "kein gültiges ZIP-Archiv, vielleicht abgeschnitten"
    if isinstance(exc, KeyError):
        return "ein Bestandteil der Arbeitsmappe fehlt"
    if isinstance(exc, (ET.ParseError, SyntaxError)) or type(exc).__module__.startswith(
            ("lxml", "defusedxml", "xml")):
        return "fehlerhaftes XML im Inneren der Datei"
    if isinstance(exc, UnicodeError):
        return "ungültige Zeichenkodierung"
    if isinstance(exc, csv.Error):
        return "ungültiger CSV-Aufbau"
    if isinstance(exc, OSError):
        return "Datei kann nicht geöffnet werden"
    return "unerwarteter Aufbau"


# --- .xlsx ---------------------------------------------------------------------------------------
def _pruefe_zip(path: Path, archiv: zipfile.ZipFile) -> set[str]:
    """Sizes, ratio and XML declarations of every member, before anything is parsed; returns
    the members that contain formulas."""
    name = path.name
    eintraege = archiv.infolist()
    if len(eintraege) > MAX_ZIP_EINTRAEGE:
        raise DateiFehler(f"{name}: die Arbeitsmappe besteht aus {_zahl(len(eintraege))} Teilen – "
                          f"erlaubt sind höchstens {_zahl(MAX_ZIP_EINTRAEGE)}")
    namen = {e.filename for e in eintraege}
    if "[Content_Types].xml" not in namen or "xl/workbook.xml" not in namen:
        raise DateiFehler(f"{name}: keine Excel-Arbeitsmappe (.xlsx) – die Datei ist ein anderes "
                          "ZIP-Archiv; erlaubt sind .xlsx-Dateien aus Excel oder LibreOffice")
    gesamt = 0
    for eintrag in eintraege:
        if eintrag.flag_bits & 0x1:
            raise DateiFehler(f"{name}: die Arbeitsmappe ist verschlüsselt (kennwortgeschützt) – "
                              "bitte ohne Kennwort speichern")
        gesamt += eintrag.file_size
        if eintrag.filename.lower().endswith("sharedstrings.xml") and (
                eintrag.file_size > MAX_TEXTE_BYTES):
            raise DateiFehler(f"{name}: die Texte der Arbeitsmappe sind entpackt "
                              f"{_zahl(eintrag.file_size // 1024 // 1024)} MB groß – erlaubt sind "
                              f"höchstens {_zahl(MAX_TEXTE_BYTES // 1024 // 1024)} MB")
        if (eintrag.file_size > _VERHAELTNIS_AB_BYTES
                and eintrag.file_size > MAX_VERHAELTNIS * max(eintrag.compress_size, 1)):
            raise DateiFehler(
                f"{name}: „{eintrag.filename}“ entpackt sich auf das "
                f"{eintrag.file_size // max(eintrag.compress_size, 1):,}-Fache".replace(",", ".")
                + f" ({_zahl(eintrag.file_size // 1024 // 1024)} MB) – erlaubt ist höchstens das "
                f"{MAX_VERHAELTNIS}-Fache (Schutz vor gepackten „ZIP-Bomben“)")
    if gesamt > MAX_ENTPACKT_BYTES:
        raise DateiFehler(f"{name}: die Arbeitsmappe ist entpackt {_zahl(gesamt // 1024 // 1024)} "
                          f"MB groß – erlaubt sind höchstens "
                          f"{_zahl(MAX_ENTPACKT_BYTES // 1024 // 1024)} MB")
    return {eintrag.filename for eintrag in eintraege  # every member: XML hides under any name
            if _pruefe_xml(name, archiv, eintrag)}


def _pruefe_xml(name: str, archiv: zipfile.ZipFile, eintrag: zipfile.ZipInfo) -> bool:
    """Refuse DOCTYPE/ENTITY declarations (entity expansion, external entities): a real
    spreadsheet never has one. Streams the member (the ZIP sizes above bound the work); returns
    whether it contains a formula element."""
    rest, formel = b"", False
    with archiv.open(eintrag) as member:
        while block := member.read(1024 * 1024):
            if _XML_VERBOTEN.search(rest + block):
                raise DateiFehler(f"{name}: „{eintrag.filename}“ enthält eine DOCTYPE- oder "
                                  "ENTITY-Deklaration – nicht erlaubt (Schutz vor "
                                  "XML-Entitäten); bitte die Datei in Excel neu speichern")
            formel = formel or _FORMEL.search(rest + block) is not None
            rest = block[-16:]
    return formel


def _pruefe_dimension(name: str, blattname: str, kopf: bytes) -> None:
    """The sheet's declared size (<dimension ref="A1:H120"/>) against the limits."""
    from openpyxl.utils import column_index_from_string

    treffer = _DIMENSION.search(kopf)
    if not treffer:
        return  # no or unusual declaration: the counts while reading still hold the limits
    spalte = (treffer.group(3) or treffer.group(1) or b"").decode("ascii")
    zeile = treffer.group(4) or treffer.group(2)
    if zeile and int(zeile) > MAX_ZEILEN + 1:
        raise DateiFehler(f"{name}: Blatt „{blattname}“ hat {_zahl(int(zeile))} Zeilen – erlaubt "
                          f"sind höchstens {_zahl(MAX_ZEILEN)} Datenzeilen")
    if spalte and len(spalte) <= 3 and column_index_from_string(spalte) > MAX_SPALTEN:
        raise DateiFehler(f"{name}: Blatt „{blattname}“ hat "
                          f"{_zahl(column_index_from_string(spalte))} Spalten – erlaubt sind "
                          f"höchstens {MAX_SPALTEN}")


def _formeln_ohne_wert(archiv: zipfile.ZipFile, member: str) -> set[tuple[int, int]]:
    """(row, column) of every cell with a formula (<f>) and no cached value (<v>)."""
    from lxml import etree
    from openpyxl.utils.cell import coordinate_to_tuple

    ns = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
    zellen: set[tuple[int, int]] = set()
    with archiv.open(member) as quelle:
        for _, element in etree.iterparse(quelle, events=("end",), tag=(f"{ns}c", f"{ns}row"),
                                          resolve_entities=False, no_network=True,
                                          load_dtd=False, huge_tree=False):
            if element.tag == f"{ns}c":
                formel, wert = element.find(f"{ns}f"), element.find(f"{ns}v")
                if formel is not None and (wert is None or wert.text is None) and element.get("r"):
                    zellen.add(coordinate_to_tuple(element.get("r")))
                continue
            element.clear(keep_tail=False)  # a finished row: keep the memory flat
            while element.getprevious() is not None:
                del element.getparent()[0]
    return zellen


def blattnamen(path: Path) -> list[str]:
    """The sheet names of an .xlsx, after the same checks as `read_tabelle` (DateiFehler)."""
    path = Path(path)
    try:
        if path.stat().st_size > MAX_DATEI_BYTES:
            read_tabelle(path)  # the worded size message
        with zipfile.ZipFile(path) as archiv:
            _pruefe_zip(path, archiv)
        workbook = load_workbook(path, read_only=True)
        try:
            return list(workbook.sheetnames)
        finally:
            workbook.close()
    except DateiFehler:
        raise
    except Exception:  # noqa: BLE001 - read_tabelle words every other failure
        read_tabelle(path)
        raise DateiFehler(f"{path.name}: Datei kann nicht gelesen werden") from None


def _read_xlsx(path: Path, blatt: str | None) -> list[tuple[object, ...]]:
    with zipfile.ZipFile(path) as archiv:
        mit_formeln = _pruefe_zip(path, archiv)
        workbook = load_workbook(path, read_only=True, data_only=True)  # sheets stream
        try:
            sheet = workbook[blatt] if blatt in workbook.sheetnames else workbook.worksheets[0]
            member = sheet._worksheet_path.lstrip("/")
            with archiv.open(member) as quelle:
                _pruefe_dimension(path.name, sheet.title, quelle.read(4096))
            formeln = _formeln_ohne_wert(archiv, member) if member in mit_formeln else set()
            sheet.reset_dimensions()  # a wrong <dimension> must not cut rows: read all of them
            zeilen: list[tuple[object, ...]] = []
            breite = 0
            for nummer, zeile in enumerate(sheet.iter_rows(values_only=True), start=1):
                if nummer > MAX_ZEILEN + 1:
                    raise DateiFehler(f"{path.name}: Blatt „{sheet.title}“ hat mehr als "
                                      f"{_zahl(MAX_ZEILEN)} Datenzeilen – erlaubt sind höchstens "
                                      f"{_zahl(MAX_ZEILEN)}")
                if formeln:
                    zeile = tuple(FORMEL_OHNE_WERT if wert is None and (nummer, spalte) in formeln
                                  else wert for spalte, wert in enumerate(zeile, start=1))
                ende = len(zeile)
                while ende and zeile[ende - 1] is None:  # formatted but empty cells at the end
                    ende -= 1
                zeile = zeile[:ende]
                if len(zeile) > MAX_SPALTEN:
                    raise DateiFehler(f"{path.name}: Blatt „{sheet.title}“, Zeile {nummer} hat "
                                      f"{len(zeile)} Spalten – erlaubt sind höchstens "
                                      f"{MAX_SPALTEN}")
                for spalte, wert in enumerate(zeile, start=1):
                    if isinstance(wert, str) and len(wert) > MAX_ZELLE_ZEICHEN:
                        raise _zu_lang(f"{path.name}, Blatt „{sheet.title}“", nummer, spalte)
                zeilen.append(zeile)
                breite = max(breite, len(zeile))
        finally:
            workbook.close()
    return [zeile + (None,) * (breite - len(zeile)) for zeile in zeilen]


# --- .csv ----------------------------------------------------------------------------------------
def _read_csv(path: Path) -> list[list[str]]:
    text = decode_csv(path.read_bytes(), path.name)
    erste = next((line for line in text.splitlines() if line.strip()), "")
    trenner = ";" if erste.count(";") >= erste.count(",") and ";" in erste else ","
    leser = csv.reader(io.StringIO(text, newline=""), delimiter=trenner)
    zeilen: list[list[str]] = []
    try:
        for zeile in leser:
            if len(zeilen) > MAX_ZEILEN:
                raise DateiFehler(f"{path.name}: mehr als {_zahl(MAX_ZEILEN)} Datenzeilen – "
                                  f"erlaubt sind höchstens {_zahl(MAX_ZEILEN)}")
            if len(zeile) > MAX_SPALTEN:
                raise DateiFehler(f"{path.name}, Zeile {leser.line_num}: {len(zeile)} Spalten – "
                                  f"erlaubt sind höchstens {MAX_SPALTEN}")
            for spalte, zelle in enumerate(zeile, start=1):
                if len(zelle) > MAX_ZELLE_ZEICHEN:
                    raise _zu_lang(path.name, leser.line_num, spalte)
            zeilen.append(zeile)
    except csv.Error as exc:
        if "field larger than field limit" in str(exc):
            raise _zu_lang(path.name, leser.line_num, None) from None
        raise DateiFehler(f"{path.name}, Zeile {leser.line_num}: ungültiger CSV-Aufbau (z. B. ein "
                          "nicht geschlossenes Anführungszeichen) – erlaubt sind CSV-Dateien mit "
                          "Komma oder Semikolon, wie Excel sie speichert") from None
    return zeilen


def _zu_lang(name: str, zeile: int, spalte: int | None) -> DateiFehler:
    ort = f"{name}, Zeile {zeile}" + (f", Spalte {spalte}" if spalte else "")
    return DateiFehler(f"{ort}: Zelle ist länger als {_zahl(MAX_ZELLE_ZEICHEN)} Zeichen – "
                       f"erlaubt sind höchstens {_zahl(MAX_ZELLE_ZEICHEN)} Zeichen je Zelle")


def decode_csv(data: bytes, name: str) -> str:
    """UTF-8 (with or without BOM), UTF-16 with BOM, else Windows-1252 as German Excel writes it.

    Binary data (NUL bytes, e.g. a renamed .xlsx or UTF-16 without BOM) is refused, so column
    names are never garbled."""
    kodierung = "utf-8"
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    elif data.startswith((b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff")):
        raise DateiFehler(f"{name}: Zeichenkodierung UTF-32 wird nicht unterstützt – bitte als "
                          "„CSV UTF-8“ speichern")
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        kodierung = "utf-16"
    if kodierung == "utf-16":
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError:
            raise DateiFehler(f"{name}: ungültige UTF-16-Datei (beschädigt oder abgeschnitten) – "
                              "bitte als „CSV UTF-8“ speichern") from None
    else:
        if b"\x00" in data:
            raise DateiFehler(f"{name}: keine Textdatei (enthält Null-Bytes; binäre Datei oder "
                              "UTF-16 ohne Kennung) – erlaubt sind CSV-Dateien in UTF-8 oder "
                              "Windows-1252, z. B. „CSV UTF-8“ aus Excel")
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            try:
                text = data.decode("cp1252")
            except UnicodeDecodeError:
                raise DateiFehler(f"{name}: Zeichenkodierung nicht erkannt – bitte als "
                                  "„CSV UTF-8“ speichern") from None
    if "\x00" in text:
        raise DateiFehler(f"{name}: keine Textdatei (enthält Null-Zeichen) – erlaubt sind "
                          "CSV-Dateien in UTF-8 oder Windows-1252")
    return text


# --- Header names --------------------------------------------------------------------------------
def norm_spaltenname(text: object) -> str:
    """Header comparison: case, umlaut spelling, spaces, _ and - do not matter."""
    value = unicodedata.normalize("NFC", str(text)).casefold().strip().lstrip("\ufeff")
    for umlaut, ersatz in (("ä", "ae"), ("ö", "oe"), ("ü", "ue"), ("ß", "ss")):
        value = value.replace(umlaut, ersatz)
    return re.sub(r"[\s_\-]+", "", value)
