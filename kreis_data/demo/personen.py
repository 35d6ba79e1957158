"""Invented people: one Digitalisierungsbeauftragte*r per Verwaltung (except two deliberate gaps)
and a few further roles used by Bewertungen, Kooperationen, Maßnahmen and Sitzungen.

Names are random combinations of common first names and surnames, e-mail addresses end in
``.example.org`` and telephone numbers use the prefix +49 5400, which is not an assigned area
code (the Osnabrück codes are 0541 and 05401-05409), so no real line is meant.
"""
from __future__ import annotations

from sqlalchemy.orm import Session

from kreis_data.demo.basis import FUERSTENAU, GLANDORF, OHNE_KONTAKT, DemoKontext, Person
from kreis_data.model import Kontakt

VORNAMEN_W = ("Anna", "Birgit", "Claudia", "Daniela", "Eva", "Franziska", "Hanna", "Ines",
              "Julia", "Katrin", "Lena", "Miriam", "Nadine", "Petra", "Sabine", "Tanja", "Ulrike",
              "Vera", "Wiebke", "Maren")
VORNAMEN_M = ("Andreas", "Bernd", "Christian", "Dirk", "Elias", "Frank", "Georg", "Holger", "Jan",
              "Jens", "Kai", "Lars", "Markus", "Niklas", "Olaf", "Peter", "Ralf", "Stefan",
              "Tobias", "Hendrik")
NACHNAMEN = ("Ahlers", "Averbeck", "Böckmann", "Brinkmann", "Bünker", "Dreier", "Eilers", "Focke",
             "Grothaus", "Hackmann", "Heitmann", "Jansing", "Kampmann", "Klausing", "Lampe",
             "Lüdeke", "Möller", "Niemann", "Nordhoff", "Ostendorf", "Pohlmann", "Rehling",
             "Rolfes", "Sandkühler", "Schwegmann", "Strotmann", "Tepe", "Thöle", "Tiemann",
             "Uphoff", "Vornholt", "Wellmann", "Wessels", "Imwalle", "Kleinschmidt", "Große Kettler")

# Further roles (key -> description); the key is used by the other generators.
WEITERE_ROLLEN = (
    "kreis_it",  # IT-Leitung der Kreisverwaltung
    "kreis_finanzen",  # Kämmerei / Finanzen des Kreises
    "kreis_stabsstelle",  # Stabsstelle Digitalisierung (Kreis-Redaktion)
    "glandorf_hauptamt",  # Hauptamt Glandorf (fills in the forms, no Beauftragte*r)
    "fuerstenau_hauptamt",  # Hauptamt Fürstenau since the post fell vacant
    "fuerstenau_frueher",  # former Digitalisierungsbeauftragte*r of Fürstenau (until 2025)
    "hochschule",  # contact at the partner Hochschule
    "leader",  # LEADER-Regionalmanagement
)


def assign_personen(kontext: DemoKontext) -> None:
    """Fill kontext.kontakte (all Verwaltungen but the two gaps) and kontext.personen."""
    rng = kontext.rng("personen")
    vornamen = [(v, True) for v in VORNAMEN_W] + [(v, False) for v in VORNAMEN_M]
    rng.shuffle(vornamen)
    nachnamen = list(NACHNAMEN)
    rng.shuffle(nachnamen)
    benoetigt = len(kontext.keys) + len(WEITERE_ROLLEN)
    if benoetigt > min(len(vornamen), len(nachnamen)):
        raise RuntimeError("Namensvorrat für Demo-Personen zu klein")
    personen = iter(Person(v, n, w) for (v, w), n in zip(vornamen, nachnamen, strict=False))
    for key in kontext.keys:
        if key in OHNE_KONTAKT:
            continue
        kontext.kontakte[key] = next(personen)
    for rolle in WEITERE_ROLLEN:
        kontext.personen[rolle] = next(personen)


def erfasser(kontext: DemoKontext, key: str, quartal: str) -> str:
    """Who filled in a Verwaltung's self-assessment in a quarter."""
    if key == GLANDORF:
        return f"{kontext.personen['glandorf_hauptamt'].name} (Hauptamt)"
    if key == FUERSTENAU:
        if quartal < "2026-Q1":
            return kontext.personen["fuerstenau_frueher"].name
        return f"{kontext.personen['fuerstenau_hauptamt'].name} (Hauptamt)"
    return kontext.kontakte[key].name


def rolle(person: Person, kreis: bool = False) -> str:
    basis = "Digitalisierungsbeauftragte" if person.weiblich else "Digitalisierungsbeauftragter"
    return f"{basis} des Landkreises (CDO)" if kreis else basis


def store_kontakte(session: Session, kontext: DemoKontext) -> None:
    rng = kontext.rng("telefon")
    for key in kontext.keys:
        person = kontext.kontakte.get(key)
        if person is None:
            continue
        nummer = f"+49 5400 {rng.randint(100, 989)}-{rng.randint(10, 99)}"
        session.add(Kontakt(
            verwaltung_key=key, name=person.name,
            rolle=rolle(person, kontext.verwaltungen[key].ist_kreisverwaltung),
            email=person.email(kontext.domain(key)), telefon=nummer))
