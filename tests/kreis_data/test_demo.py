"""The demo workspace: deterministic, idempotent, complete and plausible enough to show every
feature (deltas, stale values, reuse chances, cooperation warnings)."""
from __future__ import annotations

import csv
import datetime as dt
import itertools
import json
from collections import Counter, defaultdict

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from kreis_data import scales
from kreis_data.database import make_engine
from kreis_data.demo import DEMO_HINWEIS, DEMO_QUARTALE, install_demo
from kreis_data.efa.katalog import REFERENCE_DIR
from kreis_data.model import (
    Anbindung,
    AuditEintrag,
    Base,
    Bewertung,
    Gemeinde,
    Kontakt,
    Kooperation,
    KooperationEinordnung,
    KooperationMitglied,
    Leistung,
    LeistungVollzug,
    Massnahme,
    Meta,
    Nachbarschaft,
    Produkt,
    ProduktEinsatz,
    Sitzung,
    StandardUnterstuetzung,
    Verwaltung,
)
from kreis_data.quartal import Quartal
from kreis_data.workspace import create_kreis_workspace

# Sum of "bevoelkerung" over the 34 Gemeinden of Kreis 03459 in
# shared/data/gemeindeverzeichnis_destatis_2020.csv (Stand 31.12.2019), computed once.
EINWOHNER_03459 = 358_080
KREIS = "03459"
ARTLAND = "034595401"
LETZTES, VORLETZTES = DEMO_QUARTALE[-1], DEMO_QUARTALE[-2]
MAIN_DOMAENEN = ("E-Akte/DMS", "Portal/Antragsmanagement", "Ratsinformationssystem",
                 "Finanzwesen (HKR)")


def _engine(path):
    return make_engine(f"sqlite:///{path}/db.sqlite")


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    engine = _engine(tmp_path_factory.mktemp("demo"))
    assert install_demo(engine) is True
    yield engine
    engine.dispose()


@pytest.fixture(scope="module")
def session(demo):
    with Session(demo) as s:
        yield s


def _snapshot(engine) -> dict[str, list[tuple]]:
    """Every table's rows, sorted; audit rows without their timestamp."""
    result = {}
    with engine.connect() as connection:
        for table in Base.metadata.sorted_tables:
            columns = [c for c in table.columns
                       if not (table.name == "audit_log" and c.name == "zeitpunkt")]
            rows = connection.execute(select(*columns)).all()
            result[table.name] = sorted((tuple(r) for r in rows), key=repr)
    return result


def _bewertungen(session) -> dict[tuple[str, str, str], Bewertung]:
    return {(b.verwaltung_key, b.merkmal_key, b.quartal): b
            for b in session.scalars(select(Bewertung))}


def _nachbarn(session) -> dict[str, set[str]]:
    nachbarn = defaultdict(set)
    for paar in session.scalars(select(Nachbarschaft)):
        nachbarn[paar.verwaltung_a].add(paar.verwaltung_b)
        nachbarn[paar.verwaltung_b].add(paar.verwaltung_a)
    return nachbarn


def _ebenen(session) -> dict[int, str]:
    """Leistung id -> Vollzug after the Kreis override."""
    land, kreis = {}, {}
    for v in session.scalars(select(LeistungVollzug).where(LeistungVollzug.land_code == "03")):
        (land if v.kreis_ags is None else kreis)[v.leistung_id] = v.ebene
    return {lid: kreis.get(lid, ebene) for lid, ebene in land.items()}


# --- determinism and idempotence ----------------------------------------------------------------
def test_same_seed_gives_identical_tables(demo, tmp_path):
    other = _engine(tmp_path)
    install_demo(other)
    assert _snapshot(other) == _snapshot(demo)
    other.dispose()


def test_other_seed_gives_other_values(demo, tmp_path):
    other = _engine(tmp_path)
    install_demo(other, seed=1)
    assert _snapshot(other)["bewertung"] != _snapshot(demo)["bewertung"]
    other.dispose()


def test_second_install_changes_nothing_and_force_rebuilds(tmp_path):
    engine = _engine(tmp_path)
    assert install_demo(engine) is True
    with Session(engine) as s:
        s.get(Kontakt, 1).telefon = "geändert"
        s.commit()
    before = _snapshot(engine)
    assert install_demo(engine) is False
    assert _snapshot(engine) == before
    assert install_demo(engine, force=True) is True
    with Session(engine) as s:
        assert s.get(Kontakt, 1).telefon != "geändert"
        assert s.scalar(select(func.count()).select_from(Bewertung)) > 0
    engine.dispose()


def test_real_workspace_is_refused_without_force(tmp_path):
    engine = _engine(tmp_path)
    create_kreis_workspace(engine, KREIS)
    before = _snapshot(engine)
    with pytest.raises(ValueError, match="eigenen Daten.*--force"):
        install_demo(engine)
    assert _snapshot(engine) == before
    assert install_demo(engine, force=True) is True
    engine.dispose()


def test_meta_marks_the_demo(session):
    meta = {m.key: json.loads(m.value) for m in session.scalars(select(Meta))}
    assert meta["demo"] is True
    assert meta["quartale"] == list(DEMO_QUARTALE)
    assert meta["demo_hinweis"] == DEMO_HINWEIS
    assert DEMO_QUARTALE == tuple(str(q) for q in (Quartal(2024, 4), Quartal(2025, 1),
                                                    Quartal(2025, 2), Quartal(2025, 3),
                                                    Quartal(2025, 4), Quartal(2026, 1),
                                                    Quartal(2026, 2), Quartal(2026, 3)))
    eintraege = session.scalars(select(AuditEintrag).where(AuditEintrag.objekt == "demo")).all()
    assert len(eintraege) == 1 and eintraege[0].kontext.startswith("Demo-Daten erzeugt")


# --- counts -------------------------------------------------------------------------------------
def test_official_area_and_population(session):
    assert session.scalar(select(func.count()).select_from(Gemeinde)) == 34
    verwaltungen = session.scalars(select(Verwaltung)).all()
    assert len(verwaltungen) == 22
    assert [v.key for v in verwaltungen if v.ist_kreisverwaltung] == [KREIS]
    assert session.scalar(select(func.sum(Gemeinde.einwohner))) == EINWOHNER_03459


def test_every_verwaltung_has_every_merkmal_in_every_quarter(session):
    keys = {(b.verwaltung_key, b.merkmal_key, b.quartal) for b in session.scalars(select(Bewertung))}
    verwaltungen = session.scalars(select(Verwaltung.key)).all()
    erwartet = {(v, m.key, q) for v in verwaltungen for m in scales.STANDARD_MERKMALE
                for q in DEMO_QUARTALE}
    assert keys == erwartet
    assert session.scalar(select(func.count()).select_from(Bewertung)) == (
        22 * len(scales.STANDARD_MERKMALE) * len(DEMO_QUARTALE))


# --- plausibility of the Bewertungen ------------------------------------------------------------
def test_values_use_the_vocabulary_and_never_jump(session):
    werte = _bewertungen(session)
    merkmale = {m.key: m for m in scales.STANDARD_MERKMALE}
    for (v, m, q), b in werte.items():
        assert b.stufe is None or b.stufe in merkmale[m].werte
        assert b.quelle in scales.QUELLEN
        quartal = Quartal.parse(q)
        im_letzten_monat = quartal.ende.replace(day=1) <= b.stand <= quartal.ende
        assert im_letzten_monat or (q == LETZTES and b.stand < quartal.start), (v, m, q)
        assert b.erfasst_von
    for (v, m, q), b in werte.items():
        if q == DEMO_QUARTALE[0]:
            continue
        vorher = werte[(v, m, str(Quartal.parse(q).previous()))]
        if b.stufe is not None and vorher.stufe is not None:
            assert abs(b.stufe - vorher.stufe) <= 1, (v, m, q)


def test_e_akte_share_and_keine_angabe(session):
    werte = _bewertungen(session)
    letzte = [b.stufe for (v, m, q), b in werte.items()
              if m == "e_akte" and q == LETZTES and b.stufe is not None]
    anteil = sum(1 for s in letzte if s >= 3) / len(letzte)
    assert 0.5 <= anteil <= 0.85
    leer = sum(1 for b in werte.values() if b.stufe is None)
    assert 0 < leer < 0.1 * len(werte)
    frueh = sum(1 for (v, m, q), b in werte.items() if b.stufe is None and q <= "2025-Q3")
    assert frueh > leer - frueh  # more gaps in the early quarters
    pro_verwaltung = Counter((v, q) for (v, m, q), b in werte.items() if b.stufe is None)
    assert max(pro_verwaltung.values()) < len(scales.STANDARD_MERKMALE)


def test_kreisverwaltung_and_large_towns_are_ahead(session):
    werte = _bewertungen(session)

    def index(key):
        stufen = [werte[(key, m.key, LETZTES)].stufe for m in scales.STANDARD_MERKMALE
                  if m.art == "stufe" and werte[(key, m.key, LETZTES)].stufe is not None]
        return sum(stufen) / len(stufen)

    alle = {v: index(v) for v in session.scalars(select(Verwaltung.key))}
    mittel = sum(alle.values()) / len(alle)
    assert alle[KREIS] >= sorted(alle.values(), reverse=True)[2]  # among the top three
    assert all(alle[k] > mittel for k in ("034590024", "034590019", "034590014", "034590033"))


def test_last_quarter_has_stale_values_improvements_and_fallbacks(session):
    werte = _bewertungen(session)
    verwaltungen = session.scalars(select(Verwaltung.key)).all()
    stale = {v for v in verwaltungen for m in scales.STANDARD_MERKMALE
             if werte[(v, m.key, LETZTES)].stand == werte[(v, m.key, VORLETZTES)].stand}
    assert len(stale) >= 2
    deltas = [(werte[(v, m.key, LETZTES)].stufe, werte[(v, m.key, VORLETZTES)].stufe)
              for v in verwaltungen for m in scales.STANDARD_MERKMALE]
    deltas = [neu - alt for neu, alt in deltas if neu is not None and alt is not None]
    assert sum(1 for d in deltas if d > 0) >= 5
    assert 1 <= sum(1 for d in deltas if d < 0) <= 2


def test_stufen_mostly_rise_over_time(session):
    werte = _bewertungen(session)
    schritte = Counter()
    for (v, m, q), b in werte.items():
        if q == DEMO_QUARTALE[0]:
            continue
        vorher = werte[(v, m, str(Quartal.parse(q).previous()))]
        if b.stufe is not None and vorher.stufe is not None:
            schritte[b.stufe - vorher.stufe] += 1
    assert schritte[1] > 5 * schritte[-1] > 0


# --- Kontakte -----------------------------------------------------------------------------------
def test_exactly_two_verwaltungen_without_contact(session):
    kontakte = session.scalars(select(Kontakt)).all()
    verwaltungen = set(session.scalars(select(Verwaltung.key)))
    ohne = verwaltungen - {k.verwaltung_key for k in kontakte}
    assert ohne == {"034590034", "034595403"}  # Glandorf, Samtgemeinde Fürstenau
    assert all(k.email.endswith(".example.org") for k in kontakte)
    assert len({k.name for k in kontakte}) == len(kontakte)
    werte = _bewertungen(session)
    for v in ohne:
        assert werte[(v, "digitalisierungsbeauftragte", LETZTES)].stufe == 0
        assert werte[(v, "digitalisierungsbeauftragte", VORLETZTES)].stufe == 0


# --- Software and standards ---------------------------------------------------------------------
def test_products_cluster_with_an_island_per_main_domaene(session):
    katalog = session.scalars(select(Produkt)).all()
    assert {p.domaene for p in katalog} == set(scales.DOMAENEN)
    nutzer = Counter((e.domaene, e.produkt.name) for e in session.scalars(select(ProduktEinsatz)))
    for domaene in MAIN_DOMAENEN:
        zahlen = [n for (d, _), n in nutzer.items() if d == domaene]
        assert 1 in zahlen, domaene  # Insellösung
        assert max(zahlen) >= 2, domaene  # Konsolidierungs-Cluster
        assert sum(sorted(zahlen, reverse=True)[:2]) >= 0.6 * sum(zahlen), domaene
    einsatz = {(e.verwaltung_key, e.domaene) for e in session.scalars(select(ProduktEinsatz))}
    for v in session.scalars(select(Verwaltung)):
        for domaene in scales.DOMAENEN:
            ohne_kreis = domaene in ("Einwohnermeldewesen", "Personenstandswesen")
            assert ((v.key, domaene) in einsatz) == (not (v.ist_kreisverwaltung and ohne_kreis))


def test_standards_for_every_verwaltung(session):
    werte = {(s.verwaltung_key, s.standard): s.wert
             for s in session.scalars(select(StandardUnterstuetzung))}
    assert len(werte) == 22 * len(scales.STANDARDS)
    assert set(werte.values()) <= set(scales.STANDARD_WERTE)
    xmeld = [w for (v, s), w in werte.items() if s == "XMeld"]
    fit = [w for (v, s), w in werte.items() if s == "FIT-Connect"]
    assert xmeld.count("ja") >= 0.9 * len(xmeld)
    assert fit.count("ja") < len(fit) / 2


# --- Leistungen and Anbindungen -----------------------------------------------------------------
def test_leistungen_and_vollzug(session):
    leistungen = session.scalars(select(Leistung)).all()
    with (REFERENCE_DIR / "efa_leistungen.csv").open(encoding="utf-8") as f:
        efa = list(csv.DictReader(f, delimiter=";"))
    assert {x.name for x in leistungen} == {r["leistung"] for r in efa}
    for leistung in leistungen:
        assert leistung.themenfeld in scales.OZG_THEMENFELDER
        assert leistung.reifegrad_modell in scales.REIFEGRAD_MODELLE
        assert 0 <= leistung.reifegrad <= scales.REIFEGRAD_MODELLE[leistung.reifegrad_modell]
    assert Counter(x.reifegrad_modell for x in leistungen)["2.0"] in (1, 2, 3)
    vollzug = session.scalars(select(LeistungVollzug)).all()
    land = [v for v in vollzug if v.kreis_ags is None]
    assert len(land) == len(leistungen) and all(v.land_code == "03" for v in land)
    override = [v for v in vollzug if v.kreis_ags is not None]
    assert len(override) == 1 and override[0].kreis_ags == KREIS
    assert "Demo" in override[0].hinweis
    land_ebene = {v.leistung_id: v.ebene for v in land}
    assert land_ebene[override[0].leistung_id] != override[0].ebene


def test_anbindungen_follow_responsibility(session):
    ebenen = _ebenen(session)
    kreis_keys = {KREIS}
    rows = session.scalars(select(Anbindung)).all()
    for a in rows:
        assert a.status in scales.ANBINDUNG_STATUS
        assert a.hindernis is None or a.hindernis in scales.HINDERNISSE
        zustaendig = (a.verwaltung_key in kreis_keys) == (ebenen[a.leistung_id] == "Kreis")
        if not zustaendig:
            assert a.status == "nicht zuständig", (a.verwaltung_key, a.leistung_id)
    vorhanden = {(a.verwaltung_key, a.leistung_id, a.quartal) for a in rows}
    for v in session.scalars(select(Verwaltung)):
        for lid, ebene in ebenen.items():
            if (ebene == "Kreis") == v.ist_kreisverwaltung:
                assert all((v.key, lid, q) in vorhanden for q in DEMO_QUARTALE)


def test_status_only_moves_forward(session):
    reihenfolge = {s: i for i, s in enumerate(scales.ANBINDUNG_STATUS)}
    verlauf = defaultdict(list)
    for a in session.scalars(select(Anbindung).order_by(Anbindung.quartal)):
        verlauf[(a.verwaltung_key, a.leistung_id)].append(a)
    go_lives = Counter()
    for reihe in verlauf.values():
        stufen = [reihenfolge[a.status] for a in reihe]
        assert stufen == sorted(stufen)
        live = [a for a in reihe if a.status == "live"]
        assert len({a.live_seit for a in live}) <= 1
        for a in live:
            assert a.live_seit <= a.quartal
        if live and live[0].live_seit >= DEMO_QUARTALE[0]:
            assert live[0].quartal == live[0].live_seit
            go_lives[live[0].live_seit] += 1
        assert all(a.live_seit is None for a in reihe if a.status != "live")
    assert set(go_lives) == set(DEMO_QUARTALE)  # go-lives spread over all quarters


def test_hindernisse(session):
    offen = session.scalars(select(Anbindung).where(Anbindung.status == "nicht angebunden")).all()
    mit = [a.hindernis for a in offen if a.hindernis]
    assert 0.35 <= len(mit) / len(offen) <= 0.65
    assert Counter(mit).most_common(1)[0][0] == "kein FIT-Connect-Zustellpunkt"


def test_artland_has_reuse_chances_at_its_neighbours(session):
    ebenen = _ebenen(session)
    nachbarn = _nachbarn(session)[ARTLAND]
    assert nachbarn
    jetzt = {(a.verwaltung_key, a.leistung_id): a.status
             for a in session.scalars(select(Anbindung).where(Anbindung.quartal == LETZTES))}
    chancen = [lid for lid, ebene in ebenen.items() if ebene == "Gemeinde"
               and jetzt[(ARTLAND, lid)] != "live"
               and any(jetzt.get((n, lid)) == "live" for n in nachbarn)]
    assert len(chancen) >= 3


def test_kreisverwaltung_is_ahead_in_efa(session):
    jetzt = session.scalars(select(Anbindung).where(Anbindung.quartal == LETZTES,
                                                    Anbindung.status != "nicht zuständig")).all()
    quote = defaultdict(lambda: [0, 0])
    for a in jetzt:
        quote[a.verwaltung_key][0] += a.status == "live"
        quote[a.verwaltung_key][1] += 1
    anteile = {v: live / alle for v, (live, alle) in quote.items()}
    assert anteile[KREIS] > sum(anteile.values()) / len(anteile)


# --- Kooperationen ------------------------------------------------------------------------------
def test_kooperationen_cover_quadrants_and_warning_cases(session):
    kooperationen = session.scalars(select(Kooperation)).all()
    assert len(kooperationen) >= 12
    assert {(k.verbindlichkeit, k.dauer) for k in kooperationen} == {
        (v, d) for v in scales.VERBINDLICHKEIT for d in scales.DAUER}
    with (REFERENCE_DIR / "kooperationsformate.csv").open(encoding="utf-8") as f:
        formate = {r["format"]: (r["verbindlichkeit"], r["dauer"]) for r in csv.DictReader(f, delimiter=";")}
    for k in kooperationen:
        assert k.format in formate
        assert k.rechtsform in scales.RECHTSFORMEN and k.ausrichtung in scales.AUSRICHTUNGEN
        assert k.status in scales.KOOPERATION_STATUS
        assert set(k.handlungsfelder.split("; ")) <= set(scales.HANDLUNGSFELDER)
        assert k.einordnungen, k.name
        assert k.einordnungen[0].ab_quartal == str(Quartal.of_date(k.start))
        letzte = k.einordnungen[-1]
        assert (letzte.verbindlichkeit, letzte.dauer) == (k.verbindlichkeit, k.dauer)
        assert all(m.akteurstyp in scales.AKTEURSTYPEN for m in k.mitglieder)
        assert k.federfuehrung_key and k.ansprechperson
    assert sum((k.verbindlichkeit, k.dauer) != formate[k.format] for k in kooperationen) >= 1
    # temporary, ends within two quarters after 2026-Q3, no Anschluss
    ende_bald = Quartal.parse(LETZTES).plus(2).ende
    assert any(k.dauer == "temporär" and k.ende and Quartal.parse(LETZTES).ende < k.ende <= ende_bald
               and not k.anschluss for k in kooperationen)
    assert sum(k.stellvertretung_key is None for k in kooperationen) == 1
    # Verstetigung: temporär -> dauerhaft in 2025-Q3
    assert any([(e.ab_quartal, e.dauer) for e in k.einordnungen]
               == [("2024-Q2", "temporär"), ("2025-Q3", "dauerhaft")] for k in kooperationen)


def test_doppelstruktur_and_verwaltung_without_format(session):
    mitglieder = defaultdict(set)
    for m in session.scalars(select(KooperationMitglied)):
        if m.verwaltung_key:
            mitglieder[m.kooperation_id].add(m.verwaltung_key)
    kooperationen = session.scalars(select(Kooperation)).all()
    doppelt = []
    for a, b in itertools.combinations(kooperationen, 2):
        gleich = set(a.handlungsfelder.split("; ")) & set(b.handlungsfelder.split("; "))
        gemeinsam = mitglieder[a.id] & mitglieder[b.id]
        if gleich and len(gemeinsam) >= 2 / 3 * len(mitglieder[a.id] | mitglieder[b.id]):
            doppelt.append({a.name, b.name})
    assert doppelt == [{"Arbeitskreis Digitalisierung Nordkreis", "Anwenderkreis E-Akte Nordkreis"}]
    alle = set(session.scalars(select(Verwaltung.key)))
    assert alle - set().union(*mitglieder.values()) == {"034590034"}  # Glandorf
    extern = session.scalars(select(KooperationMitglied)
                             .where(KooperationMitglied.verwaltung_key.is_(None))).all()
    assert extern and all(m.extern_name for m in extern)
    assert session.scalar(select(func.count()).select_from(KooperationEinordnung)) > len(kooperationen)


# --- Steuerung ----------------------------------------------------------------------------------
def test_massnahmen_steckbriefe(session):
    massnahmen = session.scalars(select(Massnahme)).all()
    assert len(massnahmen) >= 10
    jetzt = LETZTES
    for m in massnahmen:
        for feld in ("titel", "beschreibung", "ziel", "verantwortlich", "beteiligte",
                     "prioritaet_begruendung", "erfolgsindikator", "status_begruendung"):
            assert getattr(m, feld).strip(), (m.titel, feld)
        assert m.finanzierung in scales.FINANZIERUNG and m.prioritaet in scales.PRIORITAETEN
        assert m.status in scales.MASSNAHME_STATUS and m.dauer_quartale > 0
        assert "2024-Q4" <= m.start_quartal <= "2026-Q4"
        assert 2 <= len(m.meilensteine) <= 4
        for ms in m.meilensteine:
            Quartal.parse(ms.quartal)
            if ms.quartal > jetzt:
                assert not ms.erledigt
        if m.status == "abgeschlossen":
            assert all(ms.erledigt for ms in m.meilensteine)
        if m.status == "geplant":
            assert m.start_quartal > jetzt
    status = Counter(m.status for m in massnahmen)
    assert status["verzögert"] >= 2 and status["abgeschlossen"] >= 2
    assert any(m.kooperation_id for m in massnahmen)
    assert any(m.leistung_id for m in massnahmen)
    assert any(m.merkmal_key for m in massnahmen)


def test_sitzungen_with_open_tasks(session):
    sitzungen = session.scalars(select(Sitzung).order_by(Sitzung.quartal)).all()
    assert [s.quartal for s in sitzungen] == ["2026-Q2", "2026-Q3"]
    for s in sitzungen:
        assert Quartal.of_date(s.datum) == Quartal.parse(s.quartal)
        assert len(s.beschluesse.splitlines()) >= 2 and s.teilnehmende.strip()
        assert s.aufgaben
    offen_aus_q2 = [a for a in sitzungen[0].aufgaben if not a.erledigt and a.faellig_quartal <= LETZTES]
    assert offen_aus_q2


def test_no_real_looking_contact_data(session):
    texte = [k.email for k in session.scalars(select(Kontakt))]
    assert all(t.endswith(".example.org") for t in texte)
    assert all(k.telefon.startswith("+49 5400 ") for k in session.scalars(select(Kontakt)))
    assert isinstance(session.scalars(select(Bewertung.stand)).first(), dt.date)
