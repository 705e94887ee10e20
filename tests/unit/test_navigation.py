"""Navigation links: each provider's URL, argument order and coordinate system, exactly."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from cms.geo.coords import wgs84_to_gcj02
from cms.maps.navigation import amap_url, baidu_url, navigation_links, tencent_url

NAME = "坂田街道岗头社区工会驿站"
Q_NAME = (
    "%E5%9D%82%E7%94%B0%E8%A1%97%E9%81%93%E5%B2%97%E5%A4%B4%E7%A4%BE%E5%8C%BA"
    "%E5%B7%A5%E4%BC%9A%E9%A9%BF%E7%AB%99"
)
LAT, LNG = 22.63762, 114.04935


def test_amap_is_longitude_first_and_wgs84_web_uri():
    assert amap_url(NAME, LAT, LNG, "gonghui.example.org") == (
        f"https://uri.amap.com/navigation?to=114.04935,22.63762,{Q_NAME}"
        "&mode=walk&coordinate=wgs84&callnative=0&src=gonghui.example.org"
    )


def test_amap_app_variant_only_changes_callnative():
    web = amap_url(NAME, LAT, LNG, "x")
    assert amap_url(NAME, LAT, LNG, "x", native=True) == web.replace("callnative=0", "callnative=1")


def test_baidu_is_latitude_first_with_wgs84_coord_type():
    assert baidu_url(NAME, LAT, LNG, "gonghui.example.org") == (
        "https://api.map.baidu.com/direction?origin=%E6%88%91%E7%9A%84%E4%BD%8D%E7%BD%AE"
        f"&destination=latlng:22.63762,114.04935%7Cname:{Q_NAME}"
        "&mode=walking&coord_type=wgs84&output=html&src=gonghui.example.org"
    )


def test_baidu_link_is_valid_in_html_and_decodes_to_the_station():
    href = baidu_url(NAME, LAT, LNG, "gonghui.example.org")
    parts = urlsplit(href)
    # "|" may not stand bare in a URL's query (the HTML checker rejects the link): it is %7C.
    assert "|" not in href and "latlng:22.63762,114.04935%7Cname:" in parts.query
    query = parse_qs(parts.query, strict_parsing=True)
    assert all(len(values) == 1 for values in query.values())
    # What Baidu reads once the query is decoded: latitude first, then the station's name.
    point, name = query["destination"][0].split("|")
    assert point == f"latlng:{LAT},{LNG}"
    assert name == f"name:{NAME}"
    assert query["coord_type"] == ["wgs84"]
    assert query["mode"] == ["walking"] and query["origin"] == ["我的位置"]
    assert f"{parts.scheme}://{parts.netloc}{parts.path}" == "https://api.map.baidu.com/direction"


def test_tencent_gets_gcj02():
    glat, glng = wgs84_to_gcj02(LAT, LNG)
    url = tencent_url(NAME, LAT, LNG, "gonghui.example.org")
    assert url == (
        f"https://apis.map.qq.com/uri/v1/routeplan?type=walk&to={Q_NAME}"
        f"&tocoord={glat:.6f},{glng:.6f}&referer=gonghui.example.org"
    )
    # The GCJ-02 point is hundreds of metres from the WGS-84 one, so this is no no-op.
    assert f"{LAT:.6f},{LNG:.6f}" not in url


def test_names_with_url_characters_are_encoded():
    url = amap_url("A&B,C|D", LAT, LNG, "s")
    assert "to=114.04935,22.63762,A%26B%2CC%7CD&" in url


def test_links_for_a_page_are_web_uris_that_work_inside_wechat():
    links = navigation_links(NAME, LAT, LNG, "s")
    assert [link.provider for link in links] == ["amap", "baidu", "tencent"]
    assert [link.label for link in links] == ["高德地图", "百度地图", "腾讯地图"]
    for link in links:
        assert link.href.startswith("https://")
        assert "callnative=1" not in link.href
    assert links[0].app_href.endswith("callnative=1&src=s")


def test_each_way_of_travel_uses_each_providers_own_word():
    modes = {}
    for mode in ("walk", "ride", "drive"):
        amap, baidu, tencent = navigation_links(NAME, LAT, LNG, "x", mode)
        modes[mode] = (
            parse_qs(urlsplit(amap.href).query)["mode"][0],
            parse_qs(urlsplit(baidu.href).query)["mode"][0],
            parse_qs(urlsplit(tencent.href).query)["type"][0],
        )
    assert modes == {
        "walk": ("walk", "walking", "walk"),
        "ride": ("ride", "riding", "bike"),
        "drive": ("car", "driving", "drive"),
    }


def test_the_finders_javascript_makes_the_same_links():
    from tests.unit.test_open_now import run_node

    geo = Path(__file__).resolve().parents[2] / "themes/default/static/js/geo.js"
    points = [(NAME, LAT, LNG), ("龙城 (1)号 *站*", 22.718, 114.251), ("x", 22.7, 114.0)]
    cases = [
        [name, lat, lng, mode] for name, lat, lng in points for mode in ("walk", "ride", "drive")
    ]
    script = """
      const geo = require(process.argv[1]);
      const cases = JSON.parse(require('fs').readFileSync(0, 'utf8'));
      const out = cases.map(c => [false, true].map(native =>
        geo.navLinks(c[0], c[1], c[2], 'gonghui.example.org', c[3], native).map(l => l.href)));
      process.stdout.write(JSON.stringify(out));
    """
    got = run_node(script, cases, geo)
    for (name, lat, lng, mode), (web, native) in zip(cases, got, strict=True):
        links = navigation_links(name, lat, lng, "gonghui.example.org", mode)
        assert web == [link.href for link in links]
        assert native[0] == links[0].app_href
