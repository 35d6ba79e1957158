"""Demo Kooperationen (invented names, real formats from reference/kooperationsformate.csv).

The set is written by hand so that every later view and warning has a case to show:
- all four quadrants of Verbindlichkeit x Dauer are populated;
- "Förderprojekt Smarte Dörfer Artland" is temporary, ends 31.12.2026 (within two quarters
  after 2026-Q3) and has no Anschluss / Betreibermodell;
- "Arbeitskreis Digitalisierung Nordkreis" and "Anwenderkreis E-Akte Nordkreis" are a likely
  Doppelstruktur (same Handlungsfeld, 4 of 5 Verwaltungen shared);
- "Arbeitskreis Informationssicherheit" has a Federführung but no Stellvertretung;
- Glandorf takes part in no format;
- history: the Digitallabor was made permanent in 2025-Q3 (Verstetigung), the Arbeitskreis
  Informationssicherheit became binding in 2026-Q1 (Institutionalisierung).
Verbindlichkeit and Dauer default to the format's values unless a spec overrides them.
"""
from __future__ import annotations

import csv
import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.orm import Session

from kreis_data import scales
from kreis_data.demo.basis import (
    ARTLAND,
    BELM,
    BERSENBRUECK,
    BOHMTE,
    BRAMSCHE,
    FUERSTENAU,
    GEORGSMARIENHUETTE,
    HASBERGEN,
    MELLE,
    NEUENKIRCHEN,
    WALLENHORST,
    DemoKontext,
)
from kreis_data.model import Kooperation, KooperationEinordnung, KooperationMitglied
from kreis_data.quartal import Quartal

FORMATE_CSV = (Path(__file__).resolve().parent.parent / "datasets" / "reference"
               / "kooperationsformate.csv")
KREIS = "kreis"  # placeholder for the Kreisverwaltung's key
BAD_ESSEN, BAD_IBURG, BAD_ROTHENFELDE = "034590003", "034590004", "034590006"
BISSENDORF, DISSEN, HAGEN = "034590012", "034590015", "034590020"
HILTER, OSTERCAPPELN, BAD_LAER = "034590022", "034590029", "034590005"
HOCHSCHULE = ("regionale Hochschule, Fachgebiet Informatik", "Wissenschaft")
STARTUPS = ("Start-up-Netzwerk der Region", "Unternehmen")


@dataclass
class KooperationSpec:
    name: str
    format: str
    rechtsform: str
    ausrichtung: str
    handlungsfelder: tuple[str, ...]
    federfuehrung: str
    stellvertretung: str | None
    start: dt.date
    ende: dt.date | None
    status: str
    mitglieder: tuple[str, ...]
    externe: tuple[tuple[str, str], ...] = ()
    einordnung: tuple[str, str] | None = None  # current (Verbindlichkeit, Dauer) if overridden
    historie: tuple[tuple[str, str, str], ...] = ()  # (ab_quartal, Verbindlichkeit, Dauer)
    anschluss: str | None = None
    was_funktioniert: str | None = None
    was_nicht: str | None = None


SPECS: tuple[KooperationSpec, ...] = (
    KooperationSpec(
        "IT-Zweckverband Osnabrücker Land", "IT-Verbund / kommunales Rechenzentrum", "Zweckverband",
        "operativ", ("Verwaltung",), KREIS, MELLE, dt.date(2019, 1, 1), None, "aktiv",
        (KREIS, MELLE, GEORGSMARIENHUETTE, BRAMSCHE, WALLENHORST, BELM, BISSENDORF, HASBERGEN,
         HAGEN, BAD_ESSEN, OSTERCAPPELN, BOHMTE),
        externe=(("kommunaler IT-Dienstleister (Betriebspartner)", "IT-Dienstleister"),),
        was_funktioniert="gemeinsamer Betrieb von E-Akte und Formularserver, gebündelte Beschaffung",
        was_nicht="kleine Mitglieder warten lange, weil große Projekte Vorrang haben"),
    KooperationSpec(
        "Arbeitskreis Digitalisierung Nordkreis",
        "Interkommunaler Arbeitskreis (z. B. Digitalisierung, Gesundheit, Mobilität)", "keine",
        "strategisch", ("Verwaltung",), BERSENBRUECK, NEUENKIRCHEN, dt.date(2021, 3, 1), None,
        "aktiv", (ARTLAND, BERSENBRUECK, FUERSTENAU, NEUENKIRCHEN, BRAMSCHE),
        was_funktioniert="kurze Wege, gemeinsame Positionen gegenüber dem IT-Dienstleister",
        was_nicht="Aufgaben aus den Sitzungen werden selten nachgehalten"),
    KooperationSpec(
        "Anwenderkreis E-Akte Nordkreis",
        "Interkommunaler Arbeitskreis (z. B. Digitalisierung, Gesundheit, Mobilität)", "keine",
        "operativ", ("Verwaltung",), ARTLAND, BERSENBRUECK, dt.date(2023, 9, 1), None, "aktiv",
        (ARTLAND, BERSENBRUECK, FUERSTENAU, NEUENKIRCHEN),
        was_funktioniert="gemeinsame Aktenpläne und Schulungsunterlagen",
        was_nicht="überschneidet sich thematisch mit dem Arbeitskreis Digitalisierung Nordkreis"),
    KooperationSpec(
        "Projekt Digitale Bauakte Südkreis", "Gemeinsames Projekt",
        "öffentlich-rechtliche Vereinbarung", "operativ", ("Verwaltung", "Wirtschaft"),
        GEORGSMARIENHUETTE, KREIS, dt.date(2025, 4, 1), dt.date(2027, 6, 30), "aktiv",
        (GEORGSMARIENHUETTE, BAD_IBURG, HILTER, DISSEN, BAD_ROTHENFELDE, KREIS),
        anschluss="Betrieb der Bauakte ab dem 3. Quartal 2027 durch den IT-Zweckverband "
                  "Osnabrücker Land "
                  "(Betreibermodell im Verbandsausschuss beschlossen)",
        was_funktioniert="gemeinsame Prozessaufnahme mit der unteren Bauaufsicht",
        was_nicht="XBau-Schnittstelle des Fachverfahrens kommt später als geplant"),
    KooperationSpec(
        "Förderprojekt Smarte Dörfer Artland", "Gemeinsamer Förderantrag / Förderprogramm",
        "öffentlich-rechtliche Vereinbarung", "strategisch", ("Verwaltung", "Mobilität", "Tourismus"),
        ARTLAND, KREIS, dt.date(2024, 1, 1), dt.date(2026, 12, 31), "aktiv", (ARTLAND, KREIS),
        externe=(("LEADER-Aktionsgruppe Nordkreis", "Zivilgesellschaft"), HOCHSCHULE,
                 ("Land Niedersachsen (Fördermittelgeber)", "Land")),
        was_funktioniert="Bürgerbeteiligung in allen vier Mitgliedsgemeinden, Dorf-App im Test",
        was_nicht="für Dorf-App und digitale Mitfahrbänke gibt es nach Förderende keinen Betreiber"),
    KooperationSpec(
        "Barcamp Verwaltung digital 2026", "Barcamp", "keine", "strategisch",
        ("Verwaltung", "Bildung"), KREIS, MELLE, dt.date(2026, 5, 21), dt.date(2026, 5, 21),
        "beendet",
        (KREIS, MELLE, BRAMSCHE, BELM, BAD_ESSEN, BAD_IBURG, ARTLAND, NEUENKIRCHEN, HILTER, BAD_LAER),
        externe=(HOCHSCHULE, STARTUPS),
        anschluss="Ergebnisse fließen in das Netzwerktreffen 2026 ein",
        was_funktioniert="rund 120 Teilnehmende, viele Sessions aus den kleinen Gemeinden",
        was_nicht="Ergebnisse wurden nicht systematisch dokumentiert"),
    KooperationSpec(
        "Digitallabor Wallenhorst-Belm", "Digitallabor", "keine", "operativ",
        ("Verwaltung", "Bildung"), WALLENHORST, BELM, dt.date(2024, 4, 1), None, "aktiv",
        (WALLENHORST, BELM, BRAMSCHE), externe=(HOCHSCHULE,),
        einordnung=("eher lose", "dauerhaft"),
        historie=(("2024-Q2", "eher lose", "temporär"), ("2025-Q3", "eher lose", "dauerhaft")),
        anschluss="seit 2025-Q3 verstetigt: fester Raum im Rathaus Wallenhorst, Stellenanteile "
                  "in beiden Verwaltungen",
        was_funktioniert="Prototypen für Online-Terminbuchung und Mängelmelder",
        was_nicht="Übergang der Prototypen in den Regelbetrieb dauert lange"),
    KooperationSpec(
        "Digitalagentur Osnabrücker Land", "Digitalagentur / Digitalisierungsagentur", "GmbH",
        "strategisch", ("Verwaltung", "Wirtschaft", "Bildung"), KREIS, GEORGSMARIENHUETTE,
        dt.date(2027, 1, 1), None, "geplant", (KREIS, MELLE, GEORGSMARIENHUETTE, BRAMSCHE),
        externe=(("Wirtschaftsförderungsgesellschaft des Landkreises", "Unternehmen"),)),
    KooperationSpec(
        "Workshop-Reihe EfA-Nachnutzung", "Workshop / Round Table", "keine", "operativ",
        ("Verwaltung",), KREIS, BERSENBRUECK, dt.date(2025, 10, 1), dt.date(2026, 6, 30), "beendet",
        (KREIS, BERSENBRUECK, ARTLAND, BAD_ROTHENFELDE, DISSEN, OSTERCAPPELN, BOHMTE, HASBERGEN),
        anschluss="EfA-Nachnutzung ist fester Tagesordnungspunkt der Steuerungsgruppe",
        was_funktioniert="Verwaltungen mit Go-live berichten, Nachnutzungsverträge werden geteilt",
        was_nicht="kleine Gemeinden konnten aus Personalmangel oft nicht teilnehmen"),
    KooperationSpec(
        "Arbeitskreis Informationssicherheit",
        "Interkommunaler Arbeitskreis (z. B. Digitalisierung, Gesundheit, Mobilität)",
        "öffentlich-rechtliche Vereinbarung", "operativ", ("Verwaltung",), MELLE, None,
        dt.date(2022, 2, 1), None, "aktiv", (MELLE, BISSENDORF, BAD_ESSEN, BOHMTE, OSTERCAPPELN),
        einordnung=("verbindlich", "dauerhaft"),
        historie=(("2022-Q1", "eher lose", "dauerhaft"), ("2026-Q1", "verbindlich", "dauerhaft")),
        was_funktioniert="gemeinsame Informationssicherheitsbeauftragte, abgestimmte Notfallübungen",
        was_nicht="alles hängt an der Stadt Melle, eine Vertretung ist nicht geregelt"),
    KooperationSpec(
        "Hackathon Offene Daten Südkreis 2025", "Hackathon", "keine", "operativ",
        ("Verwaltung", "Mobilität", "Tourismus"), GEORGSMARIENHUETTE, HAGEN, dt.date(2025, 9, 12),
        dt.date(2025, 9, 13), "beendet", (GEORGSMARIENHUETTE, HAGEN, HASBERGEN, BAD_IBURG),
        externe=(STARTUPS, ("Open-Data-Initiative Osnabrücker Land e. V.", "Zivilgesellschaft")),
        was_funktioniert="drei Prototypen, u. a. eine Anzeige freier Parkplätze",
        was_nicht="niemand betreibt die Prototypen weiter"),
    KooperationSpec(
        "Zentrale Vergabestelle beim Landkreis",
        "Zweckvereinbarung (z. B. NKomZG)", "Zweckvereinbarung",
        "operativ", ("Verwaltung", "Wirtschaft"), KREIS, HILTER, dt.date(2020, 1, 1), None, "aktiv",
        (KREIS, HILTER, BAD_LAER, BAD_ROTHENFELDE, DISSEN, NEUENKIRCHEN, FUERSTENAU),
        was_funktioniert="E-Vergabe für alle beteiligten Gemeinden ohne eigene Vergabestelle",
        was_nicht="Abstimmung der Leistungsverzeichnisse kostet Zeit"),
    KooperationSpec(
        "Breitband-Zweckverband Osnabrücker Land", "Zweckverband (z. B. Breitbandausbau)",
        "Zweckverband", "operativ", ("Wirtschaft", "Bildung"), KREIS, BRAMSCHE,
        dt.date(2016, 7, 1), None, "aktiv",
        (KREIS, BAD_ESSEN, BAD_IBURG, BAD_LAER, BAD_ROTHENFELDE, BELM, BISSENDORF, BOHMTE,
         BRAMSCHE, DISSEN, GEORGSMARIENHUETTE, HAGEN, HASBERGEN, HILTER, OSTERCAPPELN,
         WALLENHORST, ARTLAND, BERSENBRUECK, FUERSTENAU, NEUENKIRCHEN),
        was_funktioniert="alle Schulen und Gewerbegebiete mit Glasfaser versorgt",
        was_nicht="Melle baut eigenständig aus, Abstimmung an der Grenze aufwendig"),
    KooperationSpec(
        "Konferenz Gesundheitsregion digital 2025", "Konferenz / Kongress", "keine", "strategisch",
        ("Gesundheit",), KREIS, GEORGSMARIENHUETTE, dt.date(2025, 11, 6), dt.date(2025, 11, 6),
        "beendet", (KREIS, GEORGSMARIENHUETTE, MELLE, BAD_ROTHENFELDE, BAD_IBURG, BAD_LAER),
        externe=(("Kliniken der Region", "Unternehmen"),
                 ("Geschäftsstelle Gesundheitsregion", "sonstige")),
        was_funktioniert="Telemedizin-Projekte der Kurorte vorgestellt",
        was_nicht="kaum Beteiligung der Hausarztpraxen"),
    KooperationSpec(
        "Beteiligungsprozess User Journey Bürgerservice",
        "Beteiligungsprozess / Road Show / User Journey", "keine", "operativ", ("Verwaltung",),
        BRAMSCHE, OSTERCAPPELN, dt.date(2026, 3, 1), dt.date(2026, 11, 30), "aktiv",
        (BRAMSCHE, OSTERCAPPELN, BOHMTE), externe=(("Seniorenbeirat", "Zivilgesellschaft"),),
        anschluss="Ergebnisse gehen in die Portal-Weiterentwicklung des IT-Zweckverbands",
        was_funktioniert="Nutzerinnen und Nutzer testen Online-Anträge vor dem Go-live"),
    KooperationSpec(
        "Netzwerktreffen Digitale Kommunen Osnabrücker Land", "Jährliches Netzwerktreffen", "keine",
        "strategisch", ("Verwaltung", "Wirtschaft"), KREIS, WALLENHORST, dt.date(2022, 6, 1), None,
        "aktiv",
        (KREIS, WALLENHORST, ARTLAND, BERSENBRUECK, NEUENKIRCHEN, BAD_LAER, BAD_ROTHENFELDE,
         DISSEN, HILTER, BAD_IBURG, MELLE, BELM),
        externe=(HOCHSCHULE, ("Wirtschaftsförderungsgesellschaft des Landkreises", "Unternehmen")),
        was_funktioniert="offen für alle, gute Kontakte über die Verwaltung hinaus",
        was_nicht="geringe Verbindlichkeit, Folgeschritte bleiben oft offen"),
)


def read_formate(path: Path = FORMATE_CSV) -> dict[str, tuple[str, str]]:
    """Format -> default (Verbindlichkeit, Dauer)."""
    with path.open(encoding="utf-8", newline="") as handle:
        return {r["format"]: (r["verbindlichkeit"], r["dauer"])
                for r in csv.DictReader(handle, delimiter=";")}


def _check(spec: KooperationSpec, verbindlichkeit: str, dauer: str) -> None:
    """Only vocabulary from kreis_data.scales (guards hand-written specs against typos)."""
    gueltig = (verbindlichkeit in scales.VERBINDLICHKEIT and dauer in scales.DAUER
               and spec.rechtsform in scales.RECHTSFORMEN
               and spec.ausrichtung in scales.AUSRICHTUNGEN
               and spec.status in scales.KOOPERATION_STATUS
               and all(h in scales.HANDLUNGSFELDER for h in spec.handlungsfelder)
               and all(typ in scales.AKTEURSTYPEN for _, typ in spec.externe)
               and all(v in scales.VERBINDLICHKEIT and d in scales.DAUER
                       for _, v, d in spec.historie))
    if not gueltig:
        raise ValueError(f"Demo-Kooperation „{spec.name}“ verwendet einen unbekannten Wert")


def store_kooperationen(session: Session, kontext: DemoKontext) -> dict[str, Kooperation]:
    formate = read_formate()

    def key(k: str | None) -> str | None:
        return kontext.kreis_ags if k == KREIS else k

    result = {}
    for spec in SPECS:
        verbindlichkeit, dauer = spec.einordnung or formate[spec.format]
        _check(spec, verbindlichkeit, dauer)
        federfuehrung = key(spec.federfuehrung)
        kooperation = Kooperation(
            name=spec.name, format=spec.format, verbindlichkeit=verbindlichkeit, dauer=dauer,
            rechtsform=spec.rechtsform, ausrichtung=spec.ausrichtung,
            handlungsfelder="; ".join(spec.handlungsfelder), federfuehrung_key=federfuehrung,
            stellvertretung_key=key(spec.stellvertretung), start=spec.start, ende=spec.ende,
            status=spec.status, ansprechperson=kontext.kontakt_name(federfuehrung),
            anschluss=spec.anschluss, was_funktioniert=spec.was_funktioniert,
            was_nicht=spec.was_nicht)
        for mitglied in spec.mitglieder:
            mitglied_key = key(mitglied)
            kreis = kontext.verwaltungen[mitglied_key].ist_kreisverwaltung
            kooperation.mitglieder.append(KooperationMitglied(
                verwaltung_key=mitglied_key, akteurstyp="Landkreis" if kreis else "Verwaltung"))
        for name, typ in spec.externe:
            kooperation.mitglieder.append(KooperationMitglied(extern_name=name, akteurstyp=typ))
        historie = spec.historie or ((str(Quartal.of_date(spec.start)), verbindlichkeit, dauer),)
        for ab, v, d in historie:
            kooperation.einordnungen.append(
                KooperationEinordnung(ab_quartal=ab, verbindlichkeit=v, dauer=d))
        session.add(kooperation)
        result[spec.name] = kooperation
    session.flush()
    return result
