"""EfA rules: pure functions without I/O – Zuständigkeit, status and catalog checks, EfA-Quote,
the Nachnutzungs-Chance score and its German reasons.

- **Vollzug** of a Leistung in a Kreis: the Kreis override wins over the rule of the Kreis's
  Land; without either the Vollzug is unknown and the Leistung counts for nobody.
- **Zuständig** for a Leistung with Vollzug "Gemeinde" are the Gemeinde-level Verwaltungen, for
  Vollzug "Kreis" only the Kreisverwaltung; a kreisfreie Stadt for both. An Anbindung set to
  "nicht zuständig" takes that one Verwaltung out.
- A responsible Verwaltung without an Anbindung row in a quarter is "nicht angebunden".
- **EfA-Quote** = live / zuständige Leistungen, in percent.
- **Nachnutzungs-Chance** (V, L): V is responsible for L, L is not live at V, and L is live at
  one or more other Verwaltungen of the Kreis. Score: ``ChancenGewichte``, ``methodik_text``.
"""
from __future__ import annotations

import math
import re
from dataclasses import asdict, dataclass, fields

import pandas as pd

from kreis_data import formatting, scales, textregeln
from kreis_data.model import Leistung

# Labels from scales: ("nicht zuständig", "nicht angebunden", ..., "live").
NICHT_ZUSTAENDIG, NICHT_ANGEBUNDEN, LIVE = (scales.NICHT_ZUSTAENDIG, scales.NICHT_ANGEBUNDEN,
                                            scales.LIVE)


PORTAL_DOMAENE = scales.DOMAENE_PORTAL


KEINE_ANSPRECHPERSON = "keine Ansprechperson benannt"


def zustaendig(ebene: str | None, vollzugsebenen: tuple[str, ...],
               status: str | None = None) -> bool:
    """Is a Verwaltung that executes ``vollzugsebenen`` (``laender.vollzugsebenen``)
    responsible for a Leistung with this Vollzug-Ebene?

    Gemeinde-level Leistungen: every Gemeinde-level Verwaltung, never the Kreisverwaltung;
    Kreis-level Leistungen: only the Kreisverwaltung; a kreisfreie Stadt both; unknown Vollzug:
    nobody. An Anbindung with status "nicht zuständig" is an explicit exception.
    """
    if ebene not in scales.VOLLZUG_EBENEN or status == NICHT_ZUSTAENDIG:
        return False
    return ebene in vollzugsebenen


def reifegrad_text(reifegrad: object, modell: object) -> str:
    """"3 von 4 (Modell 1.x)" or "keine Angabe"."""
    if reifegrad is None or pd.isna(reifegrad):
        return scales.KEINE_ANGABE
    hoechste = scales.REIFEGRAD_MODELLE.get(str(modell)) if modell else None
    if hoechste is None:
        return f"{int(reifegrad)} (Modell unbekannt)"
    return f"{int(reifegrad)} von {hoechste} (Modell {modell})"


def vollzug_text(ebene: object, herkunft: object, grundlage: object = None) -> str:
    """ "Kreis (Landesrecht, belegt)", "Gemeinde (Landesrecht, Annahme)",
    "Kreis (Abweichung des Kreises)" or "keine Angabe"."""
    if not isinstance(ebene, str):
        return scales.KEINE_ANGABE
    if herkunft == "Kreis":
        return f"{ebene} (Abweichung des Kreises)"
    return f"{ebene} (Landesrecht{f', {grundlage}' if isinstance(grundlage, str) else ''})"


# --- EfA-Quote and Go-lives ----------------------------------------------------------------------
def quote(live: int, zustaendige: int) -> float | None:
    """EfA-Quote in percent: live ÷ zuständige Leistungen; None without zuständige."""
    return 100.0 * live / zustaendige if zustaendige else None


# --- Nachnutzungs-Chancen -------------------------------------------------------------------------
@dataclass(frozen=True)
class ChancenGewichte:
    """The one place for the weights of the Nachnutzungs-Chance score (points per reason)."""

    nachbar: float = 3.0  # per direct neighbour where the Leistung is live
    nachnutzer: float = 0.5  # per Verwaltung in the Kreis where it is live (neighbours included)
    einwohner: float = 2.0  # times V's inhabitants, log-scaled to 0..1 within the Kreis
    gleiches_portal: float = 2.0  # once, if an adopter uses the same portal product as V


GEWICHTE = ChancenGewichte()


def einwohner_skala(einwohner: float, minimum: float, maximum: float) -> float:
    """Inhabitants log-scaled to 0..1 between the smallest and the largest Verwaltung."""
    if einwohner <= 0 or maximum <= minimum or minimum <= 0:
        return 1.0 if einwohner > 0 else 0.0
    wert = (math.log(einwohner) - math.log(minimum)) / (math.log(maximum) - math.log(minimum))
    return min(1.0, max(0.0, wert))


def _hat_text(value: object) -> bool:
    return isinstance(value, str) and value.strip() != ""


def kontakt_text(name: object, email: object, telefon: object) -> str:
    """"Anna Beispiel · anna@example.org · 05401 123-45" or "keine Ansprechperson benannt"."""
    if not _hat_text(name):
        return KEINE_ANSPRECHPERSON
    return " · ".join(t for t in (name, email, telefon) if _hat_text(t))


def _seit(seit: object) -> str:
    return f" seit {formatting.quartal(seit)}" if isinstance(seit, str) and seit else ""


def begruendung(*, nachbarn_live: int, nachnutzer: int, adopter: str, adopter_live_seit: object,
                adopter_ist_nachbar: bool, gleiches_portal: bool, portal: str | None,
                einwohner: int) -> str:
    """The reason of a chance in German words, e.g. "live bei 3 Nachbarn, u. a. Belm seit
    2025-Q4; insgesamt bei 5 Verwaltungen im Kreis; gleiches Portal (…); 13.788 Einwohner"."""
    teile = []
    seit = _seit(adopter_live_seit)
    if nachbarn_live == 1 and adopter_ist_nachbar:
        teile.append(f"live beim Nachbarn {adopter}{seit}")
    elif nachbarn_live > 1:
        teile.append(f"live bei {nachbarn_live} Nachbarn, u. a. {adopter}{seit}")
    if nachbarn_live == 0:
        if nachnutzer == 1:
            teile.append(f"live bei {adopter}{seit} im Kreis")
        else:
            teile.append(f"live bei {formatting.anzahl(nachnutzer, 'Verwaltung', 'Verwaltungen')} im "
                         f"Kreis, u. a. {adopter}{seit}")
    elif nachnutzer > nachbarn_live:
        teile.append(f"insgesamt bei {formatting.anzahl(nachnutzer, 'Verwaltung')} im Kreis")
    if gleiches_portal:
        teile.append(f"gleiches Portal ({portal})" if portal else "gleiches Portal")
    teile.append(f"{formatting.zahl(einwohner)} Einwohner")
    return "; ".join(teile)


def bester_adopter(kandidaten: list[str], nachbarn: set[str], portal: str | None,
                    portale_: dict[str, str], kontakte: dict[str, str | None],
                    seit: dict[str, object], namen: dict[str, str]) -> str:
    """Prefer a neighbour, then a named contact (the point is a phone call), then the same
    portal, then the one live for the longest time."""
    def ordnung(key: str) -> tuple:
        live_seit = seit.get(key)
        return (key not in nachbarn,
                not _hat_text(kontakte.get(key)),
                not (portal is not None and portale_.get(key) == portal),
                live_seit if isinstance(live_seit, str) and live_seit else "9999-Q9",
                namen[key])
    return min(kandidaten, key=ordnung)


def methodik_text(gewichte: ChancenGewichte = GEWICHTE,
                  arten_text: str = "Einheitsgemeinden, Städte, Ämter, Samtgemeinden …",
                  kreisfrei: bool = False) -> str:
    """German explanation of EfA-Quote and the Nachnutzungs-Chance score (Markdown).
    ``arten_text``: the Verwaltungsarten of the Kreis (``laender.Gebiet.arten_text``)."""
    g = asdict(gewichte)
    zustaendigkeit = (
        "Eine kreisfreie Stadt vollzieht Leistungen beider Ebenen selbst. " if kreisfrei else
        f"Leistungen der Gemeindeebene schulden die Verwaltungen der Gemeinden ({arten_text}), "
        "Leistungen der Kreisebene nur die Kreisverwaltung – einer Gemeinde fehlt also nie "
        "eine Kreisleistung. ")
    z = {k: formatting.zahl(v, 0 if float(v).is_integer() else 1) for k, v in g.items()}
    return (
        "**Zuständigkeit (Vollzug).** Wer eine EfA-Leistung vollzieht, bestimmt das Landesrecht; "
        "der Kreis kann davon abweichen. Es gilt: Abweichung des Kreises vor Regel des Landes; "
        "fehlt beides, ist der Vollzug ungeklärt und die Leistung zählt für niemanden. "
        f"{zustaendigkeit}Eine Anbindung mit dem Status "
        "„nicht zuständig“ nimmt eine einzelne Verwaltung ausdrücklich aus. Ist für eine "
        "zuständige Verwaltung in einem Quartal nichts erfasst, gilt „nicht angebunden“.\n\n"
        "**EfA-Quote** einer Verwaltung = live geschaltete ÷ zuständige Leistungen (in %). "
        + ("" if kreisfrei else
           "Die Kreis-Quote fasst alle Verwaltungen einschließlich der Kreisverwaltung zusammen. ")
        + "Die Veränderung wird in Prozentpunkten gegenüber dem Vorquartal angegeben.\n\n"
        "**Nachnutzungs-Chance.** Eine Verwaltung hat eine Chance bei einer Leistung, wenn sie "
        "zuständig ist, die Leistung bei ihr noch nicht live ist und mindestens eine andere "
        "Verwaltung im Kreis sie schon live betreibt. Die Rangfolge ergibt sich aus Punkten, "
        "die offen ausgewiesen werden:\n\n"
        f"- **{z['nachbar']} Punkte je direktem Nachbarn**, bei dem die Leistung live ist "
        "(Nachbarn teilen eine Gemeindegrenze),\n"
        f"- **{z['nachnutzer']} Punkte je Verwaltung im Kreis**, bei der sie live ist "
        "(Nachbarn zählen hier noch einmal mit),\n"
        f"- **bis zu {z['einwohner']} Punkte für die Einwohnerzahl** der Verwaltung: "
        "logarithmisch zwischen der kleinsten (0) und der größten (1) Verwaltung des Kreises "
        "skaliert – mehr Menschen profitieren, aber eine große Stadt verdrängt nicht alle "
        "anderen,\n"
        f"- **{z['gleiches_portal']} Punkte, wenn ein Nachnutzer dasselbe Portal** "
        "(Domäne Portal/Antragsmanagement) einsetzt – der Anschluss ist dann meist weniger "
        "Aufwand.\n\n"
        "Score = Summe der Punkte. Zu jeder Chance wird eine Verwaltung genannt, bei der die "
        "Leistung schon live ist – bevorzugt ein Nachbar, dann eine Verwaltung mit benannter "
        "Ansprechperson, dann dasselbe Portal, dann die, bei der sie am längsten live ist – mit ihrer "
        "Ansprechperson: Ein Anruf dort ist der erste Schritt. Leistungen der Kreisebene haben im "
        "eigenen Kreis keine Nachnutzer und erscheinen daher nicht als Chance."
    )


# --- Checks of what a form or an import sends ---------------------------------------------
class _Unveraendert:
    def __repr__(self) -> str:
        return "UNVERAENDERT"


UNVERAENDERT = _Unveraendert()  # "leave this field as it is"


STATUS_ERLAUBT = ", ".join(scales.ANBINDUNG_STATUS)


HINDERNIS_ERLAUBT = ", ".join(scales.HINDERNISSE)


def leer(value: object) -> bool:
    return value is None or (isinstance(value, str) and value.strip() == "")


# --- Anbindung ------------------------------------------------------------------------------------
def parse_status(value: object) -> str:
    """One of scales.ANBINDUNG_STATUS (case-insensitive); German ValueError otherwise."""
    if leer(value):
        raise ValueError(f"Status fehlt – erlaubt sind {STATUS_ERLAUBT}")
    text = str(value).strip()
    for status in scales.ANBINDUNG_STATUS:
        if status.casefold() == text.casefold():
            return status
    raise ValueError(f"„{text}“ ist kein gültiger Status – erlaubt sind {STATUS_ERLAUBT}")


def parse_hindernis(value: object) -> str | None:
    """One of scales.HINDERNISSE or None for empty; German ValueError otherwise."""
    if leer(value):
        return None
    text = str(value).strip()
    for hindernis in scales.HINDERNISSE:
        if hindernis.casefold() == text.casefold():
            return hindernis
    raise ValueError(f"„{text}“ ist kein gültiges Hindernis – erlaubt sind {HINDERNIS_ERLAUBT} "
                     "oder leer")


# --- Katalog --------------------------------------------------------------------------------------
@dataclass(frozen=True)
class LeistungEingabe:
    """A catalog entry as entered. vollzug_land: rule of the Kreis's Land ("Gemeinde", "Kreis" or
    None = not known); vollzug_kreis: the Kreis's override (None = no override)."""

    name: str
    themenfeld: str
    federfuehrung: str | None = None
    leika: str | None = None
    efa_dienst: str | None = None
    reifegrad: int | None = None
    reifegrad_modell: str | None = None
    quelle_url: str | None = None
    vollzug_land: str | None = None
    vollzug_kreis: str | None = None


LEISTUNG_FELDER = ("name", "themenfeld", "federfuehrung", "leika", "efa_dienst", "reifegrad",
                   "reifegrad_modell", "quelle_url")
# German names of the fields of a catalog entry (messages, success texts).
LEISTUNG_FELDNAMEN = {
    "name": "Name", "themenfeld": "OZG-Themenfeld", "federfuehrung": "Federführung",
    "leika": "LeiKa-Schlüssel", "efa_dienst": "EfA-Onlinedienst", "reifegrad": "Reifegrad",
    "reifegrad_modell": "Reifegradmodell", "quelle_url": "Quelle", "vollzug_land": "Vollzug",
    "vollzug_kreis": "Abweichung des Kreises",
}


_LEIKA = re.compile(r"^99\d{12}$")


def _text(value: object) -> str | None:
    return None if leer(value) else str(value).strip()


def validate_leistung(eingabe: LeistungEingabe) -> tuple[dict[str, object], list[str]]:
    """Cleaned field values and all German error messages."""
    fehler: list[str] = []
    werte: dict[str, object] = {f.name: getattr(eingabe, f.name) for f in fields(eingabe)}
    for feld in ("name", "federfuehrung", "efa_dienst", "quelle_url", "reifegrad_modell",
                 "vollzug_land", "vollzug_kreis", "themenfeld"):
        try:
            if feld == "name":
                werte[feld] = textregeln.pruefe_name(
                    werte[feld], LEISTUNG_FELDNAMEN[feld],
                    max_laenge=textregeln.laenge(Leistung, feld))
            else:
                werte[feld] = textregeln.pruefe_text(
                    werte[feld], LEISTUNG_FELDNAMEN[feld],
                    max_laenge=(textregeln.laenge(Leistung, feld) if feld in LEISTUNG_FELDER
                                else textregeln.TEXT_MAX))
        except ValueError as exc:
            fehler.append(str(exc))
            werte[feld] = None
    if isinstance(werte["reifegrad"], bool) or textregeln.ist_formel_ohne_wert(
            werte["reifegrad"]):
        fehler.append(f"Reifegrad „{werte['reifegrad']}“ ist keine ganze Zahl – WAHR/FALSCH oder "
                      "eine Formel ohne Wert ist kein Reifegrad")
        werte["reifegrad"] = None
    if werte["name"] is None and not any("Name:" in f for f in fehler):
        fehler.append("Name fehlt – bitte die Bezeichnung der Leistung eintragen")
    if werte["themenfeld"] not in scales.OZG_THEMENFELDER:
        fehler.append(f"„{werte['themenfeld'] or ''}“ ist kein OZG-Themenfeld – erlaubt sind "
                      f"{', '.join(scales.OZG_THEMENFELDER)}")
    leika = re.sub(r"\s+", "", str(werte["leika"])) if not leer(werte["leika"]) else None
    if leika is not None and not _LEIKA.match(leika):
        fehler.append(f"LeiKa-Schlüssel „{werte['leika']}“ ist ungültig – erlaubt sind 14 Ziffern, "
                      "beginnend mit 99 (z. B. 99050012104000), oder leer")
    werte["leika"] = leika
    modell = werte["reifegrad_modell"]
    reifegrad = werte["reifegrad"]
    if modell is not None and modell not in scales.REIFEGRAD_MODELLE:
        fehler.append(f"Reifegradmodell „{modell}“ ist unbekannt – erlaubt sind "
                      f"{', '.join(scales.REIFEGRAD_MODELLE)}")
    if reifegrad is not None and not (isinstance(reifegrad, float) and reifegrad != reifegrad):
        try:
            stufe = int(reifegrad)
            if stufe != float(reifegrad):
                raise ValueError
        except (TypeError, ValueError):
            fehler.append(f"Reifegrad „{reifegrad}“ ist keine ganze Zahl")
            stufe = None
        if stufe is not None:
            if modell is None:
                fehler.append("zum Reifegrad fehlt die Modellversion – erlaubt sind "
                              f"{', '.join(scales.REIFEGRAD_MODELLE)}")
            elif modell in scales.REIFEGRAD_MODELLE:
                hoechste = scales.REIFEGRAD_MODELLE[modell]
                if not 0 <= stufe <= hoechste:
                    fehler.append(f"Reifegrad {stufe} liegt außerhalb des Modells {modell} – "
                                  f"erlaubt sind 0 bis {hoechste}")
        werte["reifegrad"] = stufe
    else:
        werte["reifegrad"] = None
    if werte["quelle_url"] is not None and not re.match(r"^https?://\S+$", werte["quelle_url"]):
        fehler.append(f"Quelle „{werte['quelle_url']}“ ist kein Link – erwartet wird eine "
                      "Adresse, die mit http:// oder https:// beginnt, oder leer")
    for feld, titel in (("vollzug_land", "Vollzug nach Landesrecht"),
                        ("vollzug_kreis", "Abweichung des Kreises")):
        if werte[feld] is not None and werte[feld] not in scales.VOLLZUG_EBENEN:
            fehler.append(f"{titel}: „{werte[feld]}“ ist ungültig – erlaubt sind "
                          f"{', '.join(scales.VOLLZUG_EBENEN)} oder leer")
    return werte, fehler
