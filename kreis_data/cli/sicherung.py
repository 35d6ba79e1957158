"""Backup and restore of the workspace at IKZ_DATABASE_URL (SQLite or PostgreSQL alike)."""
from __future__ import annotations

import datetime as dt
from pathlib import Path
from zoneinfo import ZoneInfo

from kreis_data.cli.ausgabe import fehler
from kreis_data.database import anzeige_url, make_engine
from kreis_data.fehler import Ungueltig
from kreis_data.formatting import zahl

BERLIN = ZoneInfo("Europe/Berlin")


def cmd_sicherung(args) -> int:
    from kreis_data.sicherung import sichern

    engine = make_engine()
    try:
        anzahl = sichern(engine, Path(args.out))
    except Ungueltig as exc:
        return fehler(exc)
    finally:
        engine.dispose()
    print(f"Sicherung von {anzeige_url()} nach {args.out} geschrieben: "
          f"{zahl(sum(anzahl.values()))} Zeilen in {len(anzahl)} Tabellen.")
    return 0


def cmd_wiederherstellen(args) -> int:
    from kreis_data.sicherung import pruefe_sicherung, wiederherstellen

    try:
        meta = pruefe_sicherung(Path(args.datei))
    except Ungueltig as exc:
        return fehler(exc)
    if not args.ja:
        erstellt = dt.datetime.fromisoformat(meta["erstellt"]).astimezone(BERLIN)
        return fehler(f"Die Sicherung vom {erstellt:%d.%m.%Y, %H:%M} Uhr (aus {meta['quelle']}) "
                      "ersetzt ALLE "
                      f"Daten in {anzeige_url()}. Zum Bestätigen mit --ja aufrufen; die App "
                      "vorher beenden.")
    engine = make_engine()
    try:
        anzahl = wiederherstellen(engine, Path(args.datei))
    except Ungueltig as exc:
        return fehler(exc)
    finally:
        engine.dispose()
    print(f"Sicherung {args.datei} in {anzeige_url()} wiederhergestellt: "
          f"{zahl(sum(anzahl.values()))} Zeilen in {len(anzahl)} Tabellen.")
    return 0


def registrieren(sub) -> None:
    p = sub.add_parser("sicherung", help="alle Daten in eine Sicherungsdatei (.sqlite) schreiben")
    p.add_argument("--out", required=True, help="Zieldatei, z. B. sicherung-2026-11-30.sqlite")
    p.set_defaults(func=cmd_sicherung)
    p = sub.add_parser("wiederherstellen",
                       help="alle Daten durch eine Sicherung ersetzen (alles oder nichts)")
    p.add_argument("datei", help="Sicherungsdatei von `sicherung`")
    p.add_argument("--ja", action="store_true", help="Ersetzen bestätigen")
    p.set_defaults(func=cmd_wiederherstellen)
