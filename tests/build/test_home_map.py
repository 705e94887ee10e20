"""The home page's dot map: an SVG drawn at build, counting every published station once."""

from __future__ import annotations

import gzip
import json
import math
import re
from collections import Counter
from pathlib import Path

import lxml.html
import pytest

from cms.content import load
from cms.maps.dotmap import CELL
from cms.public.app import create_app
from tests.conftest import DATA, DEMO, NOW


def dot_map(site: Path):
    tree = lxml.html.fromstring((site / "index.html").read_bytes())
    (svg,) = tree.xpath("//svg[@id='dot-map']")
    return tree, svg


def dots(svg) -> Counter:
    """{(cx, cy): stations} as the SVG draws them."""
    found: Counter = Counter()
    for circle in svg.xpath(".//circle"):
        found[(float(circle.get("cx")), float(circle.get("cy")))] += int(circle.get("data-n"))
    return found


@pytest.mark.parametrize(
    ("fixture", "root"), [("demo_site", DEMO), ("data_site", DATA / "content")]
)
def test_dots_count_every_published_station_once_in_its_grid_square(request, fixture, root):
    _tree, svg = dot_map(request.getfixturevalue(fixture))
    content = load(root)
    live = content.live("stations", NOW)
    hidden = [e for e in content.entries["stations"].values() if not e.is_live(NOW)]
    assert hidden, "the content should hold a station that is not published"
    drawn = dots(svg)
    assert sum(drawn.values()) == len(live)
    # Where the build's projection (on the svg) puts each published station, and nothing else.
    lat0, lng0 = float(svg.get("data-lat0")), float(svg.get("data-lng0"))
    kx, ky = float(svg.get("data-kx")), float(svg.get("data-ky"))
    width, height = float(svg.get("width")), float(svg.get("height"))
    assert svg.get("viewbox") == f"0 0 {svg.get('width')} {svg.get('height')}"  # lxml lowercases
    expected: Counter = Counter()
    for st in live:
        x, y = (st.location.lng - lng0) * kx, (lat0 - st.location.lat) * ky
        assert 0 < x < width and 0 < y < height, st.slug
        expected[((math.floor(x / CELL) + 0.5) * CELL, (math.floor(y / CELL) + 0.5) * CELL)] += 1
    assert drawn == expected
    # The box fits the published stations only: an unpublished one elsewhere does not widen it.
    xs = [(st.location.lng - lng0) * kx for st in live]
    ys = [(lat0 - st.location.lat) * ky for st in live]
    assert min(xs) == pytest.approx(width - max(xs), abs=1.5)
    assert min(ys) == pytest.approx(height - max(ys), abs=1.5)


def test_dot_map_links_to_the_stations_page_and_states_its_figures(demo_site):
    tree, svg = dot_map(demo_site)
    link = svg.getparent()
    assert link.tag == "a" and link.get("href") == "/stations/"
    assert svg.get("role") == "img"
    assert svg.get("aria-labelledby") == "dot-map-title dot-map-desc"
    live = load(DEMO).live("stations", NOW)
    streets = {st.street for st in live}
    title = svg.xpath("string(./title[@id='dot-map-title'])")
    assert title == f"服务阵地分布示意图：共 {len(live)} 个站点，分布在 {len(streets)} 个街道。"
    care = sum(1 for st in live if st.type == "care-station")
    assert f"爱心驿站 {care} 个" in svg.xpath("string(./desc[@id='dot-map-desc'])")
    # Dots are coloured by type with the vocabulary's classes; every type drawn is in the key.
    groups = {g.get("class") for g in svg.xpath("./g[circle]")}
    key = {s.get("class").split()[-1] for s in tree.xpath("//figcaption//span[@class]")}
    assert groups and groups <= key
    assert all(g.startswith("c-type-") for g in groups)
    # Street names, and the page's street list beside it (the map's text alternative).
    names = svg.xpath(".//g[@class='dot-map-streets']/text/text()")
    assert "坂田街道" in names
    chips = tree.xpath("//section[@class='hero']//ul[@class='chips']//a/text()")
    assert set(names) <= set(chips)


def test_dot_map_is_small_and_needs_no_script_or_style(demo_site):
    page = (demo_site / "index.html").read_text(encoding="utf-8")
    start = page.index('<svg class="dot-map"')
    svg = page[start : page.index("</svg>", start) + len("</svg>")]
    assert len(gzip.compress(svg.encode(), 6)) < 2 * 1024
    _tree, element = dot_map(demo_site)
    assert not element.xpath(".//script | .//style | .//*[@style]")
    assert not [a for e in element.iter() for a in e.attrib if a.lower().startswith("on")]
    assert "leaflet" not in page.lower()


def home_weight(page: bytes, get) -> dict[str, int]:
    """Return {address: gzip bytes} for the home page and what it loads before any tap: its
    stylesheets, scripts, icon and images (each image's ``src``, larger than what a phone picks
    from its srcset). ``get`` reads a file by its address."""
    tree = lxml.html.fromstring(page)
    names = tree.xpath(
        "//link[@rel='stylesheet'][not(ancestor::noscript)]/@href | //script/@src"
        " | //link[@rel='icon']/@href | //img/@src"
    )
    sizes = {name: len(gzip.compress(get(name), 6)) for name in names}
    sizes["/"] = len(gzip.compress(page, 6))
    return sizes


def test_home_page_without_a_tap_stays_under_60_kb_gzip(demo_site):
    """tests/browser/test_csp_nginx.py weighs what Chromium loads behind nginx."""
    page = (demo_site / "index.html").read_bytes()
    sizes = home_weight(page, lambda name: (demo_site / name.lstrip("/")).read_bytes())
    assert len(sizes) >= 6 and any(name.endswith("teaser.js") for name in sizes), sizes
    assert not any("map-data" in name for name in sizes)  # fetched on the "near me" tap
    assert sum(sizes.values()) <= 60 * 1024, sorted(sizes.items())


@pytest.fixture(scope="module")
def client_10k(tmp_path_factory):
    """The public app (not frozen: seconds, not minutes) over the demo content plus synthetic
    stations up to 10,000, made by the stations benchmark's generator."""
    from bench.stations import make_content

    content = tmp_path_factory.mktemp("stations-10k") / "content"
    make_content(content, 10_000)
    return create_app(content, now=NOW).test_client()


def test_home_page_without_a_tap_stays_under_60_kb_gzip_at_10000_stations(client_10k):
    def get(name: str) -> bytes:
        with client_10k.get(name) as response:  # closes the files Flask sends
            assert response.status_code == 200, name
            return response.get_data()

    page = get("/")
    count = re.search(r"全区已有 <strong>([\d,]+)</strong>", page.decode())[1]
    assert int(count.replace(",", "")) >= 9_990, count  # the demo's unpublished ones aside
    sizes = home_weight(page, get)
    assert sum(sizes.values()) <= 60 * 1024, sorted(sizes.items())
    # Why the data waits for the tap: alone it weighs more than the whole budget.
    config = json.loads(lxml.html.fromstring(page).xpath("string(//script[@id='finder-config'])"))
    assert len(gzip.compress(get(config["data"]), 6)) > 2 * 60 * 1024
