"""Every page of the registry runs through the app shell without an exception."""
import pytest

from components.seiten import SEITEN
from tests.pages.apptest_helpers import ROOT, open_page, sichtbar


def registered_pages() -> list[str]:
    """The page files of the page registry (components/seiten.py)."""
    return [seite.datei for seite in SEITEN]


def test_every_page_file_is_registered():
    on_disk = sorted(f"pages/{p.name}" for p in (ROOT / "pages").glob("*.py"))
    assert sorted(registered_pages()) == on_disk


@pytest.mark.parametrize("page", registered_pages())
def test_page_runs_in_the_app_shell(app_env, page):
    at = open_page(page)
    assert at.title, f"{page} shows no title"
    assert any("Demo-Daten (fiktiv)" in w.value for w in at.warning)
    captions = sichtbar(" ".join(c.value for c in at.caption))
    assert "© GeoBasis-DE / BKG" in captions  # footer attribution on every page
