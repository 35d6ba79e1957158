import datetime as dt

import pytest

from kreis_data import formatting
from kreis_data.quartal import Quartal, quartal_range


def test_quartal_parse_and_navigate():
    q = Quartal.parse("2026-Q3")
    assert str(q) == "2026-Q3" and q.label == "3. Quartal 2026"
    assert str(q.previous()) == "2026-Q2"
    assert str(Quartal.parse("2025-Q1").previous()) == "2024-Q4"
    assert str(Quartal.parse("2026-Q4").next()) == "2027-Q1"
    assert q.ende == dt.date(2026, 9, 30) and q.start == dt.date(2026, 7, 1)
    assert [str(x) for x in quartal_range("2024-Q4", "2025-Q2")] == ["2024-Q4", "2025-Q1", "2025-Q2"]
    assert Quartal.of_date(dt.date(2026, 11, 22)) == Quartal(2026, 4)


@pytest.mark.parametrize("bad", ["2026Q3", "2026-Q5", "Q3-2026", "", None, "26-Q1"])
def test_quartal_refuses_bad_formats_in_german(bad):
    with pytest.raises(ValueError, match="kein gültiges Quartal; erwartet wird JJJJ-QN"):
        Quartal.parse(bad)


def test_german_number_and_date_formats():
    assert formatting.zahl(46588) == "46.588"
    assert formatting.zahl(1234.5, 1) == "1.234,5"
    assert formatting.prozent(61.9) == "62 %"
    assert formatting.delta(4.76, "Prozentpunkte") == "+5 Prozentpunkte"
    assert formatting.delta(-1.26, "Punkte", 1) == "−1,3 Punkte"
    assert formatting.delta(0.0) == "±0"
    assert formatting.datum(dt.date(2026, 9, 30)) == "30.09.2026"
    assert formatting.datum("2026-09-30") == "30.09.2026"
    assert formatting.zahl(None) == "–"
