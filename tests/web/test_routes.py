"""The public app's addresses: what exists, what is a 404, and what type each file is served as."""

from __future__ import annotations

import lxml.html
import pytest

UNPUBLISHED = [
    "/news/secret-draft-plan/",
    "/news/secret-review-note/",
    "/news/secret-scheduled-notice/",
    "/activities/secret-draft-activity/",
    "/activities/secret-draft-activity/event.ics",
    "/stations/secret-draft-station/",
    "/api/v1/news/secret-draft-plan.json",
    "/api/v1/news/secret-review-note.json",
    "/api/v1/news/secret-scheduled-notice.json",
]


@pytest.mark.parametrize(
    "path",
    [
        "/news/no-such-news/",
        "/stations/no-such-station/",
        "/activities/no-such-activity/",
        "/activities/no-such-activity/event.ics",
        "/no-such-page/",
        "/api/v1/news/no-such-news.json",
        "/api/v1/schema/no-such.schema.json",
        *UNPUBLISHED,
        "/news/category/sports/",  # not in site.yml
        "/news/category/notice/",  # in site.yml, but its only news is under review
        "/news/tag/no-such-tag/",
        "/news/tag/DRAFTMARKER/",  # only a draft carries it
        "/news/tag/SCHEDULEDMARKER/",
        "/news/2024/",  # only a draft is dated 2024
        "/news/1999/",
        "/activities/brand/sports/",
        "/stations/street/futian/",
        "/stations/street/pinghu/",  # in site.yml, no live station there
        "/stations/street/longgang/",  # only the draft station is there
        "/stations/type/bath-house/",
        "/stations/type/legal-aid/",
        "/news/page/0/",
        "/news/page/4/",
        "/news/page/99/",
        "/news/category/work/page/2/",
        "/news/2026/page/3/",
        "/media/2025/missing.jpg",
        "/media/%2e%2e/site.yml",
        "/media/..%2fsite.yml",
    ],
)
def test_unknown_and_unpublished_addresses_are_404(client, path):
    assert client.get(path).status_code == 404


def test_media_of_live_entries_is_served(client):
    with client.get("/media/2025/x.jpg") as response:
        assert response.status_code == 200
        assert response.mimetype == "image/jpeg"
        assert response.get_data()[:3] == b"\xff\xd8\xff"


def with_class(cls: str) -> str:
    """Return an XPath test for an element carrying the class ``cls``."""
    return f"contains(concat(' ', normalize-space(@class), ' '), ' {cls} ')"


def cards(client, path: str) -> list[str]:
    response = client.get(path)
    assert response.status_code == 200
    tree = lxml.html.fromstring(response.data)
    return [a.get("href") for a in tree.xpath(f"//main//*[{with_class('card-title')}]/a")]


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("/news/", ["early-bird-2026", "plenary-2026", "rider-care-2026"]),
        ("/news/page/2/", ["legal-aid-2026", "skills-contest-2026", "mother-room-2026"]),
        ("/news/page/3/", ["stations-network-2025", "wage-arrears-2025"]),
        ("/news/2026/", ["early-bird-2026", "plenary-2026", "rider-care-2026"]),
        ("/news/2026/page/2/", ["legal-aid-2026", "skills-contest-2026", "mother-room-2026"]),
        ("/news/2025/", ["stations-network-2025", "wage-arrears-2025"]),
        ("/news/category/work/", ["early-bird-2026", "plenary-2026", "skills-contest-2026"]),
        ("/news/category/rights/", ["legal-aid-2026", "wage-arrears-2025"]),
        ("/news/tag/工联会/", ["early-bird-2026", "plenary-2026"]),
        (
            "/news/tag/%E5%B7%A5%E4%BC%9A%E9%A9%BF%E7%AB%99/",
            ["rider-care-2026", "mother-room-2026", "stations-network-2025"],
        ),
    ],
)
def test_lists_show_live_news_newest_first(client, path, expected):
    assert cards(client, path) == [f"/news/{slug}/" for slug in expected]


def test_pages_of_the_news_list_do_not_overlap(client):
    pages = [cards(client, p) for p in ("/news/", "/news/page/2/", "/news/page/3/")]
    flat = [href for page in pages for href in page]
    assert len(flat) == len(set(flat)) == 8


def pager(client, path: str) -> dict[str, str]:
    tree = lxml.html.fromstring(client.get(path).data)
    return {
        a.get("rel"): a.get("href") for a in tree.xpath(f"//nav[{with_class('pager')}]/a[@rel]")
    }


@pytest.mark.parametrize(
    ("path", "links"),
    [
        ("/news/", {"next": "/news/page/2/"}),
        ("/news/page/2/", {"prev": "/news/", "next": "/news/page/3/"}),
        ("/news/page/3/", {"prev": "/news/page/2/"}),
        ("/news/2026/", {"next": "/news/2026/page/2/"}),
        ("/news/2026/page/2/", {"prev": "/news/2026/"}),
        ("/news/category/work/", {}),
        ("/news/2025/", {}),
    ],
)
def test_pagination_links(client, path, links):
    assert pager(client, path) == links


def test_pager_says_which_page(client):
    tree = lxml.html.fromstring(client.get("/news/page/2/").data)
    assert tree.xpath(f"string(//nav[{with_class('pager')}]/span)") == "第 2 / 3 页"
    assert tree.findtext(".//title").startswith("新闻动态（第2页）")


@pytest.mark.parametrize(
    ("path", "mimetype"),
    [
        ("/feed.xml", "application/atom+xml"),
        ("/rss.xml", "application/rss+xml"),
        ("/sitemap.xml", "application/xml"),
        ("/robots.txt", "text/plain"),
        ("/activities/calendar.ics", "text/calendar"),
        ("/activities/open-training-2026/event.ics", "text/calendar"),
        ("/api/v1/site.json", "application/json"),
        ("/api/v1/news.json", "application/json"),
        ("/api/v1/news/plenary-2026.json", "application/json"),
        ("/api/v1/activities.json", "application/json"),
        ("/api/v1/stations.geojson", "application/geo+json"),
        ("/api/v1/schema/news-item.schema.json", "application/schema+json"),
        ("/", "text/html"),
        ("/news/plenary-2026/", "text/html"),
        ("/404.html", "text/html"),
    ],
)
def test_content_types(client, path, mimetype):
    response = client.get(path)
    assert response.status_code == 200
    assert response.mimetype == mimetype
    if mimetype.startswith("text/") or mimetype.endswith("+xml"):
        assert response.mimetype_params.get("charset") == "utf-8"


def test_404_is_a_real_page(client):
    response = client.get("/news/secret-draft-plan/")
    assert response.status_code == 404
    assert response.mimetype == "text/html"
    tree = lxml.html.fromstring(response.data)
    assert tree.get("lang") == "zh-CN"
    assert [h.text_content() for h in tree.iter("h1")] == ["页面不存在"]
    assert len(tree.findall(".//main")) == 1
    assert "DRAFTMARKER" not in response.get_data(as_text=True)


def test_404_html_is_served_for_freezing(client):
    response = client.get("/404.html")
    assert response.status_code == 200
    assert "页面不存在" in response.get_data(as_text=True)
