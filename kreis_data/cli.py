"""Command line: python -m kreis_data <command> (German output)."""
from __future__ import annotations

import argparse
import getpass
import sys
from pathlib import Path

from kreis_data.database import database_url, make_engine, migrate


def _benutzer() -> str:
    try:
        return f"CLI ({getpass.getuser()})"
    except Exception:  # no login name in some containers
        return "CLI"


def cmd_demo(args) -> int:
    from kreis_data.demo import install_demo

    engine = make_engine()
    try:
        created = install_demo(engine, force=args.force)
    except ValueError as error:
        print(f"Fehler: {error}", file=sys.stderr)
        return 2
    if created:
        print(f"Demo-Datenbank angelegt: {database_url()}")
    else:
        print(f"Demo-Datenbank ist bereits vorhanden ({database_url()}); "
              "mit --force neu erzeugen.")
    return 0


def cmd_init(args) -> int:
    from kreis_data.workspace import create_workspace

    engine = make_engine()
    try:
        ags = create_workspace(engine, Path(args.datensatz), benutzer=_benutzer())
    except (ValueError, FileNotFoundError) as error:
        print(f"Fehler: {error}", file=sys.stderr)
        return 2
    print(f"Arbeitsbereich für Kreis {ags} angelegt: {database_url()}")
    return 0


def cmd_export(args) -> int:
    from kreis_data.bewertungen_io import cli_export

    return cli_export(args.quartal, Path(args.out), make_engine())


def cmd_import(args) -> int:
    from kreis_data.bewertungen_io import cli_import

    return cli_import(Path(args.datei), args.quartal, args.dry_run, make_engine(), _benutzer())


def cmd_check(_args) -> int:
    from kreis_data.checks import run_checks

    problems, facts = run_checks(make_engine())
    for fact in facts:
        print(fact)
    for problem in problems:
        print(f"Problem: {problem}", file=sys.stderr)
    if problems:
        print(f"{len(problems)} Problem(e) gefunden.", file=sys.stderr)
        return 1
    print("Prüfung bestanden: keine Probleme gefunden.")
    return 0


def cmd_migrate(_args) -> int:
    migrate(make_engine())
    print(f"Datenbankschema ist aktuell: {database_url()}")
    return 0


def cmd_build_kreis(args) -> int:
    from kreis_data.official.build import build_kreis_dataset

    try:
        summary = build_kreis_dataset(args.ags, Path(args.vg250), Path(args.gemeindeverzeichnis),
                                      Path(args.out), tolerance_m=args.toleranz,
                                      vg250_stand=args.vg250_stand)
    except (ValueError, FileNotFoundError) as error:
        print(f"Fehler: {error}", file=sys.stderr)
        return 2
    for key, value in summary.items():
        print(f"{key}: {value}")
    return 0


def cmd_report(args) -> int:
    from kreis_data.reports import cli_report

    return cli_report(args.quartal, args.format, Path(args.out), make_engine())


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m kreis_data",
        description="IKZ-Monitor: Datenbank, Demo-Daten, Import/Export und Prüfungen. "
                    "Datenbank: Umgebungsvariable IKZ_DATABASE_URL "
                    "(Standard: instance/ikz-monitor.sqlite).")
    sub = parser.add_subparsers(dest="befehl", required=True, metavar="BEFEHL")

    p = sub.add_parser("demo", help="Datenbank mit dem Demo-Kreis Landkreis Osnabrück anlegen")
    p.add_argument("--force", action="store_true", help="vorhandene Datenbank ersetzen")
    p.set_defaults(func=cmd_demo)

    p = sub.add_parser("init", help="leeren Arbeitsbereich aus einem amtlichen Datensatz anlegen")
    p.add_argument("datensatz", help="Ordner mit gemeinden.geojson, kreis.geojson, meta.json "
                                     "(erzeugt mit build-kreis)")
    p.set_defaults(func=cmd_init)

    p = sub.add_parser("build-kreis", help="amtlichen Datensatz eines Kreises aus VG250 und "
                                           "Gemeindeverzeichnis bauen")
    p.add_argument("--ags", required=True, help="Kreisschlüssel, 5 Ziffern, z. B. 03459")
    p.add_argument("--vg250", required=True,
                   help="VG250: npm-Paket (.tgz oder Ordner) oder GeoPackage/Shapefile")
    p.add_argument("--gemeindeverzeichnis", required=True, help="Destatis-Gemeindeverzeichnis (CSV)")
    p.add_argument("--out", required=True, help="Zielordner")
    p.add_argument("--vg250-stand", help="Stand der VG250-Datei, z. B. 01.01.2024 "
                                          "(wird sonst aus dem Dateinamen abgeleitet)")
    p.add_argument("--toleranz", type=float, default=60.0,
                   help="Vereinfachungstoleranz in Metern (Standard 60)")
    p.set_defaults(func=cmd_build_kreis)

    p = sub.add_parser("export", help="Bewertungen eines Quartals als .xlsx oder .csv exportieren")
    p.add_argument("--quartal", required=True, help="z. B. 2026-Q3")
    p.add_argument("--out", required=True, help="Zieldatei (.xlsx oder .csv)")
    p.set_defaults(func=cmd_export)

    p = sub.add_parser("import", help="Bewertungen aus .xlsx oder .csv importieren "
                                      "(alles oder nichts)")
    p.add_argument("datei")
    p.add_argument("--quartal", help="nur dieses Quartal zulassen, z. B. 2026-Q3")
    p.add_argument("--dry-run", action="store_true", help="nur prüfen, nichts schreiben")
    p.set_defaults(func=cmd_import)

    p = sub.add_parser("report", help="Quartalsbericht als PDF (A4 quer) oder PowerPoint erzeugen")
    p.add_argument("--quartal", help="z. B. 2026-Q3 (Standard: neuestes Quartal)")
    p.add_argument("--format", choices=["pdf", "pptx"],
                   help="Standard: aus der Dateiendung von --out")
    p.add_argument("--out", required=True, help="Zieldatei (.pdf oder .pptx)")
    p.set_defaults(func=cmd_report)

    p = sub.add_parser("check", help="Integrität der Datenbank prüfen")
    p.set_defaults(func=cmd_check)

    from kreis_data.auth import add_konto_parser

    add_konto_parser(sub)

    p = sub.add_parser("migrate", help="Datenbankschema aktualisieren (Alembic)")
    p.set_defaults(func=cmd_migrate)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return args.func(args)
