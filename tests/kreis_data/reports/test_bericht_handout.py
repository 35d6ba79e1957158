"""Issue #15, point 5: the quarterly report as a handout (PDF) and for the beamer (PPTX), built
for the demo Kreis, 2026-Q3, and read back the way a reader gets it.

PDF (text extracted with pypdf, structure read from the file):
- the management summary and the Steuerungsgruppe's proposed decisions come first;
- every Maßnahme and every item of every list is in it (the annex), never "… und n weitere";
- no e-mail address or telephone number of a person;
- no word broken inside (a known list of long words is checked at every line break);
- tagged: a structure tree with headings, lists, tables and a figure whose alt text
  describes the map (pdfinfo says "Tagged: yes" where poppler is installed).
PPTX (python-pptx):
- every run of text at 18 pt or more; every picture with a real description (`descr`);
- all Maßnahmen, the summary and the decisions first, no contact data;
- nothing runs into the footer or off the slide.
"""
from __future__ import annotations

import io
import re
import shutil
import subprocess

import pytest
from pptx import Presentation
from pptx.enum.shapes import MSO_SHAPE_TYPE
from pptx.util import Pt
from pypdf import PdfReader
from sqlalchemy import select
from sqlalchemy.orm import Session

from kreis_data.analyses import deltas as deltas_mod
from kreis_data.model import Kontakt
from kreis_data.reports import build_pdf, build_pptx, inhalt

QUARTAL = "2026-Q3"
# Long words of the demo report: none may be split across two lines.
LANGE_WOERTER = ("Verwaltungen", "Verbesserungen", "Digitalisierungsstrategie",
                 "Digitalisierungsindex", "Georgsmarienhütte", "Einwohnermeldewesen",
                 "Ratsinformationssystem", "Personenstandswesen", "Nachnutzungs-Chancen",
                 "Rückschritte", "Steuerungsgruppe", "Kreisverwaltung", "Prozentpunkte",
                 "Ansprechperson", "Selbstauskunft", "Wohnsitzanmeldung", "Gewerbeanmeldung",
                 "Themenfeld", "Zeitraum", "Begründung", "Verantwortlich", "Unterstützung")
EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
TELEFON = re.compile(r"\+\d{2}[\d /-]{6,}")


@pytest.fixture(scope="module")
def pdf_bytes(demo_engine) -> bytes:
    return build_pdf(demo_engine, QUARTAL)


@pytest.fixture(scope="module")
def pdf(pdf_bytes) -> PdfReader:
    return PdfReader(io.BytesIO(pdf_bytes))


@pytest.fixture(scope="module")
def pdf_text(pdf) -> str:
    return "\n".join(page.extract_text() for page in pdf.pages)


@pytest.fixture(scope="module")
def deck(demo_engine):
    return Presentation(io.BytesIO(build_pptx(demo_engine, QUARTAL)))


@pytest.fixture(scope="module")
def deck_text(deck) -> str:
    return "\n".join(_folien_text(s) for s in deck.slides)


@pytest.fixture(scope="module")
def erwartet(demo_engine):
    """What the report must list in full: Maßnahmen, changes, go-lives, clusters."""
    d = deltas_mod.deltas(demo_engine, QUARTAL)
    return {"massnahmen": list(deltas_mod.massnahmen(demo_engine)["titel"]),
            "aenderungen": [(r.verwaltung, r.merkmal) for r in d.aenderungen.itertuples()],
            "go_lives": [(r.verwaltung, r.leistung) for r in d.go_lives.itertuples()],
            "kontakte": _kontakte(demo_engine)}


def _kontakte(engine) -> list[str]:
    with Session(engine) as session:
        return [w for k in session.scalars(select(Kontakt)) for w in (k.email, k.telefon) if w]


def _folien_text(slide) -> str:
    teile = []
    for shape in slide.shapes:
        if shape.has_text_frame:
            teile.append(shape.text_frame.text)
        if shape.has_table:
            teile += [c.text for row in shape.table.rows for c in row.cells]
    return "\n".join(teile)


def _flach(text: str) -> str:
    return " ".join(text.split())


def gebrochene_woerter(text: str, woerter=LANGE_WOERTER) -> list[str]:
    """Words of `woerter` split across a line break inside the word (with or without a
    hyphen added), e.g. "Verwaltunge" / "n"."""
    zeilen = "|".join(z.strip() for z in text.splitlines())
    treffer = []
    for wort in woerter:
        for i in range(1, len(wort)):
            kopf, rest = wort[:i], wort[i:]
            if kopf.endswith("-"):  # a break after a real hyphen is allowed
                continue
            if re.search(rf"{re.escape(kopf)}-?\|{re.escape(rest)}", zeilen):
                treffer.append(f"{kopf}|{rest}")
    return treffer


# --- PDF -----------------------------------------------------------------------------------------
def test_pdf_summary_and_decisions_come_first(pdf, pdf_text):
    erste_seite = pdf.pages[0].extract_text()
    assert "Das Wichtigste in Kürze" in erste_seite
    assert "Beschlussvorschläge für die Steuerungsgruppe" in erste_seite
    # the bookmarks (from the headings) in reading order, with their pages
    lesezeichen = []

    def sammeln(eintraege):
        for e in eintraege:
            if isinstance(e, list):
                sammeln(e)
            else:
                lesezeichen.append((e.title, pdf.get_destination_page_number(e)))

    sammeln(pdf.outline)
    titel = [t for t, _ in lesezeichen]
    assert titel[:4] == ["Digitalisierung im Landkreis Osnabrück", "Das Wichtigste in Kürze",
                         "Beschlussvorschläge für die Steuerungsgruppe",
                         "Kennzahlen 3. Quartal 2026"]
    assert lesezeichen[1][1] == lesezeichen[2][1] == 0  # both on the first page
    anhang = [i for i, t in enumerate(titel) if t.startswith("Anhang")]
    assert anhang and anhang[0] == len(titel) - len(anhang)  # the annex comes last
    assert titel.index("Maßnahmen: Status und Zeitplan") < anhang[0]


def test_pdf_lists_every_massnahme_and_every_item(pdf_text, erwartet):
    text = _flach(pdf_text)
    assert len(erwartet["massnahmen"]) == 12
    for titel in erwartet["massnahmen"]:
        assert _flach(titel) in text, titel
    assert len(erwartet["aenderungen"]) > 30  # more than any page would hold
    anhang = text[text.index("Anhang A:"):]
    for verwaltung, merkmal in erwartet["aenderungen"]:
        assert _flach(verwaltung) in anhang and _flach(merkmal) in anhang
    for verwaltung, leistung in erwartet["go_lives"]:
        assert _flach(verwaltung) in text and _flach(leistung) in text
    assert "im IKZ-Monitor)" not in text
    assert not re.search(r"und \d+ weitere", text)


def test_pdf_has_no_personal_contact_data(pdf_text, erwartet):
    assert erwartet["kontakte"]  # the demo has e-mails and phone numbers …
    text = _flach(pdf_text)
    for wert in erwartet["kontakte"]:  # … and none of them is in the handout
        assert wert not in text and _flach(wert) not in text
    assert not EMAIL.search(text) and not TELEFON.search(text)


def test_pdf_breaks_no_word_inside(pdf_text):
    assert gebrochene_woerter("Anzahl der Verwaltunge\nn im Kreis") == ["Verwaltunge|n"]
    assert gebrochene_woerter("Konsolidierungs-\nCluster", ("Konsolidierungs-Cluster",)) == []
    assert gebrochene_woerter(pdf_text) == []


def _struktur_typen(pdf) -> tuple[set[str], list[str]]:
    """Structure element types of the tagged PDF and the alt texts of its figures."""
    typen, alt = set(), []
    stapel = [pdf.trailer["/Root"]["/StructTreeRoot"].get_object()]
    while stapel:
        knoten = stapel.pop()
        if hasattr(knoten, "get_object"):
            knoten = knoten.get_object()
        if isinstance(knoten, list):
            stapel += knoten
            continue
        if not hasattr(knoten, "get"):
            continue
        if "/S" in knoten:
            typen.add(str(knoten["/S"]))
            if str(knoten["/S"]) == "/Figure" and "/Alt" in knoten:
                alt.append(str(knoten["/Alt"]))
        kinder = knoten.get("/K")
        if kinder is not None:
            stapel.append(kinder)
    return typen, alt


def test_pdf_is_tagged_with_headings_tables_and_described_figures(pdf, pdf_bytes, tmp_path):
    root = pdf.trailer["/Root"]
    assert bool(root["/MarkInfo"]["/Marked"])
    assert str(root["/Lang"]).startswith("de")
    typen, alt = _struktur_typen(pdf)
    assert {"/H1", "/H2", "/L", "/LI", "/Table", "/TH", "/TD", "/Figure"} <= typen
    assert any(a.startswith("Karte der 34 Gemeinden") and "Digitalisierungsindex" in a
               for a in alt), alt
    assert any(a.startswith("Liniendiagramm") for a in alt), alt
    if shutil.which("pdfinfo"):
        datei = tmp_path / "bericht.pdf"
        datei.write_bytes(pdf_bytes)
        info = subprocess.run(["pdfinfo", str(datei)], capture_output=True, text=True,
                              check=True).stdout
        assert re.search(r"^Tagged:\s+yes$", info, re.M), info


# --- PPTX ----------------------------------------------------------------------------------------
def _laeufe(deck):
    for nummer, slide in enumerate(deck.slides, start=1):
        for shape in slide.shapes:
            frames = [shape.text_frame] if shape.has_text_frame else []
            if shape.has_table:
                frames += [c.text_frame for row in shape.table.rows for c in row.cells]
            for frame in frames:
                for absatz in frame.paragraphs:
                    for lauf in absatz.runs:
                        yield nummer, lauf


def test_pptx_every_run_is_at_least_18_pt(deck):
    laeufe = list(_laeufe(deck))
    assert len(laeufe) > 200
    zu_klein = [(n, lauf.text[:40], lauf.font.size) for n, lauf in laeufe
                if lauf.text and (lauf.font.size is None or lauf.font.size < Pt(18))]
    assert zu_klein == []


def test_pptx_every_picture_has_a_real_description(deck):
    bilder = [s for slide in deck.slides for s in slide.shapes
              if s.shape_type == MSO_SHAPE_TYPE.PICTURE]
    assert len(bilder) == 2  # trend chart and map
    for bild in bilder:
        descr = bild._element.nvPicPr.cNvPr.get("descr") or ""
        assert len(descr) >= 80 and not descr.lower().endswith((".png", ".jpg")), descr
        assert re.search(r"\d", descr)  # says what the figures are
    beschreibungen = [b._element.nvPicPr.cNvPr.get("descr") for b in bilder]
    assert any(d.startswith("Karte der 34 Gemeinden") for d in beschreibungen)


def test_pptx_has_all_massnahmen_summary_first_and_no_contact_data(deck, deck_text, erwartet):
    titel = [s.shapes.title.text for s in deck.slides]
    assert titel[1] == "Das Wichtigste in Kürze"
    assert titel[2] == "Beschlussvorschläge für die Steuerungsgruppe"
    assert titel[-1] == "Quellen und Lizenzen"
    text = _flach(deck_text)
    for massnahme in erwartet["massnahmen"]:
        assert _flach(massnahme) in text, massnahme
    for verwaltung, merkmal in erwartet["aenderungen"]:
        assert _flach(verwaltung) in text and _flach(merkmal) in text
    for wert in erwartet["kontakte"]:
        assert wert not in text
    assert not EMAIL.search(text) and not TELEFON.search(text)
    assert "im IKZ-Monitor)" not in text and not re.search(r"und \d+ weitere", text)


def test_pptx_nothing_runs_into_the_footer_or_off_the_slide(deck):
    hoehe, breite = deck.slide_height, deck.slide_width
    for nummer, slide in enumerate(deck.slides, start=1):
        fuss = [s for s in slide.shapes if s.name == "Quellen und Stand"]
        assert len(fuss) == 1, nummer
        assert f"Folie {nummer}" in fuss[0].text_frame.text
        for shape in slide.shapes:
            assert shape.left >= 0 and shape.left + shape.width <= breite, (nummer, shape.name)
            assert shape.top >= 0 and shape.top + shape.height <= hoehe, (nummer, shape.name)
            if shape.shape_id == fuss[0].shape_id or nummer == 1:
                continue
            assert shape.top + shape.height <= fuss[0].top, (nummer, shape.name)


# --- Shared rules --------------------------------------------------------------------------------
def test_contact_data_is_removed_from_free_text_but_figures_stay():
    text = ("Frau Muster (muster@amt.example.org, +49 5400 222-74, 05401 123456) – LeiKa "
            "99050012104000, 10.388 Einwohner, Stand 27.09.2026, 2026-Q3")
    sauber = inhalt.ohne_kontaktdaten(text)
    assert "@" not in sauber and "+49" not in sauber and "05401" not in sauber
    assert sauber.count(inhalt.KONTAKT_ENTFERNT) == 3
    for bleibt in ("99050012104000", "10.388", "27.09.2026", "2026-Q3", "Frau Muster"):
        assert bleibt in sauber


def test_a_small_workspace_without_measures_or_services_builds_both(small_engine):
    """Three Verwaltungen, a few Bewertungen, nothing else: both outputs build and say so."""
    reader = PdfReader(io.BytesIO(build_pdf(small_engine, QUARTAL)))
    text = _flach("\n".join(p.extract_text() for p in reader.pages))
    assert "Das Wichtigste in Kürze" in text and "Noch keine Maßnahmen erfasst." in text
    assert bool(reader.trailer["/Root"]["/MarkInfo"]["/Marked"])
    deck = Presentation(io.BytesIO(build_pptx(small_engine, QUARTAL)))
    assert deck.slides[1].shapes.title.text == "Das Wichtigste in Kürze"
    assert all(lauf.font.size >= Pt(18) for _, lauf in _laeufe(deck) if lauf.text)


def test_chart_end_labels_never_overlap():
    from kreis_data.reports.kartenbild import end_positionen

    for werte in ([43, 66.3, 66.7, 81], [97, 98, 99], [10, 10, 10, 10], [0, 1]):
        positionen = end_positionen(sorted(werte))
        assert all(b - a >= 6.0 - 1e-9 for a, b in zip(positionen, positionen[1:])), positionen
        assert all(0 <= p <= 100 for p in positionen)
    assert end_positionen([43, 81]) == [43, 81]  # labels stay at their values when they can


def test_quarter_codes_in_text_are_written_for_readers(pdf_text):
    assert not re.search(r"\b20\d\d-Q[1-4]\b", pdf_text)
