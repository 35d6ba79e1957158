"""queries.versionen: the newest audit id per objekt in one statement, over the index
(objekt, id) of migration 0003 – the cache keys of the app (components/data.py)."""
from sqlalchemy import event, inspect, text

from kreis_data import audit, queries
from kreis_data.database import transaction


def test_newest_audit_id_per_objekt_in_one_statement(small_engine):
    assert queries.versionen(small_engine) == {}
    with transaction(small_engine) as session:
        for objekt in ("bewertung", "anbindung", "bewertung", "kooperation", "anbindung"):
            audit.record(session, benutzer="Test", aktion="geändert", objekt=objekt,
                         schluessel="x")
        audit.record(session, benutzer="Test", aktion="geändert", objekt="bewertung",
                     schluessel="y", aenderungen={"stufe": (1, 2), "quelle": ("a", "b")})
    statements = []
    event.listen(small_engine, "before_cursor_execute", lambda *a: statements.append(a[2]))
    versionen = queries.versionen(small_engine)
    assert len(statements) == 1
    assert versionen == {"anbindung": 5, "bewertung": 7, "kooperation": 4}
    assert max(versionen.values()) == queries.data_version(small_engine)


def test_the_migration_indexes_audit_log_by_objekt_and_id(small_engine):
    indexe = {i["name"]: i["column_names"] for i in inspect(small_engine).get_indexes("audit_log")}
    assert indexe["ix_audit_log_objekt_id"] == ["objekt", "id"]
    if small_engine.dialect.name != "sqlite":
        return  # the plan check below is SQLite's (PostgreSQL plans tiny tables as scans)
    with small_engine.connect() as connection:
        plan = " ".join(str(row) for row in connection.execute(
            text("EXPLAIN QUERY PLAN " + queries._VERSIONEN.text)))
    assert "ix_audit_log_objekt_id" in plan and "SCAN audit_log" not in plan
