"""What a reader sees on the HTML pages: structure, activity states, neighbours, JSON-LD."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path
from urllib.parse import unquote, urlsplit
from zoneinfo import ZoneInfo

import lxml.html
import pytest
from flask import url_for

from cms.public.app import create_app, site_data
from cms.public.kinds import kinds_of, sitemap_pages

DATA = Path(__file__).resolve().parents[1] / "data"
NOW = dt.datetime(2026, 11, 25, 12, 0, tzinfo=ZoneInfo("Asia/Shanghai"))  # as in conftest
BASE = "https://example.org/union"


def html_paths() -> list[str]:
    """Return the path of every HTML page the site has, as the freezer lists them."""
    app = create_app(DATA / "content", now=NOW)
    with app.test_request_context():
        return [
            url_for(endpoint, **values)
            for endpoint, values, _ in sitemap_pages(kinds_of(app).values(), site_data(app))
        ]


PATHS = html_paths()


def page(client, path: str) -> lxml.html.HtmlElement:
    response = client.get(path)
    assert response.status_code == 200, path
    assert response.mimetype == "text/html"
    return lxml.html.fromstring(response.data)


def test_every_kind_of_page_is_listed():
    for path in (
        "/",
        "/news/",
        "/news/page/3/",
        "/news/plenary-2026/",
        "/activities/",
        "/activities/brand/care/",
        "/stations/",
        "/stations/street/nanwan/",
        "/stations/type/worker-home/",
        "/stations/nanwan-night-01/",
        "/about/",
        "/contact/",
        "/news/2025/",
        "/news/category/rights/",
    ):
        assert path in PATHS
    assert len(PATHS) == len(set(PATHS))


@pytest.mark.parametrize("path", PATHS)
def test_page_structure(client, path):
    tree = page(client, path)
    assert tree.get("lang") == "zh-CN"
    assert len(tree.findall(".//h1")) == 1
    assert len(tree.findall(".//main")) == 1
    canonical = tree.xpath("//link[@rel='canonical']/@href")
    assert [unquote(c) for c in canonical] == [BASE + unquote(path)]
    assert tree.findtext(".//title").strip()


def state_badges(tree: lxml.html.HtmlElement) -> dict[str, str]:
    """Map each activity card's link to the text of its state badge."""
    out = {}
    for card in tree.xpath("//article[contains(@class, 'activity-card')]"):
        href = card.xpath(".//*[contains(@class, 'card-title')]/a/@href")[0]
        out[href] = card.xpath("string(.//span[contains(@class, 'state')])")
    return out


STATES = {
    "past-contest-2026": "已结束",
    "open-training-2026": "报名中",
    "full-care-2026": "已满",
    "closed-culture-2026": "报名截止",
}


def test_activity_list_shows_each_state(client):
    badges = state_badges(page(client, "/activities/"))
    assert badges == {f"/activities/{slug}/": text for slug, text in STATES.items()}


def test_activity_list_splits_upcoming_and_past(client):
    tree = page(client, "/activities/")
    upcoming = tree.xpath("//section[@aria-labelledby='upcoming']//h3/a/@href")
    past = tree.xpath("//section[@aria-labelledby='past']//h3/a/@href")
    assert upcoming == [
        "/activities/open-training-2026/",
        "/activities/full-care-2026/",
        "/activities/closed-culture-2026/",
    ]
    assert past == ["/activities/past-contest-2026/"]


@pytest.mark.parametrize(("slug", "text"), STATES.items())
def test_activity_page_shows_its_state(client, slug, text):
    tree = page(client, f"/activities/{slug}/")
    assert tree.xpath("string(//header//span[contains(@class, 'state')])") == text


def test_activity_time_is_shown_in_shanghai_time(client):
    # The file says 01:00 UTC; readers in Shenzhen see 09:00.
    tree = page(client, "/activities/open-training-2026/")
    assert tree.xpath("string(//dl[@class='facts']//time)") == "2026年12月10日（周四）09:00–11:30"


def test_home_shows_upcoming_activities_and_latest_news(client):
    tree = page(client, "/")
    assert "/activities/past-contest-2026/" not in state_badges(tree)
    assert tree.xpath("//section[@aria-labelledby='latest-news']//h3/a/@href")[:2] == [
        "/news/early-bird-2026/",
        "/news/plenary-2026/",
    ]


def neighbours(tree: lxml.html.HtmlElement) -> dict[str, str]:
    return {a.get("rel"): a.get("href") for a in tree.xpath("//nav[@class='prev-next']//a")}


@pytest.mark.parametrize(
    ("slug", "expected"),
    [
        ("early-bird-2026", {"prev": "/news/plenary-2026/"}),
        ("plenary-2026", {"next": "/news/early-bird-2026/", "prev": "/news/rider-care-2026/"}),
        (
            "stations-network-2025",
            {"next": "/news/mother-room-2026/", "prev": "/news/wage-arrears-2025/"},
        ),
        ("wage-arrears-2025", {"next": "/news/stations-network-2025/"}),
    ],
)
def test_article_links_to_newer_and_older_news(client, slug, expected):
    assert neighbours(page(client, f"/news/{slug}/")) == expected


@pytest.mark.parametrize(
    ("slug", "related"),
    [
        # 工联会 + 产业工人: one shared tag each, so list order decides; never the draft or
        # the scheduled news, which carry 工联会 too.
        ("plenary-2026", ["early-bird-2026", "legal-aid-2026", "skills-contest-2026"]),
        ("legal-aid-2026", ["plenary-2026", "skills-contest-2026", "wage-arrears-2025"]),
        ("mother-room-2026", ["rider-care-2026", "stations-network-2025"]),
        ("early-bird-2026", ["plenary-2026"]),
    ],
)
def test_article_shows_related_news_by_shared_tags(client, slug, related):
    tree = page(client, f"/news/{slug}/")
    hrefs = tree.xpath("//section[@class='related']//a/@href")
    assert hrefs == [f"/news/{s}/" for s in related]


def test_article_body_links_point_at_public_pages(client):
    tree = page(client, "/news/plenary-2026/")
    prose = tree.xpath("//div[@class='prose']")[0]
    assert prose.xpath(".//a/@href") == [
        "/stations/bantian-care-01/",
        "/activities/open-training-2026/",
    ]
    # The image is shown through its renditions (tests/build/test_images.py checks them).
    (src,) = prose.xpath(".//img/@src")
    assert re.fullmatch(r"/media/r/[0-9a-f]{20}-64\.jpg", src), src


def test_internal_links_resolve_in_the_same_app(client):
    # Preview serves the app where it is mounted, so every link must follow request.script_root.
    checked: dict[str, int] = {}
    broken = []
    for path in PATHS:
        tree = page(client, path)
        refs = tree.xpath("//a/@href | //img/@src | //link/@href | //script/@src")
        for ref in sorted({urlsplit(r).path for r in refs if r.startswith("/")}):
            if ref not in checked:
                with client.get(ref) as response:
                    checked[ref] = response.status_code
            if checked[ref] != 200:
                broken.append(f"{path} -> {ref}")
    assert broken == []


def test_station_page_shows_hours_in_chinese(client):
    tree = page(client, "/stations/longcheng-home-01/")
    assert tree.xpath("//ul[@class='hours']/li/text()") == [
        "周一至周五：09:00–18:00",
        "周六至周日：休息",
    ]
    tree = page(client, "/stations/nanwan-night-01/")
    assert tree.xpath("//ul[@class='hours']/li/text()") == ["周一至周日：22:00–06:00（次日）"]


def jsonld(tree: lxml.html.HtmlElement) -> dict:
    scripts = tree.xpath("//script[@type='application/ld+json']")
    assert len(scripts) == 1
    return json.loads(scripts[0].text)


@pytest.mark.parametrize(
    ("path", "kind", "name_key", "name"),
    [
        ("/news/plenary-2026/", "NewsArticle", "headline", "区总工会召开全体（扩大）会议"),
        ("/activities/full-care-2026/", "Event", "name", "冬送温暖环卫工人慰问"),
        ("/stations/bantian-care-01/", "Place", "name", "坂田全天候驿站"),
    ],
)
def test_detail_pages_carry_json_ld(client, path, kind, name_key, name):
    doc = jsonld(page(client, path))
    assert doc["@context"] == "https://schema.org"
    assert doc["@type"] == kind
    assert doc[name_key] == name


def test_json_ld_of_a_station_has_its_coordinates(client):
    doc = jsonld(page(client, "/stations/bantian-care-01/"))
    assert doc["geo"] == {"@type": "GeoCoordinates", "latitude": 22.63762, "longitude": 114.04935}


def test_json_ld_of_an_event_has_the_right_instants(client):
    doc = jsonld(page(client, "/activities/open-training-2026/"))
    start = dt.datetime.fromisoformat(doc["startDate"])
    assert start == dt.datetime(2026, 12, 10, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


def test_json_ld_of_a_news_cover_is_absolute(client):
    doc = jsonld(page(client, "/news/stations-network-2025/"))
    assert doc["image"] == [f"{BASE}/media/2025/x.jpg"]


def test_title_cannot_break_out_of_json_ld(content_copy):
    evil = '会议</script><script>alert("x")</script><!--'
    path = content_copy / "news" / "plenary-2026.md"
    text = path.read_text(encoding="utf-8")
    path.write_text(
        text.replace("title: 区总工会召开全体（扩大）会议", f"title: '{evil}'"), encoding="utf-8"
    )
    client = create_app(content_copy, now=NOW).test_client()
    response = client.get("/news/plenary-2026/")
    assert response.status_code == 200
    tree = lxml.html.fromstring(response.data)
    assert len(tree.xpath("//script[not(@src)]")) == 1
    assert jsonld(tree)["headline"] == evil
    assert tree.xpath("string(//h1)") == evil
    assert b"<script>alert" not in response.data
