"""The Germany-wide base that ships with the package: every Gemeinde, ready for any Kreis.

``kreis_data/datasets/deutschland/`` holds

* ``gemeinden.topojson.gz`` – every Gemeinde and gemeindefreie Gebiet of the register as one
  TopoJSON coverage (EPSG:25832, 1 m grid, borders stored once, coordinates delta-encoded),
  simplified at 20 m, with name, Bezeichnung, Einwohner, Fläche and Verwaltung as properties;
* ``meta.json`` – sources and attribution, Gebietsstand, the Kreise and Länder, and the
  reconciliation of the two Gebietsstände (what was merged, what is still open);
* ``README.md`` – the same for people.

``python -m kreis_data build-basis --vg250 TGZ --gemeindeverzeichnis CSV`` rebuilds it from the
raw files (one parse of the 78 MB geometry for all of Germany; byte-identical output), and
``kreis_datensatz(AGS)`` cuts out one Kreis for ``init --kreis``. Why 20 m: it is one pixel
of a 900 px wide map of an 18 km wide area – finer than any Landkreis view needs and close to
what the smallest kreisfreie Städte need – at about 3 MB compressed for all 11,000 Gemeinden.
"""

from __future__ import annotations

import functools
import gzip
import json
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from kreis_data import laender
from kreis_data.official import aufbereitung, topologie, vg250
from kreis_data.official.datensatz import (
    GV_ATTRIBUTION,
    LICENCE,
    LICENCE_URL,
    METRIC_CRS,
    KreisDatensatz,
    fertiger_datensatz,
    vg250_attribution,
)
from kreis_data.official.gemeindeverzeichnis import (
    GEMEINDE_COLUMNS,
    check_kreis_ags,
    read_verzeichnis,
)

BASIS_DIR = Path(__file__).resolve().parent.parent / "datasets" / "deutschland"
TOPOJSON = "gemeinden.topojson.gz"
TOLERANZ_M = 20
RASTER_M = 1
EINWOHNER_STAND = "31.12.2019"
GEBIETSSTAND_REGISTER = "2020"
EIGENSCHAFTEN = (*GEMEINDE_COLUMNS[1:], "gemeindefrei", "bewohnt")


def quellen(vg250_label: str, vg250_version: str, vg250_stand: str, gv_datei: str,
            einwohner_stand: str = EINWOHNER_STAND,
            gebietsstand: str = GEBIETSSTAND_REGISTER) -> list[dict]:
    vg_text = vg250_attribution(vg250_stand)
    return [
        {
            "name": "Verwaltungsgebiete 1:250 000 (VG250), Gemeinden",
            "herausgeber": "Bundesamt für Kartographie und Geodäsie (BKG)",
            "file": vg250_label, "version": vg250_version, "stand": vg250_stand,
            "licence": LICENCE, "licence_url": LICENCE_URL, "attribution": vg_text,
            "verwendet_fuer": "Gemeindegrenzen (vereinfacht, an den Gebietsstand des "
                              "Gemeindeverzeichnisses angepasst)",
        },
        {
            "name": "Gemeindeverzeichnis (GV-ISys), Auszug",
            "herausgeber": "Statistisches Bundesamt (Destatis)",
            "file": gv_datei, "version": "unbekannt", "stand": einwohner_stand,
            "gebietsstand": gebietsstand,
            "licence": LICENCE, "licence_url": LICENCE_URL, "attribution": GV_ATTRIBUTION,
            "verwendet_fuer": "Namen, Verwaltungen, Einwohner, Fläche, Gebietsstand",
        },
    ]


def gebietsstand_text(vg250_stand: str, register: str) -> str:
    return (f"Grenzen: VG250 Stand {vg250_stand}, angepasst an den Gebietsstand {register} "
            "des Gemeindeverzeichnisses")


def build_basis(vg250_source: Path, gemeindeverzeichnis: Path, out_dir: Path = BASIS_DIR, *,
                vg250_stand: str | None = None) -> dict:
    """Build the base from the raw files into ``out_dir``; returns a summary.

    Nothing is written unless everything succeeded. German ValueError for bad input.
    """
    out_dir = Path(out_dir)
    if out_dir.exists() and not out_dir.is_dir():
        raise ValueError(f"Zielordner {out_dir} ist eine Datei, kein Ordner.")
    verzeichnis = read_verzeichnis(Path(gemeindeverzeichnis))
    quelle = vg250.open_vg250(Path(vg250_source), stand=vg250_stand)
    flaechen = vg250.read_flaechen(quelle)
    gesamt, ergebnis = aufbereitung.abgleichen(verzeichnis, flaechen)

    geoms = shapely.coverage_simplify(gesamt.geometry.to_numpy(), TOLERANZ_M)
    geoms = shapely.transform(geoms, lambda xy: np.round(xy / RASTER_M) * RASTER_M)
    if not shapely.is_valid(geoms).all() or not shapely.coverage_is_valid(geoms):
        raise ValueError("Die vereinfachte Deutschland-Geometrie ist keine gültige Abdeckung "
                         "(Fehler des IKZ-Monitors, bitte melden).")
    x0, y0, x1, y1 = (float(v) for v in shapely.total_bounds(geoms))
    translate = (float(np.floor(x0)), float(np.floor(y0)))
    arcs, referenzen = topologie.encode(geoms, RASTER_M, translate)
    geometries = []
    for row, refs in zip(gesamt.itertuples(index=False), referenzen, strict=True):
        props = {key: _json_wert(getattr(row, key)) for key in EIGENSCHAFTEN}
        geometries.append({"type": "MultiPolygon", "id": row.ags, "arcs": refs,
                           "properties": props})
    topo = {
        "type": "Topology",
        "crs": METRIC_CRS,
        "bbox": [x0, y0, x1, y1],
        "transform": {"scale": [RASTER_M, RASTER_M], "translate": list(translate)},
        "objects": {"gemeinden": {"type": "GeometryCollection", "geometries": geometries}},
        "arcs": arcs,
    }
    topo_bytes = gzip.compress(
        json.dumps(topo, ensure_ascii=False, separators=(",", ":")).encode("utf-8"),
        compresslevel=9, mtime=0)

    q = quellen(quelle.label, quelle.version, quelle.stand, verzeichnis.datei)
    gemeinden_n = int((~gesamt["gemeindefrei"]).sum())
    meta = {
        "format": "IKZ-Monitor Deutschland-Basis 1",
        "sources": q,
        "attribution": [s["attribution"] for s in q],
        "gebietsstand": {"geometrie": quelle.stand, "register": GEBIETSSTAND_REGISTER,
                         "text": gebietsstand_text(quelle.stand, GEBIETSSTAND_REGISTER)},
        "build": {"tolerance_m": TOLERANZ_M, "raster_m": RASTER_M, "crs": METRIC_CRS,
                  "repair": "shapely.coverage_clean",
                  "simplification": "shapely.coverage_simplify", "file": TOPOJSON,
                  "arcs": len(arcs), "stuetzpunkte": int(sum(len(a) for a in arcs))},
        "counts": {"gemeinden": gemeinden_n,
                   "gemeindefreie_gebiete": int(gesamt["gemeindefrei"].sum()),
                   "einwohner": int(gesamt["einwohner"].sum()),
                   "kreise": len(verzeichnis.kreise)},
        "laender": dict(sorted(verzeichnis.laender.items())),
        "kreise": {ags: {"name": r["name"], "typ": r["typ"]}
                   for ags, r in verzeichnis.kreise.sort_index().iterrows()},
        "abgleich": {"abgeglichen": ergebnis.abgeglichen, "offen": ergebnis.offen},
    }
    meta_text = json.dumps(meta, ensure_ascii=False, indent=1, sort_keys=True) + "\n"
    readme = _readme(meta)

    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / TOPOJSON).write_bytes(topo_bytes)
    (out_dir / "meta.json").write_text(meta_text, encoding="utf-8")
    (out_dir / "README.md").write_text(readme, encoding="utf-8")
    lade_basis.cache_clear()
    return {
        "gemeinden": gemeinden_n, "gemeindefreie_gebiete": meta["counts"]["gemeindefreie_gebiete"],
        "kreise": len(verzeichnis.kreise), "abgeglichen": len(ergebnis.abgeglichen),
        "offen": len(ergebnis.offen), "arcs": len(arcs),
        "bytes": {TOPOJSON: len(topo_bytes), "meta.json": len(meta_text.encode("utf-8"))},
    }


def _json_wert(wert):
    if isinstance(wert, (np.integer,)):
        return int(wert)
    if isinstance(wert, (np.floating, float)):
        return float(wert)
    if isinstance(wert, (np.bool_, bool)):
        return bool(wert)
    return wert


class Basis:
    """The loaded base: meta, the Gemeinde table and lazily decoded geometry."""

    def __init__(self, folder: Path):
        folder = Path(folder)
        if not (folder / TOPOJSON).is_file():
            raise ValueError(
                f"Die Deutschland-Basis fehlt ({folder / TOPOJSON}). Sie wird mit "
                "„python -m kreis_data build-basis“ aus den amtlichen Rohdaten erzeugt.")
        self.meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
        self.topo = json.loads(gzip.decompress((folder / TOPOJSON).read_bytes()))
        geometries = self.topo["objects"]["gemeinden"]["geometries"]
        self.gemeinden = pd.DataFrame(
            [{"ags": g["id"], **g["properties"]} for g in geometries])
        self._position = {g["id"]: i for i, g in enumerate(geometries)}

    def kreise(self) -> pd.DataFrame:
        """ags (index), name, typ, land_code, land, gemeinden (count)."""
        frame = pd.DataFrame.from_dict(self.meta["kreise"], orient="index")
        frame.index.name = "ags"
        frame["land_code"] = frame.index.str[:2]
        frame["land"] = frame["land_code"].map(self.meta["laender"])
        anzahl = (self.gemeinden[~self.gemeinden["gemeindefrei"]]["ags"].str[:5]
                  .value_counts())
        frame["gemeinden"] = anzahl.reindex(frame.index).fillna(0).astype(int)
        return frame.sort_index()

    def geometrien(self, ags: list[str]) -> np.ndarray:
        """Polygons (EPSG:25832) of these Gemeinden, decoding only the arcs they use."""
        geometries = self.topo["objects"]["gemeinden"]["geometries"]
        transform = self.topo["transform"]
        auswahl = [geometries[self._position[a]] for a in ags]
        benoetigt = sorted({r if r >= 0 else ~r for g in auswahl for poly in g["arcs"]
                            for ring in poly for r in ring})
        dekodiert = topologie.decode_arcs([self.topo["arcs"][i] for i in benoetigt],
                                          transform["scale"][0], tuple(transform["translate"]))
        arcs = dict(zip(benoetigt, dekodiert, strict=True))
        return np.array([topologie.geometry(g["arcs"], arcs) for g in auswahl], dtype=object)

    def kreis_datensatz(self, kreis_ags: str, toleranz_m: int | None = None) -> KreisDatensatz:
        """The dataset of one Kreis (any of the 294 Landkreise or a kreisfreie Stadt)."""
        check_kreis_ags(kreis_ags)
        land_code = kreis_ags[:2]
        if land_code in laender.LAENDER and laender.LAENDER[land_code].stadtstaat:
            land = laender.LAENDER[land_code]
            raise ValueError(
                f"{kreis_ags} gehört zum Stadtstaat {land.name}: Dort gibt es keine "
                "kreisangehörigen Gemeinden, deren Verwaltungen der IKZ-Monitor vergleichen "
                "könnte. Unterstützt werden die 294 Landkreise und die kreisfreien Städte der "
                "13 Flächenländer.")
        if kreis_ags not in self.meta["kreise"]:
            raise ValueError(
                f"Kreis {kreis_ags} gibt es nicht (Gebietsstand "
                f"{self.meta['gebietsstand']['register']}). Die Liste aller Kreise zeigt "
                "„python -m kreis_data kreise“.")
        kreis_info = self.meta["kreise"][kreis_ags]
        zeilen = self.gemeinden[self.gemeinden["ags"].str.startswith(kreis_ags)]
        frame = gpd.GeoDataFrame(zeilen.reset_index(drop=True),
                                 geometry=self.geometrien(zeilen["ags"].tolist()),
                                 crs=METRIC_CRS)
        kreis = {"ags": kreis_ags, "name": kreis_info["name"], "typ": kreis_info["typ"],
                 "land_code": land_code, "land": self.meta["laender"].get(land_code, "unbekannt")}
        abgleich = {
            "abgeglichen": [e for e in self.meta["abgleich"]["abgeglichen"]
                            if e["ags"].startswith(kreis_ags)],
            "offen": [e for e in self.meta["abgleich"]["offen"]
                      if e["ags"].startswith(kreis_ags)],
        }
        return fertiger_datensatz(kreis, frame, self.meta["sources"], self.meta["gebietsstand"],
                                abgleich, toleranz_m)


@functools.lru_cache(maxsize=2)
def lade_basis(folder: str = str(BASIS_DIR)) -> Basis:
    return Basis(Path(folder))


def kreis_datensatz(kreis_ags: str) -> KreisDatensatz:
    """The dataset of one Kreis from the shipped base."""
    return lade_basis().kreis_datensatz(kreis_ags)


def _readme(meta: dict) -> str:
    counts, build = meta["counts"], meta["build"]
    abgeglichen = meta["abgleich"]["abgeglichen"]
    offen = meta["abgleich"]["offen"]
    kreise_mit = sorted({e["ags"][:5] for e in abgeglichen})
    zeilen = [
        "# Deutschland-Basis: alle Gemeinden für jeden Kreis",
        "",
        "Erzeugt mit `python -m kreis_data build-basis` – nicht von Hand ändern.",
        "",
        f"- {_zahl(counts['gemeinden'])} Gemeinden und {counts['gemeindefreie_gebiete']} "
        f"gemeindefreie Gebiete, {counts['kreise']} Kreise; "
        f"{_zahl(counts['einwohner'])} Einwohner",
        f"- {meta['gebietsstand']['text']}",
        f"- Geometrie: `{TOPOJSON}`, TopoJSON in {build['crs']}, Raster {build['raster_m']} m, "
        f"vereinfacht mit {build['tolerance_m']} m Toleranz (Grenzen bleiben gemeinsam), "
        f"{_zahl(build['arcs'])} Grenzstücke mit {_zahl(build['stuetzpunkte'])} Stützpunkten",
        "",
        "## Quellen und Lizenzen",
        "",
    ]
    for quelle in meta["sources"]:
        zeilen.append(f"- {quelle['name']} ({quelle['herausgeber']}), Datei {quelle['file']}, "
                      f"Stand {quelle['stand']}, Lizenz {quelle['licence']}: {quelle['attribution']}")
    zeilen += [
        "",
        "## Abgleich der Gebietsstände",
        "",
        "Zwischen dem Stand der Geometrie und dem des Gemeindeverzeichnisses haben sich "
        "Gemeinden zusammengeschlossen. Die Fläche einer neuen Gemeinde ist die Vereinigung "
        "ihrer Vorgänger; jede Zuordnung wird an der Fläche laut Gemeindeverzeichnis geprüft "
        "(Toleranz 1 km² oder 5 %).",
        "",
        f"{len(abgeglichen)} Gemeinden in {len(kreise_mit)} Kreisen abgeglichen, davon "
        f"{sum(e['geprueft'] for e in abgeglichen)} mit passender Fläche.",
        "",
        "| AGS | Gemeinde | Vorgänger | Fläche Register | Fläche Geometrie | geprüft |",
        "|---|---|---|---:|---:|---|",
    ]
    for e in abgeglichen:
        vorgaenger = ", ".join(f"{v['name']} ({v['ags']})" for v in e["vorgaenger"])
        zeilen.append(f"| {e['ags']} | {e['name']} | {vorgaenger} | "
                      f"{_de(e['flaeche_register_km2'])} km² | {_de(e['flaeche_geometrie_km2'])} km² | "
                      f"{'ja' if e['geprueft'] else 'nein'} |")
    zeilen += ["", "## Nicht abgeglichen", "",
               "| AGS | Name | Art | Grund |", "|---|---|---|---|"]
    for e in offen:
        zeilen.append(f"| {e['ags']} | {e['name']} | {e['art']} | {e['grund']} |")
    return "\n".join(zeilen) + "\n"


def _zahl(n: int) -> str:
    return f"{n:,}".replace(",", ".")


def _de(wert: float) -> str:
    return f"{wert:,.2f}".replace(",", "X").replace(".", ",").replace("X", ".")
