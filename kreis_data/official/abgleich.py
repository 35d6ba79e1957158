"""Reconcile two Gebietsstände: the Gemeinden of the register with the polygons of the geometry.

VG250 (geometry, Stand 01.01.2016 in the npm package) is older than the Gemeindeverzeichnis
(register, Gebietsstand 2020). Between the two, Gemeinden merged (most in Thüringen, also in
Mecklenburg-Vorpommern, Niedersachsen, Schleswig-Holstein), and the Landkreis Göttingen got new
keys when it absorbed Osterode am Harz. A merged Gemeinde's area is the union of its
predecessors; we find the predecessors from the data itself and verify every result:

1. **Same key**: a polygon whose AGS is in the register belongs to that Gemeinde.
2. **Centre**: a register Gemeinde without a polygon of its own gets the predecessor polygon
   that contains its centre coordinate (from the register), if that polygon has no other owner.
3. **Area**: the remaining polygons without an owner ("Waisen") are shared out among the
   Gemeinden next to them (same Land) so that every Gemeinde's area best matches its register
   Fläche: a small integer programme per cluster of Waisen (HiGHS via scipy) minimises the
   area deviations in units of the tolerance below, plus a small cost per kilometre between a
   Waise and the Gemeinde's centre and per Kreis border crossed (ties go to the compact,
   same-Kreis answer). Every Gemeinde's share must be connected to it: a share that is not
   gets a cut and the programme is solved again.
4. **Check**: a Gemeinde whose polygons changed passes when its area is within
   ``max(1 km², 5 %)`` of the register Fläche (land, or land plus water where the register
   counts water). Whatever fails, or could not be assigned, is listed, never hidden.

Pure: works on plain dicts (areas in km², adjacency as sets), so it is unit-tested directly.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

ABSOLUTE_TOLERANZ_KM2 = 1.0
RELATIVE_TOLERANZ = 0.05
KOSTEN_JE_KM = 0.02  # cost of one km between a Waise and the Gemeinde's centre
MAX_ABSTAND_KM = 40.0  # a Waise further from a Gemeinde's centre is never given to it
MAX_SCHNITTE = 200  # connectivity cuts per cluster before giving up
ZEITLIMIT_S = 60.0  # per cluster


@dataclass(frozen=True)
class Flaeche:
    """A polygon of the geometry source (one AGS, land part) with what the search needs."""

    ags: str
    name: str
    land_km2: float
    wasser_km2: float = 0.0
    x: float = 0.0  # a point inside the polygon, metres (EPSG:25832)
    y: float = 0.0


@dataclass(frozen=True)
class Gemeinde:
    """A Gemeinde of the register."""

    ags: str
    name: str
    flaeche_km2: float
    x: float | None = None  # centre coordinate from the register, metres (EPSG:25832)
    y: float | None = None


@dataclass
class Ergebnis:
    """Which polygons make up each register Gemeinde, and what could not be reconciled."""

    zuordnung: dict[str, list[str]]  # register AGS -> polygon AGS (sorted)
    abgeglichen: list[dict] = field(default_factory=list)  # one entry per changed Gemeinde
    offen: list[dict] = field(default_factory=list)  # what is not reconciled, with a reason

    def vorgaenger(self, ags: str) -> list[str]:
        return self.zuordnung.get(ags, [])


def toleranz_km2(flaeche_km2: float) -> float:
    return max(ABSOLUTE_TOLERANZ_KM2, RELATIVE_TOLERANZ * flaeche_km2)


def abweichung_km2(register_km2: float, land_km2: float, wasser_km2: float) -> float:
    """Signed deviation geometry - register; water counts where that brings them closer."""
    mit_wasser = land_km2 + wasser_km2 - register_km2
    nur_land = land_km2 - register_km2
    return nur_land if abs(nur_land) <= abs(mit_wasser) else mit_wasser


def abgleichen(
    gemeinden: dict[str, Gemeinde],
    flaechen: dict[str, Flaeche],
    nachbarn: dict[str, set[str]],
    zentrum_in: dict[str, str | None],
    gleiche_region: Callable[[str, str], bool] = lambda gemeinde, flaeche: True,
    aufschlag: Callable[[str, str], float] = lambda gemeinde, flaeche: 0.0,
) -> Ergebnis:
    """Assign every polygon to a register Gemeinde (see the module docstring).

    ``nachbarn``: polygon AGS -> AGS of the polygons sharing a border with it.
    ``zentrum_in``: register AGS -> AGS of the polygon containing its centre (or None).
    ``gleiche_region(g, f)``: may polygon f go to Gemeinde g at all (e.g. same Land)?
    ``aufschlag(g, f)``: extra cost of giving f to g (e.g. crossing a Kreis border), in the
    unit of the area cost (squared deviation in tolerances).
    """
    besitzer: dict[str, str] = {}  # polygon -> register AGS
    for ags in sorted(gemeinden):
        if ags in flaechen:
            besitzer[ags] = ags
    ohne = [ags for ags in sorted(gemeinden) if ags not in flaechen]
    offen: list[dict] = []

    # 2. centre coordinate inside a polygon without owner
    for ags in ohne:
        ziel = zentrum_in.get(ags)
        if ziel is not None and ziel not in besitzer and gleiche_region(ags, ziel):
            besitzer[ziel] = ags

    # 3. share out the remaining Waisen, cluster by cluster
    waisen = {f for f in flaechen if f not in besitzer}
    for cluster, kandidaten in _cluster(waisen, nachbarn, besitzer, gemeinden, flaechen,
                                        gleiche_region):
        loesung, grund = _verteilen(cluster, kandidaten, gemeinden, flaechen, nachbarn,
                                    besitzer, aufschlag)
        fehler = _fehlpassungen(loesung, besitzer, gemeinden, flaechen)
        if fehler or len(loesung) < len(cluster):
            # Thüringen merged some Gemeinden that do not touch (exclaves): try again with
            # Gemeinden one polygon further away and without the connectivity cuts
            weiter = _weitere_kandidaten(cluster, kandidaten, nachbarn, besitzer, gemeinden,
                                         flaechen, gleiche_region)
            zweite, grund2 = _verteilen(cluster, weiter, gemeinden, flaechen, nachbarn,
                                        besitzer, aufschlag, zusammenhaengend=False)
            if (len(zweite), -_fehlpassungen(zweite, besitzer, gemeinden, flaechen)) > (
                    len(loesung), -fehler):
                loesung, grund = zweite, grund2
        for f in sorted(cluster):
            if f in loesung:
                besitzer[f] = loesung[f]
            else:
                offen.append({"art": "Fläche ohne Gemeinde", "ags": f,
                              "name": flaechen[f].name, "grund": grund})

    zuordnung: dict[str, list[str]] = defaultdict(list)
    for flaeche, ags in besitzer.items():
        zuordnung[ags].append(flaeche)
    zuordnung = {ags: sorted(zuordnung[ags]) for ags in sorted(zuordnung)}

    # 4. check what changed
    abgeglichen = []
    for ags in sorted(gemeinden):
        teile = zuordnung.get(ags)
        gemeinde = gemeinden[ags]
        if not teile:
            offen.append({"art": "Gemeinde ohne Fläche", "ags": ags, "name": gemeinde.name,
                          "grund": "keine Fläche in der Geometriequelle gefunden"})
            continue
        if teile == [ags]:
            continue
        land = sum(flaechen[f].land_km2 for f in teile)
        wasser = sum(flaechen[f].wasser_km2 for f in teile)
        abweichung = abweichung_km2(gemeinde.flaeche_km2, land, wasser)
        eintrag = {
            "ags": ags, "name": gemeinde.name,
            "vorgaenger": [{"ags": f, "name": flaechen[f].name} for f in teile],
            "flaeche_register_km2": round(gemeinde.flaeche_km2, 2),
            "flaeche_geometrie_km2": round(land, 2),
            "abweichung_km2": round(abweichung, 2),
            "geprueft": abs(abweichung) <= toleranz_km2(gemeinde.flaeche_km2),
            "zusammenhaengend": not _inseln(set(teile) - {teile[0]}, {teile[0]}, nachbarn),
        }
        abgeglichen.append(eintrag)
        if not eintrag["geprueft"]:
            offen.append({"art": "Fläche weicht ab", "ags": ags, "name": gemeinde.name,
                          "grund": (f"Fläche der Vorgänger {_km2(land)} statt {_km2(gemeinde.flaeche_km2)} "
                                    "laut Gemeindeverzeichnis")})
    offen.sort(key=lambda e: (e["ags"], e["art"]))
    return Ergebnis(zuordnung, abgeglichen, offen)


def _km2(wert: float) -> str:
    return f"{wert:,.1f} km²".replace(",", "X").replace(".", ",").replace("X", ".")


def _gruppen(waisen: set[str], nachbarn: dict[str, set[str]]) -> Iterator[set[str]]:
    """Connected groups of Waisen (adjacent to each other), in a stable order."""
    rest = set(waisen)
    for start in sorted(waisen):
        if start not in rest:
            continue
        gruppe, stapel = set(), [start]
        while stapel:
            f = stapel.pop()
            if f in gruppe:
                continue
            gruppe.add(f)
            stapel.extend(n for n in nachbarn.get(f, ()) if n in rest and n not in gruppe)
        rest -= gruppe
        yield gruppe


def _cluster(waisen, nachbarn, besitzer, gemeinden, flaechen, gleiche_region):
    """Groups of Waisen with the Gemeinden each Waise may go to; groups that share a
    candidate Gemeinde form one cluster (its area has to be right for both)."""
    gruppen = list(_gruppen(waisen, nachbarn))
    kandidaten: dict[str, set[str]] = {}
    for gruppe in gruppen:
        angrenzend = {besitzer[n] for f in gruppe for n in nachbarn.get(f, ()) if n in besitzer}
        for f in gruppe:
            kandidaten[f] = {g for g in angrenzend
                             if gleiche_region(g, f) and _abstand_km(gemeinden[g], flaechen[f])
                             <= MAX_ABSTAND_KM}
    # union-find over groups sharing a candidate
    eltern = list(range(len(gruppen)))

    def wurzel(i: int) -> int:
        while eltern[i] != i:
            eltern[i] = eltern[eltern[i]]
            i = eltern[i]
        return i

    erste: dict[str, int] = {}
    for i, gruppe in enumerate(gruppen):
        for g in sorted({g for f in gruppe for g in kandidaten[f]}):
            if g in erste:
                eltern[wurzel(i)] = wurzel(erste[g])
            else:
                erste[g] = i
    cluster: dict[int, set[str]] = defaultdict(set)
    for i, gruppe in enumerate(gruppen):
        cluster[wurzel(i)] |= gruppe
    for teil in sorted(cluster.values(), key=min):
        yield teil, {f: kandidaten[f] for f in teil}


def _weitere_kandidaten(cluster, kandidaten, nachbarn, besitzer, gemeinden, flaechen,
                        gleiche_region):
    """Candidates for the second pass: also the owners of polygons two steps away."""
    weiter = {}
    for f in cluster:
        nah = set(nachbarn.get(f, ())) | {m for n in nachbarn.get(f, ()) for m in nachbarn.get(n, ())}
        weiter[f] = set(kandidaten[f]) | {
            besitzer[n] for n in nah if n in besitzer and gleiche_region(besitzer[n], f)
            and _abstand_km(gemeinden[besitzer[n]], flaechen[f]) <= MAX_ABSTAND_KM}
    return weiter


def _fehlpassungen(loesung, besitzer, gemeinden, flaechen) -> int:
    """How many of the Gemeinden that receive a share end up outside the tolerance."""
    alle = dict(besitzer) | loesung
    teile = defaultdict(list)
    for f, g in alle.items():
        teile[g].append(flaechen[f])
    anzahl = 0
    for g in set(loesung.values()):
        land = sum(f.land_km2 for f in teile[g])
        wasser = sum(f.wasser_km2 for f in teile[g])
        abweichung = abweichung_km2(gemeinden[g].flaeche_km2, land, wasser)
        anzahl += abs(abweichung) > toleranz_km2(gemeinden[g].flaeche_km2)
    return anzahl


def _abstand_km(gemeinde: Gemeinde, flaeche: Flaeche) -> float:
    if gemeinde.x is None or gemeinde.y is None:
        return 0.0
    return ((gemeinde.x - flaeche.x) ** 2 + (gemeinde.y - flaeche.y) ** 2) ** 0.5 / 1000


def _verteilen(cluster, kandidaten, gemeinden, flaechen, nachbarn, besitzer, aufschlag,
               zusammenhaengend: bool = True):
    """Optimal assignment of the cluster's Waisen: ({Waise: Gemeinde}, reason for the rest).

    ``zusammenhaengend``: every Gemeinde's share must be connected to its own polygons.
    """
    import numpy as np
    from scipy.optimize import Bounds, LinearConstraint, milp
    from scipy.sparse import lil_matrix

    ohne = sorted(f for f in cluster if not kandidaten[f])
    grund = "keine benachbarte Gemeinde im Gemeindeverzeichnis"
    waisen = sorted(f for f in cluster if kandidaten[f])
    if not waisen:
        return {}, grund
    ziele = sorted({g for f in waisen for g in kandidaten[f]})
    eigene = defaultdict(set)
    for f, g in besitzer.items():
        eigene[g].add(f)
    paare = [(f, g) for f in waisen for g in sorted(kandidaten[f])]
    n_x, n_z = len(paare), len(ziele)
    zi = {g: i for i, g in enumerate(ziele)}
    wi = {f: i for i, f in enumerate(waisen)}

    # variables: x (one per pair), then d+ and d- per Gemeinde
    kosten = np.zeros(n_x + 2 * n_z)
    for k, (f, g) in enumerate(paare):
        kosten[k] = KOSTEN_JE_KM * _abstand_km(gemeinden[g], flaechen[f]) + aufschlag(g, f)
    for g, i in zi.items():
        kosten[n_x + i] = kosten[n_x + n_z + i] = 1.0 / toleranz_km2(gemeinden[g].flaeche_km2)

    zeilen = lil_matrix((len(waisen) + n_z, n_x + 2 * n_z))
    unten, oben = [], []
    for k, (f, g) in enumerate(paare):
        zeilen[wi[f], k] = 1.0
        zeilen[len(waisen) + zi[g], k] = flaechen[f].land_km2
    unten += [1.0] * len(waisen)
    oben += [1.0] * len(waisen)
    for g, i in zi.items():
        zeilen[len(waisen) + i, n_x + i] = -1.0
        zeilen[len(waisen) + i, n_x + n_z + i] = 1.0
        rest = _soll_land(gemeinden[g], [flaechen[f] for f in eigene[g]])
        unten.append(rest)
        oben.append(rest)
    bedingungen = [LinearConstraint(zeilen.tocsr(), unten, oben)]
    ganzzahlig = np.r_[np.ones(n_x), np.zeros(2 * n_z)]
    grenzen = Bounds(np.zeros(n_x + 2 * n_z), np.r_[np.ones(n_x), np.full(2 * n_z, np.inf)])

    paar_index = {p: k for k, p in enumerate(paare)}
    for _ in range(MAX_SCHNITTE):
        ergebnis = milp(kosten, integrality=ganzzahlig, bounds=grenzen,
                        constraints=bedingungen, options={"time_limit": ZEITLIMIT_S})
        if ergebnis.x is None:
            return {}, "keine Aufteilung auf Nachbargemeinden gefunden"
        wahl = {f: g for (f, g), wert in zip(paare, ergebnis.x[:n_x], strict=False)
                if wert > 0.5}
        schnitte = []
        for g in ziele if zusammenhaengend else ():
            teil = {f for f, z in wahl.items() if z == g}
            for insel in _inseln(teil, eigene[g], nachbarn):
                rand = {n for f in insel for n in nachbarn.get(f, ())
                        if n not in insel and (n, g) in paar_index}
                zeile = np.zeros(n_x + 2 * n_z)
                for f in insel:
                    zeile[paar_index[(f, g)]] = 1.0
                for n in rand:
                    zeile[paar_index[(n, g)]] = -1.0
                schnitte.append((zeile, len(insel) - 1))
        if not schnitte:
            return wahl, grund if ohne else None
        matrix = np.array([z for z, _ in schnitte])
        bedingungen.append(LinearConstraint(matrix, -np.inf, [o for _, o in schnitte]))
    return {}, "keine zusammenhängende Aufteilung gefunden"


def _soll_land(gemeinde: Gemeinde, eigene: list[Flaeche]) -> float:
    """Land area the Gemeinde still lacks; where the register counts the water of its own
    polygons (closer to the register that way), that water is taken off the target."""
    land = sum(f.land_km2 for f in eigene)
    wasser = sum(f.wasser_km2 for f in eigene)
    soll = gemeinde.flaeche_km2
    if wasser and abs(land + wasser - soll) < abs(land - soll):
        soll -= wasser
    return soll - land


def _inseln(teil: set[str], eigene: set[str], nachbarn) -> list[set[str]]:
    """Parts of ``teil`` not connected to the Gemeinde's own polygons."""
    erreicht, stapel = set(), [f for f in teil if nachbarn.get(f, set()) & eigene]
    while stapel:
        f = stapel.pop()
        if f in erreicht:
            continue
        erreicht.add(f)
        stapel.extend(n for n in nachbarn.get(f, ()) if n in teil and n not in erreicht)
    rest = teil - erreicht
    return list(_gruppen(rest, nachbarn))
