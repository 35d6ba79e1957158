"""Issue #15, point 2: German everywhere, one format for numbers, dates and quarters.

Every page of the registry and every one of its tabs is run (anonymous and as
Kreis-Administration, with a Verwaltung chosen by URL), and everything the app sends is read:
every string of every element (markdown, captions, alerts, headings, labels, help texts, options,
metric values, HTML blocks), the text of Plotly charts and every cell, index entry and column
title of every table (st.dataframe, st.table). Nothing a reader sees may show
- "None", "nan", "NaT", "True" or "False" (Python leftovers instead of "keine Angabe" / "–"),
- an ISO date (2026-05-21) instead of TT.MM.JJJJ,
- a quarter code ("2026-Q3") instead of the reader format of kreis_data.formatting ("Q3 2026"),
- a number with a decimal point ("30.47") – in text and as a float cell of a table, which the
  grid would draw with a point; Plotly charts must use German separators,
- English leftovers of Streamlit ("Upload", "per file", "Browse files", "Page not found" …).
Machine text is not read: element ids and keys, URLs and link targets (?quartal=2026-Q3), file
names of downloads.

Streamlit draws a few texts in the browser only (the uploader's dropzone, the document's lang):
the page must carry the German replacements (components.deutsch) wherever they are needed.
"""
from __future__ import annotations

import datetime as dt
import json
import math
import re
from collections.abc import Iterator

import pandas as pd
import pytest
from google.protobuf.message import Message
from streamlit.testing.v1 import AppTest

from components import deutsch
from kreis_data import formatting
from kreis_data.demo.basis import DEMO_QUARTALE, GLANDORF
from tests.pages.apptest_helpers import all_text, open_page, sichtbar
from tests.pages.test_nutzertext import ADMIN, ARTLAND, FAELLE

ERSTES_QUARTAL = DEMO_QUARTALE[0]

# Fields that carry machine text, not reader text.
MASCHINE = {"id", "form_id", "key", "url", "href", "deprecated_url", "page_script_hash",
            "page_name", "url_pathname", "icon", "default_value", "file_name", "data",
            "spec", "json_args", "theme", "selection_mode", "element_hash", "css", "mime_type"}

# A date input sends its values as ISO text and shows them in its `format` (checked below).
DATUM_WERTE = {"min", "max", "default", "value"}

VERBOTEN: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("Python-Leerwert", re.compile(r"\b(?:None|nan|NaN|NaT|<NA>|True|False)\b")),
    ("ISO-Datum", re.compile(r"\b\d{4}-\d{2}-\d{2}\b")),
    ("Quartalscode", re.compile(r"(?<![=/\w])\d{4}-Q[1-4]\b")),
    ("Dezimalpunkt", re.compile(r"(?<![\d.])\d+\.(?!\d{3}(?:\D|$))\d+(?![\d.])")),
    ("Englisch", re.compile(r"\b(?:Upload|per file|Browse files|Drag and drop|Page not found|"
                            r"Limit \d+ ?MB|Running|Loading|Download|Submit|Cancel)\b")),
)
# A gender star in Markdown must be escaped ("Digitalisierungsbeauftragte\\*r"), or two of them
# on a line turn the text between into italics and both stars vanish ("keiner
# Digitalisierungsbeauftragter"). Plain-text elements (tables, inputs, options) are not Markdown.
_GENDERSTERN = re.compile(r"(?<=[a-zäöüß])(?<!\\)\*(?=(?:r|in|innen|e|n)\b)")
_MARKDOWN_TYPEN = {"Markdown", "Alert", "Heading", "Metric", "Caption"}
_MARKDOWN_FELDER = {"label", "help", "body", "title"}

# Not read as numbers: dates (30.09.2026, 30.09.; checked as dates above), version numbers of
# named standards (WCAG 2.1, BITV 2.0, OZG 2.0), HTML tags with their style attributes.
_KEINE_ZAHL = re.compile(r"\b\d{1,2}\.\d{1,2}\.(?:\d{4})?|\b(?:WCAG|BITV|OZG|EN|PDF/UA|"
                         r"Version|Modell|Abschnitt|Streamlit|Python)[ -]\d+(?:\.\d+)+|<[^<>]*>")


def treffer(text: str) -> list[str]:
    """What a reader should not see in `text`: (kind, fragment) as readable strings."""
    text = sichtbar(text)
    ohne_datum = _KEINE_ZAHL.sub(" ", text)
    gefunden = []
    for art, muster in VERBOTEN:
        quelle = ohne_datum if art == "Dezimalpunkt" else text
        for m in muster.finditer(quelle):
            gefunden.append(f"{art}: {m.group()!r} in …{quelle[max(0, m.start() - 60):m.end() + 40]!r}")
    return gefunden


def _strings(message: Message, pfad: str) -> Iterator[tuple[str, str]]:
    for feld, wert in message.ListFields():
        if feld.name in MASCHINE or (pfad == "DateInput" and feld.name in DATUM_WERTE):
            continue
        for w in (wert if feld.is_repeated else [wert]):
            if isinstance(w, Message):
                yield from _strings(w, f"{pfad}.{feld.name}")
            elif isinstance(w, str):
                yield f"{pfad}.{feld.name}", w


def _json_text(wert, schluessel: str = "") -> Iterator[str]:
    """The reader text of a Plotly spec: text, hover, tick and axis labels, legend names."""
    if isinstance(wert, dict):
        for k, v in wert.items():
            yield from _json_text(v, k)
    elif isinstance(wert, list):
        for v in wert:
            yield from _json_text(v, schluessel)
    elif isinstance(wert, str) and schluessel in {"text", "hovertext", "ticktext", "name",
                                                    "title", "label"}:
        yield wert


def _elemente(knoten) -> Iterator:
    yield knoten
    for kind in getattr(knoten, "children", {}).values():
        yield from _elemente(kind)


def _tabelle(frame: pd.DataFrame, name: str, platzhalter: str = "",
             datumsspalten: frozenset[str] = frozenset()) -> list[str]:
    """Findings in a table; `platzhalter`: what the grid shows for a missing value (st.dataframe's
    placeholder; without one it draws "None")."""
    gefunden = []
    zellen = [*map(str, frame.columns), *(map(str, frame.index)
                                          if not isinstance(frame.index, pd.RangeIndex) else [])]
    for spalte in frame.columns:
        # a date column shown with format="DD.MM.YYYY" (st.column_config.DateColumn)
        datumsspalte = spalte in datumsspalten
        for wert in frame[spalte]:
            if isinstance(wert, bool):
                gefunden.append(f"{name}[{spalte}]: Wahrheitswert {wert!r} (zeigt True/False)")
            elif wert is None or (not isinstance(wert, str) and pd.isna(wert)):
                if platzhalter in (formatting.LEER, formatting.KEINE_ANGABE):
                    continue
                gefunden.append(f"{name}[{spalte}]: leere Zelle (zeigt None)")
                break
            elif isinstance(wert, float) and not math.isinf(wert) and wert != int(wert):
                gefunden.append(f"{name}[{spalte}]: Kommazahl {wert!r} (zeigt einen Punkt)")
                break
            elif isinstance(wert, (dt.date, pd.Timestamp)) and not datumsspalte:
                gefunden.append(f"{name}[{spalte}]: Datum {wert!r} (zeigt JJJJ-MM-TT)")
                break
            elif isinstance(wert, str):
                zellen.append(wert)
    for text in zellen:
        gefunden += [f"{name}: {t}" for t in treffer(text)]
    return gefunden


def _datumsspalten(proto) -> frozenset[str]:
    """Columns a dataframe shows in German date format (its column config)."""
    try:
        config = json.loads(proto.columns or "{}")
    except ValueError:
        return frozenset()
    return frozenset(
        (wert.get("label") or name).removeprefix("_pos:") for name, wert in config.items()
        if isinstance(wert, dict) and "DD.MM.YYYY" in json.dumps(wert)) | frozenset(
        name for name, wert in config.items()
        if isinstance(wert, dict) and "DD.MM.YYYY" in json.dumps(wert))


def befunde(at: AppTest) -> list[str]:
    """Everything on this run a German reader should not see."""
    gefunden: list[str] = []
    for knoten in _elemente(at._tree):
        proto = getattr(knoten, "proto", None)
        if not isinstance(proto, Message):
            continue
        typ = type(proto).__name__
        if typ == "Html" and proto.body == deutsch.BLOCK:
            continue  # the fixed script and CSS of components.deutsch (checked below)
        if typ == "DateInput" and proto.format != "DD.MM.YYYY":
            gefunden.append(f"DateInput {proto.label!r}: Format {proto.format!r} statt TT.MM.JJJJ")
        if typ == "PlotlyChart":
            spec = json.loads(proto.spec)
            if spec.get("layout", {}).get("separators") != formatting.PLOTLY_TRENNZEICHEN:
                titel = spec.get("layout", {}).get("title", {})
                gefunden.append(f"PlotlyChart {titel!r}: ohne deutsche Trennzeichen")
            for text in _json_text(spec):
                gefunden += [f"PlotlyChart: {t}" for t in treffer(text)]
        for pfad, text in _strings(proto, typ):
            gefunden += [f"{pfad}: {t}" for t in treffer(text)]
            feld = pfad.rsplit(".", 1)[-1]
            if (typ in _MARKDOWN_TYPEN or feld in {"label", "help"}) and \
                    feld in _MARKDOWN_FELDER and _GENDERSTERN.search(text):
                m = _GENDERSTERN.search(text)
                gefunden.append(f"{pfad}: ungeschützter Genderstern in "
                                f"…{text[max(0, m.start() - 40):m.end() + 20]!r}")
    for i, tabelle in enumerate(at.dataframe):
        gefunden += _tabelle(tabelle.value, f"Dataframe {i}", tabelle.proto.placeholder,
                             _datumsspalten(tabelle.proto))
    for i, tabelle in enumerate(at.table):
        gefunden += _tabelle(tabelle.value, f"Table {i}")
    return gefunden


def _html(at: AppTest) -> str:
    return "\n".join(k.proto.body for k in _elemente(at._tree)
                     if type(getattr(k, "proto", None)).__name__ == "Html")


@pytest.mark.parametrize("angemeldet", [False, True], ids=["anonym", "admin"])
@pytest.mark.parametrize(("seite", "key", "tab"), FAELLE,
                         ids=[f"{s.removeprefix('pages/')}-{t or ''}" for s, _, t in FAELLE])
def test_jede_seite_spricht_deutsch(app_env, seite, key, tab, angemeldet):
    at = open_page(seite, ARTLAND, session={key: tab} if key else None,
                   login=ADMIN if angemeldet else None)
    gefunden = befunde(at)
    assert not gefunden, "\n".join(gefunden)
    html = _html(at)
    assert deutsch.SPRACHE_SKRIPT in html  # <html lang="de">
    if at.get("file_uploader"):
        assert deutsch.HOCHLADEN_CSS in html  # German dropzone texts


# Views the default run does not show: the map table of the index, the EfA-Quote and a ja/nein
# Merkmal (gender star in its name), a Verwaltung without contact (the gap's warning), the
# first quarter of the data (no previous quarter) on the Lagebild and the Quartalsreview.
WEITERE = [
    ("pages/karte.py", {"merkmal": "index"}, {"karte_ansicht": "Tabelle zur Karte"}),
    ("pages/karte.py", {"merkmal": "efa_quote"}, {"karte_ansicht": "Tabelle zur Karte"}),
    ("pages/karte.py", {"merkmal": "digitallotsen"}, {"karte_ansicht": "Tabelle zur Karte"}),
    ("pages/verwaltung.py", {"verwaltung": GLANDORF}, None),
    ("pages/lagebild.py", {"quartal": ERSTES_QUARTAL}, None),
    ("pages/quartalsreview.py", {"quartal": ERSTES_QUARTAL},
     {"review_ansicht": "EfA und Kooperationen"}),
    ("pages/quartalsreview.py", None, {"review_ansicht": "Kontakte und Datenstand"}),
]


@pytest.mark.parametrize(("seite", "query", "session"), WEITERE,
                         ids=[f"{s.removeprefix('pages/')}-{q}-{z}" for s, q, z in WEITERE])
def test_weitere_ansichten_sprechen_deutsch(app_env, seite, query, session):
    at = open_page(seite, query, session=session)
    gefunden = befunde(at)
    assert not gefunden, "\n".join(gefunden)


def test_erstes_quartal_erfindet_keine_veraenderungen(app_env):
    """Issue #15, point 3: the first quarter with data has no previous quarter – the Lagebild
    says so instead of "Keine Veränderung" and "16 neue Anbindungen"."""
    text = all_text(open_page("pages/lagebild.py", {"quartal": ERSTES_QUARTAL}))
    assert "Kein Vorquartal zum Vergleich" in text
    assert "Keine Veränderung" not in text and "neue EfA-Anbindungen" not in text
    text = all_text(open_page("pages/quartalsreview.py", {"quartal": ERSTES_QUARTAL}))
    assert "kein Vorquartal zum Vergleich" in text


def test_sitzung_nennt_teilnehmende_mit_kommas(app_env):
    at = open_page("pages/quartalsreview.py", session={"review_ansicht": "Sitzungen"})
    zeilen = [z for z in all_text(at).splitlines() if z.startswith("**Teilnehmende:**")]
    assert zeilen and all(z.count(", ") >= 3 for z in zeilen), zeilen


def test_eine_definition_von_veraltet(demo_engine):
    """Issue #15, point 3: the Quartalsreview counts exactly the values the Datenpflege lists as
    "Wert veraltet" (the issue saw "Veraltete Daten: keine" beside 14 outdated values)."""
    from kreis_data.analyses import deltas
    from kreis_data.bewertungen.lesen import qualitaet

    anzahl = {}
    for quartal in ("2026-Q3", "2026-Q2"):
        hinweise = qualitaet(demo_engine, quartal)
        anzahl[quartal] = int((hinweise["Hinweis"] == "Wert veraltet").sum())
        review = deltas.deltas(demo_engine, quartal).veraltet
        assert int(review["bewertungen"].sum()) == anzahl[quartal]
    assert anzahl["2026-Q3"] > 0  # the demo story: Bad Laer did not update in 2026-Q3


def test_demo_sitzungen_nach_den_daten_die_sie_besprechen(demo_engine):
    """Issue #15, point 3: a Sitzung takes note of its quarter's data – it meets after the
    newest Stand of that quarter (the issue saw a Sitzung on 16.09. and data of 27.09.)."""
    from sqlalchemy import func, select
    from sqlalchemy.orm import Session

    from kreis_data.model import Bewertung, Sitzung

    with Session(demo_engine) as session:
        sitzungen = session.scalars(select(Sitzung)).all()
        assert sitzungen
        for sitzung in sitzungen:
            neuester = session.scalar(select(func.max(Bewertung.stand))
                                      .where(Bewertung.quartal == sitzung.quartal))
            assert neuester < sitzung.datum, (sitzung.quartal, neuester, sitzung.datum)


def test_formate_aus_einer_hand():
    """kreis_data.formatting: the one place for what people read."""
    assert formatting.zeitpunkt(dt.datetime(2026, 11, 30, 7, 42)) == "30.11.2026, 08:42 Uhr"
    assert formatting.zeitpunkt(dt.datetime(2026, 7, 1, 22, 5)) == "02.07.2026, 00:05 Uhr"
    assert formatting.zeitpunkt(None) == formatting.LEER
    assert formatting.quartal("2026-Q3") == "3. Quartal 2026"
    assert formatting.quartale_im_text("live seit 2025-Q2 (?quartal=2025-Q2)") == \
        "live seit 2. Quartal 2025 (?quartal=2025-Q2)"
    assert formatting.namensliste("Anna (Vorsitz)\nBernd\n\nCarla") == "Anna (Vorsitz), Bernd, Carla"
    assert formatting.datum(float("nan")) == formatting.LEER
    tabelle = formatting.fuer_leser(pd.DataFrame({
        "Score": [30.47, None], "Name": ["A", None], "Aktiv": [True, False], "Anzahl": [1, 2],
        "Quartal": ["2026-Q3", "2026-Q2"]}))
    assert tabelle.to_dict("list") == {
        "Score": ["30,5", "–"], "Name": ["A", "–"], "Aktiv": ["ja", "nein"], "Anzahl": [1, 2],
        "Quartal": ["3. Quartal 2026", "2. Quartal 2026"]}
    assert not _tabelle(tabelle, "t")


def test_befunde_erkennt_englisches_und_falsche_formate():
    """The checker itself finds each kind of leftover and leaves German formats alone."""
    assert treffer("Stand: 2026-05-21")
    assert treffer("live seit 2026-Q1")
    assert treffer("Index 30.47")
    assert treffer("Ansprechperson: None")
    assert treffer("200MB per file")
    assert not treffer("Stand: 21.05.2026, Index 30,5, 1.234 Einwohner, Q1 2026, 16.09.")
    assert not treffer("[Karte](/karte?quartal=2026-Q3)")
    frame = pd.DataFrame({"Index": [30.47], "Name": [None], "Aktiv": [True]})
    assert len(_tabelle(frame, "t")) == 3
    assert not _tabelle(pd.DataFrame({"Index": ["30,5"], "Anzahl": [3]}), "t")
    assert not _tabelle(pd.DataFrame({"Wert": [None]}), "t", platzhalter=formatting.LEER)
    stand = pd.DataFrame({"Stand": [dt.date(2026, 5, 21)]})
    assert _tabelle(stand, "t") and not _tabelle(stand, "t", datumsspalten=frozenset({"Stand"}))
    assert _GENDERSTERN.search("Digitalisierungsbeauftragte*r")
    assert not _GENDERSTERN.search("Digitalisierungsbeauftragte\\*r und **fett**")
