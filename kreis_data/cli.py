"""Command line: python -m kreis_data <command> (German output)."""
from __future__ import annotations

import argparse
import getpass
import sys
from collections.abc import Callable, Iterable
from pathlib import Path

from kreis_data.database import database_url, make_engine, migrate


def _benutzer() -> str:
    try:
        return f"CLI ({getpass.getuser()})"
    except Exception:  # no login name in some containers
        return "CLI"


def exportieren(out: Path, schreiben: Callable[[], int], meldung: Callable[[int], str]) -> int:
    """Run an export: print `meldung(rows)`; exit status 0, 2 (bad input), 1 (file/database)."""
    from sqlalchemy.exc import SQLAlchemyError

    try:
        anzahl = schreiben()
    except ValueError as exc:
        print(f"Fehler: {exc}", file=sys.stderr)
        return 2
    except OSError as exc:
        print(f"Fehler: {out} konnte nicht geschrieben werden ({exc}).", file=sys.stderr)
        return 1
    except SQLAlchemyError as exc:
        print(f"Fehler beim Lesen der Datenbank: {exc}", file=sys.stderr)
        return 1
    print(meldung(anzahl))
    return 0


def importieren(datei: Path, ausfuehren: Callable[[], object],
                details: Callable[[object], Iterable[str]] = lambda _: ()) -> int:
    """Run an import and print its result (an io.ergebnis.ImportErgebnis) in German.

    Exit status 0 (summary on stdout, after the `details` lines); 2 on validation errors
    (every error on stderr, nothing written); 1 if the file is unreadable or the database fails.
    """
    from sqlalchemy.exc import SQLAlchemyError

    from kreis_data.io.tabelle import DateiFehler

    try:
        result = ausfuehren()
    except DateiFehler as exc:
        print(f"Fehler: {exc}", file=sys.stderr)
        return 1
    except (OSError, SQLAlchemyError) as exc:
        print(f"Fehler beim Import von {datei.name}: {exc}. Nichts wurde geschrieben.",
              file=sys.stderr)
        return 1
    for hinweis in result.hinweise:
        print(f"Hinweis: {hinweis}", file=sys.stderr)
    if result.fehler:
        for fehler in result.errors:
            print(fehler, file=sys.stderr)
        print("Nichts wurde geschrieben.", file=sys.stderr)
        return 2
    for zeile in details(result):
        print(zeile)
    print(result.zusammenfassung())
    return 0


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


def cmd_anbindungen_export(args) -> int:
    from kreis_data.anbindungen_io import export_anbindungen
    from kreis_data.quartal import Quartal

    out, engine = Path(args.out), make_engine()
    return exportieren(out, lambda: export_anbindungen(engine, args.quartal, out),
                       lambda n: f"{n} Zeilen für Quartal {Quartal.parse(args.quartal)} nach "
                                 f"{out} exportiert.")


def cmd_anbindungen_import(args) -> int:
    from kreis_data.anbindungen_io import import_anbindungen
    from kreis_data.bewertungen_io import format_aenderung

    datei, engine = Path(args.datei), make_engine()
    return importieren(datei, lambda: import_anbindungen(
        engine, datei, benutzer=_benutzer(), quartal=args.quartal, dry_run=args.dry_run),
        lambda result: map(format_aenderung, result.aenderungen))


def cmd_produkte_export(args) -> int:
    from kreis_data.produkte_io import export_produkte
    from kreis_data.queries import ist_demo

    out, engine = Path(args.out), make_engine()
    return exportieren(out, lambda: export_produkte(engine, out, demo=ist_demo(engine)),
                       lambda n: f"{n} Zeilen (Produkte und Standards) nach {out} exportiert.")


def cmd_produkte_import(args) -> int:
    from kreis_data.produkte_io import import_produkte

    datei, engine = Path(args.datei), make_engine()
    return importieren(datei, lambda: import_produkte(engine, datei, benutzer=_benutzer()),
                       lambda result: (f"{e.aktion} {e.schluessel}: {e.alt or 'leer'} -> {e.neu}"
                                       for e in result.ergebnisse if e.aktion != "unverändert"))


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

    for vorsilbe, was, export, import_ in (
            ("", "Bewertungen", cmd_export, cmd_import),
            ("anbindungen-", "EfA-Anbindungen", cmd_anbindungen_export, cmd_anbindungen_import)):
        p = sub.add_parser(f"{vorsilbe}export",
                           help=f"{was} eines Quartals als .xlsx oder .csv exportieren")
        p.add_argument("--quartal", required=True, help="z. B. 2026-Q3")
        p.add_argument("--out", required=True, help="Zieldatei (.xlsx oder .csv)")
        p.set_defaults(func=export)

        p = sub.add_parser(f"{vorsilbe}import",
                           help=f"{was} aus .xlsx oder .csv importieren (alles oder nichts)")
        p.add_argument("datei")
        p.add_argument("--quartal", help="nur dieses Quartal zulassen, z. B. 2026-Q3")
        p.add_argument("--dry-run", action="store_true", help="nur prüfen, nichts schreiben")
        p.set_defaults(func=import_)

    p = sub.add_parser("produkte-export", help="Produkte und Standardunterstützung als .xlsx "
                                               "exportieren")
    p.add_argument("--out", required=True, help="Zieldatei (.xlsx)")
    p.set_defaults(func=cmd_produkte_export)

    p = sub.add_parser("produkte-import", help="Produkte und Standardunterstützung aus .xlsx "
                                               "oder .csv importieren (alles oder nichts)")
    p.add_argument("datei")
    p.set_defaults(func=cmd_produkte_import)

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
