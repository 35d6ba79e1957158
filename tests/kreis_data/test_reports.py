"""Quarterly briefing as PDF and PPTX for the demo Kreis, 2026-Q3: opened with pypdf and
python-pptx and checked for what a reader needs (size, titles, attributions, Stand, map)."""
from __future__ import annotations

import io

import pytest
from pptx import Presentation
from pptx.enum.shapes import MSO_SHAPE_TYPE
from pypdf import PdfReader

from kreis_data.analyses.lagebild import kennzahlen
from kreis_data.reports import build_pdf, build_pptx

QUARTAL = "2026-Q3"
A4_QUER = (841.89, 595.28)  # points


@pytest.fixture(scope="module")
def pdf(demo_engine) -> PdfReader:
    return PdfReader(io.BytesIO(build_pdf(demo_engine, QUARTAL)))


@pytest.fixture(scope="module")
def deck(demo_engine):
    return Presentation(io.BytesIO(build_pptx(demo_engine, QUARTAL)))


def _folien_text(slide) -> str:
    teile = []
    for shape in slide.shapes:
        if shape.has_text_frame:
            teile.append(shape.text_frame.text)
        if shape.has_table:
            teile += [c.text for row in shape.table.rows for c in row.cells]
    return "\n".join(teile)


def test_pdf_is_a4_landscape_with_8_to_20_pages(pdf):
    # summary and decisions, one page per section, the annex with every list in full
    assert 8 <= len(pdf.pages) <= 20
    for page in pdf.pages:
        breite, hoehe = float(page.mediabox.width), float(page.mediabox.height)
        assert (breite, hoehe) == pytest.approx(A4_QUER, abs=1)


def test_pdf_every_page_has_attributions_demo_note_and_stand(pdf):
    for nummer, page in enumerate(pdf.pages, start=1):
        text = page.extract_text()
        assert "© GeoBasis-DE / BKG" in text, nummer
        assert "Destatis" in text, nummer
        assert "Demo-Daten (fiktiv)" in text, nummer
        assert "Stand: " in text, nummer
        assert f"Seite {nummer}" in text


def test_pdf_contains_key_figures_sections_and_german_umlauts(pdf, demo_engine):
    # table cells wrap, so compare with whitespace collapsed
    text = " ".join(" ".join(page.extract_text() for page in pdf.pages).split())
    for kennzahl in kennzahlen(demo_engine, QUARTAL):
        assert kennzahl.titel in text
        assert kennzahl.wert in text
    for titel in ("Karte: Digitalisierungsindex", "Was hat sich verändert?",
                  "Größte Chancen der EfA-Nachnutzung", "Hinweise zur Standardisierung",
                  "Maßnahmen: Status und Zeitplan"):
        assert titel in text
    assert "3. Quartal 2026" in text
    # Embedded TrueType subset of DejaVu: umlauts render without any system font.
    fonts = [f.get_object() for f in pdf.pages[0]["/Resources"]["/Font"].values()]
    fonts += [d.get_object() for f in fonts for d in f.get("/DescendantFonts", [])]  # CID
    eingebettet = [f for f in fonts if "/FontDescriptor" in f
                   and "/FontFile2" in f["/FontDescriptor"].get_object()]
    assert any("DejaVu" in str(f["/FontDescriptor"].get_object()["/FontName"])
               for f in eingebettet)


def test_pdf_map_page_has_an_image(pdf):
    karten_seite = next(p for p in pdf.pages if "Karte: Digitalisierungsindex" in p.extract_text())
    assert len(karten_seite.images) >= 1


def test_pptx_slides_titles_attribution_and_map_picture(deck):
    titel = [s.shapes.title.text for s in deck.slides]
    assert titel[0] == "Digitalisierung im Landkreis Osnabrück"
    for erwartet in ("Kennzahlen 3. Quartal 2026", "Karte: Digitalisierungsindex, 3. Quartal 2026",
                     "Was hat sich verändert?", "Größte Chancen der EfA-Nachnutzung",
                     "Hinweise zur Standardisierung", "Maßnahmen: Status und Zeitplan"):
        assert erwartet in titel
    for nummer, slide in enumerate(deck.slides, start=1):
        text = _folien_text(slide)
        assert "© GeoBasis-DE / BKG" in text and "Destatis" in text, nummer
        assert "Demo-Daten (fiktiv)" in text and "Stand: " in text, nummer
    karte = deck.slides[titel.index("Karte: Digitalisierungsindex, 3. Quartal 2026")]
    assert any(s.shape_type == MSO_SHAPE_TYPE.PICTURE for s in karte.shapes)
    kennzahlen_folie = deck.slides[titel.index("Kennzahlen 3. Quartal 2026")]
    tabellen = [s for s in kennzahlen_folie.shapes if s.has_table]
    karten = [s for s in kennzahlen_folie.shapes if s.name == "Eintrag"]  # one per row at 18 pt
    assert (tabellen and tabellen[0].table.cell(0, 0).text == "Kennzahl") or (
        karten and karten[0].text_frame.text.startswith("Gemeinden und Verwaltungen"))  # editable
