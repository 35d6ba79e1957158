"""Kooperationen: warning rules on hand-made data, quadrants and their history, matrix layout,
network, Bundesvergleich, exports; writes with validation, audit and optimistic concurrency on a
private copy of the demo database."""
from __future__ import annotations

import csv
import datetime as dt
import io
import itertools
import math

import pandas as pd
import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from kreis_data import queries, scales
from kreis_data.database import make_engine
from kreis_data.fehler import Ungueltig, Veraltet
from kreis_data.io import export
from kreis_data.konten import regeln as rechte
from kreis_data.kooperationen import lesen, regeln, schreiben
from kreis_data.model import AuditEintrag, Kooperation, KooperationEinordnung
from tests.datenbanken import kopie

Q = "2026-Q3"
A, B, C, D, E = "000000001", "000000002", "000000003", "000000004", "000000005"
VERWALTUNGEN = pd.DataFrame({
    "key": [A, B, C, D, E, "00000"],
    "name": ["Aheim", "Bdorf", "Cstadt", "Dberg", "Efeld", "Kreisverwaltung"],
    "kreisverwaltung": [False, False, False, False, False, True],
})
NAMEN = dict(zip(VERWALTUNGEN["key"], VERWALTUNGEN["name"], strict=True))


def kooperation(id_, name, mitglieder, *, dauer="dauerhaft", verbindlichkeit="eher lose",
                felder=("Verwaltung",), status="aktiv", start=dt.date(2024, 1, 1), ende=None,
                anschluss=None, federfuehrung=None, stellvertretung=None, externe=(),
                format_="Workshop / Round Table"):
    fuehrung = federfuehrung if federfuehrung is not None else mitglieder[0]
    vertretung = stellvertretung if stellvertretung is not None else mitglieder[1]
    return {
        "id": id_, "name": name, "format": format_, "verbindlichkeit": verbindlichkeit,
        "dauer": dauer, "quadrant": regeln.quadrant_key(verbindlichkeit, dauer),
        "handlungsfelder": tuple(felder), "handlungsfeld": felder[0], "status": status,
        "start": start, "ende": ende, "anschluss": anschluss,
        "federfuehrung_key": fuehrung or None,
        "federfuehrung": NAMEN.get(fuehrung) if fuehrung else None,
        "stellvertretung_key": vertretung or None, "mitglied_keys": tuple(mitglieder),
        "mitglieder_anzahl": len(mitglieder) + len(externe), "_externe": tuple(externe),
    }


def frames(*kooperationen):
    register = pd.DataFrame(kooperationen)
    rows = []
    for k in kooperationen:
        rows += [{"kooperation_id": k["id"], "verwaltung_key": m, "extern_name": None}
                 for m in k["mitglied_keys"]]
        rows += [{"kooperation_id": k["id"], "verwaltung_key": None, "extern_name": n}
                 for n in k["_externe"]]
    return register.drop(columns="_externe"), pd.DataFrame(rows)


def warnungen(*kooperationen, quartal=Q):
    register, mitglieder = frames(*kooperationen)
    return regeln.warnungen(register, mitglieder, VERWALTUNGEN, quartal)


def arten(frame):
    return sorted(frame["art"])


# --- warning rules ------------------------------------------------------------------------------

def test_temporary_format_ending_within_two_quarters_without_anschluss_is_warned():
    w = warnungen(
        kooperation(1, "Projekt endet in Q+2", [A, B], dauer="temporär", ende=dt.date(2027, 3, 31)),
        kooperation(2, "Projekt endet in Q+3", [A, B], dauer="temporär", ende=dt.date(2027, 4, 1)),
        kooperation(3, "Projekt mit Anschluss", [A, B], dauer="temporär",
                    ende=dt.date(2026, 12, 31), anschluss="Betrieb durch den IT-Verbund"),
        kooperation(4, "Dauerhaft mit Ende", [A, B], ende=dt.date(2026, 12, 31)),
        kooperation(5, "Schon vorher beendet", [A, B], dauer="temporär", status="beendet",
                    ende=dt.date(2026, 6, 30)),
        kooperation(6, "Endet im Quartal", [A, B], dauer="temporär", ende=dt.date(2026, 9, 30)),
        kooperation(7, "Anschluss nur Leerzeichen", [A, B], dauer="temporär",
                    ende=dt.date(2026, 10, 1), anschluss="   "),
    )
    ende = w[w["art"] == regeln.ENDE_OHNE_ANSCHLUSS]
    assert sorted(ende["betrifft"]) == ["Anschluss nur Leerzeichen", "Endet im Quartal",
                                        "Projekt endet in Q+2"]
    grund = ende[ende["betrifft"] == "Projekt endet in Q+2"]["grund"].iloc[0]
    assert "31.03.2027" in grund and "Anschluss oder Betreibermodell" in grund


def test_doppelstruktur_needs_a_shared_handlungsfeld_and_a_jaccard_share_of_two_thirds():
    w = warnungen(
        # {A,B,C} vs {A,B,C,D}: 3/4 -> warned
        kooperation(1, "AK Nord", [A, B, C]),
        kooperation(2, "Anwenderkreis Nord", [A, B, C, D]),
        # {A,B} vs {A,B,E}: exactly 2/3 -> warned (threshold inclusive); other field
        kooperation(3, "Mobil 1", [A, B], felder=("Mobilität",)),
        kooperation(4, "Mobil 2", [A, B, E], felder=("Mobilität", "Umwelt")),
    )
    doppelt = w[w["art"] == regeln.DOPPELSTRUKTUR]
    assert sorted(doppelt["betrifft"]) == ["AK Nord / Anwenderkreis Nord", "Mobil 1 / Mobil 2"]
    assert "3 von 4 Mitgliedern" in doppelt["grund"].iloc[0]
    assert "75 %" in doppelt["grund"].iloc[0]


def test_no_doppelstruktur_below_the_threshold_other_field_or_when_one_has_ended():
    w = warnungen(
        # small group inside a large network: 2/5 shared -> not a duplicate
        kooperation(1, "Netzwerk", [A, B, C, D, E]),
        kooperation(2, "Projektgruppe", [A, B]),
        # same members, different Handlungsfeld
        kooperation(3, "Gesundheit", [C, D], felder=("Gesundheit",)),
        kooperation(4, "Bildung", [C, D], felder=("Bildung",)),
        # same members and field, but the predecessor has ended before the quarter
        kooperation(5, "Vorgänger", [A, E], felder=("Tourismus",), status="beendet",
                    ende=dt.date(2025, 12, 31)),
        kooperation(6, "Nachfolger", [A, E], felder=("Tourismus",)),
    )
    assert regeln.DOPPELSTRUKTUR not in set(w["art"])


def test_external_members_count_for_the_overlap():
    # {A,B,Hochschule} vs {A,B,Verein}: 2/4 -> no; with the same external member 3/3 -> yes
    ohne = warnungen(kooperation(1, "X", [A, B], externe=("Hochschule",)),
                     kooperation(2, "Y", [A, B], externe=("Verein",)))
    mit = warnungen(kooperation(1, "X", [A, B], externe=("Hochschule",)),
                    kooperation(2, "Y", [A, B], externe=(" hochschule ",)))
    assert regeln.DOPPELSTRUKTUR not in set(ohne["art"])
    assert regeln.DOPPELSTRUKTUR in set(mit["art"])


def test_single_organiser_without_stellvertretung_and_missing_federfuehrung():
    w = warnungen(
        kooperation(1, "Allein", [A, B, C], stellvertretung=""),
        kooperation(2, "Ohne Federführung", [A, B], federfuehrung="", stellvertretung=""),
        kooperation(3, "Geregelt", [A, B]),
        kooperation(4, "Geplant ohne Vertretung", [C, D], status="geplant", stellvertretung=""),
    )
    treffer = w[w["art"] == regeln.OHNE_STELLVERTRETUNG]
    assert sorted(treffer["betrifft"]) == ["Allein", "Ohne Federführung"]
    assert "einzigen Federführung (Aheim)" in treffer.iloc[0]["grund"]
    assert "keine Federführung" in treffer.iloc[1]["grund"]


def test_verwaltungen_in_no_running_format():
    w = warnungen(
        kooperation(1, "Läuft", [A, B]),
        kooperation(2, "Geplant", [C, D], status="geplant"),
        kooperation(3, "Beginnt später", [D, E], start=dt.date(2027, 1, 1)),
    )
    ohne = w[w["art"] == regeln.OHNE_FORMAT]
    assert sorted(ohne["betrifft"]) == ["Cstadt", "Dberg", "Efeld", "Kreisverwaltung"]
    assert set(ohne["verwaltung_key"]) == {C, D, E, "00000"}


def test_laeuft_im_quartal_uses_status_start_and_end():
    assert regeln.laeuft_im_quartal("aktiv", dt.date(2026, 9, 30), None, Q)
    assert not regeln.laeuft_im_quartal("aktiv", dt.date(2026, 10, 1), None, Q)
    assert regeln.laeuft_im_quartal("beendet", dt.date(2020, 1, 1), dt.date(2026, 7, 1), Q)
    assert not regeln.laeuft_im_quartal("beendet", dt.date(2020, 1, 1), dt.date(2026, 6, 30), Q)
    assert not regeln.laeuft_im_quartal("geplant", None, None, Q)


# --- quadrants and history ----------------------------------------------------------------------

def test_quadrant_from_verbindlichkeit_and_dauer_and_format_defaults():
    assert regeln.quadrant("verbindlich", "temporär").kurzname == "Projekt"
    assert regeln.quadrant("eher lose", "dauerhaft").kurzname == "Netzwerk"
    assert regeln.quadrant_key("verbindlich", "dauerhaft") == "verbindlich · dauerhaft"
    assert regeln.einordnung_aus_format("Hackathon") == ("eher lose", "temporär")
    assert regeln.einordnung_aus_format(
        "IT-Verbund / kommunales Rechenzentrum") == ("verbindlich", "dauerhaft")
    assert regeln.format_info("IT-Verbund / kommunales Rechenzentrum").beispiele == \
        "IT-Verbund Uelzen (AöR); GovConnect (GmbH)"
    assert len(regeln.formate()) == 20  # incl. Zweckvereinbarung, gemeinsame kommunale Anstalt
    for q in regeln.QUADRANTEN:  # every quadrant has all four perspectives in our wording
        assert q.staerken and q.schwaechen and q.chancen and q.risiken


def test_verstetigung_and_institutionalisierung_are_detected():
    historie = pd.DataFrame({
        "ab_quartal": ["2026-Q1", "2024-Q2", "2025-Q3"],
        "verbindlichkeit": ["verbindlich", "eher lose", "eher lose"],
        "dauer": ["dauerhaft", "temporär", "dauerhaft"],
    })
    wechsel = regeln.wechsel(historie)
    assert [(w.ab_quartal, w.arten) for w in wechsel] == [
        ("2025-Q3", (regeln.VERSTETIGUNG,)), ("2026-Q1", (regeln.INSTITUTIONALISIERUNG,))]
    assert wechsel[0].von == "eher lose · temporär" and wechsel[0].nach == "eher lose · dauerhaft"
    assert "3. Quartal 2025" in wechsel[0].text
    # both at once, and the way back
    beides = regeln.wechsel(pd.DataFrame({"ab_quartal": ["2024-Q1", "2025-Q1", "2026-Q1"],
                                           "verbindlichkeit": ["eher lose", "verbindlich",
                                                               "eher lose"],
                                           "dauer": ["temporär", "dauerhaft", "dauerhaft"]}))
    assert beides[0].arten == (regeln.VERSTETIGUNG, regeln.INSTITUTIONALISIERUNG)
    assert beides[1].arten == (regeln.LOCKERUNG,)


def test_einordnung_valid_in_a_quarter():
    historie = pd.DataFrame({"ab_quartal": ["2024-Q2", "2025-Q3"],
                             "verbindlichkeit": ["eher lose", "eher lose"],
                             "dauer": ["temporär", "dauerhaft"]})
    aktuell = ("eher lose", "dauerhaft")
    assert regeln.einordnung_am(historie, "2025-Q2", aktuell) == ("eher lose", "temporär")
    assert regeln.einordnung_am(historie, "2025-Q3", aktuell) == aktuell
    assert regeln.einordnung_am(historie, "2023-Q1", aktuell) == ("eher lose", "temporär")


# --- matrix -------------------------------------------------------------------------------------

def test_matrix_points_stay_in_their_quadrant_and_never_overlap():
    rows = [kooperation(i, f"K{i}", [A, B], verbindlichkeit=v, dauer=d)
            for i, (v, d) in enumerate(itertools.islice(itertools.cycle(
                [("verbindlich", "dauerhaft")] * 11 + [("eher lose", "temporär")] * 2), 13))]
    register, _ = frames(*rows)
    register["mitglieder_anzahl"] = [2, 30, 5, 12, 2, 8, 21, 3, 4, 6, 9, 2, 40]
    punkte = regeln.matrix_punkte(register)
    assert punkte.equals(regeln.matrix_punkte(register))  # deterministic
    breite, hoehe = regeln.NOMINAL_ZELLE_PX
    for r in punkte.itertuples():
        x0 = scales.DAUER.index(r.dauer)
        y0 = scales.VERBINDLICHKEIT.index(r.verbindlichkeit)
        assert x0 < r.x < x0 + 1 and y0 < r.y < y0 + 1
    for a, b in itertools.combinations(list(punkte.itertuples()), 2):
        abstand = math.hypot((a.x - b.x) * breite, (a.y - b.y) * hoehe)
        assert abstand >= (a.groesse + b.groesse) / 2, (a.name, b.name)
    groessen = punkte.set_index("id")["groesse"]
    assert groessen[12] > groessen[0]  # more members, bigger marker


# --- network and Bundesvergleich ----------------------------------------------------------------

def test_network_edges_count_shared_running_formats():
    register, mitglieder = frames(
        kooperation(1, "Eins", [A, B, C]),
        kooperation(2, "Zwei", [A, B]),
        kooperation(3, "Beendet", [A, C], status="beendet", ende=dt.date(2025, 1, 1)),
        kooperation(4, "Mit Externen", [D, E], externe=("Hochschule",)),
    )
    kanten = regeln.netzwerk_kanten(register, mitglieder, VERWALTUNGEN, Q)
    gewichte = {(r.a, r.b): r.gemeinsame for r in kanten.itertuples()}
    assert gewichte == {(A, B): 2, (A, C): 1, (B, C): 1, (D, E): 1}
    assert kanten.set_index(["a", "b"]).loc[(A, B), "formate"] == "Eins; Zwei"
    positionen = pd.DataFrame({"key": VERWALTUNGEN["key"], "lon": 8.0, "lat": 52.0})
    knoten = regeln.netzwerk_knoten(register, mitglieder, VERWALTUNGEN, positionen, Q)
    assert list(knoten[knoten["ohne_format"]]["key"]) == ["00000"]
    assert knoten.set_index("key").at[A, "formate"] == 2


def test_arbeitsgremium_share_compared_with_the_survey():
    register, mitglieder = frames(
        kooperation(1, "AK Digitalisierung", [A, B, "00000"],
                    format_="Interkommunaler Arbeitskreis (z. B. Digitalisierung, Gesundheit, "
                            "Mobilität)"),
        kooperation(2, "AK Gesundheit", [C, D], felder=("Gesundheit",),
                    format_="Interkommunaler Arbeitskreis (z. B. Digitalisierung, Gesundheit, "
                            "Mobilität)"),
        kooperation(3, "Workshop", [C, E]),
    )
    gemeinden, kreis = regeln.arbeitsgremium_vergleich(register, mitglieder, VERWALTUNGEN, Q)
    assert gemeinden.kreis_text == "2 von 5 Verwaltungen (40 %)"
    assert gemeinden.verwaltungen == ("Aheim", "Bdorf")
    assert gemeinden.bund.anteil_prozent == 50 and gemeinden.bund.befragte == "Städte und Gemeinden"
    assert kreis.kreis_text == "ja" and kreis.bund.anteil_prozent == 33
    label = gemeinden.bund.beschriftung(Q)
    assert "Prognos / Behörden Spiegel" in label and "Frühjahr 2022" in label
    assert "befragt: Städte und Gemeinden" in label and "ca. 220" in label
    assert "historisch" in label and "historisch" not in gemeinden.bund.beschriftung("2024-Q4")


def test_filters_combine():
    register, _ = frames(
        kooperation(1, "Eins", [A, B], felder=("Verwaltung", "Bildung")),
        kooperation(2, "Zwei", [C, D], felder=("Bildung",), status="geplant"),
        kooperation(3, "Drei", [A, E], verbindlichkeit="verbindlich", felder=("Umwelt",)),
    )
    assert list(regeln.filtern(register, handlungsfelder=["Bildung"])["id"]) == [1, 2]
    assert list(regeln.filtern(register, handlungsfelder=["Bildung"],
                                status=["aktiv"])["id"]) == [1]
    assert list(regeln.filtern(register, verwaltung_key=A)["id"]) == [1, 3]
    assert list(regeln.filtern(register, quadranten=["verbindlich · dauerhaft"])["id"]) == [3]
    assert len(regeln.filtern(register)) == 3


# --- database: reads, writes, validation, concurrency -------------------------------------------

GLANDORF, BAD_LAER, BAD_ROTHENFELDE = "034590034", "034590005", "034590006"
TEST = rechte.Benutzer("Test", rechte.ADMIN)
REDAKTION_BAD_LAER = rechte.Benutzer("r.badlaer", rechte.REDAKTION, frozenset({BAD_LAER}))
REDAKTION_GLANDORF = rechte.Benutzer("r.glandorf", rechte.REDAKTION, frozenset({GLANDORF}))


@pytest.fixture
def engine(demo_url, tmp_path):
    """A private copy of the demo database (these tests write)."""
    engine = make_engine(kopie(demo_url, tmp_path, "koop"))
    yield engine
    engine.dispose()


def zaehle(engine):
    with Session(engine) as session:
        return (session.scalar(select(func.count(Kooperation.id))),
                session.scalar(select(func.count(AuditEintrag.id))),
                session.scalar(select(func.count(KooperationEinordnung.id))))


def neue_daten(**aenderungen):
    daten = {
        "name": "Interkommunale Tourismus-App Südkreis", "format": "Gemeinsames Projekt",
        "rechtsform": "öffentlich-rechtliche Vereinbarung", "ausrichtung": "operativ",
        "status": "aktiv", "handlungsfelder": ["Tourismus", "Verwaltung"],
        "mitglieder": [GLANDORF, BAD_LAER, {"extern_name": "Tourismusverband Osnabrücker Land",
                                            "akteurstyp": "Zivilgesellschaft"}],
        "federfuehrung_key": BAD_LAER, "stellvertretung_key": GLANDORF,
        "start": dt.date(2026, 4, 1), "ende": dt.date(2027, 12, 31),
        "ansprechperson": "Erika Beispiel", "anschluss": None,
    }
    daten.update(aenderungen)
    return daten


def test_demo_register_has_all_quadrants_and_the_warning_cases(demo_engine):
    register = lesen.register(demo_engine, Q)
    assert set(register["quadrant"]) == set(regeln.quadrant_keys())
    assert len(register) >= 12
    w = lesen.warnungen(demo_engine, Q)
    assert set(w["art"]) == set(regeln.WARNUNG_ARTEN)
    wechsel = lesen.wechsel(demo_engine)
    assert {regeln.VERSTETIGUNG, regeln.INSTITUTIONALISIERUNG} <= set(wechsel["art"])


def test_one_member_is_refused_and_nothing_is_written(engine):
    vorher = zaehle(engine)
    with pytest.raises(Ungueltig) as fehler:
        schreiben.create_kooperation(engine, TEST, neue_daten(mitglieder=[GLANDORF],
                                                              federfuehrung_key=GLANDORF,
                                                              stellvertretung_key=None))
    assert ("Mitglieder: Eine Kooperation braucht mindestens zwei Mitglieder (angegeben: 1)."
            in fehler.value.fehler)
    assert zaehle(engine) == vorher


def test_end_before_start_is_refused_and_nothing_is_written(engine):
    vorher = zaehle(engine)
    with pytest.raises(Ungueltig) as fehler:
        schreiben.create_kooperation(engine, TEST, neue_daten(start=dt.date(2026, 5, 1),
                                                              ende=dt.date(2026, 4, 30)))
    assert fehler.value.fehler == [
        "Ende: Das Ende (30.04.2026) liegt vor dem Start (01.05.2026)."]
    assert zaehle(engine) == vorher


def test_all_validation_messages_name_their_field(engine):
    with pytest.raises(Ungueltig) as fehler:
        schreiben.create_kooperation(engine, TEST, {
            "name": " ", "format": "Kaffeeklatsch", "verbindlichkeit": "sehr fest",
            "dauer": "ewig", "rechtsform": "KG", "ausrichtung": "seitlich", "status": "läuft",
            "handlungsfelder": ["Raumfahrt"], "mitglieder": [GLANDORF, "999999999",
                                                              {"extern_name": "Verein X"}],
            "federfuehrung_key": BAD_ROTHENFELDE, "ende": "31.02.2026"})
    felder = {m.split(":")[0] for m in fehler.value.fehler}
    assert felder == {"Name", "Format", "Verbindlichkeit", "Dauer", "Rechtsform", "Ausrichtung",
                      "Status", "Handlungsfelder", "Ende", "Mitglieder", "Federführung"}
    text = str(fehler.value)
    assert "„Raumfahrt“ ist nicht erlaubt" in text and "Bad Rothenfelde ist kein Mitglied" in text
    assert "„31.02.2026“ ist kein Datum" in text and "fehlt der Akteurstyp" in text


def test_valid_create_appears_in_register_matrix_and_network_with_audit(engine):
    kooperationen, audits, einordnungen = zaehle(engine)
    neu = schreiben.create_kooperation(engine, rechte.Benutzer("Redaktion Test", rechte.ADMIN),
                                       neue_daten()).id
    assert zaehle(engine)[0] == kooperationen + 1
    assert zaehle(engine)[1] > audits and zaehle(engine)[2] == einordnungen + 1

    zeile = lesen.register(engine, Q).set_index("id").loc[neu]
    assert zeile["quadrant"] == "verbindlich · temporär"  # the format's default
    assert zeile["federfuehrung"] == "Bad Laer" and zeile["laeuft"]
    assert "Tourismusverband Osnabrücker Land (Zivilgesellschaft)" in zeile["mitglieder"]
    assert zeile["mitglieder_anzahl"] == 3

    punkt = lesen.matrix(engine, Q).set_index("id").loc[neu]
    assert 0 < punkt["x"] < 1 and 1 < punkt["y"] < 2  # temporär (left), verbindlich (top)

    knoten, kanten = lesen.netzwerk(engine, Q)
    kante = kanten[(kanten["a"] == BAD_LAER) & (kanten["b"] == GLANDORF)]
    assert len(kante) == 1 and "Interkommunale Tourismus-App Südkreis" in kante["formate"].iloc[0]
    assert not knoten.set_index("key").at[GLANDORF, "ohne_format"]
    assert "Glandorf" not in set(lesen.warnungen(engine, Q)["betrifft"])

    with Session(engine) as session:
        eintraege = session.scalars(select(AuditEintrag).where(
            AuditEintrag.objekt == "kooperation", AuditEintrag.schluessel == str(neu))).all()
    assert {e.feld for e in eintraege} >= {"name", "format", "mitglieder", "ende"}
    assert {e.benutzer for e in eintraege} == {"Redaktion Test"}
    assert {e.aktion for e in eintraege} == {"angelegt"}


def test_update_appends_einordnung_and_history_shows_verstetigung(engine):
    neu = schreiben.create_kooperation(engine, TEST, neue_daten()).id
    version = lesen.kooperation(engine, neu)["version"]
    neue_version = schreiben.update_kooperation(
        engine, TEST, neu, {"dauer": "dauerhaft", "ab_quartal": "2026-Q4"},
        version=version).version
    assert neue_version == version + 1
    historie = lesen.einordnungen(engine)
    eigene = historie[historie["kooperation_id"] == neu]
    assert list(eigene["ab_quartal"]) == ["2026-Q2", "2026-Q4"]
    zeile = lesen.wechsel(engine).set_index("kooperation_id").loc[neu]
    assert zeile["art"] == regeln.VERSTETIGUNG
    # the register keeps the classification valid in each quarter
    assert lesen.register(engine, "2026-Q3").set_index("id").at[neu, "dauer"] == "temporär"
    assert lesen.register(engine, "2026-Q4").set_index("id").at[neu, "dauer"] == "dauerhaft"


def test_member_only_change_bumps_the_version_and_is_audited(engine):
    neu = schreiben.create_kooperation(engine, TEST, neue_daten()).id
    neue_version = schreiben.update_kooperation(
        engine, TEST, neu, {"mitglieder": [GLANDORF, BAD_LAER, BAD_ROTHENFELDE]},
        version=1).version
    assert neue_version == 2
    with Session(engine) as session:
        eintrag = lesen.letzte_aenderung(session, neu)
    assert eintrag.feld == "mitglieder" and "Bad Rothenfelde" in eintrag.neu
    assert "Tourismusverband" in eintrag.alt and "Tourismusverband" not in eintrag.neu


def test_stale_update_is_refused_naming_who_changed_it_and_writes_nothing(engine):
    neu = schreiben.create_kooperation(engine, rechte.Benutzer("Anna Anlegerin", rechte.ADMIN),
                                       neue_daten()).id
    schreiben.update_kooperation(engine, rechte.Benutzer("Bert Bearbeiter", rechte.ADMIN), neu,
                                 {"ansprechperson": "Bert Bearbeiter"}, version=1)
    vorher = zaehle(engine)
    with pytest.raises(Veraltet) as fehler:
        schreiben.update_kooperation(engine, rechte.Benutzer("Carla", rechte.ADMIN), neu,
                                     {"ansprechperson": "Carla"}, version=1)
    text = str(fehler.value)
    assert "wurde inzwischen von Bert Bearbeiter am" in text
    assert "Ihre Version 1, aktuell Version 2" in text
    assert zaehle(engine) == vorher
    assert lesen.kooperation(engine, neu)["ansprechperson"] == "Bert Bearbeiter"


def test_end_kooperation_sets_end_and_status(engine):
    neu = schreiben.create_kooperation(engine, TEST, neue_daten()).id
    schreiben.end_kooperation(engine, TEST, neu, dt.date(2026, 9, 30), version=1)
    werte = lesen.kooperation(engine, neu)
    assert werte["status"] == "beendet" and werte["ende"] == dt.date(2026, 9, 30)
    with pytest.raises(Ungueltig, match="liegt vor dem Start"):
        schreiben.end_kooperation(engine, TEST, neu, dt.date(2020, 1, 1), version=2)
    with pytest.raises(Veraltet):
        schreiben.end_kooperation(engine, TEST, neu, dt.date(2026, 12, 31), version=1)


def test_redaktion_edits_only_kooperationen_under_its_federfuehrung(engine):
    vorher = zaehle(engine)
    for benutzer in (REDAKTION_GLANDORF, rechte.Benutzer("leser", rechte.LESEN), None):
        with pytest.raises(PermissionError):  # Federführung of the new one: Bad Laer
            schreiben.create_kooperation(engine, benutzer, neue_daten())
    with pytest.raises(PermissionError, match="ohne Federführung"):
        schreiben.create_kooperation(engine, REDAKTION_BAD_LAER,
                                     neue_daten(federfuehrung_key=None, stellvertretung_key=None))
    assert zaehle(engine) == vorher

    neu = schreiben.create_kooperation(engine, REDAKTION_BAD_LAER, neue_daten()).id
    version = schreiben.update_kooperation(engine, REDAKTION_BAD_LAER, neu,
                                           {"ansprechperson": "Berta Bad Laer"}, version=1).version
    vorher = zaehle(engine)
    with pytest.raises(PermissionError) as info:  # a member, but not the Federführung
        schreiben.update_kooperation(engine, REDAKTION_GLANDORF, neu,
                                     {"ansprechperson": "Gerd Glandorf"}, version=version)
    assert str(info.value) == ("Sie dürfen nur Kooperationen unter Federführung von Glandorf "
                               "bearbeiten, nicht unter Federführung von Bad Laer.")
    with pytest.raises(PermissionError):
        schreiben.end_kooperation(engine, REDAKTION_GLANDORF, neu, dt.date(2026, 9, 30),
                                  version=version)
    with pytest.raises(PermissionError, match="nicht unter Federführung von Glandorf"):
        # handing the Federführung to another Verwaltung is not Bad Laer's alone to decide
        schreiben.update_kooperation(engine, REDAKTION_BAD_LAER, neu,
                                     {"federfuehrung_key": GLANDORF,
                                      "stellvertretung_key": BAD_LAER}, version=version)
    andere = lesen.register(engine, Q).query("federfuehrung_key != @BAD_LAER")["id"].iloc[0]
    with pytest.raises(PermissionError):
        schreiben.update_kooperation(engine, REDAKTION_BAD_LAER, int(andere),
                                     {"ansprechperson": "X"}, version=1)
    assert zaehle(engine) == vorher
    assert lesen.kooperation(engine, neu)["ansprechperson"] == "Berta Bad Laer"

    schreiben.end_kooperation(engine, REDAKTION_BAD_LAER, neu, dt.date(2026, 9, 30),
                              version=version)
    assert lesen.kooperation(engine, neu)["status"] == "beendet"
    with Session(engine) as session:
        wer = set(session.scalars(select(AuditEintrag.benutzer).where(
            AuditEintrag.objekt == "kooperation", AuditEintrag.schluessel == str(neu))))
    assert wer == {"r.badlaer"}


def test_neighbour_formats_answer_the_quick_question(demo_engine):
    artland = "034595401"
    eigene = lesen.mitgliedschaften(demo_engine, artland, Q)
    assert "Arbeitskreis Digitalisierung Nordkreis" in set(eigene["name"])
    zusaetzlich = lesen.nachbar_formate(demo_engine, artland, Q)
    assert not zusaetzlich.empty
    assert not set(zusaetzlich["kooperation_id"]) & set(eigene["id"])
    nachbarn = set(queries.nachbarn(demo_engine)[artland])
    assert set(zusaetzlich["nachbar_key"]) <= nachbarn


# --- export -------------------------------------------------------------------------------------

def test_exports_carry_quelle_stand_and_neutralise_formulas(demo_engine):
    register = lesen.register(demo_engine, Q)
    register.loc[register.index[0], "ansprechperson"] = "=HYPERLINK(\"http://example.org\")"
    register.loc[register.index[1], "was_nicht"] = "@SUMME(A1)"
    tabelle = lesen.register_tabelle(register)
    assert list(tabelle.columns)[:2] == ["Name", "Format"]
    assert tabelle["Handlungsfelder"].map(lambda t: isinstance(t, str)).all()  # joined
    quelle = {"quelle": "Register (Demo)", "stand": "30.09.2026"}
    daten = export.als_csv(tabelle, **quelle).decode("utf-8-sig")
    zeilen = list(csv.reader(io.StringIO(daten), delimiter=";"))
    assert zeilen[0][0] == "Name" and len(zeilen) == 2 + len(register)
    assert zeilen[-1] == ["# Quelle: Register (Demo) · Stand: 30.09.2026"]
    werte = [w for z in zeilen[1:-1] for w in z]
    assert "'=HYPERLINK(\"http://example.org\")" in werte and "'@SUMME(A1)" in werte
    assert not any(w.startswith(("=", "+", "@")) for w in werte)

    buch = load_workbook(io.BytesIO(export.als_xlsx(tabelle, titel="Kooperationen", **quelle)))
    blatt = buch["Kooperationen"]
    assert blatt["A1"].value == "Name"
    assert blatt.cell(len(register) + 3, 1).value == "Quelle: Register (Demo) · Stand: 30.09.2026"
    zellen = [c for row in blatt.iter_rows(min_row=2) for c in row]
    assert all(c.data_type != "f" for c in zellen)
    assert "'=HYPERLINK(\"http://example.org\")" in [c.value for c in zellen]
