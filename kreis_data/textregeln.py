"""Shared rules for every value that enters the system (forms and imports alike), pure:

* ``pruefe_text``: free text – normalised NFKC, no control characters, no longer than its
  column (``laenge(Model, "feld")`` reads ``String(n)`` from ``kreis_data.model``; ``Text``
  columns get ``TEXT_MAX``). Too long is refused, never cut. A truth value (Excel WAHR/FALSCH) or
  a decimal number where text is expected is refused.
* ``pruefe_name``: keys and catalog names (product, Leistung, Standard, Kooperation names):
  ``pruefe_text`` plus no invisible/format characters (zero-width space, BIDI controls), no
  letters of several scripts (Cyrillic/Greek look-alikes among Latin ones), not only a number
  or a date; ``gleicher_name`` finds an existing entry that differs only by case, spaces,
  NFKC or look-alike letters (map to it, or refuse with "meinten Sie …").
* ``pruefe_zahl_kein_wahrheitswert``: numbers (Stufe, Reifegrad, Dauer) – ``True`` is an ``int``
  in Python; a WAHR/FALSCH cell must never become 1/0.
* ``pruefe_datum``: a date within a plausible range around today (``quartal.bereich``).
* ``pruefe_zelle``: a formula cell without a calculated value (``FORMEL_OHNE_WERT`` of the
  spreadsheet reader) is refused – never treated as empty.

Every function raises ``ValueError`` with a German message (what was given and what is
allowed); callers add file, row and column or raise ``fehler.Ungueltig``.
"""
from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Iterable

from kreis_data import quartal as quartal_regeln
from kreis_data.io import tabelle as _tabelle

TEXT_MAX = 10_000  # Text columns (Bemerkung, Maßnahme fields …): no SQL limit, this one
DATUM_FRUEHESTENS = dt.date(1900, 1, 1)  # historic dates (start of a Kooperation)

# Control characters (category Cc) except tab, line feed and carriage return.
_STEUERZEICHEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def laenge(model: type, feld: str) -> int:
    """Maximum length of a text column: String(n) -> n; Text -> TEXT_MAX."""
    typ = model.__table__.c[feld].type
    return getattr(typ, "length", None) or TEXT_MAX


# The spreadsheet reader's marker for a formula cell without a cached value.
FORMEL_OHNE_WERT = getattr(_tabelle, "FORMEL_OHNE_WERT", None)
FORMEL_OHNE_WERT_MELDUNG = getattr(_tabelle, "FORMEL_OHNE_WERT_MELDUNG",
                                   "Zelle enthält eine Formel ohne berechneten Wert – bitte den "
                                   "Wert direkt eintragen")


def ist_formel_ohne_wert(value: object) -> bool:
    return FORMEL_OHNE_WERT is not None and value is FORMEL_OHNE_WERT


def pruefe_zelle(value: object) -> object:
    """Refuse a formula cell without a calculated value (else return the value unchanged)."""
    if ist_formel_ohne_wert(value):
        raise ValueError(FORMEL_OHNE_WERT_MELDUNG)
    return value


def zeichen_name(zeichen: str) -> str:
    """"U+200B (ZERO WIDTH SPACE)" for messages."""
    return f"U+{ord(zeichen):04X} ({unicodedata.name(zeichen, 'Steuerzeichen')})"


def _kurz(text: str, laenge_: int = 40) -> str:
    """A value for a message (only the message is shortened, never the value)."""
    return text if len(text) <= laenge_ else text[:laenge_] + " …"


def pruefe_text(value: object, feld: str, *, max_laenge: int = TEXT_MAX,
                strip: bool = True) -> str | None:
    """Free text as entered, NFKC-normalised; None for empty. ValueError (German) for a truth
    value, a decimal number, a control character or more than ``max_laenge`` characters."""
    pruefe_zelle(value)
    if value is None:
        return None
    if isinstance(value, bool):
        raise ValueError(f"{feld}: „{'WAHR' if value else 'FALSCH'}“ ist ein Wahrheitswert – "
                         "erwartet wird Text (in Excel die Zelle als Text eintragen)")
    if isinstance(value, float):
        if value != value:  # NaN from pandas: empty
            return None
        if not value.is_integer():
            raise ValueError(f"{feld}: {value!r} ist eine Kommazahl – erwartet wird Text (in "
                             "Excel die Zelle als Text formatieren oder ein ' voranstellen)")
        value = int(value)
    if isinstance(value, int):
        value = str(value)
    elif isinstance(value, dt.datetime):
        value = value.strftime("%d.%m.%Y %H:%M") if value.time() != dt.time() \
            else value.strftime("%d.%m.%Y")
    elif isinstance(value, dt.date):
        value = value.strftime("%d.%m.%Y")
    elif not isinstance(value, str):
        raise ValueError(f"{feld}: ein Wert vom Typ {type(value).__name__} ist kein Text – "
                         "erwartet wird Text")
    text = value if value.isascii() else unicodedata.normalize("NFKC", value)
    if strip:
        text = text.strip()
    if text == "":
        return None
    if steuerzeichen := _STEUERZEICHEN.search(text):
        raise ValueError(f"{feld}: „{_kurz(text)}“ enthält das Steuerzeichen "
                         f"{zeichen_name(steuerzeichen.group())} – erlaubt sind Text, "
                         "Zeilenumbrüche und Tabulatoren")
    if len(text) > max_laenge:
        raise ValueError(f"{feld}: {len(text)} Zeichen sind zu lang – erlaubt sind höchstens "
                         f"{max_laenge} Zeichen (es wird nichts gekürzt; bitte den Text kürzen)")
    return text


# --- Names and keys --------------------------------------------------------------------------
_NUR_ZAHL_ODER_DATUM = re.compile(r"^[\d\s.,:/+\-–]+$")

# Letters of other scripts that look like Latin ones (the usual confusables).
_VERWECHSELBAR = str.maketrans({
    # Cyrillic
    "а": "a", "в": "b", "е": "e", "к": "k", "м": "m", "н": "h", "о": "o", "р": "p", "с": "c",
    "т": "t", "у": "y", "х": "x", "і": "i", "ј": "j", "ѕ": "s", "ԁ": "d", "ԛ": "q", "ԝ": "w",
    "А": "A", "В": "B", "Е": "E", "К": "K", "М": "M", "Н": "H", "О": "O", "Р": "P", "С": "C",
    "Т": "T", "У": "Y", "Х": "X", "І": "I", "Ј": "J", "Ѕ": "S",
    # Greek
    "α": "a", "ο": "o", "ρ": "p", "ν": "v", "ι": "i", "κ": "k", "τ": "t", "υ": "u",
    "Α": "A", "Β": "B", "Ε": "E", "Ζ": "Z", "Η": "H", "Ι": "I", "Κ": "K", "Μ": "M", "Ν": "N",
    "Ο": "O", "Ρ": "P", "Τ": "T", "Υ": "Y", "Χ": "X",
})


def _schrift(zeichen: str) -> str | None:
    """Script of a letter from its Unicode name (LATIN, CYRILLIC, GREEK …); None otherwise."""
    if not zeichen.isalpha():
        return None
    name = unicodedata.name(zeichen, "")
    return name.split(" ", 1)[0] if name else None


def vergleichsform(name: str) -> str:
    """The form two names are compared in: NFKC, case, spaces and look-alike letters do not
    matter ("Ｄｏｍｅａ", "domea ", "Dоmea" with a Cyrillic о all give "domea")."""
    text = unicodedata.normalize("NFKC", name)
    text = "".join(z for z in text if unicodedata.category(z) not in ("Cf", "Cc"))
    text = text.translate(_VERWECHSELBAR)
    return " ".join(text.casefold().split())


def pruefe_name(value: object, feld: str, *, max_laenge: int) -> str | None:
    """A key or catalog name: ``pruefe_text`` (whitespace collapsed) plus no invisible
    characters, one script only, not only a number or a date. None for empty."""
    if isinstance(value, (int, float)) and not isinstance(value, bool) and value == value:
        raise ValueError(f"{feld}: „{value}“ ist nur eine Zahl – erwartet wird ein Name "
                         "(Buchstaben)")
    if isinstance(value, (dt.date, dt.datetime)):
        raise ValueError(f"{feld}: „{value:%d.%m.%Y}“ ist ein Datum – erwartet wird ein Name")
    text = pruefe_text(value, feld, max_laenge=max_laenge)
    if text is None:
        return None
    for zeichen in text:
        kategorie = unicodedata.category(zeichen)
        if kategorie in ("Cf", "Cc", "Co", "Cn", "Zl", "Zp") or (
                kategorie == "Zs" and zeichen != " "):
            raise ValueError(f"{feld}: „{_kurz(text)}“ enthält das unsichtbare Zeichen "
                             f"{zeichen_name(zeichen)} – erlaubt sind sichtbare Zeichen und "
                             "Leerzeichen")
    text = " ".join(text.split())
    schriften = sorted({s for s in map(_schrift, text) if s})
    if len(schriften) > 1:
        fremd = [z for z in text if _schrift(z) not in (None, "LATIN")]
        raise ValueError(f"{feld}: „{_kurz(text)}“ mischt Buchstaben mehrerer Schriften "
                         f"({', '.join(schriften)}; z. B. {zeichen_name(fremd[0])}) – das sind "
                         "Doppelgänger lateinischer Buchstaben; bitte den Namen neu eintippen")
    if _NUR_ZAHL_ODER_DATUM.match(text):
        raise ValueError(f"{feld}: „{_kurz(text)}“ ist nur eine Zahl oder ein Datum – erwartet "
                         "wird ein Name (Buchstaben)")
    return text


def gleicher_name(name: str, bekannte: Iterable[str]) -> str | None:
    """The existing entry that ``name`` equals up to case, spaces, NFKC and look-alike letters
    (the exact same spelling first); None when it is really new."""
    bekannte = list(bekannte)
    if name in bekannte:
        return name
    form = vergleichsform(name)
    return next((b for b in bekannte if vergleichsform(b) == form), None)


def meinten_sie(name: str, vorhanden: str, feld: str) -> str:
    return (f"{feld}: „{_kurz(name)}“ unterscheidet sich von dem vorhandenen Eintrag "
            f"„{vorhanden}“ nur in Schreibweise, Leerzeichen oder Doppelgänger-Buchstaben – "
            f"meinten Sie „{vorhanden}“? Bitte genau so schreiben")


# --- Numbers ---------------------------------------------------------------------------------
def pruefe_kein_wahrheitswert(value: object, feld: str) -> object:
    """Refuse WAHR/FALSCH (bool is an int in Python) where a number is expected."""
    pruefe_zelle(value)
    if isinstance(value, bool):
        raise ValueError(f"{feld}: „{'WAHR' if value else 'FALSCH'}“ ist ein Wahrheitswert, "
                         "keine Zahl – bitte die Zahl bzw. den Wert eintragen")
    return value


# --- Dates -----------------------------------------------------------------------------------
def datumsbereich(*, planung: bool = False, historisch: bool = False,
                  heute: dt.date | None = None) -> tuple[dt.date, dt.date]:
    """Plausible dates: from the start of the first allowed quarter (``historisch``: 1900) to
    the end of the last allowed quarter (``planung``: the longer plan range)."""
    grenzen = quartal_regeln.bereich(heute, planung=planung)
    von = DATUM_FRUEHESTENS if historisch else grenzen.von.start
    return von, grenzen.bis.ende


def pruefe_datum(datum: dt.date | None, feld: str, *, planung: bool = False,
                 historisch: bool = False, heute: dt.date | None = None) -> dt.date | None:
    """A date within the plausible range (see ``datumsbereich``); ValueError otherwise."""
    if datum is None:
        return None
    if isinstance(datum, dt.datetime):
        datum = datum.date()
    von, bis = datumsbereich(planung=planung, historisch=historisch, heute=heute)
    if not von <= datum <= bis:
        lage = "zu weit in der Zukunft" if datum > bis else "zu weit in der Vergangenheit"
        raise ValueError(f"{feld}: {datum:%d.%m.%Y} liegt {lage} – erlaubt sind Daten vom "
                         f"{von:%d.%m.%Y} bis {bis:%d.%m.%Y}")
    return datum
