"""Read the Destatis Gemeindeverzeichnis (GV-ISys "Auszug" as CSV) for one Kreis.

The file has one row per Gebietseinheit; ``satzart`` says which kind:
10 Land, 20 Regierungsbezirk, 40 Kreis, 50 Gemeindeverband (our "Verwaltung"), 60 Gemeinde.
Keys are split into columns: AGS = land + rb + kreis + gemeinde (8 digits), the ARS of the
Gemeindeverband = land + rb + kreis + vb (9 digits). Numbers use a space as thousands separator
(" 15 738"). Every input problem raises ``ValueError`` with a German message naming the file.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

REQUIRED_COLUMNS = (
    "satzart", "textkennzeichen", "land", "rb", "kreis", "vb", "gemeinde",
    "gemeindename", "flaeche", "bevoelkerung",
)
GEMEINDE_COLUMNS = (
    "ags", "name", "bezeichnung", "einwohner", "flaeche_km2",
    "verwaltung_ars", "verwaltung_name", "verwaltung_typ",
)

# Abbreviated name suffixes ("Bamberg, St") spelled out.
_SUFFIX_ABBREVIATIONS = {
    "M": "Markt",
    "St": "Stadt",
    "GKSt": "Große Kreisstadt",
    "Krst.": "Kreisstadt",
    "gemfr. Geb.": "Gemeindefreies Gebiet",
    "gemfr. Gebiet": "Gemeindefreies Gebiet",
    "gemeindefreies Gebiet": "Gemeindefreies Gebiet",
    "gemfr. Bezirk": "Gemeindefreier Bezirk",
}
# Gemeinde (satzart 60): textkennzeichen -> bezeichnung when the name has no suffix.
_GEMEINDE_BEZEICHNUNG = {
    "60": "Markt", "61": "Kreisfreie Stadt", "62": "Stadtkreis", "63": "Stadt",
    "64": "Gemeinde", "65": "Gemeindefreies Gebiet", "66": "Gemeindefreies Gebiet",
    "67": "Große Kreisstadt",
}
_STADT_CODES = {"61", "62", "63", "67"}
_GEMEINDEFREI_CODES = {"65", "66"}
# Gemeindeverband (satzart 50): textkennzeichen -> verwaltung_typ ("50" is derived, see below).
_VERWALTUNG_TYP = {
    "51": "Amt", "52": "Samtgemeinde", "53": "Verbandsgemeinde",
    "54": "Verwaltungsgemeinschaft", "55": "Kirchspielslandgemeinde",
    "56": "Verwaltungsverband", "58": "Erfüllende Gemeinde",
}
# Kreis (satzart 40): textkennzeichen -> kreis_typ.
_KREIS_TYP = {
    "41": "Kreisfreie Stadt", "42": "Stadtkreis", "43": "Kreis", "44": "Landkreis",
    "45": "Regionalverband",
}


@dataclass(frozen=True)
class KreisVerzeichnis:
    """The Gemeinden of one Kreis with its names, as read from the Gemeindeverzeichnis."""

    kreis_ags: str
    kreis_name: str  # "Landkreis Osnabrück"
    kreis_typ: str  # "Landkreis"
    land_code: str  # "03"
    land_name: str  # "Niedersachsen"
    gemeinden: pd.DataFrame  # GEMEINDE_COLUMNS, one row per Gemeinde, sorted by ags


def check_kreis_ags(kreis_ags: str) -> str:
    """Return the Kreis AGS if it has exactly 5 digits, else raise ValueError."""
    if not isinstance(kreis_ags, str) or not re.fullmatch(r"\d{5}", kreis_ags):
        raise ValueError(
            f"Ungültiger Kreisschlüssel {kreis_ags!r}: erwartet werden genau 5 Ziffern "
            "(Amtlicher Gemeindeschlüssel des Kreises, z. B. '03459')."
        )
    return kreis_ags


def split_name(raw: str) -> tuple[str, str | None]:
    """Split "Melle, Stadt" into ("Melle", "Stadt"); the suffix is None when there is none.

    Only a single ", " separates a suffix: names listing several places
    ("Oelsnitz/Vogtl., Bösenbrunn, Eichigt ...") stay whole. Abbreviations are spelled out.
    """
    text = " ".join(raw.split())
    if text.count(", ") != 1:
        return text, None
    name, suffix = text.split(", ")
    return name, _SUFFIX_ABBREVIATIONS.get(suffix, suffix)


def kreis_display_name(raw: str, textkennzeichen: str) -> str:
    """ "Osnabrück" (44) -> "Landkreis Osnabrück"; "Braunschweig, Stadt" (41) -> "Stadt Braunschweig".

    Names that already say what they are ("Rhein-Sieg-Kreis", "Region Hannover",
    "Regionalverband Saarbrücken") are kept as they are.
    """
    name, suffix = split_name(raw)
    if textkennzeichen in {"41", "42"}:
        art = suffix or ("Stadt" if textkennzeichen == "41" else "Stadtkreis")
        return f"{art[0].upper()}{art[1:]} {name}"
    if textkennzeichen in {"43", "44", "45"} and suffix is None:
        if re.search(r"kreis|region|verband", name, flags=re.IGNORECASE):
            return name
        return f"{_KREIS_TYP[textkennzeichen]} {name}"
    return " ".join(raw.split())


def _number(text: str, *, what: str, path: Path, line: int, column: str) -> float:
    """Parse " 15 738" or " 103.33" (or "103,33"); raise a German ValueError if impossible."""
    cleaned = re.sub(r"\s", "", text or "")
    if "," in cleaned and "." not in cleaned:
        cleaned = cleaned.replace(",", ".")
    try:
        return float(cleaned)
    except ValueError:
        raise ValueError(
            f"{path.name}, Zeile {line}, Spalte '{column}': {what} {text!r} ist keine Zahl."
        ) from None


def read_kreis_verzeichnis(path: Path, kreis_ags: str) -> KreisVerzeichnis:
    """Read the Gemeinden of the Kreis ``kreis_ags`` (5 digits) from the Gemeindeverzeichnis CSV."""
    path = Path(path)
    try:
        check_kreis_ags(kreis_ags)
    except ValueError as error:
        raise ValueError(f"{path.name}: {error}") from None
    land, rb, kreis = kreis_ags[:2], kreis_ags[2], kreis_ags[3:]
    if not path.is_file():
        raise ValueError(f"Gemeindeverzeichnis nicht gefunden: {path}")

    land_name = None
    kreis_row = None
    verbaende: dict[str, tuple[str, str]] = {}  # vb -> (raw name, textkennzeichen)
    rows: list[tuple[int, dict[str, str]]] = []
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        missing = [c for c in REQUIRED_COLUMNS if c not in (reader.fieldnames or [])]
        if missing:
            raise ValueError(
                f"{path.name} ist kein Gemeindeverzeichnis im erwarteten Format: "
                f"es fehlen die Spalten {', '.join(missing)} "
                f"(gefunden: {', '.join(reader.fieldnames or []) or 'keine'})."
            )
        for row in reader:
            if row["land"] != land:
                continue
            satzart = row["satzart"]
            if satzart == "10":
                land_name = row["gemeindename"].strip()
            elif row["rb"] != rb or row["kreis"] != kreis:
                continue
            elif satzart == "40":
                kreis_row = row
            elif satzart == "50":
                verbaende[row["vb"]] = (row["gemeindename"], row["textkennzeichen"])
            elif satzart == "60":
                rows.append((reader.line_num, row))

    if kreis_row is None or not rows:
        raise ValueError(
            f"Kreis {kreis_ags} kommt in {path.name} nicht vor (keine Kreis- oder "
            "Gemeindezeilen mit diesem Schlüssel). Bitte den 5-stelligen Kreisschlüssel prüfen."
        )

    records = []
    for line, row in rows:
        tk = row["textkennzeichen"]
        name, bezeichnung = split_name(row["gemeindename"])
        if row["vb"] not in verbaende:
            raise ValueError(
                f"{path.name}, Zeile {line}: Gemeinde {row['gemeindename']!r} gehört zum "
                f"Gemeindeverband {row['vb']!r}, für den es keine Zeile mit satzart 50 gibt."
            )
        records.append({
            "ags": land + rb + kreis + row["gemeinde"],
            "name": name,
            "bezeichnung": bezeichnung or _GEMEINDE_BEZEICHNUNG.get(tk, "Gemeinde"),
            "einwohner": int(_number(row["bevoelkerung"], what="Einwohnerzahl", path=path,
                                     line=line, column="bevoelkerung")),
            "flaeche_km2": _number(row["flaeche"], what="Fläche", path=path, line=line,
                                   column="flaeche"),
            "verwaltung_ars": land + rb + kreis + row["vb"],
            "_tk": tk,
        })
    gemeinden = pd.DataFrame.from_records(records).sort_values("ags", ignore_index=True)

    # Verwaltung name and type, from the satzart 50 row of each Gemeindeverband.
    names, typen = {}, {}
    for ars, members in gemeinden.groupby("verwaltung_ars"):
        raw, tk = verbaende[ars[-4:]]
        names[ars] = split_name(raw)[0]
        if tk == "50":  # verbandsfreie Gemeinde: the Verwaltung is the Gemeinde itself
            codes = set(members["_tk"])
            typen[ars] = ("Stadt" if codes <= _STADT_CODES
                          else "Gemeindefreies Gebiet" if codes <= _GEMEINDEFREI_CODES
                          else "Einheitsgemeinde")
        elif tk in _VERWALTUNG_TYP:
            typen[ars] = _VERWALTUNG_TYP[tk]
        else:
            raise ValueError(
                f"{path.name}: Gemeindeverband {ars} ({raw}) hat das unbekannte "
                f"Textkennzeichen {tk!r}; erlaubt sind 50–56 und 58."
            )
    gemeinden["verwaltung_name"] = gemeinden["verwaltung_ars"].map(names)
    gemeinden["verwaltung_typ"] = gemeinden["verwaltung_ars"].map(typen)
    gemeinden = gemeinden[list(GEMEINDE_COLUMNS)].astype(
        {"einwohner": "int64", "flaeche_km2": "float64"}
    )

    tk = kreis_row["textkennzeichen"]
    return KreisVerzeichnis(
        kreis_ags=kreis_ags,
        kreis_name=kreis_display_name(kreis_row["gemeindename"], tk),
        kreis_typ=_KREIS_TYP.get(tk, "Kreis"),
        land_code=land,
        land_name=land_name or "unbekannt",
        gemeinden=gemeinden,
    )
