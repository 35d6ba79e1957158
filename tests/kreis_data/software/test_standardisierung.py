"""Standardisation analyses (hand-made data), writes with audit and version check, the
product/standard import, and the demo acceptance."""
from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from kreis_data import scales
from kreis_data.database import transaction
from kreis_data.fehler import NichtErlaubt, Ungueltig, Veraltet
from kreis_data.io import export
from kreis_data.konten import regeln
from kreis_data.model import (
    AuditEintrag,
    Produkt,
    ProduktEinsatz,
    StandardUnterstuetzung,
    Verwaltung,
)
from kreis_data.software import lesen
from kreis_data.software import regeln as std
from kreis_data.software.austausch import export_produkte, import_produkte
from kreis_data.software.schreiben import set_produkt, set_standard

KREIS = "03459"
MELLE = "034590024"
FUERSTENAU = "034595402"
USER = "Redaktion (ohne Anmeldung)"  # the audit name
BEARBEITER = regeln.Benutzer(USER, regeln.ADMIN)  # the signed-in person (writes and imports)


# --- Hand-made data -----------------------------------------------------------------------------
def verwaltungen_frame() -> pd.DataFrame:
    rows = [("A", "Stadt A", 40000), ("B", "Gemeinde B", 10000), ("C", "Gemeinde C", 5000),
            ("D", "Samtgemeinde D", 20000), ("E", "Gemeinde E", 1000)]
    frame = pd.DataFrame(rows, columns=["key", "name", "einwohner"])
    frame["kreisverwaltung"] = False
    kreis = pd.DataFrame([{"key": "K", "name": "Kreisverwaltung", "einwohner": 76000,
                           "kreisverwaltung": True}])
    return pd.concat([frame, kreis], ignore_index=True)


def einsatz_frame(zuordnung: dict[str, dict[str, str]]) -> pd.DataFrame:
    """Domäne -> {Verwaltung key -> product}, in the columns of load_einsatz."""
    verwaltungen = verwaltungen_frame().set_index("key")
    rows = []
    for domaene, produkte in zuordnung.items():
        for key, produkt in produkte.items():
            rows.append({"verwaltung_key": key, "verwaltung": verwaltungen.at[key, "name"],
                         "kreisverwaltung": bool(verwaltungen.at[key, "kreisverwaltung"]),
                         "einwohner": int(verwaltungen.at[key, "einwohner"]),
                         "domaene": domaene, "produkt": produkt, "hersteller": None,
                         "version": 1})
    return pd.DataFrame(rows, columns=std.EINSATZ_SPALTEN)


DMS = "E-Akte/DMS"
EINSATZ = einsatz_frame({DMS: {"A": "enaio", "B": "enaio", "C": "enaio", "D": "regisafe",
                               "E": "VIS-Suite", "K": "enaio"},
                         "Ratsinformationssystem": {"A": "SD.NET", "B": "SD.NET",
                                                    "K": "Session / SessionNet"}})


# --- Vereinheitlichungsgrad ---------------------------------------------------------------------
def test_one_product_is_fully_unified():
    assert std.vereinheitlichungsgrad([7]) == 1.0
    assert std.vereinheitlichungsgrad([1]) == 1.0


def test_all_different_products_give_zero():
    assert std.vereinheitlichungsgrad([1, 1, 1, 1]) == pytest.approx(0.0)
    assert std.vereinheitlichungsgrad([1, 1]) == pytest.approx(0.0)
    assert std.vereinheitlichungsgrad([5, 5]) == pytest.approx(0.0)  # even split: not unified


def test_hhi_in_between_and_without_data():
    # shares 3/5, 1/5, 1/5: H = 11/25, N = 3 -> (11/25 - 1/3) / (2/3) = 0.16
    assert std.vereinheitlichungsgrad([3, 1, 1]) == pytest.approx(0.16)
    assert std.vereinheitlichungsgrad([9, 1]) > std.vereinheitlichungsgrad([5, 5])
    assert std.vereinheitlichungsgrad([]) is None
    assert std.vereinheitlichungsgrad([0, 0]) is None
    assert std.vereinheitlichungsgrad([4, 0]) == 1.0  # products without users do not count


# --- Products, Insellösungen, Cluster ----------------------------------------------------------
def test_products_count_gemeinde_level_verwaltungen_and_einwohner():
    tabelle = std.produkte(EINSATZ, DMS).set_index("produkt")
    assert tabelle.loc["enaio", "verwaltungen"] == 3  # A, B, C – not the Kreisverwaltung
    assert tabelle.loc["enaio", "einwohner"] == 55000
    assert bool(tabelle.loc["enaio", "kreisverwaltung"]) is True
    assert tabelle.loc["enaio", "anteil"] == pytest.approx(60.0)
    assert list(std.produkte(EINSATZ, DMS)["produkt"]) == ["enaio", "regisafe", "VIS-Suite"]


def test_product_only_the_kreis_uses_has_no_gemeinde_users():
    tabelle = std.produkte(EINSATZ, "Ratsinformationssystem").set_index("produkt")
    assert tabelle.loc["Session / SessionNet", "verwaltungen"] == 0
    assert not tabelle.loc["Session / SessionNet", "insel"]
    uebersicht = std.uebersicht(EINSATZ, verwaltungen_frame()).set_index("domaene")
    assert uebersicht.loc["Ratsinformationssystem", "produkte"] == 1
    assert uebersicht.loc["Ratsinformationssystem", "vereinheitlichungsgrad"] == 1.0
    assert uebersicht.loc["Ratsinformationssystem", "ohne_angabe"] == 3
    assert uebersicht.loc["Ratsinformationssystem", "kreis_produkt"] == "Session / SessionNet"


def test_insellösungen_are_products_of_exactly_one_verwaltung():
    inseln = std.insel_loesungen(EINSATZ, DMS)
    assert set(zip(inseln["produkt"], inseln["verwaltung"], strict=True)) == {
        ("regisafe", "Samtgemeinde D"), ("VIS-Suite", "Gemeinde E")}
    # the Kreisverwaltung alone on a product is not an Insellösung of the Gemeinden
    assert std.insel_loesungen(EINSATZ, "Ratsinformationssystem").empty


def test_clusters_with_suggestion_and_shared_kooperationen():
    kooperationen = pd.DataFrame(
        [(1, "IT-Verbund Nord", "Verbund", "A"), (1, "IT-Verbund Nord", "Verbund", "B"),
         (1, "IT-Verbund Nord", "Verbund", "D"), (2, "Stammtisch", "Netzwerk", "C")],
        columns=["kooperation_id", "kooperation", "format", "verwaltung_key"])
    alle = std.cluster(EINSATZ, kooperationen)
    assert list(zip(alle["domaene"], alle["produkt"], strict=True)) == [  # both share a format: by size
        (DMS, "enaio"), ("Ratsinformationssystem", "SD.NET")]
    enaio = alle.set_index("produkt").loc["enaio"]
    assert enaio["verwaltungen"] == 3
    assert enaio["vorschlag"] == std.GEMEINSAMER_BETRIEB
    assert "Kreisverwaltung nutzt dasselbe Produkt" in enaio["begruendung"]
    assert enaio["kooperationen"] == "IT-Verbund Nord (2 von 3)"
    assert not enaio["ohne_gemeinsames_format"]
    assert enaio["ohne_verbindung"] == "Gemeinde C"  # only in a format without other users


def test_cluster_without_shared_format_is_flagged_first():
    kooperationen = pd.DataFrame([(1, "IT-Verbund Nord", "Verbund", "A"),
                                  (1, "IT-Verbund Nord", "Verbund", "B")],
                                 columns=["kooperation_id", "kooperation", "format",
                                          "verwaltung_key"])
    einsatz = einsatz_frame({DMS: {"A": "enaio", "B": "enaio", "C": "d.velop",
                                   "D": "d.velop", "E": "d.velop"}})
    alle = std.cluster(einsatz, kooperationen)
    assert list(alle["produkt"]) == ["d.velop", "enaio"]
    assert list(alle["ohne_gemeinsames_format"]) == [True, False]
    assert alle.loc[0, "kooperationen"] == ""
    assert alle.loc[0, "ohne_verbindung"] == "Gemeinde C; Gemeinde E; Samtgemeinde D"


def test_suggestion_rules():
    assert std.vorschlag(DMS, 2)[0] == std.GEMEINSAME_BESCHAFFUNG
    assert std.vorschlag(DMS, 3)[0] == std.GEMEINSAMER_BETRIEB
    assert std.vorschlag("Servicekonto", 12)[0] == std.GEMEINSAME_SCHULUNGEN
    assert std.vorschlag("Portal/Antragsmanagement", 2)[0] == std.GEMEINSAME_SCHULUNGEN
    assert std.vorschlag("Portal/Antragsmanagement", 5)[0] == std.GEMEINSAME_BESCHAFFUNG
    for domaene in scales.DOMAENEN:
        for groesse in (2, 3, 8):
            art, grund = std.vorschlag(domaene, groesse)
            assert art in std.VORSCHLAEGE and grund


# --- Standards -----------------------------------------------------------------------------------
def standards_frame(werte: dict[tuple[str, str], str]) -> pd.DataFrame:
    return pd.DataFrame([{"verwaltung_key": k, "standard": s, "wert": w}
                         for (k, s), w in werte.items()])


def test_matrix_fills_missing_entries_with_unbekannt_and_puts_the_kreis_last():
    matrix = std.standard_matrix(standards_frame({("A", "XBau"): "ja", ("K", "XBau"): "nein"}),
                                 verwaltungen_frame())
    assert list(matrix.columns[3:]) == list(scales.STANDARDS)
    assert matrix.loc["A", "XBau"] == "ja"
    assert matrix.loc["B", "XBau"] == "unbekannt"
    assert matrix.loc["A", "XMeld"] == "unbekannt"
    assert matrix.index[-1] == "K"
    assert std.kreis_luecken(matrix) == ["XBau"]


def test_gaps_are_ranked_by_affected_einwohner_not_by_count():
    werte = {("A", "XBau"): "nein",  # 40.000 Einwohner in one Verwaltung
             ("B", "XMeld"): "nein", ("C", "XMeld"): "nein", ("E", "XMeld"): "nein",  # 16.000
             ("D", "XMeld"): "unbekannt", ("A", "XMeld"): "ja", ("K", "FIT-Connect"): "nein"}
    matrix = std.standard_matrix(standards_frame(werte), verwaltungen_frame())
    luecken = std.standard_luecken(matrix)
    assert list(luecken["standard"]) == ["XBau", "XMeld"]  # Kreisverwaltung does not count
    assert luecken.loc[0, "text"] == ("XBau: 1 Verwaltung mit 40.000 Einwohnern ohne "
                                      "Unterstützung; bei 4 Verwaltungen unbekannt")
    assert luecken.loc[1, "text"] == ("XMeld: 3 Verwaltungen mit 16.000 Einwohnern ohne "
                                      "Unterstützung; bei 1 Verwaltung unbekannt")
    assert luecken.loc[1, "namen"] == "Gemeinde B; Gemeinde C; Gemeinde E"


def test_share_of_verwaltungen_supporting_each_standard():
    werte = {("A", "XRechnung"): "ja", ("B", "XRechnung"): "ja", ("C", "XRechnung"): "nein",
             ("K", "XRechnung"): "ja"}
    anteile = std.standard_anteile(std.standard_matrix(standards_frame(werte),
                                                       verwaltungen_frame())).set_index("standard")
    x = anteile.loc["XRechnung"]
    assert (x["ja"], x["nein"], x["unbekannt"], x["gesamt"]) == (2, 1, 2, 5)
    assert x["anteil_ja"] == pytest.approx(40.0)
    assert x["anteil_einwohner_ja"] == pytest.approx(100 * 50000 / 76000)
    assert x["kreisverwaltung"] == "ja"


def test_national_reference_rows_are_the_standardisierungsbedarf_rows():
    referenz = lesen.referenz_standardisierungsbedarf()
    assert [(r.bereich, r.anteil_prozent) for r in referenz] == [
        ("E-Akte", 45.0), ("Scannen", 35.0), ("Archivierung", 35.0), ("E-Rechnung", 29.0)]
    assert all(r.n == "146" and r.erhebung == "Ende 2017" for r in referenz)
    assert referenz[0].historisch(dt.date(2026, 9, 30))
    assert not referenz[0].historisch(dt.date(2019, 6, 30))
    assert "n = 146" in std.REFERENZ_LABEL and "Ende 2017" in std.REFERENZ_LABEL


# --- Writes --------------------------------------------------------------------------------------
def audit_rows(engine) -> list[AuditEintrag]:
    with Session(engine) as session:
        return list(session.scalars(select(AuditEintrag).order_by(AuditEintrag.id)))


def test_set_produkt_adds_a_new_catalog_name_and_audits_in_one_go(small_engine):
    ergebnis = set_produkt(small_engine, BEARBEITER, MELLE, DMS, "  Neues  DMS ")
    assert (ergebnis.aktion, ergebnis.felder, ergebnis.version) == (
        "angelegt", {"produkt": (None, "Neues DMS")}, 1)
    assert [(w.objekt, w.aktion) for w in ergebnis.weitere] == [("produkt", "angelegt")]
    eintraege = audit_rows(small_engine)
    assert [(e.objekt, e.aktion, e.schluessel, e.alt, e.neu, e.benutzer) for e in eintraege] == [
        ("produkt", "angelegt", "E-Akte/DMS/Neues DMS", None, "Neues DMS", USER),
        ("produkt_einsatz", "angelegt", f"{MELLE}/E-Akte/DMS", None, "Neues DMS", USER)]
    # same name in another spelling: no second catalog entry; change is audited old -> new
    set_produkt(small_engine, BEARBEITER, FUERSTENAU, DMS, "neues dms")
    zweites = set_produkt(small_engine, BEARBEITER, MELLE, DMS, "enaio", version=1)
    assert (zweites.aktion, zweites.felder, zweites.version) == (
        "geändert", {"produkt": ("Neues DMS", "enaio")}, 2)
    with Session(small_engine) as session:
        assert session.scalar(select(func.count()).select_from(Produkt)
                              .where(func.lower(Produkt.name) == "neues dms")) == 1
    letzter = audit_rows(small_engine)[-1]
    assert (letzter.alt, letzter.neu, letzter.aktion) == ("Neues DMS", "enaio", "geändert")


def test_stale_version_is_refused_and_nothing_is_written(small_engine):
    set_produkt(small_engine, BEARBEITER, MELLE, DMS, "enaio")
    kollegin = regeln.Benutzer("Kollegin", regeln.ADMIN)
    set_produkt(small_engine, kollegin, MELLE, DMS, "regisafe", version=1)  # v2
    vorher = len(audit_rows(small_engine))
    with pytest.raises(Veraltet, match="inzwischen von jemand anderem geändert.*neu laden"):
        set_produkt(small_engine, BEARBEITER, MELLE, DMS, "d.velop", version=1)
    with pytest.raises(Veraltet):  # "there was no entry yet" is stale too
        set_produkt(small_engine, BEARBEITER, MELLE, DMS, "d.velop", version=0)
    with Session(small_engine) as session:
        einsatz = session.scalar(select(ProduktEinsatz))
        assert (einsatz.produkt.name, einsatz.version) == ("regisafe", 2)
        assert session.scalar(select(Produkt).where(Produkt.name == "d.velop")) is None
    assert len(audit_rows(small_engine)) == vorher


def test_set_standard_audits_and_checks_the_version(small_engine):
    ergebnis = set_standard(small_engine, BEARBEITER, MELLE, "xbau", "Nein", version=0)
    assert (ergebnis.schluessel, ergebnis.felder, ergebnis.version) == (
        f"{MELLE}/XBau", {"wert": (None, "nein")}, 1)
    ergebnis = set_standard(small_engine, BEARBEITER, MELLE, "XBau", "ja", version=1)
    assert (ergebnis.aktion, ergebnis.felder, ergebnis.version) == (
        "geändert", {"wert": ("nein", "ja")}, 2)
    assert set_standard(small_engine, BEARBEITER, MELLE, "XBau", "ja").aktion == "unverändert"
    eintraege = [(e.objekt, e.alt, e.neu) for e in audit_rows(small_engine)]
    assert eintraege == [("standard_unterstuetzung", None, "nein"),
                         ("standard_unterstuetzung", "nein", "ja")]
    with pytest.raises(Veraltet, match="Die Angabe zu XBau für Stadt Melle"):
        set_standard(small_engine, BEARBEITER, MELLE, "XBau", "nein", version=1)


@pytest.mark.parametrize("aufruf, meldung", [
    (lambda e: set_standard(e, BEARBEITER, MELLE, "XBau", "vielleicht"),
     "„vielleicht“ ist keine gültige Angabe zur Unterstützung – erlaubt sind ja, nein, unbekannt"),
    (lambda e: set_standard(e, BEARBEITER, MELLE, "XÖV-Fantasie", "ja"),
     "„XÖV-Fantasie“ ist kein Standard – erlaubt sind XRechnung, xdomea"),
    (lambda e: set_standard(e, BEARBEITER, "999999999", "XBau", "ja"),
     "„999999999“ ist keine Verwaltung dieses Kreises"),
    (lambda e: set_produkt(e, BEARBEITER, MELLE, "Kantine", "enaio"),
     "„Kantine“ ist keine Domäne – erlaubt sind E-Akte/DMS"),
    (lambda e: set_produkt(e, BEARBEITER, MELLE, DMS, "   "), "Produktname fehlt"),
    (lambda e: set_produkt(e, BEARBEITER, MELLE, DMS, "=HYPERLINK(1)"),
     "darf nicht mit =, +, - oder @"),
    (lambda e: set_produkt(e, BEARBEITER, MELLE, DMS, "x" * 201), "höchstens 200 Zeichen"),
    (lambda e: set_produkt(e, regeln.Benutzer(" ", regeln.ADMIN), MELLE, DMS, "enaio"),
     "Benutzer*in fehlt"),
])
def test_invalid_input_is_refused_with_german_message_and_nothing_written(small_engine, aufruf,
                                                                           meldung):
    with pytest.raises(Ungueltig) as info:
        aufruf(small_engine)
    assert meldung in str(info.value)
    with Session(small_engine) as session:
        for tabelle in (Produkt, ProduktEinsatz, StandardUnterstuetzung, AuditEintrag):
            assert session.scalar(select(func.count()).select_from(tabelle)) == 0


BELM = "034590008"
REDAKTION_BELM = regeln.Benutzer("r.belm", regeln.REDAKTION, frozenset({BELM}))


def _anzahl(engine) -> tuple[int, ...]:
    with Session(engine) as session:
        return tuple(session.scalar(select(func.count()).select_from(tabelle))
                     for tabelle in (Produkt, ProduktEinsatz, StandardUnterstuetzung,
                                     AuditEintrag))


def test_redaktion_sets_only_products_and_standards_of_its_own_verwaltung(small_engine):
    with transaction(small_engine) as session:
        session.add(Verwaltung(key=BELM, kreis_ags=KREIS, name="Belm", typ="Einheitsgemeinde"))
    vorher = _anzahl(small_engine)
    with pytest.raises(NichtErlaubt, match="nur die Daten von Belm bearbeiten, nicht "
                                              "Stadt Melle"):
        set_produkt(small_engine, REDAKTION_BELM, MELLE, DMS, "enaio")
    with pytest.raises(NichtErlaubt):
        set_standard(small_engine, REDAKTION_BELM, MELLE, "XBau", "ja")
    with pytest.raises(NichtErlaubt):  # the Kreisverwaltung is only for admins
        set_standard(small_engine, REDAKTION_BELM, KREIS, "XBau", "ja")
    for benutzer in (regeln.Benutzer("leser", regeln.LESEN), None):
        with pytest.raises(NichtErlaubt):
            set_produkt(small_engine, benutzer, BELM, DMS, "enaio")
        with pytest.raises(NichtErlaubt):
            set_standard(small_engine, benutzer, BELM, "XBau", "ja")
    assert _anzahl(small_engine) == vorher  # not even the new catalog name

    assert set_produkt(small_engine, REDAKTION_BELM, BELM, DMS, "enaio").aktion == "angelegt"
    assert set_standard(small_engine, REDAKTION_BELM, BELM, "XBau", "ja").aktion == "angelegt"
    assert {e.benutzer for e in audit_rows(small_engine)} == {"r.belm"}


# --- Import / export -----------------------------------------------------------------------------
def test_export_is_a_template_and_an_unchanged_import_changes_nothing(small_engine, tmp_path):
    set_produkt(small_engine, BEARBEITER, MELLE, DMS, "Fabasoft eGov-Suite")
    set_standard(small_engine, BEARBEITER, MELLE, "XBau", "nein")
    datei = tmp_path / "produkte.xlsx"
    anzahl = export_produkte(small_engine, datei)
    assert anzahl == 3 * (len(scales.DOMAENEN) + len(scales.STANDARDS))
    ergebnis = import_produkte(small_engine, datei, benutzer=BEARBEITER)
    assert ergebnis.ok, ergebnis.errors
    assert not ergebnis.geschrieben
    assert "0 geändert, 0 neu angelegt" in ergebnis.zusammenfassung()


def test_import_writes_all_rows_with_audit(small_engine, tmp_path):
    datei = tmp_path / "produkte.xlsx"
    export_produkte(small_engine, datei)
    workbook = load_workbook(datei)
    produkte, standards = workbook["Produkte"], workbook["Standards"]
    zeile = next(r for r in produkte.iter_rows(min_row=2)
                 if r[0].value == MELLE and r[2].value == DMS)
    zeile[3].value = "Eigenbau-DMS"
    zeile = next(r for r in standards.iter_rows(min_row=2)
                 if r[0].value == FUERSTENAU and r[2].value == "XMeld")
    zeile[3].value = "ja"
    workbook.save(datei)
    ergebnis = import_produkte(small_engine, datei, benutzer=BEARBEITER)
    assert ergebnis.ok, ergebnis.errors
    assert "1 neue Produktnamen im Katalog" in ergebnis.zusammenfassung()
    assert any("„Eigenbau-DMS“ ist neu" in h for h in ergebnis.hinweise)
    kontexte = {e.kontext for e in audit_rows(small_engine)}
    assert kontexte == {"Import produkte.xlsx"}
    with Session(small_engine) as session:
        assert session.scalar(select(StandardUnterstuetzung.wert).where(
            StandardUnterstuetzung.verwaltung_key == FUERSTENAU,
            StandardUnterstuetzung.standard == "XMeld")) == "ja"


def test_bad_import_names_file_sheet_row_column_value_and_writes_nothing(small_engine, tmp_path):
    datei = tmp_path / "kaputt.xlsx"
    export_produkte(small_engine, datei)
    workbook = load_workbook(datei)
    produkte, standards = workbook["Produkte"], workbook["Standards"]
    produkte["D2"] = "enaio"  # valid row, must not be written because of the errors below
    produkte["C3"] = "Kantine"
    standards["D4"] = "vielleicht"
    standards["A5"] = "12345"
    workbook.save(datei)
    ergebnis = import_produkte(small_engine, datei, benutzer=BEARBEITER)
    assert not ergebnis.ok
    texte = ergebnis.errors
    assert any(t.startswith("kaputt.xlsx, Blatt „Produkte“, Zeile 3, Spalte „Domäne“: "
                            "„Kantine“ ist keine Domäne – erlaubt sind") for t in texte), texte
    assert any(t.startswith("kaputt.xlsx, Blatt „Standards“, Zeile 4, Spalte „Unterstützung“: "
                            "„vielleicht“") for t in texte), texte
    assert any("Zeile 5, Spalte „Verwaltungsschlüssel“: „12345“ ist keine Verwaltung" in t
               for t in texte), texte
    assert "nichts wurde geschrieben" in ergebnis.zusammenfassung()
    assert audit_rows(small_engine) == []
    with Session(small_engine) as session:
        assert session.scalar(select(func.count()).select_from(ProduktEinsatz)) == 0


def test_csv_of_one_table_and_formula_neutral_download(small_engine, tmp_path):
    datei = tmp_path / "standards.csv"
    datei.write_text("Verwaltungsschlüssel;Standard;Unterstützung\n"
                     f"{MELLE};XRechnung;ja\n34595402;FIT-Connect;nein\n", encoding="cp1252")
    ergebnis = import_produkte(small_engine, datei, benutzer=BEARBEITER)
    assert ergebnis.ok, ergebnis.errors
    assert [e.schluessel for e in ergebnis.ergebnisse] == [f"{MELLE}/XRechnung",
                                                          f"{FUERSTENAU}/FIT-Connect"]
    csv_text = export.als_csv(pd.DataFrame({"Produkt": ["=cmd|' /C calc'!A0"],
                                            "Anteil": [12.5]}))
    assert csv_text.decode("utf-8-sig").splitlines()[1] == "'=cmd|' /C calc'!A0;12,5"


def test_only_the_kreis_administration_imports(small_engine, tmp_path):
    datei = tmp_path / "produkte.xlsx"
    export_produkte(small_engine, datei)
    for benutzer in (REDAKTION_BELM, regeln.Benutzer("leser", regeln.LESEN), None):
        with pytest.raises(NichtErlaubt):
            import_produkte(small_engine, datei, benutzer=benutzer)
    assert audit_rows(small_engine) == []


# --- Demo acceptance ---------------------------------------------------------------------------
def test_demo_has_an_insellösung_and_a_cluster_in_every_main_domaene(demo_engine):
    einsatz = lesen.load_einsatz(demo_engine)
    kooperationen = lesen.load_kooperationen(demo_engine)
    for domaene in std.HAUPT_DOMAENEN:
        assert not std.insel_loesungen(einsatz, domaene).empty, domaene
        if domaene == "Portal/Antragsmanagement":  # form server and Kreis portal: already shared
            assert std.cluster(einsatz, kooperationen, domaene).empty
            assert not std.gemeinsam_betrieben(einsatz, domaene).empty
            continue
        assert not std.cluster(einsatz, kooperationen, domaene).empty, domaene


def test_demo_auswertung_is_consistent(demo_engine):
    auswertung = lesen.domaenen_auswertung(demo_engine, DMS)
    genutzt = auswertung.produkte[auswertung.produkte["verwaltungen"] > 0]
    assert genutzt["verwaltungen"].sum() + len(auswertung.ohne_angabe) == \
        auswertung.verwaltungen_gesamt == 21
    assert 0 <= auswertung.vereinheitlichungsgrad <= 1
    standards = lesen.standard_auswertung(demo_engine)
    assert len(standards.matrix) == 22  # 21 Gemeinde-level Verwaltungen + Kreisverwaltung
    assert set(standards.matrix[list(scales.STANDARDS)].stack()) <= {
        *scales.STANDARD_WERTE, std.NICHT_ZUSTAENDIG}
    assert list(standards.luecken["einwohner"]) == sorted(standards.luecken["einwohner"],
                                                           reverse=True)
    assert len(standards.referenz) == 4


def test_empty_workspace_gives_empty_results_not_errors(small_engine):
    auswertung = lesen.domaenen_auswertung(small_engine, DMS)
    assert auswertung.produkte.empty and auswertung.anzahl_produkte == 0
    assert auswertung.vereinheitlichungsgrad is None
    assert auswertung.insel_loesungen.empty and auswertung.cluster.empty
    assert auswertung.ohne_angabe == ["Samtgemeinde Fürstenau", "Stadt Melle"]
    standards = lesen.standard_auswertung(small_engine)
    gemeinden = standards.matrix[~standards.matrix["kreisverwaltung"]]
    assert (gemeinden[list(scales.STANDARDS)] == "unbekannt").all().all()
    kreis = standards.matrix[standards.matrix["kreisverwaltung"]].iloc[0]  # no Standesamt
    assert {s: kreis[s] for s in scales.STANDARDS} == {
        s: std.NICHT_ZUSTAENDIG if s in std.STANDARD_EBENE else "unbekannt"
        for s in scales.STANDARDS}
    assert standards.luecken.empty
    quelle, stand = lesen.quelle_und_stand(small_engine)
    assert quelle.startswith("Angaben der Verwaltungen") and stand == "–"
