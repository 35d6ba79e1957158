"""Read the Destatis Gemeindeverzeichnis (GV-ISys "Auszug" as CSV): every Gemeinde of Germany.

The file has one row per Gebietseinheit; ``satzart`` says which kind:
10 Land, 20 Regierungsbezirk, 40 Kreis, 50 Gemeindeverband (our "Verwaltung"), 60 Gemeinde.
Keys are split into columns: AGS = land + rb + kreis + gemeinde (8 digits), the ARS of the
Gemeindeverband = land + rb + kreis + vb (9 digits). Numbers use a space as thousands separator
(" 15 738"), coordinates a decimal comma. What a Gemeindeverband is called depends on the Land
(``kreis_data.laender``). Gemeindefreie Gebiete (textkennzeichen 65/66) are kept apart: they
are no Gemeinde and no Verwaltung. Every input problem raises ``ValueError`` with a German
message naming the file.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from kreis_data import laender

REQUIRED_COLUMNS = (
    "satzart", "textkennzeichen", "land", "rb", "kreis", "vb", "gemeinde",
    "gemeindename", "flaeche", "bevoelkerung",
)
GEMEINDE_COLUMNS = (
    "ags", "name", "bezeichnung", "einwohner", "flaeche_km2",
    "verwaltung_ars", "verwaltung_name", "verwaltung_typ",
)
# The real file has about 16,000 rows and 1.8 MB; anything far larger is not this file.
MAX_BYTES = 50_000_000

# Abbreviated name suffixes ("Bamberg, St") spelled out.
_SUFFIX_ABBREVIATIONS = {
    "M": "Markt",
    "St": "Stadt",
    "GKSt": "Große Kreisstadt",
    "Krst.": "Kreisstadt",
    "gemfr. Geb.": laender.GEMEINDEFREIES_GEBIET,
    "gemfr. Gebiet": laender.GEMEINDEFREIES_GEBIET,
    "gemeindefreies Gebiet": laender.GEMEINDEFREIES_GEBIET,
    "gemfr. Bezirk": "Gemeindefreier Bezirk",
}
# Gemeinde (satzart 60): textkennzeichen -> bezeichnung when the name has no suffix.
_GEMEINDE_BEZEICHNUNG = {
    "60": "Markt", "61": "Kreisfreie Stadt", "62": "Stadtkreis", "63": "Stadt",
    "64": "Gemeinde", "65": laender.GEMEINDEFREIES_GEBIET, "66": laender.GEMEINDEFREIES_GEBIET,
    "67": "Große Kreisstadt",
}
_STADT_CODES = {"61", "62", "63", "67"}
GEMEINDEFREI_CODES = {"65", "66"}
# Kreis (satzart 40): textkennzeichen -> kreis_typ.
_KREIS_TYP = {
    "41": laender.KREISFREIE_STADT, "42": laender.STADTKREIS, "43": "Kreis", "44": "Landkreis",
    "45": "Regionalverband",
}
KREISFREI_CODES = {"41", "42"}


@dataclass(frozen=True)
class KreisVerzeichnis:
    """The Gemeinden of one Kreis with its names, as read from the Gemeindeverzeichnis."""

    kreis_ags: str
    kreis_name: str  # "Landkreis Osnabrück"
    kreis_typ: str  # "Landkreis"
    land_code: str  # "03"
    land_name: str  # "Niedersachsen"
    gemeinden: pd.DataFrame  # GEMEINDE_COLUMNS, one row per Gemeinde, sorted by ags
    gemeindefrei: pd.DataFrame  # ags, name, einwohner, flaeche_km2, bewohnt

    @property
    def kreisfrei(self) -> bool:
        return self.kreis_typ in (laender.KREISFREIE_STADT, laender.STADTKREIS)


@dataclass(frozen=True)
class Verzeichnis:
    """Every Gemeinde and Kreis of the file."""

    datei: str
    # GEMEINDE_COLUMNS + kreis_ags, land_code, gemeindefrei, bewohnt, laengengrad, breitengrad
    gemeinden: pd.DataFrame
    kreise: pd.DataFrame  # index ags; name, typ, land_code
    laender: dict[str, str]  # code -> name

    def kreis(self, kreis_ags: str) -> KreisVerzeichnis:
        check_kreis_ags(kreis_ags)
        if kreis_ags not in self.kreise.index:
            raise ValueError(
                f"Kreis {kreis_ags} kommt in {self.datei} nicht vor (keine Kreis- oder "
                "Gemeindezeilen mit diesem Schlüssel). Bitte den 5-stelligen Kreisschlüssel "
                "prüfen.")
        kreis = self.kreise.loc[kreis_ags]
        zeilen = self.gemeinden[self.gemeinden["kreis_ags"] == kreis_ags]
        frei = zeilen[zeilen["gemeindefrei"]]
        return KreisVerzeichnis(
            kreis_ags=kreis_ags, kreis_name=kreis["name"], kreis_typ=kreis["typ"],
            land_code=kreis["land_code"],
            land_name=self.laender.get(kreis["land_code"], "unbekannt"),
            gemeinden=zeilen[~zeilen["gemeindefrei"]][list(GEMEINDE_COLUMNS)]
            .reset_index(drop=True),
            gemeindefrei=frei[["ags", "name", "einwohner", "flaeche_km2", "bewohnt"]]
            .reset_index(drop=True),
        )


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
    if textkennzeichen in KREISFREI_CODES:
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


def _coordinate(text: str) -> float:
    cleaned = (text or "").strip().replace(",", ".")
    try:
        return float(cleaned)
    except ValueError:
        return float("nan")


def _read_rows(path: Path) -> list[tuple[int, dict[str, str]]]:
    """All rows with their line numbers; German errors for files that are not this CSV."""
    if not path.is_file():
        raise ValueError(f"Gemeindeverzeichnis nicht gefunden: {path}")
    if path.stat().st_size > MAX_BYTES:
        raise ValueError(
            f"{path.name} ist mit {path.stat().st_size / 1e6:,.0f} MB zu groß für ein "
            "Gemeindeverzeichnis (erwartet: CSV-Auszug des GV-ISys, etwa 2 MB).".replace(",", "."))
    raw = path.read_bytes()
    if b"\x00" in raw[:65536]:
        raise ValueError(
            f"{path.name} ist keine Textdatei (Binärdaten gefunden); erwartet wird der "
            "CSV-Auszug des Gemeindeverzeichnisses (UTF-8, Komma als Trennzeichen).")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ValueError(
            f"{path.name} ist nicht UTF-8-kodiert (Byte {error.start}); erwartet wird der "
            "CSV-Auszug des Gemeindeverzeichnisses in UTF-8.") from None
    reader = csv.DictReader(io.StringIO(text, newline=""))
    try:
        missing = [c for c in REQUIRED_COLUMNS if c not in (reader.fieldnames or [])]
        if missing:
            raise ValueError(
                f"{path.name} ist kein Gemeindeverzeichnis im erwarteten Format: "
                f"es fehlen die Spalten {', '.join(missing)} "
                f"(gefunden: {', '.join(reader.fieldnames or []) or 'keine'}).")
        return [(reader.line_num, row) for row in reader]
    except csv.Error as error:
        raise ValueError(
            f"{path.name}, Zeile {reader.line_num}: keine gültige CSV-Zeile ({error}).") from None


def read_verzeichnis(path: Path) -> Verzeichnis:
    """Read every Land, Kreis, Gemeindeverband and Gemeinde of the Gemeindeverzeichnis CSV."""
    path = Path(path)
    rows = _read_rows(path)
    laender_namen: dict[str, str] = {}
    kreise: dict[str, tuple[str, str]] = {}  # ags -> (raw name, textkennzeichen)
    verbaende: dict[str, tuple[str, str]] = {}  # ARS -> (raw name, textkennzeichen)
    gemeinde_rows: list[tuple[int, dict[str, str]]] = []
    for line, row in rows:
        satzart, land = row["satzart"], row["land"]
        if satzart == "10":
            laender_namen[land] = row["gemeindename"].strip()
        elif satzart == "40":
            kreise[land + row["rb"] + row["kreis"]] = (row["gemeindename"], row["textkennzeichen"])
        elif satzart == "50":
            verbaende[land + row["rb"] + row["kreis"] + row["vb"]] = (
                row["gemeindename"], row["textkennzeichen"])
        elif satzart == "60":
            gemeinde_rows.append((line, row))
    if not gemeinde_rows:
        raise ValueError(f"{path.name} enthält keine Gemeindezeilen (satzart 60).")

    records = []
    for line, row in gemeinde_rows:
        tk = row["textkennzeichen"]
        land, kreis_ags = row["land"], row["land"] + row["rb"] + row["kreis"]
        ars = kreis_ags + row["vb"]
        if land not in laender.LAENDER:
            raise ValueError(f"{path.name}, Zeile {line}: unbekannter Landesschlüssel {land!r}.")
        if not re.fullmatch(r"\d{8}", kreis_ags + row["gemeinde"]):
            raise ValueError(
                f"{path.name}, Zeile {line}: Gemeindeschlüssel {kreis_ags + row['gemeinde']!r} "
                "hat nicht 8 Ziffern.")
        if ars not in verbaende:
            raise ValueError(
                f"{path.name}, Zeile {line}: Gemeinde {row['gemeindename']!r} gehört zum "
                f"Gemeindeverband {row['vb']!r}, für den es keine Zeile mit satzart 50 gibt.")
        name, bezeichnung = split_name(row["gemeindename"])
        records.append({
            "ags": kreis_ags + row["gemeinde"],
            "name": name,
            "bezeichnung": bezeichnung or _GEMEINDE_BEZEICHNUNG.get(tk, "Gemeinde"),
            "einwohner": int(_number(row["bevoelkerung"], what="Einwohnerzahl", path=path,
                                     line=line, column="bevoelkerung")),
            "flaeche_km2": _number(row["flaeche"], what="Fläche", path=path, line=line,
                                   column="flaeche"),
            "verwaltung_ars": ars,
            "kreis_ags": kreis_ags,
            "land_code": land,
            "gemeindefrei": tk in GEMEINDEFREI_CODES,
            "bewohnt": tk != "66",
            "laengengrad": _coordinate(row.get("laengengrad", "")),
            "breitengrad": _coordinate(row.get("breitengrad", "")),
            "_tk": tk,
        })
    gemeinden = pd.DataFrame.from_records(records).sort_values("ags", ignore_index=True)
    if gemeinden["ags"].duplicated().any():
        doppelt = gemeinden.loc[gemeinden["ags"].duplicated(), "ags"].iloc[0]
        raise ValueError(f"{path.name}: Gemeindeschlüssel {doppelt} kommt mehrfach vor.")

    kreis_typ = {ags: _KREIS_TYP.get(tk, "Kreis") for ags, (_, tk) in kreise.items()}
    names, typen = {}, {}
    for ars, members in gemeinden.groupby("verwaltung_ars"):
        raw, tk = verbaende[ars]
        land = ars[:2]
        names[ars] = laender.verbandsname(split_name(raw)[0])
        if members["gemeindefrei"].all():
            typen[ars] = laender.GEMEINDEFREIES_GEBIET
        elif kreis_typ.get(ars[:5]) in (laender.KREISFREIE_STADT, laender.STADTKREIS):
            typen[ars] = kreis_typ[ars[:5]]
        elif tk == "50":  # verbandsfreie Gemeinde: the Verwaltung is the Gemeinde itself
            typen[ars] = laender.einzelverwaltung_art(land, set(members["_tk"]) <= _STADT_CODES)
        elif art := laender.verbandsart(land, tk):
            typen[ars] = art
        else:
            raise ValueError(
                f"{path.name}: Gemeindeverband {ars} ({raw}) hat das Textkennzeichen {tk!r}, "
                f"das es in {laender.land(land).name} nicht gibt; erlaubt sind 50 und "
                f"{', '.join(sorted(laender.land(land).verbaende)) or 'keine weiteren'}.")
    gemeinden["verwaltung_name"] = gemeinden["verwaltung_ars"].map(names)
    gemeinden["verwaltung_typ"] = gemeinden["verwaltung_ars"].map(typen)
    gemeinden = gemeinden.drop(columns="_tk").astype(
        {"einwohner": "int64", "flaeche_km2": "float64"})
    spalten = [*GEMEINDE_COLUMNS, "kreis_ags", "land_code", "gemeindefrei", "bewohnt",
               "laengengrad", "breitengrad"]

    kreis_frame = pd.DataFrame(
        [{"ags": ags, "name": kreis_display_name(raw, tk), "typ": kreis_typ[ags],
          "land_code": ags[:2]}
         for ags, (raw, tk) in sorted(kreise.items())],
        columns=["ags", "name", "typ", "land_code"]).set_index("ags")
    return Verzeichnis(datei=path.name, gemeinden=gemeinden[spalten], kreise=kreis_frame,
                       laender=laender_namen)


def read_kreis_verzeichnis(path: Path, kreis_ags: str) -> KreisVerzeichnis:
    """Read the Gemeinden of the Kreis ``kreis_ags`` (5 digits) from the Gemeindeverzeichnis CSV."""
    path = Path(path)
    try:
        check_kreis_ags(kreis_ags)
    except ValueError as error:
        raise ValueError(f"{path.name}: {error}") from None
    return read_verzeichnis(path).kreis(kreis_ags)
