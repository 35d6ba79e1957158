"""A new workspace (official data, no Bewertungen yet): every page opens without an error and
the current quarter is offered, so map and Steckbrief already work."""
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


@pytest.mark.parametrize("page", registered_pages())
def test_page_opens_on_an_empty_workspace(leer_url, monkeypatch, page):
    monkeypatch.setenv("IKZ_DATABASE_URL", leer_url)
    at = open_page(page)
    assert not any("Demo-Daten (fiktiv)" in w.value for w in at.warning)
    assert "Noch keine Bewertungen erfasst." in all_text(at)


def test_karte_of_an_empty_workspace_lists_every_gemeinde_as_keine_angabe(leer_url, monkeypatch):
    monkeypatch.setenv("IKZ_DATABASE_URL", leer_url)
    at = open_page("pages/karte.py")
    assert at.sidebar.selectbox(key="quartal").value == str(Quartal.of_date(dt.date.today()))
    tabelle = at.dataframe[0].value
    assert len(tabelle) == 34
    assert set(tabelle.iloc[:, 3]) == {"keine Angabe"}  # the Stufe column
