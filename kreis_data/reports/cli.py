"""`python -m kreis_data report --quartal 2026-Q3 --format pdf --out bericht.pdf`."""
from __future__ import annotations

import sys
from pathlib import Path

from sqlalchemy import Engine

from kreis_data import queries
from kreis_data.quartal import Quartal

FORMATE = ("pdf", "pptx")


def cli_report(quartal: str | None, fmt: str | None, out: Path | str, engine: Engine) -> int:
    """Write the briefing of `quartal` (default: newest quarter) as PDF or PPTX to `out`.

    fmt None: from the file extension of `out`. Prints German messages; returns 0 on success,
    2 on bad input (nothing written).
    """
    out = Path(out)
    fmt = (fmt or out.suffix.lstrip(".")).lower()
    if fmt not in FORMATE:
        print(f"Fehler: Format „{fmt}“ wird nicht unterstützt – erlaubt sind pdf und pptx.",
              file=sys.stderr)
        return 2
    vorhanden = queries.quartale(engine)
    if not vorhanden:
        print("Fehler: Es sind noch keine Bewertungen erfasst; kein Bericht möglich.",
              file=sys.stderr)
        return 2
    try:
        q = str(Quartal.parse(quartal)) if quartal else vorhanden[-1]
    except ValueError as error:
        print(f"Fehler: {error}", file=sys.stderr)
        return 2
    if q not in vorhanden:
        print(f"Fehler: Für {q} gibt es keine Bewertungen – vorhanden sind "
              f"{', '.join(vorhanden)}.", file=sys.stderr)
        return 2
    if not out.parent.exists():
        print(f"Fehler: Der Ordner „{out.parent}“ existiert nicht.", file=sys.stderr)
        return 2
    if fmt == "pdf":
        from kreis_data.reports.pdf import build_pdf
        daten = build_pdf(engine, q)
    else:
        from kreis_data.reports.pptx import build_pptx
        daten = build_pptx(engine, q)
    out.write_bytes(daten)
    groesse = len(daten) / 1024
    print(f"Quartalsbericht {Quartal.parse(q).label} als {fmt.upper()} geschrieben: {out} "
          f"({groesse:,.0f} KB)".replace(",", "."))
    return 0
