"""Anbindungen export and import (.xlsx / .csv): one row per Verwaltung x Leistung of a quarter.

Same style as ``bewertungen.austausch`` and built from the same kreis_data.io pieces (file
reading, header mapping, import result, .xlsx/.csv writing): the export doubles as the template
(importing an unchanged export changes nothing); an import reads the whole file, checks every row
and collects ALL errors (German, with file, row as seen in Excel, column, bad value and what is
allowed); if any row is invalid nothing is written, otherwise all rows are written in one
unit of work with their audit entries (through ``efa.schreiben.apply_anbindung``, so the
import obeys exactly the rules of the edit form).
"""
from __future__ import annotations

import datetime as dt
import difflib
import json
from dataclasses import dataclass, field
from pathlib import Path

from openpyxl import Workbook
from openpyxl.utils import get_column_letter
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from kreis_data import scales, textregeln
from kreis_data.arbeitseinheit import Aenderung, Arbeitseinheit, schreiben
from kreis_data.bewertungen.regeln import (
    Katalog,
    parse_quartal,
    parse_text,
    parse_verwaltung,
)
from kreis_data.database import read_session
from kreis_data.efa.lesen import vollzug_rows
from kreis_data.efa.regeln import (
    NICHT_ANGEBUNDEN,
    NICHT_ZUSTAENDIG,
    parse_hindernis,
    parse_status,
    zustaendig,
)
from kreis_data.efa.schreiben import BEMERKUNG_MAX, apply_anbindung
from kreis_data.fehler import Ungueltig
from kreis_data.io.ergebnis import ImportErgebnis
from kreis_data.io.excel import (
    als_bytes,
    auswahlliste,
    csv_bytes,
    datenblatt,
    werte_formel,
    xlsx_wert,
)
from kreis_data.io.kopf import map_kopf
from kreis_data.io.tabelle import (
    DATUMSFORMAT,
    Fehler,
    anzeige,
    ist_leer,
    read_tabelle,
    unescape_formula,
)
from kreis_data.konten import regeln as rechte
from kreis_data.model import Anbindung, Kreis, Leistung, Meta, Verwaltung
from kreis_data.quartal import Quartal, pruefe_quartal

SPALTEN: dict[str, str] = {
    "quartal": "Quartal",
    "verwaltung_key": "Verwaltungsschlüssel",
    "verwaltung_name": "Verwaltung",
    "leistung": "Leistung",
    "themenfeld": "Themenfeld",
    "status": "Status",
    "live_seit": "Live seit",
    "hindernis": "Hindernis",
    "bemerkung": "Bemerkung",
}
INFORMATIVE_FELDER = frozenset({"verwaltung_name", "themenfeld"})  # exported, ignored on import
SPALTENBREITEN = {"quartal": 10, "verwaltung_key": 22, "verwaltung_name": 34, "leistung": 50,
                  "themenfeld": 30, "status": 18, "live_seit": 11, "hindernis": 32,
                  "bemerkung": 50}
BLATT = "Anbindungen"
HINWEISE_BLATT = "Hinweise"


# --- Export ------------------------------------------------------------------------------------
def export_zeilen(session: Session, quartal: str) -> list[dict[str, object]]:
    """Rows (field -> value) of the quarter: every pair responsible by Vollzug, plus every stored
    row; a responsible pair without a row is exported as "nicht angebunden"."""
    quartal = str(Quartal.parse(quartal))
    ebenen = {r["leistung_id"]: r["ebene"] for r in vollzug_rows(session)}
    gespeichert = {(a.verwaltung_key, a.leistung_id): a for a in
                   session.scalars(select(Anbindung).where(Anbindung.quartal == quartal))}
    leistungen = list(session.scalars(select(Leistung).order_by(Leistung.themenfeld,
                                                                Leistung.name)))
    zeilen = []
    for verwaltung in session.scalars(select(Verwaltung).order_by(Verwaltung.key)):
        for leistung in leistungen:
            row = gespeichert.get((verwaltung.key, leistung.id))
            if row is None and not zustaendig(ebenen.get(leistung.id),
                                              verwaltung.vollzugsebenen):
                continue
            zeilen.append({
                "quartal": quartal, "verwaltung_key": verwaltung.key,
                "verwaltung_name": verwaltung.name, "leistung": leistung.name,
                "themenfeld": leistung.themenfeld,
                "status": row.status if row is not None else NICHT_ANGEBUNDEN,
                "live_seit": row.live_seit if row is not None else None,
                "hindernis": row.hindernis if row is not None else None,
                "bemerkung": row.bemerkung if row is not None else None,
            })
    return zeilen


def export_anbindungen(engine: Engine, quartal: str, out: Path) -> int:
    """Write the quarter's Anbindungen to .xlsx or .csv; returns the number of rows."""
    out = Path(out)
    format = out.suffix.lower().lstrip(".")
    if format not in ("xlsx", "csv"):
        raise ValueError(f"Dateiendung „{out.suffix}“ wird nicht unterstützt – erlaubt sind "
                         ".xlsx (Excel) und .csv")
    data, anzahl = _export(engine, quartal, format)
    out.write_bytes(data)
    return anzahl


def export_bytes(engine: Engine, quartal: str, format: str = "xlsx") -> bytes:
    """The export as bytes ("xlsx" or "csv"), e.g. for a download button."""
    return _export(engine, quartal, format)[0]


def _export(engine: Engine, quartal: str, format: str) -> tuple[bytes, int]:
    quartal = str(Quartal.parse(quartal))
    with read_session(engine) as session:
        zeilen = export_zeilen(session, quartal)
        kreis = session.scalar(select(Kreis.name)) or ""
        meta = {m.key: json.loads(m.value) for m in session.scalars(select(Meta))}
    if format == "csv":
        return _csv_bytes(zeilen), len(zeilen)
    return _xlsx_bytes(zeilen, kreis, quartal, bool(meta.get("demo"))), len(zeilen)


def _csv_bytes(zeilen: list[dict[str, object]]) -> bytes:
    return csv_bytes(list(SPALTEN.values()),
                     (["" if zeile[f] is None else xlsx_wert(str(zeile[f])) for f in SPALTEN]
                      for zeile in zeilen))


def _xlsx_bytes(zeilen: list[dict[str, object]], kreis: str, quartal: str, demo: bool) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = BLATT
    datenblatt(sheet, SPALTEN, zeilen, SPALTENBREITEN,
               dict.fromkeys(("verwaltung_key", "quartal", "live_seit"), "@"))
    ende = len(zeilen) + 500
    for feld, werte in (("status", scales.ANBINDUNG_STATUS), ("hindernis", scales.HINDERNISSE)):
        buchstabe = get_column_letter(list(SPALTEN).index(feld) + 1)
        auswahlliste(sheet, werte_formel(werte), [f"{buchstabe}2:{buchstabe}{ende}"])
    hinweise = workbook.create_sheet(HINWEISE_BLATT)
    texte = [f"Anbindungen {kreis} – Quartal {quartal}",
             f"Stand der Ausgabe: {dt.date.today().strftime(DATUMSFORMAT)}"]
    if demo:
        texte.append("Demo-Daten (fiktiv)")
    texte += [
        "",
        "Eine Zeile je Verwaltung und zuständiger Leistung. Ändern Sie nur Status, Live seit, "
        "Hindernis und Bemerkung; Verwaltung und Themenfeld dienen nur der Orientierung.",
        f"Status: {', '.join(scales.ANBINDUNG_STATUS)}.",
        "Live seit: Quartal JJJJ-QN (z. B. 2025-Q4), nur bei Status „live“; leer = dieses "
        "Quartal bzw. das bisher bekannte.",
        f"Hindernis (nur bei nicht live geschalteten Anbindungen): "
        f"{', '.join(scales.HINDERNISSE)} oder leer.",
        "Wer eine Leistung vollzieht (Gemeinde oder Kreis), steht im Katalog der Leistungen; "
        "nicht zuständige Verwaltungen können nur „nicht zuständig“ erhalten.",
        "Text, der mit =, +, - oder @ beginnt, wird mit einem vorangestellten ' ausgegeben, "
        "damit Excel ihn nicht als Formel ausführt; beim Import wird das ' wieder entfernt.",
    ]
    for text in texte:
        hinweise.append([xlsx_wert(text)])
    hinweise.column_dimensions["A"].width = 120
    return als_bytes(workbook)


# --- Import ------------------------------------------------------------------------------------
@dataclass
class AnbindungenImport(ImportErgebnis):
    """Result of an Anbindungen import; summary e.g. "2 Anbindungen geändert, 1 neu angelegt"."""

    EINHEIT = ("Anbindung", "Anbindungen")

    aenderungen: list[Aenderung] = field(default_factory=list)

    def _aktionen(self) -> list[Aenderung]:
        return self.aenderungen


@dataclass(frozen=True)
class _Zeile:
    zeile: int
    quartal: str
    verwaltung_key: str
    leistung_id: int
    status: str
    live_seit: str | None
    hindernis: str | None
    bemerkung: str | None


def _parse_leistung(value: object, leistungen: dict[str, int]) -> int:
    if ist_leer(value):
        raise ValueError("Leistung fehlt – erwartet wird der Name aus dem Katalog")
    text = str(value).strip()
    for name, leistung_id in leistungen.items():
        if name.casefold() == text.casefold():
            return leistung_id
    meldung = f"„{text}“ ist keine Leistung im Katalog"
    nahe = difflib.get_close_matches(text, list(leistungen), n=1)
    if nahe:
        meldung += f" – meinten Sie „{nahe[0]}“?"
    raise ValueError(f"{meldung} Erlaubt sind die {len(leistungen)} Namen aus dem Katalog "
                     "(Seite EfA-Nachnutzung, Reiter Katalog)")


def _parse_live_seit(value: object) -> str | None:
    if ist_leer(value):
        return None
    try:
        return str(pruefe_quartal(value))
    except ValueError as exc:
        raise ValueError(f"„{anzeige(value)}“: {exc}") from None


def read_anbindungen(session: Session, path: Path, quartal: str | None = None
                     ) -> tuple[AnbindungenImport, list[_Zeile]]:
    """Read and check every field of every row (no database writes)."""
    tabelle = read_tabelle(Path(path), BLATT)  # DateiFehler if unreadable
    ergebnis = AnbindungenImport(tabelle.datei, gelesen=len(tabelle.zeilen))
    if not tabelle.kopf:
        ergebnis.fehler.append(Fehler(tabelle.datei, None, None, (
            "die Datei ist leer – erwartet wird eine Kopfzeile mit den Spalten "
            f"{', '.join(SPALTEN.values())} und darunter eine Zeile je Anbindung")))
        return ergebnis, []
    spalten, kopf_fehler, ergebnis.hinweise = map_kopf(
        tabelle.kopf, SPALTEN, tabelle.datei, pflicht=set(SPALTEN) - INFORMATIVE_FELDER)
    ergebnis.fehler += kopf_fehler
    if not tabelle.zeilen:
        ergebnis.fehler.append(Fehler(tabelle.datei, None, None,
                                      "die Datei enthält keine Datenzeilen, nur die Kopfzeile"))
    if ergebnis.fehler:
        return ergebnis, []
    katalog = Katalog({v.key: v.name for v in session.scalars(select(Verwaltung))}, {})
    leistungen = {leistung.name: leistung.id for leistung in session.scalars(select(Leistung))}
    zeilen: list[_Zeile] = []
    erste: dict[tuple[str, int, str], int] = {}
    for nummer, zellen in tabelle.zeilen:
        def wert(feld: str, zellen=zellen):
            index = spalten.get(feld)
            value = zellen[index] if index is not None and index < len(zellen) else None
            return unescape_formula(value) if isinstance(value, str) else value

        anzahl = len(ergebnis.fehler)
        werte = {}
        for feld, parse in (
                ("quartal", lambda v: parse_quartal(v, quartal)),
                ("verwaltung_key", lambda v: parse_verwaltung(v, katalog, wert("verwaltung_name"))),
                ("leistung", lambda v: _parse_leistung(v, leistungen)),
                ("status", parse_status), ("live_seit", _parse_live_seit),
                ("hindernis", parse_hindernis),
                ("bemerkung", lambda v: parse_text(v, "Bemerkung", BEMERKUNG_MAX))):
            try:
                werte[feld] = parse(textregeln.pruefe_zelle(wert(feld)))
            except ValueError as exc:
                ergebnis.fehler.append(Fehler(tabelle.datei, nummer, SPALTEN[feld], str(exc)))
        if len(ergebnis.fehler) > anzahl:
            continue
        key = (werte["verwaltung_key"], werte["leistung"], werte["quartal"])
        if key in erste:
            ergebnis.fehler.append(Fehler(tabelle.datei, nummer, None, (
                f"doppelte Zeile – Verwaltung {key[0]}, Leistung „{wert('leistung')}“, Quartal "
                f"{key[2]} steht schon in Zeile {erste[key]}; jede Kombination darf nur einmal "
                "vorkommen")))
            continue
        erste[key] = nummer
        zeilen.append(_Zeile(nummer, werte["quartal"], werte["verwaltung_key"],
                             werte["leistung"], werte["status"], werte["live_seit"],
                             werte["hindernis"], werte["bemerkung"]))
    return ergebnis, zeilen


def _apply(uow: Arbeitseinheit, ergebnis: AnbindungenImport, zeilen: list[_Zeile]) -> None:
    """Write row by row through apply_anbindung; rule violations become row errors."""
    session = uow.session
    ebenen = {r["leistung_id"]: r["ebene"] for r in vollzug_rows(session)}
    verwaltungen = {v.key: v for v in session.scalars(select(Verwaltung))}
    vorhanden = {tuple(r) for r in session.execute(select(
        Anbindung.verwaltung_key, Anbindung.leistung_id, Anbindung.quartal))}
    for z in zeilen:
        vorgabe = (NICHT_ANGEBUNDEN if zustaendig(ebenen.get(z.leistung_id),
                                                  verwaltungen[z.verwaltung_key].vollzugsebenen)
                   else NICHT_ZUSTAENDIG)
        if ((z.verwaltung_key, z.leistung_id, z.quartal) not in vorhanden
                and z.status == vorgabe and z.hindernis is None and z.bemerkung is None):
            continue  # template row without content: nothing to store
        try:
            aenderung = apply_anbindung(
                uow, z.verwaltung_key, z.leistung_id, z.quartal, z.status, z.hindernis,
                bemerkung=z.bemerkung, live_seit=z.live_seit, vollzug=ebenen)
        except Ungueltig as exc:
            for meldung in exc.fehler:
                ergebnis.fehler.append(Fehler(ergebnis.datei, z.zeile, None, meldung))
            continue
        if aenderung.geaendert:
            ergebnis.aenderungen.append(aenderung)


class _Abbruch(Exception):
    """Rolls the unit of work back (errors found, or a dry run)."""


def import_anbindungen(engine: Engine, path: Path, *, benutzer: rechte.Benutzer | None,
                       quartal: str | None = None, dry_run: bool = False) -> AnbindungenImport:
    """Check the whole file, then write all rows in one unit of work; nothing on any error.
    Only the Kreis-Administration (the command line acts as one).

    Rows whose fields are valid are also checked against the rules of the edit form
    (Zuständigkeit, Hindernis only when not live) inside a transaction that is rolled back when
    any row has an error, so the user gets every error of the file at once.
    """
    rechte.pruefe_kreisweit(benutzer, "Anbindungen per Excel-Import")
    path = Path(path)
    with read_session(engine) as session:
        ergebnis, zeilen = read_anbindungen(session, path, quartal)
    ergebnis.dry_run = dry_run
    if not zeilen:
        return ergebnis
    try:
        with schreiben(engine, benutzer.name, f"Import {path.name}") as uow:
            _apply(uow, ergebnis, zeilen)
            if ergebnis.fehler or dry_run:
                raise _Abbruch  # roll back: all or nothing
    except _Abbruch:
        if ergebnis.fehler:
            ergebnis.fehler.sort(key=lambda f: (f.zeile or 0))
            ergebnis.aenderungen = []
        return ergebnis
    ergebnis.geschrieben = bool(ergebnis.aenderungen)
    return ergebnis
