"""Static choropleth for the exports (matplotlib, no network): Gemeinden coloured with their
Verwaltung's class, Verwaltung borders, "keine Angabe" grey and hatched, legend with labels.

Geometry comes from the database (GeoJSON, WGS84), so it works for any Kreis in the workspace;
it is drawn in EPSG:25832-like proportions by scaling x with cos(latitude).
"""
from __future__ import annotations

import io
import json
import math

import matplotlib

matplotlib.use("Agg")

import shapely  # noqa: E402
from matplotlib import pyplot as plt  # noqa: E402
from matplotlib.patches import Patch, PathPatch  # noqa: E402
from matplotlib.path import Path as MplPath  # noqa: E402
from sqlalchemy import Engine  # noqa: E402

from kreis_data import queries, scales  # noqa: E402
from kreis_data.quartal import Quartal  # noqa: E402

HATCH = "////"
FONT = "DejaVu Sans"


def _pfad(geometrie, faktor: float) -> MplPath | None:
    polygone = list(getattr(geometrie, "geoms", [geometrie]))
    vertices, codes = [], []
    for polygon in polygone:
        if polygon.is_empty or polygon.geom_type != "Polygon":
            continue
        for ring in [polygon.exterior, *polygon.interiors]:
            coords = [(x * faktor, y) for x, y in ring.coords]
            vertices += coords
            codes += [MplPath.MOVETO] + [MplPath.LINETO] * (len(coords) - 2) + [MplPath.CLOSEPOLY]
    return MplPath(vertices, codes) if vertices else None


def kartenbild(engine: Engine, quartal: str, merkmal_key: str, breite_cm: float = 24,
               hoehe_cm: float = 14, dpi: int = 150) -> bytes | None:
    """PNG bytes of the map, None when the workspace has no Gemeinde geometry."""
    from kreis_data.analyses import karte

    geo = queries.gemeinden(engine, with_geometry=True)
    geo = geo[geo["geometry"].notna()]
    if geo.empty:
        return None
    werte = karte.karten_werte(engine, quartal, merkmal_key).set_index("ags")["klasse"]
    km = karte.kartenmerkmal(queries.merkmale(engine), merkmal_key)
    flaechen = {row.ags: shapely.from_geojson(row.geometry) for row in geo.itertuples()}
    mitte = shapely.union_all(list(flaechen.values())).centroid.y
    faktor = math.cos(math.radians(mitte))

    plt.rcParams["font.family"] = FONT
    plt.rcParams["hatch.linewidth"] = 1.0
    fig, (ax, ax_leg) = plt.subplots(1, 2, figsize=(breite_cm / 2.54, hoehe_cm / 2.54), dpi=dpi,
                                     gridspec_kw={"width_ratios": [3.2, 1.3]})
    for ags, flaeche in flaechen.items():
        pfad = _pfad(flaeche, faktor)
        if pfad is None:
            continue
        klasse = werte.get(ags)
        klasse = None if klasse is None or klasse != klasse else int(klasse)
        if klasse is None:
            ax.add_patch(PathPatch(pfad, facecolor=scales.KEINE_ANGABE_FARBE, edgecolor="#ffffff",
                                   hatch=HATCH, linewidth=0))
        else:
            ax.add_patch(PathPatch(pfad, facecolor=scales.farbe(klasse), edgecolor="none"))
        ax.add_patch(PathPatch(pfad, facecolor="none", edgecolor="#ffffff", linewidth=0.6))
    grenzen = karte.verwaltung_grenzen(engine)
    for feature in grenzen["features"]:
        pfad = _pfad(shapely.from_geojson(json.dumps(feature["geometry"])), faktor)
        if pfad is not None:
            ax.add_patch(PathPatch(pfad, facecolor="none", edgecolor="#1a1a1a", linewidth=1.4))
    west, south, east, north = shapely.total_bounds(list(flaechen.values()))
    ax.set_xlim(west * faktor, east * faktor)
    ax.set_ylim(south, north)
    ax.set_aspect("equal")
    ax.axis("off")

    handles = []
    for label, klasse in km.legende:
        if klasse is None:
            handles.append(Patch(facecolor=scales.KEINE_ANGABE_FARBE, edgecolor="#ffffff",
                                 hatch=HATCH, label=label))
        else:
            handles.append(Patch(facecolor=scales.farbe(klasse), edgecolor="#555555",
                                 label=label))
    ax_leg.axis("off")
    import textwrap
    for h in handles:
        h.set_label(textwrap.fill(h.get_label(), 28))
    legende = ax_leg.legend(handles=handles, loc="center left", frameon=False, fontsize=9,
                            title=f"{km.name}\n{Quartal.parse(quartal).label}",
                            title_fontsize=10, handlelength=2.2, handleheight=1.4,
                            labelspacing=0.8)
    legende._legend_box.align = "left"
    for patch in legende.get_patches():  # legend boxes with a dark outline, hatch stays white
        patch.set_linewidth(0.8)
    fig.tight_layout()
    puffer = io.BytesIO()
    fig.savefig(puffer, format="png", dpi=dpi, metadata={"Software": None})
    plt.close(fig)
    return puffer.getvalue()


# Line styles for the trend chart: colours from the sequential scale (dark end) plus distinct
# markers and dashes, so the lines are told apart without colour.
TREND_STILE = tuple(zip(scales.LINIEN_FARBEN, ("o", "s", "^", "D"), ("-", "--", "-.", ":"),
                        strict=True))


def end_positionen(werte: list[float], abstand: float = 6.0, unten: float = 0.0,
                   oben: float = 100.0) -> list[float]:
    """Label heights for the sorted end values of the lines: as close to each value as
    possible, at least `abstand` (axis units, about one line of 8 pt text on the chart) apart
    and within [unten, oben] – so two lines ending at 66 and 67 get two readable labels."""
    positionen: list[float] = []
    for wert in werte:
        positionen.append(max(wert, positionen[-1] + abstand) if positionen else wert)
    ueber = positionen[-1] - oben if positionen else 0
    if ueber > 0:  # pushed above the top: move the stack down, keeping the gaps
        positionen = [p - ueber for p in positionen]
        for i in range(len(positionen) - 2, -1, -1):
            positionen[i] = min(positionen[i], positionen[i + 1] - abstand)
    return [max(p, unten) for p in positionen]


def trendbild(verlauf, breite_cm: float = 24, hoehe_cm: float = 7, dpi: int = 150) -> bytes:
    """PNG line chart of the key figures per quarter (trend() of reports.inhalt)."""
    plt.rcParams["font.family"] = FONT
    fig, ax = plt.subplots(figsize=(breite_cm / 2.54, hoehe_cm / 2.54), dpi=dpi)
    x = list(range(len(verlauf)))
    spalten = [c for c in verlauf.columns if c != "quartal"]
    enden = []  # (last value, colour) of every line, labelled without overlap below
    for spalte, (farbe, marker, linie) in zip(spalten, TREND_STILE):
        werte = [None if v is None or v != v else float(v) for v in verlauf[spalte]]
        einheit = "Punkte von 100" if "index" in spalte.lower() else "% mind. Stufe 3"
        ax.plot(x, werte, color=farbe, marker=marker, linestyle=linie, linewidth=2,
                label=f"{spalte} ({einheit})")
        if werte[-1] is not None:
            enden.append((werte[-1], farbe))
    for (wert, farbe), y in zip(sorted(enden), end_positionen([w for w, _ in sorted(enden)])):
        ax.annotate(f"{wert:.0f}", (x[-1], wert), xytext=(x[-1] + 0.18, y),
                    textcoords="data", va="center", fontsize=8, color=farbe,
                    annotation_clip=False)
    ax.set_xticks(x, [Quartal.parse(q).label.replace(" Quartal ", " Quartal\n")
                      for q in verlauf["quartal"]], fontsize=7.5)
    ax.set_xlim(-0.3, len(x) - 0.45)
    ax.set_ylim(0, 100)
    ax.set_ylabel("Prozent bzw. Punkte", fontsize=8)
    ax.tick_params(axis="y", labelsize=8)
    ax.grid(axis="y", color="#dddddd")
    ax.spines[["top", "right"]].set_visible(False)
    ax.legend(fontsize=7.5, frameon=False, loc="upper left", bbox_to_anchor=(1.02, 1))
    ax.set_title("Entwicklung der Kennzahlen je Quartal (Verwaltungen der Gemeinden)",
                 fontsize=9, loc="left")
    fig.tight_layout()
    puffer = io.BytesIO()
    fig.savefig(puffer, format="png", dpi=dpi, metadata={"Software": None})
    plt.close(fig)
    return puffer.getvalue()
