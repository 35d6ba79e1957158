"""Shared facts for the demo generators: the Verwaltungen of the workspace, their neighbours,
an invented "Reife" (how far along a Verwaltung is), contact persons and deterministic random
numbers.

Determinism: every generator asks ``kontext.rng("thema")`` for its own ``random.Random``,
seeded with the text ``"<seed>:<thema>"`` (string seeds are hashed with SHA-512, independent of
PYTHONHASHSEED). Generators iterate in sorted key order and never read the clock, so the same
seed always gives the same database content, and changing one generator does not reshuffle
the others.
"""
from __future__ import annotations

import math
import random
import unicodedata
from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from kreis_data.model import Gemeinde, Kreis, Nachbarschaft, Verwaltung
from kreis_data.quartal import Quartal, quartal_range

DEMO_QUARTALE: tuple[str, ...] = tuple(str(q) for q in quartal_range("2024-Q4", "2026-Q3"))
JETZT = Quartal.parse(DEMO_QUARTALE[-1])  # "now" of the demo story: 2026-Q3

# Verwaltungen that play a role in the demo story (keys of Landkreis Osnabrück, 03459).
MELLE = "034590024"
GEORGSMARIENHUETTE = "034590019"
BRAMSCHE = "034590014"
WALLENHORST = "034590033"
BELM = "034590008"
BAD_LAER = "034590005"
BOHMTE = "034590013"
HASBERGEN = "034590021"
GLANDORF = "034590034"
ARTLAND = "034595401"
BERSENBRUECK = "034595402"
FUERSTENAU = "034595403"
NEUENKIRCHEN = "034595404"

OHNE_KONTAKT = (GLANDORF, FUERSTENAU)  # deliberately without Digitalisierungsbeauftragte*r
GROSSE_STAEDTE = (MELLE, GEORGSMARIENHUETTE, BRAMSCHE, WALLENHORST)
KREIS_REDAKTION = "Kreis-Redaktion"


@dataclass(frozen=True)
class Person:
    vorname: str
    nachname: str
    weiblich: bool

    @property
    def name(self) -> str:
        return f"{self.vorname} {self.nachname}"

    def email(self, domain: str) -> str:
        return f"{slug(self.vorname, '')}.{slug(self.nachname, '')}@{domain}"


@dataclass(frozen=True)
class VerwaltungInfo:
    key: str
    name: str
    typ: str
    einwohner: int

    @property
    def ist_kreisverwaltung(self) -> bool:
        return self.typ == "Kreisverwaltung"


@dataclass
class DemoKontext:
    seed: int
    kreis_ags: str
    kreis_name: str
    land_code: str
    verwaltungen: dict[str, VerwaltungInfo]  # sorted by key
    nachbarn: dict[str, tuple[str, ...]]
    reife: dict[str, float] = field(default_factory=dict)  # 0..1, invented
    kontakte: dict[str, Person] = field(default_factory=dict)
    personen: dict[str, Person] = field(default_factory=dict)  # further invented people by role

    def rng(self, thema: str) -> random.Random:
        return random.Random(f"{self.seed}:{thema}")

    @property
    def keys(self) -> list[str]:
        return sorted(self.verwaltungen)

    @property
    def gemeinde_keys(self) -> list[str]:
        """The Verwaltungen of the Gemeinde level (everything but the Kreisverwaltung)."""
        return [k for k in self.keys if not self.verwaltungen[k].ist_kreisverwaltung]

    def name(self, key: str) -> str:
        return self.verwaltungen[key].name

    def domain(self, key: str) -> str:
        info = self.verwaltungen[key]
        if info.ist_kreisverwaltung:
            return f"{slug(self.kreis_name)}.example.org"
        prefix = {"Samtgemeinde": "sg-", "Stadt": "stadt-"}.get(info.typ, "gemeinde-")
        return f"{prefix}{slug(info.name)}.example.org"

    def kontakt_name(self, key: str) -> str | None:
        person = self.kontakte.get(key)
        return person.name if person else None


def slug(text: str, separator: str = "-") -> str:
    """ASCII slug for e-mail addresses: "Georgsmarienhütte" -> "georgsmarienhuette"."""
    text = text.lower()
    for umlaut, ersatz in (("ä", "ae"), ("ö", "oe"), ("ü", "ue"), ("ß", "ss")):
        text = text.replace(umlaut, ersatz)
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    woerter = "".join(c if c.isalnum() else " " for c in text).split()
    return separator.join(woerter)


def load_kontext(session: Session, seed: int) -> DemoKontext:
    kreis = session.scalar(select(Kreis))
    einwohner = dict(session.execute(
        select(Gemeinde.verwaltung_key, func.sum(Gemeinde.einwohner))
        .group_by(Gemeinde.verwaltung_key)).all())
    gesamt = sum(einwohner.values())
    verwaltungen = {}
    for v in session.scalars(select(Verwaltung).order_by(Verwaltung.key)):
        ew = gesamt if v.ist_kreisverwaltung else int(einwohner.get(v.key, 0))
        verwaltungen[v.key] = VerwaltungInfo(v.key, v.name, v.typ, ew)
    nachbarn: dict[str, set[str]] = {k: set() for k in verwaltungen}
    for paar in session.scalars(select(Nachbarschaft)):
        nachbarn[paar.verwaltung_a].add(paar.verwaltung_b)
        nachbarn[paar.verwaltung_b].add(paar.verwaltung_a)
    kontext = DemoKontext(
        seed=seed, kreis_ags=kreis.ags, kreis_name=kreis.name, land_code=kreis.land_code,
        verwaltungen=verwaltungen, nachbarn={k: tuple(sorted(v)) for k, v in nachbarn.items()})
    kontext.reife = _reife(kontext)
    return kontext


def _reife(kontext: DemoKontext) -> dict[str, float]:
    """Invented maturity 0..1: larger towns further along, the Kreisverwaltung ahead."""
    rng = kontext.rng("reife")
    gemeinde_ew = [kontext.verwaltungen[k].einwohner for k in kontext.gemeinde_keys]
    low, high = math.log(min(gemeinde_ew)), math.log(max(gemeinde_ew))
    reife = {}
    for key in kontext.keys:
        info = kontext.verwaltungen[key]
        if info.ist_kreisverwaltung:
            reife[key] = 0.86
            continue
        groesse = (math.log(info.einwohner) - low) / (high - low) if high > low else 0.5
        wert = 0.3 + 0.35 * groesse + rng.uniform(-0.12, 0.12)
        if key in GROSSE_STAEDTE:
            wert += 0.12
        if key == GLANDORF:
            wert -= 0.08
        if key == ARTLAND:  # middle of the field, lagging behind with EfA (see leistungen)
            wert -= 0.1
        reife[key] = min(0.85, max(0.1, wert))
    return reife
