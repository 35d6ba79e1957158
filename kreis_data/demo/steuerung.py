"""Demo Steuerung: Maßnahmen-Steckbriefe with Meilensteine, and two Sitzungen of the
Steuerungsgruppe (2026-Q2, 2026-Q3) with Beschlüsse and Aufgaben.

"Now" is the end of 2026-Q3: Meilensteine up to then are mostly done (not for delayed
Maßnahmen), later ones are open. Two Aufgaben of the 2026-Q2 meeting are still open.
"""
from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from kreis_data import scales
from kreis_data.demo.basis import (
    ARTLAND,
    BERSENBRUECK,
    GEORGSMARIENHUETTE,
    MELLE,
    WALLENHORST,
    DemoKontext,
)
from kreis_data.demo.leistungen import EWA
from kreis_data.model import Aufgabe, Kooperation, Leistung, Massnahme, Meilenstein, Sitzung

BAUGENEHMIGUNG = "Digitale Baugenehmigung (vereinfachtes Verfahren, Bauvorbescheid)"


class _Namen:
    """Display names "Person (Rolle)" for the texts."""

    def __init__(self, kontext: DemoKontext):
        self.k = kontext

    def v(self, key: str) -> str:
        return f"{self.k.kontakt_name(key)} ({self.k.name(key)})"

    @property
    def cdo(self) -> str:
        return f"{self.k.kontakt_name(self.k.kreis_ags)} (Kreisverwaltung, CDO)"

    def kreis(self, rolle: str, text: str) -> str:
        return f"{self.k.personen[rolle].name} (Kreisverwaltung, {text})"

    @property
    def it(self) -> str:
        return self.kreis("kreis_it", "IT-Leitung")

    @property
    def finanzen(self) -> str:
        return self.kreis("kreis_finanzen", "Finanzen")

    @property
    def stab(self) -> str:
        return self.kreis("kreis_stabsstelle", "Stabsstelle Digitalisierung")


def _massnahmen(n: _Namen) -> list[dict]:
    """Steckbriefe; 'meilensteine' are (quartal, titel, erledigt)."""
    return [
        dict(titel="E-Akte in den Samtgemeinden des Nordkreises",
             beschreibung="Gemeinsame Einführung der E-Akte in den vier Samtgemeinden mit "
                          "abgestimmtem Aktenplan und gemeinsamen Schulungen.",
             ziel="Bis Ende 2026 arbeiten alle vier Samtgemeinden in mindestens drei "
                  "Fachbereichen mit der E-Akte.",
             verantwortlich=n.v(ARTLAND),
             beteiligte="Samtgemeinden Artland, Bersenbrück, Fürstenau und Neuenkirchen; "
                        "IT-Dienstleister",
             finanzierung="Eigenmittel", prioritaet="hoch",
             prioritaet_begruendung="Pflichtmerkmal E-Akte; im Nordkreis ist der Rückstand am größten.",
             start_quartal="2025-Q1", dauer_quartale=8, status="in Umsetzung",
             status_begruendung="Artland und Bersenbrück im Zeitplan; in Fürstenau fehlt seit "
                                "Januar 2026 die bzw. der Digitalisierungsbeauftragte.",
             erfolgsindikator="E-Akte mindestens Stufe 3 in allen vier Samtgemeinden",
             kooperation="Anwenderkreis E-Akte Nordkreis", merkmal_key="e_akte",
             meilensteine=[("2025-Q2", "Gemeinsamer Aktenplan abgestimmt", True),
                           ("2025-Q4", "Pilotbereiche produktiv", True),
                           ("2026-Q2", "Schulung aller Sachbearbeitenden", True),
                           ("2026-Q4", "Einführung in drei Fachbereichen", False)]),
        dict(titel="FIT-Connect-Zustellpunkte für alle Verwaltungen",
             beschreibung="Jede Verwaltung erhält einen FIT-Connect-Zustellpunkt, damit Anträge "
                          "aus EfA-Diensten direkt im Fachverfahren ankommen.",
             ziel="Alle 21 Gemeinde-Verwaltungen und die Kreisverwaltung sind über FIT-Connect "
                  "erreichbar.",
             verantwortlich=n.it,
             beteiligte="IT-Zweckverband Osnabrücker Land, alle Gemeinden, IT-Dienstleister",
             finanzierung="Eigenmittel", prioritaet="hoch",
             prioritaet_begruendung="Fehlender Zustellpunkt ist das häufigste Hindernis bei der "
                                    "EfA-Anbindung.",
             start_quartal="2025-Q2", dauer_quartale=4, status="verzögert",
             status_begruendung="Zertifikate der Verwaltungs-PKI fehlen noch für mehrere "
                                "Verwaltungen; neuer Zieltermin 4. Quartal 2026.",
             erfolgsindikator="Anteil der Verwaltungen mit FIT-Connect-Unterstützung: 100 %",
             kooperation="IT-Zweckverband Osnabrücker Land", merkmal_key="schnittstellen",
             meilensteine=[("2025-Q3", "Bedarf und Zertifikate erhoben", True),
                           ("2025-Q4", "Zustellpunkte für die Pilotverwaltungen", True),
                           ("2026-Q1", "Zustellpunkte für alle Verwaltungen", False),
                           ("2026-Q4", "Abnahme durch die Steuerungsgruppe", False)]),
        dict(titel="Nachnutzung der elektronischen Wohnsitzanmeldung in allen Gemeinden",
             beschreibung="Die Meldebehörden schließen sich dem EfA-Dienst eWA an; der Kreis "
                          "koordiniert Vertrag und Einrichtung.",
             ziel="Bürgerinnen und Bürger können sich in jeder Gemeinde online anmelden.",
             verantwortlich=n.stab,
             beteiligte="Meldebehörden aller Gemeinden, IT-Dienstleister",
             finanzierung="Eigenmittel", prioritaet="mittel",
             prioritaet_begruendung="Hohe Fallzahlen, der Dienst ist ausgereift und nachnutzbar.",
             start_quartal="2025-Q1", dauer_quartale=8, status="in Umsetzung",
             status_begruendung="Die ersten Meldebehörden sind live; mehrere Gemeinden warten auf "
                                "ihren FIT-Connect-Zustellpunkt.",
             erfolgsindikator="eWA in allen 21 Gemeinde-Verwaltungen live",
             leistung=EWA,
             meilensteine=[("2025-Q2", "Nachnutzungsvertrag unterzeichnet", True),
                           ("2025-Q4", "Erste Meldebehörden live", True),
                           ("2026-Q4", "Alle Verwaltungen live", False)]),
        dict(titel="Muster-Digitalisierungsstrategie für kleine Gemeinden",
             beschreibung="Der Kreis erarbeitet mit dem Arbeitskreis Nordkreis ein Muster, das "
                          "kleine Gemeinden anpassen und im Rat beschließen können.",
             ziel="Kleine Gemeinden kommen schneller zu einer beschlossenen Strategie.",
             verantwortlich=n.stab,
             beteiligte="Arbeitskreis Digitalisierung Nordkreis, Gemeinden unter 15.000 Einwohnern",
             finanzierung="Eigenmittel", prioritaet="mittel",
             prioritaet_begruendung="Viele kleine Gemeinden haben noch keine Strategie.",
             start_quartal="2024-Q4", dauer_quartale=4, status="abgeschlossen",
             status_begruendung="Muster im September 2025 an alle Gemeinden verschickt.",
             erfolgsindikator="Mindestens fünf Gemeinden beschließen eine Strategie nach dem Muster",
             kooperation="Arbeitskreis Digitalisierung Nordkreis", merkmal_key="strategie",
             meilensteine=[("2025-Q1", "Gliederung abgestimmt", True),
                           ("2025-Q2", "Entwurf im Arbeitskreis beraten", True),
                           ("2025-Q3", "Muster veröffentlicht", True)]),
        dict(titel="XRechnung-Empfang über eine gemeinsame Plattform",
             beschreibung="Die Mitglieder des IT-Zweckverbands empfangen E-Rechnungen über eine "
                          "gemeinsame Plattform und übergeben sie an das Finanzverfahren.",
             ziel="Elektronische Rechnungen werden ohne Ausdruck verarbeitet.",
             verantwortlich=n.finanzen,
             beteiligte="Kämmereien der Verbandsmitglieder, IT-Zweckverband Osnabrücker Land",
             finanzierung="Eigenmittel", prioritaet="hoch",
             prioritaet_begruendung="Gesetzliche Pflicht zum Empfang elektronischer Rechnungen.",
             start_quartal="2024-Q4", dauer_quartale=4, status="abgeschlossen",
             status_begruendung="Alle Verbandsmitglieder sind seit dem 3. Quartal 2025 "
                                "angeschlossen.",
             erfolgsindikator="E-Rechnung mindestens Stufe 3 bei allen Verbandsmitgliedern",
             kooperation="IT-Zweckverband Osnabrücker Land", merkmal_key="e_rechnung",
             meilensteine=[("2025-Q1", "Plattform ausgewählt", True),
                           ("2025-Q2", "Pilot mit drei Kämmereien", True),
                           ("2025-Q3", "Alle Verbandsmitglieder angeschlossen", True)]),
        dict(titel="ISMS-Grundschutz-Check für alle Verwaltungen",
             beschreibung="Mit Vorlagen des Arbeitskreises prüft jede Verwaltung ihren Stand "
                          "beim Informationssicherheitsmanagement.",
             ziel="Jede Verwaltung kennt ihre größten Sicherheitslücken und hat einen Plan.",
             verantwortlich=n.v(MELLE),
             beteiligte="Arbeitskreis Informationssicherheit, Informationssicherheitsbeauftragte "
                        "der Gemeinden",
             finanzierung="Eigenmittel", prioritaet="hoch",
             prioritaet_begruendung="Angriffe auf Kommunen nehmen zu; viele ISMS sind erst im Aufbau.",
             start_quartal="2025-Q3", dauer_quartale=6, status="in Umsetzung",
             status_begruendung="Check in den fünf Mitgliedsverwaltungen abgeschlossen.",
             erfolgsindikator="IT-Sicherheit mindestens Stufe 3 in 15 Verwaltungen",
             kooperation="Arbeitskreis Informationssicherheit", merkmal_key="it_sicherheit",
             meilensteine=[("2025-Q4", "Checkliste und Vorlagen fertig", True),
                           ("2026-Q2", "Check in den Mitgliedsverwaltungen", True),
                           ("2026-Q4", "Check in allen Verwaltungen", False)]),
        dict(titel="Digitallots*innen-Programm",
             beschreibung="Beschäftigte werden als Digitallots*innen geschult und begleiten "
                          "Kolleginnen und Kollegen bei neuen Verfahren.",
             ziel="In jeder Verwaltung gibt es Ansprechpersonen für digitale Arbeitsweisen.",
             verantwortlich=n.stab,
             beteiligte="Personalämter der Gemeinden, Volkshochschule",
             finanzierung="Fördermittel", prioritaet="mittel",
             prioritaet_begruendung="Digitale Kompetenz in der Breite ist Voraussetzung für "
                                    "E-Akte und Online-Dienste.",
             start_quartal="2025-Q2", dauer_quartale=6, status="in Umsetzung",
             status_begruendung="Erste Schulungsrunde abgeschlossen.",
             erfolgsindikator="In jeder Verwaltung mindestens eine Digitallotsin oder ein Digitallotse",
             merkmal_key="digitallotsen",
             meilensteine=[("2025-Q3", "Curriculum steht", True),
                           ("2026-Q1", "Erste 30 Lots*innen geschult", True),
                           ("2026-Q4", "Lots*innen in allen Verwaltungen", False)]),
        dict(titel="Digitale Bauakte Südkreis",
             beschreibung="Fünf Gemeinden des Südkreises und die untere Bauaufsicht führen eine "
                          "gemeinsame digitale Bauakte mit XBau-Schnittstelle ein.",
             ziel="Bauanträge erreichen die Bauaufsicht vollständig digital.",
             verantwortlich=n.v(GEORGSMARIENHUETTE),
             beteiligte="Bad Iburg, Hilter a.T.W., Dissen a.T.W., Bad Rothenfelde, untere "
                        "Bauaufsicht des Landkreises",
             finanzierung="Fördermittel", prioritaet="hoch",
             prioritaet_begruendung="Bauanträge sind die aufwendigsten Verfahren der Gemeinden.",
             start_quartal="2025-Q2", dauer_quartale=9, status="verzögert",
             status_begruendung="Die XBau-Schnittstelle des Fachverfahrens ist erst im "
                                "4. Quartal 2026 verfügbar.",
             erfolgsindikator="Alle Bauanträge der fünf Gemeinden gehen digital an die Bauaufsicht",
             kooperation="Projekt Digitale Bauakte Südkreis", leistung=BAUGENEHMIGUNG,
             meilensteine=[("2025-Q3", "Prozesse aufgenommen", True),
                           ("2026-Q1", "Pilot mit Bauvoranfragen", True),
                           ("2026-Q3", "XBau-Schnittstelle produktiv", False),
                           ("2027-Q2", "Regelbetrieb", False)]),
        dict(titel="Gründung der Digitalagentur Osnabrücker Land",
             beschreibung="Kreis und drei Städte gründen eine gemeinsame Digitalagentur für "
                          "Projekte, Beratung und Beschaffung.",
             ziel="Digitalisierungskompetenz wird gebündelt und für alle Gemeinden nutzbar.",
             verantwortlich=n.cdo,
             beteiligte="Melle, Georgsmarienhütte, Bramsche, Wirtschaftsförderungsgesellschaft",
             finanzierung="Eigenmittel", prioritaet="mittel",
             prioritaet_begruendung="Bündelt Kompetenzen, die Gründung ist aber aufwendig.",
             start_quartal="2026-Q4", dauer_quartale=4, status="geplant",
             status_begruendung="Kreistag berät im Dezember 2026.",
             erfolgsindikator="Agentur arbeitet mit mindestens vier Gesellschaftern",
             kooperation="Digitalagentur Osnabrücker Land",
             meilensteine=[("2026-Q4", "Gesellschaftsvertrag im Kreistag", False),
                           ("2027-Q1", "Geschäftsführung besetzt", False),
                           ("2027-Q3", "Erste Projekte gestartet", False)]),
        dict(titel="Ablösung des Finanzverfahrens CIP-KD in Bersenbrück",
             beschreibung="Die Samtgemeinde Bersenbrück ersetzt ihr Altverfahren und prüft dabei "
                          "den Anschluss an das Verfahren der Nachbarn.",
             ziel="Haushalt 2027 im neuen Verfahren, möglichst auf dem im Kreis verbreiteten Produkt.",
             verantwortlich=n.v(BERSENBRUECK),
             beteiligte="Kämmerei Bersenbrück, IT-Dienstleister",
             finanzierung="Eigenmittel", prioritaet="mittel",
             prioritaet_begruendung="Das Altverfahren wird abgekündigt.",
             start_quartal="2026-Q1", dauer_quartale=5, status="in Umsetzung",
             status_begruendung="Vergabe erfolgt, Datenübernahme wird vorbereitet.",
             erfolgsindikator="Haushalt 2027 im neuen Verfahren aufgestellt",
             meilensteine=[("2026-Q1", "Marktsichtung", True),
                           ("2026-Q3", "Vergabe", True),
                           ("2027-Q1", "Echtbetrieb", False)]),
        dict(titel="Gemeinsamer Sitzungsdienst für kleine Gemeinden",
             beschreibung="Kleine Gemeinden nutzen ein gemeinsam betriebenes Ratsinformationssystem.",
             ziel="Weniger Lizenzen und Betriebsaufwand, einheitliche Oberfläche für Ratsmitglieder.",
             verantwortlich=n.it,
             beteiligte="Gemeinden mit SD.NET oder Session, IT-Zweckverband Osnabrücker Land",
             finanzierung="Eigenmittel", prioritaet="niedrig",
             prioritaet_begruendung="Spart Kosten, aber kein akuter Handlungsdruck.",
             start_quartal="2026-Q2", dauer_quartale=6, status="in Umsetzung",
             status_begruendung="Bedarfsabfrage ausgewertet.",
             erfolgsindikator="Höchstens zwei Ratsinformationssysteme im Kreis",
             meilensteine=[("2026-Q2", "Bedarfsabfrage", True),
                           ("2026-Q4", "Entscheidung für ein Produkt", False),
                           ("2027-Q3", "Umzug der Gremien", False)]),
        dict(titel="Gemeinsame Bürger-App aller Gemeinden",
             beschreibung="Eine App für Termine, Mängelmeldungen und Nachrichten aller Gemeinden.",
             ziel="Ein mobiler Zugang zu allen Gemeinden des Kreises.",
             verantwortlich=n.v(WALLENHORST),
             beteiligte="Digitallabor Wallenhorst-Belm, interessierte Gemeinden",
             finanzierung="Fördermittel", prioritaet="niedrig",
             prioritaet_begruendung="Nutzen gegenüber dem Serviceportal unklar.",
             start_quartal="2025-Q1", dauer_quartale=6, status="gestoppt",
             status_begruendung="Die Steuerungsgruppe hat im Mai 2026 entschieden, stattdessen das "
                                "Serviceportal auszubauen.",
             erfolgsindikator="App für alle Gemeinden verfügbar",
             meilensteine=[("2025-Q2", "Anforderungen gesammelt", True),
                           ("2025-Q4", "Ausschreibung veröffentlicht", False)]),
    ]


def store_massnahmen(session: Session, kontext: DemoKontext, kooperationen: dict[str, Kooperation],
                     leistungen: dict[str, Leistung]) -> int:
    specs = _massnahmen(_Namen(kontext))
    for spec in specs:
        meilensteine = spec.pop("meilensteine")
        kooperation = spec.pop("kooperation", None)
        leistung = spec.pop("leistung", None)
        if spec["finanzierung"] not in scales.FINANZIERUNG or \
                spec["prioritaet"] not in scales.PRIORITAETEN or \
                spec["status"] not in scales.MASSNAHME_STATUS:
            raise ValueError(f"Demo-Maßnahme „{spec['titel']}“ verwendet einen unbekannten Wert")
        massnahme = Massnahme(
            **spec, kooperation_id=kooperationen[kooperation].id if kooperation else None,
            leistung_id=leistungen[leistung].id if leistung else None)
        for quartal, titel, erledigt in meilensteine:
            massnahme.meilensteine.append(Meilenstein(quartal=quartal, titel=titel, erledigt=erledigt))
        session.add(massnahme)
    return len(specs)


def store_sitzungen(session: Session, kontext: DemoKontext) -> None:
    n = _Namen(kontext)
    teilnehmende = "\n".join([
        f"{n.cdo} (Vorsitz)", n.it, n.finanzen, f"{n.stab} (Protokoll)", n.v(MELLE),
        n.v(GEORGSMARIENHUETTE), n.v(WALLENHORST), n.v(ARTLAND), n.v(BERSENBRUECK)])
    # Each Sitzung meets at the end of its quarter, after the quarter's data it discusses (the
    # Stand of every demo Bewertung lies before it, see bewertungen._stand).
    sitzungen = [
        ("2026-Q2", dt.date(2026, 6, 30), [
            "Die Maßnahme „Gemeinsame Bürger-App aller Gemeinden“ wird gestoppt; die Mittel "
            "fließen in den Ausbau des Serviceportals.",
            "FIT-Connect-Zustellpunkte haben höchste Priorität; neuer Zieltermin ist das "
            "4. Quartal 2026.",
            "Die Steuerungsgruppe unterstützt das Barcamp Verwaltung digital am 16.07.2026.",
        ], [
            ("Fehlende Zertifikate der Verwaltungs-PKI an das Land melden", n.it, "2026-Q3", True),
            ("Nachbesetzung der Digitalisierungsbeauftragten in Fürstenau klären", n.cdo,
             "2026-Q3", False),
            ("Anschluss- bzw. Betreibermodell für das Förderprojekt Smarte Dörfer Artland vorlegen",
             n.v(ARTLAND), "2026-Q3", False),
            ("Ergebnisse des Barcamps dokumentieren", n.stab, "2026-Q3", True),
        ]),
        ("2026-Q3", dt.date(2026, 9, 30), [
            "Der Quartalsbericht zum 3. Quartal 2026 wird zur Kenntnis genommen.",
            "Die Maßnahme „Digitale Bauakte Südkreis“ wird bis zum 2. Quartal 2027 verlängert.",
            "Anwenderkreis E-Akte Nordkreis und Arbeitskreis Digitalisierung Nordkreis prüfen "
            "eine Zusammenlegung.",
            "Glandorf wird zu den Kooperationsformaten des Kreises eingeladen.",
        ], [
            ("Zusammenlegung der beiden Nordkreis-Arbeitskreise vorbereiten", n.v(BERSENBRUECK),
             "2026-Q4", False),
            ("Gespräch mit Glandorf über Digitalisierungsbeauftragte und Teilnahme an Formaten",
             n.cdo, "2026-Q4", False),
            ("Förderaufrufe für eine Anschlussfinanzierung Smarte Dörfer Artland prüfen",
             n.finanzen, "2026-Q4", False),
            ("Stand der FIT-Connect-Zustellpunkte berichten", n.it, "2026-Q4", False),
            ("Nachnutzungs-Chancen für Artland mit Bersenbrück besprechen", n.v(ARTLAND),
             "2026-Q4", True),
        ]),
    ]
    for quartal, datum, beschluesse, aufgaben in sitzungen:
        sitzung = Sitzung(quartal=quartal, datum=datum, teilnehmende=teilnehmende,
                          beschluesse="\n".join(beschluesse))
        for titel, verantwortlich, faellig, erledigt in aufgaben:
            sitzung.aufgaben.append(Aufgabe(titel=titel, verantwortlich=verantwortlich,
                                            faellig_quartal=faellig, erledigt=erledigt))
        session.add(sitzung)
