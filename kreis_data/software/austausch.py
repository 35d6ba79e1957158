"""Excel import/export of products (Verwaltung x Domäne) and standard support
(Verwaltung x Standard), in the style of ``bewertungen.austausch``.

The workbook has a sheet "Produkte" (Verwaltungsschlüssel, Verwaltung, Domäne, Produkt) and a
sheet "Standards" (Verwaltungsschlüssel, Verwaltung, Standard, Unterstützung), plus "Hinweise".
The export lists every Verwaltung x Domäne and Verwaltung x Standard and doubles as the
template: importing an unchanged export changes nothing. A .csv holds one of the two tables
(recognised by its columns).

An import reads everything, validates every row, collects all errors (German, naming file,
sheet, row as seen in Excel, column, bad value and what is allowed) and writes nothing if any row
is invalid; otherwise all rows are written in one unit of work with their audit entries.
Product names not yet in the catalog are added to it (and reported).
"""
from __future__ import annotations

import difflib
import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from openpyxl import Workbook
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from kreis_data import scales, textregeln
from kreis_data.arbeitseinheit import Aenderung, schreiben
from kreis_data.bewertungen.regeln import schluessel_text
from kreis_data.database import read_session
from kreis_data.fehler import Abgelehnt
from kreis_data.io.ergebnis import ImportErgebnis
from kreis_data.io.excel import (
    auswahlliste,
    datenblatt,
    hinweisblatt,
    listen_spalte,
    werte_formel,
)
from kreis_data.io.kopf import map_kopf
from kreis_data.io.tabelle import (
    Fehler,
    Tabelle,
    anzeige,
    blattnamen,
    ist_leer,
    norm_spaltenname,
    read_tabelle,
    unescape_formula,
)
from kreis_data.konten import regeln as rechte
from kreis_data.model import Produkt, ProduktEinsatz, StandardUnterstuetzung, Verwaltung
from kreis_data.software.regeln import (
    pruefe_domaene,
    pruefe_produktname,
    pruefe_standard,
    pruefe_wert,
)
from kreis_data.software.schreiben import apply_produkt, apply_standard

PRODUKTE_BLATT = "Produkte"
STANDARDS_BLATT = "Standards"
HINWEISE_BLATT = "Hinweise"
LISTEN_BLATT = "Listen"

PRODUKTE_SPALTEN = {"verwaltung_key": "Verwaltungsschlüssel", "verwaltung_name": "Verwaltung",
                    "domaene": "Domäne", "produkt": "Produkt"}
STANDARDS_SPALTEN = {"verwaltung_key": "Verwaltungsschlüssel", "verwaltung_name": "Verwaltung",
                     "standard": "Standard", "wert": "Unterstützung"}
INFORMATIVE_FELDER = frozenset({"verwaltung_name"})  # exported, ignored on import
BREITEN = {"verwaltung_key": 22, "verwaltung_name": 36, "domaene": 30, "produkt": 40,
           "standard": 18, "wert": 16}


# --- Import ------------------------------------------------------------------------------------
@dataclass
class ImportResult(ImportErgebnis):
    """Result of a products import (both tables); new catalog names are counted in the summary."""

    ergebnisse: list[Aenderung] = field(default_factory=list)

    def _aktionen(self) -> list[Aenderung]:
        return self.ergebnisse

    def _bilanz(self, geaendert: int, neu: int, unveraendert: int) -> str:
        text = super()._bilanz(geaendert, neu, unveraendert)
        katalog = sum(len(e.weitere) for e in self.ergebnisse)
        return f"{text}; {katalog} neue Produktnamen im Katalog" if katalog else text


@dataclass(frozen=True)
class _ProduktZeile:
    zeile: int
    blatt: str
    verwaltung_key: str
    domaene: str
    produkt: str


@dataclass(frozen=True)
class _StandardZeile:
    zeile: int
    blatt: str
    verwaltung_key: str
    standard: str
    wert: str


def import_produkte(engine: Engine, path: Path, *,
                    benutzer: rechte.Benutzer | None) -> ImportResult:
    """Validate the whole file, then write all rows in one unit of work (nothing on any error).
    Only the Kreis-Administration (the command line acts as one)."""
    rechte.pruefe_kreisweit(benutzer, "Produkte per Excel-Import")
    path = Path(path)
    with read_session(engine) as session:
        verwaltungen = {v.key: v.name for v in session.scalars(select(Verwaltung))}
        vorhanden = {(e.verwaltung_key, e.domaene) for e in session.scalars(select(ProduktEinsatz))}
        katalog = [(p.domaene, p.name) for p in session.scalars(select(Produkt))]
        mit_standard = {(s.verwaltung_key, s.standard)
                        for s in session.scalars(select(StandardUnterstuetzung))}
    result, produkte, standards = read_produkte(path, verwaltungen, vorhanden)
    if result.fehler:
        return result
    # a missing entry already means "unbekannt": the unchanged template writes nothing
    standards = [z for z in standards
                 if z.wert != "unbekannt" or (z.verwaltung_key, z.standard) in mit_standard]
    result.hinweise += _katalog_hinweise(result.datei, produkte, katalog)
    try:
        with schreiben(engine, benutzer.name, f"Import {path.name}") as uow:
            for z in produkte:
                result.ergebnisse.append(apply_produkt(uow, z.verwaltung_key, z.domaene,
                                                       z.produkt))
            for z in standards:
                result.ergebnisse.append(apply_standard(uow, z.verwaltung_key, z.standard,
                                                        z.wert))
    except Abgelehnt as exc:  # e.g. a concurrent change; the unit of work was rolled back
        result.ergebnisse = []
        result.fehler.append(Fehler(result.datei, None, None, str(exc)))
        return result
    result.geschrieben = any(e.aktion != "unverändert" for e in result.ergebnisse)
    return result


def read_produkte(path: Path, verwaltungen: dict[str, str],
                  vorhanden: set[tuple[str, str]] = frozenset()
                  ) -> tuple[ImportResult, list[_ProduktZeile], list[_StandardZeile]]:
    """Read and validate; writes nothing. Raises DateiFehler if the file is unreadable.

    `vorhanden`: (Verwaltung, Domäne) pairs that already have a product (an empty Produkt cell
    there would mean deleting it, which the import does not do)."""
    path = Path(path)
    tabellen = _tabellen(path)
    result = ImportResult(path.name)
    produkte: list[_ProduktZeile] = []
    standards: list[_StandardZeile] = []
    if not tabellen:
        result.fehler.append(Fehler(path.name, None, None, (
            f"keine Tabelle gefunden – erwartet wird ein Blatt „{PRODUKTE_BLATT}“ mit den Spalten "
            f"{', '.join(PRODUKTE_SPALTEN.values())} und/oder ein Blatt „{STANDARDS_BLATT}“ mit "
            f"den Spalten {', '.join(STANDARDS_SPALTEN.values())}")))
        return result, produkte, standards
    for art, blatt, tabelle in tabellen:
        result.gelesen += len(tabelle.zeilen)
        ort = path.name if blatt is None else f"{path.name}, Blatt „{blatt}“"
        spalten_def = PRODUKTE_SPALTEN if art == "produkte" else STANDARDS_SPALTEN
        spalten, kopf_fehler, hinweise = map_kopf(tabelle.kopf, spalten_def, ort,
                                                  pflicht=set(spalten_def) - INFORMATIVE_FELDER)
        result.fehler += kopf_fehler + _fremde_spalten(tabelle, art, ort)
        result.hinweise += hinweise
        if kopf_fehler:
            continue
        gesehen: dict[tuple[str, str], int] = {}
        for nummer, zellen in tabelle.zeilen:
            werte = {f: _zelle(zellen, i) for f, i in spalten.items()}
            if art == "produkte":
                zeile = _pruefe_produkt_zeile(werte, nummer, ort, verwaltungen, vorhanden,
                                              result.fehler)
            else:
                zeile = _pruefe_standard_zeile(werte, nummer, ort, verwaltungen, result.fehler)
            if zeile is None or zeile == "leer":
                continue
            schluessel = (zeile.verwaltung_key,
                          zeile.domaene if art == "produkte" else zeile.standard)
            if schluessel in gesehen:
                result.fehler.append(Fehler(ort, nummer, None, (
                    f"doppelte Zeile – {schluessel[0]} / {schluessel[1]} steht schon in Zeile "
                    f"{gesehen[schluessel]}; jede Kombination darf nur einmal vorkommen")))
                continue
            gesehen[schluessel] = nummer
            (produkte if art == "produkte" else standards).append(zeile)
    if result.fehler:
        return result, [], []
    return result, produkte, standards


def _tabellen(path: Path) -> list[tuple[str, str | None, Tabelle]]:
    """(art, sheet name or None for CSV, Tabelle) for each table found in the file."""
    if path.suffix.lower() == ".xlsx":
        blaetter = blattnamen(path)  # DateiFehler if unreadable, hostile or over a limit
        gefunden = []
        for art, blatt in (("produkte", PRODUKTE_BLATT), ("standards", STANDARDS_BLATT)):
            if blatt in blaetter:
                gefunden.append((art, blatt, read_tabelle(path, blatt)))
        return gefunden
    tabelle = read_tabelle(path)  # .csv (or DateiFehler for other endings)
    kopf = {norm_spaltenname(z) for z in tabelle.kopf if not ist_leer(z)}
    if norm_spaltenname("Domäne") in kopf:
        return [("produkte", None, tabelle)]
    if norm_spaltenname("Standard") in kopf:
        return [("standards", None, tabelle)]
    return []


def _fremde_spalten(tabelle: Tabelle, art: str, ort: str) -> list[Fehler]:
    """A table with columns of the other table (e.g. Standard columns in a Produkte CSV) is
    refused: those columns would be ignored without a word."""
    andere = STANDARDS_SPALTEN if art == "produkte" else PRODUKTE_SPALTEN
    eigene_spalten = PRODUKTE_SPALTEN if art == "produkte" else STANDARDS_SPALTEN
    eigene = {norm_spaltenname(n) for n in eigene_spalten.values()}
    fremde = [str(z).strip() for z in tabelle.kopf if not ist_leer(z)
              and norm_spaltenname(z) in {norm_spaltenname(n) for n in andere.values()}
              and norm_spaltenname(z) not in eigene]
    if not fremde:
        return []
    wo = (f"ein Blatt „{PRODUKTE_BLATT if art == 'produkte' else STANDARDS_BLATT}“"
          if tabelle.datei.lower().endswith(".xlsx") else "eine CSV-Datei")
    liste = ", ".join(f"„{name}“" for name in fremde)
    return [Fehler(ort, 1, None, (
        f"die Spalten {liste} gehören zur Tabelle der "
        f"{'Standards' if art == 'produkte' else 'Produkte'} und würden hier nicht gelesen – "
        f"{wo} enthält nur eine Tabelle ({', '.join(eigene_spalten.values())}); "
        f"bitte die {'Standards' if art == 'produkte' else 'Produkte'} als eigene CSV-Datei oder "
        f"im Blatt „{STANDARDS_BLATT if art == 'produkte' else PRODUKTE_BLATT}“ einer "
        "Excel-Datei importieren"))]


def _zelle(zellen: Sequence[object], index: int) -> object:
    value = zellen[index] if index < len(zellen) else None
    return unescape_formula(value) if isinstance(value, str) else value


def _pruefe_verwaltung(value: object, verwaltungen: dict[str, str], ort: str, nummer: int,
                       fehler: list[Fehler]) -> str | None:
    spalte = PRODUKTE_SPALTEN["verwaltung_key"]
    if ist_leer(value):
        fehler.append(Fehler(ort, nummer, spalte, (
            "Verwaltungsschlüssel fehlt – erwartet wird der 9-stellige Regionalschlüssel (ARS) "
            "der Verwaltung bzw. der 5-stellige Kreisschlüssel für die Kreisverwaltung")))
        return None
    key = schluessel_text(value)
    if key not in verwaltungen:
        fehler.append(Fehler(ort, nummer, spalte, (
            f"„{anzeige(value)}“ ist keine Verwaltung dieses Kreises – erlaubt sind die Schlüssel "
            f"der {len(verwaltungen)} Verwaltungen im Arbeitsbereich (Liste im Blatt "
            f"„{HINWEISE_BLATT}“ der Vorlage)")))
        return None
    return key


def _pruefe(parse, value: object, ort: str, nummer: int, spalte: str,
            fehler: list[Fehler]) -> str | None:
    try:
        return parse(textregeln.pruefe_zelle(value))
    except ValueError as exc:  # Ungueltig is a ValueError, too
        fehler.append(Fehler(ort, nummer, spalte, str(exc)))
        return None


def _pruefe_produkt_zeile(werte: dict[str, object], nummer: int, ort: str,
                          verwaltungen: dict[str, str], vorhanden: set[tuple[str, str]],
                          fehler: list[Fehler]) -> _ProduktZeile | str | None:
    vorher = len(fehler)
    key = _pruefe_verwaltung(werte.get("verwaltung_key"), verwaltungen, ort, nummer, fehler)
    domaene = _pruefe(pruefe_domaene, werte.get("domaene"), ort, nummer,
                      PRODUKTE_SPALTEN["domaene"], fehler)
    produkt = None
    if ist_leer(werte.get("produkt")):
        if key and domaene and (key, domaene) in vorhanden:
            fehler.append(Fehler(ort, nummer, PRODUKTE_SPALTEN["produkt"], (
                f"Produkt ist leer, für {verwaltungen[key]} ({domaene}) ist aber ein Produkt "
                "erfasst – Löschen ist über den Import nicht möglich; bitte den Produktnamen "
                "eintragen")))
        elif len(fehler) == vorher:
            return "leer"  # template row without a product: nothing to write
    else:
        produkt = _pruefe(pruefe_produktname, werte.get("produkt"), ort, nummer,
                          PRODUKTE_SPALTEN["produkt"], fehler)
    if len(fehler) > vorher:
        return None
    return _ProduktZeile(nummer, ort, key, domaene, produkt)


def _pruefe_standard_zeile(werte: dict[str, object], nummer: int, ort: str,
                           verwaltungen: dict[str, str], fehler: list[Fehler]
                           ) -> _StandardZeile | None:
    vorher = len(fehler)
    key = _pruefe_verwaltung(werte.get("verwaltung_key"), verwaltungen, ort, nummer, fehler)
    standard = _pruefe(pruefe_standard, werte.get("standard"), ort, nummer,
                       STANDARDS_SPALTEN["standard"], fehler)
    wert = _pruefe(pruefe_wert, werte.get("wert"), ort, nummer,
                   STANDARDS_SPALTEN["wert"], fehler)
    if len(fehler) > vorher:
        return None
    return _StandardZeile(nummer, ort, key, standard, wert)


def _katalog_hinweise(datei: str, produkte: list[_ProduktZeile],
                      katalog: list[tuple[str, str]]) -> list[str]:
    """Notes for product names that are new to the catalog (with a close existing name)."""
    hinweise = []
    bekannt: dict[str, list[str]] = {}
    for domaene, name in katalog:
        bekannt.setdefault(domaene, []).append(name)
    gemeldet = set()
    for z in produkte:
        namen = bekannt.get(z.domaene, [])
        if textregeln.gleicher_name(z.produkt, namen) is not None:
            continue  # the catalog entry itself (case, spaces, NFKC do not matter)
        if (z.domaene, z.produkt) in gemeldet:
            continue
        gemeldet.add((z.domaene, z.produkt))
        text = f"{z.blatt}, Zeile {z.zeile}: „{z.produkt}“ ist neu und wird in den Katalog " \
               f"({z.domaene}) aufgenommen"
        nahe = difflib.get_close_matches(z.produkt, namen, n=1, cutoff=0.75)
        if nahe:
            text += f" – bitte prüfen, ob „{nahe[0]}“ gemeint ist"
        hinweise.append(text + ".")
    return hinweise


# --- Export ------------------------------------------------------------------------------------
def export_zeilen(session: Session) -> tuple[list[dict[str, object]], list[dict[str, object]]]:
    """(product rows, standard rows) for every Verwaltung x Domäne / Standard, by key."""
    verwaltungen = list(session.scalars(select(Verwaltung).order_by(Verwaltung.key)))
    einsatz = {(e.verwaltung_key, e.domaene): e.produkt.name
               for e in session.scalars(select(ProduktEinsatz))}
    standards = {(s.verwaltung_key, s.standard): s.wert
                 for s in session.scalars(select(StandardUnterstuetzung))}
    produkte = [{"verwaltung_key": v.key, "verwaltung_name": v.name, "domaene": d,
                 "produkt": einsatz.get((v.key, d))}
                for v in verwaltungen for d in scales.DOMAENEN]
    unterstuetzung = [{"verwaltung_key": v.key, "verwaltung_name": v.name, "standard": s,
                       "wert": standards.get((v.key, s), "unbekannt")}
                      for v in verwaltungen for s in scales.STANDARDS]
    return produkte, unterstuetzung


def export_produkte(engine: Engine, out: Path | io.BytesIO, *, demo: bool = False) -> int:
    """Write the workbook (.xlsx) to a path or a binary buffer; returns the number of rows."""
    with read_session(engine) as session:
        produkte, standards = export_zeilen(session)
        katalog = [(p.domaene, p.name) for p in session.scalars(
            select(Produkt).order_by(Produkt.domaene, Produkt.name))]
    if isinstance(out, Path) and out.suffix.lower() != ".xlsx":
        raise ValueError(f"Dateiendung „{out.suffix}“ wird nicht unterstützt – erlaubt ist .xlsx")
    workbook = Workbook()
    blatt = workbook.active
    blatt.title = PRODUKTE_BLATT
    text = {"verwaltung_key": "@"}  # keeps the leading zero
    datenblatt(blatt, PRODUKTE_SPALTEN, produkte, BREITEN, text)
    datenblatt(workbook.create_sheet(STANDARDS_BLATT), STANDARDS_SPALTEN, standards, BREITEN, text)
    verwaltungen = list(dict.fromkeys((z["verwaltung_key"], z["verwaltung_name"])
                                      for z in produkte))
    _write_hinweise(workbook.create_sheet(HINWEISE_BLATT), katalog, verwaltungen, demo)
    _auswahllisten(workbook, produkte, standards, katalog)
    workbook.save(out)
    return len(produkte) + len(standards)


def _auswahllisten(workbook: Workbook, produkte: list[dict[str, object]],
                   standards: list[dict[str, object]], katalog: list[tuple[str, str]]) -> None:
    """Dropdowns: catalog products per Domäne (new names may still be typed) and ja/nein/
    unbekannt."""
    listen = workbook.create_sheet(LISTEN_BLATT)
    listen.sheet_state = "hidden"
    blatt = workbook[PRODUKTE_BLATT]
    for index, domaene in enumerate(scales.DOMAENEN, start=1):
        namen = [n for d, n in katalog if d == domaene]
        if not namen:
            continue
        formel = listen_spalte(listen, index, domaene, namen)
        auswahlliste(blatt, formel, [f"D{reihe}" for reihe, z in enumerate(produkte, start=2)
                                     if z["domaene"] == domaene])
    auswahlliste(workbook[STANDARDS_BLATT], werte_formel(scales.STANDARD_WERTE),
                 [f"D2:D{len(standards) + 500}"], allow_blank=False)


def _write_hinweise(sheet, katalog: list[tuple[str, str]], verwaltungen: list[tuple[str, str]],
                    demo: bool) -> None:
    zeilen: list[tuple[object, ...]] = [("Produkte und Standards",)]
    if demo:
        zeilen.append(("Demo-Daten (fiktiv)",))
    zeilen += [
        (),
        (f"Blatt „{PRODUKTE_BLATT}“: eine Zeile je Verwaltung und Domäne. Tragen Sie in "
         "„Produkt“ den Namen aus der Auswahlliste ein; ein neuer Name wird in den Katalog "
         "aufgenommen. Leer lassen, wenn nichts bekannt ist (ein bereits erfasstes Produkt kann "
         "nicht per Import gelöscht werden).",),
        (f"Blatt „{STANDARDS_BLATT}“: eine Zeile je Verwaltung und Standard; „Unterstützung“ ist "
         f"{', '.join(scales.STANDARD_WERTE)}.",),
        ("Die Spalte „Verwaltung“ dient nur der Orientierung. Verwaltungsschlüssel als Text mit "
         "führender Null.",),
        ("Text, der mit =, +, - oder @ beginnt, wird mit einem vorangestellten ' ausgegeben, "
         "damit Excel ihn nicht als Formel ausführt; beim Import wird das ' wieder entfernt.",),
        (),
        ("Domäne", "Produkte im Katalog"),
    ]
    for domaene in scales.DOMAENEN:
        zeilen.append((domaene, ", ".join(n for d, n in katalog if d == domaene)))
    zeilen += [(), ("Standards", ", ".join(scales.STANDARDS)), (),
               ("Verwaltungsschlüssel", "Verwaltung")]
    zeilen += verwaltungen
    hinweisblatt(sheet, zeilen, fett={"Produkte und Standards", "Domäne", "Verwaltungsschlüssel",
                                      "Standards"}, breiten=(32, 90))
