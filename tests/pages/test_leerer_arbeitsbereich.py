"""A new workspace (official data, no Bewertungen yet): every page opens without an error, says
in its own words what is still missing, and the current quarter is offered, so map and
Steckbrief already work."""
import datetime as dt

import pytest

from kreis_data.database import make_engine
from kreis_data.quartal import Quartal
from kreis_data.workspace import create_kreis_workspace
from tests.pages.apptest_helpers import all_text, open_page
from tests.pages.test_all_pages_smoke import registered_pages


@pytest.fixture(scope="module")
def leer_url(tmp_path_factory) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('leer')}/leer.sqlite"
    create_kreis_workspace(make_engine(url), "03459")
    return url


HEUTE = Quartal.of_date(dt.date.today()).label
OHNE_BEWERTUNGEN = f"Für das {HEUTE} sind noch keine Bewertungen erfasst"
# What each page says about its own missing data (besides the sidebar's note).
LEERER_ZUSTAND = {
    "pages/lagebild.py": OHNE_BEWERTUNGEN,
    "pages/karte.py": OHNE_BEWERTUNGEN,
    "pages/verwaltung.py": "Digitalisierungsindex: keine Angabe (Abdeckung: 0 von",  # on top
    "pages/kooperationen.py": "Noch keine Kooperationen erfasst.",
    "pages/efa.py": f"Für das {HEUTE} sind noch keine Anbindungen erfasst",
    "pages/standardisierung.py": "In der Domäne E-Akte/DMS sind noch keine Produkte erfasst.",
    "pages/quartalsreview.py": "ein Quartalsvergleich ist erst mit Daten möglich",
    "pages/datenpflege.py": "Zum Bearbeiten melden Sie sich bitte an.",
    "pages/methodik.py": "Jedes Merkmal wird je Verwaltung und Quartal",  # no data needed
    # the legal pages need no data at all
    "pages/impressum.py": "Angaben nach § 5 DDG",
    "pages/datenschutz.py": "Welche personenbezogenen Daten die Anwendung speichert",
    "pages/barrierefreiheit.py": "Stand der Vereinbarkeit mit den Anforderungen",
}


def test_every_page_has_its_empty_state():
    assert set(LEERER_ZUSTAND) == set(registered_pages())


@pytest.mark.parametrize("page", registered_pages())
def test_page_opens_on_an_empty_workspace(leer_url, monkeypatch, page):
    monkeypatch.setenv("IKZ_DATABASE_URL", leer_url)
    at = open_page(page)
    assert not any("Demo-Daten (fiktiv)" in w.value for w in at.warning)
    text = all_text(at)
    assert "Noch keine Bewertungen erfasst." in text  # the sidebar
    assert LEERER_ZUSTAND[page] in text


def test_karte_of_an_empty_workspace_lists_every_gemeinde_as_keine_angabe(leer_url, monkeypatch):
    monkeypatch.setenv("IKZ_DATABASE_URL", leer_url)
    at = open_page("pages/karte.py", session={"karte_ansicht": "Tabelle zur Karte"})
    assert at.sidebar.selectbox(key="quartal").value == str(Quartal.of_date(dt.date.today()))
    tabelle = at.dataframe[0].value
    assert len(tabelle) == 34
    assert set(tabelle.iloc[:, 3]) == {"keine Angabe"}  # the Stufe column
