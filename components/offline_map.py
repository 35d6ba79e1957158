"""Folium maps that render with no network: vendored Leaflet as data: URLs, optional tiles.

streamlit-folium loads every URL of ``folium.Map.default_js`` / ``default_css`` inside its
iframe; by default those are CDNs (Leaflet, jQuery, Bootstrap, Font Awesome …). We replace
them ONCE, for every map of the app, with Leaflet 1.9.3 from components/assets/leaflet as
data: URLs; jQuery, Bootstrap and the marker icon fonts are dropped (no popups/markers used).
"""
from __future__ import annotations

import base64
import functools
import re
from pathlib import Path

import folium
from branca.element import Element, MacroElement
from jinja2 import Template

from kreis_data import map_style, scales

ASSETS = Path(__file__).resolve().parent / "assets" / "leaflet"


def _data_url(mime: str, content: bytes) -> str:
    return f"data:{mime};base64,{base64.b64encode(content).decode('ascii')}"


@functools.cache
def leaflet_js_url() -> str:
    return _data_url("text/javascript", (ASSETS / "leaflet.js").read_bytes())


@functools.cache
def leaflet_css_url() -> str:
    """leaflet.css with its layer-control images inlined (relative URLs cannot resolve from a
    data: URL); references to images that are not vendored are left as they are."""
    css = (ASSETS / "leaflet.css").read_text(encoding="utf-8")

    def inline(match: re.Match) -> str:
        bild = ASSETS / "images" / match.group(1)
        if not bild.exists():
            return match.group(0)
        return f"url({_data_url('image/png', bild.read_bytes())})"

    css = re.sub(r"url\(images/([\w-]+\.png)\)", inline, css)
    return _data_url("text/css", css.encode("utf-8"))


def configure() -> None:
    """Point every folium map at the vendored Leaflet (idempotent; class attributes)."""
    folium.Map.default_js = [("leaflet", leaflet_js_url())]
    folium.Map.default_css = [("leaflet_css", leaflet_css_url())]


configure()


class _KeineAngabeMuster(MacroElement):
    """Adds the SVG hatch pattern for "keine Angabe" to the map document, once."""

    _template = Template("""
        {% macro script(this, kwargs) %}
        if (!document.getElementById({{ this.muster_id|tojson }})) {
            document.body.insertAdjacentHTML("beforeend", {{ this.svg|tojson }});
        }
        {% endmacro %}
    """)

    def __init__(self):
        super().__init__()
        self._name = "KeineAngabeMuster"
        self.muster_id = scales.KEINE_ANGABE_MUSTER
        self.svg = map_style.KEINE_ANGABE_PATTERN_SVG


def neue_karte(ausschnitt: list[list[float]] | None, hintergrund_key: str | None = None,
               kompakt: bool = False) -> folium.Map:
    """An empty map fitted to `ausschnitt` ([[south, west], [north, east]]), without tiles
    unless a background map is chosen (then with its attribution)."""
    configure()
    hintergrund = map_style.hintergrund(hintergrund_key)
    karte = folium.Map(
        location=None if ausschnitt else [51.2, 10.4], zoom_start=None if ausschnitt else 6,
        tiles=None, control_scale=not kompakt, zoom_snap=0.25, zoom_delta=0.5,
        scroll_wheel_zoom=not kompakt, prefer_canvas=False)
    if hintergrund.url:
        folium.TileLayer(tiles=hintergrund.url, attr=hintergrund.attribution,
                         name=hintergrund.name, max_zoom=hintergrund.max_zoom,
                         control=False).add_to(karte)
    if ausschnitt:
        karte.fit_bounds(ausschnitt, padding=(8, 8))
    _KeineAngabeMuster().add_to(karte)
    # Chrome draws a focus rectangle around a clicked SVG path; the selection outline is the
    # visible feedback instead (paths are not reachable by keyboard, the table twin is).
    karte.get_root().header.add_child(Element(
        "<style>.leaflet-interactive:focus { outline: none; }</style>"), name="ikz_fokus")
    return karte
