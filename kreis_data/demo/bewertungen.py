"""Demo Bewertungen: every Verwaltung (incl. the Kreisverwaltung) x Merkmal x demo quarter.

How the values come about:
- The 2026-Q3 Stufe of each Merkmal follows a fixed target distribution over the 22
  Verwaltungen (loosely calibrated to reference/bundesvergleich.csv, years later and hence
  further along), handed out by a noisy ranking of the invented "Reife" (larger towns and the
  Kreisverwaltung ahead).
- Going back in time, the value drops by 0-3 Stufen, one step per quarter at most; a few
  Verwaltungen stall, a few values dip by one for a quarter.
- Story for later features: Bad Laer did not update anything in 2026-Q3 and Samtgemeinde
  Neuenkirchen only part of it (rows copied from 2026-Q2 with the old Stand); two values fall
  back between 2026-Q2 and 2026-Q3; the Digitalisierungsbeauftragte*r post is empty in
  Glandorf (always) and Fürstenau (since 2026-Q1).
- "keine Angabe" (Stufe None) for about 4 % of the values, more in early quarters, never more
  than four Merkmale of one Verwaltung in one quarter.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy import insert
from sqlalchemy.orm import Session

from kreis_data import scales
from kreis_data.demo.basis import (
    BAD_LAER,
    DEMO_QUARTALE,
    FUERSTENAU,
    GLANDORF,
    KREIS_REDAKTION,
    NEUENKIRCHEN,
    OHNE_KONTAKT,
    DemoKontext,
)
from kreis_data.demo.personen import erfasser
from kreis_data.model import Bewertung
from kreis_data.quartal import Quartal


@dataclass(frozen=True)
class DemoMerkmal:
    """The fictitious demo values of one Merkmal: share of Verwaltungen per Stufe 0..4 in
    2026-Q3 (art "stufe") and remarks on steps up (by Stufe reached) and back."""

    verteilung: tuple[float, ...]
    aufstieg: dict[int, str] = field(default_factory=dict)
    rueckfall: str = "Rückstufung nach Verfahrenswechsel"


# One entry per Merkmal of scales.STANDARD_MERKMALE, except the two ja/nein Merkmale with their
# own stories in _ja_nein_verlaeufe (a further ja/nein Merkmal: verteilung = (nein, ja)).
JA_NEIN_GESCHICHTEN = ("digitalisierungsbeauftragte", "digitallotsen")
DEMO_MERKMALE: dict[str, DemoMerkmal] = {
    "e_akte": DemoMerkmal(
        verteilung=(0.0, 0.05, 0.27, 0.5, 0.18),
        aufstieg={
            2: "Pilotbereich Bauamt gestartet",
            3: "Einführung im Bürgerbüro und Ordnungsamt",
            4: "Einführung in allen Fachverfahren abgeschlossen",
        },
        rueckfall="Rückstufung: Fachverfahren gewechselt, E-Akte dort noch nicht wieder angebunden"),
    "online_portal": DemoMerkmal(
        verteilung=(0.0, 0.0, 0.12, 0.63, 0.25),
        aufstieg={
            3: "erste Online-Anträge über das Portal",
            4: "BundID und E-Payment angebunden",
        },
        rueckfall="Rückstufung: Portal nach Anbieterwechsel nur eingeschränkt verfügbar"),
    "strategie": DemoMerkmal(
        verteilung=(0.09, 0.18, 0.27, 0.32, 0.14),
        aufstieg={
            2: "Arbeitsgruppe Strategie eingesetzt",
            3: "Ratsbeschluss zur Digitalisierungsstrategie",
            4: "erster Fortschrittsbericht an den Rat",
        },
        rueckfall="Rückstufung: Fortschreibung ausgesetzt"),
    "e_rechnung": DemoMerkmal(
        verteilung=(0.0, 0.05, 0.14, 0.5, 0.31),
        aufstieg={
            3: "XRechnung-Empfang über die Plattform des IT-Dienstleisters",
            4: "Rechnungsworkflow ohne Ausdruck",
        },
        rueckfall="Rückstufung: Workflow nach Softwareupdate wieder mit Medienbruch"),
    "e_vergabe": DemoMerkmal(
        verteilung=(0.0, 0.05, 0.18, 0.41, 0.36),
        aufstieg={
            3: "Vergabeplattform für Bauleistungen",
            4: "alle Vergaben elektronisch",
        },
        rueckfall="Rückstufung: Vergabeplattform gekündigt, Nachfolge in Ausschreibung"),
    "scannen": DemoMerkmal(
        verteilung=(0.0, 0.09, 0.32, 0.45, 0.14),
        aufstieg={
            3: "Scanstelle im Bürgerbüro",
            4: "zentraler Posteingang eingerichtet",
        },
        rueckfall="Rückstufung: Scanstelle wegen Personalmangel nur teilweise besetzt"),
    "schnittstellen": DemoMerkmal(
        verteilung=(0.05, 0.18, 0.36, 0.32, 0.09),
        aufstieg={
            # level-neutral: XPersonenstand only concerns Standesämter (Gemeinde level)
            3: "XÖV-Anbindungen der Fachverfahren geprüft",
            4: "XÖV-Schnittstellen dokumentiert",
        },
        rueckfall="Rückstufung: Schnittstelle nach Verfahrenswechsel neu einzurichten"),
    "it_sicherheit": DemoMerkmal(
        verteilung=(0.0, 0.09, 0.36, 0.41, 0.14),
        aufstieg={
            2: "Informationssicherheitsbeauftragte*r benannt",
            3: "ISMS nach BSI-Grundschutz eingeführt",
            4: "erstes internes Audit durchgeführt",
        },
        rueckfall="Rückstufung: ISMS-Beauftragte*r ausgeschieden, Neubesetzung läuft"),
}
# Score adjustments in the ranking: the Kreisverwaltung is ahead, but not everywhere.
KREIS_PROFIL = {"strategie": -0.3, "scannen": -0.3}
DELTA_GEWICHTE = (0.22, 0.40, 0.28, 0.10)  # how many Stufen gained over the 8 quarters
KEINE_ANGABE_P = (0.09, 0.08, 0.06, 0.05, 0.04, 0.03, 0.025, 0.02)  # per quarter
MAX_KEINE_ANGABE = 4  # per Verwaltung and quarter
KREIS_ERHEBUNG_QUARTAL = "2025-Q2"  # the Kreis asked every Verwaltung in this quarter



def _zaehlungen(anteile: tuple[float, ...], n: int) -> list[int]:
    """Largest-remainder rounding of shares to counts that add up to n."""
    roh = [a * n / sum(anteile) for a in anteile]
    counts = [int(r) for r in roh]
    rest = sorted(range(len(roh)), key=lambda i: (-(roh[i] - counts[i]), i))
    for i in rest[: n - sum(counts)]:
        counts[i] += 1
    return counts


def _demo(merkmal: scales.Merkmal) -> DemoMerkmal:
    try:
        return DEMO_MERKMALE[merkmal.key]
    except KeyError:
        raise KeyError(f"Für das Merkmal „{merkmal.name}“ ({merkmal.key}) fehlen die Demo-Werte: "
                       "bitte in kreis_data/demo/bewertungen.py unter DEMO_MERKMALE "
                       "ergänzen.") from None


class _Verlauf:
    """Stufe per quarter index of one Verwaltung x Merkmal, plus remarks per quarter index."""

    def __init__(self, stufen: list[int]):
        self.stufen = stufen
        self.bemerkungen: dict[int, str] = {}


def _stufen_verlaeufe(kontext: DemoKontext, stale: dict[str, set[str]]) -> dict[tuple[str, str], _Verlauf]:
    rng = kontext.rng("bewertungen:stufen")
    keys = kontext.keys
    n_q = len(DEMO_QUARTALE)
    kandidaten = [k for k in kontext.gemeinde_keys if k not in stale]
    stockend = set(rng.sample(kandidaten, 2))
    verlaeufe: dict[tuple[str, str], _Verlauf] = {}
    for merkmal in scales.STANDARD_MERKMALE:
        if merkmal.key in JA_NEIN_GESCHICHTEN:
            continue
        demo = _demo(merkmal)
        counts = _zaehlungen(demo.verteilung, len(keys))
        score = {k: kontext.reife[k] + rng.gauss(0, 0.12) for k in keys}
        score[kontext.kreis_ags] += KREIS_PROFIL.get(merkmal.key, 0.0)
        ziel: dict[str, int] = {}
        rangfolge = iter(sorted(keys, key=lambda k: (score[k], k)))
        for stufe, anzahl in enumerate(counts):
            for _ in range(anzahl):
                ziel[next(rangfolge)] = stufe
        for key in keys:
            gewichte = (0.75, 0.25, 0, 0) if key in stockend else DELTA_GEWICHTE
            delta = min(ziel[key], rng.choices(range(4), weights=gewichte)[0])
            letzte = n_q - 1 if merkmal.key in stale.get(key, ()) else n_q
            schritte = set(rng.sample(range(1, letzte), delta))
            stufen = [ziel[key] - delta]
            for t in range(1, n_q):
                stufen.append(stufen[-1] + (1 if t in schritte else 0))
            verlauf = _Verlauf(stufen)
            for t in sorted(schritte):
                texte = demo.aufstieg
                if stufen[t] in texte and rng.random() < 0.25:
                    verlauf.bemerkungen[t] = texte[stufen[t]]
            if rng.random() < 0.05:
                dips = [t for t in range(1, n_q - 1)
                        if stufen[t] >= 1 and stufen[t + 1] == stufen[t] and t not in verlauf.bemerkungen]
                if dips:
                    t = rng.choice(dips)
                    stufen[t] -= 1
                    verlauf.bemerkungen[t] = demo.rueckfall
            verlaeufe[(key, merkmal.key)] = verlauf
    _rueckfaelle(kontext, verlaeufe, stale, rng)
    return verlaeufe


def _rueckfaelle(kontext: DemoKontext, verlaeufe: dict[tuple[str, str], _Verlauf],
                 stale: dict[str, set[str]], rng) -> None:
    """Exactly two values fall back by one Stufe between the last two quarters."""
    letzte = len(DEMO_QUARTALE) - 1
    kandidaten = sorted(
        (key, m) for (key, m), v in verlaeufe.items()
        if key in kontext.gemeinde_keys and m not in stale.get(key, ())
        and v.stufen[letzte - 1] >= 2 and v.stufen[letzte] >= v.stufen[letzte - 1]
        and letzte - 1 not in v.bemerkungen)
    gewaehlt: list[tuple[str, str]] = []
    for key, m in rng.sample(kandidaten, len(kandidaten)):
        if all(key != g[0] and m != g[1] for g in gewaehlt):
            gewaehlt.append((key, m))
        if len(gewaehlt) == 2:
            break
    for key, m in gewaehlt:
        verlauf = verlaeufe[(key, m)]
        verlauf.stufen[letzte] = verlauf.stufen[letzte - 1] - 1
        verlauf.bemerkungen[letzte] = DEMO_MERKMALE[m].rueckfall


def _ja_nein_verlaeufe(kontext: DemoKontext) -> dict[tuple[str, str], _Verlauf]:
    rng = kontext.rng("bewertungen:ja_nein")
    n_q = len(DEMO_QUARTALE)
    verlaeufe = {}
    score = {k: kontext.reife[k] + rng.gauss(0, 0.15) for k in kontext.keys}
    mit_lotsen = set(sorted(kontext.keys, key=lambda k: (-score[k], k))[: round(0.55 * len(score))])
    for key in kontext.keys:
        # Digitalisierungsbeauftragte*r benannt
        if key == GLANDORF:
            verlauf = _Verlauf([0] * n_q)
            verlauf.bemerkungen[n_q - 1] = "keine Stelle vorgesehen, Aufgaben beim Hauptamt"
        elif key == FUERSTENAU:
            wechsel = DEMO_QUARTALE.index("2026-Q1")
            verlauf = _Verlauf([1 if t < wechsel else 0 for t in range(n_q)])
            verlauf.bemerkungen[wechsel] = "Stelle seit 01.01.2026 unbesetzt, Ausschreibung läuft"
        elif kontext.verwaltungen[key].ist_kreisverwaltung or rng.random() < 0.7:
            verlauf = _Verlauf([1] * n_q)
        else:
            ab = rng.randint(1, 5)
            verlauf = _Verlauf([0 if t < ab else 1 for t in range(n_q)])
            verlauf.bemerkungen[ab] = "Digitalisierungsbeauftragte*r benannt"
        verlaeufe[(key, "digitalisierungsbeauftragte")] = verlauf
        # Digitallots*innen vorhanden
        if key in mit_lotsen:
            ab = 0 if rng.random() < 0.25 else rng.randint(1, n_q - 1)
            verlauf = _Verlauf([0 if t < ab else 1 for t in range(n_q)])
            if ab:
                verlauf.bemerkungen[ab] = "erste Digitallots*innen geschult"
        else:
            verlauf = _Verlauf([0] * n_q)
        verlaeufe[(key, "digitallotsen")] = verlauf
    return verlaeufe


def _stand(quartal: Quartal, tag: int) -> dt.date:
    return dt.date(quartal.jahr, 3 * quartal.nummer, tag)


def build_bewertungen(kontext: DemoKontext) -> list[dict]:
    rng = kontext.rng("bewertungen:zeilen")
    merkmale = [m.key for m in scales.STANDARD_MERKMALE]
    pflicht = set(scales.PFLICHT_MERKMALE)
    stale = {BAD_LAER: set(merkmale),
             NEUENKIRCHEN: set(kontext.rng("bewertungen:stale").sample(merkmale, 4))}
    verlaeufe = _stufen_verlaeufe(kontext, stale) | _ja_nein_verlaeufe(kontext)
    erhebung_tag = {q: rng.randint(8, 20) for q in DEMO_QUARTALE}
    letzte = len(DEMO_QUARTALE) - 1
    rows: list[dict] = []
    vorige: dict[tuple[str, str], dict] = {}
    for t, quartal_text in enumerate(DEMO_QUARTALE):
        quartal = Quartal.parse(quartal_text)
        for key in kontext.keys:
            kreis = kontext.verwaltungen[key].ist_kreisverwaltung
            if not kreis and (quartal_text == KREIS_ERHEBUNG_QUARTAL or rng.random() < 0.08):
                quelle, stand, von = "Kreis-Erhebung", _stand(quartal, erhebung_tag[quartal_text]), KREIS_REDAKTION
            else:
                quelle, stand = "Selbstauskunft", _stand(quartal, rng.randint(1, 28))
                von = erfasser(kontext, key, quartal_text)
            p_leer = KEINE_ANGABE_P[t] * (0.3 if kreis else 1.0)
            leer = 0
            for m in merkmale:
                if t == letzte and m in stale.get(key, ()):
                    row = dict(vorige[(key, m)], quartal=quartal_text)
                    rows.append(row)
                    continue
                verlauf = verlaeufe[(key, m)]
                bemerkung = verlauf.bemerkungen.get(t)
                stufe: int | None = verlauf.stufen[t]
                row_quelle, row_von = quelle, von
                faktor = 0.5 if m in pflicht else 1.0
                geschuetzt = key in OHNE_KONTAKT and m == "digitalisierungsbeauftragte"
                if (bemerkung is None and not geschuetzt and leer < MAX_KEINE_ANGABE
                        and rng.random() < p_leer * faktor):
                    stufe, leer = None, leer + 1
                    if rng.random() < 0.3:
                        bemerkung = "Rückmeldung ausstehend"
                elif bemerkung is None and not kreis and rng.random() < 0.03:
                    row_quelle, row_von = "Schätzung", KREIS_REDAKTION
                    bemerkung = "Schätzung der Kreis-Redaktion, Bestätigung ausstehend"
                row = {"verwaltung_key": key, "merkmal_key": m, "quartal": quartal_text,
                       "stufe": stufe, "quelle": row_quelle, "stand": stand,
                       "erfasst_von": row_von, "bemerkung": bemerkung}
                vorige[(key, m)] = row
                rows.append(row)
    return rows


def store_bewertungen(session: Session, kontext: DemoKontext) -> list[dict]:
    """Insert the demo Bewertungen (bulk, without per-row audit); returns the rows."""
    rows = build_bewertungen(kontext)
    session.execute(insert(Bewertung), rows)
    return rows
