"""Login with throttling that holds: failed attempts are counted per account name in the
database (table anmeldeversuch), so a reload, a new browser session, a restart of the app or
another server process sharing the database does not reset them.

* The lock is checked BEFORE the password hash is verified: a locked name costs nothing and
  learns nothing, not even whether the password was right.
* After regeln.MAX_FEHLVERSUCHE failures in a row the login under that name is locked for 1,
  2, 4 … minutes (at most one hour, regeln.sperrdauer); the message says until when (German
  time). Unknown names are counted and locked exactly the same way (no user enumeration).
* Names are counted under regeln.sperr_schluessel ("Admin", "admin", "аdmin" share a counter).
* A successful login deletes the counter; failures older than a day without a lock are forgotten.
* Every attempt – successful, failed, refused while locked – is an audit entry (objekt
  "anmeldung"; who, when, result; never the password). Unknown names are recorded as
  "(unbekanntes Konto)" with a short hash, so a password typed into the name field never lands
  in the log. Those entries are no data version (audit.KEINE_DATEN): a login invalidates no cache.

The counter is changed with one atomic INSERT … ON CONFLICT DO UPDATE … RETURNING, so two
processes failing at the same moment both count.
"""
from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine, case, delete, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from kreis_data import audit
from kreis_data.database import transaction
from kreis_data.konten import kontodatei, regeln
from kreis_data.model import AnmeldeVersuch

UNBEKANNT = "(unbekanntes Konto)"
KONTEXT = "Anmeldung mit Passwort"


def jetzt() -> dt.datetime:
    """Now in UTC, naive (as stored). Tests replace it to move the clock."""
    return audit.now()


@dataclass(frozen=True)
class Anmeldung:
    """The result of a login attempt: the person, or the German message why not."""

    benutzer: regeln.Benutzer | None
    meldung: str | None = None
    gesperrt_bis: dt.datetime | None = None  # UTC


def gesperrt_bis(engine: Engine, benutzername: str,
                 zeitpunkt: dt.datetime | None = None) -> dt.datetime | None:
    """Until when (UTC) logins under this name are locked, or None."""
    zeit = zeitpunkt or jetzt()
    with Session(engine) as session:
        bis = session.scalar(select(AnmeldeVersuch.gesperrt_bis).where(
            AnmeldeVersuch.konto == regeln.sperr_schluessel(benutzername)))
    return bis if bis is not None and bis > zeit else None


def _protokoll_name(konto: kontodatei.Konto | None, schluessel: str) -> tuple[str, str]:
    """(benutzer, schluessel) of the audit entry: the account, or for an unknown name a marker
    and a short hash of it (the same name gives the same hash)."""
    if konto is not None:
        return konto.benutzername, konto.benutzername
    kurz = hashlib.sha256(schluessel.encode("utf-8", "surrogatepass")).hexdigest()[:12]
    return UNBEKANNT, f"sha256:{kurz}"


def _zaehlen(session: Session, schluessel: str, zeit: dt.datetime) -> int:
    """One more failure for `schluessel`, atomically; returns the number in a row."""
    dialekt = session.get_bind().dialect.name
    insert = postgresql.insert if dialekt == "postgresql" else sqlite.insert
    anweisung = insert(AnmeldeVersuch).values(konto=schluessel, fehlversuche=1,
                                              letzter_fehlversuch=zeit, gesperrt_bis=None)
    vergessen = zeit - regeln.VERGESSEN_NACH
    tabelle = AnmeldeVersuch.__table__
    anweisung = anweisung.on_conflict_do_update(
        index_elements=[tabelle.c.konto],
        set_={"fehlversuche": case(
                  (tabelle.c.letzter_fehlversuch < vergessen, 1),
                  else_=tabelle.c.fehlversuche + 1),
              "letzter_fehlversuch": zeit},
    ).returning(tabelle.c.fehlversuche)
    return int(session.execute(anweisung).scalar_one())


def anmelden(engine: Engine, datei: Path | str | None, benutzername: str, passwort: str, *,
             zeitpunkt: dt.datetime | None = None) -> Anmeldung:
    """Check the lock, then the password; count, lock, reset and audit. A broken account file
    raises fehler.Ungueltig (German, naming the file) – nothing is counted then."""
    zeit = zeitpunkt or jetzt()
    schluessel = regeln.sperr_schluessel(benutzername)
    bis = gesperrt_bis(engine, benutzername, zeit)
    konten = kontodatei.lade_konten(datei)  # Ungueltig for a broken file
    konto = kontodatei.finde_konto(konten, benutzername)
    wer, wen = _protokoll_name(konto, schluessel)
    if bis is not None:
        with transaction(engine) as session:
            audit.record(session, benutzer=wer, aktion="gesperrt", objekt=audit.ANMELDUNG,
                         schluessel=wen, zeitpunkt=zeit,
                         kontext=f"{KONTEXT}: abgewiesen, gesperrt bis {regeln.ortszeit(bis)} "
                                 "(Passwort nicht geprüft)")
        return Anmeldung(None, regeln.sperr_meldung(bis), bis)

    benutzer = kontodatei.pruefe_anmeldung(konto, passwort)  # the same effort without account
    with transaction(engine) as session:
        if benutzer is not None:
            session.execute(delete(AnmeldeVersuch).where(AnmeldeVersuch.konto == schluessel))
            audit.record(session, benutzer=wer, aktion="angemeldet", objekt=audit.ANMELDUNG,
                         schluessel=wen, zeitpunkt=zeit, kontext=KONTEXT)
            return Anmeldung(benutzer)
        anzahl = _zaehlen(session, schluessel, zeit)
        dauer = regeln.sperrdauer(anzahl)
        bis = zeit + dauer if dauer else None
        if bis is not None:
            session.execute(update(AnmeldeVersuch).where(AnmeldeVersuch.konto == schluessel)
                            .values(gesperrt_bis=bis))
        # Forget old failures of other names (no lock, nothing for a day): the table stays small.
        session.execute(delete(AnmeldeVersuch).where(
            AnmeldeVersuch.letzter_fehlversuch < zeit - regeln.VERGESSEN_NACH,
            (AnmeldeVersuch.gesperrt_bis.is_(None)) | (AnmeldeVersuch.gesperrt_bis < zeit)))
        folge = f", gesperrt bis {regeln.ortszeit(bis)}" if bis else ""
        audit.record(session, benutzer=wer, aktion="fehlgeschlagen", objekt=audit.ANMELDUNG,
                     schluessel=wen, zeitpunkt=zeit,
                     kontext=f"{KONTEXT}: {anzahl}. Fehlversuch in Folge{folge}")
    if bis is not None:
        return Anmeldung(None, f"{regeln.FALSCH} {regeln.sperr_meldung(bis)}", bis)
    rest = regeln.MAX_FEHLVERSUCHE - anzahl
    if rest > 2:
        return Anmeldung(None, regeln.FALSCH)
    weitere = "einem weiteren Fehlversuch" if rest == 1 else f"{rest} weiteren Fehlversuchen"
    return Anmeldung(None, f"{regeln.FALSCH} Nach {weitere} wird die Anmeldung mit diesem "
                           "Benutzernamen vorübergehend gesperrt.")


def entsperren(engine: Engine, benutzername: str, *, benutzer: str,
               zeitpunkt: dt.datetime | None = None) -> bool:
    """Lift the lock and forget the failures of this name (Kreis-Administration, `konto
    entsperren`). True if there was something to lift; audited either way."""
    zeit = zeitpunkt or jetzt()
    schluessel = regeln.sperr_schluessel(benutzername)
    with transaction(engine) as session:
        geloescht = session.execute(
            delete(AnmeldeVersuch).where(AnmeldeVersuch.konto == schluessel)).rowcount
        audit.record(session, benutzer=benutzer, aktion="entsperrt", objekt=audit.ANMELDUNG,
                     schluessel=schluessel, zeitpunkt=zeit,
                     kontext=f"Fehlversuche gelöscht: {'ja' if geloescht else 'keine vorhanden'}")
    return bool(geloescht)
