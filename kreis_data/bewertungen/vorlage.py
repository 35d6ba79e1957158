"""The wide Excel template: one row per Verwaltung, one column per Merkmal (Stufe as label).

Download (`vorlage_xlsx`) -> fill in Excel (dropdowns with the allowed labels) -> upload:
`pruefe_vorlage` validates every cell with the shared validation core
(``bewertungen.regeln.validate_zeilen``, one Rohzeile per cell) and returns a preview of all
changes or ALL German errors; `schreibe_vorlage` writes everything or nothing, refusing stale
previews (``fehler.Veraltet``) and Verwaltungen the person may not edit (``NichtErlaubt``).
Only the Stufe travels through the template; Quelle, Stand and Bemerkung of unchanged cells stay
as they are, changed cells get Quelle (default "Selbstauskunft"), Stand = today, Erfasst von.
"""
from __future__ import annotations

import datetime as dt
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from sqlalchemy import Engine, select

from kreis_data import scales
from kreis_data.arbeitseinheit import Aenderung, schreiben
from kreis_data.bewertungen.lesen import Schluessel, katalog_from_session
from kreis_data.bewertungen.regeln import (
    BewertungEingabe,
    Katalog,
    Rohzeile,
    schluessel_text,
    validate_zeilen,
)
from kreis_data.bewertungen.schreiben import apply_bewertungen, pruefe_versionen
from kreis_data.database import read_session
from kreis_data.fehler import NichtErlaubt, Ungueltig
from kreis_data.io.excel import als_bytes, auswahlliste, hinweisblatt, listen_spalte
from kreis_data.io.tabelle import (
    DateiFehler,
    Fehler,
    anzeige,
    escape_formula,
    ist_leer,
    norm_spaltenname,
    read_tabelle,
)
from kreis_data.konten.regeln import Benutzer, darf_bearbeiten, pruefe_angemeldet, pruefe_bearbeiten
from kreis_data.model import Bewertung
from kreis_data.quartal import Quartal

BLATT = "Vorlage"
SKALA_BLATT = "Hinweise"  # scale explanation + Verwaltungen (named in error messages)
LISTEN_BLATT = "Auswahllisten"
FESTE_SPALTEN = {"quartal": "Quartal", "verwaltung_key": "Verwaltungsschlüssel",
                 "verwaltung_name": "Verwaltung"}


# --- Download ------------------------------------------------------------------------------------
def vorlage_xlsx(engine: Engine, quartal: str, verwaltungen: Iterable[str] | None = None) -> bytes:
    """The template of a quarter as .xlsx bytes (all Verwaltungen or only `verwaltungen`)."""
    quartal = str(Quartal.parse(quartal))
    with read_session(engine) as session:
        katalog = katalog_from_session(session)
        stufen = {(b.verwaltung_key, b.merkmal_key): b.stufe for b in session.scalars(
            select(Bewertung).where(Bewertung.quartal == quartal))}
    auswahl = set(verwaltungen) if verwaltungen is not None else None
    keys = [k for k in katalog.verwaltungen if auswahl is None or k in auswahl]
    merkmale = list(katalog.merkmale.values())

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = BLATT
    sheet.append([*FESTE_SPALTEN.values(), *(m.name for m in merkmale)])
    for zelle in sheet[1]:
        zelle.font = Font(bold=True)
        zelle.alignment = Alignment(wrap_text=True, vertical="top")
    for key in keys:
        sheet.append([quartal, key, escape_formula(katalog.verwaltungen[key]),
                      *(escape_formula(m.label(stufen.get((key, m.key)))) for m in merkmale)])
    for spalte in (1, 2):
        for (zelle,) in sheet.iter_rows(min_row=2, min_col=spalte, max_col=spalte):
            zelle.number_format = "@"  # text: keeps the leading zero
    sheet.column_dimensions["A"].width = 10
    sheet.column_dimensions["B"].width = 20
    sheet.column_dimensions["C"].width = 40
    for index in range(len(FESTE_SPALTEN) + 1, len(FESTE_SPALTEN) + len(merkmale) + 1):
        sheet.column_dimensions[get_column_letter(index)].width = 28
    sheet.freeze_panes = "D2"

    listen = workbook.create_sheet(LISTEN_BLATT)
    listen.sheet_state = "hidden"
    letzte = max(len(keys) + 1, 2)
    for index, merkmal in enumerate(merkmale, start=1):
        formel = listen_spalte(listen, index, merkmal.key, [*merkmal.stufen, scales.KEINE_ANGABE])
        ziel = get_column_letter(len(FESTE_SPALTEN) + index)
        auswahlliste(sheet, formel, [f"{ziel}2:{ziel}{letzte}"], showErrorMessage=True,
                     errorStyle="warning", errorTitle="Unbekannte Stufe",
                     error=f"Bitte eine Stufe aus der Liste wählen ({merkmal.name}).")
    _skala_blatt(workbook.create_sheet(SKALA_BLATT), merkmale, quartal, katalog)
    return als_bytes(workbook)


def _skala_blatt(sheet, merkmale: list[scales.Merkmal], quartal: str, katalog: Katalog) -> None:
    titel = f"Vorlage Digitalisierungsstand – {Quartal.parse(quartal).label}"
    zeilen: list[tuple[object, ...]] = [
        (titel,),
        (f"Ausgegeben am {dt.date.today().strftime('%d.%m.%Y')}",),
        (),
        ("So füllen Sie die Vorlage aus",),
        ("Eine Zeile je Verwaltung, eine Spalte je Merkmal. Wählen Sie in jeder Zelle die "
         "zutreffende Stufe aus der Liste. Leer oder „keine Angabe“, wenn nichts bekannt ist.",),
        ("Ändern Sie Quartal, Verwaltungsschlüssel und Spaltenköpfe nicht. Beim Hochladen zeigt "
         "der IKZ-Monitor zuerst eine Vorschau aller Änderungen und aller Fehler; gespeichert "
         "wird erst nach Ihrer Bestätigung und nur, wenn die ganze Datei fehlerfrei ist.",),
        ("„keine Angabe“ ist keine Stufe und zählt nicht als Stufe 0.",),
        (),
        ("Merkmal", "Stufe", "Bedeutung", "Beschreibung"),
    ]
    for merkmal in merkmale:
        for stufe, label in enumerate(merkmal.stufen):
            zeilen.append((merkmal.name, stufe, label, merkmal.beschreibung if stufe == 0 else ""))
        zeilen.append((merkmal.name, "–", scales.KEINE_ANGABE, ""))
    zeilen += [(), ("Verwaltungsschlüssel", "", "Verwaltung")]
    zeilen += [(key, "", name) for key, name in katalog.verwaltungen.items()]
    hinweisblatt(sheet, zeilen, fett={titel, "So füllen Sie die Vorlage aus", "Merkmal",
                                      "Verwaltungsschlüssel"}, breiten=(36, 8, 55, 60))


# --- Upload: preview -----------------------------------------------------------------------------
@dataclass
class Vorschau:
    """Result of checking an uploaded template; nothing has been written."""

    datei: str
    quartal: str
    fehler: list[Fehler] = field(default_factory=list)
    eingaben: list[BewertungEingabe] = field(default_factory=list)  # only changed cells
    aenderungen: list[dict[str, object]] = field(default_factory=list)  # for display
    gesehen: dict[Schluessel, int | None] = field(default_factory=dict)
    zellen: int = 0

    @property
    def ok(self) -> bool:
        return not self.fehler

    def meldungen(self) -> list[str]:
        return [str(f) for f in self.fehler]


def pruefe_vorlage(engine: Engine, daten: bytes | Path, dateiname: str, quartal: str,
                   benutzer: Benutzer | None, *, quelle: str = "Selbstauskunft") -> Vorschau:
    """Read and validate an uploaded template; returns the preview or all errors."""
    quartal = str(Quartal.parse(quartal))
    name = Path(dateiname).name
    vorschau = Vorschau(name, quartal)
    try:
        tabelle = _lies(daten, name)
    except DateiFehler as exc:
        vorschau.fehler.append(Fehler(name, None, None, str(exc).removeprefix(f"{name}: ")))
        return vorschau
    with read_session(engine) as session:
        katalog = katalog_from_session(session)
        bestand = {(b.verwaltung_key, b.merkmal_key): b for b in session.scalars(
            select(Bewertung).where(Bewertung.quartal == quartal))}
    spalten = _kopf(tabelle.kopf, katalog, name, vorschau.fehler)
    if not tabelle.zeilen:
        vorschau.fehler.append(Fehler(name, None, None, "die Datei enthält keine Datenzeilen"))
    if vorschau.fehler:
        return vorschau

    zeilen: list[Rohzeile] = []
    for nummer, zellen in tabelle.zeilen:
        fest = {feld: _zelle(zellen, index) for feld, index in spalten["fest"].items()}
        for index, (merkmal, kopf) in spalten["merkmale"].items():
            zeilen.append(Rohzeile(nummer, {**fest, "merkmal": merkmal.key,
                                            "stufe": _zelle(zellen, index)},
                                   spalten={"stufe": kopf}))
    vorschau.zellen = len(zeilen)
    eingaben, fehler = validate_zeilen(zeilen, katalog, datei=name, quartal=quartal)
    vorschau.fehler = list(dict.fromkeys(fehler))  # a bad key would repeat once per Merkmal
    if vorschau.fehler:
        return vorschau

    heute = dt.date.today()
    wer = benutzer.name if benutzer else None
    for eingabe in eingaben:
        alt = bestand.get((eingabe.verwaltung_key, eingabe.merkmal_key))
        alte_stufe = alt.stufe if alt else None
        if alt is None and eingabe.stufe is None:
            continue  # empty cell, nothing stored: not a change
        if alt is not None and alt.stufe == eingabe.stufe:
            continue  # unchanged cells are not written, so they need no version guard
        vorschau.gesehen[(eingabe.verwaltung_key, eingabe.merkmal_key, quartal)] = (
            alt.version if alt else None)
        merkmal = katalog.merkmale[eingabe.merkmal_key]
        vorschau.eingaben.append(replace(
            eingabe, quelle=quelle, stand=heute, erfasst_von=wer,
            bemerkung=alt.bemerkung if alt else None))
        vorschau.aenderungen.append({
            "Verwaltung": katalog.verwaltungen[eingabe.verwaltung_key],
            "Verwaltungsschlüssel": eingabe.verwaltung_key, "Merkmal": merkmal.name,
            "bisher": merkmal.kurzlabel(alte_stufe) if alt else "(kein Eintrag)",
            "neu": merkmal.kurzlabel(eingabe.stufe)})
    erste_zeile: dict[str, int] = {}
    for roh in zeilen:
        erste_zeile.setdefault(schluessel_text(roh.werte.get("verwaltung_key")), roh.zeile)
    for key in dict.fromkeys(e.verwaltung_key for e in vorschau.eingaben):
        if darf_bearbeiten(benutzer, key):
            continue
        try:
            pruefe_bearbeiten(benutzer, key, katalog.verwaltungen)
        except NichtErlaubt as exc:
            vorschau.fehler.append(Fehler(name, erste_zeile.get(key),
                                          FESTE_SPALTEN["verwaltung_key"], str(exc)))
    if vorschau.fehler:  # only changed cells count: unchanged foreign rows may stay in the file
        vorschau.eingaben, vorschau.aenderungen, vorschau.gesehen = [], [], {}
    return vorschau


def _lies(daten: bytes | Path, name: str):
    if isinstance(daten, Path):
        return read_tabelle(daten, BLATT)
    suffix = Path(name).suffix.lower() or ".xlsx"
    with tempfile.TemporaryDirectory() as ordner:
        path = Path(ordner) / f"upload{suffix}"
        path.write_bytes(daten)
        tabelle = read_tabelle(path, BLATT)
    tabelle.datei = name
    return tabelle


def _zelle(zellen, index: int) -> object:
    return zellen[index] if index < len(zellen) else None


def _kopf(kopf: list[object], katalog: Katalog, datei: str,
          fehler: list[Fehler]) -> dict[str, dict]:
    """Map header cells: fixed columns by name, every other column must be a Merkmal."""
    fest_norm = {norm_spaltenname(t): f for f, t in FESTE_SPALTEN.items()}
    fest: dict[str, int] = {}
    merkmale: dict[int, tuple[scales.Merkmal, str]] = {}
    gesehen: dict[str, str] = {}
    for index, zelle in enumerate(kopf):
        if ist_leer(zelle):
            continue
        text = anzeige(zelle).strip()
        if (feld := fest_norm.get(norm_spaltenname(text))) is not None:
            fest.setdefault(feld, index)
            continue
        merkmal = katalog.find_merkmal(text)
        if merkmal is None:
            erlaubt = ", ".join(m.name for m in katalog.merkmale.values())
            fehler.append(Fehler(datei, 1, text, f"„{text}“ ist kein Merkmal dieses "
                                                 f"Arbeitsbereichs – erlaubt sind {erlaubt}"))
            continue
        if merkmal.key in gesehen:
            fehler.append(Fehler(datei, 1, text, f"das Merkmal {merkmal.name} steht doppelt in "
                                                 f"der Kopfzeile (auch als „{gesehen[merkmal.key]}“)"))
            continue
        gesehen[merkmal.key] = text
        merkmale[index] = (merkmal, text)
    if "verwaltung_key" not in fest:
        fehler.append(Fehler(datei, 1, None, "die Spalte „Verwaltungsschlüssel“ fehlt – bitte "
                                             "die Vorlage aus dem IKZ-Monitor verwenden"))
    if not merkmale:
        fehler.append(Fehler(datei, 1, None, "keine Merkmal-Spalte gefunden – erwartet werden "
                                             "Spalten wie „E-Akte“ oder „Online-Portal“"))
    return {"fest": fest, "merkmale": merkmale}


# --- Upload: write -------------------------------------------------------------------------------
def schreibe_vorlage(engine: Engine, vorschau: Vorschau,
                     benutzer: Benutzer | None) -> list[Aenderung]:
    """Write a checked preview in ONE unit of work, all or nothing.

    Refuses with Ungueltig if the preview has errors, NichtErlaubt for a Verwaltung the person
    may not edit, Veraltet if any cell changed since the preview was made.
    """
    if vorschau.fehler:
        raise Ungueltig("Die Datei enthält Fehler – es wurde nichts gespeichert.")
    pruefe_angemeldet(benutzer)
    with schreiben(engine, benutzer.name, f"Excel-Vorlage {vorschau.datei}") as uow:
        katalog = katalog_from_session(uow.session)
        for key in sorted({e.verwaltung_key for e in vorschau.eingaben}):
            pruefe_bearbeiten(benutzer, key, katalog.verwaltungen)
        pruefe_versionen(uow.session, vorschau.gesehen,
                         {k: m.name for k, m in katalog.merkmale.items()}, katalog.verwaltungen)
        return apply_bewertungen(uow, vorschau.eingaben)
