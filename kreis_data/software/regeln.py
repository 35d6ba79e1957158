"""Standardisation gaps: products per Domäne, Vereinheitlichungsgrad, Insellösungen,
Konsolidierungs-Cluster, standard support and the national reference.

Which Verwaltungen count
    All figures per Domäne (number of products, Vereinheitlichungsgrad, Insellösungen, Cluster)
    and per standard (shares, gaps) are computed over the **Gemeinde-level Verwaltungen**
    (Einheitsgemeinden, Städte, Samtgemeinden …) only. The Kreisverwaltung runs its own, larger
    installation and serves every inhabitant of the Kreis; counting it would make "one more
    Verwaltung" out of the Kreis and its Einwohner would dominate every ranking. It is therefore
    shown separately: which product it uses (``kreisverwaltung`` column, ``kreis_produkt``) and
    which standards it supports (``kreis_luecken``). A cluster whose product the Kreisverwaltung
    also uses gets that noted in its suggestion.

Vereinheitlichungsgrad
    Normalised Herfindahl index over the shares of Verwaltungen per product:
    H = Σ sᵢ², HHI* = (H − 1/N) / (1 − 1/N) with N distinct products; N = 1 gives 1 (everyone on
    one product), an even split over the N products (e.g. all different) gives 0. Verwaltungen
    without an entry in a Domäne ("keine Angabe") are left out and counted separately.

Konsolidierungs-Cluster and Kooperationen
    A cluster's "shared formats" are the Kooperationen (not ended, Handlungsfeld "Verwaltung")
    with at least two of its Verwaltungen; a cluster with none is flagged as the stronger hint.

Already shared services are no Konsolidierungs-Cluster
    A product that is already run once for everyone – by the Bund or a Land (hersteller "Bund",
    "Land …", "Freistaat …"), by the shared IT-Dienstleister or the Kreis (names "… des
    IT-Dienstleisters", "… des Landkreises"), and every shared IT-Dienstleister itself (ITEBO,
    KDO …, not "eigener IT-Betrieb") – is already consolidated: its users are listed by
    ``gemeinsam_betrieben`` and never proposed as a cluster (BundID, ITEBO, the shared form
    server).

Standards apply per level
    A standard counts only for a Verwaltung that has the task it serves
    (``STANDARD_EBENE``): XPersonenstand connects Standesämter, and a Kreis has no
    Standesamt, so the Kreisverwaltung shows "nicht zuständig" there and it is never a gap.

Pure functions over DataFrames and the checks of entered values; reads are in
``software.lesen``, writes in ``software.schreiben``.
"""
from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd

from kreis_data import bundesvergleich, formatting, scales, textregeln
from kreis_data.fehler import Ungueltig
from kreis_data.model import Produkt

# The Domänen the demo acceptance and the page's default focus on.
HAUPT_DOMAENEN = ("E-Akte/DMS", "Portal/Antragsmanagement", "Ratsinformationssystem",
                  "Finanzwesen (HKR)")


GEMEINSAME_BESCHAFFUNG = "gemeinsame Beschaffung"


GEMEINSAMER_BETRIEB = "gemeinsamer Betrieb"


GEMEINSAME_SCHULUNGEN = "gemeinsame Schulungen"


VORSCHLAEGE = (GEMEINSAME_BESCHAFFUNG, GEMEINSAMER_BETRIEB, GEMEINSAME_SCHULUNGEN)


# Domänen whose product is a server installation a Verwaltung runs (or has run) itself:
# several users of one product can share one installation.
_EIGENE_INSTALLATION = ("E-Akte/DMS", "Finanzwesen (HKR)", "Ratsinformationssystem",
                        "Einwohnermeldewesen", "Personenstandswesen")


# Domänen whose product is already a shared service run by the Land, the Bund or a provider.
_GETEILTER_DIENST = ("Servicekonto", "IT-Dienstleister/Rechenzentrum")

# Product names that mean "run by oneself", not a shared service, in a _GETEILTER_DIENST Domäne.
_EIGENBETRIEB = ("eigener", "eigene")
# Operators named in a product's name or hersteller that run it once for many Verwaltungen.
_BETREIBER_IM_NAMEN = (("des IT-Dienstleisters", "IT-Dienstleister"),
                       ("des Landkreises", "Landkreis"), ("des Kreises", "Kreis"))
_BETREIBER_HERSTELLER = ("Bund", "Land", "Freistaat")

# Standard -> the task (and so the level) it serves; a standard not listed applies to every
# Verwaltung. The Kreisverwaltung has no Standesamt (Personenstandswesen is Gemeinde level).
STANDARD_EBENE = {"XPersonenstand": "Standesamt"}
NICHT_ZUSTAENDIG = "nicht zuständig"


BETRIEB_AB = 3  # cluster size from which shared operation is suggested


KOOPERATION_HANDLUNGSFELD = "Verwaltung"  # Kooperationen that count as a shared format


REFERENZ_LABEL = ("Umfrage unter Landkreisen, Ende 2017 (Deutscher Landkreistag / "
                  "Fraunhofer IESE), n = 146")


EINSATZ_SPALTEN = ["verwaltung_key", "verwaltung", "kreisverwaltung", "einwohner", "domaene",
                   "produkt", "hersteller", "version"]


# --- Vereinheitlichungsgrad ------------------------------------------------------------------------
def vereinheitlichungsgrad(anzahlen: Sequence[int]) -> float | None:
    """Normalised Herfindahl index of the Verwaltungen per product (0 = evenly spread, e.g. all
    different; 1 = all on one product); None when no Verwaltung has a product."""
    werte = [int(a) for a in anzahlen if a and a > 0]
    gesamt = sum(werte)
    if gesamt == 0:
        return None
    n = len(werte)
    if n == 1:
        return 1.0
    h = sum((a / gesamt) ** 2 for a in werte)
    return max(0.0, min(1.0, (h - 1 / n) / (1 - 1 / n)))


# --- Per Domäne ----------------------------------------------------------------------------------
def produkte(einsatz: pd.DataFrame, domaene: str) -> pd.DataFrame:
    """Products of a Domäne at Gemeinde level: produkt, hersteller, verwaltungen (count),
    einwohner, anteil (share of Verwaltungen with an entry, %), namen ("; "-joined),
    verwaltung_keys (list), kreisverwaltung (the Kreisverwaltung uses it too), insel.
    Sorted by Verwaltungen, then Einwohner, descending. Products only the Kreisverwaltung
    uses appear with 0 Verwaltungen."""
    teil = einsatz[einsatz["domaene"] == domaene]
    gemeinden = teil[~teil["kreisverwaltung"]]
    kreis_produkte = set(teil.loc[teil["kreisverwaltung"], "produkt"])
    gesamt = len(gemeinden)
    # one pass per Domäne (the report and the page call this for every Domäne)
    gruppen = {p: g.sort_values("verwaltung") for p, g in gemeinden.groupby("produkt")}
    leer = gemeinden.iloc[0:0]
    hersteller_je = teil.groupby("produkt")["hersteller"].first()  # first non-empty
    rows = []
    for produkt in sorted(set(teil["produkt"]), key=str.casefold):
        nutzer = gruppen.get(produkt, leer)
        hersteller = hersteller_je.get(produkt)
        rows.append({
            "produkt": produkt,
            "hersteller": None if hersteller is None or pd.isna(hersteller) else hersteller,
            "verwaltungen": len(nutzer),
            "einwohner": int(nutzer["einwohner"].sum()),
            "anteil": 100 * len(nutzer) / gesamt if gesamt else 0.0,
            "namen": "; ".join(nutzer["verwaltung"]),
            "verwaltung_keys": list(nutzer["verwaltung_key"]),
            "kreisverwaltung": produkt in kreis_produkte,
            "insel": len(nutzer) == 1,
        })
    frame = pd.DataFrame(rows, columns=["produkt", "hersteller", "verwaltungen", "einwohner",
                                        "anteil", "namen", "verwaltung_keys", "kreisverwaltung",
                                        "insel"])
    return frame.sort_values(["verwaltungen", "einwohner", "produkt"],
                             ascending=[False, False, True], ignore_index=True)


def insel_loesungen(einsatz: pd.DataFrame, domaene: str | None = None) -> pd.DataFrame:
    """Products used by exactly one Gemeinde-level Verwaltung: domaene, produkt, hersteller,
    verwaltung_key, verwaltung, einwohner, kreisverwaltung (Kreis uses the product too)."""
    rows = []
    for d in _domaenen(einsatz, domaene):
        for row in produkte(einsatz, d).itertuples():
            if row.insel:
                rows.append({"domaene": d, "produkt": row.produkt, "hersteller": row.hersteller,
                             "verwaltung_key": row.verwaltung_keys[0], "verwaltung": row.namen,
                             "einwohner": row.einwohner, "kreisverwaltung": row.kreisverwaltung})
    return pd.DataFrame(rows, columns=["domaene", "produkt", "hersteller", "verwaltung_key",
                                       "verwaltung", "einwohner", "kreisverwaltung"])


def vorschlag(domaene: str, groesse: int, kreis_nutzt: bool = False) -> tuple[str, str]:
    """Rule-based suggestion for a Konsolidierungs-Cluster: (one of VORSCHLAEGE, reason).

    - Servicekonto, IT-Dienstleister: already a shared service -> gemeinsame Schulungen.
    - Own installations (E-Akte, HKR, Rats-, Melde-, Personenstandswesen): from BETRIEB_AB
      Verwaltungen gemeinsamer Betrieb (one installation with Mandanten), below gemeinsame
      Beschaffung (bundle licences and maintenance at the next contract renewal).
    - Portal/Antragsmanagement and others: from BETRIEB_AB gemeinsame Beschaffung of forms and
      online services, below gemeinsame Schulungen.
    """
    if domaene in _GETEILTER_DIENST:
        art, grund = GEMEINSAME_SCHULUNGEN, (
            "Das Produkt wird bereits zentral betrieben; gemeinsame Schulungen und ein "
            "gemeinsamer Ansprechpartner gegenüber dem Betreiber senken den Aufwand.")
    elif domaene in _EIGENE_INSTALLATION and groesse >= BETRIEB_AB:
        art, grund = GEMEINSAMER_BETRIEB, (
            f"{groesse} Verwaltungen betreiben dasselbe Produkt – eine gemeinsame Installation "
            "mit Mandanten (z. B. beim IT-Dienstleister) spart Betrieb, Updates und Lizenzen.")
    elif domaene in _EIGENE_INSTALLATION:
        art, grund = GEMEINSAME_BESCHAFFUNG, (
            "Lizenzen und Wartung bei der nächsten Vertragsverlängerung gemeinsam ausschreiben; "
            "Schulungen und Vorlagen teilen.")
    elif groesse >= BETRIEB_AB:
        art, grund = GEMEINSAME_BESCHAFFUNG, (
            f"{groesse} Verwaltungen nutzen dasselbe Produkt – Formulare und Online-Dienste "
            "gemeinsam beschaffen und pflegen.")
    else:
        art, grund = GEMEINSAME_SCHULUNGEN, (
            "Erfahrungen, Vorlagen und Schulungen teilen; bei Erweiterungen gemeinsam "
            "beschaffen.")
    if kreis_nutzt:
        grund += " Die Kreisverwaltung nutzt dasselbe Produkt: Betrieb durch den Kreis prüfen."
    return art, grund


def betreiber(domaene: str, produkt: str, hersteller: str | None = None) -> str | None:
    """Who already runs `produkt` once for all its users, or None for a product each
    Verwaltung runs (or has run) itself. See the module docstring."""
    name = str(produkt or "")
    if domaene in _GETEILTER_DIENST and not name.casefold().startswith(_EIGENBETRIEB):
        return (hersteller or name) if domaene == "IT-Dienstleister/Rechenzentrum" else (
            hersteller or "zentraler Betreiber")
    for teil, wer in _BETREIBER_IM_NAMEN:
        if teil in name:
            return wer
    h = str(hersteller or "").strip()
    if h and h.split()[0] in _BETREIBER_HERSTELLER:
        return h
    return None


def gemeinsam_betrieben(einsatz: pd.DataFrame, domaene: str | None = None) -> pd.DataFrame:
    """Products already run jointly that >= 2 Gemeinde-level Verwaltungen use: domaene,
    produkt, betreiber, verwaltungen, einwohner, namen, verwaltung_keys. No cluster."""
    rows = []
    for d in _domaenen(einsatz, domaene):
        for row in produkte(einsatz, d).itertuples():
            wer = betreiber(d, row.produkt, row.hersteller)
            if row.verwaltungen >= 2 and wer is not None:
                rows.append({"domaene": d, "produkt": row.produkt, "betreiber": wer,
                             "verwaltungen": row.verwaltungen, "einwohner": row.einwohner,
                             "namen": row.namen, "verwaltung_keys": row.verwaltung_keys})
    return pd.DataFrame(rows, columns=["domaene", "produkt", "betreiber", "verwaltungen",
                                       "einwohner", "namen", "verwaltung_keys"])


def cluster(einsatz: pd.DataFrame, kooperationen: pd.DataFrame,
            domaene: str | None = None) -> pd.DataFrame:
    """Konsolidierungs-Cluster: >= 2 Gemeinde-level Verwaltungen on the same product that is
    not already run jointly (``betreiber``).

    Columns: domaene, produkt, verwaltungen (count), einwohner, namen, verwaltung_keys,
    kreisverwaltung, vorschlag (one of VORSCHLAEGE), begruendung, kooperationen (names of the
    not-ended Kooperationen with >= 2 cluster members, with "x von n" coverage),
    ohne_gemeinsames_format (no such Kooperation: a stronger hint), ohne_verbindung (names of
    members that share no Kooperation with any other member). Sorted with clusters without
    a shared format first, then by size and Einwohner."""
    rows = []
    einsatz_namen = dict(zip(einsatz["verwaltung_key"], einsatz["verwaltung"], strict=True))
    for d in _domaenen(einsatz, domaene):
        for row in produkte(einsatz, d).itertuples():
            if row.verwaltungen < 2 or betreiber(d, row.produkt, row.hersteller) is not None:
                continue  # alone, or already run jointly (gemeinsam_betrieben)
            geteilt = gemeinsame_kooperationen(kooperationen, row.verwaltung_keys)
            art, grund = vorschlag(d, row.verwaltungen, row.kreisverwaltung)
            rows.append({
                "domaene": d, "produkt": row.produkt, "verwaltungen": row.verwaltungen,
                "einwohner": row.einwohner, "namen": row.namen,
                "verwaltung_keys": row.verwaltung_keys, "kreisverwaltung": row.kreisverwaltung,
                "vorschlag": art, "begruendung": grund,
                "kooperationen": "; ".join(f"{k} ({m} von {row.verwaltungen})"
                                           for k, m in geteilt),
                "ohne_gemeinsames_format": not geteilt,
                "ohne_verbindung": "; ".join(
                    einsatz_namen[k] for k in ohne_verbindung(kooperationen, row.verwaltung_keys)),
            })
    frame = pd.DataFrame(rows, columns=["domaene", "produkt", "verwaltungen", "einwohner",
                                        "namen", "verwaltung_keys", "kreisverwaltung",
                                        "vorschlag", "begruendung", "kooperationen",
                                        "ohne_gemeinsames_format", "ohne_verbindung"])
    return frame.sort_values(["ohne_gemeinsames_format", "verwaltungen", "einwohner"],
                             ascending=[False, False, False], ignore_index=True)


def gemeinsame_kooperationen(kooperationen: pd.DataFrame,
                             keys: Sequence[str]) -> list[tuple[str, int]]:
    """(Kooperation name, number of the given Verwaltungen in it) for every Kooperation with at
    least two of them, most members first."""
    if kooperationen.empty:
        return []
    treffer = kooperationen[kooperationen["verwaltung_key"].isin(keys)]
    anzahl = (treffer.drop_duplicates(["kooperation_id", "verwaltung_key"])
              .groupby(["kooperation_id", "kooperation"]).size())
    anzahl = anzahl[anzahl >= 2].reset_index(name="n")
    anzahl = anzahl.sort_values(["n", "kooperation"], ascending=[False, True])
    return [(row.kooperation, int(row.n)) for row in anzahl.itertuples()]


def ohne_verbindung(kooperationen: pd.DataFrame, keys: Sequence[str]) -> list[str]:
    """Those of `keys` that share no Kooperation with any other of `keys`."""
    if kooperationen.empty:
        return list(keys)
    treffer = kooperationen[kooperationen["verwaltung_key"].isin(keys)]
    mitglieder = treffer.groupby("kooperation_id")["verwaltung_key"].agg(set)
    verbunden = set().union(*(m for m in mitglieder if len(m) >= 2)) if len(mitglieder) else set()
    return [k for k in keys if k not in verbunden]


def ohne_angabe(einsatz: pd.DataFrame, verwaltungen: pd.DataFrame, domaene: str) -> list[str]:
    """Names of Gemeinde-level Verwaltungen without a product entry in the Domäne."""
    mit = set(einsatz.loc[einsatz["domaene"] == domaene, "verwaltung_key"])
    gemeinden = verwaltungen[~verwaltungen["kreisverwaltung"]]
    return sorted(gemeinden.loc[~gemeinden["key"].isin(mit), "name"])


def uebersicht(einsatz: pd.DataFrame, verwaltungen: pd.DataFrame) -> pd.DataFrame:
    """Per Domäne (scales order): domaene, produkte, vereinheitlichungsgrad, insel_loesungen,
    cluster, erfasst (Verwaltungen with an entry), ohne_angabe, kreis_produkt."""
    rows = []
    for d in scales.DOMAENEN:
        tabelle = produkte(einsatz, d)
        genutzt = tabelle[tabelle["verwaltungen"] > 0]
        kreis = einsatz[(einsatz["domaene"] == d) & einsatz["kreisverwaltung"]]["produkt"]
        rows.append({
            "domaene": d, "produkte": len(genutzt),
            "vereinheitlichungsgrad": vereinheitlichungsgrad(list(genutzt["verwaltungen"])),
            "insel_loesungen": int(genutzt["insel"].sum()),
            "cluster": int((genutzt["verwaltungen"] >= 2).sum()),
            "erfasst": int(genutzt["verwaltungen"].sum()),
            "ohne_angabe": len(ohne_angabe(einsatz, verwaltungen, d)),
            "kreis_produkt": kreis.iloc[0] if not kreis.empty else None,
        })
    return pd.DataFrame(rows)


def _domaenen(einsatz: pd.DataFrame, domaene: str | None) -> list[str]:
    if domaene is not None:
        return [domaene]
    vorhanden = set(einsatz["domaene"])
    return [d for d in scales.DOMAENEN if d in vorhanden] + sorted(vorhanden - set(scales.DOMAENEN))


# --- Standards -----------------------------------------------------------------------------------
def standard_matrix(standards: pd.DataFrame, verwaltungen: pd.DataFrame) -> pd.DataFrame:
    """Verwaltungen x scales.STANDARDS with ja / nein / unbekannt (missing entry = unbekannt);
    NICHT_ZUSTAENDIG where the standard serves a task of the other level (STANDARD_EBENE).

    Index: Verwaltung key; columns: verwaltung, kreisverwaltung, einwohner, then one per
    standard. Gemeinde-level Verwaltungen by name, the Kreisverwaltung last."""
    basis = verwaltungen.set_index("key")[["name", "kreisverwaltung", "einwohner"]].rename(
        columns={"name": "verwaltung"})
    werte = (standards.pivot_table(index="verwaltung_key", columns="standard", values="wert",
                                   aggfunc="first")
             if not standards.empty else pd.DataFrame())
    matrix = basis.copy()
    for standard in scales.STANDARDS:
        spalte = werte[standard] if standard in werte.columns else pd.Series(dtype=object)
        matrix[standard] = spalte.reindex(matrix.index).fillna("unbekannt").astype(str)
    for standard in STANDARD_EBENE:  # standards apply per level: a Kreis has no Standesamt
        if standard in matrix.columns:
            matrix.loc[matrix["kreisverwaltung"].astype(bool), standard] = NICHT_ZUSTAENDIG
    matrix = matrix.sort_values(["kreisverwaltung", "verwaltung"])
    matrix.index.name = "verwaltung_key"
    return matrix


def standard_anteile(matrix: pd.DataFrame) -> pd.DataFrame:
    """Per standard over the Gemeinde-level Verwaltungen: standard, ja, nein, unbekannt,
    gesamt, anteil_ja (% of Verwaltungen), einwohner_ja, anteil_einwohner_ja (%),
    kreisverwaltung (the Kreisverwaltung's value)."""
    gemeinden = matrix[~matrix["kreisverwaltung"]]
    kreis = matrix[matrix["kreisverwaltung"]]
    einwohner = gemeinden["einwohner"].sum()
    rows = []
    for standard in scales.STANDARDS:
        werte = gemeinden[standard]
        ja = int((werte == "ja").sum())
        einwohner_ja = int(gemeinden.loc[werte == "ja", "einwohner"].sum())
        rows.append({
            "standard": standard, "ja": ja, "nein": int((werte == "nein").sum()),
            "unbekannt": int((werte == "unbekannt").sum()), "gesamt": len(gemeinden),
            "anteil_ja": 100 * ja / len(gemeinden) if len(gemeinden) else None,
            "einwohner_ja": einwohner_ja,
            "anteil_einwohner_ja": 100 * einwohner_ja / einwohner if einwohner else None,
            "kreisverwaltung": kreis[standard].iloc[0] if not kreis.empty else None,
        })
    return pd.DataFrame(rows)


def standard_luecken(matrix: pd.DataFrame) -> pd.DataFrame:
    """Gaps per standard at Gemeinde level, ranked by the Einwohner of the Verwaltungen without
    support (wert "nein"): standard, verwaltungen, einwohner, namen, unbekannt (count),
    einwohner_unbekannt, text ("XBau: 7 Verwaltungen mit 123.456 Einwohnern ohne Unterstützung").
    Standards without a "nein" are left out."""
    gemeinden = matrix[~matrix["kreisverwaltung"]]
    rows = []
    for standard in scales.STANDARDS:
        ohne = gemeinden[gemeinden[standard] == "nein"].sort_values("einwohner", ascending=False)
        unbekannt = gemeinden[gemeinden[standard] == "unbekannt"]
        if ohne.empty:
            continue
        einwohner = int(ohne["einwohner"].sum())
        text = (f"{standard}: {_verwaltungen_text(len(ohne))} mit "
                f"{formatting.zahl(einwohner)} Einwohnern ohne Unterstützung")
        if len(unbekannt):
            text += f"; bei {_verwaltungen_text(len(unbekannt))} unbekannt"
        rows.append({"standard": standard, "verwaltungen": len(ohne), "einwohner": einwohner,
                     "namen": "; ".join(ohne["verwaltung"]), "unbekannt": len(unbekannt),
                     "einwohner_unbekannt": int(unbekannt["einwohner"].sum()), "text": text})
    frame = pd.DataFrame(rows, columns=["standard", "verwaltungen", "einwohner", "namen",
                                        "unbekannt", "einwohner_unbekannt", "text"])
    return frame.sort_values(["einwohner", "verwaltungen"], ascending=False, ignore_index=True)


def kreis_luecken(matrix: pd.DataFrame) -> list[str]:
    """Standards the Kreisverwaltung does not support ("nein"); a standard of a task it does
    not have (STANDARD_EBENE) is never a gap."""
    kreis = matrix[matrix["kreisverwaltung"]]
    if kreis.empty:
        return []
    return [s for s in scales.STANDARDS if kreis[s].iloc[0] == "nein"]


def _verwaltungen_text(anzahl: int) -> str:
    return formatting.anzahl(anzahl, "Verwaltung")


# --- National reference --------------------------------------------------------------------------
@dataclass(frozen=True)
class Referenzwert:
    """A "standardisierungsbedarf" row: share of Landkreise seeing a need for standardisation."""

    bereich: str  # e.g. "E-Akte"
    anteil_prozent: float
    quelle: str
    erhebung: str  # as published, e.g. "Ende 2017"
    befragte: str
    n: str
    hinweis: str

    def historisch(self, stichtag: dt.date) -> bool:
        """Older than three years at `stichtag` (same rule as kreis_data.bundesvergleich)."""
        datum = bundesvergleich.erhebungsdatum(self.erhebung)
        if datum is None:
            return True
        return datum < stichtag - dt.timedelta(days=365 * bundesvergleich.VERALTET_NACH_JAHREN)


# Kreis figure that corresponds to a Bereich of the national survey: (Domäne, Standard).
REFERENZ_ZUORDNUNG: dict[str, tuple[str | None, str | None]] = {
    "E-Akte": ("E-Akte/DMS", "xdomea"),
    "Scannen": (None, None),
    "Archivierung": (None, "xdomea"),
    "E-Rechnung": ("Finanzwesen (HKR)", "XRechnung"),
}


def referenz_vergleich(uebersicht_frame: pd.DataFrame, anteile: pd.DataFrame,
                       referenz: list[Referenzwert]) -> pd.DataFrame:
    """National reference rows beside the Kreis picture: bereich, bundesweit (% of Landkreise
    seeing a need for standardisation), kreis (German sentence with the corresponding Kreis
    figures, or "keine vergleichbare Kreis-Kennzahl"), erhebung, hinweis."""
    domaenen = uebersicht_frame.set_index("domaene") if not uebersicht_frame.empty else None
    standards = anteile.set_index("standard") if not anteile.empty else None
    rows = []
    for wert in referenz:
        domaene, standard = REFERENZ_ZUORDNUNG.get(wert.bereich, (None, None))
        teile = []
        if domaene and domaenen is not None and domaene in domaenen.index:
            d = domaenen.loc[domaene]
            grad = d["vereinheitlichungsgrad"]
            teile.append(f"{domaene}: {d['produkte']} Produkte, Vereinheitlichungsgrad "
                         f"{'–' if grad is None or pd.isna(grad) else formatting.zahl(grad, 2)}")
        if standard and standards is not None and standard in standards.index:
            s = standards.loc[standard]
            teile.append(f"{standard} unterstützt: {s['ja']} von "
                         f"{formatting.anzahl(int(s['gesamt']), 'Verwaltung')} "
                         f"({formatting.prozent(s['anteil_ja'])})")
        rows.append({"bereich": wert.bereich, "bundesweit": wert.anteil_prozent,
                     "kreis": "; ".join(teile) or "keine vergleichbare Kreis-Kennzahl",
                     "erhebung": wert.erhebung, "hinweis": wert.hinweis})
    return pd.DataFrame(rows, columns=["bereich", "bundesweit", "kreis", "erhebung", "hinweis"])


# --- Current entries for the edit form -----------------------------------------------------------
def aktueller_eintrag(einsatz: pd.DataFrame, verwaltung_key: str,
                      domaene: str) -> tuple[str | None, int]:
    """(product or None, version; 0 = no entry yet) of a Verwaltung in a Domäne."""
    treffer = einsatz[(einsatz["verwaltung_key"] == verwaltung_key)
                      & (einsatz["domaene"] == domaene)]
    if treffer.empty:
        return None, 0
    return str(treffer["produkt"].iloc[0]), int(treffer["version"].iloc[0])


def aktueller_standard(standards: pd.DataFrame, verwaltung_key: str,
                       standard: str) -> tuple[str | None, int]:
    """(ja / nein / unbekannt or None, version; 0 = no entry yet)."""
    treffer = standards[(standards["verwaltung_key"] == verwaltung_key)
                        & (standards["standard"] == standard)]
    if treffer.empty:
        return None, 0
    return str(treffer["wert"].iloc[0]), int(treffer["version"].iloc[0])


# --- Checks of entered values ----------------------------------------------------------
MAX_NAME = textregeln.laenge(Produkt, "name")  # Produkt.name column length


def _aus_liste(value: object, erlaubt: Sequence[str]) -> str | None:
    """The entry of a fixed list that ``value`` names (case, spaces, NFKC and look-alike letters
    do not matter, invisible characters do: they are refused)."""
    if isinstance(value, bool) or textregeln.ist_formel_ohne_wert(value):
        return None
    text = str(value or "").strip()
    if any(unicodedata.category(z) in ("Cf", "Cc") for z in text):
        return None
    return textregeln.gleicher_name(text, erlaubt)


def pruefe_domaene(domaene: object) -> str:
    treffer = _aus_liste(domaene, scales.DOMAENEN)
    if treffer is None:
        raise Ungueltig(f"„{str(domaene or '').strip()}“ ist keine Domäne – erlaubt sind "
                        f"{', '.join(scales.DOMAENEN)}")
    return treffer


def pruefe_standard(standard: object) -> str:
    treffer = _aus_liste(standard, scales.STANDARDS)
    if treffer is None:
        raise Ungueltig(f"„{str(standard or '').strip()}“ ist kein Standard – erlaubt sind "
                        f"{', '.join(scales.STANDARDS)}")
    return treffer


def pruefe_wert(wert: object) -> str:
    text = str(wert if wert is not None else "").strip().casefold()
    if text in scales.STANDARD_WERTE:
        return text
    raise Ungueltig(f"„{'' if wert is None else wert}“ ist keine gültige Angabe zur "
                        f"Unterstützung – erlaubt sind {', '.join(scales.STANDARD_WERTE)}")


def pruefe_produktname(name: object) -> str:
    """A product name: textregeln.pruefe_name (NFKC, no invisible characters, one script, not
    only a number or date, at most MAX_NAME characters – refused, never cut)."""
    try:
        text = textregeln.pruefe_name(name, "Produktname", max_laenge=MAX_NAME)
    except ValueError as exc:
        raise Ungueltig(str(exc)) from None
    if not text:
        raise Ungueltig("Produktname fehlt – bitte ein Produkt aus dem Katalog wählen oder "
                            "einen neuen Namen eingeben")
    if text[0] in ("=", "+", "-", "@"):
        raise Ungueltig(f"„{text}“ ist kein gültiger Produktname – ein Name darf nicht mit "
                            "=, +, - oder @ beginnen")
    return text
