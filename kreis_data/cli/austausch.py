"""Exchange commands: export and import of Bewertungen, EfA-Anbindungen and Produkte. Imports
write as the Kreis-Administration (the command line is run on the server), all or nothing."""
from __future__ import annotations

from pathlib import Path

from kreis_data.cli.ausgabe import (
    cli_benutzer,
    exportieren,
    format_aenderung,
    importieren,
    quartal_argument,
)
from kreis_data.database import make_engine
from kreis_data.formatting import anzahl
from kreis_data.quartal import Quartal


def cmd_export(args) -> int:
    from kreis_data.bewertungen.austausch import export_bewertungen

    out, engine = Path(args.out), make_engine()
    return exportieren(out, lambda: export_bewertungen(engine, args.quartal, out),
                       lambda n: f"{anzahl(n, 'Zeile', 'Zeilen')} für Quartal "
                                 f"{Quartal.parse(args.quartal)} nach {out} exportiert.")


def cmd_import(args) -> int:
    from kreis_data.bewertungen.austausch import import_bewertungen

    datei, engine = Path(args.datei), make_engine()
    return importieren(datei, lambda: import_bewertungen(
        engine, datei, benutzer=cli_benutzer(), quartal=args.quartal, dry_run=args.dry_run),
        lambda result: map(format_aenderung, result.aenderungen), engine=engine)


def cmd_anbindungen_export(args) -> int:
    from kreis_data.efa.austausch import export_anbindungen

    out, engine = Path(args.out), make_engine()
    return exportieren(out, lambda: export_anbindungen(engine, args.quartal, out),
                       lambda n: f"{anzahl(n, 'Zeile', 'Zeilen')} für Quartal "
                                 f"{Quartal.parse(args.quartal)} nach {out} exportiert.")


def cmd_anbindungen_import(args) -> int:
    from kreis_data.efa.austausch import import_anbindungen

    datei, engine = Path(args.datei), make_engine()
    return importieren(datei, lambda: import_anbindungen(
        engine, datei, benutzer=cli_benutzer(), quartal=args.quartal, dry_run=args.dry_run),
        lambda result: map(format_aenderung, result.aenderungen), engine=engine)


def cmd_produkte_export(args) -> int:
    from kreis_data.queries import ist_demo
    from kreis_data.software.austausch import export_produkte

    out, engine = Path(args.out), make_engine()
    return exportieren(out, lambda: export_produkte(engine, out, demo=ist_demo(engine)),
                       lambda n: f"{anzahl(n, 'Zeile', 'Zeilen')} (Produkte und Standards) "
                                 f"nach {out} exportiert.")


def cmd_produkte_import(args) -> int:
    from kreis_data.software.austausch import import_produkte

    datei, engine = Path(args.datei), make_engine()
    return importieren(datei, lambda: import_produkte(engine, datei, benutzer=cli_benutzer()),
                       lambda result: (format_aenderung(e) for e in result.ergebnisse
                                       if e.geaendert), engine=engine)


def registrieren(sub) -> None:
    for vorsilbe, was, export, import_ in (
            ("", "Bewertungen", cmd_export, cmd_import),
            ("anbindungen-", "EfA-Anbindungen", cmd_anbindungen_export, cmd_anbindungen_import)):
        p = sub.add_parser(f"{vorsilbe}export",
                           help=f"{was} eines Quartals als .xlsx oder .csv exportieren")
        p.add_argument("--quartal", required=True, type=quartal_argument, help="z. B. 2026-Q3")
        p.add_argument("--out", required=True, help="Zieldatei (.xlsx oder .csv)")
        p.set_defaults(func=export)

        p = sub.add_parser(f"{vorsilbe}import",
                           help=f"{was} aus .xlsx oder .csv importieren (alles oder nichts)")
        p.add_argument("datei")
        p.add_argument("--quartal", type=quartal_argument,
                       help="nur dieses Quartal zulassen, z. B. 2026-Q3")
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

