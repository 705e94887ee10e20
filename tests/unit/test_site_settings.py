"""Saving site.yml from the admin: only changed blocks are rewritten; colours are checked."""

from __future__ import annotations

import pytest
import yaml

from cms.content.settings import AA, colour_problem, contrast_on_white, darker, updated_text

SITE = """\
# Site settings. Every key is documented in README.md.
title: 龙岗区总工会
hotline: "12351"
# The map: AMap's tiles load quickly in mainland China.
map:
  center: {lat: 22.72, lng: 114.22}
  tiles: amap  # GCJ-02: markers are shifted

streets:
  # the eleven streets
  bantian: {label: 坂田街道}

menu:
  - {label: 首页, url: /}
"""


def test_only_the_changed_blocks_are_rewritten_and_other_comments_stay():
    data = yaml.safe_load(SITE)
    data["streets"] = {"bantian": {"label": "坂田街道"}, "guanlan": {"label": "观澜街道"}}
    data["hotline"] = "0755-28900000"
    text = updated_text(SITE, data)
    assert yaml.safe_load(text) == data
    kept = [line for line in SITE.splitlines() if line.startswith("#") or "#" in line]
    for line in kept[:-1]:  # all but the comment inside the rewritten streets block
        assert line in text.splitlines()
    assert "  # the eleven streets" not in text
    assert "  guanlan: {label: 观澜街道}" in text.splitlines()
    assert text.index("# The map") < text.index("map:") < text.index("streets:")


def test_a_setting_the_file_lacked_is_added_and_an_unchanged_file_is_left_alone():
    data = yaml.safe_load(SITE)
    assert updated_text(SITE, data) == SITE
    data["icp"] = "粤ICP备12345678号"
    text = updated_text(SITE, data)
    assert text.startswith(SITE.rstrip("\n"))
    assert yaml.safe_load(text)["icp"] == "粤ICP备12345678号"


@pytest.mark.parametrize(
    ("colour", "ratio"),
    [("#ffffff", 1.0), ("#000000", 21.0), ("#b71c1c", 6.57), ("#e65100", 3.79)],
)
def test_contrast_on_white_follows_wcag(colour, ratio):
    assert contrast_on_white(colour) == pytest.approx(ratio, abs=0.01)


def test_a_light_colour_is_refused_with_a_darker_shade_that_passes():
    said = colour_problem("#ffeb3b")
    suggested = darker("#ffeb3b")
    assert "1.22:1" in said and suggested in said
    assert contrast_on_white(suggested) >= AA
    assert colour_problem(suggested) == ""
    assert "应写成" in colour_problem("#fff")
