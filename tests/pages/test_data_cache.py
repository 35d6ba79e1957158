"""Server work per rerun (components/data.py): at most three SQL statements per warm rerun of every
page, the data versions read once per run, a write seen at once, a write invalidating only the
reads that depend on it, the map's Grundlage built once per quarter, and every declared
dependency checked against the tables the read really reads.

Statements are counted with a SQLAlchemy event listener, only those of the script run itself:
AppTest calls widgets' format_func from the test's own thread between runs, a Streamlit server
does not."""
from __future__ import annotations

import functools
import importlib
import re
from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass, field
from unittest.mock import MagicMock

import pytest
from sqlalchemy import event
from sqlalchemy.engine import Engine
from streamlit.runtime.scriptrunner import get_script_run_ctx
from streamlit.runtime.scriptrunner_utils.script_run_context import ScriptRunContext
from streamlit.testing.v1 import AppTest

from components import anmeldung, data
from components.seiten import KARTE, SEITEN
from kreis_data.analyses import karte
from kreis_data.database import make_engine
from kreis_data.konten import regeln
from tests.pages.apptest_helpers import APP, ROOT, assert_ok

ADMIN = regeln.Benutzer("k.admin", regeln.ADMIN)
ARTLAND, BELM = "034595401", "034590008"
GRENZE = 3  # SQL statements a warm rerun may issue (issue #14)


@dataclass(frozen=True)
class Fall:
    name: str
    datei: str
    query: dict = field(default_factory=dict)
    session: dict = field(default_factory=dict)
    login: regeln.Benutzer | None = None


FAELLE = [Fall(s.titel, s.datei) for s in SEITEN] + [
    Fall("Datenpflege angemeldet", "pages/datenpflege.py", login=ADMIN),
    Fall("EfA-Nachnutzung angemeldet", "pages/efa.py", login=ADMIN),
    Fall("Standardisierung angemeldet", "pages/standardisierung.py", login=ADMIN),
    Fall("Karte EfA-Quote", KARTE.datei, {"merkmal": "efa_quote"}),
    Fall("Verwaltung Artland", "pages/verwaltung.py", {"verwaltung": ARTLAND}),
    *(Fall(f"Kooperationen {tab}", "pages/kooperationen.py", session={"koop_ansicht": tab})
      for tab in ("Matrix und Detail", "Register", "Netzwerk", "Hinweise", "Wechsel")),
]


@contextmanager
def sql_der_laeufe():
    """The SQL statements of script runs while the block runs (a list, filled live)."""
    statements: list[str] = []

    def zaehlen(_conn, _cursor, statement, *_args) -> None:
        if get_script_run_ctx(suppress_warning=True) is not None:
            statements.append(statement)

    event.listen(Engine, "before_cursor_execute", zaehlen)
    try:
        yield statements
    finally:
        event.remove(Engine, "before_cursor_execute", zaehlen)


def app(fall: Fall) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=120)
    at.switch_page(fall.datei)
    for key, value in fall.query.items():
        at.query_params[key] = value
    for key, value in fall.session.items():
        at.session_state[key] = value
    if fall.login is not None:
        at.session_state[anmeldung._STATE] = fall.login
    return at


def caches_leeren() -> None:
    data._cached_call.clear()
    data._grundlage.clear()


@pytest.fixture(scope="module")
def seitenlaeufe(demo_url):
    """Every case run cold, then warm; the statements of one more warm rerun per case and every
    cached read the pages made."""
    aufrufe: set[tuple] = set()
    original = data._cached_call

    def aufzeichnen(url, version, function, args):
        aufrufe.add((function, args))
        return original(url, version, function, args)

    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("IKZ_DATABASE_URL", demo_url)
        mp.chdir(ROOT)
        caches_leeren()
        mp.setattr(data, "_cached_call", aufzeichnen)
        anzahl = {}
        for fall in FAELLE:
            at = app(fall)
            assert_ok(at.run())
            assert_ok(at.run())
            with sql_der_laeufe() as statements:
                assert_ok(at.run())
            anzahl[fall.name] = len(statements)
    return anzahl, aufrufe


@pytest.mark.parametrize("fall", [f.name for f in FAELLE])
def test_a_warm_rerun_issues_at_most_three_sql_statements(seitenlaeufe, fall):
    anzahl, _ = seitenlaeufe
    assert anzahl[fall] <= GRENZE, f"{fall}: {anzahl[fall]} SQL-Anweisungen je Lauf"


def test_switching_the_merkmal_builds_the_grundlage_once_per_quarter(app_env, monkeypatch):
    gebaut, quoten = Counter(), Counter()
    grundlage, efa_quote = karte.grundlage, importlib.import_module("kreis_data.efa.lesen").efa_quote

    @functools.wraps(grundlage)  # keeps its name: data.py looks up its dependencies by name
    def zaehle_grundlage(engine, quartal):
        gebaut[quartal] += 1
        return grundlage(engine, quartal)

    def zaehle_quote(engine, quartal):
        quoten[quartal] += 1
        return efa_quote(engine, quartal)

    monkeypatch.setattr(karte, "grundlage", zaehle_grundlage)
    monkeypatch.setattr("kreis_data.efa.lesen.efa_quote", zaehle_quote)
    caches_leeren()
    at = app(Fall("Karte", KARTE.datei, {"merkmal": "e_akte", "quartal": "2026-Q3"}))
    assert_ok(at.run())
    for merkmal in ("strategie", "index", "efa_quote", "e_akte"):
        with sql_der_laeufe() as statements:
            assert_ok(at.selectbox(key="merkmal").select(merkmal).run())
        assert len(statements) <= GRENZE, (merkmal, statements)
    assert gebaut["2026-Q3"] == 1 and max(gebaut.values()) == 1, gebaut
    assert quoten["2026-Q3"] == 1 and max(quoten.values()) == 1, quoten


def _skript():
    """A page that reads, writes a Bewertung of a new quarter on request, and reads again."""
    import streamlit as st

    from components import data
    from kreis_data import queries
    from kreis_data.bewertungen.regeln import BewertungEingabe
    from kreis_data.bewertungen.schreiben import store_bewertungen

    st.text("vorher: " + ",".join(data.cached(queries.quartale)))
    if st.session_state.pop("schreiben", None):
        store_bewertungen(data.engine(), [BewertungEingabe("034590008", "e_akte", "2031-Q1", 2)],
                          benutzer="Test")
        st.text("im Lauf: " + ",".join(data.cached(queries.quartale)))


def test_a_write_is_seen_in_the_same_run_and_the_next_one_a_write_elsewhere_in_the_next(
        eigene_db):
    at = AppTest.from_function(_skript, default_timeout=60)
    assert_ok(at.run())
    assert "2031-Q1" not in at.text[0].value
    at.session_state["schreiben"] = True
    with sql_der_laeufe() as statements:
        assert_ok(at.run())
    assert "2031-Q1" not in at.text[0].value  # read before the write
    assert "2031-Q1" in at.text[1].value  # the same run, after the write
    assert sum("WITH RECURSIVE objekte" in s for s in statements) == 2  # once more after it
    assert_ok(at.run())
    assert "2031-Q1" in at.text[0].value

    # a write by another process (CLI import, another server): seen by the next run
    from kreis_data.bewertungen.regeln import BewertungEingabe
    from kreis_data.bewertungen.schreiben import store_bewertungen

    andere = make_engine(eigene_db)
    store_bewertungen(andere, [BewertungEingabe(BELM, "e_akte", "2032-Q1", 1)], benutzer="CLI")
    andere.dispose()
    assert_ok(at.run())
    assert "2032-Q1" in at.text[0].value


def test_the_versions_are_read_once_per_run_of_a_session_and_after_a_write(eigene_db,
                                                                          monkeypatch):
    """A server keeps one ScriptRunContext per session and resets it for every run (AppTest
    makes a new one per run, so this is checked on a real ScriptRunContext here)."""
    from kreis_data import queries
    from kreis_data.bewertungen.regeln import BewertungEingabe
    from kreis_data.bewertungen.schreiben import store_bewertungen

    ctx = ScriptRunContext(session_id="s", _enqueue=MagicMock(), query_string="",
                           session_state=MagicMock(), uploaded_file_mgr=MagicMock(),
                           main_script_path=APP, user_info={}, fragment_storage=MagicMock(),
                           pages_manager=MagicMock())
    monkeypatch.setattr(data, "get_script_run_ctx", lambda **_: ctx)
    gelesen = []
    versionen = queries.versionen
    monkeypatch.setattr(queries, "versionen", lambda e: gelesen.append(e) or versionen(e))
    data.cached(queries.quartale), data.cached(queries.kreis), data.version(), data.grundlage(
        "2026-Q3")
    assert len(gelesen) == 1
    ctx.reset()  # the session's next run
    assert "2031-Q1" not in data.cached(queries.quartale)
    assert len(gelesen) == 2
    store_bewertungen(data.engine(), [BewertungEingabe(BELM, "e_akte", "2031-Q1", 2)],
                      benutzer="Test")
    assert "2031-Q1" in data.cached(queries.quartale)  # the same run, after its write
    data.cached(queries.kreis)
    assert len(gelesen) == 3


def test_a_write_recomputes_only_the_reads_that_depend_on_it(eigene_db, monkeypatch):
    from kreis_data.bewertungen.regeln import BewertungEingabe
    from kreis_data.bewertungen.schreiben import store_bewertungen
    from kreis_data.software.schreiben import set_produkt

    gebaut = Counter()
    grundlage = karte.grundlage

    @functools.wraps(grundlage)
    def zaehle_grundlage(engine, quartal):
        gebaut[quartal] += 1
        return grundlage(engine, quartal)

    monkeypatch.setattr(karte, "grundlage", zaehle_grundlage)
    at = app(Fall("Karte", KARTE.datei, {"merkmal": "e_akte", "quartal": "2026-Q3"}))
    assert_ok(at.run())
    assert gebaut["2026-Q3"] == 1
    andere = make_engine(eigene_db)
    try:
        set_produkt(andere, ADMIN, BELM, "E-Akte/DMS", "Ein neues Produkt")  # not on the map
        with sql_der_laeufe() as statements:
            assert_ok(at.run())
        assert gebaut["2026-Q3"] == 1 and len(statements) <= GRENZE
        assert not [s for s in statements if re.search(GEFUEHRTE_TABELLE, s)]

        store_bewertungen(andere, [BewertungEingabe(BELM, "e_akte", "2026-Q3", 0)],
                          benutzer="Test")
        at.session_state["karte_ansicht"] = "Tabelle zur Karte"  # the table twin's tab
        assert_ok(at.run())
        assert gebaut["2026-Q3"] == 2  # a Bewertung is on the map: built again
        tabelle = at.dataframe[0].value
        assert set(tabelle.loc[tabelle["Verwaltung"] == "Belm", "Wert"]) == {0}
    finally:
        andere.dispose()


# --- The declared dependencies against the tables each read reads ------------------------------
# Tables written under an objekt that data.py keeps apart (objekt = table name; the child
# tables with their parent). Every other table is written only with a new workspace, whose
# objekte ("kreis", "demo") change every read.
TABELLE_OBJEKT = {
    "bewertung": "bewertung", "anbindung": "anbindung", "leistung": "leistung",
    "leistung_vollzug": "leistung_vollzug", "kooperation": "kooperation",
    "kooperation_mitglied": "kooperation", "kooperation_einordnung": "kooperation",
    "massnahme": "massnahme", "meilenstein": "massnahme", "produkt": "produkt",
    "produkt_einsatz": "produkt_einsatz", "standard_unterstuetzung": "standard_unterstuetzung",
}
GEFUEHRTE_TABELLE = rf"\b(?:FROM|JOIN)\s+(?:{'|'.join(TABELLE_OBJEKT)})\b"
# Reads of the audit log that look only at these objekte (checked by reading the code).
PROTOKOLL_LESER = {
    "kreis_data.bewertungen.lesen:protokoll": {"bewertung"},
    "kreis_data.bewertungen.lesen:protokoll_personen": {"bewertung"},
    "kreis_data.software.lesen:quelle_und_stand": {"produkt", "produkt_einsatz",
                                                   "standard_unterstuetzung"},
}


def test_every_declared_dependency_names_an_existing_function_and_known_objekte():
    for name, objekte in data.ABHAENGIGKEITEN.items():
        modul, _, funktion = name.partition(":")
        geladen = importlib.import_module(modul)
        assert not funktion or callable(getattr(geladen, funktion, None)), name
        assert objekte is None or objekte <= set(TABELLE_OBJEKT.values()), name


def test_every_cached_read_of_the_pages_depends_on_every_table_it_reads(seitenlaeufe, demo_url):
    _, aufrufe = seitenlaeufe
    engine = make_engine(demo_url)
    gelesen: list[str] = []

    def tabellen(_conn, _cursor, statement, *_args) -> None:
        gelesen.extend(re.findall(r'\b(?:FROM|JOIN)\s+"?([a-z_]+)', statement))

    fehler = []
    event.listen(engine, "before_cursor_execute", tabellen)
    try:
        for function, args in aufrufe:
            objekte = data._objekte(function)
            if objekte is None:  # depends on every write
                continue
            gelesen.clear()
            art = data.grundlage_parameter(function)
            if art == "quelle":
                function(karte.grundlage(engine, args[0]), *args)
            elif art == "basis":
                function(engine, *args, basis=karte.grundlage(engine, args[0]))
            else:
                function(engine, *args)
            name = f"{function.__module__}:{function.__qualname__}"
            noetig = {TABELLE_OBJEKT[t] for t in gelesen if t in TABELLE_OBJEKT}
            if "audit_log" in gelesen:
                noetig |= PROTOKOLL_LESER.get(name, {"alle Objekte"})
            if not noetig <= objekte:
                fehler.append(f"{name} liest {sorted(noetig - objekte)}, erklärt {sorted(objekte)}")
    finally:
        event.remove(engine, "before_cursor_execute", tabellen)
        engine.dispose()
    assert len(aufrufe) > 40  # the pages' reads were recorded
    assert not fehler, "\n".join(sorted(set(fehler)))
