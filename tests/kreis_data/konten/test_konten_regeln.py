"""Roles and rights: who may change which data (kreis_data.konten.regeln)."""
from __future__ import annotations

import pytest

from kreis_data.fehler import NichtErlaubt
from kreis_data.konten import regeln

BELM, MELLE = "034590008", "034590024"


NAMEN = {BELM: "Belm", MELLE: "Melle"}


REDAKTION_BELM = regeln.Benutzer("r.belm", regeln.REDAKTION, frozenset({BELM}))


ADMIN = regeln.Benutzer("admin", regeln.ADMIN)


LESER = regeln.Benutzer("leser", regeln.LESEN)


def test_redaktion_may_edit_only_its_own_verwaltung():
    assert regeln.darf_bearbeiten(REDAKTION_BELM, BELM)
    assert not regeln.darf_bearbeiten(REDAKTION_BELM, MELLE)
    with pytest.raises(NichtErlaubt) as info:
        regeln.pruefe_bearbeiten(REDAKTION_BELM, MELLE, NAMEN)
    assert str(info.value) == "Sie dürfen nur die Daten von Belm bearbeiten, nicht Melle."
    regeln.pruefe_bearbeiten(REDAKTION_BELM, BELM, NAMEN)  # no error


def test_admin_may_edit_everything_lesen_and_anonymous_nothing():
    assert regeln.darf_bearbeiten(ADMIN, MELLE) and regeln.darf_bearbeiten(ADMIN, BELM)
    assert not regeln.darf_bearbeiten(LESER, BELM)
    assert not regeln.darf_bearbeiten(None, BELM)
    with pytest.raises(NichtErlaubt, match="„Lesen“ dürfen Sie nur lesen"):
        regeln.pruefe_bearbeiten(LESER, MELLE, NAMEN)
    with pytest.raises(NichtErlaubt, match="angemeldet"):
        regeln.pruefe_bearbeiten(None, MELLE, NAMEN)
    assert regeln.bearbeitbare_verwaltungen(REDAKTION_BELM, [MELLE, BELM]) == [BELM]


def test_kreisweit_only_for_the_kreis_administration():
    assert regeln.darf_kreisweit(ADMIN)
    for benutzer in (REDAKTION_BELM, LESER, None):
        assert not regeln.darf_kreisweit(benutzer)
    regeln.pruefe_kreisweit(ADMIN, "Maßnahmen")  # no error
    with pytest.raises(NichtErlaubt) as info:
        regeln.pruefe_kreisweit(REDAKTION_BELM, "Maßnahmen")
    assert str(info.value) == ("Nur die Kreis-Administration darf Maßnahmen ändern – mit der "
                               "Rolle „Redaktion“ ist das nicht möglich.")
    with pytest.raises(NichtErlaubt, match="„Lesen“"):
        regeln.pruefe_kreisweit(LESER, "den EfA-Katalog")
    with pytest.raises(NichtErlaubt, match="angemeldet"):
        regeln.pruefe_kreisweit(None, "den EfA-Katalog")


def test_kooperation_belongs_to_its_federfuehrung():
    assert regeln.darf_kooperation_bearbeiten(ADMIN, MELLE)
    assert regeln.darf_kooperation_bearbeiten(ADMIN, None)
    assert regeln.darf_kooperation_bearbeiten(REDAKTION_BELM, BELM)
    assert not regeln.darf_kooperation_bearbeiten(REDAKTION_BELM, MELLE)
    assert not regeln.darf_kooperation_bearbeiten(REDAKTION_BELM, None)
    assert not regeln.darf_kooperation_bearbeiten(REDAKTION_BELM, "")
    assert not regeln.darf_kooperation_bearbeiten(LESER, BELM)
    assert not regeln.darf_kooperation_bearbeiten(None, BELM)
    regeln.pruefe_kooperation_bearbeiten(REDAKTION_BELM, BELM, NAMEN)  # no error
    with pytest.raises(NichtErlaubt) as info:
        regeln.pruefe_kooperation_bearbeiten(REDAKTION_BELM, MELLE, NAMEN)
    assert str(info.value) == ("Sie dürfen nur Kooperationen unter Federführung von Belm "
                               "bearbeiten, nicht unter Federführung von Melle.")
    with pytest.raises(NichtErlaubt, match="ohne Federführung bearbeitet sie die "
                                              "Kreis-Administration"):
        regeln.pruefe_kooperation_bearbeiten(REDAKTION_BELM, None, NAMEN)
    with pytest.raises(NichtErlaubt, match="„Lesen“ dürfen Sie nur lesen"):
        regeln.pruefe_kooperation_bearbeiten(LESER, BELM, NAMEN)
    with pytest.raises(NichtErlaubt, match="angemeldet"):
        regeln.pruefe_kooperation_bearbeiten(None, BELM, NAMEN)


def test_kreisverwaltung_only_for_admins_unless_listed():
    kreis = "03459"
    assert regeln.darf_bearbeiten(ADMIN, kreis)
    assert not regeln.darf_bearbeiten(REDAKTION_BELM, kreis)
    assert regeln.darf_bearbeiten(regeln.Benutzer("r.kreis", regeln.REDAKTION, frozenset({kreis})),
                                kreis)


def test_lesen_ohne_anmeldung_is_configurable():
    assert regeln.lesen_ohne_anmeldung({}) is True
    assert regeln.lesen_ohne_anmeldung({regeln.LESEN_ENV: "0"}) is False
    assert regeln.lesen_ohne_anmeldung({regeln.LESEN_ENV: "ja"}) is True
