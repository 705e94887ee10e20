"""Vocabulary colours: words drawn on a type's colour keep WCAG AA contrast."""

from __future__ import annotations

import pytest

from cms.content import load
from cms.public.colours import contrast, text_on, vocabulary_css
from tests.conftest import DEMO


def test_contrast_matches_wcag():
    assert contrast("#ffffff", "#000000") == pytest.approx(21)
    assert contrast("#e65100", "#ffffff") == pytest.approx(3.79, abs=0.01)  # orange fails AA
    assert contrast("#b71c1c", "#ffffff") == contrast("#ffffff", "#b71c1c")


@pytest.mark.parametrize(
    ("colour", "text"), [("#b71c1c", "#ffffff"), ("#1565c0", "#ffffff"), ("#e65100", "#000000"),
                         ("#ffeb3b", "#000000")],
)  # fmt: skip
def test_text_on_a_colour_passes_aa(colour, text):
    assert text_on(colour) == text
    assert contrast(colour, text) >= 4.5


def test_every_demo_colour_gets_a_class_with_its_text_colour():
    site = load(DEMO).site
    css = vocabulary_css(site)
    for key, term in site.station_types.items():
        assert f".c-type-{key}{{--c:{term.color};--c-on:{text_on(term.color)}}}" in css
    for key, term in site.activity_brands.items():
        assert f".c-brand-{key}{{--c:{term.color};" in css
