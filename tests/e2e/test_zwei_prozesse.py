"""Two app processes on one database (issue #17): what one process writes, the other shows on
its next rerun (the data versions are read from the database, not kept per process), and two
editors in different processes get exactly one save and one conflict message.

On PostgreSQL when IKZ_TEST_POSTGRES is set (CI), otherwise on one shared SQLite file."""
from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, expect
from sqlalchemy import func, select

from kreis_data import queries
from kreis_data.bewertungen.lesen import katalog_from_session
from kreis_data.database import make_engine, read_session
from kreis_data.konten import kontodatei, regeln
from kreis_data.model import AuditEintrag, Bewertung
from tests.datenbanken import neue_url

from .helpers import demo_datenbank, rerun, run_streamlit
from .test_datenpflege_konflikt import (
    BAD_LAER,
    MAIN,
    SUCCESS,
    WARNING,
    _andere_stufe,
    _sitzung,
    _speichern,
    _stufe,
    _waehle_stufe,
)

KONTEN = (("e2e.prozess.a", "Prozess-A-Passwort-2026"), ("e2e.prozess.b", "Prozess-B-Passwort-2026"))


@pytest.fixture(scope="module")
def zwei_server(tmp_path_factory, browser) -> Iterator[tuple[str, str, str]]:
    """(URL of process 1, URL of process 2, database URL): two Streamlit processes, one
    database with the demo Kreis, two Redaktion accounts of Bad Laer."""
    ordner = tmp_path_factory.mktemp("zwei-prozesse")
    url = neue_url(ordner, "gemeinsam")
    konten = ordner / "konten.toml"
    for name, passwort in KONTEN:
        kontodatei.konto_anlegen(konten, name, regeln.REDAKTION, [BAD_LAER], passwort)
    env = dict(os.environ, IKZ_DATABASE_URL=url, PYTHONUNBUFFERED="1",
               **{kontodatei.KONTEN_ENV: str(konten)})
    demo_datenbank(env)
    eins, zwei = Path(ordner / "eins"), Path(ordner / "zwei")
    eins.mkdir(), zwei.mkdir()
    with run_streamlit(env, eins) as url_1, run_streamlit(env, zwei) as url_2:
        yield url_1, url_2, url


def test_two_processes_one_save_one_conflict_and_the_other_process_sees_the_write(
        browser: Browser, zwei_server):
    url_1, url_2, db_url = zwei_server
    engine = make_engine(db_url)
    quartal = queries.quartale(engine)[-1]
    with read_session(engine) as session:
        merkmal = katalog_from_session(session).merkmale["e_akte"]
        alt = session.scalar(select(Bewertung.stufe).where(
            Bewertung.verwaltung_key == BAD_LAER, Bewertung.merkmal_key == "e_akte",
            Bewertung.quartal == quartal))
        letzte_id = session.scalar(select(func.max(AuditEintrag.id))) or 0
    neu_a = _andere_stufe(merkmal, alt)
    neu_b = _andere_stufe(merkmal, alt, neu_a)

    a = _sitzung(browser, url_1, KONTEN[0])  # process 1
    b = _sitzung(browser, url_2, KONTEN[1])  # process 2, form loaded before A saves
    try:
        _waehle_stufe(a, merkmal, neu_a)
        _speichern(a)
        expect(a.locator(SUCCESS)).to_contain_text("im Änderungsprotokoll vermerkt")

        _waehle_stufe(b, merkmal, neu_b)
        _speichern(b)
        fehler = b.get_by_role("tabpanel", name="Selbstauskunft").locator(WARNING)
        expect(fehler).to_have_count(1)
        expect(fehler).to_contain_text(
            f"die Daten wurden inzwischen geändert: {merkmal.name} (Bad Laer) wurde von "
            f"{KONTEN[0][0]} am ")
        expect(b.locator(SUCCESS)).to_have_count(0)

        with read_session(engine) as session:
            eintraege = list(session.scalars(select(AuditEintrag).where(
                AuditEintrag.id > letzte_id, AuditEintrag.objekt == "bewertung")))
            jetzt = session.scalar(select(Bewertung.stufe).where(
                Bewertung.verwaltung_key == BAD_LAER, Bewertung.merkmal_key == "e_akte",
                Bewertung.quartal == quartal))
        assert jetzt == neu_a
        assert {e.benutzer for e in eintraege} == {KONTEN[0][0]}
        assert [(e.alt, e.neu) for e in eintraege if e.feld == "stufe"] == [(str(alt), str(neu_a))]

        # process 2 shows process 1's write on its next rerun
        with rerun(b):
            b.locator(MAIN).get_by_role("button", name="Neu laden").click()
        expect(b.get_by_role("tabpanel", name="Selbstauskunft").locator(WARNING)).to_have_count(0)
        expect(_stufe(b, "e_akte").get_by_role("combobox")).to_have_value(
            merkmal.kurzlabel(neu_a))
        expect(b.locator(MAIN)).to_contain_text(f"Zuletzt gespeichert von {KONTEN[0][0]}")
    finally:
        a.context.close()
        b.context.close()
        engine.dispose()
