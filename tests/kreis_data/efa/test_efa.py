"""EfA-Leistungen: Vollzug, Zuständigkeit, Nachnutzungs-Chancen, EfA-Quote, writes with audit,
Excel exchange of Anbindungen.

A hand-made tiny Kreis (`tiny_engine`) makes the scores checkable by hand; the demo database
(copied for every writing test) checks the real catalog and the acceptance case Artland.
"""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from kreis_data import laender, scales
from kreis_data.arbeitseinheit import Aenderung
from kreis_data.database import make_engine, migrate, transaction
from kreis_data.efa import austausch, regeln, schreiben
from kreis_data.efa import lesen as efa
from kreis_data.efa.regeln import LeistungEingabe
from kreis_data.fehler import Veraltet
from kreis_data.konten import regeln as konten
from kreis_data.model import (
    Anbindung,
    AuditEintrag,
    Gemeinde,
    Kontakt,
    Kreis,
    Leistung,
    LeistungVollzug,
    Nachbarschaft,
    Produkt,
    ProduktEinsatz,
    Verwaltung,
)
from tests.datenbanken import kopie

ARTLAND = "034595401"
BERSENBRUECK = "034595402"
KREIS = "03459"
BENUTZER = "Test-Redaktion"  # audit name
BEARBEITER = konten.Benutzer(BENUTZER, konten.ADMIN)  # the signed-in person for the writes

# --- tiny Kreis -------------------------------------------------------------------------------------
# Verwaltungen A..D (Gemeinde level) and the Kreisverwaltung K. Neighbours: A-B, A-C, C-D.
A, B, C, D = "034590001", "034590002", "034590003", "034590004"
EINWOHNER = {A: 20_000, B: 5_000, C: 1_000, D: 40_000}
# Leistung -> (Land rule for "03", Kreis override for 03459)
LEISTUNGEN = {
    "L1 Gemeinde, live bei B und D": ("Gemeinde", None),
    "L2 Gemeinde, live nur bei D": ("Gemeinde", None),
    "L3 Kreis": ("Kreis", None),
    "L4 Land Gemeinde, Kreis abweichend": ("Gemeinde", "Kreis"),
    "L5 ohne Vollzug": (None, None),
    "L6 Gemeinde, live bei C (gleiches Portal)": ("Gemeinde", None),
}
LIVE_ROWS = [  # (Verwaltung, Leistung, live_seit)
    (B, "L1 Gemeinde, live bei B und D", "2026-Q1"),
    (D, "L1 Gemeinde, live bei B und D", "2025-Q2"),
    (D, "L2 Gemeinde, live nur bei D", "2025-Q4"),
    (C, "L6 Gemeinde, live bei C (gleiches Portal)", "2026-Q2"),
    (B, "L3 Kreis", "2025-Q1"),  # stray row: B is not responsible for a Kreis-level Leistung
]


def _build_tiny(path: Path) -> None:
    engine = make_engine(f"sqlite:///{path}")
    migrate(engine)
    with transaction(engine) as s:
        s.add(Kreis(ags=KREIS, name="Landkreis Osnabrück", land="Niedersachsen", land_code="03"))
        s.flush()
        s.add(Verwaltung(key=KREIS, kreis_ags=KREIS, name="Kreisverwaltung", typ="Kreisverwaltung"))
        for key, name in ((A, "Aheim"), (B, "Beedorf"), (C, "Cestadt"), (D, "Dehausen")):
            s.add(Verwaltung(key=key, kreis_ags=KREIS, name=name, typ="Einheitsgemeinde"))
        s.flush()
        for key, ew in EINWOHNER.items():
            s.add(Gemeinde(ags=key[:5] + key[-3:], name=key, bezeichnung="Gemeinde", einwohner=ew,
                           flaeche_km2=10.0, verwaltung_key=key))
        for a, b in ((A, B), (A, C), (C, D)):
            s.add(Nachbarschaft(verwaltung_a=min(a, b), verwaltung_b=max(a, b)))
        s.add(Kontakt(verwaltung_key=B, name="Berta Beispiel", rolle="CDO",
                      email="berta@beedorf.example.org", telefon="05401 123-45"))
        portal = Produkt(domaene="Portal/Antragsmanagement", name="Portal X")
        anderes = Produkt(domaene="Portal/Antragsmanagement", name="Portal Y")
        s.add_all([portal, anderes])
        s.flush()
        for key, produkt in ((A, portal), (C, portal), (D, anderes)):
            s.add(ProduktEinsatz(verwaltung_key=key, domaene="Portal/Antragsmanagement",
                                 produkt_id=produkt.id))
        ids = {}
        for name, (land, kreis) in LEISTUNGEN.items():
            leistung = Leistung(name=name, themenfeld="Bauen & Wohnen")
            s.add(leistung)
            s.flush()
            ids[name] = leistung.id
            if land:
                s.add(LeistungVollzug(leistung_id=leistung.id, land_code="03", ebene=land))
            if kreis:
                s.add(LeistungVollzug(leistung_id=leistung.id, land_code="03", kreis_ags=KREIS,
                                      ebene=kreis))
        # Rules that must NOT apply: another Land, another Kreis.
        s.add(LeistungVollzug(leistung_id=ids["L5 ohne Vollzug"], land_code="05", ebene="Gemeinde"))
        s.add(LeistungVollzug(leistung_id=ids["L1 Gemeinde, live bei B und D"], land_code="03",
                              kreis_ags="03404", ebene="Kreis"))
        for key, name, seit in LIVE_ROWS:
            s.add(Anbindung(verwaltung_key=key, leistung_id=ids[name], quartal="2026-Q3",
                            status="live", live_seit=seit))
        s.add(Anbindung(verwaltung_key=A, leistung_id=ids["L2 Gemeinde, live nur bei D"],
                        quartal="2026-Q3", status="nicht angebunden",
                        hindernis="kein FIT-Connect-Zustellpunkt"))
        s.add(Anbindung(verwaltung_key=C, leistung_id=ids["L2 Gemeinde, live nur bei D"],
                        quartal="2026-Q3", status="in Prüfung",
                        hindernis="kein FIT-Connect-Zustellpunkt"))
    engine.dispose()


@pytest.fixture(scope="module")
def _tiny_template(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("efa_tiny") / "tiny.sqlite"
    _build_tiny(path)
    return path


@pytest.fixture
def tiny_engine(_tiny_template, tmp_path):
    path = tmp_path / "tiny.sqlite"
    shutil.copyfile(_tiny_template, path)
    engine = make_engine(f"sqlite:///{path}")
    yield engine
    engine.dispose()


@pytest.fixture
def demo_copy(demo_url, tmp_path):
    """A writable copy of the session's demo database."""
    engine = make_engine(kopie(demo_url, tmp_path, "demo"))
    yield engine
    engine.dispose()


def _ids(engine) -> dict[str, int]:
    with Session(engine) as s:
        return {name: i for i, name in s.execute(select(Leistung.id, Leistung.name))}


def _audit_count(engine) -> int:
    with Session(engine) as s:
        return s.scalar(select(func.count(AuditEintrag.id)))


# --- Vollzug and Zuständigkeit -------------------------------------------------------------------------
def test_vollzug_kreis_override_before_land_rule_else_unknown(tiny_engine):
    ids = _ids(tiny_engine)
    vollzug = efa.vollzug(tiny_engine, KREIS)
    assert vollzug[ids["L1 Gemeinde, live bei B und D"]] == "Gemeinde"  # other Kreis's override ignored
    assert vollzug[ids["L3 Kreis"]] == "Kreis"
    assert vollzug[ids["L4 Land Gemeinde, Kreis abweichend"]] == "Kreis"  # override wins
    assert vollzug[ids["L5 ohne Vollzug"]] is None  # another Land's rule does not apply
    details = efa.vollzug_details(tiny_engine).set_index("leistung_id")
    l4 = details.loc[ids["L4 Land Gemeinde, Kreis abweichend"]]
    assert (l4["herkunft"], l4["ebene_land"], l4["ebene_kreis"]) == ("Kreis", "Gemeinde", "Kreis")


def test_vollzug_demo_niedersachsen_with_one_kreis_override(demo_engine):
    ids = _ids(demo_engine)
    vollzug = efa.vollzug(demo_engine, KREIS)
    assert len(vollzug) == 21 and None not in vollzug.values()
    assert vollzug[ids["Kfz-Zulassung (i-Kfz)"]] == "Kreis"
    assert vollzug[ids["Elektronische Wohnsitzanmeldung (eWA)"]] == "Gemeinde"
    assert vollzug[ids["Ehrenamtskarte"]] == "Kreis"  # Land rule says Gemeinde
    katalog = efa.leistungen(demo_engine).set_index("leistung")
    assert katalog.at["Ehrenamtskarte", "vollzug_text"] == "Kreis (Abweichung des Kreises)"
    assert katalog.at["Ehrenamtskarte", "ebene_land"] == "Gemeinde"


def test_zustaendig_gemeinde_never_owes_a_kreis_service():
    gemeinde, kreis = laender.vollzugsebenen("Samtgemeinde"), laender.vollzugsebenen("Kreisverwaltung")
    kreisfrei = laender.vollzugsebenen("Kreisfreie Stadt")
    assert regeln.zustaendig("Gemeinde", gemeinde)
    assert not regeln.zustaendig("Gemeinde", kreis)
    assert regeln.zustaendig("Kreis", kreis)
    assert not regeln.zustaendig("Kreis", gemeinde)
    assert regeln.zustaendig("Kreis", kreisfrei) and regeln.zustaendig("Gemeinde", kreisfrei)
    assert not regeln.zustaendig(None, gemeinde)
    assert not regeln.zustaendig("Gemeinde", gemeinde, status="nicht zuständig")


def test_matrix_marks_nicht_zustaendig_and_missing_rows_as_nicht_angebunden(tiny_engine):
    matrix = efa.anbindungsmatrix(tiny_engine, "2026-Q3").set_index("Schlüssel")
    assert "L5 ohne Vollzug" not in matrix.columns  # unknown Vollzug: listed separately
    assert efa.leistungen_ohne_vollzug(tiny_engine) == ["L5 ohne Vollzug"]
    assert matrix.at[B, "L3 Kreis"] == "nicht zuständig"  # stray "live" row ignored
    assert matrix.at[KREIS, "L3 Kreis"] == "nicht angebunden"  # no row at all
    assert matrix.at[A, "L4 Land Gemeinde, Kreis abweichend"] == "nicht zuständig"
    assert matrix.at[KREIS, "L1 Gemeinde, live bei B und D"] == "nicht zuständig"
    assert matrix.at[C, "L2 Gemeinde, live nur bei D"] == "in Prüfung"
    assert list(matrix.index)[-1] == KREIS
    nur_bauen = efa.anbindungsmatrix(tiny_engine, "2026-Q3", themenfeld="Bildung")
    assert list(nur_bauen.columns) == ["Schlüssel", "Verwaltung"]


# --- Nachnutzungs-Chancen -------------------------------------------------------------------------
def test_chancen_order_score_reason_and_contact(tiny_engine):
    chancen = efa.chancen(tiny_engine, "2026-Q3", A)
    assert list(chancen["leistung"]) == ["L6 Gemeinde, live bei C (gleiches Portal)",
                                         "L1 Gemeinde, live bei B und D",
                                         "L2 Gemeinde, live nur bei D"]
    ew = regeln.einwohner_skala(20_000, 1_000, 40_000)
    l6, l1, l2 = chancen.to_dict("records")
    # L6: 1 neighbour (3) + 1 adopter (0.5) + same portal (2) + inhabitants
    assert l6["score"] == pytest.approx(3 + 0.5 + 2 + 2 * ew, abs=0.01)
    assert l6["begruendung"] == ("live beim Nachbarn Cestadt seit 2. Quartal 2026; gleiches Portal "
                                 "(Portal X); 20.000 Einwohner")
    assert (l6["adopter"], l6["kontakt"]) == ("Cestadt", "keine Ansprechperson benannt")
    # L1: 1 neighbour + 2 adopters; the neighbour (with contact) is named, not the far Dehausen
    assert l1["score"] == pytest.approx(3 + 1 + 2 * ew, abs=0.01)
    assert l1["begruendung"] == ("live beim Nachbarn Beedorf seit 1. Quartal 2026; insgesamt bei 2 "
                                 "Verwaltungen im Kreis; 20.000 Einwohner")
    assert l1["adopter_ist_nachbar"]
    assert l1["kontakt"] == "Berta Beispiel · berta@beedorf.example.org · 05401 123-45"
    assert l2["begruendung"] == "live bei Dehausen seit 4. Quartal 2025 im Kreis; 20.000 Einwohner"
    assert l2["hindernis"] == "kein FIT-Connect-Zustellpunkt"
    assert l6["score"] > l1["score"] > l2["score"]


def test_chancen_weights_live_in_one_config_place(tiny_engine):
    nur_verbreitung = regeln.ChancenGewichte(nachbar=0, nachnutzer=10, einwohner=0,
                                          gleiches_portal=0)
    chancen = efa.chancen(tiny_engine, "2026-Q3", A, gewichte=nur_verbreitung)
    assert chancen["leistung"].iloc[0] == "L1 Gemeinde, live bei B und D"
    assert chancen["score"].iloc[0] == 20
    assert "3 Punkte je direktem Nachbarn" in regeln.methodik_text()
    assert "0 Punkte je direktem Nachbarn" in regeln.methodik_text(nur_verbreitung)


def test_chancen_never_offer_kreis_services_or_count_stray_rows(tiny_engine):
    alle = efa.chancen(tiny_engine, "2026-Q3")
    assert "L3 Kreis" not in set(alle["leistung"])  # B's stray live row is no adopter
    assert "L4 Land Gemeinde, Kreis abweichend" not in set(alle["leistung"])
    assert KREIS not in set(alle["verwaltung_key"])
    assert set(alle.loc[alle["verwaltung_key"] == D, "leistung"]) == {
        "L6 Gemeinde, live bei C (gleiches Portal)"}


def test_demo_gemeinde_chancen_contain_no_kreis_level_service(demo_engine):
    vollzug = efa.vollzug(demo_engine, KREIS)
    chancen = efa.chancen(demo_engine, "2026-Q3")
    assert not chancen.empty
    assert {vollzug[i] for i in chancen["leistung_id"]} == {"Gemeinde"}
    assert KREIS not in set(chancen["verwaltung_key"])


def test_acceptance_artland_top_chances_name_neighbour_and_contact(demo_engine):
    chancen = efa.chancen(demo_engine, "2026-Q3", ARTLAND)
    vollzug = efa.vollzug(demo_engine, KREIS)
    assert len(chancen) >= 3
    assert all(vollzug[i] == "Gemeinde" for i in chancen["leistung_id"])
    top = chancen.head(3)
    assert top["adopter_ist_nachbar"].all()
    assert top["begruendung"].str.contains("Nachbarn").all()
    assert (top["adopter"] == "Bersenbrück").any()
    mit_kontakt = top[top["adopter"] == "Bersenbrück"].iloc[0]
    assert "@" in mit_kontakt["kontakt"] and mit_kontakt["ansprechperson"]
    assert list(chancen["score"]) == sorted(chancen["score"], reverse=True)


# --- EfA-Quote, Go-lives, Hindernisse ---------------------------------------------------------------
def test_efa_quote_counts_only_responsible_services(tiny_engine):
    quote = efa.efa_quote(tiny_engine, "2026-Q3").set_index("verwaltung_key")
    assert (quote.at[B, "live"], quote.at[B, "zustaendig"]) == (1, 3)  # L3 not counted
    assert (quote.at[D, "live"], quote.at[D, "zustaendig"]) == (2, 3)
    assert (quote.at[KREIS, "live"], quote.at[KREIS, "zustaendig"]) == (0, 2)  # L3 + L4
    assert quote.at[D, "quote"] == pytest.approx(200 / 3)
    assert quote["delta_pp"].isna().all()  # no Anbindungen in 2026-Q2
    kreis = efa.efa_quote_kreis(tiny_engine, "2026-Q3")
    assert (kreis.live, kreis.zustaendig, kreis.delta_pp) == (4, 14, None)
    assert kreis.text == "4 von 14 zuständigen Leistungen live (29 %)"


def test_efa_quote_and_go_lives_demo(demo_engine):
    kreis = efa.efa_quote_kreis(demo_engine, "2026-Q3")
    assert kreis.quote is not None and kreis.delta_pp is not None
    quote = efa.efa_quote(demo_engine, "2026-Q3")
    assert len(quote) == 22 and quote["zustaendig"].gt(0).all()
    go_lives = efa.go_lives(demo_engine)
    assert list(go_lives["quartal"])[:2] == ["2024-Q4", "2025-Q1"]
    assert go_lives["live"].is_monotonic_increasing  # demo status only moves forward
    assert int(go_lives["live"].iloc[-1]) == kreis.live


def test_hindernisse_summary(tiny_engine):
    hindernisse = efa.hindernisse(tiny_engine, "2026-Q3")
    assert list(hindernisse["text"]) == ["2 Verwaltungen: kein FIT-Connect-Zustellpunkt"]
    assert hindernisse["verwaltung_namen"].iloc[0] == "Aheim, Cestadt"


# --- Writes ------------------------------------------------------------------------------------------
def test_set_live_removes_chance_raises_quote_and_writes_audit(demo_copy):
    ids = _ids(demo_copy)
    chancen = efa.chancen(demo_copy, "2026-Q3", ARTLAND)
    leistung = chancen["leistung"].iloc[0]
    vorher = efa.efa_quote(demo_copy, "2026-Q3").set_index("verwaltung_key").loc[ARTLAND]
    zeile = efa.anbindungen(demo_copy, "2026-Q3").query(
        "verwaltung_key == @ARTLAND and leistung == @leistung").iloc[0]
    audit_vorher = _audit_count(demo_copy)

    aenderung = schreiben.set_anbindung(demo_copy, BEARBEITER, ARTLAND, ids[leistung], "2026-Q3",
                                        "live", None, version=int(zeile["version"]))

    assert aenderung.felder["status"] == (zeile["status"], "live")
    assert leistung not in set(efa.chancen(demo_copy, "2026-Q3", ARTLAND)["leistung"])
    nachher = efa.efa_quote(demo_copy, "2026-Q3").set_index("verwaltung_key").loc[ARTLAND]
    assert nachher["live"] == vorher["live"] + 1 and nachher["quote"] > vorher["quote"]
    with Session(demo_copy) as s:
        eintraege = s.scalars(select(AuditEintrag).where(AuditEintrag.id > audit_vorher)).all()
        row = s.scalar(select(Anbindung).where(Anbindung.verwaltung_key == ARTLAND,
                                               Anbindung.leistung_id == ids[leistung],
                                               Anbindung.quartal == "2026-Q3"))
    assert row.live_seit == "2026-Q3"
    status = [e for e in eintraege if e.feld == "status"]
    assert len(status) == 1
    assert (status[0].benutzer, status[0].objekt, status[0].neu) == (BENUTZER, "anbindung", "live")
    assert status[0].schluessel == f"{ARTLAND}/{leistung}/2026-Q3"


def _anbindung_snapshot(engine) -> list[tuple]:
    with Session(engine) as s:
        return sorted(tuple(r) for r in s.execute(select(
            Anbindung.verwaltung_key, Anbindung.leistung_id, Anbindung.quartal, Anbindung.status,
            Anbindung.hindernis, Anbindung.version)))


@pytest.mark.parametrize("status, hindernis, erwartet", [
    ("aktiv", None, "„aktiv“ ist kein gültiger Status – erlaubt sind nicht zuständig, "
                    "nicht angebunden, in Prüfung, in Umsetzung, live"),
    ("in Prüfung", "Geld", "„Geld“ ist kein gültiges Hindernis – erlaubt sind Vertrag"),
    ("live", "Budget", "ein Hindernis („Budget“) passt nicht zum Status „live“"),
])
def test_invalid_anbindung_refused_nothing_written(tiny_engine, status, hindernis, erwartet):
    ids = _ids(tiny_engine)
    vorher, audit_vorher = _anbindung_snapshot(tiny_engine), _audit_count(tiny_engine)
    with pytest.raises(ValueError) as info:
        schreiben.set_anbindung(tiny_engine, BEARBEITER, A, ids["L1 Gemeinde, live bei B und D"],
                                "2026-Q3", status, hindernis)
    assert erwartet in str(info.value)
    assert _anbindung_snapshot(tiny_engine) == vorher
    assert _audit_count(tiny_engine) == audit_vorher


def test_gemeinde_cannot_be_set_live_for_a_kreis_service(tiny_engine):
    ids = _ids(tiny_engine)
    with pytest.raises(ValueError, match="Aheim ist für „L3 Kreis“ nicht zuständig "
                                         r"\(Vollzug: Kreis\)"):
        schreiben.set_anbindung(tiny_engine, BEARBEITER, A, ids["L3 Kreis"], "2026-Q3", "live",
                                None)
    # An explicit exception for a responsible Verwaltung is allowed and leaves the denominator.
    schreiben.set_anbindung(tiny_engine, BEARBEITER, A, ids["L2 Gemeinde, live nur bei D"],
                            "2026-Q3", "nicht zuständig", None)
    quote = efa.efa_quote(tiny_engine, "2026-Q3").set_index("verwaltung_key")
    assert quote.at[A, "zustaendig"] == 2


ERSTE, ZWEITE = konten.Benutzer("Erste", konten.ADMIN), konten.Benutzer("Zweite", konten.ADMIN)


def test_stale_version_refused(tiny_engine):
    ids = _ids(tiny_engine)
    lid = ids["L1 Gemeinde, live bei B und D"]
    schreiben.set_anbindung(tiny_engine, ERSTE, A, lid, "2026-Q3", "in Prüfung", None,
                            version=0)
    with pytest.raises(Veraltet, match="inzwischen von jemand anderem geändert"):
        schreiben.set_anbindung(tiny_engine, ZWEITE, A, lid, "2026-Q3", "live", None,
                                version=0)  # saw the state before the first save
    zeile = efa.anbindungen(tiny_engine, "2026-Q3").query(
        "verwaltung_key == @A and leistung_id == @lid").iloc[0]
    assert (zeile["status"], zeile["version"]) == ("in Prüfung", 1)
    unveraendert = schreiben.set_anbindung(tiny_engine, ERSTE, A, lid, "2026-Q3", "in Prüfung",
                                           None, version=1)
    assert (unveraendert.aktion, unveraendert.version) == ("unverändert", 1)  # no write


BELM, MELLE = "034590008", "034590024"
REDAKTION_BELM = konten.Benutzer("r.belm", konten.REDAKTION, frozenset({BELM}))
LESER = konten.Benutzer("leser", konten.LESEN)


def _offene_anbindung(engine, verwaltung_key: str) -> tuple[int, str]:
    """(leistung_id, status) of an Anbindung the Verwaltung is responsible for, not yet live."""
    zeile = efa.bearbeitbare_anbindungen(engine, "2026-Q3", verwaltung_key).query(
        "status != 'live'").iloc[0]
    return int(zeile["leistung_id"]), zeile["status"]


def test_redaktion_sets_only_its_own_anbindung(demo_copy):
    melle_lid, _ = _offene_anbindung(demo_copy, MELLE)
    vorher, audit_vorher = _anbindung_snapshot(demo_copy), _audit_count(demo_copy)
    with pytest.raises(PermissionError) as info:
        schreiben.set_anbindung(demo_copy, REDAKTION_BELM, MELLE, melle_lid, "2026-Q3", "live",
                                None)
    assert str(info.value) == "Sie dürfen nur die Daten von Belm bearbeiten, nicht Melle."
    for benutzer in (LESER, None):
        with pytest.raises(PermissionError):
            schreiben.set_anbindung(demo_copy, benutzer, MELLE, melle_lid, "2026-Q3", "live",
                                    None)
    with pytest.raises(PermissionError):  # the Kreisverwaltung is not Belm's either
        schreiben.set_anbindung(demo_copy, REDAKTION_BELM, KREIS, melle_lid, "2026-Q3", "live",
                                None)
    assert _anbindung_snapshot(demo_copy) == vorher
    assert _audit_count(demo_copy) == audit_vorher

    belm_lid, _ = _offene_anbindung(demo_copy, BELM)
    aenderung = schreiben.set_anbindung(demo_copy, REDAKTION_BELM, BELM, belm_lid, "2026-Q3",
                                        "live", None)
    assert aenderung.felder["status"][1] == "live"
    with Session(demo_copy) as s:
        wer = set(s.scalars(select(AuditEintrag.benutzer).where(AuditEintrag.id > audit_vorher)))
    assert wer == {"r.belm"}


def test_only_the_kreis_administration_changes_the_catalog(tiny_engine):
    eingabe = LeistungEingabe(name="Hundesteuer", themenfeld="Steuern & Zoll",
                              vollzug_land="Gemeinde")
    audit_vorher = _audit_count(tiny_engine)
    for benutzer in (konten.Benutzer("r.a", konten.REDAKTION, frozenset({A})), LESER, None):
        with pytest.raises(PermissionError):
            schreiben.save_leistung(tiny_engine, benutzer, eingabe)
    with pytest.raises(PermissionError, match="Nur die Kreis-Administration darf den "
                                              "EfA-Katalog ändern"):
        schreiben.save_leistung(tiny_engine, REDAKTION_BELM, eingabe,
                                leistung_id=_ids(tiny_engine)["L3 Kreis"])
    assert "Hundesteuer" not in _ids(tiny_engine)
    assert _audit_count(tiny_engine) == audit_vorher


def test_save_leistung_validates_and_writes_vollzug_with_audit(tiny_engine):
    with pytest.raises(ValueError) as info:
        schreiben.save_leistung(tiny_engine, BEARBEITER, LeistungEingabe(
            name="Neu", themenfeld="Sport", leika="12345", reifegrad=5,
            reifegrad_modell="1.x", vollzug_land="Amt"))
    text = str(info.value)
    for teil in ("„Sport“ ist kein OZG-Themenfeld", "LeiKa-Schlüssel „12345“ ist ungültig",
                 "Reifegrad 5 liegt außerhalb des Modells 1.x – erlaubt sind 0 bis 4",
                 "Vollzug nach Landesrecht: „Amt“ ist ungültig"):
        assert teil in text
    assert "Neu" not in _ids(tiny_engine)

    audit_vorher = _audit_count(tiny_engine)
    angelegt = schreiben.save_leistung(tiny_engine, BEARBEITER, LeistungEingabe(
        name="Hundesteuer", themenfeld="Steuern & Zoll", leika="9905 0012 1040 00",
        reifegrad=6, reifegrad_modell="2.0", vollzug_land="Gemeinde", vollzug_kreis="Kreis"))
    neu_id = angelegt.id
    assert angelegt.aktion == "angelegt"
    assert angelegt.felder["vollzug_kreis"] == (None, "Kreis")
    assert efa.vollzug(tiny_engine)[neu_id] == "Kreis"
    katalog = efa.leistungen(tiny_engine).set_index("leistung_id")
    assert katalog.at[neu_id, "leika"] == "99050012104000"
    assert katalog.at[neu_id, "reifegrad_text"] == "6 von 7 (Modell 2.0)"
    with Session(tiny_engine) as s:
        objekte = {e.objekt for e in s.scalars(select(AuditEintrag)
                                               .where(AuditEintrag.id > audit_vorher))}
    assert objekte == {"leistung", "leistung_vollzug"}

    # Removing the override brings back the Land rule; a stale version is refused.
    version = int(katalog.at[neu_id, "version"])
    geaendert = schreiben.save_leistung(tiny_engine, BEARBEITER, LeistungEingabe(
        name="Hundesteuer", themenfeld="Steuern & Zoll", vollzug_land="Gemeinde"),
        leistung_id=neu_id, version=version)
    assert efa.vollzug(tiny_engine)[neu_id] == "Gemeinde"
    assert geaendert.aktion == "geändert" and geaendert.felder["vollzug_kreis"] == ("Kreis", None)
    with pytest.raises(Veraltet):
        schreiben.save_leistung(tiny_engine, BEARBEITER, LeistungEingabe(
            name="Hundesteuer", themenfeld="Bildung"), leistung_id=neu_id, version=version)


def test_a_change_of_the_vollzug_alone_is_a_change_of_the_catalog_entry(tiny_engine):
    lid = _ids(tiny_engine)["L1 Gemeinde, live bei B und D"]
    version = int(efa.leistungen(tiny_engine).set_index("leistung_id").at[lid, "version"])
    eingabe = LeistungEingabe(name="L1 Gemeinde, live bei B und D", themenfeld="Bauen & Wohnen",
                              vollzug_land="Gemeinde", vollzug_kreis="Kreis")
    aenderung = schreiben.save_leistung(tiny_engine, BEARBEITER, eingabe, leistung_id=lid,
                                        version=version)
    assert isinstance(aenderung, Aenderung) and aenderung.geaendert
    assert aenderung.felder == {"vollzug_kreis": (None, "Kreis")}
    assert [w.objekt for w in aenderung.weitere] == ["leistung_vollzug"]
    assert efa.vollzug(tiny_engine)[lid] == "Kreis"
    nochmal = schreiben.save_leistung(tiny_engine, BEARBEITER, eingabe, leistung_id=lid,
                                      version=version)  # the Leistung's version is unchanged
    assert nochmal.aktion == "unverändert"


# --- Excel exchange -------------------------------------------------------------------------------
def test_export_import_roundtrip_changes_nothing(demo_copy, tmp_path):
    out = tmp_path / "anbindungen.xlsx"
    anzahl = austausch.export_anbindungen(demo_copy, "2026-Q3", out)
    assert anzahl == 21 * 8 + 13 + 21  # Gemeinde x Gemeinde-level, Kreis-level, Ehrenamtskarte
    ergebnis = austausch.import_anbindungen(demo_copy, out, benutzer=BEARBEITER)
    assert ergebnis.ok and ergebnis.aenderungen == [], ergebnis.errors
    assert "0 Anbindungen geändert, 0 neu angelegt" in ergebnis.zusammenfassung()


def test_import_with_errors_writes_nothing(demo_copy, tmp_path):
    out = tmp_path / "anbindungen.xlsx"
    austausch.export_anbindungen(demo_copy, "2026-Q3", out)
    workbook = load_workbook(out)
    sheet = workbook["Anbindungen"]
    kopf = [c.value for c in sheet[1]]
    spalte = {name: kopf.index(name) + 1 for name in kopf}
    artland = [r for r in range(2, sheet.max_row + 1)
               if sheet.cell(r, spalte["Verwaltungsschlüssel"]).value == ARTLAND]
    gut, schlecht, kreisleistung = artland[0], artland[1], artland[2]
    sheet.cell(gut, spalte["Status"], "live")  # valid on its own
    sheet.cell(schlecht, spalte["Status"], "fertig")
    sheet.cell(schlecht, spalte["Hindernis"], "'=HYPERLINK(1)")  # as exported: neutralised
    sheet.cell(kreisleistung, spalte["Leistung"], "Kfz-Zulassung (i-Kfz)")
    sheet.cell(kreisleistung, spalte["Status"], "live")
    workbook.save(out)
    vorher, audit_vorher = _anbindung_snapshot(demo_copy), _audit_count(demo_copy)

    ergebnis = austausch.import_anbindungen(demo_copy, out, benutzer=BEARBEITER)

    fehler = ergebnis.errors
    assert f"anbindungen.xlsx, Zeile {schlecht}, Spalte „Status“: „fertig“ ist kein gültiger " \
           "Status – erlaubt sind nicht zuständig" in "\n".join(fehler)
    assert any(f"Zeile {schlecht}, Spalte „Hindernis“: „=HYPERLINK(1)“ ist kein gültiges "
               "Hindernis" in f for f in fehler)
    assert any(f"Zeile {kreisleistung}" in f and "Artland ist für „Kfz-Zulassung (i-Kfz)“ nicht "
               "zuständig" in f for f in fehler)
    assert "nichts wurde geschrieben" in ergebnis.zusammenfassung()
    assert _anbindung_snapshot(demo_copy) == vorher
    assert _audit_count(demo_copy) == audit_vorher


def test_every_status_and_hindernis_label_comes_from_scales(tiny_engine):
    frame = efa.anbindungen(tiny_engine, "2026-Q3")
    assert set(frame["status"]) <= set(scales.ANBINDUNG_STATUS)
    assert set(frame["hindernis"].dropna()) <= set(scales.HINDERNISSE)
