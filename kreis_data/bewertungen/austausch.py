"""Bewertungen export and import in the "lang" layout: one row per Verwaltung x Merkmal.

The export doubles as the Excel template: importing an unchanged export changes nothing.
An import reads the whole file, validates every row, collects all errors (German, with file,
row as seen in Excel, column, bad value and what is allowed) and writes nothing if any row is
invalid; otherwise it writes all rows in one unit of work with their audit entries.

Building blocks live in kreis_data.io (``tabelle`` reading .xlsx/.csv, ``kopf`` header mapping,
``ergebnis`` import result, ``excel`` writing) and ``bewertungen.regeln`` (the layout-independent
validation core, also used by the wide template).
"""
from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment
from openpyxl.utils import get_column_letter
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from kreis_data import scales
from kreis_data.arbeitseinheit import Aenderung, Arbeitseinheit, schreiben
from kreis_data.bewertungen.lesen import katalog_from_session, load_katalog
from kreis_data.bewertungen.regeln import (
    SPALTEN,
    BewertungEingabe,
    Katalog,
    Rohzeile,
    validate_zeilen,
)
from kreis_data.bewertungen.schreiben import apply_bewertungen
from kreis_data.database import read_session
from kreis_data.io.ergebnis import ImportErgebnis, tausender
from kreis_data.io.excel import (
    auswahlliste,
    csv_bytes,
    datenblatt,
    hinweisblatt,
    listen_spalte,
    werte_formel,
)
from kreis_data.io.kopf import map_kopf as _map_kopf
from kreis_data.io.tabelle import (
    DATUMSFORMAT,
    Fehler,
    anzeige,
    escape_formula,
    ist_leer,
    read_tabelle,
)
from kreis_data.konten import regeln as rechte
from kreis_data.model import Bewertung, Kreis, Meta
from kreis_data.quartal import Quartal

# --- Layout --------------------------------------------------------------------------------------
# SPALTEN (field -> column name, in column order) is the layout of export, template and import.
INFORMATIVE_FELDER = frozenset({"verwaltung_name"})  # exported, ignored on import
SPALTENBREITEN = {"quartal": 10, "verwaltung_key": 22, "verwaltung_name": 36, "merkmal": 28,
                  "stufe": 50, "quelle": 17, "stand": 12, "erfasst_von": 24, "bemerkung": 60}
BLATT = "Bewertungen"
HINWEISE_BLATT = "Hinweise"
LISTEN_BLATT = "Listen"  # hidden sheet with the dropdown values of every Merkmal


def _zahl(anzahl: int, einzahl: str, mehrzahl: str) -> str:
    return f"{tausender(anzahl)} {einzahl if anzahl == 1 else mehrzahl}"


# --- Header --------------------------------------------------------------------------------------
def map_kopf(kopf: Sequence[object], datei: str, *, quartal_vorgegeben: bool
             ) -> tuple[dict[str, int], list[Fehler], list[str]]:
    """field -> column index; errors for missing/duplicate columns; notes for ignored ones."""
    pflicht = {f for f in SPALTEN if f not in INFORMATIVE_FELDER
               and not (f == "quartal" and quartal_vorgegeben)}
    return _map_kopf(kopf, SPALTEN, datei, pflicht=pflicht)


# --- Import --------------------------------------------------------------------------------------
@dataclass
class ImportResult(ImportErgebnis):
    """Result of a Bewertungen import; summary e.g. "12 Bewertungen geändert, 3 neu angelegt"."""

    EINHEIT = ("Bewertung", "Bewertungen")

    eingaben: list[BewertungEingabe] = field(default_factory=list)
    aenderungen: list[Aenderung] = field(default_factory=list)

    _zahl = staticmethod(tausender)

    def _aktionen(self) -> list[Aenderung]:
        return self.aenderungen


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


class _Abbruch(Exception):
    """Rolls the unit of work back (dry run)."""


def import_bewertungen(engine: Engine, path: Path, *, benutzer: rechte.Benutzer | None,
                       quartal: str | None = None, dry_run: bool = False) -> ImportResult:
    """Validate the whole file, then write all rows in one unit of work (nothing on any error).
    Only the Kreis-Administration (the command line acts as one). With dry_run the changes are
    computed in a unit of work that is rolled back.
    """
    rechte.pruefe_kreisweit(benutzer, "Bewertungen per Import")
    path = Path(path)
    result = read_bewertungen(path, quartal, katalog=load_katalog(engine))
    result.dry_run = dry_run
    if result.fehler:
        return result
    try:
        with schreiben(engine, benutzer.name, f"Import {path.name}") as uow:
            result.aenderungen = _apply(uow, result.eingaben)
            if dry_run:
                raise _Abbruch
    except _Abbruch:
        return result
    result.geschrieben = bool(result.aenderungen)
    return result


def _apply(uow: Arbeitseinheit, eingaben: list[BewertungEingabe]) -> list[Aenderung]:
    """apply_bewertungen without the empty template rows that have no Bewertung yet."""
    quartale = {e.quartal for e in eingaben}
    vorhanden = {tuple(row) for row in uow.session.execute(
        select(Bewertung.verwaltung_key, Bewertung.merkmal_key, Bewertung.quartal)
        .where(Bewertung.quartal.in_(quartale)))}
    zu_schreiben = [e for e in eingaben
                    if (e.verwaltung_key, e.merkmal_key, e.quartal) in vorhanden
                    or not _eingabe_leer(e)]
    return apply_bewertungen(uow, zu_schreiben)


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
    out.write_bytes(csv_bytes(list(SPALTEN.values()),
                              ([_csv_zelle(zeile[feld]) for feld in SPALTEN] for zeile in zeilen)))


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
    datenblatt(sheet, SPALTEN, zeilen, SPALTENBREITEN,
               {"quartal": "@", "verwaltung_key": "@", "stand": "DD.MM.YYYY"})  # "@": leading 0
    for feld in ("quartal", "verwaltung_key"):  # new rows: text too
        spalte = get_column_letter(list(SPALTEN).index(feld) + 1)
        sheet.column_dimensions[spalte].number_format = "@"


def _add_auswahllisten(workbook: Workbook, sheet, zeilen: list[dict[str, object]],
                       katalog: Katalog) -> None:
    """Dropdowns for Stufe (per Merkmal) and Quelle; typing other values stays possible."""
    listen = workbook.create_sheet(LISTEN_BLATT)
    listen.sheet_state = "hidden"
    stufe_spalte = get_column_letter(list(SPALTEN).index("stufe") + 1)
    for index, merkmal in enumerate(katalog.merkmale.values(), start=1):
        formel = listen_spalte(listen, index, merkmal.key, [*merkmal.stufen, scales.KEINE_ANGABE])
        zellen = [f"{stufe_spalte}{reihe}" for reihe, z in enumerate(zeilen, start=2)
                  if z["merkmal"] == merkmal.key]
        if zellen:
            auswahlliste(sheet, formel, zellen)
    quelle_spalte = get_column_letter(list(SPALTEN).index("quelle") + 1)
    auswahlliste(sheet, werte_formel(scales.QUELLEN),
                 [f"{quelle_spalte}2:{quelle_spalte}{len(zeilen) + 500}"])


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
    hinweisblatt(sheet, zeilen, fett={"Merkmal", "Verwaltungsschlüssel", "Erlaubte Quellen",
                                      "Datenquellen", "So füllen Sie das Blatt „Bewertungen“ aus",
                                      titel}, breiten=(28, 36, 8, 70))
    sheet.column_dimensions["D"].alignment = Alignment(wrap_text=True)


def format_aenderung(aenderung: Aenderung) -> str:
    """e.g. "geändert 034590024/e_akte/2026-Q3: stufe 2 -> 3" (ASCII arrow for any console)."""
    felder = ", ".join(f"{feld} {_kurz(alt)} -> {_kurz(neu)}"
                       for feld, (alt, neu) in aenderung.felder.items())
    return f"{aenderung.aktion} {aenderung.schluessel}: {felder}"


def _kurz(value: object) -> str:
    return "leer" if value is None else anzeige(value)
