"""Bundesvergleich: national distributions with source, date, befragte, n and "historisch"."""
import datetime as dt

import pytest

from kreis_data import bundesvergleich as bv
from kreis_data import scales
from tests.kreis_data.karten_frames import BE, KV, OC, SG, STANDARD_WERTE, bewertungen


def test_e_akte_distribution_of_the_landkreis_survey():
    [verteilung] = bv.verteilungen("e_akte")
    assert verteilung.befragte == "Landkreise" and verteilung.ebene == bv.EBENE_KREIS
    assert verteilung.n == "146" and verteilung.erhebung == "Ende 2017"
    assert verteilung.erhebungsdatum == dt.date(2017, 12, 31)
    assert "Fraunhofer IESE" in verteilung.quelle and "Abb. 33" in verteilung.quelle
    assert verteilung.anteil(3) == 71 and verteilung.anteil(0) is None
    assert verteilung.anteil_ab(3) == 72
    assert verteilung.anteile[0] == (1, 6.0, "für die Zukunft geplant")


def test_older_than_three_years_is_historisch():
    [verteilung] = bv.verteilungen("e_akte")
    assert verteilung.veraltet(dt.date(2026, 9, 30))
    assert not verteilung.veraltet(dt.date(2020, 12, 31))
    assert verteilung.veraltet(dt.date(2021, 1, 1))
    text = verteilung.beschriftung(dt.date(2026, 9, 30))
    assert text.endswith("· Erhebung: Ende 2017 · befragt: Landkreise (n = 146) · "
                         "historisch (älter als drei Jahre)")
    assert "historisch" not in verteilung.beschriftung(dt.date(2019, 1, 1))


@pytest.mark.parametrize("text, datum", [
    ("Ende 2017", dt.date(2017, 12, 31)), ("Frühjahr 2022", dt.date(2022, 5, 31)),
    ("Q1 2019", dt.date(2019, 3, 31)), ("2021", dt.date(2021, 12, 31)), ("unbekannt", None)])
def test_survey_dates_mean_the_end_of_the_period(text, datum):
    assert bv.erhebungsdatum(text) == datum


def test_only_rows_on_the_stufen_scale_count_and_gemeinde_surveys_are_gemeinde_level():
    assert bv.verteilungen("ikz_format") == []  # answers without a Stufe
    assert bv.verteilungen("gibt_es_nicht") == []
    [integriert] = bv.verteilungen("strategie_integriert")
    assert integriert.ebene == bv.EBENE_GEMEINDE
    assert integriert.n == "ca. 220 (alle Ebenen)"
    assert bv.fuer_ebene("e_akte", bv.EBENE_GEMEINDE) == []
    [portal] = bv.verteilungen("online_portal")
    assert "eingerichtet = Stufe 3 oder 4" in portal.hinweis


def test_other_csv_file(tmp_path):
    path = tmp_path / "bv.csv"
    path.write_text(
        "merkmal;antwort;stufe;anteil_prozent;quelle;erhebung;befragte;n;hinweis\n"
        "e_akte;eingeführt;3;40;Studie X;Mitte 2024;Städte und Gemeinden;500;\n"
        "e_akte;geplant;1;60;Studie X;Mitte 2024;Städte und Gemeinden;500;\n", encoding="utf-8")
    [verteilung] = bv.verteilungen("e_akte", path)
    assert verteilung.ebene == bv.EBENE_GEMEINDE
    assert not verteilung.veraltet(dt.date(2026, 9, 30))


def test_kreis_distribution_counts_missing_values_as_keine_angabe():
    verteilung = bv.verteilung_im_kreis(bewertungen(STANDARD_WERTE), "e_akte", [SG, OC, BE, "x"])
    assert verteilung == {1: 25.0, 3: 25.0, None: 50.0}


def test_kreisverwaltung_is_compared_with_landkreise_gemeinden_with_the_kreis_beside():
    merkmale = list(scales.STANDARD_MERKMALE)
    werte = bewertungen(STANDARD_WERTE)
    kreis = {v.merkmal.key: v for v in bv.vergleiche(merkmale, werte, KV, True, [SG, OC, BE])}
    assert kreis["e_akte"].eigene_stufe == 4 and not kreis["e_akte"].andere_ebene
    assert kreis["e_akte"].kreis is None
    assert "digitallotsen" not in kreis  # no national value for yes/no facts
    gemeinde = {v.merkmal.key: v
                for v in bv.vergleiche(merkmale, werte, OC, False, [SG, OC, BE])}
    assert gemeinde["e_akte"].andere_ebene  # only a survey of Landkreise exists
    assert gemeinde["e_akte"].kreis == pytest.approx({1: 100 / 3, 3: 100 / 3, None: 100 / 3})
    assert gemeinde["e_akte"].kreis_anzahl == 3
