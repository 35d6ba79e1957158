"""The Selbstauskunft form writes only with the right to edit the Verwaltung."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from kreis_data.bewertungen.lesen import Wert, lade_formular
from kreis_data.bewertungen.schreiben import speichere_formular
from kreis_data.database import transaction
from kreis_data.fehler import NichtErlaubt
from kreis_data.konten import regeln
from kreis_data.model import AuditEintrag, Bewertung, Verwaltung

BELM, MELLE = "034590008", "034590024"
REDAKTION_BELM = regeln.Benutzer("r.belm", regeln.REDAKTION, frozenset({BELM}))
ADMIN = regeln.Benutzer("admin", regeln.ADMIN)
LESER = regeln.Benutzer("leser", regeln.LESEN)

@pytest.fixture
def engine(small_engine):
    with transaction(small_engine) as session:
        session.add(Verwaltung(key=BELM, kreis_ags="03459", name="Gemeinde Belm",
                               typ="Einheitsgemeinde"))
    return small_engine


def _anzahl(engine):
    with engine.connect() as conn:
        return (conn.scalar(select(func.count()).select_from(Bewertung)),
                conn.scalar(select(func.count()).select_from(AuditEintrag)))


def test_speichere_formular_refuses_foreign_verwaltung_and_writes_nothing(engine):
    form = lade_formular(engine, MELLE, "2026-Q3")
    werte = {**form.werte(), "e_akte": Wert(4, "Selbstauskunft")}
    vorher = _anzahl(engine)
    for benutzer in (REDAKTION_BELM, LESER, None):
        with pytest.raises(NichtErlaubt):
            speichere_formular(engine, benutzer, MELLE, "2026-Q3", werte, form.gesehene_versionen)
    assert _anzahl(engine) == vorher
    with pytest.raises(NichtErlaubt, match="nicht Stadt Melle"):
        speichere_formular(engine, REDAKTION_BELM, MELLE, "2026-Q3", werte,
                           form.gesehene_versionen)

    aenderungen = speichere_formular(engine, ADMIN, MELLE, "2026-Q3", werte,
                                     form.gesehene_versionen)
    assert [a.schluessel for a in aenderungen] == [f"{MELLE}/e_akte/2026-Q3"]
    assert lade_formular(engine, MELLE, "2026-Q3").werte()["e_akte"].stufe == 4
