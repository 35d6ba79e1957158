"""Wide Excel template: round trip, German errors for bad cells, all-or-nothing write."""
from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from kreis_data import scales
from kreis_data.audit import load_audit
from kreis_data.bewertungen.lesen import Wert, lade_formular
from kreis_data.bewertungen.schreiben import speichere_formular
from kreis_data.bewertungen.vorlage import BLATT, pruefe_vorlage, schreibe_vorlage, vorlage_xlsx
from kreis_data.fehler import Ungueltig, Veraltet
from kreis_data.konten import regeln

ADMIN = regeln.Benutzer("Kreis Admin", regeln.ADMIN)
MELLE, FUERSTENAU = "034590024", "034595402"


def _bearbeite(daten: bytes, aenderungen: dict[tuple[str, str], object]) -> bytes:
    """Set cells by (Verwaltungsschlüssel, column header)."""
    wb = load_workbook(io.BytesIO(daten))
    ws = wb[BLATT]
    kopf = [c.value for c in ws[1]]
    for (key, spalte), wert in aenderungen.items():
        reihe = next(r for r in ws.iter_rows(min_row=2) if r[1].value == key)
        reihe[kopf.index(spalte)].value = wert
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def test_template_layout_has_dropdowns_and_a_scale_sheet(small_engine):
    wb = load_workbook(io.BytesIO(vorlage_xlsx(small_engine, "2026-Q3")))
    ws = wb[BLATT]
    kopf = [c.value for c in ws[1]]
    assert kopf[:4] == ["Quartal", "Verwaltungsschlüssel", "Verwaltung", "E-Akte"]
    assert len(kopf) == 3 + len(scales.STANDARD_MERKMALE)
    melle = next(r for r in ws.iter_rows(min_row=2, values_only=True) if r[1] == MELLE)
    assert melle[3] == "in einigen Fachverfahren eingeführt"
    assert melle[4] == "keine Angabe"
    assert len(ws.data_validations.dataValidation) == len(scales.STANDARD_MERKMALE)
    assert "Hinweise" in wb.sheetnames
    hinweise = " ".join(str(c) for r in wb["Hinweise"].iter_rows(values_only=True) for c in r if c)
    assert "in allen Fachverfahren eingeführt" in hinweise and "Stadt Melle" in hinweise


def test_round_trip_changes_nothing(small_engine):
    daten = vorlage_xlsx(small_engine, "2026-Q3")
    vorschau = pruefe_vorlage(small_engine, daten, "vorlage.xlsx", "2026-Q3", ADMIN)
    assert vorschau.ok, vorschau.meldungen()
    assert vorschau.aenderungen == [] and vorschau.eingaben == []
    vorher = len(load_audit(small_engine))
    assert schreibe_vorlage(small_engine, vorschau, ADMIN) == []
    assert len(load_audit(small_engine)) == vorher


def test_three_bad_cells_give_three_german_messages_and_nothing_is_written(small_engine):
    daten = vorlage_xlsx(small_engine, "2026-Q3")
    schlecht = _bearbeite(daten, {
        (MELLE, "E-Akte"): "fast fertig",
        (MELLE, "Scannen"): 7,
        (FUERSTENAU, "Digitalisierungsstrategie"): "beschlosen",
        (FUERSTENAU, "E-Vergabe"): "geplant",  # a valid change in the same file
    })
    vorher = len(load_audit(small_engine))
    vorschau = pruefe_vorlage(small_engine, schlecht, "vorlage.xlsx", "2026-Q3", ADMIN)
    meldungen = vorschau.meldungen()
    assert len(meldungen) == 3, meldungen
    melle_zeile = 2 + 1  # header row 1; Kreisverwaltung 03459 first, then Melle
    assert meldungen[0].startswith(f"vorlage.xlsx, Zeile {melle_zeile}, Spalte „E-Akte“: "
                                   "„fast fertig“ ist ungültig für E-Akte – erlaubt sind 0 (")
    assert f"Zeile {melle_zeile}, Spalte „Scannen“: „7“ ist ungültig" in meldungen[1]
    assert "Zeile 4, Spalte „Digitalisierungsstrategie“: „beschlosen“" in meldungen[2]
    assert vorschau.eingaben == []
    with pytest.raises(Ungueltig, match="nichts gespeichert"):
        schreibe_vorlage(small_engine, vorschau, ADMIN)
    assert len(load_audit(small_engine)) == vorher

    repariert = _bearbeite(schlecht, {
        (MELLE, "E-Akte"): "in allen Fachverfahren eingeführt",
        (MELLE, "Scannen"): "2",
        (FUERSTENAU, "Digitalisierungsstrategie"): "beschlossen",
    })
    vorschau = pruefe_vorlage(small_engine, repariert, "vorlage.xlsx", "2026-Q3", ADMIN)
    assert vorschau.ok, vorschau.meldungen()
    assert [(a["Verwaltungsschlüssel"], a["Merkmal"], a["bisher"], a["neu"])
            for a in vorschau.aenderungen] == [
        (MELLE, "E-Akte", "3 – in einigen Fachverfahren eingeführt",
         "4 – in allen Fachverfahren eingeführt"),
        (MELLE, "Scannen", "(kein Eintrag)", "2 – in Einführung"),
        (FUERSTENAU, "Digitalisierungsstrategie", "0 – keine, nicht geplant", "3 – beschlossen"),
        (FUERSTENAU, "E-Vergabe", "(kein Eintrag)", "1 – geplant"),
    ]
    aenderungen = schreibe_vorlage(small_engine, vorschau, ADMIN)
    assert len(aenderungen) == 4
    audit = load_audit(small_engine).iloc[:-vorher or None]
    stufen = audit[audit["Feld"] == "stufe"]
    assert sorted(stufen["Schlüssel"]) == sorted([
        f"{MELLE}/e_akte/2026-Q3", f"{MELLE}/scannen/2026-Q3",
        f"{FUERSTENAU}/strategie/2026-Q3", f"{FUERSTENAU}/e_vergabe/2026-Q3"])
    assert set(audit["Benutzer*in"]) == {"Kreis Admin"}
    assert set(audit["Kontext"]) == {"Excel-Vorlage vorlage.xlsx"}
    # Bemerkung of a changed cell is kept; unchanged cells keep everything
    melle = lade_formular(small_engine, MELLE, "2026-Q3").werte()
    assert melle["e_akte"].bemerkung == "Bauamt und Ordnungsamt umgestellt"
    assert melle["online_portal"].quelle == "Kreis-Erhebung"
    # and a new download -> upload is a no-op again
    again = pruefe_vorlage(small_engine, vorlage_xlsx(small_engine, "2026-Q3"), "v.xlsx",
                           "2026-Q3", ADMIN)
    assert again.ok and again.eingaben == []


def test_redaktion_upload_for_foreign_verwaltung_is_refused(small_engine):
    redaktion = regeln.Benutzer("Red Melle", regeln.REDAKTION, frozenset({MELLE}))
    daten = _bearbeite(vorlage_xlsx(small_engine, "2026-Q3"),
                       {(FUERSTENAU, "E-Akte"): "geplant"})
    vorschau = pruefe_vorlage(small_engine, daten, "v.xlsx", "2026-Q3", redaktion)
    assert vorschau.meldungen() == [
        "v.xlsx, Zeile 4, Spalte „Verwaltungsschlüssel“: Sie dürfen nur die Daten von Stadt Melle "
        "bearbeiten, nicht Samtgemeinde Fürstenau."]
    # the template for a Redaktion user contains only its own Verwaltungen
    eigene = vorlage_xlsx(small_engine, "2026-Q3", verwaltungen=[MELLE])
    ws = load_workbook(io.BytesIO(eigene))[BLATT]
    assert [r[1] for r in ws.iter_rows(min_row=2, values_only=True)] == [MELLE]


def test_stale_preview_is_refused(small_engine):
    daten = _bearbeite(vorlage_xlsx(small_engine, "2026-Q3"), {(MELLE, "E-Akte"): "geplant"})
    vorschau = pruefe_vorlage(small_engine, daten, "v.xlsx", "2026-Q3", ADMIN)
    form = lade_formular(small_engine, MELLE, "2026-Q3")
    speichere_formular(small_engine, regeln.Benutzer("Zweite Person", regeln.ADMIN), MELLE,
                       "2026-Q3", {"e_akte": Wert(4)}, form.gesehene_versionen)
    with pytest.raises(Veraltet, match="von Zweite Person"):
        schreibe_vorlage(small_engine, vorschau, ADMIN)
    assert lade_formular(small_engine, MELLE, "2026-Q3").werte()["e_akte"].stufe == 4


def test_wrong_quarter_and_unknown_column_are_reported(small_engine):
    daten = vorlage_xlsx(small_engine, "2026-Q2")
    vorschau = pruefe_vorlage(small_engine, daten, "v.xlsx", "2026-Q3", ADMIN)
    assert len(vorschau.meldungen()) == 3  # one per row, not one per cell
    assert "weicht vom vorgegebenen Quartal 2026-Q3 ab" in vorschau.meldungen()[0]
    wb = load_workbook(io.BytesIO(vorlage_xlsx(small_engine, "2026-Q3")))
    wb[BLATT].cell(1, 5, "Portal online")
    out = io.BytesIO()
    wb.save(out)
    vorschau = pruefe_vorlage(small_engine, out.getvalue(), "v.xlsx", "2026-Q3", ADMIN)
    assert vorschau.meldungen()[0].startswith(
        "v.xlsx, Zeile 1, Spalte „Portal online“: „Portal online“ ist kein Merkmal")
    kaputt = pruefe_vorlage(small_engine, b"kein excel", "v.xlsx", "2026-Q3", ADMIN)
    assert "kann nicht gelesen werden" in kaputt.meldungen()[0]


def test_excel_true_in_a_template_cell_is_refused_not_stufe_1(small_engine):
    """Issue #18: a WAHR/FALSCH cell (a bool, which Python counts as 1/0) is no Stufe."""
    schlecht = _bearbeite(vorlage_xlsx(small_engine, "2026-Q3"), {(MELLE, "Scannen"): True})
    vorher = len(load_audit(small_engine))
    vorschau = pruefe_vorlage(small_engine, schlecht, "vorlage.xlsx", "2026-Q3", ADMIN)
    assert vorschau.meldungen() == [
        next(m for m in vorschau.meldungen() if "Spalte „Scannen“: „WAHR“ ist ein "
                                                 "Wahrheitswert, keine Stufe" in m)]
    assert vorschau.eingaben == [] and len(load_audit(small_engine)) == vorher


def test_template_for_a_quarter_outside_the_range_is_refused(small_engine):
    """Issue #18: the quarter of an uploaded template must lie in the allowed range."""
    daten = vorlage_xlsx(small_engine, "2026-Q3")
    vorschau = pruefe_vorlage(small_engine, daten, "vorlage.xlsx", "9999-Q4", ADMIN)
    assert not vorschau.ok and vorschau.eingaben == []
    assert "„9999-Q4“ liegt zu weit in der Zukunft – erlaubt sind Quartale von 2015-Q1" \
        in vorschau.meldungen()[0]
