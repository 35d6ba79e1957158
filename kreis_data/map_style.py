"""Map-only styling: lines, selection highlight, the "keine Angabe" hatch and the optional
background maps. Colours of the Stufen come from kreis_data.scales; nothing here defines one.
"""
from __future__ import annotations

from dataclasses import dataclass

from kreis_data import scales

GEMEINDE_RAND = {"color": "#ffffff", "weight": 0.8, "opacity": 1.0}
VERWALTUNG_RAND = {"color": "#1a1a1a", "weight": 2.5, "opacity": 1.0, "fill": False}
AUSWAHL_RAND = {"color": "#000000", "weight": 5, "opacity": 1.0, "fill": False,
                "dashArray": "8 5"}
FUELL_DECKKRAFT = 0.9

GEMEINDEFREI_STIL = {"color": scales.GEMEINDEFREI_RANDFARBE, "weight": 1, "opacity": 1.0,
                     "dashArray": "3 3", "fillColor": scales.GEMEINDEFREI_FARBE,
                     "fillOpacity": 1.0}


# What the map component needs to draw (components/karte_komponente): path styles, and the
# "keine Angabe" hatch – the grey of scales with white diagonal stripes, the same look as the
# legend's CSS hatch (components.legend.keine_angabe_css).
STIL = {"gemeinde": GEMEINDE_RAND, "grenze": VERWALTUNG_RAND, "auswahl": AUSWAHL_RAND,
        "gemeindefrei": GEMEINDEFREI_STIL, "deckkraft": FUELL_DECKKRAFT}
KEINE_ANGABE = {"farbe": scales.KEINE_ANGABE_FARBE, "muster": scales.KEINE_ANGABE_MUSTER}


@dataclass(frozen=True)
class Hintergrund:
    """An optional background map. Using one makes the browser load tiles from `url`."""

    key: str
    name: str
    url: str | None
    attribution: str | None
    max_zoom: int = 18


HINTERGRUENDE: tuple[Hintergrund, ...] = (
    Hintergrund("ohne", "ohne Hintergrundkarte (offline)", None, None),
    # WMTS RESTful of the BKG, tile matrix set GLOBAL_WEBMERCATOR (standard XYZ numbering; the
    # DE_EPSG_3857_ADV matrix has its own origin). Note the {y}/{x} order of WMTS row/column.
    Hintergrund(
        "basemap_de", "basemap.de Web Raster (grau)",
        "https://sgx.geodatenzentrum.de/wmts_basemapde/tile/1.0.0/de_basemapde_web_raster_grau/"
        "default/GLOBAL_WEBMERCATOR/{z}/{y}/{x}.png",
        '© <a href="https://basemap.de">basemap.de</a> / '
        '<a href="https://www.bkg.bund.de">BKG</a>, '
        '<a href="https://www.govdata.de/dl-de/by-2-0">dl-de/by-2-0</a>',
        max_zoom=18),
    Hintergrund(
        "osm", "OpenStreetMap",
        "https://tile.openstreetmap.org/{z}/{x}/{y}.png",
        '© <a href="https://www.openstreetmap.org/copyright">OpenStreetMap-Mitwirkende</a> (ODbL)',
        max_zoom=19),
)


def hintergrund(key: str | None) -> Hintergrund:
    """The background map with this key; the offline default for None or an unknown key."""
    return next((h for h in HINTERGRUENDE if h.key == key), HINTERGRUENDE[0])
