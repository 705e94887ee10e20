"""The dot map stays small for 10,000 stations and copes with one; its projection is linear."""

from __future__ import annotations

import gzip
import random
import re

import lxml.etree
import pytest

from bench.corpus import STREETS, TYPES  # the street centres the benchmarks spread stations around
from cms.content.model import Location, Site, Station, Term
from cms.maps.dotmap import FONT, dot_map, fit

NAMES = "平湖 布吉 吉华 坂田 南湾 横岗 园山 龙城 龙岗 宝龙 坪地".split()
SVG = "{http://www.w3.org/2000/svg}"


def site() -> Site:
    return Site(
        title="t",
        base_url="https://example.org/",
        station_types={k: Term(k, k) for k in TYPES},
        streets={k: Term(k, f"{name}街道") for k, name in zip(STREETS, NAMES, strict=True)},
    )


def station(i: int, street: str, kind: str, lat: float, lng: float) -> Station:
    return Station(
        slug=f"s{i}", source=f"stations/s{i}.md", status="published", type=kind, street=street,
        location=Location(round(lat, 5), round(lng, 5)),
    )  # fmt: skip


def many(count: int) -> list[Station]:
    rng = random.Random(20261125)
    out = []
    for i in range(count):
        street = rng.choice(list(STREETS))
        lat, lng = STREETS[street]
        kind = rng.choices(TYPES, weights=[3, 6, 2, 1, 1])[0]
        out.append(station(i, street, kind, rng.gauss(lat, 0.018), rng.gauss(lng, 0.018)))
    return out


def parse(svg: str):
    return lxml.etree.fromstring(svg.encode())


def test_ten_thousand_stations_make_a_few_hundred_dots_in_a_few_kilobytes():
    stations = many(10_000)
    svg = dot_map(site(), stations, "标题", "说明", "dot-map")
    root = parse(svg)
    circles = root.findall(f".//{SVG}circle")
    assert 50 < len(circles) <= 400
    assert sum(int(c.get("data-n")) for c in circles) == 10_000
    assert len(gzip.compress(svg.encode(), 6)) <= 4 * 1024
    assert dot_map(site(), stations, "标题", "说明", "dot-map") == svg  # same input, same bytes


def test_street_names_never_overlap_and_stay_inside():
    root = parse(dot_map(site(), many(2_000), "标题", "说明", "dot-map"))
    width, height = float(root.get("width")), float(root.get("height"))
    boxes = []
    for text in root.iter(f"{SVG}text"):
        x, y, half = float(text.get("x")), float(text.get("y")), len(text.text) * FONT / 2
        assert half <= x <= width - half and FONT / 2 <= y <= height - FONT / 2, text.text
        boxes.append((x - half, y - FONT / 2, x + half, y + FONT / 2))
    assert len(boxes) >= 6
    for i, a in enumerate(boxes):
        for b in boxes[i + 1 :]:
            assert not (a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]), (a, b)


def test_projection_is_north_up_and_fits_the_box():
    stations = many(500)
    p = fit([(s.location.lat, s.location.lng) for s in stations])
    for s in stations:
        x, y = p.project(s.location.lat, s.location.lng)
        assert 0 < x < p.width and 0 < y < p.height
    # North is up, east is right; a kilometre is as long east-west as north-south.
    (x1, y1), (x2, y2) = p.project(22.70, 114.20), p.project(22.71, 114.21)
    assert x2 > x1 and y2 < y1
    assert p.kx / p.ky == pytest.approx(0.9227, abs=0.002)  # cos(22.7°)


def test_one_station_gets_a_box_around_it_and_no_stations_no_map():
    one = [station(1, "bantian", "care-station", 22.6301, 114.0652)]
    root = parse(dot_map(site(), one, "标题", "说明", "dot-map"))
    (circle,) = root.iter(f"{SVG}circle")
    assert circle.get("data-n") == "1"
    width, height = float(root.get("width")), float(root.get("height"))
    assert (
        abs(float(circle.get("cx")) - width / 2) <= 6
        and abs(float(circle.get("cy")) - height / 2) <= 6
    )
    assert dot_map(site(), [], "标题", "说明", "dot-map") == ""


def test_title_and_description_are_escaped():
    svg = dot_map(site(), many(3), "<b>&", "a<b", "dot-map")
    assert re.search(r"<title id=\"dot-map-title\">&lt;b&gt;&amp;</title>", svg)
    assert '<desc id="dot-map-desc">a&lt;b</desc>' in svg
