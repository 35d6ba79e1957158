"""Issue #18, point 1 and 6: the PDF and PPTX report and every export survive any text a field
holds, show it as text, and never turn it into a link, an image or a live formula.

- the Markdown/HTML payload of tests/pages/test_nutzertext.py in every free text field and
  dataset name: PDF and PPTX build, show the payload as text, and contain no link or image
  from outside;
- 10,000 characters (with and without spaces, and 2,000 line breaks) in every Maßnahme field:
  the PDF builds (no LayoutError), shortens the cell visibly with "…"; the database is unchanged;
- Verwaltung and Gemeinde names starting with "=", "+", "-", "@": no cell of any .xlsx export
  or template is a formula, no CSV cell starts with a formula character.
"""
from __future__ import annotations

import csv
import hashlib
import io
import re
import sqlite3
import zipfile
from contextlib import closing
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook
from pptx import Presentation
from pypdf import PdfReader

from kreis_data import queries
from kreis_data.bewertungen.austausch import export_bewertungen
from kreis_data.bewertungen.vorlage import vorlage_xlsx
from kreis_data.database import make_engine
from kreis_data.efa.austausch import export_bytes as anbindungen_export
from kreis_data.io import export
from kreis_data.reports import build_pdf, build_pptx
from kreis_data.software.austausch import export_produkte
from tests.pages.test_nutzertext import PAYLOAD, payload_einfuegen

MASSNAHME_TEXT = ("titel", "beschreibung", "ziel", "verantwortlich", "beteiligte",
                  "prioritaet_begruendung", "status_begruendung", "erfolgsindikator")
FORMEL_ANFAENGE = ("=", "+", "-", "@")
# A formula an attacker would like Excel to run, and harmless-looking starts.
FORMEL_NAMEN = ('=HYPERLINK("http://evil.example/x","klick")', "+49 Stadt", "-Ort", "@Amt",
                "=1+1")

pytestmark = pytest.mark.nur_sqlite  # works on SQLite files directly



def _kopie(demo_url: str, ziel: Path) -> str:
    with closing(sqlite3.connect(demo_url.removeprefix("sqlite:///"))) as quelle, \
            closing(sqlite3.connect(ziel)) as kopie:
        quelle.backup(kopie)
    return f"sqlite:///{ziel}"


def _sql(url: str, *befehle: tuple[str, tuple]) -> None:
    with closing(sqlite3.connect(url.removeprefix("sqlite:///"))) as db, db:
        for befehl, werte in befehle:
            db.execute(befehl, werte)


def _fingerabdruck(url: str) -> str:
    """A hash of every row of every table (to show that building outputs writes nothing)."""
    h = hashlib.sha256()
    with closing(sqlite3.connect(url.removeprefix("sqlite:///"))) as db:
        tabellen = [t for (t,) in db.execute(
            "SELECT name FROM sqlite_master WHERE type='table' ORDER BY name")]
        for tabelle in tabellen:
            for zeile in db.execute(f"SELECT * FROM {tabelle} ORDER BY 1"):  # noqa: S608
                h.update(repr(zeile).encode())
    return h.hexdigest()


@pytest.fixture(scope="module")
def payload_engine(tmp_path_factory, demo_url):
    url = _kopie(demo_url, tmp_path_factory.mktemp("ausgaben") / "payload.sqlite")
    payload_einfuegen(url)
    engine = make_engine(url)
    yield engine
    engine.dispose()


@pytest.fixture(scope="module")
def quartal(payload_engine) -> str:
    return queries.quartale(payload_engine)[-1]


def _pdf_text(daten: bytes) -> str:
    return " ".join(" ".join(s.extract_text() for s in PdfReader(io.BytesIO(daten)).pages).split())


def _pdf_links(daten: bytes) -> list[str]:
    """URIs of link annotations and external objects a reader could fetch."""
    links = []
    for seite in PdfReader(io.BytesIO(daten)).pages:
        for annot in seite.get("/Annots") or []:
            aktion = annot.get_object().get("/A")
            if aktion is not None and "/URI" in aktion:
                links.append(str(aktion["/URI"]))
    return links


def test_pdf_zeigt_payload_als_text(payload_engine, quartal):
    daten = build_pdf(payload_engine, quartal)
    text = _pdf_text(daten)
    assert "<img src=http://evil.example/h.png>" in text  # shown, not interpreted
    assert "[Link](http://evil.example/x)" in text
    assert _pdf_links(daten) == []
    for aktion in (b"/URI", b"/Launch", b"/GoToR", b"/JavaScript", b"/SubmitForm"):
        assert aktion not in daten, aktion  # no link or action a reader could follow


def test_pptx_zeigt_payload_als_text(payload_engine, quartal):
    daten = build_pptx(payload_engine, quartal)
    deck = Presentation(io.BytesIO(daten))
    texte = []
    for folie in deck.slides:
        for shape in folie.shapes:
            if shape.has_text_frame:
                texte.append(shape.text_frame.text)
                for absatz in shape.text_frame.paragraphs:
                    for lauf in absatz.runs:
                        assert lauf.hyperlink.address is None
            if shape.has_table:
                texte += [c.text for row in shape.table.rows for c in row.cells]
    assert "<img src=http://evil.example/h.png>" in "\n".join(texte)
    with zipfile.ZipFile(io.BytesIO(daten)) as archiv:
        for name in archiv.namelist():
            if name.endswith(".rels"):
                rels = archiv.read(name).decode()
                assert 'TargetMode="External"' not in rels, name
                assert "evil.example" not in rels, name


@pytest.fixture
def lange_texte(tmp_path, demo_url):
    """Every Maßnahme field and the first Meilenstein with 10,000 characters: words, one
    word without a space, and 2,000 line breaks."""
    url = _kopie(demo_url, tmp_path / "lang.sqlite")
    varianten = ["Wort " * 2000, "x" * 10_000, "Zeile\n" * 2000]
    befehle = []
    for nummer, feld in enumerate(MASSNAHME_TEXT):
        befehle.append((f"UPDATE massnahme SET {feld} = ?",  # noqa: S608 (fixed names)
                        (varianten[nummer % 3],)))
    befehle.append(("UPDATE meilenstein SET titel = ?", ("Meilenstein " * 900,)))
    befehle.append(("UPDATE kreis SET name = ?", ("Landkreis " + "Sehr-Lang " * 1000,)))
    _sql(url, *befehle)
    return url


def test_pdf_und_pptx_ueberstehen_10000_zeichen(lange_texte):
    engine = make_engine(lange_texte)
    quartal = queries.quartale(engine)[-1]
    vorher = _fingerabdruck(lange_texte)
    pdf = build_pdf(engine, quartal)  # raised LayoutError before
    deck = Presentation(io.BytesIO(build_pptx(engine, quartal)))  # raised ValueError (title)
    engine.dispose()
    assert _fingerabdruck(lange_texte) == vorher  # the data stays as it is
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) <= 24  # the report itself has ~16 pages (annex with every list)
    text = _pdf_text(pdf)
    assert "Wort Wort" in text and "…" in text  # shortened visibly
    assert len(pdf) < 2_000_000
    zellen = [c.text for folie in deck.slides for shape in folie.shapes if shape.has_table
              for row in shape.table.rows for c in row.cells]
    # a table too wide for 18 pt is shown as one text block per row ("Eintrag")
    eintraege = [shape.text_frame.text for folie in deck.slides for shape in folie.shapes
                 if shape.name == "Eintrag"]
    assert any(z.endswith("…") for z in zellen + eintraege) and max(map(len, zellen)) <= 300
    assert max(map(len, eintraege)) <= 1200


@pytest.fixture
def formel_namen(tmp_path, demo_url):
    """Verwaltung and Gemeinde names (and a Leistung, a product, a Bemerkung) that start with a
    formula character."""
    url = _kopie(demo_url, tmp_path / "formeln.sqlite")
    with closing(sqlite3.connect(url.removeprefix("sqlite:///"))) as db:
        keys = [k for (k,) in db.execute("SELECT key FROM verwaltung ORDER BY key")]
        agss = [a for (a,) in db.execute("SELECT ags FROM gemeinde ORDER BY ags")]
    befehle = [("UPDATE verwaltung SET name = ? WHERE key = ?", (name, key))
               for name, key in zip(FORMEL_NAMEN, keys)]
    befehle += [("UPDATE gemeinde SET name = ? WHERE ags = ?", (name, ags))
                for name, ags in zip(FORMEL_NAMEN, agss)]
    befehle += [("UPDATE bewertung SET bemerkung = ?", (FORMEL_NAMEN[0],)),
                ("UPDATE anbindung SET bemerkung = ?", (FORMEL_NAMEN[0],)),
                ("UPDATE produkt SET name = '=' || name", ()),
                ("UPDATE kreis SET name = ?", (FORMEL_NAMEN[0],))]
    _sql(url, *befehle)
    return url


def _keine_formeln(daten: bytes, was: str) -> int:
    """Assert no cell of the workbook is a formula; returns the number of text cells that start
    with a formula character after the neutralising "'" (must be > 0 to prove the case)."""
    with zipfile.ZipFile(io.BytesIO(daten)) as archiv:
        for name in archiv.namelist():
            if name.startswith("xl/worksheets/"):
                assert not re.search(rb"<(?:\w+:)?f[\s>]", archiv.read(name)), f"{was}: {name}"
    buch = load_workbook(io.BytesIO(daten))
    neutralisiert = 0
    for blatt in buch.worksheets:
        for zeile in blatt.iter_rows():
            for zelle in zeile:
                assert zelle.data_type != "f", f"{was}: {blatt.title}!{zelle.coordinate}"
                if isinstance(zelle.value, str):
                    assert not zelle.value.startswith(FORMEL_ANFAENGE), \
                        f"{was}: {blatt.title}!{zelle.coordinate} = {zelle.value[:40]!r}"
                    neutralisiert += zelle.value.startswith("'")
    return neutralisiert


def _csv_ohne_formeln(daten: bytes, was: str) -> None:
    text = daten.decode("utf-8-sig")
    for zeile in csv.reader(io.StringIO(text), delimiter=";"):
        for zelle in zeile:
            assert not zelle.startswith(FORMEL_ANFAENGE) or re.fullmatch(r"[-+]?[\d.,]+", zelle), \
                f"{was}: {zelle[:40]!r}"


def test_keine_formel_in_vorlage_und_exporten(formel_namen, tmp_path):
    engine = make_engine(formel_namen)
    quartal = queries.quartale(engine)[-1]
    vorher = _fingerabdruck(formel_namen)

    assert _keine_formeln(vorlage_xlsx(engine, quartal), "Excel-Vorlage") > 0
    for endung in ("xlsx", "csv"):
        ziel = tmp_path / f"bewertungen.{endung}"
        export_bewertungen(engine, quartal, ziel)
        if endung == "xlsx":
            assert _keine_formeln(ziel.read_bytes(), "Bewertungen-Export") > 0
        else:
            _csv_ohne_formeln(ziel.read_bytes(), "Bewertungen-CSV")
    assert _keine_formeln(anbindungen_export(engine, quartal, "xlsx"), "Anbindungen-Export") > 0
    _csv_ohne_formeln(anbindungen_export(engine, quartal, "csv"), "Anbindungen-CSV")
    puffer = io.BytesIO()
    export_produkte(engine, puffer)
    assert _keine_formeln(puffer.getvalue(), "Produkte-Export") > 0

    # The one export for people (tables on the pages): names as cells and as column titles.
    tabelle = pd.DataFrame({FORMEL_NAMEN[0]: list(FORMEL_NAMEN), "Zahl": range(5)})
    assert _keine_formeln(export.als_xlsx(tabelle, titel=FORMEL_NAMEN[0], quelle=FORMEL_NAMEN[1],
                                          stand="01.01.2026"), "Tabellen-Export") > 0
    _csv_ohne_formeln(export.als_csv(tabelle, quelle=FORMEL_NAMEN[1], stand="01.01.2026"),
                      "Tabellen-CSV")

    # Report: the names are text in PDF and PPTX.
    assert FORMEL_NAMEN[0] in _pdf_text(build_pdf(engine, quartal))
    build_pptx(engine, quartal)
    engine.dispose()
    assert _fingerabdruck(formel_namen) == vorher


def test_exporte_ueberstehen_payload(payload_engine, quartal, tmp_path):
    """Every export of the payload workspace builds and keeps the payload as text."""
    assert PAYLOAD in str(load_workbook(io.BytesIO(vorlage_xlsx(payload_engine, quartal)))
                          .worksheets[0]["C2"].value)
    for endung in ("xlsx", "csv"):
        export_bewertungen(payload_engine, quartal, tmp_path / f"b.{endung}")
    assert PAYLOAD in (tmp_path / "b.csv").read_bytes().decode("utf-8-sig")
    anbindungen_export(payload_engine, quartal, "xlsx")
    assert PAYLOAD in anbindungen_export(payload_engine, quartal, "csv").decode("utf-8-sig")
    export_produkte(payload_engine, io.BytesIO())
