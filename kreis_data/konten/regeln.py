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
"""
from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

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


def pruefe_passwort_regeln(passwort: str, benutzername: str = "") -> None:
    """Raise Ungueltig (German) for a password that is too weak to store."""
    if len(passwort) < MIN_PASSWORT_LAENGE:
        raise Ungueltig(f"Das Passwort muss mindestens {MIN_PASSWORT_LAENGE} Zeichen lang sein.")
    if benutzername and passwort.casefold() == benutzername.casefold():
        raise Ungueltig("Das Passwort darf nicht dem Benutzernamen entsprechen.")
