"""Feeds, calendars, sitemap and JSON API, judged by the clients that read them."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from zoneinfo import ZoneInfo

import feedparser
import icalendar
import jsonschema
import pytest
import yaml
from lxml import etree

from cms.content.model import (
    Activity,
    Location,
    MapSettings,
    MenuItem,
    News,
    Registration,
    Site,
    Station,
    Term,
)
from cms.public import api, calendar, feeds, sitemap

ROOT = Path(__file__).resolve().parents[2]
SH = ZoneInfo("Asia/Shanghai")
PLUS8 = dt.timezone(dt.timedelta(hours=8))
NOW = dt.datetime(2021, 7, 13, 12, 0, tzinfo=SH)
VOCABULARIES = (
    "news_categories",
    "activity_brands",
    "station_types",
    "amenities",
    "access",
    "streets",
)


def load_site(base_url: str | None = None) -> Site:
    """Build the Site of the demo content/site.yml."""
    raw = yaml.safe_load((ROOT / "content" / "site.yml").read_text(encoding="utf-8"))
    vocab = {
        name: {k: Term(k, v["label"], v.get("color", "")) for k, v in raw[name].items()}
        for name in VOCABULARIES
    }
    centre = raw["map"]["center"]
    return Site(
        title=raw["title"],
        base_url=base_url or raw["base_url"],
        subtitle=raw["subtitle"],
        author=raw["author"],
        description=raw["description"],
        feed_size=2,
        map=MapSettings(centre["lat"], centre["lng"], raw["map"]["zoom"], raw["map"]["tiles"]),
        menu=[MenuItem(m["label"], m["url"]) for m in raw["menu"]],
        **vocab,
    )


@pytest.fixture
def site() -> Site:
    return load_site()


@pytest.fixture
def news() -> list[News]:
    plenary = News(
        slug="lg-union-plenary-2021",
        source="news/lg-union-plenary-2021.md",
        status="published",
        title='区总工会召开全体（扩大）会议，部署"1234"工作主线',
        date=dt.datetime(2021, 4, 9, 10, 0, tzinfo=PLUS8),
        updated=dt.datetime(2021, 4, 10, 8, 30, tzinfo=SH),
        category="work",
        tags=["工联会", "产业工人"],
        summary="一句话摘要……",
        cover="media/2021/plenary.jpg",
        author="区总工会宣传部",
    )
    riders = News(
        slug="riders-2021",
        source="news/riders-2021.md",
        status="published",
        title="外卖骑手入会 & 驿站开放",
        date=dt.datetime(2021, 3, 1, 9, 0, tzinfo=SH),
        category="service",
        summary="骑手入会。",
    )
    old = News(
        slug="old-2020",
        source="news/old-2020.md",
        title="旧闻",
        date=dt.datetime(2020, 1, 1, tzinfo=SH),
    )
    return [plenary, riders, old]


BODIES = {
    "lg-union-plenary-2021": '<p>见<a href="/news/riders-2021/">骑手</a>与<a href="#a">注</a></p>'
    '<img src="/media/2021/a.jpg" alt="会场"><a href="https://other.example/x">外链</a>',
    "riders-2021": '<p>附件 <a href="files/b.pdf">b</a> ]]&gt; end</p>',
}


def body_html(entry: News) -> str:
    return BODIES.get(entry.slug, "")


@pytest.fixture
def activities() -> list[Activity]:
    summer = Activity(
        slug="summer-cool-2021-bantian",
        source="activities/summer-cool-2021-bantian.md",
        status="published",
        title="夏送清凉·坂田街道环卫工人慰问，为一线劳动者送去清凉与关怀，欢迎各基层工会踊跃参加",
        starts_at=dt.datetime(2021, 7, 15, 9, 0, tzinfo=PLUS8),
        ends_at=dt.datetime(2021, 7, 15, 11, 30, tzinfo=PLUS8),
        updated=dt.datetime(2021, 7, 1, 18, 0, tzinfo=SH),
        brand="care",
        street="bantian",
        venue="坂田街道某工会驿站",
        station="bantian-care-01",
        summary="为环卫工人送清凉。",
        registration=Registration(
            phone="0755-12345678", deadline=dt.date(2021, 7, 12), capacity=80
        ),
    )
    contest = Activity(
        slug="skills-contest-2021",
        source="activities/skills-contest-2021.md",
        status="published",
        title="职工技能竞赛",
        starts_at=dt.datetime(2021, 9, 1, 14, 0, tzinfo=SH),
        ends_at=dt.datetime(2021, 9, 1, 17, 0, tzinfo=SH),
        brand="contest",
        street="longcheng",
        venue="龙城文化宫",
    )
    return [contest, summer]


@pytest.fixture
def stations() -> list[Station]:
    care = Station(
        slug="bantian-care-01",
        source="stations/bantian-care-01.md",
        status="published",
        name="坂田街道某社区工会驿站",
        type="care-station",
        street="bantian",
        address="深圳市龙岗区坂田街道……",
        location=Location(lat=22.63012345, lng=114.06521234),
        hours=["mon-sun 00:00-24:00"],
        amenities=["water", "food-heating", "charging"],
        phone="0755-xxxxxxxx",
        verified_at=dt.date(2021, 5, 20),
    )
    mother = Station(
        slug="buji-mother-01",
        source="stations/buji-mother-01.md",
        name="布吉爱心妈妈小屋",
        type="mother-room",
        street="buji",
        location=Location(lat=22.6043, lng=114.1187),
        access="women",
    )
    return [mother, care]


def test_atom_feed_reads_in_feedparser(site, news):
    parsed = feedparser.parse(feeds.atom_feed(site, news, body_html))
    assert parsed.bozo == 0, parsed.get("bozo_exception")
    assert parsed.version == "atom10"
    assert parsed.feed.title == "龙岗区总工会"
    assert parsed.feed.id == "https://gonghui.example.org/"
    assert parsed.feed.language == "zh-CN"
    assert {"rel": "self", "href": "https://gonghui.example.org/feed.xml"}.items() <= next(
        link for link in parsed.feed.links if link.rel == "self"
    ).items()
    assert parsed.feed.updated == "2021-04-10T08:30:00+08:00"
    assert [e.title for e in parsed.entries] == [news[0].title, news[1].title]
    first = parsed.entries[0]
    assert first.link == first.id == "https://gonghui.example.org/news/lg-union-plenary-2021/"
    assert first.published == "2021-04-09T10:00:00+08:00"
    assert first.author == "区总工会宣传部"
    assert [t.term for t in first.tags] == ["work", "工联会", "产业工人"]
    html = first.content[0].value
    assert 'href="https://gonghui.example.org/news/riders-2021/"' in html
    assert 'src="https://gonghui.example.org/media/2021/a.jpg"' in html
    assert 'href="https://gonghui.example.org/news/lg-union-plenary-2021/#a"' in html
    assert 'href="https://other.example/x"' in html


def test_rss_feed_reads_in_feedparser(site, news):
    parsed = feedparser.parse(feeds.rss_feed(site, news, body_html))
    assert parsed.bozo == 0, parsed.get("bozo_exception")
    assert parsed.version == "rss20"
    assert parsed.feed.link == "https://gonghui.example.org/"
    assert len(parsed.entries) == 2
    second = parsed.entries[1]
    assert second.title == "外卖骑手入会 & 驿站开放"
    assert second.link == "https://gonghui.example.org/news/riders-2021/"
    assert second.id == second.link
    assert second.author == "龙岗区总工会"
    assert "https://gonghui.example.org/news/riders-2021/files/b.pdf" in second.content[0].value
    assert parsed.feed.updated_parsed[:6] == (2021, 4, 10, 0, 30, 0)


def test_empty_feed_has_fixed_date(site):
    parsed = feedparser.parse(feeds.atom_feed(site, [], body_html))
    assert parsed.bozo == 0
    assert parsed.feed.updated == "1970-01-01T00:00:00+00:00"
    assert feedparser.parse(feeds.rss_feed(site, [], body_html)).bozo == 0


def test_links_honour_base_path_prefix():
    site = load_site("https://example.org/union/")
    html = feeds.absolute_html(site, '<a href="/news/x/">x</a><img src="a.jpg">', site.url("/p/"))
    assert html == (
        '<a href="https://example.org/union/news/x/">x</a>'
        '<img src="https://example.org/union/p/a.jpg">'
    )
    assert feeds.absolute_html(site, "", site.url("/")) == ""


def test_calendar_reads_in_icalendar(site, activities):
    raw = calendar.calendar_ics(site, activities)
    assert b"\r\n" in raw and b"\n" not in raw.replace(b"\r\n", b"")
    assert all(len(line) <= 75 for line in raw.split(b"\r\n"))
    cal = icalendar.Calendar.from_ical(raw)
    assert cal["VERSION"] == "2.0" and cal["PRODID"]
    assert cal["X-WR-CALNAME"] == "龙岗区总工会 工会活动"
    assert [tz["TZID"] for tz in cal.walk("VTIMEZONE")] == ["Asia/Shanghai"]
    events = cal.walk("VEVENT")
    assert [str(e["UID"]) for e in events] == [
        "summer-cool-2021-bantian@gonghui.example.org",
        "skills-contest-2021@gonghui.example.org",
    ]
    summer = events[0]
    start = summer["DTSTART"]
    assert start.params["TZID"] == "Asia/Shanghai"
    assert start.dt == activities[1].starts_at
    assert summer["DTEND"].dt == activities[1].ends_at
    assert summer["DTSTAMP"].dt == dt.datetime(2021, 7, 1, 10, 0, tzinfo=dt.UTC)
    assert summer["SUMMARY"] == activities[1].title
    assert summer["LOCATION"] == "坂田街道某工会驿站（坂田街道）"
    assert "0755-12345678" in summer["DESCRIPTION"] and "2021-07-12" in summer["DESCRIPTION"]
    assert summer["URL"] == "https://gonghui.example.org/activities/summer-cool-2021-bantian/"
    assert summer["CATEGORIES"].cats == ["关爱服务"]
    # No modified date: DTSTAMP falls back to the start, never to the clock.
    assert events[1]["DTSTAMP"].dt == dt.datetime(2021, 9, 1, 6, 0, tzinfo=dt.UTC)


def test_event_ics_holds_one_event(site, activities):
    cal = icalendar.Calendar.from_ical(calendar.event_ics(site, activities[0]))
    assert [str(e["UID"]) for e in cal.walk("VEVENT")] == [
        "skills-contest-2021@gonghui.example.org"
    ]
    assert cal.walk("VTIMEZONE")


def test_sitemap_reads_in_lxml(site, news):
    pages = [
        ("/news/", None),
        ("/", news[0].modified),
        ("/news/riders-2021/", dt.datetime(2021, 3, 1, 9, 0)),  # naive: site time zone
    ]
    root = etree.fromstring(sitemap.sitemap_xml(site, pages))
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    assert root.tag == "{http://www.sitemaps.org/schemas/sitemap/0.9}urlset"
    locs = root.xpath("//s:loc/text()", namespaces=ns)
    assert locs == [site.url(p) for p in ("/", "/news/", "/news/riders-2021/")]
    assert all(loc.startswith("https://gonghui.example.org/") for loc in locs)
    assert root.xpath("//s:lastmod/text()", namespaces=ns) == [
        "2021-04-10T08:30:00+08:00",
        "2021-03-01T09:00:00+08:00",
    ]
    assert sitemap.sitemap_xml(site, pages).startswith(b"<?xml version='1.0' encoding='UTF-8'?>")


def test_robots_names_the_sitemap(site):
    text = sitemap.robots_txt(site).decode()
    assert "User-agent: *" in text
    assert "Sitemap: https://gonghui.example.org/sitemap.xml" in text.splitlines()


def validator(name: str) -> jsonschema.Draft202012Validator:
    schema = json.loads(api.SCHEMAS[name].read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    assert schema["$id"] == f"/api/v1/schema/{name}.schema.json"
    return jsonschema.Draft202012Validator(schema)


def api_outputs(site, news, activities, stations) -> dict[str, bytes]:
    return {
        "index": api.index_json(site),
        "site": api.site_json(site),
        "news-index": api.news_index_json(site, news),
        "news-item": api.news_json(site, news[0], body_html),
        "activities": api.activities_json(site, activities, NOW),
        "stations": api.stations_geojson(site, stations),
    }


def test_api_outputs_match_their_schemas(site, news, activities, stations):
    outputs = api_outputs(site, news, activities, stations)
    assert sorted(outputs) == sorted(api.SCHEMAS)
    for name, raw in outputs.items():
        validator(name).validate(json.loads(raw))


def test_api_content(site, news, activities, stations):
    item = json.loads(api.news_json(site, news[0], body_html))
    assert item["category"] == {"key": "work", "label": "工作动态"}
    assert item["cover"] == "https://gonghui.example.org/media/2021/plenary.jpg"
    assert item["updated"] == "2021-04-10T08:30:00+08:00"
    assert 'src="https://gonghui.example.org/media/2021/a.jpg"' in item["html"]
    index = json.loads(api.news_index_json(site, news))
    assert [i["slug"] for i in index["items"]] == [n.slug for n in news]
    assert index["items"][2]["category"] is None and index["items"][1]["cover"] is None
    acts = json.loads(api.activities_json(site, activities, NOW))["items"]
    assert [(a["slug"], a["state"]) for a in acts] == [
        ("summer-cool-2021-bantian", "closed"),
        ("skills-contest-2021", "none"),  # no registration block: nothing to register for
    ]
    assert acts[0]["registration"]["deadline"] == "2021-07-12"
    assert acts[1]["station"] is None and acts[1]["registration"] is None
    assert acts[1]["brand"] == {"key": "contest", "label": "劳动技能竞赛", "color": "#b71c1c"}
    assert "\\u" not in api.site_json(site).decode()


def test_geojson_is_longitude_first(site, stations):
    doc = json.loads(api.stations_geojson(site, stations))
    assert doc["type"] == "FeatureCollection"
    care = doc["features"][0]
    assert care["id"] == "bantian-care-01"
    assert care["geometry"] == {"type": "Point", "coordinates": [114.065212, 22.630123]}
    props = care["properties"]
    assert props["color"] == "#e65100" and props["type_label"] == "爱心驿站"
    assert props["verified_at"] == "2021-05-20" and props["amenities"][0] == "water"
    assert doc["features"][1]["properties"]["verified_at"] is None


def test_schemas_reject_wrong_documents(site, news, stations):
    geo = json.loads(api.stations_geojson(site, stations))
    geo["features"][0]["geometry"]["coordinates"] = [22.630123, 114.065212]
    assert not validator("stations").is_valid(geo)
    item = json.loads(api.news_json(site, news[0], body_html))
    del item["html"]
    assert not validator("news-item").is_valid(item)
    item = json.loads(api.news_json(site, news[0], body_html))
    item["date"] = "2021-04-09T10:00:00"  # no offset
    assert not validator("news-item").is_valid(item)
    doc = json.loads(api.site_json(site))
    doc["secret"] = "x"
    assert not validator("site").is_valid(doc)


def test_every_output_is_deterministic(site, news, activities, stations):
    pages = [("/", news[0].modified), ("/news/", None)]

    def build() -> list[bytes]:
        return [
            feeds.atom_feed(site, news, body_html),
            feeds.rss_feed(site, news, body_html),
            calendar.calendar_ics(site, activities),
            calendar.calendar_ics(site, list(reversed(activities))),
            calendar.event_ics(site, activities[0]),
            sitemap.sitemap_xml(site, pages),
            sitemap.sitemap_xml(site, list(reversed(pages))),
            sitemap.robots_txt(site),
            *api_outputs(site, news, activities, stations).values(),
            api.stations_geojson(site, list(reversed(stations))),
        ]

    first, second = build(), build()
    assert first == second
    assert first[2] == first[3] and first[5] == first[6] and first[-1] == first[-2]
