"""Pure helpers of components.kooperationen: matrix click -> Kooperation, escaping, labels."""
from __future__ import annotations

import json

import pandas as pd

from components import kooperationen as kc


def test_matrix_click_event_selects_a_known_kooperation():
    # shape of st.plotly_chart(on_select="rerun") events, recorded from Streamlit 1.67
    event = {"selection": {"points": [{"curve_number": 0, "point_number": 2, "point_index": 2,
                                       "x": 1.43, "y": 0.615,
                                       "customdata": [7, "Digitallabor", "Digitallabor"]}],
                           "point_indices": [2], "box": [], "lasso": []}}
    assert kc.ausgewaehlte_id(event, {7, 8}) == 7
    assert kc.ausgewaehlte_id(event, {8}) is None  # stale / forged id
    assert kc.ausgewaehlte_id({"selection": {"points": []}}, {7}) is None
    assert kc.ausgewaehlte_id(None, {7}) is None
    assert kc.ausgewaehlte_id({"selection": {"points": [{"x": 1}]}}, {7}) is None


def test_user_text_is_escaped_for_markdown_and_plotly():
    assert kc.md("**fett** [Link](javascript:x) <b>") == \
        "\\*\\*fett\\*\\* \\[Link\\]\\(javascript&#58;x\\) \\<b\\>"
    assert kc.esc("<script>alert(1)</script>") == "&lt;script&gt;alert(1)&lt;/script&gt;"
    assert kc.kurzname("Netzwerktreffen Digitale Kommunen Osnabrücker Land") == \
        "Netzwerktreffen<br>Digitale Kommunen<br>Osnabrücker Land"
    lang = kc.kurzname("<b>Netzwerk</b> Digitale Kommunen Osnabrücker Land und Umgebung")
    zeilen = lang.split("<br>")
    assert len(zeilen) == 3 and zeilen[-1].endswith("…")
    assert "<b>" not in lang and "&lt;b&gt;Netzwerk&lt;/b&gt;" in zeilen[0]


def test_matrix_figure_escapes_names_in_hover_and_labels():
    punkte = pd.DataFrame([{
        "id": 1, "name": "<img src=x onerror=alert(1)>", "format": "Barcamp",
        "verbindlichkeit": "eher lose", "dauer": "temporär", "quadrant": "eher lose · temporär",
        "handlungsfelder": ("Verwaltung",), "handlungsfeld": "Verwaltung",
        "mitglieder_anzahl": 3, "federfuehrung": None, "status": "aktiv", "laeuft": True,
        "x": 0.5, "y": 0.5, "groesse": 20.0}])
    spec = json.loads(kc.matrix_figur(punkte, "2026-Q3").to_json())
    texte = json.dumps(spec["data"], ensure_ascii=False)
    assert "<img" not in texte and "&lt;img src=x onerror=alert(1)&gt;" in texte
