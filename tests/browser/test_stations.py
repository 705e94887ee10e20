"""The station finder on a phone: near me, filters, shared links, popups, no location, no JS.

Geolocation is granted at fixed points in Longgang and the clock is fixed (a Wednesday at noon
unless a test says otherwise), so which stations are open is known. The test network has no
internet, so map tile requests are aborted at once: everything here must work without tiles.
"""

from __future__ import annotations

import calendar
import datetime as dt
import functools
import json
import re
from contextlib import contextmanager, suppress

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from cms.content import load
from cms.content.hours import open_state, parse_hours
from cms.geo.coords import convert
from cms.geo.distance import haversine_m
from cms.maps.dotmap import Projection
from cms.maps.tiles import tiles_for
from cms.public.colours import contrast
from tests.conftest import DEMO, SHANGHAI

BANTIAN = (22.64010, 114.05510)
LONGCHENG = (22.71800, 114.25100)
LONGGANG = (22.7203, 114.2467)  # the district's centre
NOON = dt.datetime(2026, 11, 25, 12, 0, tzinfo=SHANGHAI)  # a Wednesday
NIGHT = dt.datetime(2026, 11, 25, 22, 15, tzinfo=SHANGHAI)


@functools.cache
def map_crs() -> str:
    """The coordinate system the demo's tiles are drawn in (markers are shifted to it)."""
    return tiles_for(load(DEMO).site.map).crs


def drawn(feature: dict) -> tuple[float, float]:
    """Where the map draws a station: its WGS-84 position in the demo tiles' system."""
    lng, lat = feature["geometry"]["coordinates"]
    return convert(lat, lng, "wgs84", map_crs())


@pytest.fixture(scope="module")
def features(demo_site) -> list[dict]:
    return json.loads((demo_site / "api/v1/stations.geojson").read_text())["features"]


@contextmanager
def phone(browser, server, point=None, javascript=True, at=NOON):
    """A 390×844 Chromium page at ``at``; location granted at ``point`` (refused when None).

    ``at=None`` leaves the clock alone, for tests of map animations and performance marks
    (which Playwright's fixed clock stops).
    """
    options = {
        "viewport": {"width": 390, "height": 844},
        "locale": "zh-CN",
        "timezone_id": "Asia/Shanghai",
        "java_script_enabled": javascript,
    }
    if point:
        options.update(
            geolocation={"latitude": point[0], "longitude": point[1]}, permissions=["geolocation"]
        )
    context = browser.new_context(**options)
    local = re.compile(r"^" + re.escape(server.url) + r"/")
    context.route(lambda url: not local.match(url), lambda route: route.abort())
    page = context.new_page()
    if javascript and at:
        page.clock.set_fixed_time(at)
    try:
        yield page
    finally:
        context.close()


def open_finder(page, url: str) -> None:
    page.goto(url)
    page.wait_for_selector("#finder[data-ready]")


def form(page):
    return page.locator("#filter-form")


def listed(page) -> list[str]:
    return page.locator("#results .result").evaluate_all("els => els.map(e => e.dataset.slug)")


def distance(feature: dict, point: tuple[float, float]) -> float:
    lng, lat = feature["geometry"]["coordinates"]
    return haversine_m(point[0], point[1], lat, lng)


def usable(feature: dict, moment: dt.datetime, access: str = "") -> bool:
    """Open at ``moment`` and open to a reader of the ``access`` group (everyone: public)."""
    p = feature["properties"]
    is_open = open_state(parse_hours(p["hours"]), moment) != "closed"
    return is_open and p["access"] in ("public", access)


def ranking(features, point, moment, limit=20) -> list[str]:
    """The order a reader expects: usable now first, then the others, each nearest first."""
    first = sorted((f for f in features if usable(f, moment)), key=lambda f: distance(f, point))
    rest = sorted((f for f in features if not usable(f, moment)), key=lambda f: distance(f, point))
    return [f["id"] for f in first + rest][:limit]


def near_me(page) -> None:
    page.get_by_role("button", name="附近的驿站").click()
    page.wait_for_selector("#results .result-distance")
    page.wait_for_selector("#results[data-details=ready]")  # addresses and phones are in


@pytest.mark.parametrize("moment", [NOON, NIGHT], ids=["noon", "night"])
@pytest.mark.parametrize("point", [BANTIAN, LONGCHENG, LONGGANG])
def test_near_me_lists_the_usable_first_each_part_nearest_first(
    browser, demo_server, features, point, moment
):
    with phone(browser, demo_server, point, at=moment) as page:
        open_finder(page, demo_server.url + "/stations/")
        near_me(page)
        slugs = listed(page)
        assert slugs == ranking(features, point, moment)
        by_slug = {f["id"]: f for f in features}
        got = [distance(by_slug[s], point) for s in slugs]
        # Metres and walking minutes at 4.5 km/h are shown for the first one.
        first = page.locator("#results .result-distance").first.inner_text()
        metres = round(got[0])
        assert first.startswith(f"{metres} 米" if metres < 1000 else f"{got[0] / 1000:.1f} 公里")
        assert "步行约" in first
        # When one is within 3 km, the first row is open and open to everyone.
        if any(usable(f, moment) and distance(f, point) <= 3000 for f in features):
            assert usable(by_slug[slugs[0]], moment)
            row = page.locator("#results .result").first
            assert row.locator(".result-state").inner_text() in ("营业中", "即将关闭")
            assert row.locator(".result-access").count() == 0
        # Every other row says why: when it opens next, or who it is for.
        for i, slug in enumerate(slugs):
            if usable(by_slug[slug], moment):
                continue
            row = page.locator("#results .result").nth(i)
            words = row.locator(".result-line").inner_text()
            assert re.search(r"\d\d:\d\d 开门|暂停开放", words) or row.locator(
                ".result-access"
            ).inner_text() in ("仅限本单位职工", "女职工专用")
        assert "near=" not in page.url  # the position stays out of the address bar


NAV_MODES = {  # way of travel → the mode each navigation link asks for
    "步行": ("mode=walk&", "mode=walking&", "type=walk&"),
    "骑行": ("mode=ride&", "mode=riding&", "type=bike&"),
    "驾车": ("mode=car&", "mode=driving&", "type=drive&"),
}


def rows_carry_a_trip(page, features, way: str) -> None:
    """Every row: address, hours with the next change, a tel: link, three links in ``way``."""
    by_slug = {f["id"]: f for f in features}
    rows = page.locator("#results .result")
    assert rows.count() > 0
    for i, slug in enumerate(listed(page)):
        row, props = rows.nth(i), by_slug[slug]["properties"]
        assert row.locator(".result-address").inner_text() == props["address"]
        assert re.search(
            r"营业至|开门|24小时开放|暂停开放", row.locator(".result-next").inner_text()
        )
        tel = row.locator("a.result-tel").get_attribute("href")
        assert tel == "tel:" + re.sub(r"[^0-9+]", "", props["phone"])
        hrefs = row.locator("a.result-nav").evaluate_all("els => els.map(e => e.href)")
        assert [h.split("//")[1].split("/")[0] for h in hrefs] == [
            "uri.amap.com", "api.map.baidu.com", "apis.map.qq.com"
        ]  # fmt: skip
        for href, word in zip(hrefs, NAV_MODES[way], strict=True):
            assert word in href
        assert f"{way}约" in row.locator(".result-distance").inner_text()


def in_view(page, selector: str) -> bool:
    box = page.locator(selector).first.bounding_box()
    return box is not None and box["y"] >= 0 and box["y"] + 40 <= 844


def at_most_3_decimals(url: str) -> bool:
    return not re.search(r"\d\.\d{4,}", url)


@pytest.mark.parametrize("moment", [NOON, NIGHT], ids=["noon", "night"])
def test_rows_carry_what_a_trip_needs_in_the_chosen_way(browser, demo_server, features, moment):
    with phone(browser, demo_server, LONGGANG, at=moment) as page:
        open_finder(page, demo_server.url + "/stations/")
        near_me(page)
        assert in_view(page, "#results .result")  # the results come into view
        assert at_most_3_decimals(page.url)
        rows_carry_a_trip(page, features, "步行")
        page.get_by_role("radio", name="骑行").check()
        rows_carry_a_trip(page, features, "骑行")
        assert at_most_3_decimals(page.url)
    with phone(browser, demo_server, LONGGANG, at=moment) as page:
        open_finder(page, demo_server.url + "/stations/")
        page.get_by_role("radio", name="驾车").check()
        page.reload()  # the choice is remembered on the device
        page.wait_for_selector("#finder[data-ready]")
        assert page.get_by_role("radio", name="驾车").is_checked()
        near_me(page)
        rows_carry_a_trip(page, features, "驾车")


def test_the_popup_carries_what_a_trip_needs(browser, demo_server, features):
    with phone(browser, demo_server, LONGGANG, at=NIGHT) as page:
        open_finder(page, demo_server.url + "/stations/")
        near_me(page)
        item = page.locator("#results .result").first
        item.locator(".result-main").click()
        popup = page.locator(".leaflet-popup-content")
        popup.wait_for()
        props = {f["id"]: f for f in features}[listed(page)[0]]["properties"]
        assert popup.locator(".popup-address").inner_text() == props["address"]
        assert popup.locator("a.result-tel").get_attribute("href").startswith("tel:")
        assert popup.locator("a.result-nav").count() == 3
        assert "营业至" in popup.locator(".result-next").inner_text() or "24小时" in (
            popup.locator(".result-next").inner_text()
        )


def test_type_chips_and_open_now_are_in_view_above_the_list(browser, demo_server, features):
    with phone(browser, demo_server, at=NIGHT) as page:
        open_finder(page, demo_server.url + "/stations/")
        chips = form(page).locator(".quick-filters")
        assert chips.is_visible() and not page.locator("#filters").get_attribute("open")
        form(page).get_by_label("营业中", exact=True).check()
        want = expected_matches(features, open_at=NIGHT)
        assert set(listed(page)) == want
        count = page.locator("#result-count")
        assert count.get_attribute("aria-live") == "polite"
        assert count.inner_text() == f"符合条件的共 {len(want)} 个。"
        form(page).get_by_label("爱心驿站", exact=True).uncheck()
        assert set(listed(page)) == want - expected_matches(features, {"care-station"})


def test_the_address_bar_never_holds_a_precise_position(browser, demo_server):
    with phone(browser, demo_server, LONGGANG, at=NIGHT) as page:
        seen = []
        page.on("framenavigated", lambda frame: seen.append(frame.url))
        open_finder(page, demo_server.url + "/stations/")
        near_me(page)
        seen.append(page.url)
        page.get_by_role("radio", name="骑行").check()
        form(page).get_by_label("营业中", exact=True).check()
        seen.append(page.url)
        page.get_by_role("button", name="分享此视图").click()
        seen.append(page.url)
        assert "near=22.720,114.247" in page.url
        assert all(at_most_3_decimals(url) for url in seen)
    # A link with a precise position (as older versions wrote) is rounded when shown again.
    with phone(browser, demo_server, at=NIGHT) as page:
        open_finder(page, demo_server.url + "/stations/#near=22.72030,114.24670&open=1")
        page.get_by_role("button", name="分享此视图").click()
        assert "near=22.720,114.247" in page.url and at_most_3_decimals(page.url)


def test_home_at_night_lists_the_nearest_usable_first_in_view(browser, demo_server, features):
    with phone(browser, demo_server, LONGGANG, at=NIGHT) as page:
        open_finder(page, demo_server.url + "/")
        near_me(page)
        assert listed(page) == ranking(features, LONGGANG, NIGHT, 3)
        assert in_view(page, "#results .result")
        rows_carry_a_trip(page, features, "步行")
        assert at_most_3_decimals(page.url)


def expected_matches(features, types=None, amenities=(), street=None, open_at=None):
    out = []
    for f in features:
        p = f["properties"]
        if types and p["type"] not in types:
            continue
        if not set(amenities) <= set(p["amenities"]):
            continue
        if street and p["street"] != street:
            continue
        if open_at and open_state(parse_hours(p["hours"]), open_at) == "closed":
            continue
        out.append(f["id"])
    return set(out)


def test_filters_narrow_the_list_and_the_map(browser, demo_server, features):
    with phone(browser, demo_server) as page:
        open_finder(page, demo_server.url + "/stations/")
        page.locator("#filters summary").click()
        for label in ("职工之家", "爱心妈妈小屋", "律师驻点", "职工文化宫"):
            form(page).get_by_label(label, exact=True).uncheck()  # leaves 爱心驿站
        form(page).get_by_label("充电", exact=True).check()
        form(page).get_by_label("热饭", exact=True).check()
        want = expected_matches(features, {"care-station"}, ("charging", "food-heating"))
        assert 0 < len(want) < len(features)
        assert set(listed(page)) == want
        assert page.locator("#result-count").inner_text().startswith(f"符合条件的共 {len(want)} 个")
        page.locator("select[name=street]").select_option("bantian")
        want = expected_matches(features, {"care-station"}, ("charging", "food-heating"), "bantian")
        assert set(listed(page)) == want
        hash_ = page.evaluate("location.hash")
        assert "type=care-station" in hash_ and "amenity=" in hash_ and "street=bantian" in hash_


def test_open_now_filter_uses_shanghai_time(browser, demo_server, features):
    import datetime as dt

    moment = dt.datetime(2026, 11, 25, 3, 0, tzinfo=SHANGHAI)  # a Wednesday, 03:00
    with phone(browser, demo_server) as page:
        page.clock.set_fixed_time(moment)
        open_finder(page, demo_server.url + "/stations/")
        form(page).get_by_label("营业中", exact=True).check()
        want = expected_matches(features, open_at=moment)
        assert 0 < len(want) < len(features)
        assert set(listed(page)) == want
        assert set(page.locator("#results .result-state").all_inner_texts()) <= {
            "营业中",
            "即将关闭",
        }


def test_a_shared_view_keeps_the_filters_and_a_rounded_place(browser, demo_server, features):
    with phone(browser, demo_server, BANTIAN) as page:
        open_finder(page, demo_server.url + "/stations/")
        near_me(page)
        page.locator("#filters summary").click()
        form(page).get_by_label("饮水", exact=True).check()
        assert "amenity=water" in page.url and "near=" not in page.url
        page.get_by_role("button", name="分享此视图").click()
        url = page.url
        assert "near=22.640,114.055" in url and "amenity=water" in url
        assert "约 100 米" in page.locator("#finder-status").inner_text()
    with phone(browser, demo_server) as page:  # a fresh reader opening the shared link
        open_finder(page, url)
        water = [f for f in features if "water" in f["properties"]["amenities"]]
        assert listed(page) == ranking(water, (22.640, 114.055), NOON)
        assert form(page).get_by_label("饮水", exact=True).is_checked()
        assert page.locator("#results .result-distance").count() == 20


def test_a_list_tap_opens_the_right_popup(browser, demo_server):
    with phone(browser, demo_server, LONGCHENG) as page:
        open_finder(page, demo_server.url + "/stations/")
        page.get_by_role("button", name="附近的驿站").click()
        page.wait_for_selector("#results .result-distance")
        item = page.locator("#results .result").nth(2)
        name = item.locator(".result-name").inner_text()
        item.locator(".result-main").click()
        popup = page.locator(".leaflet-popup-content")
        popup.wait_for()
        assert popup.locator(".popup-name").inner_text() == name
        assert "is-active" in item.get_attribute("class")


def test_a_marker_tap_highlights_its_list_item(browser, demo_server, features):
    with phone(browser, demo_server, LONGCHENG, at=None) as page:
        open_finder(page, demo_server.url + "/stations/")
        page.get_by_role("button", name="附近的驿站").click()
        page.wait_for_selector("#results .result-distance")
        slug = listed(page)[4]
        feature = next(f for f in features if f["id"] == slug)
        # Zoom in until its marker stands alone, as a reader would, then tap it.
        page.evaluate("p => map_stations.setView(p, 19, {animate: false})", drawn(feature))
        pin = page.locator(f".leaflet-marker-icon.pin[title='{feature['properties']['name']}']")
        pin.click()
        active = page.locator("#results .result.is-active")
        assert active.evaluate_all("els => els.map(e => e.dataset.slug)") == [slug]
        assert (
            page.locator(".leaflet-popup-content .popup-name").inner_text()
            == (feature["properties"]["name"])
        )


def rgb(colour: str) -> str:
    """Return a ``#rrggbb`` colour as getComputedStyle writes it."""
    return "rgb({}, {}, {})".format(*(int(colour[i : i + 2], 16) for i in (1, 3, 5)))


def test_pins_and_swatches_show_each_types_site_yml_colour(browser, demo_server, features):
    types = load(DEMO).site.station_types
    with phone(browser, demo_server) as page:
        open_finder(page, demo_server.url + "/stations/")
        swatches = page.locator(".leaflet-control-layers .layer-swatch, #filter-form .swatch")
        swatches = swatches.evaluate_all(
            "els => els.map(e => [e.className, getComputedStyle(e).backgroundColor])"
        )
        for key, term in types.items():
            want = rgb(term.color)
            # Its toggle on the map and its filter, each with a swatch in the type's colour.
            found = [colour for name, colour in swatches if f"c-type-{key}" in name.split()]
            assert found == [want, want], key
            # A pin of the type, zoomed in until it stands alone.
            feature = next(f for f in features if f["properties"]["type"] == key)
            page.evaluate("p => map_stations.setView(p, 19, {animate: false})", drawn(feature))
            pin = page.locator(f".leaflet-marker-icon.pin[title='{feature['properties']['name']}']")
            pin.wait_for(timeout=5000)
            assert f"c-type-{key}" in pin.get_attribute("class").split()
            background, text = pin.evaluate(
                "e => [getComputedStyle(e).backgroundColor, getComputedStyle(e).color]"
            )
            assert background == want, key
            # Its glyph stays legible (WCAG AA): white on dark colours, black on light ones.
            assert text in ("rgb(255, 255, 255)", "rgb(0, 0, 0)")
            assert contrast(term.color, "#ffffff" if "255" in text else "#000000") >= 4.5, key
        assert types["care-station"].color == "#e65100"  # orange: white fails, so black
        # The list: each station's type in its colour beside its name.
        rows = page.locator("#results .result .result-meta .swatch").evaluate_all(
            "els => els.map(e => [e.className, getComputedStyle(e).backgroundColor])"
        )
        assert rows
        for name, colour in rows:
            key = name.split()[-1].removeprefix("c-type-")
            assert colour == rgb(types[key].color), name


# Stations the map draws: the numbers on its clusters plus its single pins.
ON_MAP = """() => {
  const map = document.querySelector('#finder .folium-map');
  let n = map.querySelectorAll('.leaflet-marker-icon.pin').length;
  map.querySelectorAll('.marker-cluster span').forEach(s => { n += +s.textContent; });
  return n;
}"""


def settle_on_map(page, expected: int) -> int:
    """Wait for the markers (added a slice at a time) to add up to ``expected``; return them."""
    with suppress(PlaywrightTimeout):  # on time-out the assertion shows what the map drew
        page.wait_for_function(f"n => ({ON_MAP})() === n", arg=expected, timeout=10000)
    return page.evaluate(ON_MAP)


def test_wide_map_clusters_count_every_station_once(browser, demo_server, features):
    with phone(browser, demo_server) as page:
        open_finder(page, demo_server.url + "/stations/")
        page.evaluate("map_stations.setZoom(10, {animate: false})")  # all of Longgang in view
        assert settle_on_map(page, len(features)) == len(features)
        assert 0 < page.locator("#finder .marker-cluster").count() < len(features)
        page.locator("#filters summary").click()
        for label in ("职工之家", "爱心妈妈小屋", "律师驻点", "职工文化宫"):
            form(page).get_by_label(label, exact=True).uncheck()
        care = len(expected_matches(features, {"care-station"}))
        assert settle_on_map(page, care) == care
        # A tap on a cluster zooms in to its stations, as markercluster's own clusters do.
        page.locator("#finder .marker-cluster").first.click()
        page.wait_for_function("map_stations.getZoom() > 10")


def test_close_up_map_has_a_marker_for_every_station_around_the_view(
    browser, demo_server, features
):
    with phone(browser, demo_server) as page:
        open_finder(page, demo_server.url + "/stations/")
        page.evaluate("p => map_stations.setView(p, 16, {animate: false})", drawn(features[0]))
        south, west, north, east = page.evaluate(
            """() => { const b = map_stations.getBounds().pad(0.5);
                       return [b.getSouth(), b.getWest(), b.getNorth(), b.getEast()]; }"""
        )
        around = {
            f["properties"]["name"]
            for f in features
            if south <= drawn(f)[0] <= north and west <= drawn(f)[1] <= east
        }
        page.wait_for_function(
            "n => marker_cluster_stations_cluster.getLayers().length === n", arg=len(around)
        )
        given = page.evaluate(
            "marker_cluster_stations_cluster.getLayers().map(m => m.options.title)"
        )
        assert sorted(given) == sorted(around)


def test_refused_location_shows_the_message_and_the_street_picker(browser, demo_server, features):
    with phone(browser, demo_server) as page:  # no geolocation permission
        open_finder(page, demo_server.url + "/stations/")
        page.get_by_role("button", name="附近的驿站").click()
        picker = page.locator("#street-picker")
        picker.wait_for(state="visible")
        assert "选择所在街道" in page.locator("#finder-status").inner_text()
        picker.get_by_role("button", name="南湾街道").click()
        assert set(listed(page)) == expected_matches(features, street="nanwan")
        assert "street=nanwan" in page.evaluate("location.hash")


def test_without_javascript_street_lists_reach_every_station(browser, demo_server, features):
    with phone(browser, demo_server, javascript=False) as page:
        page.goto(demo_server.url + "/stations/")
        assert not page.locator("#finder").is_visible()
        streets = page.locator("nav[aria-labelledby=by-street] a").evaluate_all(
            "els => els.map(e => e.href)"
        )
        reached = set()
        for href in streets:
            page.goto(href)
            links = page.locator("main .station-row > a").evaluate_all(
                "els => els.map(e => e.getAttribute('href'))"
            )
            reached |= {link.rstrip("/").rsplit("/", 1)[-1] for link in links}
        assert reached == {f["id"] for f in features}


MAP_DATA = "**/stations/map-data.json"


def test_home_fetches_the_data_on_the_tap_and_lists_the_3_nearest(browser, demo_server, features):
    with phone(browser, demo_server, BANTIAN) as page:
        held = []  # the map data's request, answered once the test has seen the status
        page.route(MAP_DATA, lambda route: held.append(route))
        open_finder(page, demo_server.url + "/")
        page.wait_for_load_state("networkidle")
        assert not held  # a reader who does not tap never downloads the stations
        page.get_by_role("button", name="附近的驿站").click()
        page.wait_for_function(
            "document.getElementById('finder-status').textContent === '正在查找附近的驿站…'"
        )
        assert len(held) == 1
        held[0].continue_()
        page.wait_for_selector("#results .result-distance")
        assert listed(page) == ranking(features, BANTIAN, NOON, 3)
        assert (
            page.locator("#finder-status").inner_text().startswith("营业中、对所有人开放的排在前面")
        )
        # A second tap uses the data already in.
        page.get_by_role("button", name="附近的驿站").click()
        page.wait_for_function("!document.getElementById('near-me').disabled")
        assert len(held) == 1


def test_home_says_so_when_the_data_does_not_load_and_tries_again(browser, demo_server, features):
    with phone(browser, demo_server, BANTIAN) as page:
        page.route(MAP_DATA, lambda route: route.abort())
        open_finder(page, demo_server.url + "/")
        page.get_by_role("button", name="附近的驿站").click()
        status = page.locator("#finder-status")
        page.wait_for_function(
            "document.getElementById('finder-status').textContent.startsWith('驿站数据加载失败')"
        )
        assert "按街道查看下方列表" in status.inner_text()
        assert page.locator("section.hero ul.chips a").count() >= 1  # the streets, below
        assert not page.locator("#results .result").count()
        page.unroute(MAP_DATA)
        page.get_by_role("button", name="附近的驿站").click()  # the next tap fetches it again
        page.wait_for_selector("#results .result-distance")
        assert len(listed(page)) == 3


def test_home_refused_location_points_to_the_street_lists(browser, demo_server):
    with phone(browser, demo_server) as page:  # no geolocation permission
        open_finder(page, demo_server.url + "/")
        page.get_by_role("button", name="附近的驿站").click()
        page.wait_for_function(
            "document.getElementById('finder-status').textContent.includes('按街道查找')"
        )
        assert "您没有允许本页使用位置信息" in page.locator("#finder-status").inner_text()


FUTIAN = (22.54000, 114.05500)  # south of every demo station: outside the home page's dot map


def dot_map_projection(page) -> Projection:
    """The projection the build drew the home page's dot map with (its data- attributes)."""
    found = page.locator("#dot-map").evaluate(
        "e => [e.dataset.lat0, e.dataset.lng0, e.dataset.kx, e.dataset.ky,"
        " e.viewBox.baseVal.width, e.viewBox.baseVal.height]"
    )
    return Projection(*(float(v) for v in found[:4]), *(int(v) for v in found[4:]))


def dot_map_marks(page) -> list[dict]:
    return page.locator("#dot-map .dot-map-marks circle").evaluate_all(
        "els => els.map(e => ({kind: e.getAttribute('class'), slug: e.dataset.slug || null,"
        " cx: +e.getAttribute('cx'), cy: +e.getAttribute('cy')}))"
    )


def test_home_dot_map_marks_the_reader_and_the_3_nearest(browser, demo_server, features):
    with phone(browser, demo_server, BANTIAN) as page:
        open_finder(page, demo_server.url + "/")
        assert not dot_map_marks(page)  # nothing marked before the reader shares a location
        page.get_by_role("button", name="附近的驿站").click()
        page.wait_for_selector("#results .result-distance")
        projection = dot_map_projection(page)
        marks = dot_map_marks(page)
        (you,) = [m for m in marks if m["kind"] == "dot-map-you"]
        x, y = projection.project(*BANTIAN)
        assert 0 < x < projection.width and 0 < y < projection.height
        assert (you["cx"], you["cy"]) == pytest.approx((x, y), abs=0.051)  # toFixed(1)
        # On screen too: the marker lies inside the drawn map.
        svg_box = page.locator("#dot-map").bounding_box()
        you_box = page.locator("#dot-map .dot-map-you").bounding_box()
        assert svg_box["x"] <= you_box["x"] and you_box["x"] + you_box["width"] <= (
            svg_box["x"] + svg_box["width"]
        )
        assert svg_box["y"] <= you_box["y"] and you_box["y"] + you_box["height"] <= (
            svg_box["y"] + svg_box["height"]
        )
        # A ring on each of the 3 listed stations, where the build would have put them.
        rings = [m for m in marks if m["kind"] == "dot-map-near"]
        assert [r["slug"] for r in rings] == listed(page)
        assert len(rings) == 3
        by_slug = {f["id"]: f for f in features}
        for ring in rings:
            lng, lat = by_slug[ring["slug"]]["geometry"]["coordinates"]
            assert (ring["cx"], ring["cy"]) == pytest.approx(
                projection.project(lat, lng), abs=0.051
            )


def test_home_dot_map_leaves_out_a_reader_outside_it(browser, demo_server, features):
    with phone(browser, demo_server, FUTIAN) as page:
        open_finder(page, demo_server.url + "/")
        page.get_by_role("button", name="附近的驿站").click()
        page.wait_for_selector("#results .result-distance")
        projection = dot_map_projection(page)
        assert not 0 <= projection.project(*FUTIAN)[1] <= projection.height
        marks = dot_map_marks(page)
        assert [m["kind"] for m in marks] == ["dot-map-near"] * 3
        nearest = ranking(features, FUTIAN, NOON, 3)
        assert [m["slug"] for m in marks] == nearest == listed(page)


def test_home_dot_map_without_javascript_is_a_link_to_the_stations(browser, demo_server):
    with phone(browser, demo_server, javascript=False) as page:
        page.goto(demo_server.url + "/")
        figure = page.get_by_role("img", name=re.compile(r"^服务阵地分布示意图：共 \d+ 个站点"))
        assert figure.is_visible()
        assert figure.bounding_box()["width"] >= 300
        figure.click()
        page.wait_for_url(demo_server.url + "/stations/")


def test_map_libraries_are_fetched_once_by_their_preloads(browser, demo_server):
    """The page's preloads fetch Leaflet and its plugin without running them before the first
    paint; the script elements the finder makes after it use those downloads."""
    with phone(browser, demo_server, at=None) as page:
        open_finder(page, demo_server.url + "/stations/")
        page.wait_for_function("performance.getEntriesByName('yizhan:map').length > 0")
        scripts = json.loads(page.locator("#finder-config").text_content())["scripts"]
        fetched = page.evaluate(
            """(scripts) => scripts.map((src) => performance.getEntriesByType('resource')
                 .filter((e) => new URL(e.name).pathname === src).map((e) => e.initiatorType))""",
            scripts,
        )
        ran = page.evaluate("typeof L !== 'undefined' && typeof L.markerClusterGroup")
    assert len(scripts) == 2
    assert fetched == [["link"], ["link"]]
    assert ran == "function"


def test_without_leaflet_the_list_and_near_me_still_work(browser, demo_server, features):
    """Leaflet's files failing to load leaves no map, and the finder works without it."""
    with phone(browser, demo_server, BANTIAN) as page:
        page.route(re.compile(r"/static/vendor/leaflet"), lambda route: route.abort())
        errors: list[str] = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        open_finder(page, demo_server.url + "/stations/")
        assert page.locator("#results .result").count() > 0
        page.get_by_role("button", name="附近的驿站").click()
        page.wait_for_selector("#results .result-distance")
        by_slug = {f["id"]: f for f in features}
        got = [distance(by_slug[s], BANTIAN) for s in listed(page)]
        assert len(got) == 20 and got == sorted(got)
        assert page.evaluate("typeof L") == "undefined"
    assert errors == []


def is_stale(verified: str | None, today: dt.date, months: int = 12) -> bool:
    if not verified:
        return False
    day = dt.date.fromisoformat(verified)
    year, month = divmod(day.month - 1 + months, 12)
    limit_year, limit_month = day.year + year, month + 1
    last = calendar.monthrange(limit_year, limit_month)[1]
    return today > dt.date(limit_year, limit_month, min(day.day, last))


def test_rows_show_amenity_icons_and_flag_stale_data(browser, demo_server, features):
    with phone(browser, demo_server, LONGGANG, at=NOON) as page:
        open_finder(page, demo_server.url + "/stations/")
        near_me(page)
        by_slug = {f["id"]: f for f in features}
        stale_seen = 0
        for i, slug in enumerate(listed(page)):
            row, props = page.locator("#results .result").nth(i), by_slug[slug]["properties"]
            # Each amenity: an SVG drawing (a symbol of the page's sprite) and its name.
            names = row.locator(".result-amenities .amenity").all_inner_texts()
            assert len(names) == len(props["amenities"])
            uses = row.locator(".result-amenities use").evaluate_all(
                "els => els.map(e => e.getAttribute('href'))"
            )
            assert uses == [f"#amenity-{key}" for key in sorted(
                props["amenities"], key=list(load(DEMO).site.amenities).index
            )]  # fmt: skip
            stale = is_stale(props["verified_at"], NOON.date())
            note = row.locator(".result-stale")
            assert note.count() == int(stale)
            if stale:
                stale_seen += 1
                assert note.inner_text() == f"信息待核实（{props['verified_at']} 核实）"
        assert stale_seen  # the demo has stations last verified more than a year ago
        for key in load(DEMO).site.amenities:
            assert page.locator(f"svg.icon-sprite symbol#amenity-{key} path").count() == 1


def station_page(page, server, slug: str) -> None:
    page.goto(f"{server.url}/stations/{slug}/")
    page.wait_for_selector("#open-state:not([hidden])")


def test_the_station_page_carries_what_a_trip_needs(browser, demo_server, features):
    by_slug = {f["id"]: f for f in features}
    stale = next(
        s for s, f in by_slug.items() if is_stale(f["properties"]["verified_at"], NOON.date())
    )
    fresh = next(
        s for s, f in by_slug.items()
        if f["properties"]["verified_at"]
        and not is_stale(f["properties"]["verified_at"], NOON.date())
    )  # fmt: skip
    employees = next(s for s, f in by_slug.items() if f["properties"]["access"] == "employees")
    with phone(browser, demo_server, at=NIGHT) as page:
        station_page(page, demo_server, stale)
        props = by_slug[stale]["properties"]
        expected_state = open_state(parse_hours(props["hours"]), NIGHT)
        assert page.locator("#open-state").inner_text() == {
            "open": "营业中", "closing": "即将关闭", "closed": "已关闭"
        }[expected_state]  # fmt: skip
        assert re.search(
            r"营业至|开门|24小时开放|暂停开放", page.locator("#open-next").inner_text()
        )
        note = page.locator("#stale-note")
        assert note.is_visible() and note.inner_text() == "信息待核实"
        assert page.locator("a.nav-tel").get_attribute("href").startswith("tel:")
        # Amenities are SVG drawings beside their names: no emoji.
        icons = page.locator("ul.amenities li svg.icon")
        assert icons.count() == len(props["amenities"]) > 0
        assert not re.search(
            r"[\U0001F300-\U0001FAFF\u2600-\u27BF]", page.locator("ul.amenities").inner_text()
        )
        # The way of travel chosen here (or in the finder) sets every navigation link's mode.
        for way, words in NAV_MODES.items():
            page.get_by_role("radio", name=way).check()
            hrefs = page.locator(".nav-links a[data-provider]").evaluate_all(
                "els => els.map(e => e.href)"
            )
            assert [word in href for href, word in zip(hrefs, words, strict=True)] == [True] * 3
        station_page(page, demo_server, fresh)
        assert page.get_by_role("radio", name="驾车").is_checked()  # remembered
        assert not page.locator("#stale-note").is_visible()
        station_page(page, demo_server, employees)
        assert page.locator(".badges .access-note").inner_text() == "仅限本单位职工"


def test_without_tiles_the_map_says_so_in_one_line(browser, demo_server):
    with phone(browser, demo_server, at=None) as page:  # every tile request is refused
        open_finder(page, demo_server.url + "/stations/")
        notice = page.locator(".map-box .map-notice")
        notice.wait_for()
        assert notice.inner_text() == "地图底图加载失败；站点位置和下方列表仍然可用。"
        assert page.locator("#results .result").count() == 20


def test_one_finger_scrolls_the_page_and_the_wheel_needs_ctrl(browser, demo_server):
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, locale="zh-CN", timezone_id="Asia/Shanghai",
        is_mobile=True, has_touch=True,
    )  # fmt: skip
    local = re.compile(r"^" + re.escape(demo_server.url) + r"/")
    context.route(lambda url: not local.match(url), lambda route: route.abort())
    page = context.new_page()
    try:
        open_finder(page, demo_server.url + "/stations/")
        page.wait_for_function("typeof map_stations === 'object'")
        box = page.locator("#map_stations")
        # No drag handler: the map's touch-action lets a one-finger swipe scroll the page,
        # and Leaflet's pinch handler moves and zooms the map under two fingers.
        assert box.evaluate("e => getComputedStyle(e).touchAction") == "pan-x pan-y"
        assert page.evaluate("map_stations.dragging.enabled()") is False
        assert page.evaluate("map_stations.touchZoom.enabled()") is True
    finally:
        context.close()
    with phone(browser, demo_server, at=None) as page:  # a mouse
        open_finder(page, demo_server.url + "/stations/")
        page.wait_for_function("typeof map_stations === 'object'")
        zoom = page.evaluate("map_stations.getZoom()")
        box = page.locator("#map_stations").bounding_box()
        page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
        page.mouse.wheel(0, 200)
        page.wait_for_function("scrollY > 0")  # the page scrolled; the map did not zoom
        assert page.evaluate("map_stations.getZoom()") == zoom
        box = page.locator("#map_stations").bounding_box()  # the page moved under the mouse
        page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
        page.keyboard.down("Control")
        page.mouse.wheel(0, -100)
        page.keyboard.up("Control")
        page.wait_for_function(f"map_stations.getZoom() === {zoom + 1}")


def test_a_one_finger_swipe_over_the_map_scrolls_the_page(browser, demo_server):
    """A real touch swipe (Chromium's input pipeline, through CDP): the page moves, the map
    stays where it was."""
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, locale="zh-CN", timezone_id="Asia/Shanghai",
        is_mobile=True, has_touch=True,
    )  # fmt: skip
    local = re.compile(r"^" + re.escape(demo_server.url) + r"/")
    context.route(lambda url: not local.match(url), lambda route: route.abort())
    page = context.new_page()
    try:
        open_finder(page, demo_server.url + "/stations/")
        page.wait_for_function("typeof map_stations === 'object'")
        box = page.locator("#map_stations").bounding_box()
        assert page.evaluate("scrollY") == 0 and box["y"] + box["height"] <= 844  # in view
        centre = page.evaluate("map_stations.getCenter()")
        x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] * 0.8
        cdp = context.new_cdp_session(page)

        def touch(kind: str, at_y: float) -> None:
            points = [] if kind == "touchEnd" else [{"x": x, "y": at_y, "id": 1}]
            cdp.send("Input.dispatchTouchEvent", {"type": kind, "touchPoints": points})

        touch("touchStart", y)
        for step in range(1, 11):  # 200 px upwards, as a thumb flicks the page on
            touch("touchMove", y - 20 * step)
        touch("touchEnd", y - 200)
        page.wait_for_function("scrollY >= 100", timeout=5000)
        assert page.evaluate("map_stations.getCenter()") == centre
    finally:
        context.close()


def test_find_by_place_with_pinyin_initials_without_a_location(browser, demo_server, features):
    with phone(browser, demo_server, at=NOON) as page:  # no location shared
        open_finder(page, demo_server.url + "/stations/")
        page.get_by_label(re.compile("按地点查找")).fill("bt")
        options = page.locator("#place-suggestions button")
        options.first.wait_for()
        assert "坂田街道" in options.all_inner_texts()
        page.get_by_role("button", name="坂田街道", exact=True).click()
        page.wait_for_selector("#results .result-distance")
        bantian = [f for f in features if f["properties"]["street"] == "bantian"]
        lat = sum(f["geometry"]["coordinates"][1] for f in bantian) / len(bantian)
        lng = sum(f["geometry"]["coordinates"][0] for f in bantian) / len(bantian)
        assert listed(page) == ranking(features, (lat, lng), NOON)
        assert "坂田街道" in page.locator("#finder-status").inner_text()
        assert in_view(page, "#results .result")
        assert "near=" not in page.url
        # Chinese finds communities and stations by name or address.
        page.get_by_label(re.compile("按地点查找")).fill("岗头")
        options.first.wait_for()
        assert "岗头社区" in options.all_inner_texts()


def test_the_first_view_fits_every_station(browser, demo_server, features):
    with phone(browser, demo_server, at=None) as page:
        open_finder(page, demo_server.url + "/stations/")
        page.wait_for_function("typeof map_stations === 'object'")
        points = [drawn(f) for f in features]  # AMap tiles: GCJ-02, shifted from the GeoJSON
        inside = page.evaluate(
            "ps => ps.filter(p => map_stations.getBounds().contains(p)).length", points
        )
        assert inside == len(features)
        assert settle_on_map(page, len(features)) == len(features)


def test_a_row_shows_the_entrance_photo(browser, demo_server, features):
    with phone(browser, demo_server, BANTIAN, at=NIGHT) as page:
        open_finder(page, demo_server.url + "/stations/")
        near_me(page)
        row = page.locator('#results .result[data-slug="bantian-care-02"]')
        photo = row.locator("img.result-photo")
        photo.scroll_into_view_if_needed()
        page.wait_for_function(
            "img => img.complete && img.naturalWidth > 0", arg=photo.element_handle()
        )
        assert photo.get_attribute("alt") == ""  # the row's name says what it shows
        assert photo.evaluate("img => img.currentSrc").endswith("-480.webp")
        # Beside the words, not over them.
        name = row.locator(".result-name").bounding_box()
        box = photo.bounding_box()
        assert name["x"] + name["width"] <= box["x"]
        # Every row of a station with photos has one, and no other row.
        stations = load(DEMO).entries["stations"]
        shown = page.locator("#results .result:has(.result-photo)").evaluate_all(
            "els => els.map(e => e.dataset.slug)"
        )
        assert shown == [slug for slug in listed(page) if stations[slug].photos]
