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

Account names are checked before anything is written (regeln.pruefe_benutzername: NFC, no
control or format characters, no mixed scripts, letters/digits/``. _ - @``, 3–64 characters) and
must differ from every existing name in regeln.vergleichsform (case, look-alikes); passwords must
pass regeln.pruefe_passwort_regeln. The file is written atomically: the new text is checked by
reading it back as TOML, written to a temporary file in the same folder, fsync'ed and renamed over
the old one (os.replace) – a crash leaves the old file or the new one, never a broken one. A
broken file (hand-edited, truncated) gives a German message naming the file and the place; it is
never overwritten.
"""
from __future__ import annotations

import functools
import json
import os
import re
import tempfile
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from kreis_data.fehler import Ungueltig
from kreis_data.konten.regeln import (
    REDAKTION,
    ROLLEN,
    Benutzer,
    pruefe_benutzername,
    pruefe_passwort_regeln,
    vergleichsform,
    zeichen_text,
)

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
    """Accounts by user name; an absent file means no accounts. Raises Ungueltig (German,
    naming the file and what is wrong) if the file is unreadable or broken."""
    path = Path(datei) if datei else konten_datei()
    if not path.exists():
        return {}
    kaputt = (f"Die Kontendatei {path} ist beschädigt oder unlesbar – bitte die Datei prüfen oder "
              "aus der Sicherung wiederherstellen (die Kreis-Administration; siehe "
              "docs/anmeldung.md)")
    try:
        daten = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        stelle = re.search(r"line (\d+), column (\d+)", str(exc))
        wo = f" (Zeile {stelle[1]}, Spalte {stelle[2]})" if stelle else ""
        raise Ungueltig(f"{kaputt}: kein gültiges TOML{wo}.") from None
    except UnicodeDecodeError as exc:
        raise Ungueltig(f"{kaputt}: nicht UTF-8-kodiert (Byte {exc.start}).") from None
    except OSError as exc:
        raise Ungueltig(f"{kaputt}: nicht lesbar ({exc.strerror or type(exc).__name__}).") \
            from None
    eintraege = daten.get("konten", {})
    if not isinstance(eintraege, dict):
        raise Ungueltig(f"{kaputt}: „konten“ ist keine Tabelle.")
    konten = {}
    for name, eintrag in eintraege.items():
        zeigen = zeichen_text(name)
        if not isinstance(eintrag, dict):
            raise Ungueltig(f"{kaputt}: Konto „{zeigen}“ ist keine Tabelle.")
        rolle = eintrag.get("rolle")
        if rolle not in ROLLEN:
            raise Ungueltig(f"Kontendatei {path}: Konto „{zeigen}“ hat die unbekannte Rolle "
                            f"„{rolle}“ – erlaubt sind {', '.join(ROLLEN)}")
        verwaltungen = eintrag.get("verwaltungen", [])
        texte = {"passwort_hash": eintrag.get("passwort_hash"), "email": eintrag.get("email")}
        if not isinstance(verwaltungen, list) or not all(
                isinstance(v, str) for v in verwaltungen) or not all(
                w is None or isinstance(w, str) for w in texte.values()):
            raise Ungueltig(f"{kaputt}: Konto „{zeigen}“ hat einen Eintrag vom falschen Typ "
                            "(verwaltungen: Liste von Texten; passwort_hash, email: Text).")
        konten[name] = Konto(name, rolle, tuple(verwaltungen), texte["passwort_hash"],
                             texte["email"])
    return konten


def finde_konto(konten: Mapping[str, Konto], benutzername: str) -> Konto | None:
    """The account of a login name: the exact name, else the one with the same
    regeln.vergleichsform ("R.Belm" finds "r.belm"); None if none or ambiguous."""
    name = benutzername.strip()
    if name in konten:
        return konten[name]
    form = vergleichsform(name)
    treffer = [k for n, k in konten.items() if vergleichsform(n) == form]
    return treffer[0] if len(treffer) == 1 else None


def pruefe_anmeldung(konto: Konto | None, passwort: str) -> Benutzer | None:
    """The Benutzer if `passwort` is this account's; without an account or a password hash a
    dummy hash is verified, so a wrong name costs as much as a wrong password."""
    if konto is None or not konto.passwort_hash:
        pruefe_passwort(_dummy_hash(), passwort)
        return None
    return konto.benutzer() if pruefe_passwort(konto.passwort_hash, passwort) else None


def _toml_str(text: str) -> str:
    """A TOML basic string: JSON escapes are TOML escapes; DEL (allowed in JSON, not in TOML)
    escaped as well."""
    return json.dumps(text, ensure_ascii=False).replace("\x7f", "\\u007f")


def _toml_text(konten: Mapping[str, Konto]) -> str:
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
    return "\n".join(zeilen)


def _schreibe_konten(path: Path, konten: Mapping[str, Konto]) -> None:
    """Write atomically: check the text reads back as the same accounts, write a temporary file
    in the same folder, fsync, os.replace, fsync the folder. On any error the old file stays."""
    text = _toml_text(konten)
    try:
        zurueck = tomllib.loads(text).get("konten", {})
    except tomllib.TOMLDecodeError:
        zurueck = None
    if zurueck is None or list(zurueck) != list(konten):
        raise Ungueltig(f"Die Kontendatei {path} wurde nicht geschrieben: ein Eintrag ließe sich "
                        "nicht wieder einlesen (ungültige Zeichen).")
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".konten-", suffix=".toml")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, 0o600)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    _fsync_ordner(path.parent)


def _fsync_ordner(ordner: Path) -> None:
    """Make the rename durable (POSIX); where a folder cannot be opened (Windows) nothing."""
    try:
        fd = os.open(ordner, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


_VERWALTUNGSSCHLUESSEL = re.compile(r"[0-9]{5,12}")


def _pruefe_verwaltungen(verwaltungen: Iterable[str]) -> tuple[str, ...]:
    schluessel = tuple(dict.fromkeys(v.strip() for v in verwaltungen if v.strip()))
    falsch = [v for v in schluessel if not _VERWALTUNGSSCHLUESSEL.fullmatch(v)]
    if falsch:
        raise Ungueltig([f"Verwaltungsschlüssel „{zeichen_text(v)}“ ist ungültig – erwartet "
                         "werden 5 bis 12 Ziffern (z. B. 034590008)." for v in falsch])
    return schluessel


def _pruefe_email(email: str) -> str:
    if not (3 <= len(email) <= 200) or "@" not in email or any(
            not ch.isprintable() or ch.isspace() for ch in email):
        raise Ungueltig(f"Die E-Mail-Adresse „{zeichen_text(email)}“ ist ungültig – erwartet "
                        "wird name@beispiel.de ohne Leer- und Steuerzeichen, höchstens 200 "
                        "Zeichen.")
    return email


def _doppelt(konten: Mapping[str, Konto], benutzername: str) -> str | None:
    """The existing name that differs from `benutzername` only in case or look-alikes."""
    form = vergleichsform(benutzername)
    return next((n for n in konten if n != benutzername and vergleichsform(n) == form), None)


def _pruefe_frei(konten: Mapping[str, Konto], benutzername: str, ueberschreiben: bool) -> None:
    aehnlich = _doppelt(konten, benutzername)
    if aehnlich is not None:
        raise Ungueltig(f"Das Konto „{zeichen_text(aehnlich)}“ gibt es bereits – „{benutzername}“ "
                        "unterscheidet sich davon nur in Groß-/Kleinschreibung oder "
                        "gleich aussehenden Zeichen.")
    if benutzername in konten and not ueberschreiben:
        raise Ungueltig(f"Das Konto „{benutzername}“ gibt es bereits.")


def pruefe_neuer_name(datei: Path | str | None, benutzername: str,
                      ueberschreiben: bool = False) -> str:
    """The checked name (pruefe_benutzername) if an account of that name may be created now –
    for the command line, before it asks for a password. Raises Ungueltig (German)."""
    benutzername = pruefe_benutzername(benutzername)
    _pruefe_frei(lade_konten(datei), benutzername, ueberschreiben)
    return benutzername


def konto_anlegen(datei: Path | str | None, benutzername: str, rolle: str,
                  verwaltungen: Iterable[str] = (), passwort: str | None = None, *,
                  email: str | None = None, ueberschreiben: bool = False) -> Konto:
    """Add (or with ueberschreiben replace) an account; stores only the password hash.

    passwort=None creates an entry for OIDC sign-in only (matched by e-mail, no local login).
    Every input is checked before the file is touched; raises Ungueltig with German messages
    (the file stays byte-identical).
    """
    path = Path(datei) if datei else konten_datei()
    benutzername = pruefe_benutzername(benutzername)
    if rolle not in ROLLEN:
        raise Ungueltig(f"Unbekannte Rolle „{rolle}“ – erlaubt sind {', '.join(ROLLEN)}.")
    verwaltungen = _pruefe_verwaltungen(verwaltungen)
    if rolle == REDAKTION and not verwaltungen:
        raise Ungueltig("Für die Rolle „Redaktion“ muss mindestens eine Verwaltung "
                         "(Verwaltungsschlüssel) angegeben werden.")
    if email is not None:
        email = _pruefe_email(email)
    if passwort is None and not email and "@" not in benutzername:
        raise Ungueltig("Ohne Passwort kann sich das Konto nur per OIDC anmelden – dafür "
                         "wird eine E-Mail-Adresse benötigt.")
    if passwort is not None:
        pruefe_passwort_regeln(passwort, benutzername)
    konten = lade_konten(path)
    _pruefe_frei(konten, benutzername, ueberschreiben)
    konto = Konto(benutzername, rolle, verwaltungen,
                  hash_passwort(passwort) if passwort is not None else None,
                  email or (benutzername if "@" in benutzername and passwort is None else None))
    konten[benutzername] = konto
    _schreibe_konten(path, konten)
    return konto


def bestehendes_konto(konten: Mapping[str, Konto], benutzername: str) -> Konto:
    """finde_konto, or Ungueltig (German) if there is no such account."""
    konto = finde_konto(konten, benutzername)
    if konto is None:
        raise Ungueltig(f"Das Konto „{zeichen_text(benutzername)}“ gibt es nicht – "
                        "„konto liste“ zeigt die Konten.")
    return konto


def passwort_setzen(datei: Path | str | None, benutzername: str, passwort: str) -> Konto:
    """A new password for an existing account (same rules as for a new one)."""
    path = Path(datei) if datei else konten_datei()
    konten = lade_konten(path)
    konto = bestehendes_konto(konten, benutzername)
    pruefe_passwort_regeln(passwort, konto.benutzername)
    neu = Konto(konto.benutzername, konto.rolle, konto.verwaltungen, hash_passwort(passwort),
                konto.email)
    konten[konto.benutzername] = neu
    _schreibe_konten(path, konten)
    return neu


def anmelden(datei: Path | str | None, benutzername: str, passwort: str) -> Benutzer | None:
    """The Benutzer for a correct user name + password, else None (same effort either way).
    Without throttling – the app logs in through kreis_data.konten.sperre.anmelden."""
    try:
        konto = finde_konto(lade_konten(datei), benutzername)
    except Ungueltig:
        konto = None
    return pruefe_anmeldung(konto, passwort)


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
