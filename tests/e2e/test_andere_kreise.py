"""Beyond the demo: a workspace made the way a new user makes one (``init --kreis``, the
Bewertungen template exported, filled in and imported with the CLI), opened in Chromium.

Ilm-Kreis (Thüringen): its Gemeinden were merged in 2019, after the geometry's Stand; the map
must draw today's 16 Gemeinden from their predecessors and name Thüringen's Verwaltungsarten.
Freyung-Grafenau (Bayern): eleven gemeindefreie Gebiete (forests) are drawn as neutral areas,
never as Gemeinden."""
from __future__ import annotations

import csv
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from .helpers import MAP_IFRAME, ROOT, assert_no_error, open_app, rerun, run_streamlit, screenshot

pytestmark = pytest.mark.e2e

MAIN = "[data-testid='stMain']"
QUARTAL = "2026-Q3"
ILMENAU_AGS, ILMENAU_KEY = "16070029", "160700029"


def _cli(env: dict[str, str], *args: str) -> str:
    result = subprocess.run([sys.executable, "-m", "kreis_data", *args], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, f"kreis_data {' '.join(args)}:\n{result.stdout}\n{result.stderr}"
    return result.stdout


def _fill(path: Path) -> None:
    """Stufe 0-4 in turn from Verwaltung to Verwaltung (ja/nein Merkmale: ja)."""
    with path.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle, delimiter=";"))
    for i, row in enumerate(rows[1:]):
        row[4] = ("ja" if row[3] in ("digitalisierungsbeauftragte", "digitallotsen")
                  else str((i // 10 + i) % 5))
        row[5], row[6] = "Selbstauskunft", "15.09.2026"
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        csv.writer(handle, delimiter=";").writerows(rows)


@pytest.fixture(scope="module", params=["16070", "09272"])
def kreis_server(request, tmp_path_factory, browser):
    ags = request.param
    workdir = tmp_path_factory.mktemp(f"kreis-{ags}")
    env = dict(os.environ, IKZ_DATABASE_URL=f"sqlite:///{workdir / 'ikz.sqlite'}",
               PYTHONUNBUFFERED="1")
    out = _cli(env, "init", "--kreis", ags)
    assert "Arbeitsbereich" in out and "angelegt" in out
    vorlage = workdir / "bewertungen.csv"
    _cli(env, "export", "--quartal", QUARTAL, "--out", str(vorlage))
    _fill(vorlage)
    _cli(env, "import", str(vorlage))
    with run_streamlit(env, workdir) as url:
        yield ags, url


def _karte(page: Page, url: str) -> None:
    open_app(page, f"{url}/karte?quartal={QUARTAL}&merkmal=e_akte")
    assert_no_error(page)


def test_karte_of_another_kreis(page: Page, kreis_server):
    ags, url = kreis_server
    _karte(page, url)
    karte = page.frame_locator(MAP_IFRAME).first
    main = page.locator(MAIN)
    if ags == "16070":
        expect(karte.locator("path.ikz-gemeinde")).to_have_count(16, timeout=30_000)
        expect(main).to_contain_text("Alle Mitgliedsgemeinden einer Verwaltungsgemeinschaft tragen")
        # Ilmenau as today's Gemeinde: one polygon made of seven 2016 Gemeinden, clickable
        with rerun(page):
            karte.locator(f"path.ikz-ags-{ILMENAU_AGS}").click()
        assert_no_error(page)
        expect(karte.locator(f"path.ikz-auswahl-{ILMENAU_KEY}")).to_have_count(1)
        expect(main.locator("h4").filter(has_text=re.compile(r"^Ilmenau$"))).to_be_visible()
    else:
        expect(karte.locator("path.ikz-gemeinde")).to_have_count(25, timeout=30_000)
        # 25 Gemeinden + 11 gemeindefreie Gebiete with a tooltip each
        expect(karte.locator("path.leaflet-interactive")).to_have_count(36)
        expect(main).to_contain_text("gemeindefreies Gebiet (gehört zu keiner Gemeinde)")
        expect(main).to_contain_text("Alle Mitgliedsgemeinden einer Verwaltungsgemeinschaft")
    expect(main).not_to_contain_text("Samtgemeinde")
    expect(page.locator("body")).to_contain_text(
        "Grenzen: VG250 Stand 01.01.2016, angepasst an den Gebietsstand 2020")
    screenshot(page, f"karte-{ags}")


def test_lagebild_and_methodik_of_another_kreis(page: Page, kreis_server):
    ags, url = kreis_server
    open_app(page, f"{url}/?quartal={QUARTAL}")  # the Lagebild is the start page
    assert_no_error(page)
    main = page.locator(MAIN)
    name = {"16070": "Ilm-Kreis", "09272": "Landkreis Freyung-Grafenau"}[ags]
    expect(main.get_by_role("heading", name=f"Lagebild {name}")).to_be_visible()
    gemeinden, verwaltungen = {"16070": (16, 8), "09272": (25, 19)}[ags]
    expect(main).to_contain_text(f"Anteile beziehen sich auf die {verwaltungen} Verwaltungen")
    expect(main).to_contain_text(f"{gemeinden} Gemeinden")
    expect(main).not_to_contain_text("Samtgemeinde")
    open_app(page, f"{url}/methodik")
    assert_no_error(page)
    if ags == "16070":
        expect(main).to_contain_text("seit dem Stand der Geometrie entstanden oder gewachsen")
        abgleich = page.get_by_test_id("stDataFrame").filter(has_text="Vorgänger")
        expect(abgleich).to_contain_text("Frauenwald")
    else:
        expect(main).to_contain_text("11 gemeindefreie Gebiete")
