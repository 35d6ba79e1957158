"""What every command shares: German argparse, the person the command line acts as, how an
export or import reports its result, and the exit statuses (the table in README.md):

    0 OK            success
    1 PROBLEME      `check` found problems in the data or the database
    2 EINGABE       bad input: arguments, an unreadable, damaged, too large or invalid file, a
                    target that cannot be written – nothing was written
    3 DATENBANK     the database cannot be used (cannot be opened, read-only, full, corrupt,
                    unknown schema, missing tables) – nothing was written
    4 PROGRAMM      unexpected program error (a bug; IKZ_DEBUG=1 prints the traceback)
"""
from __future__ import annotations

import argparse
import getpass
import sys
from collections.abc import Callable, Iterable
from pathlib import Path

from kreis_data.arbeitseinheit import Aenderung
from kreis_data.fehler import Abgelehnt
from kreis_data.io.tabelle import anzeige
from kreis_data.konten import regeln as rechte

OK, PROBLEME, EINGABE_FEHLER, DATENBANK_FEHLER, PROGRAMM_FEHLER = 0, 1, 2, 3, 4
DATEI_FEHLER = EINGABE_FEHLER  # an unreadable file is bad input (before: 1)

# argparse speaks English; its few user-facing messages in German (argparse looks ``_`` up at
# call time, so replacing the module's gettext function is enough).
_ARGPARSE_DEUTSCH = {
    "usage: ": "Aufruf: ",
    "positional arguments": "Argumente",
    "options": "Optionen",
    "show this help message and exit": "diese Hilfe zeigen und beenden",
    "argument %(argument_name)s: %(message)s": "Argument %(argument_name)s: %(message)s",
    "unrecognized arguments: %s": "unbekannte Argumente: %s",
    "the following arguments are required: %s": "diese Angaben fehlen: %s",
    "one of the arguments %s is required": "eine dieser Angaben fehlt: %s",
    "expected one argument": "erwartet genau einen Wert",
    "expected at most one argument": "erwartet höchstens einen Wert",
    "expected at least one argument": "erwartet mindestens einen Wert",
    "ambiguous option: %(option)s could match %(matches)s":
        "mehrdeutige Option: %(option)s passt zu %(matches)s",
    "invalid %(type)s value: %(value)r": "ungültiger Wert %(value)r (erwartet: %(type)s)",
    "invalid choice: %(value)r (choose from %(choices)s)":
        "ungültige Auswahl: %(value)r (erlaubt: %(choices)s)",
    "not allowed with argument %s": "nicht zusammen mit %s erlaubt",
    "ignored explicit argument %r": "Wert %r wird nicht erwartet",
    "%(prog)s: error: %(message)s\n": "%(prog)s: Fehler: %(message)s\n",
}
argparse._ = lambda text: _ARGPARSE_DEUTSCH.get(text, text)


def _ngettext(einzahl: str, mehrzahl: str, n: int) -> str:
    if einzahl == "expected %s argument":
        return "erwartet %s Wert" if n == 1 else "erwartet %s Werte"
    return einzahl if n == 1 else mehrzahl


argparse.ngettext = _ngettext


def quartal_argument(text: str) -> str:
    """argparse type of every --quartal: format and the allowed range (kreis_data.quartal)."""
    from kreis_data.quartal import pruefe_quartal

    try:
        return str(pruefe_quartal(text))
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def cli_benutzer() -> rechte.Benutzer:
    """Who the command line writes as: whoever may run it on the server acts for the
    Kreis-Administration; the audit log gets "CLI (login name)"."""
    try:
        name = f"CLI ({getpass.getuser()})"
    except Exception:  # no login name in some containers
        name = "CLI"
    return rechte.Benutzer(name, rechte.ADMIN)


def fehler(meldung: object, status: int = EINGABE_FEHLER) -> int:
    """Print "Fehler: …" on stderr and return the exit status."""
    print(f"Fehler: {meldung}", file=sys.stderr)
    return status


def datenbank_fehler(exc: BaseException, engine=None) -> int:
    """Print the German message of a database fault; exit status 3."""
    from kreis_data import datenbank_pruefung
    from kreis_data.database import database_url

    name = datenbank_pruefung.datenbank_name(engine if engine is not None else database_url())
    return fehler(datenbank_pruefung.meldung(exc, name), DATENBANK_FEHLER)


def exportieren(out: Path, schreiben: Callable[[], int], meldung: Callable[[int], str]) -> int:
    """Run an export: print `meldung(rows)`; exit status 0, 2 (bad input, target not writable),
    3 (database)."""
    from kreis_data.datenbank_pruefung import ist_datenbankfehler

    try:
        anzahl = schreiben()
    except (ValueError, Abgelehnt) as exc:
        return fehler(exc)
    except OSError as exc:
        return fehler(f"{out} konnte nicht geschrieben werden ({exc.strerror or 'Dateifehler'}).")
    except Exception as exc:
        if not ist_datenbankfehler(exc):
            raise
        return datenbank_fehler(exc)
    print(meldung(anzahl))
    return OK


def importieren(datei: Path, ausfuehren: Callable[[], object],
                details: Callable[[object], Iterable[str]] = lambda _: (), engine=None) -> int:
    """Run an import and print its result (an io.ergebnis.ImportErgebnis) in German.

    The database must pass the structure check first (kreis_data.datenbank_pruefung), else
    exit status 3 and nothing is read or written. Exit status 0 (summary on stdout, after the
    `details` lines); 2 on an unreadable file or validation errors (every error on stderr,
    nothing written); 3 if the database fails.
    """
    from kreis_data import datenbank_pruefung
    from kreis_data.io.tabelle import DateiFehler

    try:
        if engine is not None:
            datenbank_pruefung.sicherstellen(engine)
        result = ausfuehren()
    except DateiFehler as exc:
        return fehler(f"{exc}. Nichts wurde geschrieben.")
    except Abgelehnt as exc:
        return fehler(f"{exc} Nichts wurde geschrieben.")
    except datenbank_pruefung.DatenbankFehler as exc:
        return fehler(exc, DATENBANK_FEHLER)
    except MemoryError:
        return fehler(f"{datei.name}: Datei ist zu groß, um sie zu lesen. Nichts wurde "
                      "geschrieben.")
    except OSError as exc:
        return fehler(f"{datei.name}: Datei kann nicht gelesen werden "
                      f"({exc.strerror or 'Dateifehler'}). Nichts wurde geschrieben.")
    except Exception as exc:
        if not datenbank_pruefung.ist_datenbankfehler(exc):
            raise
        status = datenbank_fehler(exc, engine)
        print("Nichts wurde geschrieben.", file=sys.stderr)
        return status
    for hinweis in result.hinweise:
        print(f"Hinweis: {hinweis}", file=sys.stderr)
    if result.fehler:
        for meldung in result.errors:
            print(meldung, file=sys.stderr)
        print("Nichts wurde geschrieben.", file=sys.stderr)
        return EINGABE_FEHLER
    for zeile in details(result):
        print(zeile)
    print(result.zusammenfassung())
    return OK


def format_aenderung(aenderung: Aenderung) -> str:
    """e.g. "geändert 034590024/e_akte/2026-Q3: stufe 2 -> 3" (ASCII arrow for any console)."""
    felder = ", ".join(f"{feld} {_kurz(alt)} -> {_kurz(neu)}"
                       for feld, (alt, neu) in aenderung.felder.items())
    return f"{aenderung.aktion} {aenderung.schluessel}: {felder}"


def _kurz(value: object) -> str:
    return "leer" if value is None else anzeige(value)
