"""The Länder and the names of their Verwaltungen: the one owner of this vocabulary.

Which bodies run a Gemeinde's administration is Land law: Ämter in Schleswig-Holstein,
Brandenburg and Mecklenburg-Vorpommern, Samtgemeinden in Niedersachsen, Verbandsgemeinden in
Rheinland-Pfalz and Sachsen-Anhalt (and, since 2020, one in Brandenburg),
Verwaltungsgemeinschaften in Bayern, Sachsen and Thüringen, erfüllende Gemeinden in Thüringen,
Verwaltungsverbände in Sachsen, vereinbarte Verwaltungsgemeinschaften and
Gemeindeverwaltungsverbände in Baden-Württemberg. The Destatis Gemeindeverzeichnis codes them
as ``textkennzeichen`` 51-58 of its Gemeindeverband rows (satzart 50), and the same code means
different things in different Länder (54 and 56 in Baden-Württemberg vs. Sachsen), so the
mapping lives here, per Land. Every sentence that names Verwaltungsarten is built from here.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from kreis_data import formatting

KREISVERWALTUNG = "Kreisverwaltung"
KREISFREIE_STADT = "Kreisfreie Stadt"
STADTKREIS = "Stadtkreis"
STADT = "Stadt"
GEMEINDEFREIES_GEBIET = "Gemeindefreies Gebiet"

# Singular -> plural of every Verwaltungsart (and of the words used beside them).
MEHRZAHL = {
    "Amt": "Ämter",
    "Samtgemeinde": "Samtgemeinden",
    "Verbandsgemeinde": "Verbandsgemeinden",
    "Verwaltungsgemeinschaft": "Verwaltungsgemeinschaften",
    "Vereinbarte Verwaltungsgemeinschaft": "vereinbarte Verwaltungsgemeinschaften",
    "Gemeindeverwaltungsverband": "Gemeindeverwaltungsverbände",
    "Verwaltungsverband": "Verwaltungsverbände",
    "Erfüllende Gemeinde": "erfüllende Gemeinden",
    "Kirchspielslandgemeinde": "Kirchspielslandgemeinden",
    "Einheitsgemeinde": "Einheitsgemeinden",
    "Amtsfreie Gemeinde": "amtsfreie Gemeinden",
    "Verbandsfreie Gemeinde": "verbandsfreie Gemeinden",
    "Gemeinde": "Gemeinden",
    STADT: "Städte",
    KREISFREIE_STADT: "kreisfreie Städte",
    STADTKREIS: "Stadtkreise",
    KREISVERWALTUNG: "Kreisverwaltungen",
    "Verwaltung": "Verwaltungen",
    GEMEINDEFREIES_GEBIET: "gemeindefreie Gebiete",
}


@dataclass(frozen=True)
class Land:
    """One Land: its name and how its Verwaltungen are called."""

    code: str  # "03"
    name: str  # "Niedersachsen"
    kurz: str  # "NI"
    stadtstaat: bool = False
    # Gemeindeverzeichnis textkennzeichen (satzart 50) -> Verwaltungsart with several members
    verbaende: dict[str, str] = field(default_factory=dict)
    # what a Gemeinde that runs its own administration (and is no Stadt) is called here
    einzelgemeinde: str = "Einheitsgemeinde"

    @property
    def verbandsarten(self) -> tuple[str, ...]:
        """The multi-member Verwaltungsarten of this Land, in the order of their codes."""
        return tuple(dict.fromkeys(self.verbaende[k] for k in sorted(self.verbaende)))


LAENDER: dict[str, Land] = {land.code: land for land in (
    Land("01", "Schleswig-Holstein", "SH",
         verbaende={"51": "Amt", "55": "Kirchspielslandgemeinde"},
         einzelgemeinde="Amtsfreie Gemeinde"),
    Land("02", "Hamburg", "HH", stadtstaat=True),
    Land("03", "Niedersachsen", "NI", verbaende={"52": "Samtgemeinde"}),
    Land("04", "Bremen", "HB", stadtstaat=True),
    Land("05", "Nordrhein-Westfalen", "NW", einzelgemeinde="Gemeinde"),
    Land("06", "Hessen", "HE", einzelgemeinde="Gemeinde"),
    Land("07", "Rheinland-Pfalz", "RP", verbaende={"53": "Verbandsgemeinde"},
         einzelgemeinde="Verbandsfreie Gemeinde"),
    Land("08", "Baden-Württemberg", "BW",
         verbaende={"54": "Vereinbarte Verwaltungsgemeinschaft",
                    "56": "Gemeindeverwaltungsverband"}),
    Land("09", "Bayern", "BY", verbaende={"54": "Verwaltungsgemeinschaft"}),
    Land("10", "Saarland", "SL", einzelgemeinde="Gemeinde"),
    Land("11", "Berlin", "BE", stadtstaat=True),
    Land("12", "Brandenburg", "BB", verbaende={"51": "Amt", "53": "Verbandsgemeinde"},
         einzelgemeinde="Amtsfreie Gemeinde"),
    Land("13", "Mecklenburg-Vorpommern", "MV", verbaende={"51": "Amt"},
         einzelgemeinde="Amtsfreie Gemeinde"),
    Land("14", "Sachsen", "SN",
         verbaende={"54": "Verwaltungsgemeinschaft", "56": "Verwaltungsverband"}),
    Land("15", "Sachsen-Anhalt", "ST", verbaende={"53": "Verbandsgemeinde"},
         einzelgemeinde="Verbandsfreie Gemeinde"),
    Land("16", "Thüringen", "TH",
         verbaende={"54": "Verwaltungsgemeinschaft", "58": "Erfüllende Gemeinde"}),
)}
STADTSTAATEN = tuple(code for code, land in LAENDER.items() if land.stadtstaat)
FLAECHENLAENDER = tuple(code for code, land in LAENDER.items() if not land.stadtstaat)

# Every Verwaltungsart any Land knows, plus the Kreis level: for validation and legends.
VERWALTUNGSARTEN: tuple[str, ...] = tuple(dict.fromkeys(
    [STADT, *(land.einzelgemeinde for land in LAENDER.values()),
     *(art for land in LAENDER.values() for art in land.verbandsarten),
     KREISFREIE_STADT, STADTKREIS, KREISVERWALTUNG]))

# Words a Gemeindeverband name carries in the Gemeindeverzeichnis that the Verwaltungsart
# already says: "Emmerting (VGem)", "VVG der Stadt Herrenberg", "GVV Oberes Gäu", "Amt Lütjenburg".
_NAMENSZUSAETZE = (
    re.compile(r"\s*\(VGem\)$"),
    re.compile(r"^VVG der (?:Stadt|Gemeinde) "),
    re.compile(r"^GVV "),
    re.compile(r"^Amt (?=\S)"),
)


def land(code: str) -> Land:
    """The Land with this 2-digit code; ValueError (German) for an unknown code."""
    try:
        return LAENDER[code]
    except KeyError:
        raise ValueError(f"Unbekannter Landesschlüssel {code!r}: erlaubt sind 01 bis 16.") from None


def verbandsart(land_code: str, textkennzeichen: str) -> str | None:
    """The Verwaltungsart of a Gemeindeverband code in this Land (None: not a Verband here)."""
    return land(land_code).verbaende.get(textkennzeichen)


def einzelverwaltung_art(land_code: str, ist_stadt: bool) -> str:
    """The Verwaltungsart of a Gemeinde that runs its own administration."""
    return STADT if ist_stadt else land(land_code).einzelgemeinde


def verbandsname(raw: str) -> str:
    """A Gemeindeverband's name without the abbreviation of its kind ("Emmerting (VGem)")."""
    name = " ".join(raw.split())
    for muster in _NAMENSZUSAETZE:
        name = muster.sub("", name)
    return name


def vollzugsebenen(art: str) -> tuple[str, ...]:
    """Which levels a Verwaltung of this kind executes: the Kreisverwaltung the Kreis level,
    a kreisfreie Stadt both, every other Verwaltung the Gemeinde level."""
    if art == KREISVERWALTUNG:
        return ("Kreis",)
    if art in (KREISFREIE_STADT, STADTKREIS):
        return ("Gemeinde", "Kreis")
    return ("Gemeinde",)


def mehrzahl(art: str) -> str:
    return MEHRZAHL.get(art, art)


def anzahl(n: int, einzahl: str, mehrzahl_: str | None = None) -> str:
    """ "1 Amt", "3 Ämter", "34 Gemeinden" (formatting.anzahl with the Verwaltungsarten)."""
    return formatting.anzahl(n, einzahl, mehrzahl_ or mehrzahl(einzahl))


def aufzaehlung(woerter: Iterable[str], und: str = "und") -> str:
    """ "A", "A und B", "A, B und C"."""
    liste = [w for w in woerter if w]
    if len(liste) <= 1:
        return "".join(liste)
    return f"{', '.join(liste[:-1])} {und} {liste[-1]}"


def arten_mehrzahl(arten: Iterable[str]) -> str:
    """ "Einheitsgemeinden, Städte und Samtgemeinden" for the Verwaltungsarten present."""
    return aufzaehlung(mehrzahl(a) for a in dict.fromkeys(arten))


def verwaltung_bezeichnung(name: str, art: str) -> str:
    """ "Artland (Samtgemeinde)"; a name that already says what it is stays as it is."""
    if art in (KREISVERWALTUNG, "") or art.split()[-1].lower() in name.lower():
        return name
    return f"{name} ({art})"


def mitglieder_satz(verbandsarten: Iterable[str]) -> str:
    """How the map colours member Gemeinden, in the words of the Verwaltungsarten present.

    "Alle Mitgliedsgemeinden einer Samtgemeinde tragen den Wert ihrer gemeinsamen Verwaltung." –
    or, where every Gemeinde runs its own administration, a sentence that names no Verband.
    """
    arten = list(dict.fromkeys(verbandsarten))
    if not arten:
        return "Jede Gemeinde führt ihre Verwaltung selbst und trägt ihren eigenen Wert."
    return (f"Alle Mitgliedsgemeinden {aufzaehlung((mit_artikel(a) for a in arten), 'oder')} "
            "tragen den Wert ihrer gemeinsamen Verwaltung.")


def mit_artikel(art: str) -> str:
    """Genitive with indefinite article: "einer Samtgemeinde", "eines Amtes"."""
    return _GENITIV.get(art, f"einer {art}")


_GENITIV = {
    "Amt": "eines Amtes",
    "Gemeindeverwaltungsverband": "eines Gemeindeverwaltungsverbands",
    "Verwaltungsverband": "eines Verwaltungsverbands",
    "Vereinbarte Verwaltungsgemeinschaft": "einer vereinbarten Verwaltungsgemeinschaft",
    "Erfüllende Gemeinde": "einer erfüllenden Gemeinde",
}


@dataclass(frozen=True)
class Gebiet:
    """What a workspace's Kreis is, in words: the sentences every page uses to name its
    Verwaltungen. Built by ``queries.gebiet`` from the Verwaltungen actually present."""

    kreis_name: str
    land_code: str
    kreisfrei: bool
    verwaltungsarten: tuple[str, ...]  # of the Gemeinde level, in vocabulary order
    anzahl_verwaltungen: int  # of the Gemeinde level
    gebietsstand: str = ""  # "Grenzen: VG250 Stand …, angepasst an …"
    gemeindefreie_gebiete: int = 0

    @property
    def verbandsarten(self) -> tuple[str, ...]:
        mehrere = set(land(self.land_code).verbandsarten) if self.land_code in LAENDER else set()
        return tuple(a for a in self.verwaltungsarten if a in mehrere)

    @property
    def arten_text(self) -> str:
        """ "Einheitsgemeinden, Städte und Samtgemeinden" (what is present)."""
        return arten_mehrzahl(self.verwaltungsarten)

    @property
    def anteil_basis(self) -> str:
        """What every share on the Lagebild is counted over."""
        if self.kreisfrei:
            return (f"{self.kreis_name} ist kreisfrei: eine Verwaltung für die Aufgaben der "
                    "Gemeinde und des Kreises; Anteile beziehen sich auf sie.")
        return (f"Anteile beziehen sich auf die {anzahl(self.anzahl_verwaltungen, 'Verwaltung')} "
                f"der Gemeinden ({self.arten_text}), ohne die Kreisverwaltung.")

    @property
    def mitglieder_satz(self) -> str:
        if self.kreisfrei:
            return "Die Stadt ist eine Gemeinde mit einer Verwaltung."
        return mitglieder_satz(self.verbandsarten)

    @property
    def hat_kreisverwaltung(self) -> bool:
        return not self.kreisfrei

    @property
    def zustaendigkeit_satz(self) -> str:
        if self.kreisfrei:
            return "Die Stadt vollzieht Leistungen der Gemeinde- und der Kreisebene selbst."
        return "Leistungen der Kreisebene schuldet allein die Kreisverwaltung."

    @property
    def quote_basis(self) -> str:
        """What the Kreis-wide EfA-Quote is counted over."""
        return ("über alle Leistungen der Stadtverwaltung" if self.kreisfrei
                else "über alle Verwaltungen einschließlich der Kreisverwaltung")

    @property
    def bewertung_gehoert(self) -> str:
        """Methodik: whose value a Bewertung is."""
        arten = aufzaehlung((a for a in self.verwaltungsarten), "oder")
        return (f"Die Bewertung gehört der **Verwaltung** ({arten}). {self.mitglieder_satz}"
                if not self.kreisfrei else
                f"Die Bewertung gehört der **Verwaltung** der Stadt. {self.mitglieder_satz}")


VERWALTUNGSARTEN_REIHENFOLGE = {art: i for i, art in enumerate(VERWALTUNGSARTEN)}


def sortierte_arten(arten) -> tuple[str, ...]:
    return tuple(sorted(set(arten), key=lambda a: (VERWALTUNGSARTEN_REIHENFOLGE.get(a, 99), a)))
