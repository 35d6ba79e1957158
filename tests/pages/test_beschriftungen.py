"""Issue #15, point 4: download buttons are named after what they download (no two alike on a
page, never a bare "Tabelle als CSV"), and every index is explained where it is shown
(Vereinheitlichungsgrad on the Standardisierung page, Digitalisierungsindex in the Steckbrief,
the Score of the EfA chance cards)."""
from __future__ import annotations

import pytest

from components import standardisierung as sd
from tests.pages.apptest_helpers import open_page, sichtbar

STANDARDISIERUNG_TABS = ["Produkte", "Wer nutzt was?", "Standards", "Bundesvergleich"]


def _downloads(at) -> list[str]:
    return [sichtbar(b.proto.label) for b in at.get("download_button")]


def test_jeder_download_der_standardisierung_sagt_was_er_enthaelt(app_env):
    labels = []
    for tab in STANDARDISIERUNG_TABS:
        at = open_page("pages/standardisierung.py", session={"standardisierung_ansicht": tab})
        labels += _downloads(at)
    assert len(labels) >= 12  # CSV and Excel of six tables
    assert len(labels) == len(set(labels)), labels
    assert all(label.startswith("„") and "“ als " in label for label in labels), labels
    assert not [label for label in labels if "Tabelle als" in label]
    assert any("Nutzer von " in label for label in labels)  # the product is named


@pytest.mark.parametrize(("tab", "text"), [
    ("Produkte", "Vereinheitlichungsgrad 0,15 = "),
    ("Bundesvergleich", "Vereinheitlichungsgrad: 0 bis 1"),
])
def test_vereinheitlichungsgrad_ist_erklaert_wo_er_steht(app_env, tab, text):
    at = open_page("pages/standardisierung.py", session={"standardisierung_ansicht": tab})
    captions = [sichtbar(c.value) for c in at.caption]
    assert any(text in c and "1 = alle Verwaltungen nutzen dasselbe Produkt" in c
               for c in captions), captions


def test_grad_erklaerung_stuft_ein():
    assert "alle nutzen dasselbe" in sd.grad_erklaerung(1.0)
    assert "eher zersplittert" in sd.grad_erklaerung(0.15)
    assert "nicht berechenbar" in sd.grad_erklaerung(None)


def test_index_und_score_im_steckbrief_sind_erklaert(app_env):
    at = open_page("pages/verwaltung.py", {"verwaltung": "034595401"})
    assert any("Digitalisierungsindex: gewichtetes Mittel" in sichtbar(c.value)
               for c in at.caption)
    karten = [m for m in at.markdown if " · Score " in m.value]
    assert karten and all(m.help and "Score:" in m.help for m in karten)
