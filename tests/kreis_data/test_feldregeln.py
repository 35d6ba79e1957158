"""Issue #18, point 2: every field validated at the edge, the same way in forms and imports.

One test per rule: the bad input is refused with a German message (naming what was given and
what is allowed) and the database is byte-for-byte unchanged (``dump``)."""
from __future__ import annotations

import datetime as dt
import subprocess
import sys
from pathlib import Path

import pytest
from openpyxl import Workbook
from sqlalchemy import select, text
from sqlalchemy.orm import Session

from kreis_data import textregeln
from kreis_data.bewertungen import austausch as bewertungen_austausch
from kreis_data.bewertungen.austausch import import_bewertungen
from kreis_data.bewertungen.lesen import Wert
from kreis_data.bewertungen.regeln import (
    SPALTEN,
    Katalog,
    Rohzeile,
    validate_zeilen,
)
from kreis_data.bewertungen.schreiben import speichere_formular
from kreis_data.checks import run_checks, zeitbereich_probleme
from kreis_data.efa import austausch as efa_austausch
from kreis_data.efa import schreiben as efa_schreiben
from kreis_data.efa.regeln import LeistungEingabe
from kreis_data.fehler import Ungueltig
from kreis_data.io import tabelle
from kreis_data.io.tabelle import Tabelle
from kreis_data.konten import regeln as rechte
from kreis_data.kooperationen import schreiben as koop_schreiben
from kreis_data.model import Bewertung, Produkt
from kreis_data.quartal import Quartal, bereich, pruefe_quartal
from kreis_data.sicherung import inhalt as alle_zeilen
from kreis_data.software import austausch as software_austausch
from kreis_data.software import schreiben as software_schreiben
from kreis_data.steuerung.regeln import validate as massnahme_validate

ADMIN = rechte.Benutzer("Kreis-Admin", rechte.ADMIN)
MELLE, FUERSTENAU = "034590024", "034595402"
HEUTE = dt.date.today()
Q = str(Quartal.of_date(HEUTE))
KOPF = list(SPALTEN.values())


def dump(engine) -> dict:
    """Every row of every table (SQLite or PostgreSQL): equal before and after = nothing was
    written."""
    return alle_zeilen(engine)


def write_csv(path: Path, kopf: list[str], rows: list[list[str]]) -> Path:
    path.write_text("\n".join(";".join(r) for r in [kopf, *rows]) + "\n", encoding="utf-8")
    return path


def zeile(quartal="2026-Q3", key=MELLE, merkmal="e_akte", stufe="3", stand="15.09.2026",
          erfasst_von="M. Müller", bemerkung="Bauamt") -> list[str]:
    return [quartal, key, "Stadt Melle", merkmal, stufe, "Selbstauskunft", stand, erfasst_von,
            bemerkung]


def importiere(engine, path: Path, **kwargs):
    return import_bewertungen(engine, path, benutzer=ADMIN, **kwargs)


# --- 1. Quarters in a configured range around today ------------------------------------------
@pytest.mark.parametrize("text", ["0-Q1", "0000-Q1", "9999-Q4", "10000-Q1", "2014-Q4"])
def test_quarters_outside_the_range_are_refused_naming_the_range(text):
    grenzen = bereich(dt.date(2026, 11, 30))
    assert (str(grenzen.von), str(grenzen.bis)) == ("2015-Q1", "2027-Q4")
    with pytest.raises(ValueError) as fehler:
        pruefe_quartal(text, heute=dt.date(2026, 11, 30))
    assert "erlaubt sind Quartale von 2015-Q1 bis 2027-Q4" in str(fehler.value)


def test_plans_reach_further_and_the_range_is_configurable(monkeypatch):
    heute = dt.date(2026, 11, 30)
    assert str(pruefe_quartal("2036-Q4", heute=heute, planung=True)) == "2036-Q4"
    with pytest.raises(ValueError, match="bis 2036-Q4"):
        pruefe_quartal("2037-Q1", heute=heute, planung=True)
    monkeypatch.setenv("IKZ_QUARTAL_VON", "2010-Q1")
    monkeypatch.setenv("IKZ_QUARTALE_VORAUS", "0")
    assert str(bereich(heute).von) == "2010-Q1" and str(bereich(heute).bis) == "2026-Q4"
    monkeypatch.setenv("IKZ_QUARTALE_VORAUS", "viele")
    with pytest.raises(ValueError, match="IKZ_QUARTALE_VORAUS"):
        bereich(heute)


def test_import_with_a_far_future_quarter_is_refused_nothing_written(small_engine, tmp_path):
    vorher = dump(small_engine)
    path = write_csv(tmp_path / "b.csv", KOPF, [zeile(quartal="9999-Q4")])
    ergebnis = importiere(small_engine, path)
    assert not ergebnis.geschrieben
    text = "; ".join(map(str, ergebnis.fehler))
    assert "b.csv, Zeile 2, Spalte „Quartal“" in text and "zu weit in der Zukunft" in text
    assert "erlaubt sind Quartale von 2015-Q1" in text
    assert dump(small_engine) == vorher


def test_cli_quartal_option_outside_the_range_is_refused(small_engine, tmp_path):
    vorher = dump(small_engine)
    path = write_csv(tmp_path / "b.csv", KOPF, [zeile(quartal="")])
    ergebnis = importiere(small_engine, path, quartal="0000-Q1")
    assert "vorgegebenes Quartal (--quartal)" in str(ergebnis.fehler[0])
    assert "zu weit in der Vergangenheit" in str(ergebnis.fehler[0])
    assert dump(small_engine) == vorher


def test_form_with_a_quarter_outside_the_range_is_refused(small_engine):
    vorher = dump(small_engine)
    with pytest.raises(Ungueltig, match="erlaubt sind Quartale von 2015-Q1"):
        speichere_formular(small_engine, ADMIN, MELLE, "0000-Q1",
                           {"e_akte": Wert(2, None, None, None)}, {"e_akte": None})
    assert dump(small_engine) == vorher


def test_massnahme_start_uses_the_plan_range():
    _, fehler = massnahme_validate({"start_quartal": "9999-Q4"})
    assert fehler and "Start (Quartal)" in fehler[0] and "zu weit in der Zukunft" in fehler[0]
    sauber, fehler = massnahme_validate({"start_quartal": str(Quartal.of_date(HEUTE).plus(20))})
    assert not fehler


def test_kooperation_einordnung_quarter_is_checked(small_engine):
    vorher = dump(small_engine)
    with pytest.raises(Ungueltig, match="Einordnung ab Quartal"):
        koop_schreiben.create_kooperation(small_engine, ADMIN, _kooperation(
            start=None, ab_quartal="0000-Q1"))
    assert dump(small_engine) == vorher


def test_anbindung_form_refuses_quarter_and_live_seit_outside_the_range(small_engine):
    leistung = efa_schreiben.save_leistung(small_engine, ADMIN, LeistungEingabe(
        name="Hundesteuer", themenfeld="Steuern & Zoll", vollzug_land="Gemeinde")).id
    vorher = dump(small_engine)
    with pytest.raises(Ungueltig, match="Quartal: „9999-Q4“ liegt zu weit in der Zukunft"):
        efa_schreiben.set_anbindung(small_engine, ADMIN, MELLE, leistung, "9999-Q4", "live",
                                    None)
    with pytest.raises(Ungueltig, match="„live seit“: „0000-Q1“ liegt zu weit in der "
                                        "Vergangenheit"):
        efa_schreiben.set_anbindung(small_engine, ADMIN, MELLE, leistung, Q, "live", None,
                                    live_seit="0000-Q1")
    with pytest.raises(Ungueltig, match="Bemerkung: 10001 Zeichen sind zu lang"):
        efa_schreiben.set_anbindung(small_engine, ADMIN, MELLE, leistung, Q, "live", None,
                                    bemerkung="b" * 10_001)
    assert dump(small_engine) == vorher


# --- 1b. Dates plausible ------------------------------------------------------------------------
@pytest.mark.parametrize("stand", ["01.01.1900", "31.12.2999"])
def test_implausible_stand_is_refused_nothing_written(small_engine, tmp_path, stand):
    vorher = dump(small_engine)
    ergebnis = importiere(small_engine, write_csv(tmp_path / "b.csv", KOPF, [zeile(stand=stand)]))
    text = str(ergebnis.fehler[0])
    assert "Spalte „Stand“" in text and "erlaubt sind Daten vom 01.01.2015 bis" in text
    assert dump(small_engine) == vorher


def test_kooperation_dates_are_plausible(small_engine):
    vorher = dump(small_engine)
    with pytest.raises(Ungueltig) as fehler:
        koop_schreiben.create_kooperation(small_engine, ADMIN, _kooperation(
            ende=dt.date(9999, 12, 31)))
    assert "Ende: 31.12.9999 liegt zu weit in der Zukunft" in str(fehler.value)
    assert dump(small_engine) == vorher


def test_check_reports_quarters_and_dates_written_by_sql(small_engine):
    assert zeitbereich_probleme(_session(small_engine)) == []
    with small_engine.begin() as connection:
        connection.exec_driver_sql("UPDATE bewertung SET quartal = '0000-Q1' WHERE id = 1")
        connection.exec_driver_sql("UPDATE bewertung SET quartal = '0-Q1' WHERE id = 2")
        connection.exec_driver_sql("UPDATE bewertung SET stand = '9999-12-31' WHERE id = 3")
        if small_engine.dialect.name == "sqlite":  # only SQLite stores text in a date column
            connection.exec_driver_sql("UPDATE bewertung SET stand = 'kaputt' WHERE id = 4")
    problems, _ = run_checks(small_engine)
    text = "\n".join(problems)
    assert "Bewertungen, Quartal: 1 Zeile mit einem unzulässigen Quartal – „0000-Q1“ liegt zu " \
           "weit in der Vergangenheit" in text
    assert "„0-Q1“ ist kein gültiges Quartal" in text
    assert "Bewertungen, Stand: 1 Zeile mit einem unplausiblen Datum" in text
    if small_engine.dialect.name == "sqlite":
        assert "Bewertungen, Stand: 1 Zeile mit „kaputt“ – das ist kein gültiges Datum." in text


def test_check_command_fails_on_a_stored_quarter_out_of_range(small_engine):
    with small_engine.begin() as connection:
        connection.exec_driver_sql("UPDATE bewertung SET quartal = '9999-Q4' WHERE id = 1")
    ergebnis = subprocess.run(
        [sys.executable, "-m", "kreis_data", "check"], capture_output=True, text=True,
        env={"IKZ_DATABASE_URL": small_engine.url.render_as_string(hide_password=False), "PATH": "/usr/bin:/bin"}, timeout=120,
        cwd=Path(__file__).resolve().parents[2])
    assert ergebnis.returncode != 0
    assert "„9999-Q4“ liegt zu weit in der Zukunft" in ergebnis.stdout + ergebnis.stderr


def _session(engine) -> Session:
    return Session(engine)


# --- 2. Lengths: refused, never cut ---------------------------------------------------------
def test_too_long_text_in_an_import_is_refused_naming_length_and_limit(small_engine, tmp_path):
    vorher = dump(small_engine)
    path = write_csv(tmp_path / "b.csv", KOPF, [zeile(erfasst_von="x" * 10_000)])
    ergebnis = importiere(small_engine, path)
    text = str(ergebnis.fehler[0])
    assert "Zeile 2, Spalte „Erfasst von“" in text
    assert "10000 Zeichen sind zu lang – erlaubt sind höchstens 200 Zeichen" in text
    assert dump(small_engine) == vorher


def test_too_long_fields_of_kooperation_and_massnahme_are_refused(small_engine):
    vorher = dump(small_engine)
    with pytest.raises(Ungueltig) as fehler:
        koop_schreiben.create_kooperation(small_engine, ADMIN, _kooperation(
            ansprechperson="A" * 201, name="K" * 301))
    text = str(fehler.value)
    assert "Ansprechperson: 201 Zeichen sind zu lang – erlaubt sind höchstens 200" in text
    assert "Name: 301 Zeichen sind zu lang – erlaubt sind höchstens 300" in text
    assert dump(small_engine) == vorher
    _, fehler_ = massnahme_validate({"verantwortlich": "v" * 201,
                                     "beschreibung": "b" * (textregeln.TEXT_MAX + 1)})
    assert any("Verantwortlich: 201 Zeichen" in f for f in fehler_)
    assert any(f"Beschreibung: {textregeln.TEXT_MAX + 1} Zeichen" in f for f in fehler_)


def test_unchanged_speichern_keeps_a_long_bemerkung(small_engine):
    # longer than the form's former 2,000 and even than the limit (stored before it existed)
    lang = "Lange Bemerkung.\n" + "x" * 12_000 + "  "
    with small_engine.begin() as connection:
        connection.execute(text("UPDATE bewertung SET bemerkung = :b WHERE id = 1"), {"b": lang})
    vorher = dump(small_engine)
    with Session(small_engine) as session:
        b = session.get(Bewertung, 1)
        wert = Wert(b.stufe, b.quelle, b.stand, b.bemerkung)
        # the one-line form field shows the line break as a space and the form strips
        gezeigt = Wert(b.stufe, b.quelle, b.stand, " ".join(lang.split()))
        versionen = {b.merkmal_key: b.version}
    for w in (wert, gezeigt):
        aenderungen = speichere_formular(small_engine, ADMIN, MELLE, "2026-Q3",
                                         {"e_akte": w}, versionen)
        assert aenderungen == []
        assert dump(small_engine) == vorher


# --- 3. Booleans never coerced, numbers vs. text --------------------------------------------
def _katalog(engine) -> Katalog:
    from kreis_data.bewertungen.lesen import katalog_from_session

    with Session(engine) as session:
        return katalog_from_session(session)


def test_excel_true_in_stufe_is_refused_not_stufe_1(small_engine):
    zeilen = [Rohzeile(2, {"quartal": "2026-Q3", "verwaltung_key": MELLE, "merkmal": "e_akte",
                           "stufe": True})]
    eingaben, fehler = validate_zeilen(zeilen, _katalog(small_engine), datei="v.xlsx")
    assert eingaben == []
    assert "v.xlsx, Zeile 2, Spalte „Stufe“: „WAHR“ ist ein Wahrheitswert, keine Stufe" \
        in str(fehler[0])
    vorher = dump(small_engine)
    with pytest.raises(Ungueltig):
        speichere_formular(small_engine, ADMIN, MELLE, "2026-Q3",
                           {"e_akte": Wert(True, None, None, None)}, {"e_akte": 1})
    assert dump(small_engine) == vorher


def test_excel_true_in_a_real_xlsx_import_is_refused(small_engine, tmp_path):
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Bewertungen"
    sheet.append(KOPF)
    sheet.append(["2026-Q3", MELLE, "Stadt Melle", "e_akte", True, "Selbstauskunft", None, None,
                  None])
    workbook.save(tmp_path / "b.xlsx")
    vorher = dump(small_engine)
    ergebnis = importiere(small_engine, tmp_path / "b.xlsx")
    assert "b.xlsx, Zeile 2, Spalte „Stufe“: „WAHR“ ist ein Wahrheitswert, keine Stufe" \
        in str(ergebnis.fehler[0])
    assert dump(small_engine) == vorher


def test_truth_values_and_decimals_where_text_is_expected():
    with pytest.raises(ValueError, match="„FALSCH“ ist ein Wahrheitswert – erwartet wird Text"):
        textregeln.pruefe_text(False, "Bemerkung")
    with pytest.raises(ValueError, match="Kommazahl – erwartet wird Text"):
        textregeln.pruefe_text(1.5, "Bemerkung")
    assert textregeln.pruefe_text(2026, "Bemerkung") == "2026"
    with pytest.raises(ValueError, match="ist nur eine Zahl"):
        textregeln.pruefe_name(2024, "Produktname", max_laenge=200)
    with pytest.raises(ValueError, match="Wahrheitswert, keine Zahl"):
        textregeln.pruefe_kein_wahrheitswert(True, "Reifegrad")
    werte, fehler = (__import__("kreis_data.efa.regeln", fromlist=["x"])
                     .validate_leistung(LeistungEingabe(name="Hundesteuer",
                                                        themenfeld="Steuern & Zoll",
                                                        reifegrad=True, reifegrad_modell="2.0")))
    assert any("Reifegrad „True“ ist keine ganze Zahl" in f for f in fehler)
    _, fehler = massnahme_validate({"dauer_quartale": True})
    assert fehler and "Dauer (Quartale)" in fehler[0]


# --- 4. Unicode: NFKC, invisible characters, look-alikes ------------------------------------
@pytest.mark.parametrize("name, erwartet", [
    ("Do\u200bmea", "unsichtbare Zeichen U+200B (ZERO WIDTH SPACE)"),
    ("Dom\u202eaE", "unsichtbare Zeichen U+202E"),
    ("Dom\x07ea", "Steuerzeichen U+0007"),
    ("D\u043emea", "mischt Buchstaben mehrerer Schriften (CYRILLIC, LATIN"),
    ("Dom\u03b5a", "mischt Buchstaben mehrerer Schriften (GREEK, LATIN"),
    ("2024", "nur eine Zahl oder ein Datum"),
    ("01.02.2024", "nur eine Zahl oder ein Datum"),
])
def test_look_alike_product_names_are_refused_nothing_written(small_engine, name, erwartet):
    vorher = dump(small_engine)
    with pytest.raises(Ungueltig) as fehler:
        software_schreiben.set_produkt(small_engine, ADMIN, MELLE, "E-Akte/DMS", name)
    assert erwartet in str(fehler.value)
    assert dump(small_engine) == vorher


def test_look_alike_product_names_in_an_import_are_refused_nothing_written(small_engine,
                                                                          tmp_path):
    vorher = dump(small_engine)
    path = write_csv(tmp_path / "p.csv", ["Verwaltungsschlüssel", "Domäne", "Produkt"], [
        [MELLE, "E-Akte/DMS", "D\u043emea"],
        [FUERSTENAU, "E-Akte/DMS", "Do\u200bmea"],
        [MELLE, "Finanzwesen (HKR)", "P" * 201]])
    ergebnis = software_austausch.import_produkte(small_engine, path, benutzer=ADMIN)
    meldungen = [str(f) for f in ergebnis.fehler]
    assert meldungen[0].startswith("p.csv, Zeile 2, Spalte „Produkt“: Produktname: „Dоmea“ "
                                   "mischt Buchstaben mehrerer Schriften")
    assert "Zeile 3, Spalte „Produkt“" in meldungen[1] and "U+200B" in meldungen[1]
    assert "Zeile 4, Spalte „Produkt“: Produktname: 201 Zeichen sind zu lang – erlaubt sind " \
           "höchstens 200 Zeichen" in meldungen[2]
    assert dump(small_engine) == vorher


def test_variant_of_a_catalog_name_maps_to_the_existing_product(small_engine):
    software_schreiben.set_produkt(small_engine, ADMIN, MELLE, "E-Akte/DMS", "Domea")
    # full-width letters (NFKC), other case, extra spaces: the same product, not a new one
    software_schreiben.set_produkt(small_engine, ADMIN, FUERSTENAU, "E-Akte/DMS",
                                   "  \uff24\uff2f\uff2d\uff25\uff21  ")
    with Session(small_engine) as session:
        assert list(session.scalars(select(Produkt.name))) == ["Domea"]


def test_leistung_name_variant_is_refused_with_meinten_sie(small_engine):
    eingabe = LeistungEingabe(name="Hundesteuer", themenfeld="Steuern & Zoll",
                              vollzug_land="Gemeinde")
    efa_schreiben.save_leistung(small_engine, ADMIN, eingabe)
    vorher = dump(small_engine)
    with pytest.raises(Ungueltig) as fehler:
        efa_schreiben.save_leistung(small_engine, ADMIN, LeistungEingabe(
            name="hundesteuer ", themenfeld="Steuern & Zoll"))
    assert "meinten Sie „Hundesteuer“?" in str(fehler.value)
    with pytest.raises(Ungueltig, match=r"unsichtbare Zeichen U\+200B"):
        efa_schreiben.save_leistung(small_engine, ADMIN, LeistungEingabe(
            name="Hunde\u200bsteuer", themenfeld="Steuern & Zoll"))
    assert dump(small_engine) == vorher


def test_kooperation_name_variant_is_refused_with_meinten_sie(small_engine):
    koop_schreiben.create_kooperation(small_engine, ADMIN, _kooperation())
    vorher = dump(small_engine)
    with pytest.raises(Ungueltig) as fehler:
        koop_schreiben.create_kooperation(small_engine, ADMIN, _kooperation(
            name="gemeinsame  e-akte"))
    assert "meinten Sie „Gemeinsame E-Akte“?" in str(fehler.value)
    with pytest.raises(Ungueltig, match="mischt Buchstaben mehrerer Schriften"):
        koop_schreiben.create_kooperation(small_engine, ADMIN, _kooperation(
            name="Gemeinsame E-\u0410kte"))
    assert dump(small_engine) == vorher


def test_text_is_normalised_nfkc_on_entry(small_engine, tmp_path):
    path = write_csv(tmp_path / "b.csv", KOPF, [zeile(bemerkung="\ufb01nal \u2460")])
    assert importiere(small_engine, path).geschrieben
    with Session(small_engine) as session:
        b = session.scalar(select(Bewertung).filter_by(verwaltung_key=MELLE,
                                                       merkmal_key="e_akte", quartal="2026-Q3"))
        assert b.bemerkung == "final 1"


def test_verwaltung_key_with_invisible_character_is_named(small_engine, tmp_path):
    vorher = dump(small_engine)
    ergebnis = importiere(small_engine, write_csv(tmp_path / "b.csv", KOPF,
                                                  [zeile(key="03459\u200b0024")]))
    assert "unsichtbare Zeichen U+200B" in str(ergebnis.fehler[0])
    assert dump(small_engine) == vorher


# --- 5. Columns the import does not read ----------------------------------------------------
def test_produkte_csv_with_standard_columns_is_refused(small_engine, tmp_path):
    vorher = dump(small_engine)
    path = write_csv(tmp_path / "p.csv",
                     ["Verwaltungsschlüssel", "Verwaltung", "Domäne", "Produkt", "Standard",
                      "Unterstützung"],
                     [[MELLE, "Stadt Melle", "E-Akte/DMS", "Domea", "XRechnung", "ja"]])
    ergebnis = software_austausch.import_produkte(small_engine, path, benutzer=ADMIN)
    text = str(ergebnis.fehler[0])
    assert "die Spalten „Standard“, „Unterstützung“ gehören zur Tabelle der Standards" in text
    assert "würden hier nicht gelesen" in text
    assert dump(small_engine) == vorher


def test_unknown_column_in_a_produkte_import_is_reported(small_engine, tmp_path):
    path = write_csv(tmp_path / "p.csv",
                     ["Verwaltungsschlüssel", "Domäne", "Produkt", "Version"],
                     [[MELLE, "E-Akte/DMS", "Domea", "4.2"]])
    ergebnis = software_austausch.import_produkte(small_engine, path, benutzer=ADMIN)
    assert not ergebnis.fehler
    assert "p.csv: Spalte „Version“ ist unbekannt und wird ignoriert." in ergebnis.hinweise


# --- 6. Formula cells without a cached value --------------------------------------------------
def test_formula_without_value_is_refused_and_never_wipes_a_bemerkung(small_engine, tmp_path,
                                                                      monkeypatch):
    marker = getattr(tabelle, "FORMEL_OHNE_WERT", None)
    if marker is None:
        pytest.skip("kreis_data.io.tabelle.FORMEL_OHNE_WERT (part C) is not there yet")
    vorher = dump(small_engine)
    gelesen = Tabelle("b.xlsx", KOPF, [(2, zeile(bemerkung=marker))])
    monkeypatch.setattr(bewertungen_austausch, "read_tabelle", lambda *a, **k: gelesen)
    ergebnis = importiere(small_engine, tmp_path / "b.xlsx")
    text = str(ergebnis.fehler[0])
    assert "b.xlsx, Zeile 2, Spalte „Bemerkung“" in text and "Formel ohne berechneten Wert" in text
    assert not ergebnis.geschrieben and dump(small_engine) == vorher
    with pytest.raises(ValueError, match="Formel ohne berechneten Wert"):
        textregeln.pruefe_text(marker, "Bemerkung")
    with pytest.raises(Ungueltig, match="Formel ohne berechneten Wert"):
        software_schreiben.set_produkt(small_engine, ADMIN, MELLE, "E-Akte/DMS", marker)


def test_formula_without_value_in_anbindungen_and_produkte_imports(small_engine, tmp_path,
                                                                   monkeypatch):
    marker = getattr(tabelle, "FORMEL_OHNE_WERT", None)
    if marker is None:
        pytest.skip("kreis_data.io.tabelle.FORMEL_OHNE_WERT (part C) is not there yet")
    leistung = efa_schreiben.save_leistung(small_engine, ADMIN, LeistungEingabe(
        name="Hundesteuer", themenfeld="Steuern & Zoll", vollzug_land="Gemeinde")).id
    efa_schreiben.set_anbindung(small_engine, ADMIN, MELLE, leistung, Q, "in Umsetzung", None,
                                bemerkung="wichtige Bemerkung")
    vorher = dump(small_engine)
    kopf = list(efa_austausch.SPALTEN.values())
    zeile_ = {"quartal": Q, "verwaltung_key": MELLE, "verwaltung_name": "Stadt Melle",
              "leistung": "Hundesteuer", "themenfeld": "", "status": "in Umsetzung",
              "live_seit": None, "hindernis": None, "bemerkung": marker}
    gelesen = Tabelle("a.xlsx", kopf, [(2, [zeile_[f] for f in efa_austausch.SPALTEN])])
    monkeypatch.setattr(efa_austausch, "read_tabelle", lambda *a, **k: gelesen)
    ergebnis = efa_austausch.import_anbindungen(small_engine, tmp_path / "a.xlsx",
                                                benutzer=ADMIN)
    assert "a.xlsx, Zeile 2, Spalte „Bemerkung“: Zelle enthält eine Formel ohne berechneten " \
           "Wert" in str(ergebnis.fehler[0])
    assert dump(small_engine) == vorher  # the Bemerkung is still there

    produkte = Tabelle("p.csv", ["Verwaltungsschlüssel", "Domäne", "Produkt"],
                       [(2, [MELLE, "E-Akte/DMS", marker])])
    monkeypatch.setattr(software_austausch, "read_tabelle", lambda *a, **k: produkte)
    ergebnis = software_austausch.import_produkte(small_engine, tmp_path / "p.csv",
                                                  benutzer=ADMIN)
    assert "p.csv, Zeile 2, Spalte „Produkt“: Zelle enthält eine Formel ohne berechneten Wert" \
        in str(ergebnis.fehler[0])
    assert dump(small_engine) == vorher


# --- helpers --------------------------------------------------------------------------------
def _kooperation(**aenderungen) -> dict:
    daten = {
        "name": "Gemeinsame E-Akte", "format": "Gemeinsames Projekt",
        "rechtsform": "öffentlich-rechtliche Vereinbarung", "ausrichtung": "operativ",
        "status": "aktiv", "handlungsfelder": ["Verwaltung"],
        "mitglieder": [MELLE, FUERSTENAU], "federfuehrung_key": MELLE,
        "start": dt.date(2026, 4, 1), "ende": None, "ansprechperson": "Erika Beispiel",
    }
    daten.update(aenderungen)
    return daten
