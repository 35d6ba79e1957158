"""PDF briefing (A4 landscape), tagged (PDF/UA-1) with WeasyPrint from semantic HTML.

Why WeasyPrint and not reportlab (issue #15): reportlab's open-source edition writes no
structure tree, so its PDF is untagged ("Tagged: no" in pdfinfo) and a screen reader gets no
headings, lists, tables or alternative texts; WeasyPrint writes the tags from the HTML
(`pdf_variant="pdf/ua-1"`: headings, lists, tables with header cells, figures with alt text,
document language and title) and is pip-installable and offline; it needs Pango (Debian:
libpango-1.0-0, libpangoft2-1.0-0 – a dependency of Chromium, which CI installs anyway).

Layout rules: words are never broken inside (no hyphenation, `overflow-wrap: normal`, table
columns at least as wide as their longest word); only a "word" longer than LANGES_WORT
characters (no German word is) gets break opportunities, so garbage input cannot push a table
off the page. Every section starts on a new page; long tables run on over several pages with
their header repeated. Embedded DejaVu fonts (umlauts, offline); the attributions, the Stand
and the page number in the footer of every page (marked as artifacts).
"""
from __future__ import annotations

import base64
import functools
import re
from html import escape
from pathlib import Path

import matplotlib
from sqlalchemy import Engine

from kreis_data import scales
from kreis_data.reports.inhalt import Abschnitt, Bericht, Tabelle, bericht, fuer_handout

FONT_DIR = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
DUNKEL = scales.TITEL_FARBE
# Any text a field accepts stays readable and on its page: longer text is cut with a visible
# "…" (in the PDF only, the data stays as it is).
MAX_TITEL = 300
MAX_ZELLE = 400
MAX_ZEILEN_ZELLE = 8
MAX_ABSATZ = 1200
MAX_ZEILEN_ABSATZ = 20
MAX_FUSSZEILE = 190  # characters of one footer line at 7-8 pt across the page
LANGES_WORT = 60
AUSLASSUNG = " …"

CSS = f"""
@font-face {{ font-family: "DejaVu Sans"; src: url("{(FONT_DIR / 'DejaVuSans.ttf').as_uri()}"); }}
@font-face {{ font-family: "DejaVu Sans"; font-weight: bold;
             src: url("{(FONT_DIR / 'DejaVuSans-Bold.ttf').as_uri()}"); }}
@page {{
  size: A4 landscape; margin: 1.4cm 1.5cm 2.6cm 1.5cm;
  @bottom-left {{ content: element(fuss); vertical-align: top; width: 90%; }}
  @bottom-right {{ content: "Seite " counter(page); font: bold 8pt "DejaVu Sans";
                  vertical-align: top; padding-top: 0.2cm; width: 10%; white-space: nowrap;
                  border-top: 0.5pt solid #808080; }}
}}
html {{ font-family: "DejaVu Sans"; font-size: 10.5pt; line-height: 1.35; color: #1a1a1a; }}
* {{ hyphens: manual; overflow-wrap: normal; word-break: normal; }}
.fuss {{ position: running(fuss); font-size: 7pt; line-height: 1.3; color: #404040;
         border-top: 0.5pt solid #808080; padding-top: 0.15cm; }}
.fuss .kopf {{ font-weight: bold; font-size: 8pt; }}
h1 {{ font-size: 24pt; color: {DUNKEL}; margin: 0 0 0.1cm 0; line-height: 1.2; }}
.untertitel {{ font-size: 14pt; margin: 0 0 0.4cm 0; }}
h2 {{ font-size: 17pt; color: {DUNKEL}; margin: 0 0 0.25cm 0; line-height: 1.25;
      break-after: avoid; }}
section {{ break-before: page; }}
section.vorn {{ break-before: auto; margin-top: 0.5cm; }}
p {{ margin: 0 0 0.15cm 0; }}
ul, ol {{ margin: 0.1cm 0 0.25cm 0; padding-left: 0.8cm; }}
li {{ margin-bottom: 0.12cm; }}
table {{ border-collapse: collapse; width: 100%; margin: 0.2cm 0 0.35cm 0; font-size: 8.8pt;
         line-height: 1.25; }}
caption {{ caption-side: top; text-align: left; font-weight: bold; font-size: 11.5pt;
           padding: 0.15cm 0 0.1cm 0; break-after: avoid; }}
th {{ background: #e8ecf6; border-bottom: 0.8pt solid {DUNKEL}; text-align: left; }}
th, td {{ padding: 2.5pt 4pt; vertical-align: top; }}
td {{ border-bottom: 0.3pt solid #b0b0b0; }}
tr {{ break-inside: avoid; }}
thead {{ display: table-header-group; }}
figure {{ margin: 0.25cm 0 0 0; text-align: center; break-inside: avoid; }}
figure img {{ max-width: 100%; max-height: 12.5cm; }}
figure.klein img {{ max-height: 6.2cm; }}
figcaption {{ font-size: 8.5pt; color: #404040; text-align: left; }}
"""


def _kurz(text: str, zeichen: int, zeilen: int) -> str:
    """At most `zeichen` characters and `zeilen` lines; cut text ends with "…"."""
    teile = text.split("\n")
    kurz = "\n".join(teile[:zeilen])
    if len(kurz) > zeichen:
        kurz = kurz[:zeichen].rstrip()
    return kurz + AUSLASSUNG if kurz != text else text


_LANG = re.compile(rf"\S{{{LANGES_WORT + 1},}}")


def _h(text: str, zeichen: int = MAX_ABSATZ, zeilen: int = MAX_ZEILEN_ABSATZ) -> str:
    """Plain text as escaped HTML: no contact data, shortened, line breaks kept, and break
    opportunities (zero-width spaces) only inside "words" longer than LANGES_WORT."""
    text = _kurz(fuer_handout(str(text)), zeichen, zeilen)
    text = _LANG.sub(lambda m: "\u200b".join(
        m.group(0)[i:i + LANGES_WORT] for i in range(0, len(m.group(0)), LANGES_WORT)), text)
    return escape(text).replace("\n", "<br>")


def _tabelle(tabelle: Tabelle) -> str:
    summe = sum(tabelle.breiten)
    teile = ["<table>"]
    if tabelle.titel:
        teile.append(f"<caption>{_h(tabelle.titel, MAX_TITEL, 3)}</caption>")
    teile.append("<colgroup>" + "".join(f'<col style="width:{100 * b / summe:.1f}%">'
                                        for b in tabelle.breiten) + "</colgroup>")
    teile.append("<thead><tr>" + "".join(f'<th scope="col">{_h(s, MAX_TITEL, 3)}</th>'
                                         for s in tabelle.spalten) + "</tr></thead><tbody>")
    for zeile in tabelle.zeilen:
        teile.append("<tr>" + "".join(f"<td>{_h(z, MAX_ZELLE, MAX_ZEILEN_ZELLE)}</td>"
                                      for z in zeile) + "</tr>")
    teile.append("</tbody></table>")
    return "".join(teile)


def _bild(abschnitt: Abschnitt) -> str:
    daten = base64.b64encode(abschnitt.bild).decode("ascii")
    alt = abschnitt.bild_alt or abschnitt.bild_titel or abschnitt.titel
    klasse = ' class="klein"' if abschnitt.tabellen else ""
    unterschrift = (f"<figcaption>{_h(abschnitt.bild_titel, MAX_TITEL, 3)}</figcaption>"
                    if abschnitt.bild_titel else "")
    return (f'<figure{klasse}><img src="data:image/png;base64,{daten}" '
            f'alt="{_h(alt, 2000, 20)}">{unterschrift}</figure>')


def _abschnitt(abschnitt: Abschnitt, vorn: bool = False) -> str:
    teile = ['<section class="vorn">' if vorn else "<section>",
             f"<h2>{_h(abschnitt.titel, MAX_TITEL, 3)}</h2>"]
    teile += [f"<p>{_h(a)}</p>" for a in abschnitt.absaetze]
    if abschnitt.punkte:
        liste = "ol" if abschnitt.nummeriert else "ul"
        teile.append(f"<{liste}>" + "".join(f"<li>{_h(p)}</li>" for p in abschnitt.punkte)
                     + f"</{liste}>")
    teile += [_tabelle(t) for t in abschnitt.tabellen]
    if abschnitt.bild:
        teile.append(_bild(abschnitt))
    teile.append("</section>")
    return "".join(teile)


def html(inhalt: Bericht) -> str:
    """The whole report as one HTML document (German, semantic: the PDF's tags)."""
    titel = _kurz(inhalt.titel, MAX_TITEL, 2)
    kopf = _kurz(f"{inhalt.titel} · {inhalt.untertitel} · Stand: {inhalt.stand}",
                 MAX_FUSSZEILE, 1)
    fuss = "".join(f"<div>{_h(_kurz(z, MAX_FUSSZEILE, 1))}</div>" for z in inhalt.fusszeilen)
    dokument_titel = _kurz(f"{inhalt.titel} – {inhalt.untertitel}", MAX_TITEL, 1)
    abschnitte = inhalt.abschnitte
    teile = [
        '<!DOCTYPE html><html lang="de-DE"><head><meta charset="utf-8">',
        f"<title>{_h(dokument_titel)}</title>",
        '<meta name="author" content="IKZ-Monitor">',
        f'<meta name="description" content="Quartalsbericht {escape(inhalt.quartal)}">',
        '<meta name="generator" content="IKZ-Monitor">',
        f"<style>{CSS}</style></head><body>",
        f'<div class="fuss" aria-hidden="true"><div class="kopf">{_h(kopf)}</div>{fuss}</div>',
        f"<header><h1>{_h(titel, MAX_TITEL, 2)}</h1>",
        f'<p class="untertitel">{_h(inhalt.untertitel, MAX_TITEL, 2)}</p></header><main>',
    ]
    for nummer, abschnitt in enumerate(abschnitte):
        teile.append(_abschnitt(abschnitt, vorn=nummer < 2 and not abschnitt.anhang))
    teile.append("</main></body></html>")
    return "".join(teile)


PANGO_FEHLT = ("Der PDF-Bericht braucht die Systembibliothek Pango, die auf diesem Rechner fehlt "
               "(Debian/Ubuntu: `apt install libpango-1.0-0 libpangoft2-1.0-0`; auf Rechnern "
               "mit Chromium oder einer grafischen Oberfläche ist sie meist vorhanden). Der "
               "PowerPoint-Bericht geht auch ohne.")


@functools.cache
def pdf_hindernis() -> str | None:
    """Why no PDF can be built here (German), or None. WeasyPrint loads Pango through cffi."""
    try:
        import weasyprint  # noqa: F401  (~0.5 s, only asked when a report is offered)
    except (OSError, ImportError):
        return PANGO_FEHLT
    return None


def render_pdf(inhalt: Bericht) -> bytes:
    import weasyprint  # import here: ~0.5 s, only when a PDF is built

    return weasyprint.HTML(string=html(inhalt)).write_pdf(pdf_variant="pdf/ua-1")


def build_pdf(engine: Engine, quartal: str, merkmal_key: str | None = None) -> bytes:
    """The quarterly briefing of `quartal` as PDF bytes (A4 landscape, tagged PDF/UA-1)."""
    return render_pdf(bericht(engine, quartal, merkmal_key))
