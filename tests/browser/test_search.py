"""Search in Chinese on the built site: Pagefind's index and UI in Chromium, under a strict CSP."""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import quote

import pytest

from cms.content import load
from cms.public.urls import entry_path
from cms.publish.build import build
from cms.publish.serve import StaticSite
from tests.browser.conftest import LiveServer, english_copy
from tests.conftest import DATA, DEMO, NOW

# No inline script, no eval: only Pagefind's WebAssembly needs 'wasm-unsafe-eval'.
POLICY = (
    "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; "
    "img-src 'self' data:; object-src 'none'; base-uri 'self'; form-action 'self'"
)
WATCH_CSP = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__violations.push(e.violatedDirective + " " + e.blockedURI);
});
"""
RESULT = ".pagefind-ui__result-inner > .pagefind-ui__result-title a"
# What the UI says once it has results, and its button for more, in each language of a site.
CHINESE = ("结果", "加载更多结果")
ENGLISH = ("result", "Load more results")


class StrictSite:
    """Serve a built site (optionally under a path) with a strict Content-Security-Policy."""

    def __init__(self, site: Path, prefix: str = ""):
        self.files = StaticSite(site, prefix=prefix)

    def __call__(self, environ, start_response):  # the WSGI signature
        def start(status, headers, exc_info=None):
            return start_response(status, [*headers, ("Content-Security-Policy", POLICY)], exc_info)

        return self.files(environ, start)


@pytest.fixture(scope="module")
def strict_server(demo_site: Path) -> Iterator[LiveServer]:
    server = LiveServer(StrictSite(demo_site))
    yield server
    server.stop()


@pytest.fixture(scope="module")
def union_server(data_site: Path) -> Iterator[LiveServer]:
    """tests/data/content (base URL https://example.org/union/) served under /union/."""
    server = LiveServer(StrictSite(data_site, prefix="/union"))
    yield server
    server.stop()


@pytest.fixture(scope="module")
def union_en_server(tmp_path_factory) -> Iterator[LiveServer]:
    """tests/data/content with site.yml's language set to English, served under /union/."""
    content = english_copy(DATA / "content", tmp_path_factory.mktemp("search-en"))
    out = content.parent / "site"
    build(content, out, now=NOW)
    server = LiveServer(StrictSite(out, prefix="/union"))
    yield server
    server.stop()


@pytest.fixture
def watched(page):
    page.add_init_script(WATCH_CSP)
    yield page
    assert page.evaluate("window.__violations || []") == []


def until(check: Callable[[], bool], timeout: float = 30.0) -> None:
    """Poll from Python: Playwright's own wait_for_function evaluates a string, which the
    strict policy forbids (and reports), so it cannot be used here."""
    deadline = time.monotonic() + timeout
    while not check():
        assert time.monotonic() < deadline, "the page never got there"
        time.sleep(0.05)


def hrefs(page) -> list[str]:
    return [a.get_attribute("href") or "" for a in page.locator(RESULT).all()]


def loaded(page) -> None:
    """Wait until every result shown has its title (each one's data loads on its own)."""
    items = page.locator(".pagefind-ui__results > li.pagefind-ui__result")
    until(
        lambda: (
            page.locator(".pagefind-ui__results .pagefind-ui__loading").count() == 0
            and page.locator(RESULT).count() == items.count()
        )
    )


def results(page, load_all: bool = False, words=CHINESE) -> list[tuple[str, str]]:
    """Wait for the results a reader sees; return (title, href) of each page found."""
    said, load_more = words
    page.locator(".pagefind-ui__message").filter(has_text=said).wait_for(timeout=30_000)
    page.locator(".pagefind-ui__results li").first.wait_for(timeout=30_000)
    loaded(page)
    more = page.get_by_role("button", name=load_more)
    while load_all and more.count():
        shown = page.locator(RESULT).count()
        more.click()
        until(lambda shown=shown: page.locator(RESULT).count() > shown)
        loaded(page)
    links = page.locator(RESULT)
    return [(a.inner_text(), a.get_attribute("href")) for a in links.all()]


def open_filter(page, name: str) -> None:
    """Open one filter group of the panel (Pagefind fills it in once the index has loaded)."""
    group = page.locator("summary.pagefind-ui__filter-name", has_text=name)
    group.wait_for(timeout=30_000)
    group.click()


def live_titles(root: Path) -> dict[str, str]:
    """{site path: title} of every live entry of a content folder, as its page shows it."""
    content = load(root)
    return {
        entry_path(entry): entry.title_text
        for kind in ("news", "activities", "stations", "pages")
        for entry in content.live(kind, NOW)
    }


@pytest.mark.parametrize("query", ["爱心驿站", "技能竞赛", "法律援助"])
def test_a_query_typed_without_spaces_finds_the_pages_named_by_it(watched, strict_server, query):
    titles = live_titles(DEMO)
    named = {path: title for path, title in titles.items() if query in title}
    assert len(named) >= 2  # the demo content has such pages, or this test proves nothing

    watched.goto(strict_server.url + "/search/")
    box = watched.get_by_placeholder("搜索新闻、活动、驿站")
    box.fill(query)  # typed as a reader types it: no spaces between the words
    first_page = results(watched)
    found = results(watched, load_all=True)

    assert watched.locator(".pagefind-ui__message").inner_text().startswith("找到")
    shown = dict((href, title) for title, href in found)
    assert {path: shown.get(path) for path in named} == named
    # Every result is a page of the site with its own title, never a list or the home page.
    assert all(titles.get(href) == title for href, title in shown.items())
    # Before "load more", the first results shown already include pages named by it.
    assert sum(query in title for title, _ in first_page) >= 2


def test_the_header_box_searches_and_the_link_can_be_shared(watched, strict_server):
    watched.set_viewport_size({"width": 1366, "height": 900})  # phones have a 搜索 link instead
    watched.goto(strict_server.url + "/")
    watched.get_by_role("searchbox", name="搜索本站").fill("法律援助")
    watched.keyboard.press("Enter")
    watched.wait_for_url("**/search/?q=*")
    found = results(watched)
    assert ("南湾街道职工法律援助工作站", "/stations/nanwan-legal-01/") in found
    # A new query typed on the page goes into the address, so reloading shows it again.
    watched.get_by_placeholder("搜索新闻、活动、驿站").fill("技能竞赛")
    until(lambda: watched.evaluate("location.search") == "?q=" + quote("技能竞赛"))
    watched.reload()
    assert ("新能源汽车维修工技能竞赛", "/activities/ev-repair-contest-2027-baolong/") in results(
        watched, load_all=True
    )


def test_a_filter_narrows_the_results_to_one_kind(watched, strict_server):
    watched.goto(strict_server.url + "/search/?q=" + quote("法律援助"))
    everything = results(watched, load_all=True)
    assert {href.split("/")[1] for _, href in everything} >= {"news", "stations"}

    open_filter(watched, "类型")
    watched.get_by_label(re.compile(r"^驿站 \(\d+\)$")).check()
    watched.locator(".pagefind-ui__message").filter(has_text="结果").wait_for()
    until(lambda: watched.locator(RESULT).count() < len(everything))
    stations = results(watched, load_all=True)
    assert stations and all(href.startswith("/stations/") for _, href in stations)
    assert set(stations) == {hit for hit in everything if hit[1].startswith("/stations/")}
    assert (
        watched.locator(".pagefind-ui__message").inner_text().startswith(f"找到 {len(stations)} 个")
    )


def test_a_query_in_the_address_shows_every_filter_group_even_when_one_list_is_late(
    watched, strict_server
):
    """On a slow network one of Pagefind's filter lists can arrive after the first results; the
    panel must still offer every group (the UI counts only the lists it has loaded)."""
    held = []

    def hold_the_first(route) -> None:
        if held:
            route.continue_()
        else:
            held.append(route)

    watched.context.route("**/*.pf_filter", hold_the_first)
    watched.goto(strict_server.url + "/search/?q=" + quote("职工"))
    for _ in range(600):  # Playwright calls (not sleep) let the route handler run
        if held:
            break
        watched.wait_for_timeout(50)
    assert held, "Pagefind never asked for a filter list"
    watched.wait_for_timeout(2_000)  # the list is on a slow network meanwhile
    held[0].continue_()
    results(watched)  # the panel is drawn with the results, from the same answer
    groups = watched.locator("summary.pagefind-ui__filter-name").all_inner_texts()
    assert sorted(groups) == sorted(["类型", "新闻分类"])


def test_news_can_be_narrowed_to_a_category(watched, strict_server):
    content = load(DEMO)
    label = content.site.news_categories["rights"].label
    rights = {entry_path(n) for n in content.live("news", NOW) if n.category == "rights"}
    watched.goto(strict_server.url + "/search/?q=" + quote("职工"))
    results(watched)
    open_filter(watched, "新闻分类")
    watched.get_by_label(re.compile(rf"^{label} \(\d+\)$")).check()
    until(lambda: bool(shown := hrefs(watched)) and set(shown) <= rights)
    found = results(watched, load_all=True)
    assert found and {href for _, href in found} <= rights


def test_search_works_under_a_sub_path(watched, union_server):
    titles = live_titles(DATA / "content")
    watched.set_viewport_size({"width": 1366, "height": 900})
    watched.goto(union_server.url + "/union/")
    watched.get_by_role("searchbox", name="搜索本站").fill("欠薪")
    watched.keyboard.press("Enter")
    watched.wait_for_url("**/union/search/?q=*")
    found = results(watched)
    assert ("律师驻点为职工讨回欠薪", "/union/news/legal-aid-2026/") in found
    assert all(href.startswith("/union/") for _, href in found)
    assert titles["/news/legal-aid-2026/"] == "律师驻点为职工讨回欠薪"
    watched.get_by_role("link", name="律师驻点为职工讨回欠薪").click()
    watched.wait_for_url("**/union/news/legal-aid-2026/")
    assert watched.locator("h1").inner_text() == "律师驻点为职工讨回欠薪"


# A query found on one page of tests/data/content and one found on several, in each language:
# Pagefind's one_result and many_results strings are the catalogue's plural forms (search.html).
@pytest.mark.parametrize(
    ("server", "words", "query", "message"),
    [
        ("union_en_server", ENGLISH, "律师", "1 result for 律师"),
        ("union_en_server", ENGLISH, "职工", "{n} results for 职工"),
        ("union_server", CHINESE, "律师", "找到 1 个与 律师 相关的结果"),
        ("union_server", CHINESE, "欠薪", "找到 {n} 个与 欠薪 相关的结果"),
    ],
)
def test_the_count_of_results_is_worded_for_its_number(
    watched, request, server, words, query, message
):
    served = request.getfixturevalue(server)
    watched.goto(served.url + "/union/search/?q=" + quote(query))
    found = results(watched, load_all=True, words=words)
    if "{n}" in message:
        assert len(found) >= 2  # several pages, or this proves nothing
    else:
        assert len(found) == 1
    assert watched.locator(".pagefind-ui__message").inner_text() == message.format(n=len(found))


def test_without_javascript_the_header_box_still_reaches_the_search_page(browser, strict_server):
    desktop = {"width": 1366, "height": 900}
    context = browser.new_context(java_script_enabled=False, viewport=desktop)
    page = context.new_page()
    page.goto(strict_server.url + "/news/")
    page.get_by_role("searchbox", name="搜索本站").fill("爱心驿站")
    page.get_by_role("button", name="搜索", exact=True).click()
    page.wait_for_url("**/search/?q=*")
    assert "q=" + quote("爱心驿站") in page.url
    assert "启用 JavaScript" in page.locator("main").inner_text()
    context.close()


@pytest.mark.parametrize("width", [320, 1366])
def test_without_javascript_the_search_page_points_to_the_lists(browser, strict_server, width):
    viewport = {"width": width, "height": 800}
    context = browser.new_context(java_script_enabled=False, viewport=viewport)
    page = context.new_page()
    page.goto(strict_server.url + "/news/")
    if width < 768:  # phones reach the search page by the header's 搜索 link
        page.locator(".site-header").get_by_role("link", name="搜索").click()
        page.wait_for_url("**/search/")
    else:
        page.goto(strict_server.url + "/search/")
    main = page.locator("main")
    assert "启用 JavaScript" in main.inner_text()
    assert main.get_by_role("link", name="服务职工").get_attribute("href") == (
        "/news/category/service/"
    )
    street = main.get_by_role("link", name="坂田")
    assert street.get_attribute("href") == "/stations/street/bantian/"
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    context.close()


@pytest.mark.parametrize("viewport", [(390, 844), (1366, 900)], ids=["390x844", "1366x900"])
def test_the_search_page_has_one_labelled_box(watched, strict_server, viewport):
    watched.set_viewport_size({"width": viewport[0], "height": viewport[1]})
    watched.goto(strict_server.url + "/search/?q=" + quote("爱心驿站"))
    results(watched)
    fields = watched.locator("input:not([type=checkbox]):not([type=radio]):not([type=hidden])")
    boxes = [b for b in fields.all() if b.is_visible()]
    assert len(boxes) == 1
    assert watched.get_by_label("搜索新闻、活动、驿站").is_visible()


def test_station_results_say_type_and_address_from_visible_text(watched, strict_server):
    watched.goto(strict_server.url + "/search/?q=" + quote("爱心驿站"))
    results(watched, load_all=True)
    station = watched.locator(".pagefind-ui__result").filter(
        has=watched.locator("a[href='/stations/bantian-care-02/']")
    )
    place = station.locator(".result-place").inner_text()
    assert place.startswith("爱心驿站 · 深圳市龙岗区坂田街道")
    # The page's hidden heading for screen readers is not what a result quotes.
    excerpts = watched.locator(".pagefind-ui__result-excerpt").all_inner_texts()
    assert excerpts and not any("到这里去" in text for text in excerpts)


def ranked(page, query: str) -> list[str]:
    page.goto(page.url.split("/search/")[0] + "/search/?q=" + quote(query))
    return [href for _, href in results(page, load_all=True)]


def test_search_ranking_over_the_demo_content(watched, strict_server):
    watched.goto(strict_server.url + "/search/")
    # The exact phrase first: every 爱心驿站 station before the 爱心妈妈小屋 pages, which hold
    # only part of it (爱心), however often.
    found = ranked(watched, "爱心驿站")
    care = [i for i, href in enumerate(found) if re.fullmatch(r"/stations/.+-care-0\d/", href)]
    mothers = [i for i, href in enumerate(found) if "mother" in href]
    assert care and mothers and max(care) < min(mothers), found
    assert found.index("/news/care-stations-network-2023/") < min(mothers)
    # A part of a name finds what it names: 妈妈 the nursing rooms, 律师 the legal-aid desks.
    found = ranked(watched, "妈妈")
    assert all("mother" in href for href in found[:5]), found
    rooms = {f"/stations/{p.stem}/" for p in (DEMO / "stations").glob("*-mother-*.md")}
    assert rooms <= set(found)
    found = ranked(watched, "律师")
    desks = {f"/stations/{p.stem}/" for p in (DEMO / "stations").glob("*-legal-*.md")}
    assert desks <= set(found)
    assert len(desks & set(found[:10])) >= 5, found
