"""Who may do what: roles, the local account file, password hashes. No Streamlit here.

Roles
    Kreis-Administration  may edit the data of every Verwaltung.
    Redaktion             may edit only the Verwaltungen listed in the account.
    Lesen                 may read, never edit.

What counts as "data of a Verwaltung": its Selbstauskunft, EfA-Anbindungen, Produkte and
Standards (darf_bearbeiten). Kreisweite data – the EfA catalog, Maßnahmen and the Excel imports
of Anbindungen / Produkte – only the Kreis-Administration (darf_kreisweit). A Kooperation belongs
to its Federführung (darf_kooperation_bearbeiten). The write functions of kreis_data check these
rules first and raise PermissionError (German message); pages only hide what is not allowed.

Reading without login is a configuration (``IKZ_LESEN_OHNE_ANMELDUNG``, default on: the
Lagebild is meant for a shared screen in the Landratsamt); editing ALWAYS needs a login.

Local accounts live in a TOML file (``IKZ_KONTEN_DATEI``, default ``instance/konten.toml``, which
is git-ignored). Passwords are stored only as salted argon2id hashes; there is no default
account and no default password. With OIDC (``st.login``) the same file maps the e-mail address
of the signed-in person to a role; such entries have no password hash::

    [konten."b.beispiel"]
    rolle = "Redaktion"
    verwaltungen = ["034590008"]
    passwort_hash = "$argon2id$v=19$m=65536,t=3,p=4$..."

    [konten."cdo@landkreis.example.org"]
    rolle = "Kreis-Administration"
    verwaltungen = []
    email = "cdo@landkreis.example.org"
"""
from __future__ import annotations

import argparse
import functools
import getpass
import json
import os
import sys
import tempfile
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

ADMIN = "Kreis-Administration"
REDAKTION = "Redaktion"
LESEN = "Lesen"
ROLLEN = (ADMIN, REDAKTION, LESEN)

KONTEN_ENV = "IKZ_KONTEN_DATEI"
LESEN_ENV = "IKZ_LESEN_OHNE_ANMELDUNG"
PASSWORT_ENV = "IKZ_KONTO_PASSWORT"  # only for scripted account creation (CLI)
PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_KONTEN_DATEI = PROJECT_ROOT / "instance" / "konten.toml"
MIN_PASSWORT_LAENGE = 10

_hasher = PasswordHasher()  # argon2id, random 16-byte salt per hash


@functools.cache
def _dummy_hash() -> str:
    """Verified when the user name is unknown: a wrong name costs as much as a wrong password."""
    return _hasher.hash("ikz-monitor-kein-konto")


@dataclass(frozen=True)
class Benutzer:
    """A signed-in person: name as shown in the audit log, role, editable Verwaltungen."""

    name: str
    rolle: str
    verwaltungen: frozenset[str] = field(default_factory=frozenset)
    email: str | None = None

    @property
    def ist_admin(self) -> bool:
        return self.rolle == ADMIN


# --- Rules ---------------------------------------------------------------------------------------
def darf_bearbeiten(benutzer: Benutzer | None, verwaltung_key: str) -> bool:
    """True if this person may change data of this Verwaltung. Not signed in -> never."""
    if benutzer is None:
        return False
    if benutzer.rolle == ADMIN:
        return True
    if benutzer.rolle == REDAKTION:
        return verwaltung_key in benutzer.verwaltungen
    return False


def bearbeitbare_verwaltungen(benutzer: Benutzer | None, alle: Iterable[str]) -> list[str]:
    """The keys out of `alle` (order kept) this person may edit."""
    return [key for key in alle if darf_bearbeiten(benutzer, key)]


def pruefe_bearbeiten(benutzer: Benutzer | None, verwaltung_key: str,
                      namen: Mapping[str, str] | None = None) -> None:
    """Raise PermissionError with a German message unless darf_bearbeiten(...).

    `namen` (key -> name of the Verwaltung) makes the message readable:
    "Sie dürfen nur die Daten von Belm bearbeiten, nicht Melle."
    """
    if darf_bearbeiten(benutzer, verwaltung_key):
        return
    name, eigene = _namens_texte(benutzer, namen)
    if benutzer is not None and benutzer.rolle == REDAKTION and benutzer.verwaltungen:
        raise PermissionError(f"Sie dürfen nur die Daten von {eigene} bearbeiten, "
                              f"nicht {name(verwaltung_key)}.")
    _verweigern(benutzer, f"nicht {name(verwaltung_key)} bearbeiten")


def _namens_texte(benutzer: Benutzer | None, namen: Mapping[str, str] | None):
    """(key -> readable name, "Belm und Bohmte" for the user's own Verwaltungen)."""
    namen = namen or {}

    def name(key: str) -> str:
        return namen.get(key, key)

    eigene = (" und ".join(name(k) for k in sorted(benutzer.verwaltungen, key=name))
              if benutzer is not None else "")
    return name, eigene


def _verweigern(benutzer: Benutzer | None, lesen_statt: str) -> None:
    """The refusals common to every rule: not signed in, Redaktion without Verwaltung, Lesen."""
    if benutzer is None:
        raise PermissionError("Zum Bearbeiten müssen Sie angemeldet sein.")
    if benutzer.rolle == REDAKTION:
        raise PermissionError("Ihrem Konto ist keine Verwaltung zugeordnet – Sie dürfen nichts "
                              "bearbeiten. Bitte wenden Sie sich an die Kreis-Administration.")
    raise PermissionError(f"Mit der Rolle „{benutzer.rolle}“ dürfen Sie nur lesen, "
                          f"{lesen_statt}.")


def darf_kreisweit(benutzer: Benutzer | None) -> bool:
    """Kreisweite data (EfA catalog, Maßnahmen, Excel imports of Anbindungen / Produkte): only
    the Kreis-Administration."""
    return benutzer is not None and benutzer.rolle == ADMIN


def pruefe_kreisweit(benutzer: Benutzer | None, was: str) -> None:
    """Raise PermissionError (German) unless darf_kreisweit(...). `was` completes the sentence
    "Nur die Kreis-Administration darf … ändern.", e.g. "den EfA-Katalog"."""
    if darf_kreisweit(benutzer):
        return
    if benutzer is None:
        raise PermissionError("Zum Bearbeiten müssen Sie angemeldet sein.")
    raise PermissionError(f"Nur die Kreis-Administration darf {was} ändern – mit der Rolle "
                          f"„{benutzer.rolle}“ ist das nicht möglich.")


def darf_kooperation_bearbeiten(benutzer: Benutzer | None, federfuehrung_key: str | None) -> bool:
    """Create / edit / end a Kooperation: the Kreis-Administration always; a Redaktion only if
    the Federführung (for a new one: the new Federführung) is one of its Verwaltungen. A
    Kooperation without Federführung belongs to the Kreis-Administration."""
    if benutzer is None:
        return False
    if benutzer.rolle == ADMIN:
        return True
    if benutzer.rolle == REDAKTION:
        return bool(federfuehrung_key) and federfuehrung_key in benutzer.verwaltungen
    return False


def pruefe_kooperation_bearbeiten(benutzer: Benutzer | None, federfuehrung_key: str | None,
                                  namen: Mapping[str, str] | None = None) -> None:
    """Raise PermissionError (German) unless darf_kooperation_bearbeiten(...)."""
    if darf_kooperation_bearbeiten(benutzer, federfuehrung_key):
        return
    name, eigene = _namens_texte(benutzer, namen)
    if benutzer is not None and benutzer.rolle == REDAKTION and benutzer.verwaltungen:
        if not federfuehrung_key:
            raise PermissionError(f"Sie dürfen nur Kooperationen unter Federführung von {eigene} "
                                  "bearbeiten; ohne Federführung bearbeitet sie die "
                                  "Kreis-Administration.")
        raise PermissionError(f"Sie dürfen nur Kooperationen unter Federführung von {eigene} "
                              f"bearbeiten, nicht unter Federführung von "
                              f"{name(federfuehrung_key)}.")
    _verweigern(benutzer, "keine Kooperation bearbeiten")


def lesen_ohne_anmeldung(env: Mapping[str, str] | None = None) -> bool:
    """IKZ_LESEN_OHNE_ANMELDUNG: "1"/"ja"/"true" (default) or "0"/"nein"/"false"."""
    value = (env if env is not None else os.environ).get(LESEN_ENV, "1").strip().casefold()
    return value not in ("0", "nein", "false", "no", "aus", "off")


# --- Passwords -----------------------------------------------------------------------------------
def hash_passwort(passwort: str) -> str:
    """Salted argon2id hash (the salt is part of the returned string)."""
    return _hasher.hash(passwort)


def pruefe_passwort(passwort_hash: str, passwort: str) -> bool:
    try:
        return _hasher.verify(passwort_hash, passwort)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def pruefe_passwort_regeln(passwort: str, benutzername: str = "") -> None:
    """Raise ValueError (German) for a password that is too weak to store."""
    if len(passwort) < MIN_PASSWORT_LAENGE:
        raise ValueError(f"Das Passwort muss mindestens {MIN_PASSWORT_LAENGE} Zeichen lang sein.")
    if benutzername and passwort.casefold() == benutzername.casefold():
        raise ValueError("Das Passwort darf nicht dem Benutzernamen entsprechen.")


# --- Account file --------------------------------------------------------------------------------
@dataclass(frozen=True)
class Konto:
    benutzername: str
    rolle: str
    verwaltungen: tuple[str, ...] = ()
    passwort_hash: str | None = None
    email: str | None = None

    def benutzer(self) -> Benutzer:
        return Benutzer(self.benutzername, self.rolle, frozenset(self.verwaltungen), self.email)


def konten_datei(env: Mapping[str, str] | None = None) -> Path:
    value = (env if env is not None else os.environ).get(KONTEN_ENV)
    return Path(value) if value else DEFAULT_KONTEN_DATEI


def lade_konten(datei: Path | str | None = None) -> dict[str, Konto]:
    """Accounts by user name; an absent file means no accounts. Raises ValueError if broken."""
    path = Path(datei) if datei else konten_datei()
    if not path.exists():
        return {}
    try:
        daten = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ValueError(f"Kontendatei {path} ist keine gültige TOML-Datei: {exc}") from None
    konten = {}
    for name, eintrag in (daten.get("konten") or {}).items():
        rolle = eintrag.get("rolle")
        if rolle not in ROLLEN:
            raise ValueError(f"Kontendatei {path}: Konto „{name}“ hat die unbekannte Rolle "
                             f"„{rolle}“ – erlaubt sind {', '.join(ROLLEN)}")
        konten[name] = Konto(name, rolle, tuple(str(v) for v in eintrag.get("verwaltungen", [])),
                             eintrag.get("passwort_hash"), eintrag.get("email"))
    return konten


def _toml_str(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)  # JSON string escapes are valid TOML escapes


def _schreibe_konten(path: Path, konten: Mapping[str, Konto]) -> None:
    zeilen = ["# IKZ-Monitor – Konten. Nur Passwort-Hashes (argon2id), keine Passwörter.",
              "# Anlegen: python -m kreis_data konto anlegen … (siehe docs/anmeldung.md)", ""]
    for konto in konten.values():
        zeilen.append(f"[konten.{_toml_str(konto.benutzername)}]")
        zeilen.append(f"rolle = {_toml_str(konto.rolle)}")
        zeilen.append("verwaltungen = [" + ", ".join(_toml_str(v) for v in konto.verwaltungen)
                      + "]")
        if konto.passwort_hash:
            zeilen.append(f"passwort_hash = {_toml_str(konto.passwort_hash)}")
        if konto.email:
            zeilen.append(f"email = {_toml_str(konto.email)}")
        zeilen.append("")
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".konten-", suffix=".toml")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write("\n".join(zeilen))
        os.chmod(tmp, 0o600)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def konto_anlegen(datei: Path | str | None, benutzername: str, rolle: str,
                  verwaltungen: Iterable[str] = (), passwort: str | None = None, *,
                  email: str | None = None, ueberschreiben: bool = False) -> Konto:
    """Add (or with ueberschreiben replace) an account; stores only the password hash.

    passwort=None creates an entry for OIDC sign-in only (matched by e-mail, no local login).
    Raises ValueError with a German message on bad input.
    """
    path = Path(datei) if datei else konten_datei()
    benutzername = benutzername.strip()
    if not benutzername:
        raise ValueError("Der Benutzername darf nicht leer sein.")
    if rolle not in ROLLEN:
        raise ValueError(f"Unbekannte Rolle „{rolle}“ – erlaubt sind {', '.join(ROLLEN)}.")
    verwaltungen = tuple(dict.fromkeys(v.strip() for v in verwaltungen if v.strip()))
    if rolle == REDAKTION and not verwaltungen:
        raise ValueError("Für die Rolle „Redaktion“ muss mindestens eine Verwaltung "
                         "(Verwaltungsschlüssel) angegeben werden.")
    if passwort is None and not email and "@" not in benutzername:
        raise ValueError("Ohne Passwort kann sich das Konto nur per OIDC anmelden – dafür "
                         "wird eine E-Mail-Adresse benötigt.")
    if passwort is not None:
        pruefe_passwort_regeln(passwort, benutzername)
    konten = lade_konten(path)
    if benutzername in konten and not ueberschreiben:
        raise ValueError(f"Das Konto „{benutzername}“ gibt es bereits.")
    konto = Konto(benutzername, rolle, verwaltungen,
                  hash_passwort(passwort) if passwort is not None else None,
                  email or (benutzername if "@" in benutzername and passwort is None else None))
    konten[benutzername] = konto
    _schreibe_konten(path, konten)
    return konto


def anmelden(datei: Path | str | None, benutzername: str, passwort: str) -> Benutzer | None:
    """The Benutzer for a correct user name + password, else None (same effort either way)."""
    try:
        konto = lade_konten(datei).get(benutzername.strip())
    except ValueError:
        konto = None
    if konto is None or not konto.passwort_hash:
        pruefe_passwort(_dummy_hash(), passwort)
        return None
    return konto.benutzer() if pruefe_passwort(konto.passwort_hash, passwort) else None


def benutzer_fuer_email(datei: Path | str | None, email: str | None) -> Benutzer | None:
    """OIDC: the account whose e-mail (or user name) is this address, case-insensitive."""
    if not email:
        return None
    gesucht = email.strip().casefold()
    for konto in lade_konten(datei).values():
        if gesucht in {konto.benutzername.casefold(), (konto.email or "").casefold()}:
            return Benutzer(konto.email or konto.benutzername, konto.rolle,
                            frozenset(konto.verwaltungen), konto.email or konto.benutzername)
    return None


# --- Command line (wired in kreis_data/cli.py) ---------------------------------------------------
def _passwort_abfragen(benutzername: str) -> str:
    if os.environ.get(PASSWORT_ENV):
        return os.environ[PASSWORT_ENV]
    erstes = getpass.getpass(f"Passwort für {benutzername}: ")
    zweites = getpass.getpass("Passwort wiederholen: ")
    if erstes != zweites:
        raise ValueError("Die beiden Passwörter stimmen nicht überein.")
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
    except ValueError as exc:
        print(f"Fehler: {exc}", file=sys.stderr)
        return 2
    except (KeyboardInterrupt, EOFError):
        print("\nAbgebrochen, nichts wurde gespeichert.", file=sys.stderr)
        return 2
    print(f"Konto „{konto.benutzername}“ ({konto.rolle}) in {path} gespeichert.")
    return 0


def add_konto_parser(sub) -> None:
    """Register `konto anlegen|liste` on the subparsers of kreis_data/cli.py."""
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


def _main(argv: list[str] | None = None) -> int:  # pragma: no cover - manual use
    parser = argparse.ArgumentParser(prog="python -m kreis_data.auth")
    add_konto_parser(parser.add_subparsers(dest="befehl", required=True))
    args = parser.parse_args(argv)
    return args.func(args)


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(_main())
