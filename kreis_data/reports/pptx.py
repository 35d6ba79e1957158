"""PowerPoint deck (python-pptx, 16:9) for the beamer: a title slide, then every section of
the report – the summary and the proposed decisions first, the annex last – and a closing
slide with the sources and licences.

Readable from the back of the room (issue #15): every run of text is at least 18 pt
(SCHRIFT; titles 28 pt), so a table or a list that does not fit continues on the next slide
("Fortsetzung") instead of shrinking – all rows and all Maßnahmen are there. Row heights are
estimated from the wrapped text (average character width of Arial at 18 pt) so nothing runs
into the footer. Every picture has a real text alternative (`descr`, what it shows with its
figures). Each slide's footer names the sources in short form, the Stand and the slide number;
the full attributions are on the first and the last slide. No personal contact data.
"""
from __future__ import annotations

import datetime as dt
import io
import re
import statistics

from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.util import Cm, Emu, Pt
from sqlalchemy import Engine

from kreis_data import scales
from kreis_data.quartal import Quartal
from kreis_data.reports.inhalt import (
    DEMO_ZEILE,
    Abschnitt,
    Bericht,
    Tabelle,
    bericht,
    fuer_handout,
)

BREITE, HOEHE = Cm(33.867), Cm(19.05)
RAND = Cm(1.2)
INNEN = BREITE - 2 * RAND
DUNKEL = RGBColor.from_string(scales.TITEL_FARBE.lstrip("#"))
GRAU = RGBColor(0x40, 0x40, 0x40)
KOPF = RGBColor(0xE8, 0xEC, 0xF6)
FONT = "Arial"
SCHRIFT = 18  # pt: the smallest text on any slide
TITEL_SCHRIFT = 28
TITEL_OBEN, TITEL_HOEHE = Cm(0.5), Cm(1.9)
INHALT_OBEN = Cm(2.6)
FUSS_HOEHE = Cm(1.75)
INHALT_UNTEN = HOEHE - FUSS_HOEHE - Cm(0.35)
# 18 pt: about 0.36 cm per character on average – Arial is narrower, the wider DejaVu Sans that
# LibreOffice takes without Arial still fits (bold a little wider) – and 0.78 cm per line.
ZEICHEN_CM = 0.36
ZEILE_CM = 0.78
ZELLEN_RAND_CM = 0.35  # left + right inner margin of a table cell
# Any text a field accepts stays on its slide: longer text is cut with a visible "…" (in the
# deck only, the data stays as it is); PowerPoint's document title holds at most 255.
MAX_TITEL = 120
MAX_ZELLE = 300
MAX_ABSATZ = 600
MAX_EIGENSCHAFT = 255
AUSLASSUNG = " …"
MAX_SPALTEN = 5  # a wider table is shown as one card per row
MAX_ZEILENHOEHE = Cm(4.2)  # median row taller than this (< 3 rows a slide): cards too


def _kurz(text: str, zeichen: int, zeilen: int = 6) -> str:
    """At most `zeichen` characters and `zeilen` lines; cut text ends with "…"."""
    teile = text.split("\n")
    kurz = "\n".join(teile[:zeilen])
    if len(kurz) > zeichen:
        kurz = kurz[:zeichen - 2].rstrip()
    return kurz + AUSLASSUNG if kurz != text else text


def _zeichen_cm(fett: bool = False) -> float:
    return ZEICHEN_CM * (1.15 if fett else 1.0)


def spaltenbreiten(anteile: list[float], kopf: list[str], zeilen: list[list[str]],
                   gesamt: int = INNEN) -> list[int]:
    """Column widths (EMU) in the given proportions, but every column at least as wide as its
    longest word at SCHRIFT, so no word is broken inside; the others give up width. Only when
    the longest words alone do not fit does the widest column give way."""
    def laengstes(text: str) -> int:  # a line may also break after a hyphen or slash
        return max((len(w) for w in re.split(r"\s+|(?<=[-/])", text)), default=1)

    minimum = []
    for c in range(len(anteile)):
        kopf_cm = laengstes(kopf[c]) * _zeichen_cm(True)
        zellen_cm = max((laengstes(z[c]) for z in zeilen), default=1) * _zeichen_cm()
        minimum.append(Cm(max(kopf_cm, zellen_cm) + ZELLEN_RAND_CM + 0.3))
    while sum(minimum) > gesamt:  # cannot fit: the widest column gives way first
        breiteste = max(range(len(minimum)), key=minimum.__getitem__)
        minimum[breiteste] = max(minimum[breiteste] - (sum(minimum) - gesamt), Cm(2))
    summe = sum(anteile)
    breiten = [gesamt * a / summe for a in anteile]
    fest: set[int] = set()
    while True:  # fix the columns below their minimum, share the rest by proportion
        zu_schmal = [i for i in range(len(breiten)) if i not in fest and breiten[i] < minimum[i]]
        if not zu_schmal:
            break
        fest.update(zu_schmal)
        rest = gesamt - sum(minimum[i] for i in fest)
        frei = sum(anteile[i] for i in range(len(anteile)) if i not in fest)
        if not frei:
            breiten = [m + rest / len(minimum) for m in minimum]
            break
        breiten = [minimum[i] if i in fest else rest * anteile[i] / frei
                   for i in range(len(anteile))]
    return [int(b) for b in breiten]


def passt_als_tabelle(kopf: list[str], zeilen: list[list[str]]) -> bool:
    """Whether the longest words of every column fit side by side at SCHRIFT."""
    def laengstes(text: str) -> int:
        return max((len(w) for w in re.split(r"\s+|(?<=[-/])", text)), default=1)

    summe = 0.0
    for c in range(len(kopf)):
        breite = max(laengstes(kopf[c]) * _zeichen_cm(True),
                     max((laengstes(z[c]) for z in zeilen), default=1) * _zeichen_cm())
        summe += breite + ZELLEN_RAND_CM + 0.3
    return Cm(summe) <= INNEN


def _umbruch(text: str, breite_cm: float, fett: bool = False) -> list[str]:
    """`text` wrapped into lines of `breite_cm` at SCHRIFT (estimate, greedy by words; a word
    longer than a line takes as many lines as it needs)."""
    je_zeile = max(int(breite_cm / _zeichen_cm(fett)), 1)
    zeilen: list[str] = []
    for absatz in text.split("\n"):
        zeile = ""
        for wort in re.split(r"(?<=[-/])(?=\w)| ", absatz):
            while len(wort) > je_zeile:  # one overlong "word": PowerPoint breaks it anyway
                if zeile:
                    zeilen.append(zeile)
                    zeile = ""
                zeilen.append(wort[:je_zeile])
                wort = wort[je_zeile:]
            if not zeile:
                zeile = wort
            elif len(zeile) + 1 + len(wort) <= je_zeile:
                zeile += " " + wort
            else:
                zeilen.append(zeile)
                zeile = wort
        zeilen.append(zeile)
    return zeilen


def _passend(text: str, breite_cm: float, max_zeilen: int, fett: bool = False) -> str:
    """`text` cut (with "…") so that it wraps into at most `max_zeilen` lines."""
    if len(_umbruch(text, breite_cm, fett)) <= max_zeilen:
        return text
    passt, zu_lang = 0, len(text)
    while zu_lang - passt > 1:
        mitte = (passt + zu_lang) // 2
        if len(_umbruch(text[:mitte].rstrip() + AUSLASSUNG, breite_cm, fett)) <= max_zeilen:
            passt = mitte
        else:
            zu_lang = mitte
    return text[:passt].rstrip() + AUSLASSUNG


def _lauf(absatz, text: str, groesse: int = SCHRIFT, fett: bool = False,
          farbe: RGBColor | None = None) -> None:
    run = absatz.add_run()
    run.text = text
    run.font.size = Pt(groesse)
    run.font.bold = fett
    run.font.name = FONT
    if farbe is not None:
        run.font.color.rgb = farbe


def _textbox(slide, links, oben, breite, hoehe, zeilen: list[tuple[str, int, bool]],
             farbe: RGBColor | None = None, name: str | None = None):
    box = slide.shapes.add_textbox(links, oben, breite, hoehe)
    if name:
        box.name = name
    frame = box.text_frame
    frame.word_wrap = True
    for i, (text, groesse, fett) in enumerate(zeilen):
        absatz = frame.paragraphs[0] if i == 0 else frame.add_paragraph()
        _lauf(absatz, text, groesse, fett, farbe)
    return box


def kurze_quellen(fusszeilen: list[str]) -> str:
    """The attributions in short form for a slide footer: holder, "Daten verändert" where the
    full text says so, the licences once; no web addresses (they are on the last slide)."""
    teile, lizenzen = [], []
    for zeile in fusszeilen:
        if zeile == DEMO_ZEILE:
            continue
        rest = re.sub(r"\s*\([^)]*(?:www\.|https?:)[^)]*\)", "", zeile.split(": ", 1)[-1])
        stuecke = [s.strip() for s in rest.split(",") if s.strip()]
        if not stuecke:
            continue
        teil = stuecke[0] + (", Daten verändert" if "Daten verändert" in zeile else "")
        teile.append(teil)
        lizenzen += [s for s in stuecke[1:] if s.startswith(("dl-de", "CC", "ODbL"))
                     and s not in lizenzen]
    return " · ".join(teile + lizenzen)


class Deck:
    """Slides filled top to bottom; `platz` says what is left above the footer."""

    def __init__(self, inhalt: Bericht):
        self.inhalt = inhalt
        self.prs = Presentation()
        self.prs.slide_width, self.prs.slide_height = BREITE, HOEHE
        self.layout = self.prs.slide_layouts[5]  # title only
        self.slide = None
        self.oben = INHALT_OBEN
        self.quellen = kurze_quellen(inhalt.fusszeilen)

    # --- slides ------------------------------------------------------------------------------
    def neue_folie(self, titel: str) -> None:
        self.slide = self.prs.slides.add_slide(self.layout)
        form = self.slide.shapes.title
        form.left, form.top, form.width, form.height = RAND, TITEL_OBEN, INNEN, TITEL_HOEHE
        frame = form.text_frame
        frame.word_wrap = True
        frame.paragraphs[0].alignment = 1  # left
        titel = _passend(_kurz(titel, MAX_TITEL, 1), INNEN / 360000 * SCHRIFT / TITEL_SCHRIFT,
                         2, True)
        _lauf(frame.paragraphs[0], titel, TITEL_SCHRIFT, True, DUNKEL)
        zwei = len(_umbruch(titel, INNEN / 360000 * SCHRIFT / TITEL_SCHRIFT, True)) > 1
        if zwei:  # a two-line title pushes the content down
            form.height = TITEL_HOEHE + Cm(1.1)
        self.oben = INHALT_OBEN + (Cm(1.1) if zwei else 0)
        self._fuss()

    def _fuss(self) -> None:
        demo = " · Demo-Daten (fiktiv)" if self.inhalt.demo else ""
        text = f"{self.quellen}{demo} · Stand: {self.inhalt.stand} · Folie {{n}}"
        _textbox(self.slide, RAND, HOEHE - FUSS_HOEHE - Cm(0.1), INNEN, FUSS_HOEHE,
                 [(text, SCHRIFT, False)], GRAU, name="Quellen und Stand")

    @property
    def platz(self) -> int:
        return INHALT_UNTEN - self.oben

    # --- content -----------------------------------------------------------------------------
    def text(self, titel: str, eintraege: list[tuple[str, str]]) -> None:
        """Paragraphs and list items ((prefix, text); prefix "" / "•" / "3.") in flow."""
        breite_cm = INNEN / 360000
        for praefix, text in eintraege:
            text = _kurz(fuer_handout(text), MAX_ABSATZ)
            einzug = 1.3 if praefix else 0.0
            max_zeilen = int((INHALT_UNTEN - INHALT_OBEN) / 360000 / ZEILE_CM) - 1
            text = _passend(text, breite_cm - einzug, max_zeilen)
            zeilen = len(_umbruch(text, breite_cm - einzug))
            hoehe = Cm(ZEILE_CM * zeilen + 0.25)
            if hoehe > self.platz:
                self.neue_folie(f"{titel} (Fortsetzung)")
            if praefix:
                box = _textbox(self.slide, RAND, self.oben, Cm(einzug), Cm(ZEILE_CM + 0.2),
                               [(praefix, SCHRIFT, True)], name="Aufzählung")
                box.text_frame.word_wrap = False
            _textbox(self.slide, RAND + Cm(einzug), self.oben, INNEN - Cm(einzug), hoehe,
                     [(text, SCHRIFT, False)], name="Text")
            self.oben += hoehe + Cm(0.1)

    def tabelle(self, titel: str, tabelle: Tabelle) -> None:
        """All rows, continued on further slides with the header repeated; a table too wide
        for 18 pt (MAX_SPALTEN or its longest words do not fit) becomes one card per row."""
        zeilen = [[_kurz(fuer_handout(z), MAX_ZELLE) for z in zeile]
                  for zeile in tabelle.zeilen]
        if len(tabelle.spalten) > MAX_SPALTEN or not passt_als_tabelle(tabelle.spalten, zeilen):
            self.karten(titel, tabelle, zeilen)
            return
        breiten = spaltenbreiten(tabelle.breiten, tabelle.spalten, zeilen)
        spalten_cm = [b / 360000 - ZELLEN_RAND_CM for b in breiten]
        max_zeilen = int((INHALT_UNTEN - INHALT_OBEN) / 360000 / ZEILE_CM) - 4
        kopf = [_passend(s, w, 3, True) for s, w in zip(tabelle.spalten, spalten_cm)]
        kopf_hoehe = self._zeilen_hoehe(kopf, spalten_cm, True)
        zeilen = [[_passend(z, w, max_zeilen) for z, w in zip(zeile, spalten_cm)]
                  for zeile in zeilen]
        hoehen = [self._zeilen_hoehe(z, spalten_cm) for z in zeilen]
        if hoehen and statistics.median(hoehen) > MAX_ZEILENHOEHE:  # fewer than ~3 rows a slide
            self.karten(titel, tabelle, [[_kurz(fuer_handout(z), MAX_ZELLE) for z in zeile]
                                         for zeile in tabelle.zeilen])
            return
        ueberschrift = _kurz(tabelle.titel, MAX_TITEL, 1) if tabelle.titel else None
        titel_zeilen = min(len(_umbruch(f"{ueberschrift} (Fortsetzung)", INNEN / 360000,
                                        True)), 2)
        start, erste = 0, True
        while start < len(zeilen) or erste:
            titel_hoehe = Cm(ZEILE_CM * titel_zeilen + 0.2) if ueberschrift else 0
            if self.platz < titel_hoehe + kopf_hoehe + (hoehen[start] if hoehen else 0):
                self.neue_folie(f"{titel} (Fortsetzung)")
            if ueberschrift:
                text = ueberschrift if erste else f"{ueberschrift} (Fortsetzung)"
                _textbox(self.slide, RAND, self.oben, INNEN, titel_hoehe,
                         [(_passend(text, INNEN / 360000, titel_zeilen, True), SCHRIFT, True)],
                         name="Tabellentitel")
                self.oben += titel_hoehe
            ende, summe_h = start, kopf_hoehe
            while ende < len(zeilen) and summe_h + hoehen[ende] <= self.platz:
                summe_h += hoehen[ende]
                ende += 1
            self._tabelle_zeichnen(kopf, zeilen[start:ende], breiten,
                                   [kopf_hoehe, *hoehen[start:ende]])
            self.oben += summe_h + Cm(0.3)
            start, erste = ende, False
            if start < len(zeilen):
                self.neue_folie(f"{titel} (Fortsetzung)")

    def karten(self, titel: str, tabelle: Tabelle, zeilen: list[list[str]]) -> None:
        """One block per row: the first cell in bold, then "Spalte: Wert" of the others."""
        breite_cm = INNEN / 360000
        if tabelle.titel:
            self.text(titel, [("", tabelle.titel)])
        for zeile in zeilen:
            kopf = zeile[0].replace("\n", " ")
            rest = "; ".join(f"{s}: {w}".replace("\n", " ")
                             for s, w in zip(tabelle.spalten[1:], zeile[1:]) if w not in ("", "–"))
            max_zeilen = int((INHALT_UNTEN - INHALT_OBEN) / 360000 / ZEILE_CM) - 2
            rest = _passend(rest, breite_cm, max_zeilen - len(_umbruch(kopf, breite_cm, True)))
            linien = len(_umbruch(f"{kopf} – {rest}", breite_cm, True))
            hoehe = Cm(ZEILE_CM * linien + 0.3)
            if hoehe > self.platz:
                self.neue_folie(f"{titel} (Fortsetzung)")
            box = self.slide.shapes.add_textbox(RAND, self.oben, INNEN, hoehe)
            box.name = "Eintrag"
            frame = box.text_frame
            frame.word_wrap = True
            _lauf(frame.paragraphs[0], kopf, SCHRIFT, True, DUNKEL)
            _lauf(frame.paragraphs[0], f" – {rest}" if rest else "", SCHRIFT)
            self.oben += hoehe + Cm(0.15)

    @staticmethod
    def _zeilen_hoehe(zeile: list[str], spalten_cm: list[float], fett: bool = False) -> int:
        linien = max(len(_umbruch(t, w, fett)) for t, w in zip(zeile, spalten_cm))
        return Cm(ZEILE_CM * linien + 0.2)

    def _tabelle_zeichnen(self, kopf, zeilen, breiten, hoehen) -> None:
        shape = self.slide.shapes.add_table(len(zeilen) + 1, len(kopf), RAND, self.oben,
                                            INNEN, sum(hoehen))
        shape.name = "Tabelle"
        table = shape.table
        for i, b in enumerate(breiten):
            table.columns[i].width = Emu(b)
        for r, zeile in enumerate([kopf, *zeilen]):
            table.rows[r].height = Emu(hoehen[r])
            for c, text in enumerate(zeile):
                zelle = table.cell(r, c)
                zelle.margin_top = zelle.margin_bottom = Cm(0.05)
                zelle.margin_left = zelle.margin_right = Cm(ZELLEN_RAND_CM / 2)
                frame = zelle.text_frame
                frame.word_wrap = True
                for i, teil in enumerate(text.split("\n")):
                    absatz = frame.paragraphs[0] if i == 0 else frame.add_paragraph()
                    _lauf(absatz, teil, SCHRIFT, r == 0, RGBColor(0, 0, 0))
                if r == 0:
                    zelle.fill.solid()
                    zelle.fill.fore_color.rgb = KOPF
                else:
                    zelle.fill.background()

    def bild(self, titel: str, abschnitt: Abschnitt) -> None:
        if self.platz < Cm(9):  # the picture needs most of a slide
            self.neue_folie(titel)
        bild = self.slide.shapes.add_picture(io.BytesIO(abschnitt.bild), RAND, self.oben,
                                             height=self.platz)
        if bild.width > INNEN:  # too wide: fit to width instead
            faktor = INNEN / bild.width
            bild.width, bild.height = int(bild.width * faktor), int(bild.height * faktor)
        bild.left = int((BREITE - bild.width) / 2)
        bild.name = _kurz(abschnitt.bild_titel or abschnitt.titel, MAX_TITEL, 1)
        alt = abschnitt.bild_alt or abschnitt.bild_titel or abschnitt.titel
        bild._element.nvPicPr.cNvPr.set("descr", fuer_handout(alt))
        bild._element.nvPicPr.cNvPr.set("title", bild.name)

    def abschnitt(self, abschnitt: Abschnitt) -> None:
        self.neue_folie(abschnitt.titel)
        eintraege = [("", a) for a in abschnitt.absaetze]
        eintraege += [(f"{i}." if abschnitt.nummeriert else "•", p)
                      for i, p in enumerate(abschnitt.punkte, start=1)]
        self.text(abschnitt.titel, eintraege)
        for tabelle in abschnitt.tabellen:
            self.tabelle(abschnitt.titel, tabelle)
        if abschnitt.bild:
            self.bild(abschnitt.bild_titel or abschnitt.titel, abschnitt)

    def quellen_folie(self, titel: str) -> None:
        self.neue_folie(titel)
        self.text(titel, [("", z) for z in self.inhalt.fusszeilen])

    def nummerieren(self) -> None:
        for nummer, slide in enumerate(self.prs.slides, start=1):
            for shape in slide.shapes:
                if shape.name == "Quellen und Stand":
                    run = shape.text_frame.paragraphs[0].runs[0]
                    run.text = run.text.replace("{n}", str(nummer))


def render_pptx(inhalt: Bericht) -> bytes:
    deck = Deck(inhalt)
    prs = deck.prs
    slide = prs.slides.add_slide(prs.slide_layouts[0])
    deck.slide = slide
    slide.shapes.title.text_frame.word_wrap = True
    _lauf(slide.shapes.title.text_frame.paragraphs[0], _kurz(inhalt.titel, MAX_TITEL, 2), 40,
          True, DUNKEL)
    untertitel = slide.placeholders[1].text_frame
    _lauf(untertitel.paragraphs[0], _kurz(inhalt.untertitel, MAX_TITEL, 2), 24)
    _lauf(untertitel.add_paragraph(), f"Stand: {inhalt.stand}", 24)
    for shape, oben, hoehe in ((slide.shapes.title, Cm(2.5), Cm(4)),
                               (slide.placeholders[1], Cm(6.8), Cm(3))):
        shape.left, shape.width, shape.top, shape.height = RAND, INNEN, oben, hoehe
    _textbox(slide, RAND, Cm(10.2), INNEN, Cm(6), [(z, SCHRIFT, False)
                                                  for z in inhalt.fusszeilen], GRAU,
             name="Quellen")
    deck._fuss()
    for abschnitt in inhalt.abschnitte:
        deck.abschnitt(abschnitt)
    deck.quellen_folie("Quellen und Lizenzen")
    deck.nummerieren()
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
