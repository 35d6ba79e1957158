"""Export and import of Bewertungen: round trip, CSV variants, refused files, CLI exit codes."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from kreis_data import cli, scales
from kreis_data.bewertungen.austausch import export_bewertungen
from kreis_data.bewertungen.austausch import import_bewertungen as _import_bewertungen
from kreis_data.bewertungen.regeln import SPALTEN
from kreis_data.database import ENV_VAR
from kreis_data.fehler import NichtErlaubt
from kreis_data.io.tabelle import escape_formula, unescape_formula
from kreis_data.konten import regeln
from kreis_data.model import AuditEintrag, Bewertung

Q = "2026-Q3"
KOPF = list(SPALTEN.values())
ANZAHL_ZEILEN = 3 * len(scales.STANDARD_MERKMALE)  # 3 Verwaltungen x every Merkmal


def import_bewertungen(engine, path, *, benutzer: str, **kwargs):
    """The import as the Kreis-Administration `benutzer` (only it may import)."""
    return _import_bewertungen(engine, path, benutzer=regeln.Benutzer(benutzer, regeln.ADMIN),
                               **kwargs)


def dump(engine) -> list[tuple]:
    """Every column of every Bewertung, to compare the DB before and after."""
    columns = Bewertung.__table__.columns
    with engine.connect() as connection:
        return [tuple(row) for row in connection.execute(
            select(*columns).order_by(Bewertung.id))]


def audit_count(engine) -> int:
    with engine.connect() as connection:
        return connection.scalar(select(func.count()).select_from(AuditEintrag))


def bewertung(engine, key: str, merkmal: str, quartal: str = Q) -> Bewertung | None:
    with Session(engine) as session:
        return session.scalar(select(Bewertung).filter_by(
            verwaltung_key=key, merkmal_key=merkmal, quartal=quartal))


def zeile(key="034590024", merkmal="e_akte", stufe="3", quelle="Selbstauskunft",
          stand="15.09.2026", erfasst_von="M. Müller", bemerkung="Bauamt und Ordnungsamt umgestellt",
          quartal=Q, name="Stadt Melle") -> list[str]:
    return [quartal, key, name, merkmal, stufe, quelle, stand, erfasst_von, bemerkung]


def write_csv(path: Path, rows: list[list[str]], *, sep=";", encoding="utf-8-sig",
              kopf=KOPF) -> Path:
    lines = [sep.join(kopf)] + [sep.join(row) for row in rows]
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode(encoding))
    return path


def write_xlsx(path: Path, rows: list[list[object]], kopf=KOPF) -> Path:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Bewertungen"
    sheet.append(kopf)
    for row in rows:
        sheet.append(row)
    workbook.save(path)
    return path


@pytest.fixture
def unveraendert(small_engine):
    """Asserts after the test body that neither Bewertungen nor the audit log changed."""
    vorher = dump(small_engine), audit_count(small_engine)
    yield
    assert (dump(small_engine), audit_count(small_engine)) == vorher


# --- Export ------------------------------------------------------------------------------------
def test_xlsx_export_layout_and_template_sheets(small_engine, tmp_path):
    out = tmp_path / "bewertungen.xlsx"
    assert export_bewertungen(small_engine, Q, out) == ANZAHL_ZEILEN

    workbook = load_workbook(out)
    sheet = workbook["Bewertungen"]
    assert [c.value for c in sheet[1]] == KOPF
    assert sheet.freeze_panes == "A2"
    rows = [[c.value for c in row] for row in sheet.iter_rows(min_row=2)]
    assert len(rows) == ANZAHL_ZEILEN
    melle_e_akte = next(r for r in rows if r[1] == "034590024" and r[3] == "e_akte")
    assert melle_e_akte[:6] == [Q, "034590024", "Stadt Melle", "e_akte",
                                "in einigen Fachverfahren eingeführt", "Selbstauskunft"]
    assert melle_e_akte[6] == dt.datetime(2026, 9, 15)  # a real Excel date ...
    stand_zelle = sheet.cell(rows.index(melle_e_akte) + 2, 7)
    assert stand_zelle.number_format == "DD.MM.YYYY"  # ... shown as TT.MM.JJJJ
    ohne_bewertung = next(r for r in rows if r[1] == "034595402" and r[3] == "e_akte")
    assert ohne_bewertung[4] == "keine Angabe" and ohne_bewertung[5] is None
    # the key column is text and keeps the leading zero
    schluessel = [c for (c,) in sheet.iter_rows(min_row=2, min_col=2, max_col=2)]
    assert {c.value for c in schluessel} == {"03459", "034590024", "034595402"}
    assert all(c.data_type == "s" and c.number_format == "@" for c in schluessel)

    hinweise = [c.value for row in workbook["Hinweise"].iter_rows() for c in row if c.value]
    text = "\n".join(str(v) for v in hinweise)
    for erwartet in ("in allen Fachverfahren eingeführt", "beschlossen, mit Monitoring und "
                     "Fortschreibung", "Selbstauskunft, Kreis-Erhebung, PVOG, Schätzung",
                     "Stand der Ausgabe", "Samtgemeinde Fürstenau", "keine Angabe"):
        assert erwartet in text


def test_csv_export_is_german_excel_csv(small_engine, tmp_path):
    out = tmp_path / "bewertungen.csv"
    assert export_bewertungen(small_engine, Q, out) == ANZAHL_ZEILEN
    data = out.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    lines = data.decode("utf-8-sig").split("\r\n")
    assert lines[0] == ";".join(KOPF)
    assert ("2026-Q3;034590024;Stadt Melle;e_akte;in einigen Fachverfahren eingeführt;"
            "Selbstauskunft;15.09.2026;M. Müller;Bauamt und Ordnungsamt umgestellt") in lines


def test_formula_text_is_neutralised_in_export(small_engine, tmp_path):
    export_bewertungen(small_engine, Q, tmp_path / "b.xlsx")
    export_bewertungen(small_engine, Q, tmp_path / "b.csv")
    sheet = load_workbook(tmp_path / "b.xlsx")["Bewertungen"]
    zellen = {(r[1].value, r[3].value): r for r in sheet.iter_rows(min_row=2)}
    bemerkung = zellen[("034590024", "online_portal")][8]
    assert bemerkung.value == "'=HYPERLINK(\"http://example.org\")"
    assert bemerkung.data_type == "s"  # text, not a formula
    assert zellen[("03459", "e_akte")][8].value == "'-5 % Budget"
    assert zellen[("03459", "e_akte")][7].value == "''-leer"  # ' + text that starts with '-
    assert "'=HYPERLINK(\"\"http://example.org\"\")" in (tmp_path / "b.csv").read_text("utf-8-sig")


@pytest.mark.parametrize("text", ["=1+1", "+49 541", "-x", "@SUM(A1)", "\tTab", "\rCR", "'=a",
                                  "''=a", "'plain", "plain", "", "'"])
def test_escape_formula_round_trip(text):
    assert unescape_formula(escape_formula(text)) == text
    assert not escape_formula(text).startswith(("=", "+", "-", "@", "\t", "\r"))


def test_export_refuses_unknown_suffix_and_bad_quarter(small_engine, tmp_path):
    with pytest.raises(ValueError, match="Dateiendung „.ods“ wird nicht unterstützt"):
        export_bewertungen(small_engine, Q, tmp_path / "b.ods")
    with pytest.raises(ValueError, match="„2026Q3“ ist kein gültiges Quartal"):
        export_bewertungen(small_engine, "2026Q3", tmp_path / "b.xlsx")
    assert not (tmp_path / "b.xlsx").exists()


# --- Round trip --------------------------------------------------------------------------------
@pytest.mark.parametrize("suffix", [".xlsx", ".csv"])
def test_export_then_import_changes_nothing(small_engine, tmp_path, suffix, unveraendert):
    out = tmp_path / f"bewertungen{suffix}"
    export_bewertungen(small_engine, Q, out)
    result = import_bewertungen(small_engine, out, quartal=Q, benutzer="test")
    assert result.errors == []
    assert result.aenderungen == []
    assert result.gelesen == ANZAHL_ZEILEN
    assert result.zusammenfassung() == (
        f"bewertungen{suffix}: 0 Bewertungen geändert, 0 neu angelegt, {ANZAHL_ZEILEN} unverändert.")


def test_round_trip_of_an_empty_quarter_creates_no_rows(small_engine, tmp_path, unveraendert):
    out = tmp_path / "vorlage.xlsx"
    assert export_bewertungen(small_engine, "2027-Q1", out) == ANZAHL_ZEILEN
    result = import_bewertungen(small_engine, out, benutzer="test")
    assert result.errors == [] and result.aenderungen == []


# --- Accepted variants -------------------------------------------------------------------------
@pytest.mark.parametrize("sep,encoding", [(";", "utf-8-sig"), (";", "utf-8"), (",", "utf-8"),
                                          (",", "utf-8-sig"), (";", "cp1252")])
def test_csv_variants_are_read(small_engine, tmp_path, sep, encoding):
    pfad = write_csv(tmp_path / "b.csv", [
        zeile(key="034595402", name="Samtgemeinde Fürstenau", merkmal="scannen", stufe="2",
              bemerkung="Größere Änderung: Poststelle"),
    ], sep=sep, encoding=encoding)
    result = import_bewertungen(small_engine, pfad, benutzer="test")
    assert result.errors == []
    neu = bewertung(small_engine, "034595402", "scannen")
    assert (neu.stufe, neu.bemerkung, neu.stand) == (2, "Größere Änderung: Poststelle",
                                                      dt.date(2026, 9, 15))


def test_windows_1252_file_with_umlauts(small_engine, tmp_path):
    inhalt = ("Quartal;Verwaltungsschlüssel;Verwaltung;Merkmal;Stufe;Quelle;Stand;Erfasst von;"
              "Bemerkung\r\n"
              "2026-Q3;034595402;Samtgemeinde Fürstenau;e_akte;1;Schätzung;01.07.2026;"
              "Jürgen Weiß;Überprüfung läuft – „bald“\r\n")
    pfad = tmp_path / "fuerstenau.csv"
    pfad.write_bytes(inhalt.encode("cp1252"))
    result = import_bewertungen(small_engine, pfad, benutzer="test")
    assert result.errors == []
    neu = bewertung(small_engine, "034595402", "e_akte")
    assert (neu.quelle, neu.erfasst_von, neu.bemerkung) == (
        "Schätzung", "Jürgen Weiß", "Überprüfung läuft – „bald“")


@pytest.mark.parametrize("merkmal,stufe,erwartet", [
    ("e_akte", "4", 4),
    ("e_akte", "in allen Fachverfahren eingeführt", 4),
    ("e_akte", "3 – in einigen Fachverfahren eingeführt", 3),
    ("e_akte", "3 - in einigen Fachverfahren eingeführt", 3),
    ("E-Akte", "0", 0),  # display name instead of key
    ("e_akte", "", None),
    ("e_akte", "keine Angabe", None),
    ("digitalisierungsbeauftragte", "ja", 1),
    ("Digitallots*innen vorhanden", "nein", 0),
])
def test_stufe_as_number_label_or_both(small_engine, tmp_path, merkmal, stufe, erwartet):
    pfad = write_csv(tmp_path / "b.csv", [zeile(merkmal=merkmal, stufe=stufe)])
    result = import_bewertungen(small_engine, pfad, benutzer="test")
    assert result.errors == []
    key = result.eingaben[0].merkmal_key
    assert bewertung(small_engine, "034590024", key).stufe == erwartet


def test_xlsx_with_numbers_real_dates_and_lost_leading_zero(small_engine, tmp_path):
    pfad = write_xlsx(tmp_path / "b.xlsx", [
        [Q, 34590024, "Stadt Melle", "e_vergabe", 2, "PVOG", dt.datetime(2026, 8, 3), None, None],
        [Q, "034590024", "Stadt Melle", "scannen", 3.0, None, "2026-08-04", None, None],
    ])
    result = import_bewertungen(small_engine, pfad, benutzer="test")
    assert result.errors == []
    assert bewertung(small_engine, "034590024", "e_vergabe").stand == dt.date(2026, 8, 3)
    assert bewertung(small_engine, "034590024", "scannen").stand == dt.date(2026, 8, 4)
    assert bewertung(small_engine, "034590024", "scannen").stufe == 3


def test_quartal_column_may_be_missing_when_quarter_is_given(small_engine, tmp_path):
    kopf = KOPF[1:]
    pfad = write_csv(tmp_path / "b.csv", [zeile(merkmal="scannen", stufe="1")[1:]], kopf=kopf)
    result = import_bewertungen(small_engine, pfad, quartal=Q, benutzer="test")
    assert result.errors == []
    assert bewertung(small_engine, "034590024", "scannen").stufe == 1


# --- Refused files: message asserted, DB unchanged ---------------------------------------------
@pytest.mark.parametrize("rows,quartal,meldung", [
    ([zeile(key="034599999")], None,
     "b.csv, Zeile 2, Spalte „Verwaltungsschlüssel“: „034599999“ ist keine Verwaltung dieses "
     "Kreises"),
    ([zeile(), zeile(merkmal="online_portal"), zeile(merkmal="e_akte", stufe="7")], None,
     "b.csv, Zeile 4, Spalte „Stufe“: „7“ ist ungültig für E-Akte – erlaubt sind 0 (kein Thema), "
     "1 (geplant), 2 (in Einführung), 3 (in einigen Fachverfahren eingeführt), 4 (in allen "
     "Fachverfahren eingeführt) oder leer bzw. „keine Angabe“"),
    ([zeile(merkmal="digitallotsen", stufe="vielleicht")], None,
     "b.csv, Zeile 2, Spalte „Stufe“: „vielleicht“ ist ungültig für Digitallots*innen vorhanden"
     " – erlaubt sind 0 (nein), 1 (ja)"),
    ([zeile(merkmal="e_akten")], None,
     "b.csv, Zeile 2, Spalte „Merkmal“: „e_akten“ ist kein Merkmal dieses Arbeitsbereichs – "
     "meinten Sie „e_akte“?"),
    ([zeile(quelle="Umfrage")], None,
     "b.csv, Zeile 2, Spalte „Quelle“: „Umfrage“ ist keine gültige Quelle – erlaubt sind "
     "Selbstauskunft, Kreis-Erhebung, PVOG, Schätzung oder leer"),
    ([zeile(stand="31.02.2026")], None,
     "b.csv, Zeile 2, Spalte „Stand“: „31.02.2026“ ist kein gültiges Datum – erlaubt sind "
     "TT.MM.JJJJ (z. B. 30.09.2026), JJJJ-MM-TT oder ein Excel-Datum"),
    ([zeile(stand="gestern")], None, "Spalte „Stand“: „gestern“ ist kein gültiges Datum"),
    ([zeile(quartal="2026Q3")], None,
     "b.csv, Zeile 2, Spalte „Quartal“: „2026Q3“ ist kein gültiges Quartal; erwartet wird "
     "JJJJ-QN, z. B. 2026-Q3"),
    ([zeile(quartal="2026-Q5")], None, "Zeile 2, Spalte „Quartal“: „2026-Q5“ ist kein gültiges"),
    ([zeile()], "2026Q3",
     "b.csv: vorgegebenes Quartal (--quartal): „2026Q3“ ist kein gültiges Quartal"),
    ([zeile(), zeile(merkmal="scannen", quartal="2026-Q2")], Q,
     "b.csv, Zeile 3, Spalte „Quartal“: „2026-Q2“ weicht vom vorgegebenen Quartal 2026-Q3 ab"),
    ([zeile(), zeile(merkmal="scannen"), zeile(merkmal="E-Akte", stufe="4")], None,
     "b.csv, Zeile 4: doppelte Zeile – Verwaltung 034590024, Merkmal e_akte, Quartal 2026-Q3 "
     "steht schon in Zeile 2"),
    ([zeile(key="")], None, "Zeile 2, Spalte „Verwaltungsschlüssel“: Verwaltungsschlüssel fehlt"),
], ids=["verwaltung", "stufe7", "ja_nein", "merkmal", "quelle", "datum", "datum_text",
        "quartal_format", "quartal_q5", "quartal_option", "quartal_abweichend", "doppelt",
        "schluessel_leer"])
def test_bad_rows_are_refused(small_engine, tmp_path, unveraendert, rows, quartal, meldung):
    pfad = write_csv(tmp_path / "b.csv", rows)
    result = import_bewertungen(small_engine, pfad, quartal=quartal, benutzer="test")
    assert any(meldung in fehler for fehler in result.errors), result.errors
    assert result.aenderungen == [] and result.eingaben == []


def test_all_errors_are_collected_and_valid_rows_not_written(small_engine, tmp_path,
                                                             unveraendert):
    pfad = write_csv(tmp_path / "b.csv", [
        zeile(merkmal="scannen", stufe="4"),  # valid, but must not be written
        zeile(key="999"), zeile(stufe="7"), zeile(merkmal="x", stand="1.1.26"),
    ])
    result = import_bewertungen(small_engine, pfad, benutzer="test")
    assert [f.zeile for f in result.fehler] == [3, 4, 5, 5]
    assert [f.spalte for f in result.fehler] == ["Verwaltungsschlüssel", "Stufe", "Merkmal",
                                                 "Stand"]


def test_unknown_key_suggests_the_key_of_the_named_verwaltung(small_engine, tmp_path,
                                                              unveraendert):
    pfad = write_csv(tmp_path / "b.csv", [zeile(key="034590025", name="Stadt Melle")])
    (fehler,) = import_bewertungen(small_engine, pfad, benutzer="test").errors
    assert fehler.endswith("laut Spalte „Verwaltung“ ist vermutlich 034590024 (Stadt Melle) "
                           "gemeint")


def test_misspelled_column_is_named_with_suggestion(small_engine, tmp_path, unveraendert):
    kopf = [("Stuffe" if k == "Stufe" else k) for k in KOPF]
    pfad = write_csv(tmp_path / "b.csv", [zeile()], kopf=kopf)
    result = import_bewertungen(small_engine, pfad, benutzer="test")
    (fehler,) = result.errors
    assert fehler.startswith("b.csv, Zeile 1: Spalte „Stufe“ fehlt – die Spalte „Stuffe“ ist "
                             "vermutlich „Stufe“ (Schreibweise prüfen). Gefundene Spalten: "
                             "„Quartal“, „Verwaltungsschlüssel“")
    assert fehler.endswith("Erwartete Spalten: Quartal, Verwaltungsschlüssel, Verwaltung, "
                           "Merkmal, Stufe, Quelle, Stand, Erfasst von, Bemerkung.")


def test_header_spelling_variants_and_extra_columns_are_tolerated(small_engine, tmp_path):
    kopf = ["quartal", "Verwaltungsschluessel", "Verwaltung", "MERKMAL", "Stufe", "Quelle",
            "Stand", "erfasst_von", "Bemerkung", "Notiz"]
    pfad = write_csv(tmp_path / "b.csv", [zeile(merkmal="scannen", stufe="2") + ["egal"]],
                     kopf=kopf)
    result = import_bewertungen(small_engine, pfad, benutzer="test")
    assert result.errors == []
    assert result.hinweise == ["b.csv: Spalte „Notiz“ ist unbekannt und wird ignoriert."]


@pytest.mark.parametrize("inhalt,meldung", [
    (b"", "b.csv: die Datei ist leer"),
    (b"\r\n\r\n", "b.csv: die Datei ist leer"),
    (";".join(KOPF).encode() + b"\r\n", "b.csv: die Datei enthält keine Datenzeilen"),
])
def test_empty_files_are_refused(small_engine, tmp_path, unveraendert, inhalt, meldung):
    pfad = tmp_path / "b.csv"
    pfad.write_bytes(inhalt)
    result = import_bewertungen(small_engine, pfad, benutzer="test")
    assert len(result.errors) == 1 and result.errors[0].startswith(meldung)


def test_empty_xlsx_is_refused(small_engine, tmp_path, unveraendert):
    pfad = write_xlsx(tmp_path / "leer.xlsx", [], kopf=[])
    assert import_bewertungen(small_engine, pfad, benutzer="test").errors[0].startswith(
        "leer.xlsx: die Datei ist leer")


# --- Writing -----------------------------------------------------------------------------------
def test_changing_import_writes_exactly_the_changed_rows_with_audit(small_engine, tmp_path):
    out = tmp_path / "bewertungen.xlsx"
    export_bewertungen(small_engine, Q, out)
    workbook = load_workbook(out)
    sheet = workbook["Bewertungen"]
    for row in sheet.iter_rows(min_row=2):
        if (row[1].value, row[3].value) == ("034590024", "e_akte"):
            row[4].value = 4  # 3 -> 4
        if (row[1].value, row[3].value) == ("034595402", "scannen"):
            row[4].value, row[5].value = "2 – in Einführung", "Kreis-Erhebung"  # new
    workbook.save(out)
    vorher = {row[0]: row for row in dump(small_engine)}
    audit_vorher = audit_count(small_engine)

    result = import_bewertungen(small_engine, out, benutzer="redaktion")

    assert result.errors == []
    assert result.zusammenfassung() == (
        "bewertungen.xlsx: 1 Bewertung geändert, 1 neu angelegt, "
        f"{ANZAHL_ZEILEN - 2} unverändert.")
    nachher = {row[0]: row for row in dump(small_engine)}
    geaendert = [id_ for id_ in vorher if vorher[id_] != nachher[id_]]
    assert len(geaendert) == 1 and len(nachher) == len(vorher) + 1
    assert bewertung(small_engine, "034590024", "e_akte").stufe == 4
    assert bewertung(small_engine, "034595402", "scannen").quelle == "Kreis-Erhebung"
    with Session(small_engine) as session:
        eintraege = session.scalars(select(AuditEintrag).where(AuditEintrag.id > audit_vorher)
                                    .order_by(AuditEintrag.id)).all()
    assert [(e.aktion, e.schluessel, e.feld, e.alt, e.neu) for e in eintraege] == [
        ("geändert", "034590024/e_akte/2026-Q3", "stufe", "3", "4"),
        ("angelegt", "034595402/scannen/2026-Q3", "stufe", None, "2"),
        ("angelegt", "034595402/scannen/2026-Q3", "quelle", None, "Kreis-Erhebung"),
    ]
    assert {(e.benutzer, e.kontext) for e in eintraege} == {("redaktion",
                                                             "Import bewertungen.xlsx")}


def test_dry_run_reports_changes_but_writes_nothing(small_engine, tmp_path, unveraendert):
    pfad = write_csv(tmp_path / "b.csv", [zeile(stufe="4"), zeile(merkmal="scannen", stufe="1")])
    result = import_bewertungen(small_engine, pfad, dry_run=True, benutzer="test")
    assert result.errors == []
    assert [(a.aktion, a.schluessel) for a in result.aenderungen] == [
        ("geändert", "034590024/e_akte/2026-Q3"), ("angelegt", "034590024/scannen/2026-Q3")]
    assert result.zusammenfassung() == ("Probelauf b.csv: 1 Bewertung geändert, 1 neu angelegt, "
                                        "0 unverändert – nichts wurde geschrieben.")


def test_clearing_a_row_is_a_change(small_engine, tmp_path):
    pfad = write_csv(tmp_path / "b.csv", [zeile(stufe="", quelle="", stand="", erfasst_von="",
                                                bemerkung="")])
    result = import_bewertungen(small_engine, pfad, benutzer="test")
    assert [a.aktion for a in result.aenderungen] == ["geändert"]
    geleert = bewertung(small_engine, "034590024", "e_akte")
    assert (geleert.stufe, geleert.quelle, geleert.stand, geleert.bemerkung) == (None,) * 4


# --- Command line ------------------------------------------------------------------------------
@pytest.fixture
def befehl(small_engine, monkeypatch):
    """Run `python -m kreis_data …` in-process on the small workspace; returns the exit status."""
    monkeypatch.setenv(ENV_VAR, small_engine.url.render_as_string(hide_password=False))
    return lambda *argv: cli.main([str(a) for a in argv])


def test_import_refuses_a_redaktion_account(small_engine, tmp_path, unveraendert):
    pfad = write_csv(tmp_path / "b.csv", [zeile(stufe="4")])
    redaktion = regeln.Benutzer("red", regeln.REDAKTION, frozenset({"034590024"}))
    with pytest.raises(NichtErlaubt):
        _import_bewertungen(small_engine, pfad, benutzer=redaktion)


def test_cli_export_and_import_exit_codes(befehl, tmp_path, capsys):
    out = tmp_path / "b.csv"
    assert befehl("export", "--quartal", Q, "--out", out) == 0
    assert f"{ANZAHL_ZEILEN} Zeilen für Quartal 2026-Q3 nach" in capsys.readouterr().out
    assert befehl("import", out, "--quartal", Q) == 0
    assert f"0 Bewertungen geändert, 0 neu angelegt, {ANZAHL_ZEILEN} unverändert" in capsys.readouterr().out
    with pytest.raises(SystemExit) as ende:  # argparse refuses the option (type check)
        befehl("export", "--quartal", "2026-Q9", "--out", out)
    assert ende.value.code == 2
    assert "„2026-Q9“ ist kein gültiges Quartal" in capsys.readouterr().err


def test_cli_import_prints_all_errors_and_returns_2(befehl, tmp_path, capsys, unveraendert):
    pfad = write_csv(tmp_path / "b.csv", [zeile(stufe="7"), zeile(merkmal="scannen", key="1")])
    assert befehl("import", pfad) == 2
    err = capsys.readouterr().err.splitlines()
    assert err[0].startswith("b.csv, Zeile 2, Spalte „Stufe“: „7“ ist ungültig für E-Akte")
    assert err[1].startswith("b.csv, Zeile 3, Spalte „Verwaltungsschlüssel“: „1“")
    assert err[-1] == "Nichts wurde geschrieben."


def test_cli_import_of_unreadable_file_returns_2(befehl, tmp_path, capsys, unveraendert):
    kaputt = tmp_path / "kaputt.xlsx"
    kaputt.write_bytes(b"das ist kein Excel")
    assert befehl("import", kaputt) == 2  # bad input (README: Exit-Status)
    assert "kaputt.xlsx: Datei kann nicht gelesen werden" in capsys.readouterr().err
    assert befehl("import", tmp_path / "fehlt.csv") == 2
    assert "fehlt.csv: Datei nicht gefunden" in capsys.readouterr().err
    assert befehl("import", tmp_path / "b.ods") == 2
    assert "Dateiendung „.ods“ wird nicht unterstützt" in capsys.readouterr().err


def test_cli_dry_run_lists_changes(befehl, tmp_path, capsys, unveraendert):
    pfad = write_csv(tmp_path / "b.csv", [zeile(stufe="4")])
    assert befehl("import", pfad, "--quartal", Q, "--dry-run") == 0
    out = capsys.readouterr().out
    assert "geändert 034590024/e_akte/2026-Q3: stufe 3 -> 4" in out
    assert "nichts wurde geschrieben" in out


def test_hinweise_name_demo_flag_and_data_sources(small_engine, tmp_path):
    from kreis_data.database import transaction
    from kreis_data.model import Meta
    with transaction(small_engine) as session:
        session.add(Meta(key="demo", value="true"))
        session.add(Meta(key="quellen", value=(
            '[{"attribution": "Einwohner: © Statistisches Bundesamt (Destatis), '
            'Gemeindeverzeichnis, dl-de/by-2-0", "name": "GV-ISys", "stand": "31.12.2019"}]')))
    out = tmp_path / "b.xlsx"
    export_bewertungen(small_engine, Q, out)
    texte = [c.value for row in load_workbook(out)["Hinweise"].iter_rows() for c in row]
    assert "Demo-Daten (fiktiv)" in texte
    assert ("Einwohner: © Statistisches Bundesamt (Destatis), Gemeindeverzeichnis, dl-de/by-2-0"
            " – Stand 31.12.2019") in texte


def test_validation_core_names_the_column_of_a_wide_template(small_engine):
    from kreis_data.bewertungen.lesen import load_katalog
    from kreis_data.bewertungen.regeln import Rohzeile, validate_zeilen
    zeilen = [Rohzeile(5, {"verwaltung_key": "034590024", "merkmal": "e_akte", "stufe": 7},
                       spalten={"stufe": "E-Akte"}),
              Rohzeile(6, {"verwaltung_key": "034590024", "merkmal": "strategie", "stufe": 3},
                       spalten={"stufe": "Digitalisierungsstrategie"})]
    eingaben, fehler = validate_zeilen(zeilen, load_katalog(small_engine), datei="selbst.xlsx",
                                       quartal=Q)
    assert eingaben == []
    assert [str(f) for f in fehler] == [
        "selbst.xlsx, Zeile 5, Spalte „E-Akte“: „7“ ist ungültig für E-Akte – erlaubt sind "
        "0 (kein Thema), 1 (geplant), 2 (in Einführung), 3 (in einigen Fachverfahren "
        "eingeführt), 4 (in allen Fachverfahren eingeführt) oder leer bzw. „keine Angabe“"]
