"""Issue #15, point 4: the network graph's labels are readable – placed around their markers so
that no label box covers another label or another Verwaltung's marker (demo Kreis, every quarter
with running formats). The boxes are estimated from the fixed axis range and the font size."""
from __future__ import annotations

import itertools

import pandas as pd
import pytest

from components import kooperationen as kc
from kreis_data.kooperationen import lesen


def _ueberlappt(a, b) -> bool:
    return min(a[2], b[2]) > max(a[0], b[0]) and min(a[3], b[3]) > max(a[1], b[1])


@pytest.mark.parametrize("quartal", ["2025-Q1", "2026-Q3"])
def test_keine_beschriftung_ueberdeckt_eine_andere(demo_engine, quartal):
    knoten, _ = lesen.netzwerk(demo_engine, quartal)
    knoten = knoten.dropna(subset=["lon", "lat"]).reset_index(drop=True)
    assert len(knoten) >= 20
    lagen = kc.label_lagen(knoten)
    boxen = kc.label_boxen(knoten, lagen)
    paare = [(knoten["name"][i], knoten["name"][j])
             for i, j in itertools.combinations(range(len(boxen)), 2)
             if _ueberlappt(boxen[i], boxen[j])]
    assert not paare
    assert set(lagen) - {"top center"}  # really placed, not all the same


def test_figur_nutzt_die_lagen_und_einen_festen_ausschnitt(demo_engine):
    knoten, kanten = lesen.netzwerk(demo_engine, "2026-Q3")
    figur = kc.netzwerk_figur(knoten, kanten, "2026-Q3")
    punkte = [t for t in figur.data if t.mode == "markers+text"]
    assert punkte and all(isinstance(t.textposition, tuple) for t in punkte)
    assert figur.layout.yaxis.range is not None


def test_leeres_netz():
    leer = pd.DataFrame(columns=["key", "name", "lon", "lat", "formate", "ohne_format"])
    assert kc.label_lagen(leer) == []
