"""The built site's maps: vendored libraries only, complete map data, charts, station pages."""

from __future__ import annotations

import contextlib
import json
import re
from pathlib import Path

import lxml.html
import pytest

from cms.content import load
from cms.maps import mapview
from cms.maps.vendor import BUNDLE, BUNDLED, FILES
from cms.public.app import THEMES, create_app, site_data
from cms.public.assets import compiled_files, fingerprinted
from cms.public.stationmaps import StationMaps
from cms.publish.build import build
from cms.render.qr import qr_svg
from tests.conftest import DATA, DEMO, NOW

EXTERNAL = re.compile(r"^(https?:)?//", re.I)
# A .js or .css address on another host, wherever it appears (HTML, scripts, stylesheets).
EXTERNAL_ASSET = re.compile(r"""(https?:)?//[^\s"'()<>]+\.(js|css)\b""", re.I)
NOT_LOADED = re.compile(r"jquery|bootstrap|font-?awesome|glyphicons|awesome-markers", re.I)


def text_files(site: Path):
    for path in sorted(site.rglob("*")):
        if path.is_file() and path.suffix in {".html", ".js", ".css", ".json", ".geojson"}:
            yield path, path.read_text(encoding="utf-8")


def live_slugs(root: Path) -> set[str]:
    return {s.slug for s in load(root).live("stations", NOW)}


def test_no_output_file_loads_a_script_or_stylesheet_from_elsewhere(demo_site):
    for path, text in text_files(demo_site):
        if path.suffix == ".html":
            tree = lxml.html.fromstring(text)
            for src in tree.xpath("//script/@src"):
                assert not EXTERNAL.match(src), (path, src)
            for href in tree.xpath("//link[contains(@rel, 'stylesheet')]/@href"):
                assert not EXTERNAL.match(href), (path, href)
        assert not EXTERNAL_ASSET.search(text), (path, EXTERNAL_ASSET.search(text).group(0))


def test_folium_defaults_jquery_bootstrap_and_font_awesome_are_not_loaded(demo_site):
    for path, text in text_files(demo_site):
        if path.suffix in {".html", ".js"} and "vendor" not in path.parts:
            assert not NOT_LOADED.search(text), (path, NOT_LOADED.search(text).group(0))


def test_map_pages_use_no_inline_script_or_style(demo_site):
    for name in ("stations/index.html", "stations/bantian-care-01/index.html", "index.html"):
        tree = lxml.html.fromstring((demo_site / name).read_bytes())
        for script in tree.xpath("//script[not(@src)]"):
            assert script.get("type") in {"application/json", "application/ld+json"}, name
        assert not tree.xpath("//*[@style]"), name
        assert not tree.xpath("//style"), name


def test_vendored_libraries_are_in_the_site(demo_site):
    static = THEMES / "default/static"
    made = compiled_files(static)  # made in memory by the build, not kept in the theme
    for path in [*FILES, BUNDLE]:  # scripts and stylesheets under their content-hashed names
        assert (demo_site / "static" / fingerprinted(static, path, made)).is_file(), path
    assert not (static / BUNDLE).exists()
    # A station page names Leaflet; /stations/ leaves it to its finder, after the first paint.
    page = (demo_site / "stations/bantian-care-01/index.html").read_text()
    assert re.search(r'<script defer src="/static/vendor/leaflet/leaflet\.[0-9a-f]{12}\.js">', page)
    tree = lxml.html.fromstring((demo_site / "stations/index.html").read_bytes())
    sources = tree.xpath("//script/@src")
    assert "/stations/map.js" in sources and not [s for s in sources if "leaflet" in s]
    config = json.loads(tree.xpath("string(//script[@id='finder-config'])"))
    assert [re.sub(r"\.[0-9a-f]{12}\.js$", ".js", src) for src in config["scripts"]] == [
        "/static/vendor/leaflet/leaflet.js",
        "/static/vendor/leaflet.markercluster/leaflet.markercluster.js",
    ]
    assert all((demo_site / src.lstrip("/")).is_file() for src in config["scripts"])
    # Fetched meanwhile, at low priority, by preloads the finder's script elements then use.
    preloads = tree.xpath("//head/link[@rel='preload'][@as='script'][@fetchpriority='low']/@href")
    assert preloads == config["scripts"]


def test_map_pages_have_one_stylesheet_for_the_map(demo_site):
    """Leaflet's, markercluster's and the theme's map styles in one file (vendor/maps.css)."""
    for name in ("stations/index.html", "stations/bantian-care-01/index.html"):
        tree = lxml.html.fromstring((demo_site / name).read_bytes())
        sheets = tree.xpath("//link[@rel='stylesheet'][not(ancestor::noscript)]/@href")
        assert [re.sub(r"\.[0-9a-f]{12}\.css$", ".css", h) for h in sheets] == [
            "/static/css/site.css", "/vocabulary.css", "/static/vendor/maps.css"
        ], name  # fmt: skip
    static = THEMES / "default/static"
    bundle = demo_site / "static" / fingerprinted(static, BUNDLE, compiled_files(static))
    text = bundle.read_text()
    for part in BUNDLED:
        assert f"/*! {part} */" in text
    assert ".leaflet-pane" in text and ".marker-cluster-small" in text and ".pin{" in text
    # Leaflet's images, named relative to the bundle, are where the bundle says.
    images = re.findall(r"url\((?!#|data:)([^)]+)\)", text)
    assert "leaflet/images/layers.png" in images
    for ref in images:
        assert (bundle.parent / ref).is_file(), ref
    # Every map view's stylesheets are in it.
    from cms.public.app import create_app
    from cms.public.stationmaps import current

    app = create_app(DEMO, now=NOW)
    with app.test_request_context():
        maps = current()
        station = maps.data.stations[0]
        assert set(maps.overview().css) | set(maps.station(station).css) <= set(BUNDLED)


@pytest.mark.parametrize(
    ("fixture", "root"), [("demo_site", DEMO), ("data_site", DATA / "content")]
)
def test_map_data_has_every_published_station_and_no_other(request, fixture, root):
    site = request.getfixturevalue(fixture)
    expected = live_slugs(root)
    geojson = json.loads((site / "api/v1/stations.geojson").read_text())
    compact = json.loads((site / "stations/map-data.json").read_text())
    assert {f["id"] for f in geojson["features"]} == expected
    assert sorted(compact["columns"]["slug"]) == sorted(expected)
    assert compact["count"] == len(expected)
    everything = {s.slug for s in load(root).entries["stations"].values()}
    for hidden in everything - expected:
        for name in ("api/v1/stations.geojson", "stations/map-data.json"):
            assert hidden not in (site / name).read_text()


def test_compact_data_agrees_with_the_geojson(demo_site):
    geojson = json.loads((demo_site / "api/v1/stations.geojson").read_text())
    compact = json.loads((demo_site / "stations/map-data.json").read_text())
    columns = compact["columns"]
    by_slug = {f["id"]: f for f in geojson["features"]}
    lat = lng = 0
    for i, slug in enumerate(columns["slug"]):
        props = by_slug[slug]["properties"]
        lat, lng = lat + columns["lat"][i], lng + columns["lng"][i]  # microdegree deltas
        assert [lng / 1e6, lat / 1e6] == by_slug[slug]["geometry"]["coordinates"]
        assert columns["name"][i] == props["name"]
        assert compact["types"][columns["type"][i]] == props["type"]
        assert compact["streets"][columns["street"][i]] == props["street"]
        assert compact["hours"][columns["hours"][i]] == props["hours"]
        mask = columns["amenities"][i]
        have = {a for n, a in enumerate(compact["amenities"]) if mask & (1 << n)}
        assert have == set(props["amenities"])


def test_station_map_scripts_are_external_and_deterministic(demo_site):
    page = (demo_site / "stations/bantian-care-01/index.html").read_text()
    assert '<script defer src="/stations/bantian-care-01/map.js">' in page
    script = (demo_site / "stations/bantian-care-01/map.js").read_text()
    assert "var map_station = L.map(" in script
    assert "pin c-type-care-station" in script
    assert not re.search(r"[0-9a-f]{32}", script), "a random folium id slipped through"
    overview = (demo_site / "stations/map.js").read_text()
    assert "L.markerClusterGroup(" in overview
    assert "feature_group_type_worker_home" in overview
    assert "L.marker(" not in overview  # markers come from the map data, not one per station


TEMPLATE_NAME = "{{ range(3) | list }}{% for x in range(3) %}Q{% endfor %}{{ cycler.__init__ }}"


def test_a_station_name_that_looks_like_a_template_is_shown_as_written(content_copy, tmp_path):
    """folium renders its output a second time as a Jinja template: a name must not run."""
    station = content_copy / "stations" / "bantian-care-01.md"
    text = station.read_text(encoding="utf-8").replace("坂田全天候驿站", json.dumps(TEMPLATE_NAME))
    station.write_text(text, encoding="utf-8")
    site = tmp_path / "site"
    build(content_copy, site, now=NOW)
    script = (site / "stations/bantian-care-01/map.js").read_text(encoding="utf-8")
    assert f'"title": {json.dumps(TEMPLATE_NAME)}' in script
    assert "[0, 1, 2]" not in script and "QQQ" not in script and "<bound method" not in script


def test_folium_maps_are_what_folium_renders(monkeypatch):
    """Keeping folium's output as text changes nothing of an ordinary map."""
    app = create_app(DATA / "content", now=NOW)
    data = site_data(app)

    def views() -> list[str]:
        maps = StationMaps(data)
        with app.test_request_context("/"):
            made = [maps.overview(), *(maps.station(s) for s in data.stations)]
        return [v.script for v in made]

    ours = views()
    monkeypatch.setattr(mapview, "verbatim_output", contextlib.nullcontext)  # folium's own way
    assert views() == ours
    assert len(ours) == 1 + len(data.stations) >= 4


def test_at_a_glance_chart_is_accessible_with_numbers_in_text(demo_site):
    tree = lxml.html.fromstring((demo_site / "stations/index.html").read_bytes())
    charts = tree.xpath("//svg[@role='img']")
    assert len(charts) == 2
    for chart in charts:
        assert chart.xpath("./title/text()") and chart.xpath("./desc/text()")
    geojson = json.loads((demo_site / "api/v1/stations.geojson").read_text())
    care = sum(1 for f in geojson["features"] if f["properties"]["type"] == "care-station")
    desc = charts[0].xpath("string(./desc)")
    assert f"爱心驿站 {care} 个" in desc
    rows = tree.xpath("//table[@class='numbers'][1]//tr[th[@scope='row']]")
    numbers = {r.xpath("string(th)"): int(r.xpath("string(td)")) for r in rows}
    assert numbers["爱心驿站"] == care


def test_station_page_has_navigation_qr_and_poster(demo_site):
    tree = lxml.html.fromstring((demo_site / "stations/bantian-care-01/index.html").read_bytes())
    hrefs = tree.xpath("//ul[@class='nav-links']//a[@data-provider]/@href")
    assert [h.split("?")[0] for h in hrefs] == [
        "https://uri.amap.com/navigation",
        "https://api.map.baidu.com/direction",
        "https://apis.map.qq.com/uri/v1/routeplan",
    ]
    assert "callnative=0" in hrefs[0]  # the link as served works inside WeChat
    assert tree.xpath("//figure[@class='qr-figure']/svg/title/text()")
    assert tree.xpath("//ul[@class='nav-links']//a[starts-with(@href, 'tel:')]")  # beside 导航
    poster = lxml.html.fromstring(
        (demo_site / "stations/bantian-care-01/poster/index.html").read_bytes()
    )
    assert poster.xpath("//article[@class='poster']//svg[@class='qr']")
    assert poster.xpath("string(//h1)") == tree.xpath("string(//h1)")


def test_qr_code_encodes_the_page_address(demo_site):
    expected = qr_svg("https://gonghui.example.org/stations/bantian-care-01/", "x")
    drawn = re.search(r' d="([^"]+)"', expected).group(1)
    assert drawn in (demo_site / "stations/bantian-care-01/index.html").read_text()


@pytest.mark.parametrize(
    ("tiles", "crs", "needle"),
    [
        ("osm", "wgs84", "tile.openstreetmap.org"),
        ("amap", "gcj02", "is.autonavi.com"),
        ("tianditu\n  tianditu_key: abc123", "wgs84", "tk=abc123"),
        ("https://tiles.example.org/{z}/{x}/{y}.png", "wgs84", "tiles.example.org"),
    ],
)
def test_tile_providers_from_site_yml(content_copy, tiles, crs, needle):
    from cms.public.app import create_app

    site_yml = content_copy / "site.yml"
    site_yml.write_text(site_yml.read_text().replace("tiles: osm", f"tiles: {tiles}"))
    client = create_app(content_copy, now=NOW).test_client()
    script = client.get("/stations/map.js").get_data(as_text=True)
    assert needle in script and "attribution" in script
    compact = client.get("/stations/map-data.json").get_json()
    assert compact["crs"] == crs
    assert ("map_lat" in compact["columns"]) == (crs == "gcj02")
    if crs == "gcj02":  # markers are shifted at build, hundreds of metres in Shenzhen
        shift = abs(compact["columns"]["map_lng"][0] - compact["columns"]["lng"][0])
        assert 3000 < shift < 8000  # microdegrees


def test_compact_data_names_the_places_a_reader_may_type(demo_site):
    compact = json.loads((demo_site / "stations/map-data.json").read_text())
    places = dict(zip(compact["places"]["name"], compact["places"]["spelling"], strict=True))
    assert places["坂田街道"] == "bantian bt" and places["龙城街道"] == "longcheng lc"
    assert places["岗头社区"] == "gangtou gt"
    streets = {f["properties"]["street"] for f in json.loads(
        (demo_site / "api/v1/stations.geojson").read_text())["features"]}  # fmt: skip
    assert sum(name.endswith("街道") for name in places) == len(streets)


def test_street_details_give_every_station_its_address_phone_and_date(demo_site):
    features = json.loads((demo_site / "api/v1/stations.geojson").read_text())["features"]
    config = json.loads(
        lxml.html.fromstring((demo_site / "stations/index.html").read_bytes()).xpath(
            "string(//script[@id='finder-config'])"
        )
    )
    assert config["details"] == "/stations/details/KEY.json"
    for street in {f["properties"]["street"] for f in features}:
        doc = json.loads((demo_site / f"stations/details/{street}.json").read_text())
        mine = {f["id"]: f["properties"] for f in features if f["properties"]["street"] == street}
        # Stations with photos add thumbnails after these (tests/build/test_station_photos.py).
        assert {slug: row[:3] for slug, row in doc.items()} == {
            slug: [p["address"], p["phone"] or "", p["verified_at"] or ""]
            for slug, p in mine.items()
        }
