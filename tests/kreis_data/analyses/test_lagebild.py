"""Key figures of the Lagebild, checked against the demo data computed independently."""
import pandas as pd

from kreis_data import queries
from kreis_data.analyses import lagebild


def test_shares_count_gemeinde_level_verwaltungen_at_stufe_3_or_more(demo_engine):
    figures = {k.titel: k for k in lagebild.kennzahlen(demo_engine, "2026-Q3")}
    verwaltungen = queries.verwaltungen(demo_engine)
    keys = set(verwaltungen.loc[~verwaltungen["kreisverwaltung"], "key"])
    bew = queries.bewertungen(demo_engine, ["2026-Q3", "2026-Q2"])
    bew = bew[bew["verwaltung_key"].isin(keys) & (bew["merkmal_key"] == "e_akte")]
    jetzt = int((bew[bew["quartal"] == "2026-Q3"]["stufe"] >= 3).sum())
    vorher = int((bew[bew["quartal"] == "2026-Q2"]["stufe"] >= 3).sum())
    e_akte = figures["E-Akte"]
    assert e_akte.erlaeuterung.startswith(
        f"{jetzt} von 21 Verwaltungen (ohne Kreisverwaltung) mindestens Stufe 3")
    assert e_akte.wert == f"{round(100 * jetzt / 21)} %"
    assert e_akte.delta_wert == 100 * (jetzt - vorher) / 21
    assert e_akte.stand.count(".") == 2  # German date
    assert "Demo-Daten, fiktiv" in e_akte.quelle


def test_structure_figure_sums_official_population(demo_engine):
    first = lagebild.kennzahlen(demo_engine, "2026-Q3")[0]
    assert first.wert == "34 Gemeinden"
    assert first.erlaeuterung == "in 21 Verwaltungen, 358.080 Einwohner"
    assert first.stand == "31.12.2019"
    assert "Destatis" in first.quelle


def test_keine_angabe_is_counted_separately_not_as_level_zero():
    frame = pd.DataFrame({"verwaltung_key": ["a", "b", "c"], "merkmal_key": ["e_akte"] * 3,
                          "stufe": pd.array([4, None, 0], dtype="Int64")})
    assert lagebild.anteil_ab_stufe(frame, "e_akte", ["a", "b", "c", "d"]) == (1, 2, 4)


def test_briefing_sentences_name_changes_and_whom_to_call(demo_engine):
    saetze = lagebild.veraenderungen(demo_engine, "2026-Q3")
    assert saetze[0].startswith(tuple(str(n) for n in range(1, 100)))
    assert "Verbesserungen und" in saetze[0] and "2. Quartal 2026" in saetze[0]
    chancen = lagebild.groesste_chancen(demo_engine, "2026-Q3")
    assert len(chancen) == 3
    assert all("läuft bei" in c and "Ansprechperson:" in c for c in chancen)


def test_first_quarter_says_there_is_no_previous_quarter(demo_engine):
    """Issue #15: for the first quarter with data nothing is compared – no "Keine Veränderung",
    no "neue Anbindungen" invented from an empty quarter before."""
    erstes = queries.quartale(demo_engine)[0]
    saetze = lagebild.veraenderungen(demo_engine, erstes)
    assert saetze[0].startswith("Kein Vorquartal zum Vergleich")
    assert not any("neue EfA-Anbindungen" in s or "Keine Veränderung" in s for s in saetze)
    figures = {k.titel: k for k in lagebild.kennzahlen(demo_engine, erstes)}
    assert all(k.delta is None for k in figures.values())
