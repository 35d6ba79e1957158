"""`konto anlegen` / `konto liste`: local accounts for the Datenpflege (see docs/anmeldung.md)."""
from __future__ import annotations

import getpass
import os
import sys
from collections.abc import Iterable
from pathlib import Path

from kreis_data.fehler import Ungueltig
from kreis_data.konten.kontodatei import KONTEN_ENV, konten_datei, konto_anlegen, lade_konten
from kreis_data.konten.regeln import ROLLEN

PASSWORT_ENV = "IKZ_KONTO_PASSWORT"  # only for scripted account creation


def _passwort_abfragen(benutzername: str) -> str:
    if os.environ.get(PASSWORT_ENV):
        return os.environ[PASSWORT_ENV]
    erstes = getpass.getpass(f"Passwort für {benutzername}: ")
    zweites = getpass.getpass("Passwort wiederholen: ")
    if erstes != zweites:
        raise Ungueltig("Die beiden Passwörter stimmen nicht überein.")
    return erstes


def cli_konto(aktion: str, benutzername: str | None = None, rolle: str | None = None,
              verwaltungen: Iterable[str] = (), *, email: str | None = None,
              nur_oidc: bool = False, ueberschreiben: bool = False,
              datei: str | Path | None = None) -> int:
    """`konto anlegen` / `konto liste`; exit status 0, 2 (bad input)."""
    path = Path(datei) if datei else konten_datei()
    try:
        if aktion == "liste":
            for konto in lade_konten(path).values():
                art = "Passwort" if konto.passwort_hash else "nur OIDC"
                print(f"{konto.benutzername}\t{konto.rolle}\t"
                      f"{', '.join(konto.verwaltungen) or '–'}\t{art}")
            return 0
        if aktion != "anlegen" or not benutzername or not rolle:
            print("Fehler: erwartet wird „konto anlegen BENUTZERNAME --rolle ROLLE“.",
                  file=sys.stderr)
            return 2
        passwort = None if nur_oidc else _passwort_abfragen(benutzername)
        konto = konto_anlegen(path, benutzername, rolle, verwaltungen, passwort, email=email,
                              ueberschreiben=ueberschreiben)
    except Ungueltig as exc:
        print(f"Fehler: {exc}", file=sys.stderr)
        return 2
    except (KeyboardInterrupt, EOFError):
        print("\nAbgebrochen, nichts wurde gespeichert.", file=sys.stderr)
        return 2
    print(f"Konto „{konto.benutzername}“ ({konto.rolle}) in {path} gespeichert.")
    return 0


def registrieren(sub) -> None:
    """`konto anlegen|liste`."""
    p = sub.add_parser("konto", help="Konten für die Datenpflege anlegen oder auflisten")
    p.add_argument("aktion", choices=("anlegen", "liste"))
    p.add_argument("benutzername", nargs="?", help="Benutzername oder E-Mail-Adresse")
    p.add_argument("--rolle", choices=ROLLEN)
    p.add_argument("--verwaltung", action="append", default=[], dest="verwaltungen",
                   help="Verwaltungsschlüssel, den die Redaktion bearbeiten darf (mehrfach möglich)")
    p.add_argument("--email", help="E-Mail-Adresse für die Anmeldung per OIDC")
    p.add_argument("--nur-oidc", action="store_true",
                   help="ohne Passwort, nur Anmeldung per OIDC (Rollenzuordnung per E-Mail)")
    p.add_argument("--ueberschreiben", action="store_true", help="vorhandenes Konto ersetzen")
    p.add_argument("--datei", help=f"Kontendatei (Standard: ${KONTEN_ENV} oder "
                                   "instance/konten.toml)")
    p.set_defaults(func=lambda args: cli_konto(
        args.aktion, args.benutzername, args.rolle, args.verwaltungen, email=args.email,
        nur_oidc=args.nur_oidc, ueberschreiben=args.ueberschreiben, datei=args.datei))
