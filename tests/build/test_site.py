"""The built site, read file by file and through a real HTTP server, judged by real clients."""

from __future__ import annotations

import datetime as dt
import gc
import json
import os
import socket
import struct
import threading
import urllib.error
import urllib.request
import warnings
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote, unquote, urlsplit
from zoneinfo import ZoneInfo

import feedparser
import icalendar
import jsonschema
import lxml.html
import pytest
from flask import url_for
from lxml import etree
from referencing import Registry, Resource
from werkzeug.serving import make_server

from cms.content import load
from cms.public.app import THEMES, create_app
from cms.public.assets import compiled_files, fingerprinted
from cms.publish.build import build
from cms.publish.serve import StaticSite
from cms.render.caches import Caches
from tests.build.indexed import fragments, outside_index

ROOT = Path(__file__).resolve().parents[2]
DEMO = ROOT / "content"
DATA = ROOT / "tests" / "data" / "content"
SHANGHAI = ZoneInfo("Asia/Shanghai")
NOW = dt.datetime(2026, 11, 25, 12, 0, tzinfo=SHANGHAI)  # as in conftest
BASE = "https://example.org/union"
MARKERS = (
    b"DRAFTMARKER",
    b"REVIEWMARKER",
    b"SCHEDULEDMARKER",
    b"ACTIVITYMARKER",
    b"STATIONMARKER",
    b"secret-",
)
LIVE_NEWS = [
    "early-bird-2026",
    "plenary-2026",
    "rider-care-2026",
    "legal-aid-2026",
    "skills-contest-2026",
    "mother-room-2026",
    "stations-network-2025",
    "wage-arrears-2025",
]
ACTIVITIES = ["past-contest-2026", "open-training-2026", "full-care-2026", "closed-culture-2026"]


def files(root: Path) -> Iterator[Path]:
    """Yield every file of a built site (following the ``site`` link)."""
    return (p for p in sorted(root.resolve().rglob("*")) if p.is_file())


def read_text(site: Path, name: str) -> str:
    return (site / name).read_text(encoding="utf-8")


# -- the URL map --------------------------------------------------------------------------------

DATA_FILES = [
    "index.html",
    "404.html",
    "robots.txt",
    "sitemap.xml",
    "feed.xml",
    "rss.xml",
    "vocabulary.css",
    "static/"
    + fingerprinted(
        THEMES / "default/static", "css/site.css", compiled_files(THEMES / "default/static")
    ),  # site.<hash>.css
    "media/2025/x.jpg",
    "news/index.html",
    "news/page/2/index.html",
    "news/page/3/index.html",
    *[f"news/{slug}/index.html" for slug in LIVE_NEWS],
    "news/category/work/index.html",
    "news/category/service/index.html",
    "news/category/rights/index.html",
    "news/tag/工联会/index.html",
    "news/tag/产业工人/index.html",
    "news/tag/工会驿站/index.html",
    "news/tag/法律援助/index.html",
    "news/tag/新就业形态/index.html",
    "news/2025/index.html",
    "news/2026/index.html",
    "news/2026/page/2/index.html",
    "activities/index.html",
    "activities/calendar.ics",
    *[f"activities/{slug}/index.html" for slug in ACTIVITIES],
    *[f"activities/{slug}/event.ics" for slug in ACTIVITIES],
    "activities/brand/contest/index.html",
    "activities/brand/training/index.html",
    "activities/brand/care/index.html",
    "activities/brand/culture/index.html",
    "stations/index.html",
    "stations/bantian-care-01/index.html",
    "stations/nanwan-night-01/index.html",
    "stations/longcheng-home-01/index.html",
    "stations/street/bantian/index.html",
    "stations/street/nanwan/index.html",
    "stations/street/longcheng/index.html",
    "stations/type/care-station/index.html",
    "stations/type/worker-home/index.html",
    "about/index.html",
    "contact/index.html",
    "api/v1/index.html",
    "api/v1/index.json",
    "api/v1/site.json",
    "api/v1/news.json",
    "api/v1/activities.json",
    "api/v1/stations.geojson",
    *[f"api/v1/news/{slug}.json" for slug in LIVE_NEWS],
    *[
        f"api/v1/schema/{name}.schema.json"
        for name in ("index", "site", "news-index", "news-item", "activities", "stations")
    ],
]


@pytest.mark.parametrize("name", DATA_FILES)
def test_every_address_of_the_test_site_is_a_file(data_site, name):
    assert (data_site / name).is_file()


@pytest.mark.parametrize(
    "name",
    [
        "news/page/4/index.html",
        "news/2024/index.html",
        "news/category/notice/index.html",
        "news/tag/DRAFTMARKER",
        "stations/street/longgang",
        "news/page/1/index.html",
        "activities/past/index.html",
    ],
)
def test_pages_without_content_are_not_written(data_site, name):
    assert not (data_site / name).exists()


def demo_expected_files() -> list[str]:
    """Return the files the URL map promises for the demo content at NOW."""
    content = load(DEMO)
    site = content.site
    news = content.live("news", NOW)
    activities = content.live("activities", NOW)
    stations = content.live("stations", NOW)
    pages = content.live("pages", NOW)

    def paged(prefix: str, count: int) -> list[str]:
        total = -(-count // site.news_per_page)
        return [f"{prefix}index.html"] + [
            f"{prefix}page/{n}/index.html" for n in range(2, total + 1)
        ]

    out = [
        "index.html",
        "404.html",
        "robots.txt",
        "sitemap.xml",
        "feed.xml",
        "rss.xml",
        "activities/index.html",
        "activities/calendar.ics",
        "stations/index.html",
        "numbers/index.html",
        "api/v1/index.html",
        "api/v1/index.json",
        "api/v1/site.json",
        "api/v1/news.json",
        "api/v1/activities.json",
        "api/v1/stations.geojson",
    ]
    out += paged("news/", len(news))
    for key in {n.category for n in news}:
        out += paged(f"news/category/{key}/", sum(n.category == key for n in news))
    for tag in {t for n in news for t in n.tags}:
        out += paged(f"news/tag/{tag}/", sum(tag in n.tags for n in news))
    for year in {n.date.astimezone(SHANGHAI).year for n in news}:
        out += paged(f"news/{year}/", sum(n.date.astimezone(SHANGHAI).year == year for n in news))
    out += [f"news/{n.slug}/index.html" for n in news]
    out += [f"api/v1/news/{n.slug}.json" for n in news]
    out += [f"activities/{a.slug}/index.html" for a in activities]
    out += [f"activities/{a.slug}/event.ics" for a in activities]
    out += [f"activities/brand/{key}/index.html" for key in {a.brand for a in activities}]
    out += [f"stations/{s.slug}/index.html" for s in stations]
    out += [f"stations/street/{key}/index.html" for key in {s.street for s in stations}]
    out += [f"stations/type/{key}/index.html" for key in {s.type for s in stations}]
    out += [f"{p.slug}/index.html" for p in pages]
    out += [n.cover for n in news if n.cover]
    return sorted(set(out))


def test_every_address_of_the_demo_site_is_a_file(demo_site):
    missing = [name for name in demo_expected_files() if not (demo_site / name).is_file()]
    assert missing == []
    assert (demo_site / "about/index.html").is_file()
    assert (demo_site / "news/page/2/index.html").is_file()
    assert any((demo_site / "news/tag").iterdir())


def test_schema_files_are_served_from_the_site(demo_site):
    for schema in (demo_site / "api/v1/schema").iterdir():
        jsonschema.Draft202012Validator.check_schema(json.loads(schema.read_bytes()))


def test_a_build_app_makes_the_same_addresses_as_a_plain_one():
    """The build's app makes each address once; what it gives is what Flask makes."""
    asks = [
        ("public.news_detail", {"slug": "plenary-2026"}),
        ("public.news_tag", {"tag": "工联会"}),
        ("static", {"filename": "css/site.css"}),
        ("exports.atom", {}),
        ("public.news_detail", {"slug": "plenary-2026", "_external": True}),
        ("public.news_detail", {"slug": "plenary-2026", "_anchor": "正文"}),
    ]
    made = {}
    for remember in (False, True):
        app = create_app(DATA, now=NOW, caches=Caches(remember_urls=remember))
        with app.test_request_context("/", base_url="https://gonghui.example.org/union/"):
            made[remember] = [url_for(e, **v) for e, v in asks for _ in range(2)]
    assert made[True] == made[False]
    assert made[True][:2] == ["/union/news/plenary-2026/"] * 2
    assert made[True][8] == "https://gonghui.example.org/union/news/plenary-2026/"


# -- over HTTP ----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def http_site(data_site) -> Iterator[str]:
    """Serve the built test site under /union/ on a free loopback port."""
    server = make_server("127.0.0.1", 0, StaticSite(data_site, prefix="/union"))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/union"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)


def fetch(url: str) -> tuple[int, dict[str, str], bytes]:
    request = urllib.request.Request(url)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        with error:
            return error.code, dict(error.headers), error.read()


@pytest.mark.parametrize(
    ("path", "content_type"),
    [
        ("/", "text/html; charset=utf-8"),
        ("/news/page/2/", "text/html; charset=utf-8"),
        ("/news/tag/" + quote("工联会") + "/", "text/html; charset=utf-8"),
        ("/feed.xml", "application/atom+xml; charset=utf-8"),
        ("/rss.xml", "application/rss+xml; charset=utf-8"),
        ("/sitemap.xml", "application/xml; charset=utf-8"),
        ("/robots.txt", "text/plain; charset=utf-8"),
        ("/activities/calendar.ics", "text/calendar; charset=utf-8"),
        ("/activities/full-care-2026/event.ics", "text/calendar; charset=utf-8"),
        ("/api/v1/site.json", "application/json"),
        ("/api/v1/news.json", "application/json"),
        ("/api/v1/news/plenary-2026.json", "application/json"),
        ("/api/v1/activities.json", "application/json"),
        ("/api/v1/stations.geojson", "application/geo+json; charset=utf-8"),
        ("/api/v1/schema/site.schema.json", "application/schema+json"),
        (
            "/static/"
            + fingerprinted(
                THEMES / "default/static", "css/site.css", compiled_files(THEMES / "default/static")
            ),
            "text/css; charset=utf-8",
        ),
        ("/vocabulary.css", "text/css; charset=utf-8"),
        ("/media/2025/x.jpg", "image/jpeg"),
    ],
)
def test_content_types_over_http(http_site, data_site, path, content_type):
    status, headers, body = fetch(http_site + path)
    assert status == 200
    assert headers["Content-Type"] == content_type
    name = unquote(path).lstrip("/")
    name = name + "index.html" if name.endswith("/") or not name else name
    assert body == (data_site / name).read_bytes()


@pytest.mark.parametrize(
    "path", ["/news/secret-draft-plan/", "/no-such-page/", "/news/page/4/", "/../site.yml"]
)
def test_missing_pages_get_the_404_page_over_http(http_site, data_site, path):
    status, headers, body = fetch(http_site + path)
    assert status == 404
    assert headers["Content-Type"] == "text/html; charset=utf-8"
    assert body == (data_site / "404.html").read_bytes()


def test_folder_without_slash_redirects_over_http(http_site):
    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    opener = urllib.request.build_opener(NoRedirect)
    with pytest.raises(urllib.error.HTTPError) as caught:
        opener.open(http_site + "/news", timeout=10)
    with caught.value as error:
        assert error.code == 301
        assert error.headers["Location"].endswith("/union/news/")


@pytest.mark.parametrize("size", [300, 3 << 20], ids=["small", "streamed"])
def test_a_client_hanging_up_leaves_no_file_open(tmp_path, size):
    """A visitor who closes the tab mid-answer: the served file is closed, not left to the
    collector (which would warn of an unclosed file)."""
    data = os.urandom(size)
    (tmp_path / "file.bin").write_bytes(data)
    server = make_server("127.0.0.1", 0, StaticSite(tmp_path), threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            for _ in range(5):
                with socket.create_connection(("127.0.0.1", server.server_port)) as client:
                    client.sendall(b"GET /file.bin HTTP/1.1\r\nHost: x\r\n\r\n")
                    assert client.recv(16).startswith(b"HTTP/1.1 200")
                    # Hang up with a reset, as a dropped phone connection does.
                    client.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            url = f"http://127.0.0.1:{server.server_port}/file.bin"
            status, headers, body = fetch(url)
            assert (status, headers["Content-Length"], body) == (200, str(size), data)
        finally:
            server.shutdown()
            server.server_close()
            thread.join(5)
        gc.collect()
    assert [str(w.message) for w in caught if issubclass(w.category, ResourceWarning)] == []


# -- feeds, calendars, sitemap, API -------------------------------------------------------------


@pytest.mark.parametrize("name", ["feed.xml", "rss.xml"])
def test_feeds_read_cleanly_with_the_latest_news_in_order(data_site, name):
    feed = feedparser.parse((data_site / name).read_bytes())
    assert feed.bozo == 0, feed.get("bozo_exception")
    assert [e.link for e in feed.entries] == [f"{BASE}/news/{slug}/" for slug in LIVE_NEWS]
    assert feed.feed.link == f"{BASE}/"


def body_links(html: str) -> list[str]:
    tree = lxml.html.fragment_fromstring(html, create_parent="div")
    return [ref for _, _, ref, _ in tree.iterlinks()]


PLENARY_LINKS = [
    f"{BASE}/stations/bantian-care-01/",
    f"{BASE}/activities/open-training-2026/",
    f"{BASE}/media/2025/x.jpg",
]


@pytest.mark.parametrize("name", ["feed.xml", "rss.xml"])
def test_feed_bodies_link_to_the_published_addresses(data_site, name):
    feed = feedparser.parse((data_site / name).read_bytes())
    plenary = feed.entries[1]
    assert plenary.title == "区总工会召开全体（扩大）会议"
    html = plenary.content[0].value if "content" in plenary else plenary.description
    assert body_links(html) == PLENARY_LINKS


def test_api_news_html_links_to_the_published_addresses(data_site):
    doc = json.loads((data_site / "api/v1/news/plenary-2026.json").read_bytes())
    assert body_links(doc["html"]) == PLENARY_LINKS


@pytest.mark.parametrize("name", ["feed.xml", "rss.xml"])
def test_demo_feeds_hold_the_newest_published_news(demo_site, name):
    content = load(DEMO)
    expected = content.live("news", NOW)[: content.site.feed_size]
    feed = feedparser.parse((demo_site / name).read_bytes())
    assert feed.bozo == 0, feed.get("bozo_exception")
    assert [e.link for e in feed.entries] == [
        content.site.url(f"/news/{n.slug}/") for n in expected
    ]


def events(data: bytes) -> dict[str, icalendar.Event]:
    calendar = icalendar.Calendar.from_ical(data)
    return {str(e["UID"]): e for e in calendar.walk("VEVENT")}


def test_calendar_holds_every_published_activity_at_the_right_instant(data_site):
    content = load(DATA)
    found = events((data_site / "activities/calendar.ics").read_bytes())
    assert sorted(found) == sorted(f"{slug}@example.org" for slug in ACTIVITIES)
    for slug in ACTIVITIES:
        activity = content.get("activities", slug)
        event = found[f"{slug}@example.org"]
        assert event["DTSTART"].dt == activity.starts_at
        assert event["DTEND"].dt == activity.ends_at
        assert event["DTSTART"].params["TZID"] == "Asia/Shanghai"
        assert event["DTEND"].params["TZID"] == "Asia/Shanghai"
        assert str(event["URL"]) == f"{BASE}/activities/{slug}/"


def test_utc_activity_is_written_in_shanghai_time(data_site):
    text = read_text(data_site, "activities/open-training-2026/event.ics")
    assert "DTSTART;TZID=Asia/Shanghai:20261210T090000" in text
    assert "BEGIN:VTIMEZONE" in text and "TZID:Asia/Shanghai" in text


@pytest.mark.parametrize("slug", ACTIVITIES)
def test_each_event_file_holds_its_one_activity(data_site, slug):
    found = events((data_site / f"activities/{slug}/event.ics").read_bytes())
    assert list(found) == [f"{slug}@example.org"]


def test_demo_calendar_reads_in_icalendar(demo_site):
    content = load(DEMO)
    found = events((demo_site / "activities/calendar.ics").read_bytes())
    live = content.live("activities", NOW)
    assert len(found) == len(live)
    host = urlsplit(content.site.base_url).hostname
    for activity in live:
        event = found[f"{activity.slug}@{host}"]
        assert event["DTSTART"].dt == activity.starts_at
        assert event["DTSTART"].params["TZID"] == "Asia/Shanghai"


def sitemap_locs(site: Path) -> list[str]:
    tree = etree.parse(str(site / "sitemap.xml"))
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    assert tree.getroot().tag == "{http://www.sitemaps.org/schemas/sitemap/0.9}urlset"
    return tree.xpath("//s:url/s:loc/text()", namespaces=ns)


@pytest.mark.parametrize(
    ("fixture", "base"), [("data_site", BASE + "/"), ("demo_site", "https://gonghui.example.org/")]
)
def test_sitemap_lists_every_page_and_only_pages_that_exist(request, fixture, base):
    site = request.getfixturevalue(fixture)
    locs = sitemap_locs(site)
    assert len(locs) == len(set(locs))
    listed = set()
    for loc in locs:
        assert loc.startswith(base)
        name = unquote(loc[len(base) :])
        name = name + "index.html" if name.endswith("/") or not name else name
        assert (site / name).is_file(), loc
        listed.add(name)
    pages = {p.relative_to(site.resolve()).as_posix() for p in files(site) if p.suffix == ".html"}
    # Old addresses of renamed entries only send readers on (修改网址): not in the sitemap.
    moved = {p for p in pages if 'http-equiv="refresh"' in read_text(site, p)}
    assert listed == pages - {"404.html", "search/index.html"} - moved


def test_robots_names_the_sitemap(data_site):
    assert read_text(data_site, "robots.txt").endswith(f"Sitemap: {BASE}/sitemap.xml\n")


SCHEMA_OF = {
    "api/v1/index.json": "index",
    "api/v1/site.json": "site",
    "api/v1/news.json": "news-index",
    "api/v1/activities.json": "activities",
    "api/v1/stations.geojson": "stations",
}


@pytest.mark.parametrize("fixture", ["data_site", "demo_site"])
def test_every_api_file_matches_its_published_schema(request, fixture):
    site = request.getfixturevalue(fixture)
    schemas = {
        p.name.removesuffix(".schema.json"): json.loads(p.read_bytes())
        for p in (site / "api/v1/schema").glob("*.schema.json")
    }
    registry = Registry().with_resources(
        (schema["$id"], Resource.from_contents(schema)) for schema in schemas.values()
    )
    checked = []
    for path in files(site / "api/v1"):
        name = path.relative_to(site.resolve()).as_posix()
        if name.startswith("api/v1/schema/") or name.endswith(".html"):
            continue
        schema_name = SCHEMA_OF.get(name) or (
            "news-item" if name.startswith("api/v1/news/") else None
        )
        assert schema_name, f"{name} has no schema"
        validator = jsonschema.Draft202012Validator(
            schemas[schema_name],
            registry=registry,
            format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER,
        )
        validator.validate(json.loads(path.read_bytes()))
        checked.append(name)
    assert len(checked) >= 5


def test_api_lists_only_live_news_in_order(data_site):
    doc = json.loads((data_site / "api/v1/news.json").read_bytes())
    assert doc["count"] == 8
    assert [item["slug"] for item in doc["items"]] == LIVE_NEWS
    assert doc["items"][0]["url"] == f"{BASE}/news/early-bird-2026/"


def test_api_activities_carry_their_state(data_site):
    doc = json.loads((data_site / "api/v1/activities.json").read_bytes())
    assert {i["slug"]: i["state"] for i in doc["items"]} == {
        "past-contest-2026": "ended",
        "open-training-2026": "open",
        "full-care-2026": "full",
        "closed-culture-2026": "closed",
    }
    training = next(i for i in doc["items"] if i["slug"] == "open-training-2026")
    assert training["starts_at"] == "2026-12-10T09:00:00+08:00"


def test_geojson_is_longitude_first(data_site):
    doc = json.loads((data_site / "api/v1/stations.geojson").read_bytes())
    coordinates = {f["id"]: f["geometry"]["coordinates"] for f in doc["features"]}
    assert coordinates == {
        "bantian-care-01": [114.04935, 22.63762],
        "longcheng-home-01": [114.247, 22.72],
        "nanwan-night-01": [114.14, 22.615],
    }


def test_demo_geojson_points_are_in_longgang(demo_site):
    doc = json.loads((demo_site / "api/v1/stations.geojson").read_bytes())
    assert doc["type"] == "FeatureCollection"
    assert len(doc["features"]) == len(load(DEMO).live("stations", NOW))
    for feature in doc["features"]:
        lng, lat = feature["geometry"]["coordinates"]
        assert 113.9 < lng < 114.5 and 22.5 < lat < 22.9, feature["id"]


# -- what must never be published ---------------------------------------------------------------


def all_bytes(site: Path) -> Iterator[tuple[str, bytes]]:
    """Yield (name, bytes) of every file; calendars are unfolded so no word is split."""
    for path in files(site):
        data = path.read_bytes()
        if path.suffix == ".ics":
            data = data.replace(b"\r\n ", b"")
        yield path.relative_to(site.resolve()).as_posix(), data


def test_unpublished_test_entries_appear_in_no_file(data_site):
    leaks = [
        (name, marker)
        for name, data in all_bytes(data_site)
        for marker in MARKERS
        if marker in data or marker.decode() in name
    ]
    assert leaks == []


def test_unpublished_demo_entries_appear_in_no_file(demo_site):
    content = load(DEMO)
    hidden = [
        e for entries in content.entries.values() for e in entries.values() if not e.is_live(NOW)
    ]
    slugs = {e.slug for e in hidden}
    assert {"draft-work-plan-2027", "scheduled-labour-day-2027", "draft-station-test"} <= slugs
    words = [w.encode() for e in hidden for w in (e.slug, e.title_text)]
    leaks = [
        (name, word.decode())
        for name, data in all_bytes(demo_site)
        for word in words
        if word in data or word.decode() in name
    ]
    assert leaks == []


# -- links under a sub-path ---------------------------------------------------------------------


def test_every_internal_link_carries_the_sub_path(data_site):
    wrong = []
    for name, data in all_bytes(data_site):
        if not name.endswith(".html"):
            continue
        tree = lxml.html.fromstring(data)
        for element, attribute, ref, _ in tree.iterlinks():
            if ref.startswith(("/union/", "#", "https://", "http://", "mailto:", "tel:")):
                continue
            wrong.append((name, element.tag, attribute, ref))
    assert wrong == []


def test_absolute_urls_carry_the_sub_path(data_site):
    text = read_text(data_site, "news/stations-network-2025/index.html")
    tree = lxml.html.fromstring(text)
    assert tree.xpath("//link[@rel='canonical']/@href") == [f"{BASE}/news/stations-network-2025/"]
    # Its cover is too small to share, so the share image is the site's default card.
    (image,) = tree.xpath("//meta[@property='og:image']/@content")
    assert image.startswith(f"{BASE}/media/r/share-"), image


# -- reproducible output ------------------------------------------------------------------------


def test_same_content_and_time_give_identical_bytes(data_site, tmp_path):
    build(DATA, tmp_path / "site", now=NOW)
    # Pagefind's bytes vary from run to run (tests/build/indexed.py): its index is compared
    # on what every search result shows.
    first = outside_index(dict(all_bytes(data_site)))
    second = outside_index(dict(all_bytes(tmp_path / "site")))
    assert sorted(first) == sorted(second)
    assert [name for name in first if first[name] != second[name]] == []
    assert fragments(data_site) == fragments(tmp_path / "site")
