"""Build the dataset of one Kreis from the user's own, current files (``build-kreis``).

Most users never need this: ``init --kreis`` uses the shipped Germany-wide base (``basis``).
With a current BKG file:

* VG250 (GeoPackage or Shapefile, EPSG:25832) plus the Destatis Gemeindeverzeichnis: the same
  steps as the base (repair, reconcile the Gebietsstände, simplify), for the Kreis's Land;
* VG250-EW alone: Einwohner (EWZ), Katasterfläche (KFL) and the Verwaltungsgemeinschaften
  layer give everything the Gemeindeverzeichnis would, in the same Gebietsstand.

The result is written as a dataset folder (``datensatz.KreisDatensatz``); nothing is written
unless the whole build succeeded.
"""

from __future__ import annotations

import warnings
from pathlib import Path

from kreis_data import laender
from kreis_data.official import aufbereitung, basis, vg250
from kreis_data.official.datensatz import (
    LICENCE,
    LICENCE_URL,
    fertiger_datensatz,
    vg250_attribution,
)
from kreis_data.official.gemeindeverzeichnis import check_kreis_ags, read_verzeichnis

EW_ATTRIBUTION = ("Einwohner: © Statistisches Bundesamt (Destatis), über VG250-EW des BKG, "
                  "dl-de/by-2-0")


def build_kreis_dataset(
    kreis_ags: str,
    vg250_source: Path,
    gemeindeverzeichnis: Path | None,
    out_dir: Path,
    tolerance_m: float | None = None,
    *,
    vg250_stand: str | None = None,
) -> dict:
    """Build the dataset of one Kreis into ``out_dir`` and return a summary.

    ``tolerance_m``: simplification in metres (default: about one pixel of the Kreis map).
    ``gemeindeverzeichnis``: may be None for VG250-EW. Raises ``ValueError`` (German).
    """
    check_kreis_ags(kreis_ags)
    out_dir = Path(out_dir)
    if out_dir.exists() and not out_dir.is_dir():
        raise ValueError(f"Zielordner {out_dir} ist eine Datei, kein Ordner.")
    if tolerance_m is not None:
        if not isinstance(tolerance_m, (int, float)) or not 0 <= tolerance_m <= 1000:
            raise ValueError(f"Ungültige Toleranz {tolerance_m!r}: erlaubt sind 0 bis 1000 Meter.")
        # 60 and 60.0 (e.g. from a CLI float option) must give the same meta.json
        tolerance_m = int(tolerance_m) if float(tolerance_m).is_integer() else float(tolerance_m)
    land = laender.land(kreis_ags[:2])
    if land.stadtstaat:
        raise ValueError(f"{kreis_ags} gehört zum Stadtstaat {land.name}: dort gibt es keine "
                         "kreisangehörigen Gemeinden; nicht unterstützt.")
    quelle = vg250.open_vg250(Path(vg250_source), stand=vg250_stand)
    if quelle.stand == "unbekannt":
        warnings.warn(
            "Stand der VG250-Datei unbekannt; bitte angeben (z. B. --vg250-stand 01.01.2024), "
            "damit die Quellenangabe das Jahr nennt.", stacklevel=2)

    if gemeindeverzeichnis is not None:
        verzeichnis = read_verzeichnis(Path(gemeindeverzeichnis))
        verzeichnis.kreis(kreis_ags)  # unknown Kreis: German error before reading geometry
        flaechen = vg250.read_flaechen(quelle, (kreis_ags[:2],))
        quellen = basis.quellen(quelle.label, quelle.version, quelle.stand, verzeichnis.datei)
        register = basis.GEBIETSSTAND_REGISTER
        gebietsstand = {"geometrie": quelle.stand, "register": register,
                        "text": basis.gebietsstand_text(quelle.stand, register)}
    else:
        flaechen = vg250.read_flaechen(quelle, (kreis_ags,))
        verzeichnis = vg250.verzeichnis_aus_vg250(quelle, flaechen, kreis_ags)
        quellen = [_vg250_ew_quelle(quelle)]
        gebietsstand = {"geometrie": quelle.stand, "register": quelle.stand,
                        "text": f"Grenzen und Einwohner: VG250-EW Stand {quelle.stand}"}
    kreis_verzeichnis = verzeichnis.kreis(kreis_ags)
    gesamt, ergebnis = aufbereitung.abgleichen(verzeichnis, flaechen)
    frame = gesamt[gesamt["ags"].str.startswith(kreis_ags)]
    kreis = {"ags": kreis_ags, "name": kreis_verzeichnis.kreis_name,
             "typ": kreis_verzeichnis.kreis_typ, "land_code": kreis_ags[:2],
             "land": kreis_verzeichnis.land_name}
    abgleich = {"abgeglichen": [e for e in ergebnis.abgeglichen if e["ags"].startswith(kreis_ags)],
                "offen": [e for e in ergebnis.offen if e["ags"].startswith(kreis_ags)]}
    datensatz = fertiger_datensatz(kreis, frame, quellen, gebietsstand, abgleich, tolerance_m)
    sizes = datensatz.write(out_dir)
    return {
        "kreis_ags": kreis_ags, "kreis_name": kreis["name"], "out_dir": str(out_dir),
        "tolerance_m": datensatz.meta["build"]["tolerance_m"], **datensatz.meta["counts"],
        "abgeglichen": len(abgleich["abgeglichen"]), "offen": len(abgleich["offen"]),
        "files": sizes,
    }


def _vg250_ew_quelle(quelle: vg250.VG250Quelle) -> dict:
    text = vg250_attribution(quelle.stand)
    return {
        "name": "Verwaltungsgebiete 1:250 000 mit Einwohnerzahlen (VG250-EW)",
        "herausgeber": "Bundesamt für Kartographie und Geodäsie (BKG); Einwohner: Destatis",
        "file": quelle.label, "version": quelle.version, "stand": quelle.stand,
        "licence": LICENCE, "licence_url": LICENCE_URL,
        "attribution": f"{text}; {EW_ATTRIBUTION}",
        "verwendet_fuer": "Gemeindegrenzen (vereinfacht), Namen, Verwaltungen, Einwohner, Fläche",
    }
