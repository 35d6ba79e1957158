"""The local account file: accounts with role, Verwaltungen and an argon2id password hash.

Accounts live in a TOML file (``IKZ_KONTEN_DATEI``, default ``instance/konten.toml``, which is
git-ignored). Passwords are stored only as salted argon2id hashes; there is no default account
and no default password. With OIDC (``st.login``) the same file maps the e-mail address of the
signed-in person to a role; such entries have no password hash::

    [konten."b.beispiel"]
    rolle = "Redaktion"
    verwaltungen = ["034590008"]
    passwort_hash = "$argon2id$v=19$m=65536,t=3,p=4$..."

    [konten."cdo@landkreis.example.org"]
    rolle = "Kreis-Administration"
    verwaltungen = []
    email = "cdo@landkreis.example.org"

The file is written atomically (temporary file, then rename).
"""
from __future__ import annotations

import functools
import json
import os
import tempfile
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from kreis_data.fehler import Ungueltig
from kreis_data.konten.regeln import REDAKTION, ROLLEN, Benutzer, pruefe_passwort_regeln

KONTEN_ENV = "IKZ_KONTEN_DATEI"
PROJECT_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_KONTEN_DATEI = PROJECT_ROOT / "instance" / "konten.toml"

_hasher = PasswordHasher()  # argon2id, random 16-byte salt per hash


@functools.cache
def _dummy_hash() -> str:
    """Verified when the user name is unknown: a wrong name costs as much as a wrong password."""
    return _hasher.hash("ikz-monitor-kein-konto")


def hash_passwort(passwort: str) -> str:
    """Salted argon2id hash (the salt is part of the returned string)."""
    return _hasher.hash(passwort)


def pruefe_passwort(passwort_hash: str, passwort: str) -> bool:
    try:
        return _hasher.verify(passwort_hash, passwort)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


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
    """Accounts by user name; an absent file means no accounts. Raises Ungueltig if broken."""
    path = Path(datei) if datei else konten_datei()
    if not path.exists():
        return {}
    try:
        daten = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise Ungueltig(f"Kontendatei {path} ist keine gültige TOML-Datei: {exc}") from None
    konten = {}
    for name, eintrag in (daten.get("konten") or {}).items():
        rolle = eintrag.get("rolle")
        if rolle not in ROLLEN:
            raise Ungueltig(f"Kontendatei {path}: Konto „{name}“ hat die unbekannte Rolle "
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
    Raises Ungueltig with a German message on bad input.
    """
    path = Path(datei) if datei else konten_datei()
    benutzername = benutzername.strip()
    if not benutzername:
        raise Ungueltig("Der Benutzername darf nicht leer sein.")
    if rolle not in ROLLEN:
        raise Ungueltig(f"Unbekannte Rolle „{rolle}“ – erlaubt sind {', '.join(ROLLEN)}.")
    verwaltungen = tuple(dict.fromkeys(v.strip() for v in verwaltungen if v.strip()))
    if rolle == REDAKTION and not verwaltungen:
        raise Ungueltig("Für die Rolle „Redaktion“ muss mindestens eine Verwaltung "
                         "(Verwaltungsschlüssel) angegeben werden.")
    if passwort is None and not email and "@" not in benutzername:
        raise Ungueltig("Ohne Passwort kann sich das Konto nur per OIDC anmelden – dafür "
                         "wird eine E-Mail-Adresse benötigt.")
    if passwort is not None:
        pruefe_passwort_regeln(passwort, benutzername)
    konten = lade_konten(path)
    if benutzername in konten and not ueberschreiben:
        raise Ungueltig(f"Das Konto „{benutzername}“ gibt es bereits.")
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
    except Ungueltig:
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
