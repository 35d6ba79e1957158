"""AppTest of the presentation mode (issue #15, point 1): the briefing's steps, what each step
shows (and what it leaves out: tabs, canvas grids, edit controls, names of Ansprechpersonen),
the navigation between steps and the HTML tables. How each step looks at 1920x1080 (no
scrolling, font sizes, the map's labels) is measured in Chromium: tests/e2e/test_praesentation.py.
"""
from __future__ import annotations

import pandas as pd
import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from components import praesentation
from components.seiten import KARTE, LAGEBILD, PRAESENTATION, QUARTALSREVIEW
from kreis_data.database import make_engine
from kreis_data.model import Kontakt
from tests.pages.apptest_helpers import all_text, open_page

PRAES = {"modus": "praesentation"}


def _html(at) -> str:
    return "\n".join(e.value for e in at.get("html"))


def _buttons(at) -> dict[str, bool]:
    """label -> disabled of the buttons of the run."""
    return {b.label: b.disabled for b in at.button}


def _personen(app_env) -> list[str]:
    with Session(make_engine(app_env)) as session:
        return sorted({n for n in session.scalars(select(Kontakt.name)) if n})


def test_die_schritte_folgen_der_seitenliste():
    assert [s.datei for s in PRAESENTATION] == [LAGEBILD.datei, KARTE.datei, QUARTALSREVIEW.datei]
    assert [(s.datei, s.key) for s in praesentation.SCHRITTE] == [
        (LAGEBILD.datei, "kennzahlen"), (LAGEBILD.datei, "chancen"), (KARTE.datei, ""),
        (QUARTALSREVIEW.datei, "ueberblick"), (QUARTALSREVIEW.datei, "efa"),
        (QUARTALSREVIEW.datei, "massnahmen")]
    # short titles: the buttons "Weiter: …" stay on one line at 24 px
    assert all(len(s.titel) <= 26 for s in praesentation.SCHRITTE)


def test_lagebild_kennzahlen_dann_veraenderungen_und_chancen_ohne_namen(app_env):
    at = open_page(LAGEBILD.datei, PRAES)
    assert len(at.metric) >= 5
    text = all_text(at)
    assert "Was sich geändert hat" not in text and "Bildschirm 1 von 6" in text
    assert _buttons(at)["Weiter: Veränderungen und Chancen →"] is False
    assert _buttons(at)["← Zurück"] is True
    assert not at.get("page_link")

    at = open_page(LAGEBILD.datei, {**PRAES, "schritt": "chancen"})
    text = all_text(at)
    assert not at.metric
    assert "Was sich geändert hat" in text and "Die drei größten Chancen" in text
    assert "Bildschirm 2 von 6" in text and "Quelle:" in text
    assert "Ansprechperson:" not in text
    personen = _personen(app_env)
    assert personen and not [n for n in personen if n in text]
    assert _buttons(at)["← Zurück: Lagebild"] is False
    assert "Weiter: Karte →" in _buttons(at)
    # the map is the next step, not a part of this one
    assert not at.get("component") and not [e for e in at.get("iframe")]

    # outside presentation mode: one page with tiles, changes, chances with names and the map
    normal = all_text(open_page(LAGEBILD.datei))
    assert "Was sich geändert hat" in normal and "Ansprechperson:" in normal


def test_unbekannter_schritt_zeigt_den_ersten(app_env):
    at = open_page(LAGEBILD.datei, {**PRAES, "schritt": "gibtsnicht"})
    assert len(at.metric) >= 5 and "Bildschirm 1 von 6" in all_text(at)


def test_karte_ohne_reiter_tabelle_und_kurzprofil(app_env):
    at = open_page(KARTE.datei, PRAES)
    text = all_text(at)
    assert "Bildschirm 3 von 6" in text
    assert not at.tabs and not at.dataframe
    assert [s.label for s in at.main.selectbox] == ["Merkmal"]
    assert "Klicken Sie auf eine Gemeinde" not in text  # no click selection, no short profile
    assert "Quelle:" in text and "Stand:" in text


@pytest.mark.parametrize(("schritt", "erwartet"), [
    ("ueberblick", "Verbesserungen und Rückschritte je Merkmal"),
    ("efa", "neue EfA-Go-lives"),
    ("massnahmen", "Maßnahmen: Roadmap"),
])
def test_quartalsreview_je_schritt_ein_teil_ohne_raster_und_formulare(app_env, schritt, erwartet):
    at = open_page(QUARTALSREVIEW.datei, {**PRAES, "schritt": schritt})
    text = all_text(at)
    assert erwartet in text and "Quelle:" in text
    assert not at.tabs and not at.dataframe and not at.get("form")
    assert not at.get("download_button")
    andere = {"ueberblick": "neue EfA-Go-lives", "efa": "Maßnahmen: Roadmap",
              "massnahmen": "je Merkmal"}
    assert andere[schritt] not in text
    if schritt == "efa":  # tables as HTML tables with German column names
        assert "<table class='ikz-praes-tabelle'>" in _html(at)
        assert "<th scope='col'>Leistung</th>" in _html(at)
    else:
        assert len(at.get("plotly_chart")) == 1
    personen = _personen(app_env)
    assert not [n for n in personen if n in text]


def test_letzter_schritt_hat_kein_weiter(app_env):
    at = open_page(QUARTALSREVIEW.datei, {**PRAES, "schritt": "massnahmen"})
    assert _buttons(at)["Weiter →"] is True
    assert _buttons(at)["← Zurück: EfA und Kooperationen"] is False
    assert "Bildschirm 6 von 6" in all_text(at)


def test_weiter_wechselt_zum_naechsten_schritt(app_env):
    at = open_page(LAGEBILD.datei, PRAES)
    next(b for b in at.button if b.label.startswith("Weiter")).click().run()
    assert not at.exception
    assert at.query_params["schritt"] == "chancen" and at.query_params["modus"] == (
        "praesentation")
    assert "Bildschirm 2 von 6" in all_text(at)
    next(b for b in at.button if b.label.startswith("← Zurück")).click().run()
    assert "Bildschirm 1 von 6" in all_text(at) and at.query_params["schritt"] == "kennzahlen"


def test_tabelle_html_escaped_mit_rest(monkeypatch):
    """praesentation.tabelle: every cell escaped (components.text.html_text), numbers in German
    format, empty cells as a dash, rows beyond the limit named as a count."""
    gezeigt = []
    monkeypatch.setattr(praesentation.st, "html", gezeigt.append)
    monkeypatch.setattr(praesentation.st, "markdown", gezeigt.append)
    frame = pd.DataFrame({"a": ["<b>fett</b>", "**x**", None], "b": [1234, 2.5, 3]})
    praesentation.tabelle(frame, {"a": "Name", "b": "Zahl"}, max_zeilen=2, rest="weitere")
    html, rest = gezeigt
    assert "<b>" not in html and "&#60;b&#62;fett" in html and "**" not in html
    assert "<td class='ikz-zahl'>1.234</td>" in html and "<td class='ikz-zahl'>2,5</td>" in html
    assert html.count("<tr>") == 3  # head + 2 rows
    assert rest.startswith("… und 1 weitere")
