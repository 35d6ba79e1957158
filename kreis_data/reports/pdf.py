"""PDF briefing (A4 landscape) with reportlab: one page per section, embedded DejaVu fonts
(umlauts, offline), the attributions and the Stand in the footer of every page."""
from __future__ import annotations

import io
from pathlib import Path
from xml.sax.saxutils import escape

import matplotlib
from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import cm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import (
    Image,
    PageBreak,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)
from sqlalchemy import Engine

from kreis_data import scales
from kreis_data.reports.inhalt import Abschnitt, Bericht, Tabelle, bericht

SEITE = landscape(A4)
RAND = 1.5 * cm
FUSS_HOEHE = 2.0 * cm
FONT_DIR = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
DUNKEL = colors.HexColor(scales.TITEL_FARBE)
KOPF_HINTERGRUND = colors.HexColor("#e8ecf6")


def _fonts() -> None:
    if "DejaVu" in pdfmetrics.getRegisteredFontNames():
        return
    pdfmetrics.registerFont(TTFont("DejaVu", str(FONT_DIR / "DejaVuSans.ttf")))
    pdfmetrics.registerFont(TTFont("DejaVu-Bold", str(FONT_DIR / "DejaVuSans-Bold.ttf")))
    pdfmetrics.registerFontFamily("DejaVu", normal="DejaVu", bold="DejaVu-Bold",
                                  italic="DejaVu", boldItalic="DejaVu-Bold")


def _styles() -> dict[str, ParagraphStyle]:
    basis = ParagraphStyle("basis", fontName="DejaVu", fontSize=10.5, leading=14,
                           alignment=TA_LEFT, spaceAfter=4)
    return {
        "basis": basis,
        "titel": ParagraphStyle("titel", parent=basis, fontName="DejaVu-Bold", fontSize=24,
                                leading=30, textColor=DUNKEL, spaceAfter=6),
        "untertitel": ParagraphStyle("untertitel", parent=basis, fontSize=14, leading=18,
                                     spaceAfter=10),
        "h1": ParagraphStyle("h1", parent=basis, fontName="DejaVu-Bold", fontSize=17, leading=22,
                             textColor=DUNKEL, spaceAfter=8),
        "h2": ParagraphStyle("h2", parent=basis, fontName="DejaVu-Bold", fontSize=11.5,
                             leading=15, spaceBefore=6, spaceAfter=3),
        "zelle": ParagraphStyle("zelle", parent=basis, fontSize=8.8, leading=11, spaceAfter=0),
        "kopf": ParagraphStyle("kopf", parent=basis, fontName="DejaVu-Bold", fontSize=8.8,
                               leading=11, spaceAfter=0),
        "klein": ParagraphStyle("klein", parent=basis, fontSize=8.5, leading=11),
    }


def _p(text: str, style: ParagraphStyle) -> Paragraph:
    return Paragraph(escape(text).replace("\n", "<br/>"), style)


# The highest a table cell, a paragraph or a title may be (points). Any text a field accepts
# (10,000 characters, one long word, 2,000 line breaks) fits: a longer one is cut at the end
# and shows a visible "…" – in the PDF only, the data stays as it is. Without this a table row
# taller than a page raised LayoutError.
RAHMEN_HOEHE = SEITE[1] - 2 * RAND - FUSS_HOEHE - 0.5 * cm
MAX_ZELLE = 0.3 * RAHMEN_HOEHE
MAX_ABSATZ = 0.5 * RAHMEN_HOEHE
ZELLEN_RAND = 12  # left + right padding of a table cell (reportlab's default 6 + 6)
AUSLASSUNG = " …"


def _gekuerzt(text: str, zeichen: int) -> str:
    return text[:zeichen].rstrip() + AUSLASSUNG


def _passend(text: str, style: ParagraphStyle, breite: float, max_hoehe: float) -> Paragraph:
    """`text` as a paragraph at most `max_hoehe` high at `breite`; a longer text is cut at the
    longest length that fits and ends with "…"."""
    absatz = _p(text, style)
    if absatz.wrap(breite, max_hoehe)[1] <= max_hoehe:
        return absatz
    passt, zu_lang = 0, len(text)
    while zu_lang - passt > 1:  # the longest start of the text that fits, with "…"
        mitte = (passt + zu_lang) // 2
        if _p(_gekuerzt(text, mitte), style).wrap(breite, max_hoehe)[1] <= max_hoehe:
            passt = mitte
        else:
            zu_lang = mitte
    return _p(_gekuerzt(text, passt), style)


def _zeile_passend(text: str, schrift: str, groesse: float, breite: float) -> str:
    """One line of the page footer: cut with "…" where it would run off the page."""
    if pdfmetrics.stringWidth(text, schrift, groesse) <= breite:
        return text
    passt, zu_lang = 0, len(text)
    while zu_lang - passt > 1:
        mitte = (passt + zu_lang) // 2
        if pdfmetrics.stringWidth(_gekuerzt(text, mitte), schrift, groesse) <= breite:
            passt = mitte
        else:
            zu_lang = mitte
    return _gekuerzt(text, passt)


def _tabelle(tabelle: Tabelle, styles, breite: float) -> list:
    teile = []
    if tabelle.titel:
        teile.append(_passend(tabelle.titel, styles["h2"], breite, 3 * styles["h2"].leading))
    summe = sum(tabelle.breiten)
    breiten = [breite * b / summe for b in tabelle.breiten]
    daten = [[_passend(s, styles["kopf"], b - ZELLEN_RAND, MAX_ZELLE)
              for s, b in zip(tabelle.spalten, breiten)]]
    daten += [[_passend(z, styles["zelle"], b - ZELLEN_RAND, MAX_ZELLE)
               for z, b in zip(zeile, breiten)] for zeile in tabelle.zeilen]
    t = Table(daten, colWidths=breiten, repeatRows=1)
    t.setStyle(TableStyle([
        ("BACKGROUND", (0, 0), (-1, 0), KOPF_HINTERGRUND),
        ("LINEBELOW", (0, 0), (-1, 0), 0.8, DUNKEL),
        ("LINEBELOW", (0, 1), (-1, -1), 0.3, colors.HexColor("#b0b0b0")),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("TOPPADDING", (0, 0), (-1, -1), 2.5), ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
    ]))
    teile.append(t)
    if tabelle.weitere:
        teile.append(_p(f"… und {tabelle.weitere} weitere (vollständig auf der Seite "
                        "„Quartalsreview“ im IKZ-Monitor)", styles["klein"]))
    return teile


def _abschnitt(abschnitt: Abschnitt, styles, breite: float, hoehe: float) -> list:
    teile: list = [_passend(abschnitt.titel, styles["h1"], breite, 3 * styles["h1"].leading)]
    teile += [_passend(a, styles["basis"], breite, MAX_ABSATZ) for a in abschnitt.absaetze]
    for tabelle in abschnitt.tabellen:
        teile += [Spacer(1, 4), *_tabelle(tabelle, styles, breite)]
    if abschnitt.bild:
        bild = Image(io.BytesIO(abschnitt.bild))
        # Below a table only the rest of the page; alone, the page minus title and text.
        max_h = 5.6 * cm if abschnitt.tabellen else hoehe - 3.6 * cm
        faktor = min(breite / bild.imageWidth, max_h / bild.imageHeight)
        bild.drawWidth, bild.drawHeight = bild.imageWidth * faktor, bild.imageHeight * faktor
        teile += [Spacer(1, 6), bild]
    return teile


def render_pdf(inhalt: Bericht) -> bytes:
    _fonts()
    styles = _styles()
    puffer = io.BytesIO()
    breite = SEITE[0] - 2 * RAND
    hoehe = SEITE[1] - RAND - FUSS_HOEHE - RAND

    def fusszeile(canvas, doc) -> None:
        canvas.saveState()
        canvas.setStrokeColor(colors.HexColor("#808080"))
        canvas.line(RAND, FUSS_HOEHE + 0.2 * cm, SEITE[0] - RAND, FUSS_HOEHE + 0.2 * cm)
        canvas.setFont("DejaVu-Bold", 8)
        canvas.drawString(RAND, FUSS_HOEHE - 0.25 * cm, _zeile_passend(
            f"{inhalt.titel} · {inhalt.untertitel} · Stand: {inhalt.stand}", "DejaVu-Bold", 8,
            breite - 2 * cm))
        canvas.drawRightString(SEITE[0] - RAND, FUSS_HOEHE - 0.25 * cm, f"Seite {doc.page}")
        canvas.setFont("DejaVu", 7)
        y = FUSS_HOEHE - 0.65 * cm
        for zeile in inhalt.fusszeilen:
            canvas.drawString(RAND, y, _zeile_passend(zeile, "DejaVu", 7, breite))
            y -= 0.33 * cm
        canvas.restoreState()

    doc = SimpleDocTemplate(
        puffer, pagesize=SEITE, leftMargin=RAND, rightMargin=RAND, topMargin=RAND,
        bottomMargin=FUSS_HOEHE + 0.5 * cm, title=f"{inhalt.titel} – {inhalt.untertitel}",
        author="IKZ-Monitor", subject=f"Quartalsbericht {inhalt.quartal}", lang="de-DE",
        invariant=1)
    story: list = [_passend(inhalt.titel, styles["titel"], breite, 2 * styles["titel"].leading),
                   _passend(inhalt.untertitel, styles["untertitel"], breite,
                            3 * styles["untertitel"].leading)]
    for nummer, abschnitt in enumerate(inhalt.abschnitte):
        if nummer:
            story.append(PageBreak())
        story += _abschnitt(abschnitt, styles, breite, hoehe - (2 * cm if nummer == 0 else 0))
    doc.build(story, onFirstPage=fusszeile, onLaterPages=fusszeile)
    return puffer.getvalue()


def build_pdf(engine: Engine, quartal: str, merkmal_key: str | None = None) -> bytes:
    """The quarterly briefing of `quartal` as PDF bytes (A4 landscape)."""
    return render_pdf(bericht(engine, quartal, merkmal_key))
