"""`python -m kreis_data report --quartal 2026-Q3 --out bericht.pdf` (or .pptx)."""
from __future__ import annotations

from pathlib import Path

from kreis_data import queries
from kreis_data.cli.ausgabe import fehler, quartal_argument
from kreis_data.database import make_engine
from kreis_data.quartal import Quartal

FORMATE = ("pdf", "pptx")


def cmd_report(args) -> int:
    """Write the briefing of a quarter (default: newest) as PDF or PPTX; 0, or 2 on bad input
    (nothing written)."""
    out, engine = Path(args.out), make_engine()
    fmt = (args.format or out.suffix.lstrip(".")).lower()
    if fmt not in FORMATE:
        return fehler(f"Format „{fmt}“ wird nicht unterstützt – erlaubt sind pdf und pptx.")
    vorhanden = queries.quartale(engine)
    if not vorhanden:
        return fehler("Es sind noch keine Bewertungen erfasst; kein Bericht möglich.")
    try:
        q = str(Quartal.parse(args.quartal)) if args.quartal else vorhanden[-1]
    except ValueError as error:
        return fehler(error)
    if q not in vorhanden:
        return fehler(f"Für {q} gibt es keine Bewertungen – vorhanden sind "
                      f"{', '.join(vorhanden)}.")
    if not out.parent.exists():
        return fehler(f"Der Ordner „{out.parent}“ existiert nicht.")
    if fmt == "pdf":
        from kreis_data.reports.pdf import build_pdf, pdf_hindernis
        if pdf_hindernis():
            return fehler(pdf_hindernis())
        daten = build_pdf(engine, q)
    else:
        from kreis_data.reports.pptx import build_pptx
        daten = build_pptx(engine, q)
    out.write_bytes(daten)
    groesse = f"{len(daten) / 1024:,.0f}".replace(",", ".")
    print(f"Quartalsbericht {Quartal.parse(q).label} als {fmt.upper()} geschrieben: {out} "
          f"({groesse} KB)")
    return 0


def registrieren(sub) -> None:
    p = sub.add_parser("report", help="Quartalsbericht als PDF (A4 quer) oder PowerPoint erzeugen")
    p.add_argument("--quartal", type=quartal_argument,
                   help="z. B. 2026-Q3 (Standard: neuestes Quartal)")
    p.add_argument("--format", choices=["pdf", "pptx"],
                   help="Standard: aus der Dateiendung von --out")
    p.add_argument("--out", required=True, help="Zieldatei (.pdf oder .pptx)")
    p.set_defaults(func=cmd_report)

