"""Login throttling in the browser (issue #18): wrong passwords with a reload before every attempt
(a new Streamlit session each time) still lock the account – the correct password is refused
while the lock lasts, with the German message saying until when."""
from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Page, expect

from kreis_data.konten import regeln

from .fixtures_db import zusatzkonto
from .helpers import open_app, rerun

MAIN = "[data-testid='stMain']"

KONTO = ("e2e.sperre", "Sperrtest-Passwort-2026")
FALSCHE_VERSUCHE = 6  # the lock starts after 5 failures


@pytest.fixture
def konto(app_server: str, tmp_path_factory) -> Iterator[tuple[str, str]]:
    with zusatzkonto(tmp_path_factory, *KONTO, regeln.REDAKTION, ("034590005",)) as k:
        yield k


def _anmelden(page: Page, url: str, name: str, passwort: str) -> str:
    """Reload the Datenpflege page (a new session), try to sign in, return the message."""
    open_app(page, f"{url}/datenpflege")
    main = page.locator(MAIN)
    main.get_by_label("Benutzername").fill(name)
    main.get_by_label("Passwort").fill(passwort)
    with rerun(page):
        main.get_by_role("button", name="Anmelden").click()
    fehler = main.locator("[data-testid='stAlertContentError']")
    expect(fehler.first).to_be_visible()
    return fehler.first.inner_text()


def test_wrong_passwords_with_reloads_in_between_still_lock_the_account(
        page: Page, app_server: str, konto):
    name, passwort = konto
    meldungen = [_anmelden(page, app_server, name, "falsch-" + str(i))
                 for i in range(FALSCHE_VERSUCHE)]
    assert meldungen[0] == regeln.FALSCH
    assert "vorübergehend gesperrt, bis" in meldungen[-1] and "(deutsche Zeit)" in meldungen[-1]
    # the correct password, after yet another reload, is refused while the lock lasts
    richtig = _anmelden(page, app_server, name, passwort)
    assert "vorübergehend gesperrt, bis" in richtig
    expect(page.locator(MAIN).get_by_text(f"Angemeldet als {name}")).to_have_count(0)
