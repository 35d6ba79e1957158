"""Is the database usable? Structure check and German words for every database fault (issue #18).

    pruefen(engine)          -> German problems: corrupt file, missing/foreign Alembic revision,
                                missing tables or columns (compared with kreis_data.model)
    sicherstellen(engine)    raises DatenbankFehler when pruefen finds a problem (imports call it
                                before they write)
    meldung(exc)             the German sentence for any SQLAlchemy/Alembic/SQLite error: what
                                happened and what to do – no SQL, no path, only the database name

Used by the command line (check, every import) and the app shell (components/shell.py).
"""
from __future__ import annotations

import sqlite3

from sqlalchemy import Engine, inspect, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError

PRUEFEN_HINWEIS = "`python -m kreis_data check` zeigt Einzelheiten"


class DatenbankFehler(RuntimeError):
    """The database cannot be used; str() is the German message with what to do."""

    def __init__(self, meldung: str, probleme: list[str] | None = None) -> None:
        super().__init__(meldung)
        self.probleme = probleme or []


def datenbank_name(engine_or_url: Engine | str) -> str:
    """The configured database's name for messages: the SQLite file name or the server's
    database name – never a path, user or password."""
    url = make_url(str(engine_or_url.url if isinstance(engine_or_url, Engine) else engine_or_url))
    if url.get_backend_name() == "sqlite":
        datei = (url.database or "").replace("\\", "/").rsplit("/", 1)[-1]
        return datei or "SQLite im Arbeitsspeicher"
    return url.database or url.get_backend_name()


# --- Fault messages ------------------------------------------------------------------------------
_ARTEN = (  # (markers in the driver's English message, what happened, what to do)
    (("file is not a database", "malformed", "disk image", "not a database"),
     "Die Datenbank ist beschädigt",
     "Die letzte Sicherung der Datenbank einspielen; " + PRUEFEN_HINWEIS + "."),
    (("readonly", "read-only", "read only"),
     "Die Datenbank ist schreibgeschützt – Änderungen können nicht gespeichert werden",
     "Der Betrieb muss dem App-Prozess Schreibrechte auf die Datenbankdatei und ihren Ordner "
     "geben."),
    (("disk is full", "database or disk is full", "no space left"),
     "Der Speicherplatz der Datenbank ist voll – Änderungen können nicht gespeichert werden",
     "Der Betrieb muss auf dem Datenträger der Datenbank Platz schaffen."),
    (("database is locked", "database table is locked"),
     "Die Datenbank ist gerade durch einen anderen Vorgang gesperrt",
     "In einigen Sekunden erneut versuchen."),
    (("no such table", "no such column", "undefinedtable", "does not exist"),
     "Im Aufbau der Datenbank fehlt eine Tabelle oder Spalte",
     "`python -m kreis_data migrate` ausführen oder die letzte Sicherung einspielen; "
     + PRUEFEN_HINWEIS + "."),
    (("can't locate revision", "no such revision", "unknown revision"),
     "Die Datenbank hat einen unbekannten Schemastand (von einer anderen oder neueren Version "
     "des IKZ-Monitors)",
     "Die passende Version des IKZ-Monitors verwenden oder die letzte Sicherung einspielen; "
     + PRUEFEN_HINWEIS + "."),
    (("unable to open", "could not connect", "connection refused", "disk i/o error"),
     "Die Datenbank kann nicht geöffnet werden",
     "Der Betrieb muss prüfen, ob die Datenbank erreichbar ist (IKZ_DATABASE_URL, Rechte, "
     "Datenträger)."),
)


def ist_datenbankfehler(exc: BaseException) -> bool:
    """Errors that come from the database (driver, SQLAlchemy, Alembic), not from a bug."""
    if isinstance(exc, (DatenbankFehler, SQLAlchemyError, sqlite3.Error)):
        return True
    try:
        from alembic.util.exc import CommandError
    except ImportError:  # pragma: no cover - alembic is a pinned dependency
        return False
    return isinstance(exc, CommandError)


def meldung(exc: BaseException, name: str | None = None) -> str:
    """German: what happened and what to do; the database named by `name` (file name only)."""
    if isinstance(exc, DatenbankFehler):
        return str(exc)
    englisch = " ".join(str(a) for a in (getattr(exc, "orig", None) or exc).args).lower()
    ort = f"Datenbank „{name}“: " if name else ""
    for merkmale, was, tun in _ARTEN:
        if any(m in englisch for m in merkmale):
            return f"{ort}{was}. {tun}"
    return (f"{ort}Die Datenbank kann nicht gelesen oder beschrieben werden. Bitte den Betrieb "
            f"informieren; {PRUEFEN_HINWEIS}.")


# --- Structure check -----------------------------------------------------------------------------
def pruefen(engine: Engine, *, gruendlich: bool = False) -> list[str]:
    """German problems of the database's structure; [] if it is usable.

    SQLite files get PRAGMA quick_check (integrity_check when `gruendlich`); every database the
    Alembic revision (present, known, newest) and every table and column of kreis_data.model –
    the audit table (Änderungsprotokoll) included. An empty database is no problem here."""
    name = datenbank_name(engine)
    try:
        with engine.connect() as connection:
            if engine.dialect.name == "sqlite":
                pragma = "integrity_check" if gruendlich else "quick_check"
                befund = [r[0] for r in connection.execute(text(f"PRAGMA {pragma}"))]
                if befund != ["ok"]:
                    return [f"Die Datenbank {name} ist beschädigt ({len(befund)} Befund(e) der "
                            "SQLite-Integritätsprüfung). Die letzte Sicherung einspielen."]
            inspektor = inspect(connection)
            tabellen = set(inspektor.get_table_names())
            if not tabellen:
                return []
            return _schemastand(connection, tabellen) + _tabellen(inspektor, tabellen)
    except Exception as exc:
        if not ist_datenbankfehler(exc):
            raise
        return [meldung(exc, name)]


def _schemastand(connection, tabellen: set[str]) -> list[str]:
    from alembic.script import ScriptDirectory

    from kreis_data.database import MIGRATIONS_DIR

    skripte = ScriptDirectory(str(MIGRATIONS_DIR))
    neueste = set(skripte.get_heads())
    if "alembic_version" not in tabellen:
        return ["Der Schemastand fehlt (Tabelle alembic_version): Die Datenbank wurde nicht mit "
                "dem IKZ-Monitor angelegt oder ist unvollständig. Die letzte Sicherung einspielen "
                "oder mit `python -m kreis_data init` neu anlegen."]
    staende = {r[0] for r in connection.execute(text("SELECT version_num FROM alembic_version"))}
    bekannt = {s.revision for s in skripte.walk_revisions()}
    if not staende:
        return ["Der Schemastand ist leer (Tabelle alembic_version ohne Eintrag). Die letzte "
                "Sicherung einspielen oder `python -m kreis_data migrate` ausführen."]
    fremd = sorted(staende - bekannt)
    if fremd:
        return [f"Unbekannter Schemastand {', '.join(fremd)}: Die Datenbank stammt von einer "
                "anderen oder neueren Version des IKZ-Monitors. Die passende Version verwenden "
                "oder die letzte Sicherung einspielen."]
    if staende != neueste:
        return [f"Der Schemastand {', '.join(sorted(staende))} ist veraltet (aktuell: "
                f"{', '.join(sorted(neueste))}): `python -m kreis_data migrate` ausführen."]
    return []


def _tabellen(inspektor, tabellen: set[str]) -> list[str]:
    from kreis_data.model import Base

    probleme = []
    for name, tabelle in Base.metadata.tables.items():
        if name not in tabellen:
            was = " (Änderungsprotokoll)" if name == "audit_log" else ""
            probleme.append(f"Tabelle {name}{was} fehlt. Die letzte Sicherung einspielen.")
            continue
        vorhanden = {spalte["name"] for spalte in inspektor.get_columns(name)}
        fehlend = [s.name for s in tabelle.columns if s.name not in vorhanden]
        if fehlend:
            probleme.append(f"Tabelle {name}: Spalte(n) {', '.join(fehlend)} fehlen. Die letzte "
                            "Sicherung einspielen.")
    return probleme


def sicherstellen(engine: Engine) -> None:
    """Raise DatenbankFehler (German, with every problem) unless the database passes `pruefen`."""
    probleme = pruefen(engine)
    if probleme:
        raise DatenbankFehler(
            f"Die Datenbank {datenbank_name(engine)} besteht die Prüfung nicht – es wird nichts "
            "geschrieben: " + " ".join(probleme), probleme)
