"""Maßnahmen: only the Kreis-Administration changes them; checked, audited, version-safe
(kreis_data.steuerung.schreiben)."""
from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from kreis_data.database import transaction
from kreis_data.fehler import NichtErlaubt, Ungueltig, Veraltet
from kreis_data.konten import regeln
from kreis_data.model import AuditEintrag, Massnahme
from kreis_data.steuerung.schreiben import update_massnahme
from tests.kreis_data.analyses.test_deltas import _massnahme

KREIS_ADMIN = regeln.Benutzer("Kreis-Admin Test", regeln.ADMIN)


def test_only_the_kreis_administration_changes_a_massnahme(small_engine):
    with transaction(small_engine) as session:
        mid = _massnahme(session)
    redaktion = regeln.Benutzer("r.a", regeln.REDAKTION, frozenset({"034590024"}))
    for benutzer in (redaktion, regeln.Benutzer("leser", regeln.LESEN), None):
        with pytest.raises(NichtErlaubt):
            update_massnahme(small_engine, benutzer, mid, {"titel": "Übernommen"}, version=1)
    with pytest.raises(NichtErlaubt, match="Nur die Kreis-Administration darf Maßnahmen"):
        update_massnahme(small_engine, redaktion, mid, {"titel": "Übernommen"}, version=1)
    with Session(small_engine) as session:
        m = session.get(Massnahme, mid)
        assert (m.titel, m.version) == ("Gemeinsames Portal", 1)
        assert session.scalars(select(AuditEintrag).where(
            AuditEintrag.objekt == "massnahme")).all() == []


def test_update_massnahme_validates_audits_and_refuses_a_stale_version(small_engine):
    with transaction(small_engine) as session:
        mid = _massnahme(session)
    with pytest.raises(Ungueltig) as fehler:
        update_massnahme(small_engine, KREIS_ADMIN, mid, {"status": "verzögert", "dauer_quartale": 0,
                                                "finanzierung": "Lotto"}, version=1)
    text = str(fehler.value)
    assert "Begründung des Status nötig" in text
    assert "Dauer „0“ ist nicht erlaubt" in text
    assert "Finanzierung „Lotto“ ist nicht erlaubt – erlaubt sind Eigenmittel" in text
    with Session(small_engine) as session:
        assert session.get(Massnahme, mid).status == "in Umsetzung"  # nothing written

    geaendert = update_massnahme(small_engine, KREIS_ADMIN, mid, {
        "status": "verzögert", "status_begruendung": "Vergabe verzögert", "dauer_quartale": 3}, version=1)
    assert set(geaendert.felder) == {"status", "status_begruendung", "dauer_quartale"}
    assert (geaendert.aktion, geaendert.version) == ("geändert", 2)
    with Session(small_engine) as session:
        m = session.get(Massnahme, mid)
        assert (m.status, m.dauer_quartale, m.version) == ("verzögert", 3, 2)
        eintraege = session.scalars(select(AuditEintrag).where(
            AuditEintrag.objekt == "massnahme")).all()
    assert {(e.feld, e.alt, e.neu, e.benutzer) for e in eintraege} >= {
        ("status", "in Umsetzung", "verzögert", "Kreis-Admin Test")}

    with pytest.raises(Veraltet, match="inzwischen von jemand anderem geändert"):
        update_massnahme(small_engine, KREIS_ADMIN, mid, {"titel": "Überschrieben"}, version=1)
    with Session(small_engine) as session:
        assert session.get(Massnahme, mid).titel == "Gemeinsames Portal"
