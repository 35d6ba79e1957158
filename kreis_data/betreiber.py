"""Who operates this installation: the facts the legal pages (Impressum, Datenschutzerklärung,
Erklärung zur Barrierefreiheit) need and that only the operating Landratsamt knows.

They come from a TOML file (``IKZ_BETREIBER_DATEI``, default ``instance/betreiber.toml``; a
commented template is ``docs/betreiber.beispiel.toml``). Without the file the pages say which
facts are missing – they never invent an operator. The file is read bounded and checked: only
known keys, text only, a date as TT.MM.JJJJ; a mistake is refused in German naming file, key and
what is allowed.
"""
from __future__ import annotations

import datetime as dt
import os
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, fields
from pathlib import Path

from kreis_data.fehler import Ungueltig
from kreis_data.konten.kontodatei import PROJECT_ROOT

BETREIBER_ENV = "IKZ_BETREIBER_DATEI"
DEFAULT_BETREIBER_DATEI = PROJECT_ROOT / "instance" / "betreiber.toml"
MAX_DATEI_BYTES = 64 * 1024
MAX_ZEICHEN = 2000


@dataclass(frozen=True)
class Betreiber:
    """Operator facts; every field is plain text (shown escaped)."""

    name: str  # "Landkreis Osnabrück"
    anschrift: str  # postal address, several lines
    vertreten_durch: str  # "Landrätin …"
    email: str
    telefon: str = ""
    aufsichtsbehoerde: str = ""  # Kommunalaufsicht
    datenschutz_kontakt: str = ""  # the Datenschutzbeauftragte (e-mail or address)
    datenschutz_aufsicht: str = ""  # the Land's data protection authority
    barrierefreiheit_kontakt: str = ""  # where to report barriers (default: email)
    barrierefreiheit_pruefung: dt.date | None = None  # date of the last check
    barrierefreiheit_methode: str = "Selbstbewertung"
    schlichtungsstelle: str = ""  # the Land's enforcement/ombuds body under its BITV law
    betrieb: str = ""  # where the server runs ("Rechenzentrum des Landkreises")


PFLICHT = ("name", "anschrift", "vertreten_durch", "email")
BESCHREIBUNG = {
    "name": "Name der Behörde (z. B. „Landkreis Osnabrück“)",
    "anschrift": "Postanschrift",
    "vertreten_durch": "vertretungsberechtigte Person (z. B. „Landrätin …“)",
    "email": "E-Mail-Adresse der Behörde",
    "telefon": "Telefon",
    "aufsichtsbehoerde": "zuständige Kommunalaufsicht",
    "datenschutz_kontakt": "Kontakt der/des behördlichen Datenschutzbeauftragten",
    "datenschutz_aufsicht": "Datenschutz-Aufsichtsbehörde des Landes",
    "barrierefreiheit_kontakt": "Kontakt für Hinweise auf Barrieren",
    "barrierefreiheit_pruefung": "Datum der letzten Prüfung der Barrierefreiheit (TT.MM.JJJJ)",
    "barrierefreiheit_methode": "Art der Prüfung (z. B. „Selbstbewertung“, „BITV-Test“)",
    "schlichtungsstelle": "Durchsetzungs- bzw. Schlichtungsstelle des Landes",
    "betrieb": "wo der Server betrieben wird",
}


def betreiber_datei(env: Mapping[str, str] | None = None) -> Path:
    value = (env if env is not None else os.environ).get(BETREIBER_ENV)
    return Path(value) if value else DEFAULT_BETREIBER_DATEI


def _datum(text: str, datei: Path) -> dt.date:
    try:
        datum = dt.datetime.strptime(text.strip(), "%d.%m.%Y").date()
    except ValueError:
        raise Ungueltig(f"{datei.name}: „barrierefreiheit_pruefung“ = „{text}“ ist kein Datum – "
                        "erwartet wird TT.MM.JJJJ, z. B. 15.10.2026") from None
    if not dt.date(2018, 1, 1) <= datum <= dt.date.today():
        raise Ungueltig(f"{datei.name}: „barrierefreiheit_pruefung“ = „{text}“ – erlaubt ist ein "
                        "Datum ab 01.01.2018 (BITV 2.0 n. F.) bis heute")
    return datum


def lade_betreiber(datei: Path | str | None = None) -> Betreiber | None:
    """The operator of this installation, or None without a file. Ungueltig (German) for a
    file that cannot be used."""
    path = Path(datei) if datei else betreiber_datei()
    if not path.exists():
        return None
    try:
        if path.stat().st_size > MAX_DATEI_BYTES:
            raise Ungueltig(f"{path.name} ist größer als {MAX_DATEI_BYTES // 1024} KB – erwartet "
                            "werden wenige Zeilen Betreiberangaben")
        daten = tomllib.loads(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError:
        raise Ungueltig(f"{path.name} ist keine UTF-8-Textdatei") from None
    except tomllib.TOMLDecodeError as exc:
        stelle = re.search(r"line (\d+), column (\d+)", str(exc))
        wo = f" ({stelle[1]}. Zeile, {stelle[2]}. Spalte)" if stelle else ""
        raise Ungueltig(f"{path.name} ist kein gültiges TOML{wo} – Vorlage: "
                        "docs/betreiber.beispiel.toml") from None
    except OSError:
        raise Ungueltig(f"{path.name} kann nicht gelesen werden (Zugriffsrechte?)") from None
    daten = daten.get("betreiber", daten)
    bekannt = {f.name for f in fields(Betreiber)}
    fehler = [f"{path.name}: unbekannter Eintrag „{k}“ – erlaubt sind {', '.join(sorted(bekannt))}"
              for k in daten if k not in bekannt]
    for key, wert in daten.items():
        if key in bekannt and not isinstance(wert, str):
            fehler.append(f"{path.name}: „{key}“ muss Text in Anführungszeichen sein")
        elif key in bekannt and len(wert) > MAX_ZEICHEN:
            fehler.append(f"{path.name}: „{key}“ hat {len(wert)} Zeichen – erlaubt sind "
                          f"höchstens {MAX_ZEICHEN}")
    fehler += [f"{path.name}: „{k}“ fehlt ({BESCHREIBUNG[k]})" for k in PFLICHT
               if not str(daten.get(k, "")).strip()]
    if fehler:
        raise Ungueltig(fehler)
    werte = {k: v.strip() for k, v in daten.items()}
    if "barrierefreiheit_pruefung" in werte:
        werte["barrierefreiheit_pruefung"] = _datum(werte["barrierefreiheit_pruefung"], path)
    return Betreiber(**werte)


# --- What the legal pages say independent of the operator ---------------------------------------
# Known barriers of the product itself (kept honest here; the Erklärung lists them).
BEKANNTE_BARRIEREN = (
    "Die Karten sind mit der Maus bedienbar; per Tastatur lassen sich die Karten verschieben und "
    "zoomen, die Auswahl einer Verwaltung erfolgt über die Auswahlliste. Jede Karte hat eine "
    "Tabelle mit denselben Werten („Tabelle zur Karte“).",
    "Diagramme sind Grafiken; ihre Werte stehen jeweils in einer Tabelle daneben oder darunter.",
    "Der PDF-Bericht ist noch nicht als barrierefreies (getaggtes) PDF ausgelegt; dieselben "
    "Inhalte stehen in der Anwendung und als Excel-/CSV-Export zur Verfügung.",
    "Das Netzwerkdiagramm der Kooperationen ist nur visuell; die Liste der Kooperationen enthält "
    "dieselben Beziehungen als Text.",
)

# What the application itself stores about persons (Datenschutzerklärung).
VERARBEITUNGEN = (
    ("Benutzerkonten der Datenpflege",
     "Benutzername, Rolle, zuständige Verwaltungen, optional E-Mail-Adresse und ein "
     "Passwort-Hash (Argon2; das Passwort selbst wird nie gespeichert)",
     "bis das Konto gelöscht wird"),
    ("Anmeldeversuche",
     "Benutzername (unbekannte Namen nur als Prüfsumme), Zeitpunkt, Ergebnis; Zähler "
     "fehlgeschlagener Versuche zum Schutz vor Passwort-Raten",
     "Zähler: 24 Stunden nach dem letzten Fehlversuch; Einträge im Änderungsprotokoll wie dieses"),
    ("Änderungsprotokoll",
     "wer wann welchen Wert geändert hat (Benutzername, Zeitpunkt, alter und neuer Wert)",
     "dauerhaft, als Nachweis der Datenpflege gegenüber der Steuerungsgruppe"),
    ("Ansprechpersonen von Kooperationen und Verwaltungen",
     "Name, Funktion, dienstliche E-Mail-Adresse und Telefonnummer, wie von der Redaktion "
     "eingetragen",
     "bis die Redaktion sie ändert oder löscht"),
)
