import pytest

from kreis_data import scales


def luminance(colour: str) -> float:
    r, g, b = (int(colour.lstrip("#")[i:i + 2], 16) / 255 for i in (0, 2, 4))

    def channel(c):
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def contrast(a: str, b: str) -> float:
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_required_merkmale_use_the_product_labels():
    assert scales.PFLICHT_MERKMALE == ("e_akte", "online_portal", "strategie")
    assert scales.E_AKTE.label(3) == "in einigen Fachverfahren eingeführt"
    assert scales.ONLINE_PORTAL.label(4).startswith("transaktional")
    assert scales.STRATEGIE.label(0) == "keine, nicht geplant"
    assert scales.E_AKTE.label(None) == "keine Angabe"


def test_parse_accepts_numbers_labels_and_keine_angabe():
    assert scales.E_AKTE.parse(3) == 3
    assert scales.E_AKTE.parse("3") == 3
    assert scales.E_AKTE.parse(2.0) == 2
    assert scales.E_AKTE.parse("In Einführung") == 2
    assert scales.E_AKTE.parse("4 – in allen Fachverfahren eingeführt") == 4
    assert scales.E_AKTE.parse("") is None
    assert scales.E_AKTE.parse("keine Angabe") is None
    assert scales.E_AKTE.parse(float("nan")) is None
    assert scales.DIGITALLOTSEN.parse("ja") == 1


@pytest.mark.parametrize("value", [7, "7", -1, "vielleicht", 2.5])
def test_parse_refuses_values_outside_the_scale_naming_what_is_allowed(value):
    with pytest.raises(ValueError) as error:
        scales.E_AKTE.parse(value)
    assert "erlaubt sind 0 (kein Thema)" in str(error.value)
    assert "keine Angabe" in str(error.value)


def test_palette_is_sequential_light_to_dark_and_keine_angabe_is_distinct():
    lums = [luminance(c) for c in scales.STUFEN_FARBEN]
    assert lums == sorted(lums, reverse=True)
    assert scales.KEINE_ANGABE_FARBE not in scales.STUFEN_FARBEN
    assert scales.farbe(None) == scales.KEINE_ANGABE_FARBE


def test_label_text_on_every_colour_has_aa_contrast():
    for fill, text in zip(scales.STUFEN_FARBEN, scales.STUFEN_TEXTFARBEN):
        assert contrast(fill, text) >= 4.5, fill
    assert contrast(scales.KEINE_ANGABE_FARBE, scales.KEINE_ANGABE_TEXTFARBE) >= 4.5


def test_index_classes_cover_0_to_100():
    assert scales.index_klasse(0) == 0
    assert scales.index_klasse(19.99) == 0
    assert scales.index_klasse(20) == 1
    assert scales.index_klasse(100) == 4
    assert scales.index_klasse(None) is None
    assert scales.index_klasse(float("nan")) is None
