"""Who may do what: roles and the rules every write service checks. Pure, no I/O.

Roles
    Kreis-Administration  may edit the data of every Verwaltung.
    Redaktion             may edit only the Verwaltungen listed in the account.
    Lesen                 may read, never edit.

What counts as "data of a Verwaltung": its Selbstauskunft, EfA-Anbindungen, Produkte and
Standards (darf_bearbeiten). Kreisweite data – the EfA catalog, Maßnahmen and the Excel imports
of Anbindungen / Produkte – only the Kreis-Administration (darf_kreisweit). A Kooperation belongs
to its Federführung (darf_kooperation_bearbeiten). The write services check these rules first and
raise ``fehler.NichtErlaubt`` (German message); pages only hide what is not allowed.

Reading without login is a configuration (``IKZ_LESEN_OHNE_ANMELDUNG``, default on: the
Lagebild is meant for a shared screen in the Landratsamt); editing ALWAYS needs a login.

Also here, as pure rules: what a password must be (pruefe_passwort_regeln), what an account name
may be (pruefe_benutzername, vergleichsform) and how long a login is locked after failures
(sperrdauer, sperr_meldung). The store of the failures is kreis_data.konten.sperre.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import os
import string
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from kreis_data.fehler import NichtErlaubt, Ungueltig

ADMIN = "Kreis-Administration"
REDAKTION = "Redaktion"
LESEN = "Lesen"
ROLLEN = (ADMIN, REDAKTION, LESEN)
LESEN_ENV = "IKZ_LESEN_OHNE_ANMELDUNG"
MIN_PASSWORT_LAENGE = 10


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
    """Raise NichtErlaubt with a German message unless darf_bearbeiten(...).

    `namen` (key -> name of the Verwaltung) makes the message readable:
    "Sie dürfen nur die Daten von Belm bearbeiten, nicht Melle."
    """
    if darf_bearbeiten(benutzer, verwaltung_key):
        return
    name, eigene = _namens_texte(benutzer, namen)
    if benutzer is not None and benutzer.rolle == REDAKTION and benutzer.verwaltungen:
        raise NichtErlaubt(f"Sie dürfen nur die Daten von {eigene} bearbeiten, "
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
        raise NichtErlaubt("Zum Bearbeiten müssen Sie angemeldet sein.")
    if benutzer.rolle == REDAKTION:
        raise NichtErlaubt("Ihrem Konto ist keine Verwaltung zugeordnet – Sie dürfen nichts "
                              "bearbeiten. Bitte wenden Sie sich an die Kreis-Administration.")
    raise NichtErlaubt(f"Mit der Rolle „{benutzer.rolle}“ dürfen Sie nur lesen, "
                          f"{lesen_statt}.")


def pruefe_angemeldet(benutzer: Benutzer | None) -> Benutzer:
    """The signed-in person, or NichtErlaubt: every write needs a name for the audit log."""
    if benutzer is None:
        raise NichtErlaubt("Zum Bearbeiten müssen Sie angemeldet sein.")
    return benutzer


def darf_kreisweit(benutzer: Benutzer | None) -> bool:
    """Kreisweite data (EfA catalog, Maßnahmen, Excel imports of Anbindungen / Produkte): only
    the Kreis-Administration."""
    return benutzer is not None and benutzer.rolle == ADMIN


def pruefe_kreisweit(benutzer: Benutzer | None, was: str) -> None:
    """Raise NichtErlaubt (German) unless darf_kreisweit(...). `was` completes the sentence
    "Nur die Kreis-Administration darf … ändern.", e.g. "den EfA-Katalog"."""
    if darf_kreisweit(benutzer):
        return
    if benutzer is None:
        raise NichtErlaubt("Zum Bearbeiten müssen Sie angemeldet sein.")
    raise NichtErlaubt(f"Nur die Kreis-Administration darf {was} ändern – mit der Rolle "
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
    """Raise NichtErlaubt (German) unless darf_kooperation_bearbeiten(...)."""
    if darf_kooperation_bearbeiten(benutzer, federfuehrung_key):
        return
    name, eigene = _namens_texte(benutzer, namen)
    if benutzer is not None and benutzer.rolle == REDAKTION and benutzer.verwaltungen:
        if not federfuehrung_key:
            raise NichtErlaubt(f"Sie dürfen nur Kooperationen unter Federführung von {eigene} "
                                  "bearbeiten; ohne Federführung bearbeitet sie die "
                                  "Kreis-Administration.")
        raise NichtErlaubt(f"Sie dürfen nur Kooperationen unter Federführung von {eigene} "
                              f"bearbeiten, nicht unter Federführung von "
                              f"{name(federfuehrung_key)}.")
    _verweigern(benutzer, "keine Kooperation bearbeiten")


def lesen_ohne_anmeldung(env: Mapping[str, str] | None = None) -> bool:
    """IKZ_LESEN_OHNE_ANMELDUNG: "1"/"ja"/"true" (default) or "0"/"nein"/"false"."""
    value = (env if env is not None else os.environ).get(LESEN_ENV, "1").strip().casefold()
    return value not in ("0", "nein", "false", "no", "aus", "off")



# --- Passwords -----------------------------------------------------------------------------------
MAX_PASSWORT_LAENGE = 256  # argon2 hashes any length; a bound keeps a login cheap
# Very common passwords (casefolded); also refused with digits or punctuation around them
# ("Sommer2026!", "Passwort123").
HAEUFIGE_PASSWOERTER = frozenset("""
passwort password kennwort geheim geheimnis hallo hallohallo willkommen welcome admin
administrator root login qwertz qwerty asdf master dragon monkey letmein iloveyou ichliebedich
schatz schatzi sonne sommer winter herbst fruehling frühling januar februar märz maerz april
mai juni juli august september oktober november dezember montag freitag wochenende fussball
fußball football baseball superman batman starwars pokemon computer internet test testtest
tester changeme start default benutzer user landkreis landratsamt kreisverwaltung verwaltung
rathaus gemeinde stadtverwaltung ikz ikzmonitor ikz-monitor monitor deutschland berlin
münchen muenchen hamburg schalke bayern borussia princess sunshine shadow trustno1 abc
""".split())
# Rows whose runs (forwards or backwards, also wrapping round) are "simple sequences".
_REIHEN = ("0123456789", "abcdefghijklmnopqrstuvwxyz", "qwertzuiopü", "asdfghjklöä", "yxcvbnm",
           "qwertyuiop", "asdfghjkl", "zxcvbnm")
_RAND = string.digits + string.punctuation + " "


def pruefe_passwort_regeln(passwort: str, benutzername: str = "") -> None:
    """Raise Ungueltig (every German message in .fehler) for a password too weak to store:
    shorter than MIN_PASSWORT_LAENGE, one repeated character or short block, a simple sequence
    ("1234567890", "abcdefghij", "qwertzuiop"), containing the account name, or a very common
    password (also with digits / punctuation around it)."""
    fehler = []
    klein = passwort.casefold()
    if len(passwort) < MIN_PASSWORT_LAENGE:
        fehler.append(f"Das Passwort ist {len(passwort)} Zeichen lang – es muss mindestens "
                      f"{MIN_PASSWORT_LAENGE} Zeichen lang sein.")
    if len(passwort) > MAX_PASSWORT_LAENGE:
        fehler.append(f"Das Passwort ist {len(passwort)} Zeichen lang – erlaubt sind höchstens "
                      f"{MAX_PASSWORT_LAENGE} Zeichen.")
    if any(unicodedata.category(ch)[0] == "C" for ch in passwort):
        fehler.append("Das Passwort enthält ein Steuer- oder unsichtbares Formatzeichen – "
                      "erlaubt sind nur sichtbare Zeichen und Leerzeichen.")
    if passwort:
        block = next(n for n in range(1, len(klein) + 1)
                     if klein == klein[:n] * (len(klein) // n) + klein[:len(klein) % n])
        if block == 1:
            fehler.append("Das Passwort besteht nur aus einem wiederholten Zeichen – bitte "
                          "verschiedene Zeichen verwenden.")
        elif block <= 3 and len(klein) >= 2 * block:
            fehler.append(f"Das Passwort besteht nur aus der Wiederholung von "
                          f"{block} Zeichen – bitte ein Passwort ohne Muster wählen.")
        elif any(klein in reihe * 3 or klein in (reihe * 3)[::-1] for reihe in _REIHEN):
            fehler.append("Das Passwort ist eine einfache Zeichenfolge (wie „1234567890“, "
                          "„abcdefghij“ oder „qwertzuiop“) – bitte ein Passwort ohne Muster "
                          "wählen.")
    namen = _namensteile(benutzername)
    if any(teil in vergleichsform(passwort) for teil in namen):
        fehler.append("Das Passwort enthält den Benutzernamen – bitte ein Passwort wählen, "
                      "das den Namen nicht enthält.")
    kern = klein.strip(_RAND)
    if klein in HAEUFIGE_PASSWOERTER or kern in HAEUFIGE_PASSWOERTER:
        fehler.append(f"Das Passwort beruht auf dem sehr häufigen Passwort „{kern or klein}“ – "
                      "solche Passwörter werden zuerst ausprobiert.")
    if fehler:
        raise Ungueltig(fehler)


def _namensteile(benutzername: str) -> set[str]:
    """The account name and, for an e-mail address, its local part (at least 3 characters)."""
    name = vergleichsform(benutzername or "")
    teile = {name, name.partition("@")[0]}
    return {t for t in teile if len(t) >= 3}


# --- Account names -------------------------------------------------------------------------------
MIN_NAME_LAENGE, MAX_NAME_LAENGE = 3, 64
NAME_SONDERZEICHEN = "._-@"
NAME_ERLAUBT = ("Buchstaben einer Schrift, Ziffern 0–9 und . _ - @, 3 bis 64 Zeichen, am Anfang "
                "ein Buchstabe oder eine Ziffer")
_SCHRIFTEN = {"LATIN": "Latein", "CYRILLIC": "Kyrillisch", "GREEK": "Griechisch",
              "ARMENIAN": "Armenisch", "HEBREW": "Hebräisch", "ARABIC": "Arabisch"}
# Letters of other scripts that look like Latin ones: one account name, one comparison form.
_DOPPELGAENGER = str.maketrans({
    "а": "a", "в": "b", "е": "e", "ё": "e", "к": "k", "м": "m", "н": "h", "о": "o", "р": "p",
    "с": "c", "т": "t", "у": "y", "х": "x", "і": "i", "ї": "i", "ј": "j", "ѕ": "s", "ԁ": "d",
    "ԛ": "q", "ԝ": "w", "һ": "h", "ӏ": "l", "ɑ": "a", "ο": "o", "α": "a", "ν": "v", "ρ": "p",
    "ι": "i", "κ": "k", "τ": "t", "υ": "u", "χ": "x", "ε": "e", "β": "b", "η": "n", "μ": "u",
    "ı": "i", "ℓ": "l",
})


def zeichen_text(text: str, hoechstens: int = 80) -> str:
    """`text` for a message: invisible and control characters as <U+200B>, long text shortened
    with its length (only in the message, never in what is stored)."""
    sichtbar = "".join(f"<U+{ord(ch):04X}>" if unicodedata.category(ch)[0] in "CZ" and ch != " "
                       else ch for ch in text)
    if len(sichtbar) > hoechstens:
        return f"{sichtbar[:hoechstens]}… ({len(text)} Zeichen)"
    return sichtbar


def _schrift(ch: str) -> str:
    wort = unicodedata.name(ch, "UNBEKANNT").split(" ")[0]
    return _SCHRIFTEN.get(wort, wort.title())


def vergleichsform(name: str) -> str:
    """The form two account names are compared in (and failed logins counted under): NFKC,
    case-folded, look-alike letters of other scripts as their Latin twin."""
    return unicodedata.normalize("NFKC", name).casefold().translate(_DOPPELGAENGER)


def pruefe_benutzername(name: str) -> str:
    """The account name to store, or Ungueltig listing every problem (German).

    Unicode in composed form (NFC); a character that NFKC would change (full-width letters,
    ligatures, superscripts) is refused, not silently replaced. No control or format characters
    (zero-width space, RTL override), only NAME_ERLAUBT, one script (no Latin "admin" with a
    Cyrillic "а")."""
    if not name:
        raise Ungueltig("Der Benutzername darf nicht leer sein – erlaubt sind "
                        f"{NAME_ERLAUBT}.")
    fehler = []
    nfc, nfkc = unicodedata.normalize("NFC", name), unicodedata.normalize("NFKC", name)
    zeigen = zeichen_text(name)
    if nfc != nfkc:
        fehler.append(f"Der Benutzername „{zeigen}“ enthält Sonderformen von Zeichen (z. B. "
                      f"Vollbreite, Ligatur, hochgestellt) – gemeint ist wohl "
                      f"„{zeichen_text(nfkc)}“; bitte so schreiben.")
    for stelle, ch in enumerate(nfc, 1):
        kategorie = unicodedata.category(ch)
        if kategorie[0] in "CZ":
            art = "das Leerzeichen" if ch == " " else "das unsichtbare Steuer- oder Formatzeichen"
            fehler.append(f"Der Benutzername „{zeigen}“ enthält an Stelle {stelle} {art} "
                          f"U+{ord(ch):04X} ({unicodedata.name(ch, 'ohne Namen')}) – erlaubt "
                          f"sind {NAME_ERLAUBT}.")
        elif not (kategorie[0] == "L" or ch in string.digits or ch in NAME_SONDERZEICHEN) \
                and nfc == nfkc:
            fehler.append(f"Der Benutzername „{zeigen}“ enthält an Stelle {stelle} das Zeichen "
                          f"„{ch}“ (U+{ord(ch):04X}) – erlaubt sind {NAME_ERLAUBT}.")
    if not MIN_NAME_LAENGE <= len(nfc) <= MAX_NAME_LAENGE:
        fehler.append(f"Der Benutzername „{zeigen}“ ist {len(nfc)} Zeichen lang – erlaubt sind "
                      f"{MIN_NAME_LAENGE} bis {MAX_NAME_LAENGE} Zeichen.")
    if nfc and (nfc[0] in NAME_SONDERZEICHEN):
        fehler.append(f"Der Benutzername „{zeigen}“ beginnt mit „{nfc[0]}“ – er muss mit einem "
                      "Buchstaben oder einer Ziffer beginnen.")
    schriften = sorted({_schrift(ch) for ch in nfc if unicodedata.category(ch)[0] == "L"})
    if len(schriften) > 1:
        fehler.append(f"Der Benutzername „{zeigen}“ mischt Buchstaben der Schriften "
                      f"{' und '.join(schriften)} – so entstehen Doppelgänger bekannter Namen; "
                      "erlaubt sind Buchstaben einer Schrift.")
    if fehler:
        raise Ungueltig(fehler)
    return nfc


def sperr_schluessel(name: str) -> str:
    """Under which key failed logins of `name` are counted: its vergleichsform (so "Admin",
    "ADMIN" and "аdmin" share one counter); any name, valid or not, known or not – unknown
    names are throttled the same way. Very long input or input with control characters (a NUL
    byte cannot be stored in PostgreSQL text) counts under a hash."""
    form = vergleichsform(name.strip())
    if len(form) <= MAX_NAME_LAENGE and not any(unicodedata.category(z) == "Cc" for z in form):
        return form
    return "sha256:" + hashlib.sha256(form.encode("utf-8", "surrogatepass")).hexdigest()[:40]


# --- Throttling of logins ------------------------------------------------------------------------
MAX_FEHLVERSUCHE = 5  # failures before the first lock
ERSTE_SPERRE = dt.timedelta(minutes=1)  # then 2, 4, 8 … minutes
LAENGSTE_SPERRE = dt.timedelta(hours=1)
VERGESSEN_NACH = dt.timedelta(hours=24)  # failures older than this (and no lock) start anew
ZEITZONE = ZoneInfo("Europe/Berlin")
FALSCH = "Benutzername oder Passwort ist falsch."


def sperrdauer(fehlversuche: int) -> dt.timedelta | None:
    """How long the login is locked after the `fehlversuche`-th failure in a row: none below
    MAX_FEHLVERSUCHE, then 1, 2, 4 … minutes, at most LAENGSTE_SPERRE."""
    if fehlversuche < MAX_FEHLVERSUCHE:
        return None
    stufe = fehlversuche - MAX_FEHLVERSUCHE
    if stufe > 12:
        return LAENGSTE_SPERRE
    return min(ERSTE_SPERRE * 2 ** stufe, LAENGSTE_SPERRE)


def ortszeit(zeitpunkt_utc: dt.datetime) -> str:
    """A UTC time (naive, as stored) as "07:42 Uhr am 30.11.2026" in German local time."""
    lokal = zeitpunkt_utc.replace(tzinfo=dt.UTC).astimezone(ZEITZONE)
    return f"{lokal:%H:%M} Uhr am {lokal:%d.%m.%Y}"


def sperr_meldung(bis_utc: dt.datetime) -> str:
    """The one message of a locked login – the same for known and unknown names."""
    return ("Zu viele fehlgeschlagene Anmeldeversuche: Die Anmeldung mit diesem Benutzernamen ist "
            f"vorübergehend gesperrt, bis {ortszeit(bis_utc)} (deutsche Zeit). Bitte versuchen "
            "Sie es danach erneut; bei Bedarf hebt die Kreis-Administration die Sperre auf.")
