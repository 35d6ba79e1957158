"""PowerPoint deck (python-pptx, 16:9): a title slide and one slide per section with editable
text boxes and tables, the map as a picture, attributions and Stand in every slide's footer."""
from __future__ import annotations

import datetime as dt
import io

from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.util import Cm, Pt
from sqlalchemy import Engine

from kreis_data import scales
from kreis_data.quartal import Quartal
from kreis_data.reports.inhalt import Abschnitt, Bericht, Tabelle, bericht

BREITE, HOEHE = Cm(33.867), Cm(19.05)
RAND = Cm(1.2)
DUNKEL = RGBColor.from_string(scales.TITEL_FARBE.lstrip("#"))
GRAU = RGBColor(0x40, 0x40, 0x40)
KOPF = RGBColor(0xE8, 0xEC, 0xF6)
FONT = "Arial"
MAX_ZEILEN_FOLIE = 8
# Any text a field accepts stays on its slide: longer text is cut with a visible "…" (in the
# deck only, the data stays as it is); PowerPoint's document title holds at most 255.
MAX_TITEL = 120
MAX_ZELLE = 300
MAX_ABSATZ = 600
MAX_EIGENSCHAFT = 255


def _kurz(text: str, zeichen: int, zeilen: int = 6) -> str:
    """At most `zeichen` characters and `zeilen` lines; cut text ends with "…"."""
    teile = text.split("\n")
    kurz = "\n".join(teile[:zeilen])
    if len(kurz) > zeichen:
        kurz = kurz[:zeichen - 2].rstrip()
    return kurz + " …" if kurz != text else text


def _absatz(frame, text: str, groesse: float, fett: bool = False, farbe: RGBColor | None = None,
            erster: bool = False) -> None:
    p = frame.paragraphs[0] if erster else frame.add_paragraph()
    run = p.add_run()
    run.text = text
    run.font.size = Pt(groesse)
    run.font.bold = fett
    run.font.name = FONT
    if farbe is not None:
        run.font.color.rgb = farbe


def _textbox(slide, links, oben, breite, hoehe, zeilen: list[tuple[str, float, bool]],
             farbe: RGBColor | None = None, name: str | None = None):
    box = slide.shapes.add_textbox(links, oben, breite, hoehe)
    if name:
        box.name = name
    frame = box.text_frame
    frame.word_wrap = True
    for i, (text, groesse, fett) in enumerate(zeilen):
        _absatz(frame, text, groesse, fett, farbe, erster=i == 0)
    return box


def _fuss(slide, inhalt: Bericht, nummer: int) -> None:
    zeilen = [(_kurz(f"{inhalt.titel} · {inhalt.untertitel} · Stand: {inhalt.stand}", 200, 1)
               + f" · Folie {nummer}", 9, True)]
    zeilen += [(z, 8, False) for z in inhalt.fusszeilen]
    _textbox(slide, RAND, HOEHE - Cm(2.3), BREITE - 2 * RAND, Cm(2.1), zeilen, GRAU,
             name="Quellen und Stand")


def _titel(slide, text: str) -> None:
    slide.shapes.title.text = _kurz(text, MAX_TITEL, 2)
    slide.shapes.title.left, slide.shapes.title.top = RAND, Cm(0.6)
    slide.shapes.title.width, slide.shapes.title.height = BREITE - 2 * RAND, Cm(1.8)
    for p in slide.shapes.title.text_frame.paragraphs:
        p.alignment = 1  # left
        for run in p.runs:
            run.font.size = Pt(28)
            run.font.bold = True
            run.font.name = FONT
            run.font.color.rgb = DUNKEL


def _zeilen_hoehen(tabelle: Tabelle, zeilen: list[list[str]], breite) -> list[int]:
    """Row heights from the wrapped text (about 0.21 cm per character at 11 pt), so what follows
    is placed below the table as PowerPoint and LibreOffice will draw it."""
    summe = sum(tabelle.breiten)
    spalten_cm = [breite * b / summe / 360000 for b in tabelle.breiten]
    hoehen = []
    for zeile in [tabelle.spalten, *zeilen]:
        linien = max(max(1, -(-len(text) // max(int((w - 0.3) / 0.21), 1)))
                     for text, w in zip(zeile, spalten_cm))
        hoehen.append(Cm(0.2 + 0.5 * linien))
    return hoehen


def _tabelle(slide, tabelle: Tabelle, oben, hoehe_max) -> int:
    breite = BREITE - 2 * RAND
    if tabelle.titel:
        _textbox(slide, RAND, oben, breite, Cm(0.8), [(_kurz(tabelle.titel, MAX_TITEL, 1), 14,
                                                       True)])
        oben += Cm(0.85)
        hoehe_max -= Cm(0.85)
    # As many rows as fit (at most MAX_ZEILEN_FOLIE), the rest is counted below the table.
    alle = [[_kurz(text, MAX_ZELLE) for text in zeile]
            for zeile in tabelle.zeilen[:MAX_ZEILEN_FOLIE]]
    hoehen = _zeilen_hoehen(tabelle, alle, breite)
    anzahl = len(alle)
    while anzahl > 1 and sum(hoehen[:anzahl + 1]) > hoehe_max - Cm(0.6):
        anzahl -= 1
    zeilen = alle[:anzahl]
    weitere = tabelle.weitere + len(tabelle.zeilen) - len(zeilen)
    shape = slide.shapes.add_table(len(zeilen) + 1, len(tabelle.spalten), RAND, oben, breite,
                                   sum(hoehen[:anzahl + 1]))
    table = shape.table
    summe = sum(tabelle.breiten)
    for i, b in enumerate(tabelle.breiten):
        table.columns[i].width = int(breite * b / summe)
    for r, zeile in enumerate([tabelle.spalten, *zeilen]):
        table.rows[r].height = hoehen[r]
        for c, text in enumerate(zeile):
            zelle = table.cell(r, c)
            zelle.text = text
            zelle.margin_top = zelle.margin_bottom = Cm(0.05)
            if r == 0:
                zelle.fill.solid()
                zelle.fill.fore_color.rgb = KOPF
            else:
                zelle.fill.background()
            for p in zelle.text_frame.paragraphs:
                for run in p.runs:
                    run.font.size = Pt(11)
                    run.font.name = FONT
                    run.font.bold = r == 0
                    run.font.color.rgb = RGBColor(0, 0, 0)
    unten = oben + sum(row.height for row in table.rows)
    if weitere:
        _textbox(slide, RAND, unten, breite, Cm(0.6),
                 [(f"… und {weitere} weitere (vollständig im IKZ-Monitor, Seite Quartalsreview)",
                   10, False)])
        unten += Cm(0.6)
    return unten


def _folie(prs, layout, abschnitt: Abschnitt, inhalt: Bericht, nummer: int) -> None:
    slide = prs.slides.add_slide(layout)
    _titel(slide, abschnitt.titel)
    oben = Cm(2.5)
    fuss = HOEHE - Cm(2.4)
    if abschnitt.absaetze:
        text = [_kurz(a, MAX_ABSATZ) for a in abschnitt.absaetze[:3]]
        hoehe = Cm(0.75) * sum(1 + len(a) // 105 for a in text) + Cm(0.3)
        _textbox(slide, RAND, oben, BREITE - 2 * RAND, hoehe, [(a, 14, False) for a in text],
                 name="Text")
        oben += hoehe + Cm(0.2)
    # Sections with a picture and tables: tables first, picture below (Kennzahlen).
    for tabelle in abschnitt.tabellen:
        oben = _tabelle(slide, tabelle, oben, fuss - oben) + Cm(0.3)
    if abschnitt.bild and fuss - oben > Cm(3):
        bild = slide.shapes.add_picture(io.BytesIO(abschnitt.bild), RAND, oben,
                                        height=fuss - oben)
        bild.name = abschnitt.bild_titel or "Bild"
        if bild.width > BREITE - 2 * RAND:  # too wide: fit to width instead
            faktor = (BREITE - 2 * RAND) / bild.width
            bild.width, bild.height = int(bild.width * faktor), int(bild.height * faktor)
        bild.left = int((BREITE - bild.width) / 2)
    _fuss(slide, inhalt, nummer)


def render_pptx(inhalt: Bericht) -> bytes:
    prs = Presentation()
    prs.slide_width, prs.slide_height = BREITE, HOEHE
    titel_layout, inhalt_layout = prs.slide_layouts[0], prs.slide_layouts[5]  # title only
    slide = prs.slides.add_slide(titel_layout)
    slide.shapes.title.text = _kurz(inhalt.titel, MAX_TITEL, 2)
    slide.placeholders[1].text = f"{_kurz(inhalt.untertitel, MAX_TITEL, 2)}\nStand: {inhalt.stand}"
    for shape, oben, hoehe in ((slide.shapes.title, Cm(4.5), Cm(4)),
                               (slide.placeholders[1], Cm(9), Cm(4))):
        shape.left, shape.width, shape.top, shape.height = RAND, BREITE - 2 * RAND, oben, hoehe
    _fuss(slide, inhalt, 1)
    for nummer, abschnitt in enumerate(inhalt.abschnitte, start=2):
        # One slide per section; a second table or a chart below a table gets its own
        # continuation slide so everything stays legible at projector distance.
        _folie(prs, inhalt_layout, Abschnitt(abschnitt.titel, abschnitt.absaetze,
                                             abschnitt.tabellen[:1],
                                             None if abschnitt.tabellen else abschnitt.bild,
                                             abschnitt.bild_titel), inhalt, nummer)
        for tabelle in abschnitt.tabellen[1:]:
            _folie(prs, inhalt_layout, Abschnitt(f"{abschnitt.titel} (Fortsetzung)",
                                                 tabellen=[tabelle]), inhalt, nummer)
        if abschnitt.tabellen and abschnitt.bild:
            _folie(prs, inhalt_layout, Abschnitt(abschnitt.bild_titel or abschnitt.titel,
                                                 bild=abschnitt.bild,
                                                 bild_titel=abschnitt.bild_titel),
                   inhalt, nummer)
    for nummer, slide in enumerate(prs.slides, start=1):  # renumber after any split
        for shape in slide.shapes:
            if shape.name == "Quellen und Stand":
                run = shape.text_frame.paragraphs[0].runs[0]
                run.text = run.text.rsplit("Folie ", 1)[0] + f"Folie {nummer}"
    core = prs.core_properties
    core.title = _kurz(f"{inhalt.titel} – {inhalt.untertitel}", MAX_EIGENSCHAFT, 1)
    core.author = "IKZ-Monitor"
    core.language = "de-DE"
    fest = dt.datetime.combine(Quartal.parse(inhalt.quartal).ende, dt.time())  # deterministic
    core.created = core.modified = fest
    core.last_modified_by = "IKZ-Monitor"
    core.revision = 1
    puffer = io.BytesIO()
    prs.save(puffer)
    return puffer.getvalue()


def build_pptx(engine: Engine, quartal: str, merkmal_key: str | None = None) -> bytes:
    """The quarterly briefing of `quartal` as a PowerPoint deck (bytes)."""
    return render_pptx(bericht(engine, quartal, merkmal_key))
