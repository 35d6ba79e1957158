"""Command line: ``python -m kreis_data <Befehl>``, German output.

A layer on top of the core: it imports kreis_data, nothing in kreis_data imports it (checked by
tests/test_architecture.py). Exit status of every command (README.md, "Exit-Status"): 0 success;
1 `check` found problems; 2 bad input (arguments, unreadable or invalid file) – nothing written;
3 the database cannot be used – nothing written; 4 unexpected program error.
"""
from __future__ import annotations

import argparse
import os
import sys

from kreis_data.cli import arbeitsbereich, austausch, bericht, konten, sicherung
from kreis_data.cli.ausgabe import PROGRAMM_FEHLER, datenbank_fehler, fehler


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m kreis_data",
        description="IKZ-Monitor: Arbeitsbereich anlegen, Import/Export, Berichte, Konten und "
                    "Prüfungen. Datenbank: Umgebungsvariable IKZ_DATABASE_URL "
                    "(Standard: instance/ikz-monitor.sqlite). Exit-Status: 0 erfolgreich, "
                    "1 check hat Probleme gefunden, 2 ungültige Eingabe oder Datei (nichts "
                    "geschrieben), 3 Datenbank nicht nutzbar (nichts geschrieben), "
                    "4 Programmfehler.")
    sub = parser.add_subparsers(dest="befehl", required=True, metavar="BEFEHL")
    for modul in (arbeitsbereich, austausch, bericht, konten, sicherung):
        modul.registrieren(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run one command; a database fault anywhere becomes a German message and exit status 3,
    any other unexpected error a German line and 4 (no traceback unless IKZ_DEBUG=1)."""
    from kreis_data.datenbank_pruefung import ist_datenbankfehler

    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except KeyboardInterrupt:
        print("Abgebrochen.", file=sys.stderr)
        return 130
    except Exception as exc:
        if ist_datenbankfehler(exc):
            return datenbank_fehler(exc)
        if os.environ.get("IKZ_DEBUG") == "1":
            raise
        return fehler(f"Unerwarteter Programmfehler ({type(exc).__name__}) – bitte mit dem "
                      "Befehl melden; IKZ_DEBUG=1 zeigt Einzelheiten.", PROGRAMM_FEHLER)
