"""Header row of an import: map column names to fields, with German errors and notes."""
from __future__ import annotations

import difflib
from collections.abc import Collection, Mapping, Sequence

from openpyxl.utils import get_column_letter

from kreis_data.io.tabelle import Fehler, ist_leer, norm_spaltenname


def map_kopf(kopf: Sequence[object], spalten_def: Mapping[str, str], ort: str, *,
             pflicht: Collection[str]) -> tuple[dict[str, int], list[Fehler], list[str]]:
    """field -> column index; errors for missing (`pflicht`) or duplicate columns, notes for
    ignored ones. Spelling is forgiving (norm_spaltenname); a missing column names the closest
    unknown one, which is then not noted as ignored as well."""
    norm = {norm_spaltenname(name): feld for feld, name in spalten_def.items()}
    spalten: dict[str, int] = {}
    unbekannt: list[str] = []
    fehler: list[Fehler] = []
    for index, zelle in enumerate(kopf):
        if ist_leer(zelle):
            continue
        feld = norm.get(norm_spaltenname(zelle))
        if feld is None:
            unbekannt.append(str(zelle).strip())
        elif feld in spalten:
            fehler.append(Fehler(ort, 1, spalten_def[feld], (
                f"Spalte kommt doppelt vor (Spalten {get_column_letter(spalten[feld] + 1)} "
                f"und {get_column_letter(index + 1)})")))
        else:
            spalten[feld] = index
    gefunden = ", ".join(f"„{z}“" for z in kopf if not ist_leer(z)) or "keine"
    erwartet = ", ".join(spalten_def.values())
    vermutet: set[str] = set()
    for feld in (f for f in spalten_def if f in pflicht and f not in spalten):
        name = spalten_def[feld]
        meldung = f"Spalte „{name}“ fehlt"
        if nahe := difflib.get_close_matches(name, unbekannt, n=1, cutoff=0.6):
            vermutet.add(nahe[0])
            meldung += f" – die Spalte „{nahe[0]}“ ist vermutlich „{name}“ (Schreibweise prüfen)"
        fehler.append(Fehler(ort, 1, None, f"{meldung}. Gefundene Spalten: {gefunden}. "
                                           f"Erwartete Spalten: {erwartet}."))
    hinweise = [f"{ort}: Spalte „{name}“ ist unbekannt und wird ignoriert."
                for name in unbekannt if name not in vermutet]
    return spalten, fehler, hinweise
