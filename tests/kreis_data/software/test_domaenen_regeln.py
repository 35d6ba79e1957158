"""Issue #15, point 7: the domain slips, checked against the rules and the demo data.

- standards apply per level: XPersonenstand (Standesämter) is never a gap of the
  Kreisverwaltung, whatever is stored for it;
- services already run jointly (BundID, ITEBO, the shared form server, the Kreis portal) are
  no Konsolidierungs-Cluster but listed as "bereits gemeinsam betrieben";
- moving tasks from the Gemeinden to the Kreis is "Hochzonung", not "Kommunalisierung"; an old
  stored name still works and is shown under the new one;
- Niedersachsen's forms of NKomZG § 1 (Zweckvereinbarung, gemeinsame kommunale Anstalt) are
  formats and Rechtsformen; the demo's zentrale Vergabestelle is a Zweckvereinbarung;
- "Wahlen (u. a. offene Wahlergebnisse)" keeps its source but is marked as no typical EfA
  service.
"""
from __future__ import annotations

import csv

import pandas as pd
from sqlalchemy import select
from sqlalchemy.orm import Session

from kreis_data import scales
from kreis_data.efa import katalog
from kreis_data.kooperationen import regeln as koop
from kreis_data.model import Kooperation
from kreis_data.software import lesen
from kreis_data.software import regeln as std
from tests.kreis_data.software.test_standardisierung import einsatz_frame, verwaltungen_frame


# --- Standards per level -------------------------------------------------------------------------
def test_xpersonenstand_is_never_a_gap_of_the_kreisverwaltung():
    standards = pd.DataFrame(
        [("K", "XPersonenstand", "nein"), ("K", "XBau", "nein"), ("A", "XPersonenstand", "nein")],
        columns=["verwaltung_key", "standard", "wert"])
    matrix = std.standard_matrix(standards, verwaltungen_frame())
    assert matrix.loc["K", "XPersonenstand"] == std.NICHT_ZUSTAENDIG
    assert matrix.loc["A", "XPersonenstand"] == "nein"  # a Gemeinde has a Standesamt
    assert std.kreis_luecken(matrix) == ["XBau"]  # a real gap of the Kreis stays one
    luecken = std.standard_luecken(matrix)
    assert list(luecken.loc[luecken["standard"] == "XPersonenstand", "namen"]) == ["Stadt A"]


def test_demo_kreisverwaltung_has_no_xpersonenstand_gap(demo_engine):
    auswertung = lesen.standard_auswertung(demo_engine)
    assert "XPersonenstand" not in auswertung.kreis_luecken
    kreis = auswertung.matrix[auswertung.matrix["kreisverwaltung"]]
    assert list(kreis["XPersonenstand"]) == [std.NICHT_ZUSTAENDIG]


# --- Shared services are no cluster --------------------------------------------------------------
def test_services_run_jointly_are_not_proposed_as_clusters():
    einsatz = einsatz_frame({
        "Servicekonto": {"A": "BundID (Nutzerkonto Bund)", "B": "BundID (Nutzerkonto Bund)"},
        "IT-Dienstleister/Rechenzentrum": {"A": "ITEBO", "B": "ITEBO", "C": "eigener IT-Betrieb",
                                           "D": "eigener IT-Betrieb"},
        "Portal/Antragsmanagement": {"A": "Formularserver des IT-Dienstleisters",
                                     "B": "Formularserver des IT-Dienstleisters",
                                     "C": "Serviceportal des Landkreises",
                                     "D": "Serviceportal des Landkreises"},
        "E-Akte/DMS": {"A": "enaio", "B": "enaio"},
    })
    leer = pd.DataFrame(columns=["kooperation_id", "kooperation", "format", "verwaltung_key"])
    cluster = std.cluster(einsatz, leer)
    # own installations stay clusters (also "eigener IT-Betrieb": no shared provider yet)
    assert set(cluster["produkt"]) == {"enaio", "eigener IT-Betrieb"}
    geteilt = std.gemeinsam_betrieben(einsatz).set_index("produkt")
    assert set(geteilt.index) == {"BundID (Nutzerkonto Bund)", "ITEBO",
                                  "Formularserver des IT-Dienstleisters",
                                  "Serviceportal des Landkreises"}
    assert geteilt.loc["Formularserver des IT-Dienstleisters", "betreiber"] == "IT-Dienstleister"
    assert geteilt.loc["Serviceportal des Landkreises", "betreiber"] == "Landkreis"
    assert std.betreiber("Portal/Antragsmanagement", "service-bw",
                         "Land Baden-Württemberg") == "Land Baden-Württemberg"
    assert std.betreiber("E-Akte/DMS", "enaio", "OPTIMAL SYSTEMS") is None


def test_demo_clusters_hold_no_jointly_run_service(demo_engine):
    einsatz = lesen.load_einsatz(demo_engine)
    cluster = std.cluster(einsatz, lesen.load_kooperationen(demo_engine))
    for produkt in ("BundID (Nutzerkonto Bund)", "ITEBO", "Formularserver des IT-Dienstleisters"):
        assert produkt not in set(cluster["produkt"]), produkt
    assert {"BundID (Nutzerkonto Bund)", "ITEBO", "Formularserver des IT-Dienstleisters"} <= \
        set(std.gemeinsam_betrieben(einsatz)["produkt"])
    assert not cluster.empty  # own installations (E-Akte, HKR …) are still proposed


# --- Kooperationsformate -------------------------------------------------------------------------
def test_hochzonung_not_kommunalisierung_with_the_old_name_mapped():
    namen = koop.format_namen()
    assert "Hochzonung (Aufgabenübertragung auf den Kreis)" in namen
    assert not any(n.startswith("Kommunalisierung") for n in namen)
    alt = "Kommunalisierung (Aufgabenübertragung auf den Kreis)"
    assert koop.formatname(alt) == "Hochzonung (Aufgabenübertragung auf den Kreis)"
    assert koop.einordnung_aus_format(alt) == ("verbindlich", "dauerhaft")
    info = koop.format_info("Hochzonung (Aufgabenübertragung auf den Kreis)")
    assert "Kommunalisierung" not in info.hinweis and "Kreisebene" in info.hinweis


def test_niedersachsen_forms_of_nkomzg_are_formats_and_rechtsformen():
    for name in ("Zweckvereinbarung (z. B. NKomZG)", "Gemeinsame kommunale Anstalt (NKomZG)"):
        info = koop.format_info(name)
        assert info is not None and (info.verbindlichkeit, info.dauer) == ("verbindlich",
                                                                           "dauerhaft")
        assert "NKomZG" in info.hinweis
    assert {"Zweckverband", "Zweckvereinbarung", "gemeinsame kommunale Anstalt"} <= set(
        scales.RECHTSFORMEN)


def test_demo_vergabestelle_is_a_zweckvereinbarung(demo_engine):
    with Session(demo_engine) as session:
        kooperationen = {k.name: k for k in session.scalars(select(Kooperation))}
    vergabe = kooperationen["Zentrale Vergabestelle beim Landkreis"]
    assert (vergabe.format, vergabe.rechtsform) == ("Zweckvereinbarung (z. B. NKomZG)",
                                                    "Zweckvereinbarung")
    assert not any(k.format.startswith("Kommunalisierung") for k in kooperationen.values())


# --- EfA catalog ---------------------------------------------------------------------------------
def test_wahlen_keeps_its_source_but_is_marked_as_no_typical_efa_service():
    rows = [r for r in katalog.leistungen_katalog() if r["leistung"].startswith("Wahlen")]
    assert len(rows) == 1
    assert "kein typischer EfA" in rows[0]["leistung"]
    assert rows[0]["quelle"].startswith("https://mitgliederportal.kdn.de/")
    with (katalog.REFERENCE_DIR / "vollzug_laender.csv").open(encoding="utf-8") as f:
        vollzug = {r["leistung"] for r in csv.DictReader(f, delimiter=";")}
    assert rows[0]["leistung"] in vollzug  # Vollzug rows follow the new name
