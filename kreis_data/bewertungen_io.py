"""Bewertungen export and import in the "lang" layout: one row per Verwaltung x Merkmal.

The export doubles as the Excel template: importing an unchanged export changes nothing.
An import reads the whole file, validates every row, collects all errors (German, with file,
row as seen in Excel, column, bad value and what is allowed) and writes nothing if any row is
invalid; otherwise it writes all rows in one transaction with their audit entries.

Building blocks live in kreis_data.io: `tabelle` (reading .xlsx/.csv, formula safety, Fehler)
and `bewertung_pruefung` (the layout-independent validation core, reusable by a "wide" template).
"""
from __future__ import annotations

import csv
import datetime as dt
import difflib
import json
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from sqlalchemy import Engine, select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from kreis_data import scales
from kreis_data.bewertungen import Aenderung, BewertungEingabe, apply_bewertungen
from kreis_data.database import read_session, transaction
from kreis_data.io.bewertung_pruefung import (
    SPALTEN,
    Katalog,
    Rohzeile,
    katalog_from_session,
    load_katalog,
    validate_zeilen,
)
from kreis_data.io.tabelle import (
    DATUMSFORMAT,
    DateiFehler,
    Fehler,
    anzeige,
    escape_formula,
    ist_leer,
    norm_spaltenname,
    read_tabelle,
    unescape_formula,
)
from kreis_data.model import Bewertung, Kreis, Meta
from kreis_data.quartal import Quartal

__all__ = [  # public API; validation core and table reading live in kreis_data.io
    "SPALTEN", "DateiFehler", "Fehler", "ImportResult", "Katalog", "cli_export", "cli_import",
    "escape_formula", "export_bewertungen", "format_aenderung", "import_bewertungen",
    "load_katalog", "read_bewertungen", "unescape_formula",
]

# --- Layout --------------------------------------------------------------------------------------
# SPALTEN (field -> column name, in column order) is the layout of export, template and import.
INFORMATIVE_FELDER = frozenset({"verwaltung_name"})  # exported, ignored on import
SPALTENBREITEN = {"quartal": 10, "verwaltung_key": 22, "verwaltung_name": 36, "merkmal": 28,
                  "stufe": 50, "quelle": 17, "stand": 12, "erfasst_von": 24, "bemerkung": 60}
BLATT = "Bewertungen"
HINWEISE_BLATT = "Hinweise"
LISTEN_BLATT = "Listen"  # hidden sheet with the dropdown values of every Merkmal


def _tausender(anzahl: int) -> str:
    return f"{anzahl:,}".replace(",", ".")  # German: 1.234


def _zahl(anzahl: int, einzahl: str, mehrzahl: str) -> str:
    return f"{_tausender(anzahl)} {einzahl if anzahl == 1 else mehrzahl}"


# --- Header --------------------------------------------------------------------------------------
_NORM_FELD = {norm_spaltenname(name): feld for feld, name in SPALTEN.items()}


def map_kopf(kopf: Sequence[object], datei: str, *, quartal_vorgegeben: bool
             ) -> tuple[dict[str, int], list[Fehler], list[str]]:
    """field -> column index; errors for missing/duplicate columns; notes for ignored ones."""
    spalten: dict[str, int] = {}
    unbekannt: list[str] = []
    fehler: list[Fehler] = []
    for index, zelle in enumerate(kopf):
        if ist_leer(zelle):
            continue
        feld = _NORM_FELD.get(norm_spaltenname(zelle))
        if feld is None:
            unbekannt.append(str(zelle).strip())
        elif feld in spalten:
            fehler.append(Fehler(datei, 1, SPALTEN[feld], (
                f"Spalte kommt doppelt vor (Spalten {get_column_letter(spalten[feld] + 1)} "
                f"und {get_column_letter(index + 1)})")))
        else:
            spalten[feld] = index
    pflicht = [f for f in SPALTEN if f not in INFORMATIVE_FELDER
               and not (f == "quartal" and quartal_vorgegeben)]
    vermutet: set[str] = set()
    for feld in pflicht:
        if feld not in spalten:
            meldung, nahe = _fehlende_spalte(SPALTEN[feld], kopf, unbekannt)
            vermutet.update(nahe)
            fehler.append(Fehler(datei, 1, None, meldung))
    hinweise = [f"{datei}: Spalte „{name}“ ist unbekannt und wird ignoriert."
                for name in unbekannt if name not in vermutet]
    return spalten, fehler, hinweise


def _fehlende_spalte(name: str, kopf: Sequence[object], unbekannt: list[str]
                     ) -> tuple[str, list[str]]:
    gefunden = ", ".join(f"„{z}“" for z in kopf if not ist_leer(z)) or "keine"
    erwartet = ", ".join(SPALTEN.values())
    nahe = difflib.get_close_matches(name, unbekannt, n=1, cutoff=0.6)
    meldung = f"Spalte „{name}“ fehlt"
    if nahe:
        meldung += f" – die Spalte „{nahe[0]}“ ist vermutlich „{name}“ (Schreibweise prüfen)"
    return (f"{meldung}. Gefundene Spalten: {gefunden}. Erwartete Spalten: {erwartet}.", nahe)


# --- Import --------------------------------------------------------------------------------------
@dataclass
class ImportResult:
    datei: str
    gelesen: int = 0  # data rows in the file
    fehler: list[Fehler] = field(default_factory=list)
    hinweise: list[str] = field(default_factory=list)
    eingaben: list[BewertungEingabe] = field(default_factory=list)
    aenderungen: list[Aenderung] = field(default_factory=list)
    dry_run: bool = False
    geschrieben: bool = False

    @property
    def errors(self) -> list[str]:
        return [str(f) for f in self.fehler]

    @property
    def ok(self) -> bool:
        return not self.fehler

    def zusammenfassung(self) -> str:
        """German one-liner, e.g. "12 Bewertungen geändert, 3 neu angelegt, 85 unverändert"."""
        if self.fehler:
            return (f"{self.datei}: Import abgebrochen, {_zahl(len(self.fehler), 'Fehler', 'Fehler')}"
                    " – nichts wurde geschrieben.")
        geaendert = sum(a.aktion == "geändert" for a in self.aenderungen)
        neu = sum(a.aktion == "angelegt" for a in self.aenderungen)
        unveraendert = self.gelesen - geaendert - neu
        text = (f"{_zahl(geaendert, 'Bewertung', 'Bewertungen')} geändert, "
                f"{_tausender(neu)} neu angelegt, {_tausender(unveraendert)} unverändert")
        if self.dry_run:
            return f"Probelauf {self.datei}: {text} – nichts wurde geschrieben."
        return f"{self.datei}: {text}."


def read_bewertungen(path: Path, quartal: str | None = None, *, katalog: Katalog) -> ImportResult:
    """Read and validate a file in the lang layout; writes nothing. Raises DateiFehler if unreadable."""
    tabelle = read_tabelle(Path(path), BLATT)
    result = ImportResult(tabelle.datei, gelesen=len(tabelle.zeilen))
    if not tabelle.kopf:
        result.fehler.append(Fehler(tabelle.datei, None, None, (
            "die Datei ist leer – erwartet wird eine Kopfzeile mit den Spalten "
            f"{', '.join(SPALTEN.values())} und darunter eine Zeile je Bewertung")))
        return result
    spalten, kopf_fehler, result.hinweise = map_kopf(
        tabelle.kopf, tabelle.datei, quartal_vorgegeben=not ist_leer(quartal))
    result.fehler.extend(kopf_fehler)
    if not tabelle.zeilen:
        result.fehler.append(Fehler(tabelle.datei, None, None,
                                    "die Datei enthält keine Datenzeilen, nur die Kopfzeile"))
    if result.fehler:
        return result
    zeilen = [Rohzeile(nummer, {f: _zelle(zellen, i) for f, i in spalten.items()})
              for nummer, zellen in tabelle.zeilen]
    result.eingaben, result.fehler = validate_zeilen(zeilen, katalog, datei=tabelle.datei,
                                                     quartal=quartal)
    return result


def _zelle(zellen: Sequence[object], index: int) -> object:
    return zellen[index] if index < len(zellen) else None


def import_bewertungen(engine: Engine, path: Path, *, quartal: str | None = None,
                       dry_run: bool = False, benutzer: str) -> ImportResult:
    """Validate the whole file, then write all rows in one transaction (nothing on any error).

    With dry_run the changes are computed in a transaction that is rolled back.
    """
    path = Path(path)
    result = read_bewertungen(path, quartal, katalog=load_katalog(engine))
    result.dry_run = dry_run
    if result.fehler:
        return result
    kontext = f"Import {path.name}"
    if dry_run:
        with read_session(engine) as session:
            try:
                result.aenderungen = _apply(session, result.eingaben, benutzer, kontext)
            finally:
                session.rollback()
        return result
    with transaction(engine) as session:
        result.aenderungen = _apply(session, result.eingaben, benutzer, kontext)
    result.geschrieben = bool(result.aenderungen)
    return result


def _apply(session: Session, eingaben: list[BewertungEingabe], benutzer: str,
           kontext: str) -> list[Aenderung]:
    """apply_bewertungen without the empty template rows that have no Bewertung yet."""
    quartale = {e.quartal for e in eingaben}
    vorhanden = {tuple(row) for row in session.execute(
        select(Bewertung.verwaltung_key, Bewertung.merkmal_key, Bewertung.quartal)
        .where(Bewertung.quartal.in_(quartale)))}
    zu_schreiben = [e for e in eingaben
                    if (e.verwaltung_key, e.merkmal_key, e.quartal) in vorhanden
                    or not _eingabe_leer(e)]
    return apply_bewertungen(session, zu_schreiben, benutzer=benutzer, kontext=kontext)


def _eingabe_leer(eingabe: BewertungEingabe) -> bool:
    return all(value is None for value in (eingabe.stufe, eingabe.quelle, eingabe.stand,
                                           eingabe.erfasst_von, eingabe.bemerkung))


# --- Export --------------------------------------------------------------------------------------
@dataclass(frozen=True)
class _ExportInfo:
    kreis: str
    quartal: str
    demo: bool
    quellen: list[str]


def export_bewertungen(engine: Engine, quartal: str, out: Path) -> int:
    """Write every Verwaltung x Merkmal of the quarter (.xlsx or .csv); returns the row count.

    Rows without a Bewertung are exported as "keine Angabe", so the file is also the template.
    """
    out = Path(out)
    writer = {".xlsx": _write_xlsx, ".csv": _write_csv}.get(out.suffix.lower())
    if writer is None:
        raise ValueError(f"Dateiendung „{out.suffix}“ wird nicht unterstützt – erlaubt sind "
                         ".xlsx (Excel) und .csv")
    quartal = str(Quartal.parse(quartal))
    with read_session(engine) as session:
        katalog = katalog_from_session(session)
        zeilen = export_zeilen(session, katalog, quartal)
        info = _export_info(session, quartal)
    writer(out, zeilen, katalog, info)
    return len(zeilen)


def export_zeilen(session: Session, katalog: Katalog, quartal: str) -> list[dict[str, object]]:
    """field -> value rows, Verwaltungen by key, Merkmale in workspace order."""
    bewertungen = {(b.verwaltung_key, b.merkmal_key): b for b in
                   session.scalars(select(Bewertung).where(Bewertung.quartal == quartal))}
    zeilen = []
    for key, name in katalog.verwaltungen.items():
        for merkmal in katalog.merkmale.values():
            b = bewertungen.get((key, merkmal.key))
            zeilen.append({
                "quartal": quartal, "verwaltung_key": key, "verwaltung_name": name,
                "merkmal": merkmal.key, "stufe": merkmal.label(b.stufe if b else None),
                "quelle": b and b.quelle, "stand": b and b.stand,
                "erfasst_von": b and b.erfasst_von, "bemerkung": b and b.bemerkung,
            })
    return zeilen


def _export_info(session: Session, quartal: str) -> _ExportInfo:
    kreis = session.scalar(select(Kreis.name))
    meta = {m.key: json.loads(m.value) for m in session.scalars(select(Meta))}
    return _ExportInfo(kreis or "", quartal, bool(meta.get("demo")),
                       _quellen_zeilen(meta.get("quellen")))


def _quellen_zeilen(value: object) -> list[str]:
    """Data-source attributions with their Stand, from meta["quellen"] (list of dicts)."""
    if value is None:
        return []
    eintraege = value if isinstance(value, list) else [value]
    return [_quelle_text(eintrag) for eintrag in eintraege]


def _quelle_text(eintrag: object) -> str:
    if not isinstance(eintrag, dict):
        return str(eintrag)
    text = eintrag.get("attribution") or eintrag.get("name") or "; ".join(
        f"{k}: {v}" for k, v in eintrag.items())
    return f"{text} – Stand {eintrag['stand']}" if eintrag.get("stand") else str(text)


def _csv_zelle(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return value.strftime(DATUMSFORMAT)
    return escape_formula(str(value))


def _write_csv(out: Path, zeilen: list[dict[str, object]], _katalog: Katalog,
               _info: _ExportInfo) -> None:
    """UTF-8 with BOM and ";" as German Excel expects."""
    with out.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle, delimiter=";", lineterminator="\r\n")
        writer.writerow(SPALTEN.values())
        for zeile in zeilen:
            writer.writerow([_csv_zelle(zeile[feld]) for feld in SPALTEN])


def _xlsx_wert(value: object) -> object:
    return escape_formula(value) if isinstance(value, str) else value


def _write_xlsx(out: Path, zeilen: list[dict[str, object]], katalog: Katalog,
                info: _ExportInfo) -> None:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = BLATT
    _write_daten(sheet, zeilen)
    _write_hinweise(workbook.create_sheet(HINWEISE_BLATT), katalog, info)
    _add_auswahllisten(workbook, sheet, zeilen, katalog)
    workbook.save(out)


def _write_daten(sheet, zeilen: list[dict[str, object]]) -> None:
    felder = list(SPALTEN)
    sheet.append(list(SPALTEN.values()))
    for zelle in sheet[1]:
        zelle.font = Font(bold=True)
    for zeile in zeilen:
        sheet.append([_xlsx_wert(zeile[feld]) for feld in felder])
    for index, feld in enumerate(felder, start=1):
        buchstabe = get_column_letter(index)
        sheet.column_dimensions[buchstabe].width = SPALTENBREITEN[feld]
        if feld in ("verwaltung_key", "quartal"):
            sheet.column_dimensions[buchstabe].number_format = "@"  # new rows: text too
            for (zelle,) in sheet.iter_rows(min_row=2, min_col=index, max_col=index):
                zelle.number_format = "@"  # text: keeps the leading zero
        if feld == "stand":
            for (zelle,) in sheet.iter_rows(min_row=2, min_col=index, max_col=index):
                zelle.number_format = "DD.MM.YYYY"
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(felder))}{max(len(zeilen) + 1, 2)}"


def _add_auswahllisten(workbook: Workbook, sheet, zeilen: list[dict[str, object]],
                       katalog: Katalog) -> None:
    """Dropdowns for Stufe (per Merkmal) and Quelle; typing other values stays possible."""
    listen = workbook.create_sheet(LISTEN_BLATT)
    listen.sheet_state = "hidden"
    stufe_spalte = get_column_letter(list(SPALTEN).index("stufe") + 1)
    for index, merkmal in enumerate(katalog.merkmale.values(), start=1):
        buchstabe = get_column_letter(index)
        werte = [*merkmal.stufen, scales.KEINE_ANGABE]
        listen.cell(1, index, merkmal.key)
        for reihe, wert in enumerate(werte, start=2):
            listen.cell(reihe, index, escape_formula(wert))
        zellen = [f"{stufe_spalte}{reihe}" for reihe, z in enumerate(zeilen, start=2)
                  if z["merkmal"] == merkmal.key]
        if zellen:
            formel = f"'{LISTEN_BLATT}'!${buchstabe}$2:${buchstabe}${len(werte) + 1}"
            _dropdown(sheet, formel, zellen)
    quelle_spalte = get_column_letter(list(SPALTEN).index("quelle") + 1)
    _dropdown(sheet, '"' + ",".join(scales.QUELLEN) + '"',
              [f"{quelle_spalte}2:{quelle_spalte}{len(zeilen) + 500}"])


def _dropdown(sheet, formel: str, bereiche: list[str]) -> None:
    validation = DataValidation(type="list", formula1=formel, allow_blank=True,
                                showErrorMessage=False)
    for bereich in bereiche:
        validation.add(bereich)
    sheet.add_data_validation(validation)


def _write_hinweise(sheet, katalog: Katalog, info: _ExportInfo) -> None:
    heute = dt.date.today().strftime(DATUMSFORMAT)
    titel = f"Bewertungen {info.kreis} – Quartal {info.quartal}".replace("  ", " ")
    zeilen: list[tuple[object, ...]] = [
        (titel,),
        (f"Stand der Ausgabe: {heute}",),
    ]
    if info.demo:
        zeilen.append(("Demo-Daten (fiktiv)",))
    zeilen += [
        (),
        ("So füllen Sie das Blatt „Bewertungen“ aus",),
        ("Eine Zeile je Verwaltung und Merkmal. Ändern Sie nur Stufe, Quelle, Stand, Erfasst von "
         "und Bemerkung; die Spalte „Verwaltung“ dient nur der Orientierung.",),
        ("Stufe: Zahl 0–4, die Bezeichnung aus der Tabelle unten oder „3 – Bezeichnung“; leer oder "
         f"„{scales.KEINE_ANGABE}“, wenn nichts bekannt ist. Ja/Nein-Merkmale: „ja“ oder „nein“.",),
        ("Stand: Datum der Angabe als TT.MM.JJJJ. Quartal: JJJJ-QN, z. B. 2026-Q3. "
         "Verwaltungsschlüssel: als Text mit führender Null.",),
        ("Text, der mit =, +, - oder @ beginnt, wird mit einem vorangestellten ' ausgegeben, "
         "damit Excel ihn nicht als Formel ausführt; beim Import wird das ' wieder entfernt.",),
        (),
        ("Erlaubte Quellen",),
        (", ".join(scales.QUELLEN) + " oder leer",),
        (),
        ("Merkmal", "Bezeichnung", "Stufe", "Bedeutung"),
    ]
    for merkmal in katalog.merkmale.values():
        for stufe, label in enumerate(merkmal.stufen):
            zeilen.append((merkmal.key, merkmal.name, stufe, label))
        zeilen.append((merkmal.key, merkmal.name, "", scales.KEINE_ANGABE))
    zeilen += [(), ("Verwaltungsschlüssel", "Verwaltung")]
    zeilen += [(key, name) for key, name in katalog.verwaltungen.items()]
    if info.quellen:
        zeilen += [(), ("Datenquellen",)] + [(zeile,) for zeile in info.quellen]
    for zeile in zeilen:
        sheet.append([_xlsx_wert(wert) for wert in zeile])
    for zelle in sheet["A"]:
        if zelle.value in ("Merkmal", "Verwaltungsschlüssel", "Erlaubte Quellen", "Datenquellen",
                           "So füllen Sie das Blatt „Bewertungen“ aus", titel):
            for nachbar in sheet[zelle.row]:
                nachbar.font = Font(bold=True)
        zelle.number_format = "@"
    for buchstabe, breite in zip("ABCD", (28, 36, 8, 70), strict=True):
        sheet.column_dimensions[buchstabe].width = breite
    sheet.column_dimensions["D"].alignment = Alignment(wrap_text=True)


# --- Command line helpers (wired in kreis_data/cli.py) -------------------------------------------
def cli_export(args_quartal: str, args_out: str | Path, engine: Engine) -> int:
    """Export for the command line; German output, exit status 0 / 2 (bad input) / 1."""
    out = Path(args_out)
    try:
        anzahl = export_bewertungen(engine, args_quartal, out)
    except ValueError as exc:
        print(f"Fehler: {exc}", file=sys.stderr)
        return 2
    except OSError as exc:
        print(f"Fehler: {out} konnte nicht geschrieben werden ({exc}).", file=sys.stderr)
        return 1
    except SQLAlchemyError as exc:
        print(f"Fehler beim Lesen der Datenbank: {exc}", file=sys.stderr)
        return 1
    print(f"{_zahl(anzahl, 'Zeile', 'Zeilen')} für Quartal {Quartal.parse(args_quartal)} "
          f"nach {out} exportiert.")
    return 0


def cli_import(path: str | Path, quartal: str | None, dry_run: bool, engine: Engine,
               benutzer: str) -> int:
    """Import for the command line; exit status 0, 2 (validation errors, nothing written), 1."""
    try:
        result = import_bewertungen(engine, Path(path), quartal=quartal, dry_run=dry_run,
                                    benutzer=benutzer)
    except DateiFehler as exc:
        print(f"Fehler: {exc}", file=sys.stderr)
        return 1
    except (OSError, SQLAlchemyError) as exc:
        print(f"Fehler beim Import von {Path(path).name}: {exc}. Nichts wurde geschrieben.",
              file=sys.stderr)
        return 1
    for hinweis in result.hinweise:
        print(f"Hinweis: {hinweis}", file=sys.stderr)
    if result.fehler:
        for fehler in result.errors:
            print(fehler, file=sys.stderr)
        print("Nichts wurde geschrieben.", file=sys.stderr)
        return 2
    for aenderung in result.aenderungen:
        print(format_aenderung(aenderung))
    print(result.zusammenfassung())
    return 0


def format_aenderung(aenderung: Aenderung) -> str:
    """e.g. "geändert 034590024/e_akte/2026-Q3: stufe 2 -> 3" (ASCII arrow for any console)."""
    felder = ", ".join(f"{feld} {_kurz(alt)} -> {_kurz(neu)}"
                       for feld, (alt, neu) in aenderung.felder.items())
    return f"{aenderung.aktion} {aenderung.schluessel}: {felder}"


def _kurz(value: object) -> str:
    return "leer" if value is None else anzeige(value)
