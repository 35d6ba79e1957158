"""`konto anlegen` / `konto passwort` / `konto entsperren` / `konto liste`: local accounts for
the Datenpflege (see docs/anmeldung.md)."""
from __future__ import annotations

import getpass
import os
import sys
from collections.abc import Iterable
from pathlib import Path

from kreis_data.fehler import Ungueltig
from kreis_data.konten import regeln
from kreis_data.konten.kontodatei import (
    KONTEN_ENV,
    bestehendes_konto,
    konten_datei,
    konto_anlegen,
    lade_konten,
    passwort_setzen,
    pruefe_neuer_name,
)
from kreis_data.konten.regeln import ROLLEN

PASSWORT_ENV = "IKZ_KONTO_PASSWORT"  # only for scripted account creation
AKTIONEN = ("anlegen", "passwort", "entsperren", "liste")


def _passwort_abfragen(benutzername: str) -> str:
    """The new password (asked twice, or IKZ_KONTO_PASSWORT); the policy is checked on saving."""
    if os.environ.get(PASSWORT_ENV):
        return os.environ[PASSWORT_ENV]
    print(f"Passwort: mindestens {regeln.MIN_PASSWORT_LAENGE} Zeichen, nicht nur ein Zeichen "
          "oder eine einfache Folge, ohne den Benutzernamen, kein sehr häufiges Passwort.",
          file=sys.stderr)
    erstes = getpass.getpass(f"Passwort für {regeln.zeichen_text(benutzername)}: ")
    zweites = getpass.getpass("Passwort wiederholen: ")
    if erstes != zweites:
        raise Ungueltig("Die beiden Passwörter stimmen nicht überein.")
    return erstes


def _fehler(exc: Ungueltig) -> int:
    for meldung in exc.fehler:
        print(f"Fehler: {meldung}", file=sys.stderr)
    print("Nichts wurde gespeichert.", file=sys.stderr)
    return 2


def _hinweis(konten, konto) -> str:
    """For `konto liste`: a name written before the rules of issue #18 that they now refuse."""
    try:
        regeln.pruefe_benutzername(konto.benutzername)
    except Ungueltig:
        return "\tHinweis: Name entspricht nicht den Regeln – bitte neu anlegen"
    form = regeln.vergleichsform(konto.benutzername)
    if sum(regeln.vergleichsform(n) == form for n in konten) > 1:
        return "\tHinweis: verwechselbar mit einem anderen Konto – bitte eines entfernen"
    return ""


def _entsperren(benutzername: str) -> int:
    from kreis_data.cli.ausgabe import cli_benutzer
    from kreis_data.database import make_engine
    from kreis_data.konten import sperre

    engine = make_engine()
    try:
        aufgehoben = sperre.entsperren(engine, benutzername, benutzer=cli_benutzer().name)
    finally:
        engine.dispose()
    name = regeln.zeichen_text(benutzername)
    print(f"Sperre für „{name}“ aufgehoben, Fehlversuche gelöscht." if aufgehoben
          else f"Für „{name}“ gab es keine Sperre und keine Fehlversuche.")
    return 0


def cli_konto(aktion: str, benutzername: str | None = None, rolle: str | None = None,
              verwaltungen: Iterable[str] = (), *, email: str | None = None,
              nur_oidc: bool = False, ueberschreiben: bool = False,
              datei: str | Path | None = None) -> int:
    """`konto anlegen|passwort|entsperren|liste`; exit status 0, 2 (bad input, nothing written),
    3 (database, for entsperren: raised to the CLI's main)."""
    path = Path(datei) if datei else konten_datei()
    try:
        if aktion == "liste":
            konten = lade_konten(path)
            for konto in konten.values():
                art = "Passwort" if konto.passwort_hash else "nur OIDC"
                print(f"{regeln.zeichen_text(konto.benutzername)}\t{konto.rolle}\t"
                      f"{', '.join(konto.verwaltungen) or '–'}\t{art}{_hinweis(konten, konto)}")
            return 0
        if aktion not in AKTIONEN or not benutzername or (aktion == "anlegen" and not rolle):
            print("Fehler: erwartet wird „konto anlegen BENUTZERNAME --rolle ROLLE“, "
                  "„konto passwort BENUTZERNAME“ oder „konto entsperren BENUTZERNAME“.",
                  file=sys.stderr)
            return 2
        if aktion == "entsperren":
            return _entsperren(benutzername)
        if aktion == "passwort":
            bestehendes_konto(lade_konten(path), benutzername)  # before asking for it
            konto = passwort_setzen(path, benutzername, _passwort_abfragen(benutzername))
            print(f"Neues Passwort für „{konto.benutzername}“ in {path} gespeichert.")
            return 0
        pruefe_neuer_name(path, benutzername, ueberschreiben)  # before asking for a password
        passwort = None if nur_oidc else _passwort_abfragen(benutzername)
        konto = konto_anlegen(path, benutzername, rolle, verwaltungen, passwort, email=email,
                              ueberschreiben=ueberschreiben)
    except Ungueltig as exc:
        return _fehler(exc)
    except (KeyboardInterrupt, EOFError):
        print("\nAbgebrochen, nichts wurde gespeichert.", file=sys.stderr)
        return 2
    print(f"Konto „{konto.benutzername}“ ({konto.rolle}) in {path} gespeichert.")
    return 0


def registrieren(sub) -> None:
    """`konto anlegen|passwort|entsperren|liste`."""
    p = sub.add_parser("konto", help="Konten für die Datenpflege anlegen, Passwort ändern, "
                                     "Anmeldesperre aufheben oder Konten auflisten")
    p.add_argument("aktion", choices=AKTIONEN)
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
