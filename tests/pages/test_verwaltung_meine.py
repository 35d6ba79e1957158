"""Issue #15, point 4: "Meine Verwaltung" – the Verwaltung page opens on the remembered
Verwaltung (the login's Verwaltung of a Redaktion account, or the sidebar's choice) instead of
the Kreisverwaltung, keeps it in the URL (?verwaltung=…) on every page, and a fresh session
(F5, a shared link) takes it from there. The map's selection is in the URL as well."""
from __future__ import annotations

from components import auswahl as auswahl_mod
from components import karte as karte_mod
from kreis_data.konten import regeln
from tests.pages.apptest_helpers import assert_ok, open_page, sichtbar

ARTLAND, MELLE, KREIS = "034595401", "034590024", "03459"
REDAKTION = regeln.Benutzer("cdo.artland", regeln.REDAKTION, frozenset({ARTLAND}))


def steckbrief(at) -> str:
    return sichtbar(at.header[0].value)


def test_ohne_anmeldung_und_wahl_oeffnet_die_kreisverwaltung(app_env):
    at = open_page("pages/verwaltung.py")
    assert at.selectbox(key="verwaltung").value == KREIS
    assert at.selectbox(key=auswahl_mod.MEINE_WAHL).value == auswahl_mod.KEINE


def test_redaktion_oeffnet_ihre_verwaltung(app_env):
    at = open_page("pages/verwaltung.py", login=REDAKTION)
    assert steckbrief(at) == "Steckbrief Artland (Samtgemeinde)"
    assert at.query_params["verwaltung"] == ARTLAND
    assert at.selectbox(key=auswahl_mod.MEINE_WAHL).value == ARTLAND


def test_wahl_in_der_seitenleiste_gilt_auf_jeder_seite_und_steht_in_der_url(app_env):
    at = open_page("pages/lagebild.py")
    at.selectbox(key=auswahl_mod.MEINE_WAHL).select(MELLE).run()
    assert_ok(at)
    assert at.query_params["verwaltung"] == MELLE
    at.query_params.clear()  # a page change drops the URL parameters
    at.switch_page("pages/verwaltung.py")
    assert_ok(at.run())
    assert steckbrief(at) == "Steckbrief Melle (Stadt)"
    assert at.query_params["verwaltung"] == MELLE
    # another Verwaltung viewed on the page does not change the remembered one
    at.selectbox(key="verwaltung").select(ARTLAND).run()
    assert steckbrief(assert_ok(at)) == "Steckbrief Artland (Samtgemeinde)"
    assert at.selectbox(key=auswahl_mod.MEINE_WAHL).value == MELLE


def test_wahl_schlaegt_die_anmeldung(app_env):
    at = open_page("pages/verwaltung.py", login=REDAKTION)
    at.selectbox(key=auswahl_mod.MEINE_WAHL).select(MELLE).run()
    assert steckbrief(assert_ok(at)) == "Steckbrief Melle (Stadt)"


def test_frische_sitzung_nimmt_die_verwaltung_aus_der_url(app_env):
    """F5 loses the session: the remembered Verwaltung comes back from ?verwaltung=."""
    at = open_page("pages/karte.py", {"verwaltung": MELLE})
    assert at.selectbox(key=auswahl_mod.MEINE_WAHL).value == MELLE


def test_kartenauswahl_steht_in_der_url(app_env):
    at = open_page("pages/karte.py")
    assert "verwaltung" not in at.query_params
    at.session_state[karte_mod.KLICK_KEY] = {"verwaltung": MELLE, "ags": "03459024", "n": 1}
    assert_ok(at.run())
    assert at.query_params["verwaltung"] == MELLE
    assert any("Melle" in m.value for m in at.markdown if m.value.startswith("####"))
