"""Command line: ``python -m kreis_data <Befehl>``, German output.

A layer on top of the core: it imports kreis_data, nothing in kreis_data imports it (checked by
tests/test_architecture.py). Exit status of every command: 0 success; 1 a file or the database
could not be read or written; 2 invalid input – nothing was written.
"""
from __future__ import annotations

import argparse

from kreis_data.cli import arbeitsbereich, austausch, bericht, konten


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m kreis_data",
        description="IKZ-Monitor: Arbeitsbereich anlegen, Import/Export, Berichte, Konten und "
                    "Prüfungen. Datenbank: Umgebungsvariable IKZ_DATABASE_URL "
                    "(Standard: instance/ikz-monitor.sqlite). Exit-Status: 0 erfolgreich, "
                    "1 Datei oder Datenbank nicht lesbar/schreibbar, 2 ungültige Eingabe "
                    "(nichts geschrieben).")
    sub = parser.add_subparsers(dest="befehl", required=True, metavar="BEFEHL")
    for modul in (arbeitsbereich, austausch, bericht, konten):
        modul.registrieren(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return args.func(args)
