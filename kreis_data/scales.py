"""The one place that owns the product's vocabularies: Merkmale and their 0-4 scale, labels,
colours, Quellen, Anbindung statuses, Domänen, Standards and Themenfelder.

Every page, chart, map, export and import uses these definitions; nothing else defines a label
or a colour for a Stufe.
"""
from __future__ import annotations

import json
from dataclasses import dataclass

KEINE_ANGABE = "keine Angabe"

# Sequential, colour-blind-safe (ColorBrewer YlGnBu, 5 classes): light = low, dark = high.
STUFEN_FARBEN: tuple[str, ...] = ("#ffffcc", "#a1dab4", "#41b6c4", "#2c7fb8", "#253494")
# Named uses of the scale outside the Stufen: one bar or node colour, the selected / not selected
# areas of a map, and lines told apart by colour, dash and marker (charts of the review).
AKZENT_FARBE = STUFEN_FARBEN[3]
TITEL_FARBE = STUFEN_FARBEN[4]  # headings and rules of the reports
AUSGEWAEHLT_FARBE, NICHT_AUSGEWAEHLT_FARBE = STUFEN_FARBEN[4], STUFEN_FARBEN[0]
LINIEN_FARBEN: tuple[str, ...] = (*STUFEN_FARBEN[2:], "#000000")
# Text colour with >= 4.5:1 contrast on each Stufe colour.
STUFEN_TEXTFARBEN: tuple[str, ...] = ("#000000", "#000000", "#000000", "#000000", "#ffffff")
# "keine Angabe" is grey AND hatched (see KEINE_ANGABE_MUSTER), never a shade of the scale.
KEINE_ANGABE_FARBE = "#9e9e9e"
KEINE_ANGABE_TEXTFARBE = "#000000"
# SVG pattern id used on maps and in legends for the hatch.
KEINE_ANGABE_MUSTER = "ikz-keine-angabe"
# Gemeindefreie Gebiete (forests, lakes) belong to no Gemeinde: a neutral fill, no hatch, so
# they are neither a Stufe nor "keine Angabe".
GEMEINDEFREI_FARBE = "#f2efe6"
GEMEINDEFREI_RANDFARBE = "#6b6b6b"
GEMEINDEFREI_LABEL = "gemeindefreies Gebiet (gehört zu keiner Gemeinde)"

STUFEN = (0, 1, 2, 3, 4)


@dataclass(frozen=True)
class Merkmal:
    """A feature of the Digitalisierungsstand, rated per Verwaltung and Quartal."""

    key: str
    name: str
    stufen: tuple[str, ...]  # label for Stufe 0..4 (art "stufe") or nein/ja (art "ja_nein")
    art: str = "stufe"  # "stufe" (ordinal 0-4) or "ja_nein"
    pflicht: bool = False
    gewicht: float = 1.0
    beschreibung: str = ""

    @property
    def werte(self) -> tuple[int, ...]:
        return tuple(range(len(self.stufen)))

    def label(self, stufe: int | None) -> str:
        if stufe is None:
            return KEINE_ANGABE
        return self.stufen[stufe]

    def kurzlabel(self, stufe: int | None) -> str:
        """'3 – beschlossen' style label for tables and legends."""
        if stufe is None:
            return KEINE_ANGABE
        if self.art == "ja_nein":
            return self.stufen[stufe]
        return f"{stufe} – {self.stufen[stufe]}"

    def parse(self, value: object) -> int | None:
        """Stufe from a number or its German label; None for "keine Angabe" or empty.

        Raises ValueError with a German message naming the allowed values.
        """
        if value is None:
            return None
        if isinstance(value, float):
            if value != value:  # NaN from pandas
                return None
            if value.is_integer():
                value = int(value)
        if isinstance(value, bool):
            value = int(value)
        if isinstance(value, int):
            if value in self.werte:
                return value
            raise ValueError(self._erlaubt_text())
        text = str(value).strip()
        if text == "" or text.lower() in {KEINE_ANGABE.lower(), "k. a.", "k.a.", "–", "-"}:
            return None
        if text.isdigit() or (text.startswith("-") and text[1:].isdigit()):
            return self.parse(int(text))
        lowered = text.lower()
        for stufe, label in enumerate(self.stufen):
            if lowered in (label.lower(), f"{stufe} – {label}".lower(), f"{stufe} - {label}".lower()):
                return stufe
        raise ValueError(self._erlaubt_text())

    def _erlaubt_text(self) -> str:
        werte = ", ".join(f"{i} ({label})" for i, label in enumerate(self.stufen))
        return f"erlaubt sind {werte} oder leer bzw. „{KEINE_ANGABE}“"


JA_NEIN = ("nein", "ja")

# The three required Merkmale, labels exactly as in the product specification.
E_AKTE = Merkmal(
    "e_akte", "E-Akte",
    ("kein Thema", "geplant", "in Einführung", "in einigen Fachverfahren eingeführt",
     "in allen Fachverfahren eingeführt"),
    pflicht=True,
    beschreibung="Elektronische Akte / Dokumentenmanagement in den Fachverfahren der Verwaltung.",
)
ONLINE_PORTAL = Merkmal(
    "online_portal", "Online-Portal",
    ("kein Thema", "geplant", "im Aufbau",
     "online: Informationen, Formulare, erste Online-Anträge",
     "transaktional: Servicekonto/BundID, E-Payment, Rückkanal"),
    pflicht=True,
    beschreibung="Online-Angebot der Verwaltung für Bürgerinnen, Bürger und Unternehmen.",
)
STRATEGIE = Merkmal(
    "strategie", "Digitalisierungsstrategie",
    ("keine, nicht geplant", "geplant", "in Erarbeitung", "beschlossen",
     "beschlossen, mit Monitoring und Fortschreibung"),
    pflicht=True,
    beschreibung="Schriftliche, politisch beschlossene Digitalisierungsstrategie.",
)
E_RECHNUNG = Merkmal(
    "e_rechnung", "E-Rechnung",
    ("kein Thema", "geplant", "in Einführung", "XRechnung-Empfang eingeführt",
     "XRechnung-Empfang und medienbruchfreie Verarbeitung"),
    beschreibung="Empfang und Verarbeitung elektronischer Rechnungen (XRechnung).",
)
E_VERGABE = Merkmal(
    "e_vergabe", "E-Vergabe",
    ("kein Thema", "geplant", "in Einführung", "für einen Teil der Vergaben eingeführt",
     "für alle Vergaben eingeführt"),
    beschreibung="Elektronische Vergabeverfahren.",
)
SCANNEN = Merkmal(
    "scannen", "Scannen",
    ("kein Thema", "geplant", "in Einführung", "in einigen Bereichen eingeführt",
     "zentraler Posteingang, durchgängig ersetzend"),
    beschreibung="Digitalisierung des Papier-Posteingangs (ersetzendes Scannen).",
)
SCHNITTSTELLEN = Merkmal(
    "schnittstellen", "Schnittstellen",
    ("kein Thema", "geplant", "im Aufbau", "zu einigen Verwaltungen eingerichtet",
     "standardisiert (XÖV) zu allen relevanten Verwaltungen"),
    beschreibung="Elektronische Schnittstellen zu anderen Verwaltungen.",
)
IT_SICHERHEIT = Merkmal(
    "it_sicherheit", "IT-Sicherheit (ISMS)",
    ("kein Thema", "geplant", "im Aufbau", "ISMS eingeführt",
     "ISMS eingeführt und regelmäßig geprüft"),
    beschreibung="Informationssicherheits-Managementsystem.",
)
DIGITALISIERUNGSBEAUFTRAGTE = Merkmal(
    "digitalisierungsbeauftragte", "Digitalisierungsbeauftragte*r benannt", JA_NEIN, art="ja_nein",
    beschreibung="Ist eine Person als Digitalisierungsbeauftragte*r benannt?",
)
DIGITALLOTSEN = Merkmal(
    "digitallotsen", "Digitallots*innen vorhanden", JA_NEIN, art="ja_nein",
    beschreibung="Gibt es Digitallots*innen in der Verwaltung?",
)

STANDARD_MERKMALE: tuple[Merkmal, ...] = (
    E_AKTE, ONLINE_PORTAL, STRATEGIE, E_RECHNUNG, E_VERGABE, SCANNEN, SCHNITTSTELLEN,
    IT_SICHERHEIT, DIGITALISIERUNGSBEAUFTRAGTE, DIGITALLOTSEN,
)
PFLICHT_MERKMALE = tuple(m.key for m in STANDARD_MERKMALE if m.pflicht)

# Labels for a Merkmal a Kreis adds itself (same 0-4 scale).
GENERISCHE_STUFEN = ("kein Thema", "geplant", "in Umsetzung", "teilweise umgesetzt",
                     "vollständig umgesetzt")

def merkmal_aus_config(key: str, name: str, art: str, pflicht: bool, gewicht: float,
                       stufen: str | None) -> Merkmal:
    """The one converter from a stored Merkmal configuration (table "merkmal") to its scale:
    own labels (JSON) if stored, else the standard definition's, else the generic scale for its
    art (ja/nein or 0-4)."""
    standard = next((m for m in STANDARD_MERKMALE if m.key == key), None)
    if stufen:
        labels = tuple(json.loads(stufen))
    elif standard is not None:
        labels = standard.stufen
    else:
        labels = JA_NEIN if art == "ja_nein" else GENERISCHE_STUFEN
    return Merkmal(key=key, name=name, stufen=labels, art=art, pflicht=pflicht, gewicht=gewicht,
                   beschreibung=standard.beschreibung if standard else "")


QUELLEN = ("Selbstauskunft", "Kreis-Erhebung", "PVOG", "Schätzung")

VERWALTUNGSTYPEN = (
    "Einheitsgemeinde", "Stadt", "Samtgemeinde", "Amt", "Verbandsgemeinde",
    "Verwaltungsgemeinschaft", "Kirchspielslandgemeinde", "Verwaltungsverband",
    "Erfüllende Gemeinde", "Kreisverwaltung",
)

# Digitalisierungsindex: class breaks for the sequential map colouring (0-100).
INDEX_KLASSEN: tuple[float, ...] = (0, 20, 40, 60, 80, 100.0001)
INDEX_KLASSEN_LABELS = ("0 bis unter 20", "20 bis unter 40", "40 bis unter 60",
                        "60 bis unter 80", "80 bis 100")


def index_klasse(wert: float | None) -> int | None:
    """Class 0..4 of a Digitalisierungsindex (or EfA-Quote in %), None when unknown."""
    if wert is None or wert != wert:
        return None
    for klasse in range(len(INDEX_KLASSEN) - 1):
        if INDEX_KLASSEN[klasse] <= wert < INDEX_KLASSEN[klasse + 1]:
            return klasse
    return len(INDEX_KLASSEN) - 2


def farbe(stufe: int | None) -> str:
    return KEINE_ANGABE_FARBE if stufe is None else STUFEN_FARBEN[stufe]


def textfarbe(stufe: int | None) -> str:
    return KEINE_ANGABE_TEXTFARBE if stufe is None else STUFEN_TEXTFARBEN[stufe]


# --- EfA ---------------------------------------------------------------------------------------
NICHT_ZUSTAENDIG, NICHT_ANGEBUNDEN, IN_PRUEFUNG, IN_UMSETZUNG, LIVE = ANBINDUNG_STATUS = (
    "nicht zuständig", "nicht angebunden", "in Prüfung", "in Umsetzung", "live")
ANBINDUNG_FARBEN = {
    "nicht zuständig": "#ffffff",
    "nicht angebunden": "#ffffcc",
    "in Prüfung": "#a1dab4",
    "in Umsetzung": "#41b6c4",
    "live": "#253494",
}
HINDERNISSE = ("Vertrag", "Schnittstelle zum Fachverfahren", "kein FIT-Connect-Zustellpunkt",
               "Budget", "Personal", "sonstiges")
VOLLZUG_EBENEN = ("Gemeinde", "Kreis")
OZG_THEMENFELDER = (
    "Mobilität & Reisen", "Bildung", "Engagement & Hobby", "Ein- & Auswanderung",
    "Unternehmensführung & -entwicklung", "Steuern & Zoll", "Umwelt", "Arbeit & Ruhestand",
    "Familie & Kind", "Querschnittsleistungen", "Bauen & Wohnen", "Forschung & Förderung",
    "Gesundheit", "Recht & Ordnung",
)
REIFEGRAD_MODELLE = {"1.x": 4, "2.0": 7}  # model version -> highest level

# --- Software and standards --------------------------------------------------------------------
DOMAENE_PORTAL = "Portal/Antragsmanagement"
DOMAENEN = (
    "E-Akte/DMS", DOMAENE_PORTAL, "Servicekonto", "Ratsinformationssystem",
    "Finanzwesen (HKR)", "Einwohnermeldewesen", "Personenstandswesen",
    "IT-Dienstleister/Rechenzentrum",
)
STANDARDS = ("XRechnung", "xdomea", "XMeld", "XPersonenstand", "XBau", "FIT-Connect")
STANDARD_WERTE = ("ja", "nein", "unbekannt")

# --- Kooperationen -----------------------------------------------------------------------------
VERBINDLICHKEIT = ("eher lose", "verbindlich")
DAUER = ("temporär", "dauerhaft")
# Zweckvereinbarung and gemeinsame kommunale Anstalt: the public-law forms of Niedersachsen
# besides the Zweckverband (§ 1 Abs. 1 NKomZG); other Länder call the agreement
# "öffentlich-rechtliche Vereinbarung" and the joint institution an AöR.
RECHTSFORMEN = ("Zweckverband", "Zweckvereinbarung", "öffentlich-rechtliche Vereinbarung",
                "gemeinsame kommunale Anstalt", "AöR", "GmbH", "e.V.", "keine")
AUSRICHTUNGEN = ("strategisch", "operativ")
HANDLUNGSFELDER = ("Verwaltung", "Wirtschaft", "Gesundheit", "Bildung", "Mobilität", "Tourismus",
                   "Umwelt")
KOOPERATION_STATUS = ("geplant", "aktiv", "beendet")
# Qualitative, colour-blind safe (Okabe & Ito 2008, "Color Universal Design"), plus one symbol per
# Handlungsfeld so colour is never the only cue; markers get a dark outline for contrast.
HANDLUNGSFELD_FARBEN: dict[str, str] = {
    "Verwaltung": "#0072B2", "Wirtschaft": "#E69F00", "Gesundheit": "#009E73",
    "Bildung": "#CC79A7", "Mobilität": "#56B4E9", "Tourismus": "#F0E442", "Umwelt": "#D55E00",
}
HANDLUNGSFELD_SYMBOLE: dict[str, str] = {
    "Verwaltung": "circle", "Wirtschaft": "square", "Gesundheit": "diamond",
    "Bildung": "triangle-up", "Mobilität": "triangle-down", "Tourismus": "pentagon",
    "Umwelt": "hexagon",
}
WEITERE_HANDLUNGSFELD_FARBE = "#999999"  # a Handlungsfeld a Kreis adds itself
AKTEURSTYPEN = ("Verwaltung", "Landkreis", "Land", "Unternehmen", "Wissenschaft",
                "Zivilgesellschaft", "IT-Dienstleister", "sonstige")

# --- Steuerung ---------------------------------------------------------------------------------
FINANZIERUNG = ("Eigenmittel", "Fremdmittel", "Fördermittel")
PRIORITAETEN = ("hoch", "mittel", "niedrig")
MASSNAHME_STATUS = ("geplant", "in Umsetzung", "verzögert", "abgeschlossen", "gestoppt")
MASSNAHME_STATUS_FARBEN = {"geplant": "#c7e9b4", "in Umsetzung": "#41b6c4", "verzögert": "#fdae61",
                           "abgeschlossen": "#253494", "gestoppt": "#9e9e9e"}
# Changes between quarters: a fall-back (orange, distinct from the blue-green Stufen scale) and
# "overdue" markings (dark red, >= 4.5:1 on white).
RUECKSCHRITT_FARBE = "#fdae61"
UEBERFAELLIG_FARBE = "#b30000"


def skalen_tabelle(merkmale: tuple[Merkmal, ...] | list[Merkmal]) -> list[dict[str, str]]:
    """One row per Merkmal with its level labels, for the Methodik page and export sheets."""
    rows = []
    for merkmal in merkmale:
        row = {"Merkmal": merkmal.name, "Pflicht": "ja" if merkmal.pflicht else "nein"}
        if merkmal.art == "ja_nein":
            row.update({"0": "nein", "1": "ja", "2": "", "3": "", "4": ""})
        else:
            row.update({str(i): label for i, label in enumerate(merkmal.stufen)})
        row["–"] = KEINE_ANGABE
        rows.append(row)
    return rows
