"""Map values: one row per Gemeinde with its Verwaltung's value, legend, summary sentence,
table twin and GeoJSON for the map."""
import json

import pandas as pd
import pytest

from kreis_data import scales
from kreis_data.analyses import karte, kartengeometrie
from kreis_data.io import export
from tests.kreis_data.karten_frames import BE, KV, OC, QUARTAL, SG, grundlage


def test_member_gemeinden_carry_their_verwaltungs_value_and_kreisverwaltung_is_not_on_the_map():
    werte = karte.karten_werte(grundlage(), QUARTAL, "e_akte").set_index("gemeinde")
    assert list(werte.index) == ["Badbergen", "Belm", "Ostercappeln", "Quakenbrück"]
    assert werte.loc["Badbergen", "klasse"] == werte.loc["Quakenbrück", "klasse"] == 1
    assert werte.loc["Badbergen", "label"] == "1 – geplant"
    assert werte.loc["Quakenbrück", "verwaltung"] == "Artland"
    assert werte.loc["Ostercappeln", "label"] == "3 – in einigen Fachverfahren eingeführt"
    assert KV not in set(werte["verwaltung_key"])


def test_keine_angabe_has_no_class_and_its_own_label_also_without_any_bewertung():
    werte = karte.karten_werte(grundlage(), QUARTAL, "e_akte").set_index("verwaltung_key")
    assert pd.isna(werte.loc[BE, "klasse"])
    assert werte.loc[BE, "label"] == scales.KEINE_ANGABE
    ohne_zeile = karte.karten_werte(grundlage(), QUARTAL, "e_rechnung")
    assert ohne_zeile["klasse"].isna().all()
    assert set(ohne_zeile["label"]) == {scales.KEINE_ANGABE}


def test_ja_nein_uses_the_ends_of_the_scale_and_nein_ja_labels():
    werte = karte.verwaltungs_werte(grundlage(), QUARTAL, "digitallotsen").set_index(
        "verwaltung_key")
    assert (werte.loc[SG, "klasse"], werte.loc[SG, "label"]) == (0, "nein")
    assert (werte.loc[OC, "klasse"], werte.loc[OC, "label"]) == (4, "ja")
    item = karte.kartenmerkmal(scales.STANDARD_MERKMALE, "digitallotsen")
    assert item.legende == (("nein", 0), ("ja", 4), ("keine Angabe", None))


def test_index_layer_uses_index_classes_and_shows_coverage():
    werte = karte.verwaltungs_werte(grundlage(), QUARTAL, "index").set_index("verwaltung_key")
    # Artland: e_akte 1, portal 2, strategie 4 -> (1+2+4)/12 = 58.3
    assert werte.loc[SG, "wert"] == pytest.approx(700 / 12)
    assert werte.loc[SG, "klasse"] == scales.index_klasse(700 / 12) == 2
    stufen_merkmale = sum(m.art == "stufe" for m in scales.STANDARD_MERKMALE)
    assert werte.loc[SG, "label"] == f"58 von 100 (3 von {stufen_merkmale} Merkmalen bewertet)"
    item = karte.kartenmerkmal(scales.STANDARD_MERKMALE, "index")
    assert [label for label, _ in item.legende[:-1]] == list(scales.INDEX_KLASSEN_LABELS)


def test_every_merkmal_and_the_index_are_selectable_in_order():
    keys = [m.key for m in karte.kartenmerkmale(scales.STANDARD_MERKMALE)]
    assert keys == [m.key for m in scales.STANDARD_MERKMALE] + ["index", "efa_quote"]
    with pytest.raises(ValueError, match="kein Merkmal der Karte"):
        karte.karten_werte(grundlage(), QUARTAL, "gibt_es_nicht")


def test_a_new_indicator_is_one_registry_entry(monkeypatch):
    quote = karte.Indikator(
        "efa_quote", "EfA-Quote",
        lambda basis: pd.DataFrame({"verwaltung_key": [SG, OC, BE], "klasse": [0, 4, None],
                                    "label": ["10 %", "90 %", "keine Angabe"],
                                    "wert": [10.0, 90.0, None], "stand": [None] * 3,
                                    "quelle": [None] * 3}),
        lambda werte: "Satz zur EfA-Quote.")
    monkeypatch.setitem(karte.INDIKATOREN, "efa_quote", quote)
    assert "efa_quote" in [m.key for m in karte.kartenmerkmale(scales.STANDARD_MERKMALE)]
    werte = karte.karten_werte(grundlage(), QUARTAL, "efa_quote").set_index("gemeinde")
    assert werte.loc["Quakenbrück", "label"] == "10 %"
    assert karte.zusammenfassung(grundlage(), QUARTAL, "efa_quote") == (
        f"Satz zur EfA-Quote. {OHNE_KREISVERWALTUNG}")


# Issue #15: every share states its base – the map counts without the Kreisverwaltung.
OHNE_KREISVERWALTUNG = ("Gezählt ohne die Kreisverwaltung (sie hat keine eigene Fläche auf der "
                        "Karte).")


def test_summary_sentences_count_verwaltungen_not_gemeinden():
    basis = grundlage()
    assert karte.zusammenfassung(basis, QUARTAL, "e_akte") == (
        "1 von 3 Verwaltungen haben bei E-Akte mindestens Stufe 3 („in einigen Fachverfahren "
        f"eingeführt“) erreicht; 1 ohne Angabe. {OHNE_KREISVERWALTUNG}")
    assert karte.zusammenfassung(basis, QUARTAL, "strategie").endswith(
        f"; alle mit Angabe. {OHNE_KREISVERWALTUNG}")
    assert karte.zusammenfassung(basis, QUARTAL, "digitallotsen") == (
        "Bei 1 von 3 Verwaltungen gilt „Digitallots*innen vorhanden“: ja; 1 ohne Angabe. "
        f"{OHNE_KREISVERWALTUNG}")
    assert karte.zusammenfassung(basis, QUARTAL, "index").startswith(
        "Der Digitalisierungsindex der 3 Verwaltungen mit Angaben liegt im Mittel bei ")


def test_table_twin_has_german_columns_and_csv_is_excel_ready_and_formula_safe():
    werte = karte.karten_werte(grundlage(erste_gemeinde="=HYPERLINK(1)"), QUARTAL, "e_akte")
    tabelle = karte.tabelle(werte)
    assert list(tabelle.columns) == ["Gemeinde", "Verwaltung", "Einwohner", "Stufe", "Wert",
                                     "Stand", "Quelle"]
    csv = export.als_csv(tabelle, quelle="Selbstauskunft", stand="15.09.2026",
                         hinweise=["© GeoBasis-DE / BKG"])
    text = csv.decode("utf-8")
    assert text.startswith("\ufeffGemeinde;Verwaltung;Einwohner;Stufe;Wert;Stand;Quelle")
    assert "'=HYPERLINK(1);Artland;4577;1 – geplant;1;" in text
    assert "# Quelle: Selbstauskunft · Stand: 15.09.2026" in text
    assert "# © GeoBasis-DE / BKG" in text


def test_map_values_carry_the_class_and_plain_text_rows(demo_engine):
    basis = grundlage(sg_name="<b>Artland</b>")
    werte = karte.anzeige(basis, QUARTAL, "e_akte")
    assert set(werte) == {SG, OC, BE}  # Gemeinde level: no Kreisverwaltung
    assert werte[OC]["k"] == 3 and werte[BE]["k"] is None
    assert werte[SG]["t"] == [["Verwaltung", "<b>Artland</b>"], ["E-Akte", "1 – geplant"],
                              ["Stand", werte[SG]["t"][2][1]]]


def test_demo_map_has_34_gemeinden_in_21_verwaltungen_and_a_bounding_box(demo_engine):
    topo = json.loads(kartengeometrie.topologie_json(demo_engine))
    gemeinden = topo["objects"]["gemeinden"]["geometries"]
    assert len(gemeinden) == 34
    assert len({g["properties"]["v"] for g in gemeinden}) == 21
    assert len(karte.anzeige(demo_engine, QUARTAL, "e_akte")) == 21
    west, sued, ost, nord = topo["bbox"]
    assert 52.0 < sued < nord < 52.8 and 7.5 < west < ost < 8.6
    quelle, stand = karte.quelle_und_stand(demo_engine, QUARTAL, "e_akte")
    assert quelle.endswith("(Demo-Daten, fiktiv)") and stand.count(".") == 2


def test_index_source_names_each_source_once(demo_engine):
    quelle, _ = karte.quelle_und_stand(demo_engine, QUARTAL, "index")
    namen = quelle.removesuffix(" (Demo-Daten, fiktiv)").split(", ")
    assert len(namen) == len(set(namen)) >= 1


def test_efa_quote_is_a_map_layer_with_values_for_gemeinde_level_verwaltungen(demo_engine):
    from kreis_data.analyses import karte as k
    from kreis_data.efa import lesen as efa

    basis = k.grundlage(demo_engine, "2026-Q3")
    assert "efa_quote" in [m.key for m in k.kartenmerkmale(basis.merkmale)]
    werte = k.INDIKATOREN["efa_quote"].werte(basis).set_index("verwaltung_key")
    assert len(werte) == 21 and "03459" not in werte.index
    quoten = efa.efa_quote(demo_engine, "2026-Q3").set_index("verwaltung_key")
    artland = werte.loc["034595401"]
    assert artland["wert"] == quoten.loc["034595401", "quote"]
    assert "zuständigen Leistungen live" in artland["label"]
    assert "EfA-Quote" in k.INDIKATOREN["efa_quote"].satz(werte.reset_index())
