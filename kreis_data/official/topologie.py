"""TopoJSON for a polygon coverage: every border stored once, coordinates as integer deltas.

Neighbouring Gemeinden share their borders. Stored as GeoJSON, each border is written twice;
TopoJSON (https://github.com/topojson/topojson-specification) stores each border once as an
"arc", and each polygon as a list of references to arcs (``~i`` = arc i reversed). With
quantised (integer) coordinates and delta encoding, a coverage of all German Gemeinden needs
a fraction of the bytes of GeoJSON, and any TopoJSON reader (mapshaper, topojson-client, QGIS)
can open the file.

``encode`` expects a valid coverage whose shared edges have identical vertices (what
``shapely.coverage_clean`` and ``coverage_simplify`` produce) and integer coordinates in the
grid of ``transform``. ``decode`` returns exactly the polygons that went in (same vertices,
exterior rings counter-clockwise, holes clockwise).

How arcs are found: a vertex is a *junction* where more than two different vertices are its
neighbours along all rings (three Gemeinden meet, or a shared border ends). Rings are cut at
junctions; a ring without a junction (an island, or an enclave and the hole it fills) starts at
its smallest vertex so that both of its uses give the same arc.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

import numpy as np
import shapely
from shapely.geometry import MultiPolygon, Polygon

Punkt = tuple[int, int]


def _ringe(geometrie) -> list[list[list[Punkt]]]:
    """Polygons of a (Multi)Polygon as lists of rings (exterior CCW, holes CW), without the
    closing vertex."""
    geometrie = shapely.orient_polygons(geometrie, exterior_cw=False)
    polygone = [geometrie] if geometrie.geom_type == "Polygon" else list(geometrie.geoms)
    ergebnis = []
    for polygon in polygone:
        ringe = [polygon.exterior, *polygon.interiors]
        ergebnis.append([[(int(x), int(y)) for x, y in ring.coords[:-1]] for ring in ringe])
    return ergebnis


def encode(geometrien: Sequence, scale: float, translate: tuple[float, float]) -> tuple[
        list[list[list[list[int]]]], list[list[list[int]]]]:
    """(arcs, references): delta-encoded integer arcs, and per geometry the MultiPolygon
    arc references ``[[ring, ...], ...]`` as TopoJSON wants them.

    ``geometrien`` are in the real coordinate system; they are quantised with
    ``q = round((x - translate) / scale)`` (the caller makes sure that keeps them valid).
    """
    tx, ty = translate
    quantisiert = shapely.transform(
        np.asarray(geometrien, dtype=object),
        lambda xy: np.round((xy - np.array([tx, ty])) / scale))
    alle = [_ringe(g) for g in quantisiert]

    nachbarn: dict[Punkt, set[Punkt]] = defaultdict(set)
    for polygone in alle:
        for ringe in polygone:
            for ring in ringe:
                n = len(ring)
                for i, punkt in enumerate(ring):
                    nachbarn[punkt].add(ring[i - 1])
                    nachbarn[punkt].add(ring[(i + 1) % n])
    knoten = {p for p, nb in nachbarn.items() if len(nb) > 2}

    arcs: list[list[Punkt]] = []
    index: dict[tuple[Punkt, ...], int] = {}

    def arc_ref(punkte: list[Punkt]) -> int:
        schluessel = tuple(punkte)
        if schluessel in index:
            return index[schluessel]
        umgekehrt = schluessel[::-1]
        if umgekehrt in index:
            return ~index[umgekehrt]
        index[schluessel] = len(arcs)
        arcs.append(punkte)
        return index[schluessel]

    referenzen = []
    for polygone in alle:
        geo_refs = []
        for ringe in polygone:
            ring_refs = []
            for ring in ringe:
                schnitte = [i for i, p in enumerate(ring) if p in knoten]
                if not schnitte:
                    start = ring.index(min(ring))
                    gedreht = ring[start:] + ring[:start]
                    ring_refs.append([arc_ref([*gedreht, gedreht[0]])])
                    continue
                gedreht = ring[schnitte[0]:] + ring[:schnitte[0]]
                grenzen = [i - schnitte[0] for i in schnitte] + [len(ring)]
                geschlossen = [*gedreht, gedreht[0]]
                ring_refs.append([arc_ref(geschlossen[a:b + 1])
                                  for a, b in zip(grenzen[:-1], grenzen[1:], strict=True)])
            geo_refs.append(ring_refs)
        referenzen.append(geo_refs)

    kodiert = []
    for punkte in arcs:
        folge = np.array(punkte, dtype=np.int64)
        folge[1:] = np.diff(folge, axis=0)
        kodiert.append(folge.tolist())
    return kodiert, referenzen


def decode_arcs(arcs: list[list[list[int]]], scale: float,
                translate: tuple[float, float]) -> list[np.ndarray]:
    """Absolute coordinates of every arc (float arrays in the real coordinate system)."""
    tx, ty = translate
    return [np.cumsum(np.asarray(arc, dtype=np.int64), axis=0) * scale + np.array([tx, ty])
            for arc in arcs]


def geometry(referenzen: list[list[list[int]]], arcs: list[np.ndarray]):
    """The (Multi)Polygon of one geometry's arc references (arcs from ``decode_arcs``)."""
    polygone = []
    for ringe in referenzen:
        koordinaten = []
        for ring in ringe:
            teile = [arcs[r] if r >= 0 else arcs[~r][::-1] for r in ring]
            koordinaten.append(np.concatenate([teile[0], *(t[1:] for t in teile[1:])]))
        polygone.append(Polygon(koordinaten[0], koordinaten[1:]))
    return polygone[0] if len(polygone) == 1 else MultiPolygon(polygone)
