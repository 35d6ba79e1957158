"""Demo EfA-Leistungen, their Vollzug in Niedersachsen, and Anbindungen per quarter.

Leistungen and their Vollzug in Niedersachsen come with every workspace (``kreis_data.efa.katalog``);
the demo invents their Reifegrad and adds ONE Kreis override for Landkreis Osnabrück: the
Ehrenamtskarte, which the Land table assigns to the Gemeinden, is issued by the
Kreisverwaltung (``KREIS_OVERRIDE``).

Anbindung rows (one per quarter):
- every responsible pair gets a row in every demo quarter: Gemeinde-level Leistungen for the 21
  Gemeinde-level Verwaltungen, Kreis-level Leistungen for the Kreisverwaltung only (responsibility
  after applying the Kreis override);
- non-responsible pairs get no row, with one exception: for the overridden Leistung each
  Gemeinde-level Verwaltung gets a row "nicht zuständig" with a remark, because the Land rule
  alone would make them responsible and the matrix should say why they are not.
Status only moves forward (nicht angebunden -> in Prüfung -> in Umsetzung -> live), live_seit is
the quarter of the go-live (a few pairs were live before the demo period). Gemeinde-level pairs
are simulated quarter by quarter; the chance to start grows when a neighbour is already live
and, for eWA, once the Kreis coordinates the roll-out. The Kreisverwaltung's services follow
the fixed ``KREIS_PLAN`` (it is ahead: 7 of 13 live in 2026-Q3). About half of the "nicht angebunden" rows name a
Hindernis, most often "kein FIT-Connect-Zustellpunkt" (the usual obstacle where FIT-Connect support
is "nein" or "unbekannt", never named where it is "ja"). Samtgemeinde Artland lags behind on purpose while its neighbour Bersenbrück is
ahead, so Artland has Nachnutzungs-Chancen in 2026-Q3.
"""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from kreis_data.demo.basis import ARTLAND, DEMO_QUARTALE, DemoKontext
from kreis_data.efa import katalog
from kreis_data.model import Anbindung, Leistung, LeistungVollzug

LAND_CODE = "03"

EWA = "Elektronische Wohnsitzanmeldung (eWA)"
ELFE = "ELFE – Geburtsurkunde (Lebenslage Geburt)"
GEWERBE = "Gewerbeanmeldung (Wirtschafts-Service-Portal.NRW)"
EHE = "Ehe Online (Anmeldung Eheschließung, Eheurkunde)"
WOHNGELD = "Wohngeld (Online-Antrag)"
FREISTELLUNG = "Genehmigungsfreistellung"
EHRENAMTSKARTE = "Ehrenamtskarte"

KREIS_OVERRIDE = (EHRENAMTSKARTE, "Kreis",
                  "Demo-Override (fiktiv): im Landkreis Osnabrück stellt die Kreisverwaltung die "
                  "Ehrenamtskarte zentral aus; abweichend von der Landesregel")
NICHT_ZUSTAENDIG_BEMERKUNG = "Vollzug im Landkreis bei der Kreisverwaltung (Kreis-Festlegung)"

# How attractive / mature a service is (0..1): drives how fast Verwaltungen connect.
BELIEBTHEIT = {
    EWA: 0.9, GEWERBE: 0.85, ELFE: 0.6, EHE: 0.5, WOHNGELD: 0.45, FREISTELLUNG: 0.35,
    "Wahlen (u. a. offene Wahlergebnisse – laut Quelle ein Informationsangebot, kein typischer EfA-Antragsdienst)": 0.3, "Fischereischein": 0.25,
    "Kfz-Zulassung (i-Kfz)": 0.95, "Führerscheinumtausch": 0.8, "BAföG Digital (Schüler-BAföG)": 0.7,
    "Digitale Baugenehmigung (vereinfachtes Verfahren, Bauvorbescheid)": 0.7,
}
STANDARD_BELIEBTHEIT = 0.5
STATUS = ("nicht angebunden", "in Prüfung", "in Umsetzung", "live")  # stage 0..3
FRUEHE_LIVE = ("2023-Q4", "2024-Q1", "2024-Q2", "2024-Q3", "2024-Q4")
# Hindernis weights: without FIT-Connect support the missing Zustellpunkt dominates.
HINDERNIS_GEWICHTE = {
    "kein FIT-Connect-Zustellpunkt": 60, "Schnittstelle zum Fachverfahren": 14, "Personal": 10,
    "Budget": 7, "Vertrag": 5, "sonstiges": 4,
}
SONSTIGES_BEMERKUNGEN = ("Ratsbeschluss steht aus", "Fachverfahren wird 2027 abgelöst",
                         "Abstimmung zum Nachnutzungsvertrag mit dem Land offen")
# Artland's fixed path: Leistung -> (in Prüfung ab, in Umsetzung ab, live ab); None = not reached.
ARTLAND_PLAN = {
    EWA: ("2024-Q4", "2025-Q1", "2025-Q2"),
    ELFE: ("2025-Q2", "2025-Q3", "2026-Q1"),
    GEWERBE: ("2025-Q4", "2026-Q2", None),
    EHE: ("2026-Q3", None, None),
}
# The Kreisverwaltung's Kreis-level services follow a fixed plan (same form as ARTLAND_PLAN).
KREIS_PLAN = {
    "Kfz-Zulassung (i-Kfz)": ("2023-Q3", "2023-Q4", "2024-Q2"),
    "BAföG Digital (Schüler-BAföG)": ("2024-Q2", "2024-Q3", "2024-Q4"),
    "Führerscheinumtausch": ("2024-Q3", "2024-Q4", "2025-Q1"),
    "Führerschein (Ersterteilung digital)": ("2024-Q4", "2025-Q1", "2025-Q3"),
    "Parkerleichterung für Menschen mit Behinderung": ("2025-Q1", "2025-Q2", "2025-Q4"),
    "Bewohnerparkausweis": ("2025-Q2", "2025-Q4", "2026-Q1"),
    "Einbürgerung (digitaler Antrag)": ("2025-Q3", "2026-Q1", "2026-Q3"),
    "Digitale Baugenehmigung (vereinfachtes Verfahren, Bauvorbescheid)": ("2025-Q2", "2025-Q3", None),
    "Aufenthaltstitel zur Erwerbstätigkeit": ("2025-Q3", "2026-Q1", None),
    "Ausnahmegenehmigung nach § 46 StVO / Parkausweis für Betriebe": ("2025-Q4", "2026-Q2", None),
    "Fahrerlaubnis zur Fahrgastbeförderung": ("2026-Q2", None, None),
    EHRENAMTSKARTE: ("2026-Q3", None, None),
    "Erlaubnis Bewachungsgewerbe": (None, None, None),
}
# Coordinated roll-outs: from this quarter on, starting is likelier for every Verwaltung.
KAMPAGNEN = {EWA: ("2025-Q2", 0.25)}
# Neighbour go-lives guaranteed for Leistungen Artland has not connected (reuse chances).
VORREITER_LIVE = {GEWERBE: "2025-Q1", WOHNGELD: "2025-Q3", EHE: "2025-Q4", FREISTELLUNG: "2026-Q2"}


@dataclass
class Pfad:
    """Stage per quarter index and the quarter of the go-live."""

    stufen: list[int]
    live_seit: str | None = None


def _plan_pfad(pruefung: str | None, umsetzung: str | None, live: str | None) -> Pfad:
    stufen = []
    for quartal in DEMO_QUARTALE:
        stufe = 0
        for ab, wert in ((pruefung, 1), (umsetzung, 2), (live, 3)):
            if ab is not None and quartal >= ab:
                stufe = wert
        stufen.append(stufe)
    return Pfad(stufen, live if live is not None and live <= DEMO_QUARTALE[-1] else None)


def store_leistungen(session: Session, kontext: DemoKontext) -> dict[str, Leistung]:
    """Invented Reifegrade for the catalog the workspace already has, and the demo's one Kreis
    override of the Land's Vollzug; returns the Leistungen by name."""
    rng = kontext.rng("leistungen:reifegrad")
    leistungen = {row.name: row for row in session.scalars(select(Leistung))}
    namen = [row["leistung"] for row in katalog.leistungen_katalog()]
    modell_2_0 = set(rng.sample(sorted(namen), 3))
    for name in namen:
        if name in modell_2_0:
            modell, reifegrad = "2.0", rng.randint(3, 6)
        else:
            modell, reifegrad = "1.x", rng.choices((2, 3, 4), weights=(2, 5, 3))[0]
        leistungen[name].reifegrad, leistungen[name].reifegrad_modell = reifegrad, modell
    name, ebene, hinweis = KREIS_OVERRIDE
    session.add(LeistungVollzug(leistung_id=leistungen[name].id, land_code=LAND_CODE,
                                kreis_ags=kontext.kreis_ags, ebene=ebene, hinweis=hinweis,
                                grundlage="Annahme"))
    session.flush()
    return leistungen


def effektive_ebenen(session: Session, kontext: DemoKontext) -> dict[int, tuple[str, str]]:
    """Leistung id -> (ebene after the Kreis override, ebene by Land law)."""
    land, kreis = {}, {}
    for v in session.scalars(select(LeistungVollzug).where(LeistungVollzug.land_code == kontext.land_code)):
        if v.kreis_ags is None:
            land[v.leistung_id] = v.ebene
        elif v.kreis_ags == kontext.kreis_ags:
            kreis[v.leistung_id] = v.ebene
    return {lid: (kreis.get(lid, ebene), ebene) for lid, ebene in land.items()}


def _simuliere(kontext: DemoKontext, paare: list[tuple[str, str]]) -> dict[tuple[str, str], Pfad]:
    """Quarter by quarter: start, implement, go live; a live neighbour makes starting likelier."""
    rng = kontext.rng("leistungen:anbindung")
    pfade: dict[tuple[str, str], Pfad] = {}
    for key, name in paare:
        beliebt = BELIEBTHEIT.get(name, STANDARD_BELIEBTHEIT)
        reife = kontext.reife[key]
        r = rng.random()
        if r < beliebt * reife * 0.3:
            pfade[(key, name)] = Pfad([3], rng.choice(FRUEHE_LIVE))
        elif r < beliebt * reife * 0.3 + 0.1 * beliebt:
            pfade[(key, name)] = Pfad([2])
        elif r < beliebt * reife * 0.3 + 0.22 * beliebt:
            pfade[(key, name)] = Pfad([1])
        else:
            pfade[(key, name)] = Pfad([0])
    for t in range(1, len(DEMO_QUARTALE)):
        for key, name in paare:
            pfad = pfade[(key, name)]
            stufe = pfad.stufen[-1]
            reife = kontext.reife[key]
            if stufe == 0:
                beliebt = BELIEBTHEIT.get(name, STANDARD_BELIEBTHEIT)
                nachbar_live = any(pfade[(n, name)].stufen[t - 1] == 3
                                   for n in kontext.nachbarn[key] if (n, name) in pfade)
                p = 0.10 * beliebt * (0.5 + reife) + (0.18 if nachbar_live else 0.0)
                if name in KAMPAGNEN and DEMO_QUARTALE[t] >= KAMPAGNEN[name][0]:
                    p += KAMPAGNEN[name][1]
                stufe = 1 if rng.random() < p else 0
            elif stufe == 1:
                stufe = 2 if rng.random() < 0.5 else 1
            elif stufe == 2 and rng.random() < 0.35 + 0.25 * reife:
                stufe, pfad.live_seit = 3, DEMO_QUARTALE[t]
            pfad.stufen.append(stufe)
    return pfade


def _artland_geschichte(kontext: DemoKontext, pfade: dict[tuple[str, str], Pfad],
                        gemeinde_leistungen: list[str]) -> None:
    for name in gemeinde_leistungen:
        pfade[(ARTLAND, name)] = _plan_pfad(*ARTLAND_PLAN.get(name, (None, None, None)))
    nachbarn = [n for n in kontext.nachbarn[ARTLAND] if n in kontext.kontakte]
    vorreiter = max(nachbarn, key=lambda n: (kontext.reife[n], n))
    for name, live in VORREITER_LIVE.items():
        if any(pfade[(n, name)].stufen[-1] == 3 for n in kontext.nachbarn[ARTLAND]):
            continue
        index = DEMO_QUARTALE.index(live)
        pruefung = DEMO_QUARTALE[max(0, index - 3)]
        umsetzung = DEMO_QUARTALE[max(0, index - 1)]
        pfade[(vorreiter, name)] = _plan_pfad(pruefung, umsetzung, live)


def build_anbindungen(session: Session, kontext: DemoKontext, leistungen: dict[str, Leistung],
                      standards: dict[tuple[str, str], str]) -> list[dict]:
    ebenen = effektive_ebenen(session, kontext)
    namen = sorted(leistungen)
    gemeinde_ebene = [n for n in namen if ebenen[leistungen[n].id][0] == "Gemeinde"]
    kreis_ebene = [n for n in namen if ebenen[leistungen[n].id][0] == "Kreis"]
    paare = [(k, n) for k in kontext.gemeinde_keys for n in gemeinde_ebene]
    paare += [(kontext.kreis_ags, n) for n in kreis_ebene]
    pfade = _simuliere(kontext, [(k, n) for k, n in paare if k != kontext.kreis_ags])
    for name in kreis_ebene:
        pfade[(kontext.kreis_ags, name)] = _plan_pfad(*KREIS_PLAN.get(name, (None, None, None)))
    _artland_geschichte(kontext, pfade, gemeinde_ebene)

    rng = kontext.rng("leistungen:hindernisse")
    rows = []
    for key, name in paare:
        pfad = pfade[(key, name)]
        hindernis = bemerkung_hindernis = None
        if rng.random() < 0.5:
            gewichte = {h: g for h, g in HINDERNIS_GEWICHTE.items()
                        if not (h == "kein FIT-Connect-Zustellpunkt"
                                and standards[(key, "FIT-Connect")] == "ja")}
            hindernis = rng.choices(sorted(gewichte), weights=[gewichte[h] for h in sorted(gewichte)])[0]
            if hindernis == "sonstiges":
                bemerkung_hindernis = rng.choice(SONSTIGES_BEMERKUNGEN)
        vorbild = None
        if pfad.live_seit and pfad.live_seit >= DEMO_QUARTALE[1]:
            t_live = DEMO_QUARTALE.index(pfad.live_seit)
            frueher = [n for n in kontext.nachbarn[key]
                       if (n, name) in pfade and pfade[(n, name)].stufen[t_live - 1] == 3]
            if frueher and rng.random() < 0.5:
                vorbild = kontext.name(rng.choice(frueher))
        for t, quartal in enumerate(DEMO_QUARTALE):
            stufe = pfad.stufen[t]
            bemerkung = None
            if stufe == 0:
                bemerkung = bemerkung_hindernis
            elif stufe == 3 and vorbild and quartal == pfad.live_seit:
                bemerkung = f"Nachnutzung nach Erfahrungsaustausch mit {vorbild}"
            rows.append({
                "verwaltung_key": key, "leistung_id": leistungen[name].id, "quartal": quartal,
                "status": STATUS[stufe], "live_seit": pfad.live_seit if stufe == 3 else None,
                "hindernis": hindernis if stufe == 0 else None, "bemerkung": bemerkung})
    for name in namen:
        effektiv, land = ebenen[leistungen[name].id]
        if effektiv == "Kreis" and land == "Gemeinde":
            for key in kontext.gemeinde_keys:
                for quartal in DEMO_QUARTALE:
                    rows.append({"verwaltung_key": key, "leistung_id": leistungen[name].id,
                                 "quartal": quartal, "status": "nicht zuständig",
                                 "live_seit": None, "hindernis": None,
                                 "bemerkung": NICHT_ZUSTAENDIG_BEMERKUNG})
    return rows


def store_anbindungen(session: Session, kontext: DemoKontext, leistungen: dict[str, Leistung],
                      standards: dict[tuple[str, str], str]) -> int:
    rows = build_anbindungen(session, kontext, leistungen, standards)
    session.execute(insert(Anbindung), rows)
    return len(rows)
