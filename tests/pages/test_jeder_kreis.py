"""Every page for a Kreis of every Flächenland and for kreisfreie Städte, as a new user would get
there: ``init --kreis`` from the shipped base, then Bewertungen and EfA-Anbindungen exported as
the template, filled in and imported again (the CLI's code path). Checks that no page fails and
that the wording fits the Land (no "Samtgemeinde" outside Niedersachsen, no Kreisverwaltung in a
kreisfreie Stadt, German singular and plural)."""
from __future__ import annotations

import csv
import hashlib
import re
from pathlib import Path

import pytest

from kreis_data import laender
from kreis_data.bewertungen.austausch import export_bewertungen, import_bewertungen
from kreis_data.database import make_engine
from kreis_data.efa import lesen as efa
from kreis_data.efa.austausch import export_anbindungen, import_anbindungen
from kreis_data.konten.regeln import ADMIN, Benutzer
from kreis_data.workspace import create_kreis_workspace
from tests.pages.apptest_helpers import all_text, open_page
from tests.pages.test_all_pages_smoke import registered_pages

QUARTAL = "2026-Q3"
IMPORT = Benutzer("Test", ADMIN)
# One Landkreis per Flächenland, plus two kreisfreie Städte (one Stadtkreis in BW).
KREISE = {
    "01054": "Kreis Nordfriesland", "03159": "Landkreis Göttingen", "05566": "Kreis Steinfurt",
    "06435": "Main-Kinzig-Kreis", "07232": "Eifelkreis Bitburg-Prüm",
    "08436": "Landkreis Ravensburg", "09272": "Landkreis Freyung-Grafenau",
    "10042": "Landkreis Merzig-Wadern", "12066": "Landkreis Oberspreewald-Lausitz",
    "13075": "Landkreis Vorpommern-Greifswald", "14522": "Landkreis Mittelsachsen",
    "15089": "Salzlandkreis", "16070": "Ilm-Kreis",
    "03101": "Stadt Braunschweig", "08221": "Stadtkreis Heidelberg",
}
JA_NEIN = {"digitalisierungsbeauftragte", "digitallotsen"}


def _wert(*teile: str) -> int:
    return int(hashlib.sha256("|".join(teile).encode()).hexdigest(), 16)


def _ausfuellen(pfad: Path, fuellen) -> None:
    with pfad.open(encoding="utf-8-sig", newline="") as handle:
        zeilen = list(csv.reader(handle, delimiter=";"))
    with pfad.open("w", encoding="utf-8-sig", newline="") as handle:
        csv.writer(handle, delimiter=";").writerows([zeilen[0], *map(fuellen, zeilen[1:])])


def _bewertung(zeile: list[str]) -> list[str]:
    v = _wert(zeile[1], zeile[3]) % 6
    if zeile[3] in JA_NEIN:
        zeile[4] = ("ja", "nein", "keine Angabe")[v % 3]
    else:
        zeile[4] = "keine Angabe" if v == 5 else str(v)
    if zeile[4] != "keine Angabe":
        zeile[5], zeile[6] = "Selbstauskunft", "15.09.2026"
    return zeile


def _anbindung(zeile: list[str]) -> list[str]:
    v = _wert(zeile[1], zeile[3]) % 4
    zeile[5] = ("nicht angebunden", "in Prüfung", "in Umsetzung", "live")[v]
    zeile[6] = "2026-Q2" if v == 3 else ""
    return zeile


@pytest.fixture(scope="module")
def arbeitsbereiche(tmp_path_factory) -> dict[str, str]:
    """Kreis AGS -> database URL of a filled workspace."""
    urls = {}
    for ags in KREISE:
        ordner = tmp_path_factory.mktemp(f"kreis{ags}")
        url = f"sqlite:///{ordner / 'ikz.sqlite'}"
        engine = make_engine(url)
        create_kreis_workspace(engine, ags, benutzer="Test")
        bewertungen, anbindungen = ordner / "bewertungen.csv", ordner / "anbindungen.csv"
        export_bewertungen(engine, QUARTAL, bewertungen)
        _ausfuellen(bewertungen, _bewertung)
        assert not import_bewertungen(engine, bewertungen, benutzer=IMPORT).fehler
        export_anbindungen(engine, QUARTAL, anbindungen)
        _ausfuellen(anbindungen, _anbindung)
        assert not import_anbindungen(engine, anbindungen, benutzer=IMPORT).fehler
        engine.dispose()
        urls[ags] = url
    return urls


def test_a_new_bavarian_workspace_computes_the_efa_quote(arbeitsbereiche):
    """init loads the catalog and the Land's Vollzug: quotes as soon as Anbindungen exist."""
    engine = make_engine(arbeitsbereiche["09272"])
    katalog = efa.leistungen(engine)
    assert len(katalog) == 21 and katalog["ebene"].notna().all()
    assert set(katalog["grundlage"]) == {"belegt", "Annahme"}
    quoten = efa.efa_quote(engine, QUARTAL)
    assert len(quoten) == 20 and quoten["quote"].notna().all()
    assert efa.efa_quote_kreis(engine, QUARTAL).quote is not None


def test_a_kreisfreie_stadt_is_one_verwaltung_for_both_levels(arbeitsbereiche):
    engine = make_engine(arbeitsbereiche["03101"])
    quoten = efa.efa_quote(engine, QUARTAL)
    assert quoten["verwaltung"].tolist() == ["Braunschweig"]
    katalog = efa.leistungen(engine)
    # it is responsible for every Leistung with a Vollzug, Gemeinde and Kreis level alike
    assert int(quoten["zustaendig"].iloc[0]) == int(katalog["ebene"].notna().sum())


@pytest.mark.parametrize("page", registered_pages())
@pytest.mark.parametrize("ags", list(KREISE))
def test_every_page_fits_the_kreis(arbeitsbereiche, monkeypatch, ags, page):
    monkeypatch.setenv("IKZ_DATABASE_URL", arbeitsbereiche[ags])
    text = all_text(open_page(page))
    assert KREISE[ags] in text or page != "pages/lagebild.py"
    if ags[:2] != "03":
        assert "Samtgemeinde" not in text
    if ags in ("03101", "08221"):  # only the general rules on Methodik may name one
        assert "Kreisverwaltung" not in text.replace("Kreisverwaltung eingerechnet, wo es sie gibt", "")
    assert not re.search(r"\b1 (Gemeinden|Verwaltungen|Leistungen)\b", text), text
    if laender.land(ags[:2]).verbandsarten and ags not in ("03101", "08221"):
        woerter = {w for art in laender.land(ags[:2]).verbandsarten
                   for w in (art, laender.mehrzahl(art), laender.mit_artikel(art))}
        assert any(w in text for w in woerter) or page not in ("pages/karte.py",
                                                                "pages/lagebild.py")
