"""A strict Content-Security-Policy holds: the built demo site behind a real nginx running
deploy/nginx.conf, read by Chromium (zero violations) and by an HTTP client (the headers).
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from urllib.parse import urlsplit

import pytest
import requests
from lxml import html as lxml_html

from cms.content import load
from cms.maps.tiles import tiles_for
from cms.publish.build import build
from tests.browser.nginx import Served, nginx_serving
from tests.conftest import DATA, DEMO, NOW

# Every page kind of the demo site, plus pages that run the most script.
PAGES = [
    "/", "/news/", "/news/page/2/", "/news/care-stations-network-2023/", "/news/category/work/",
    "/activities/", "/activities/summer-cool-2026-bantian/", "/stations/",
    "/stations/bantian-care-02/", "/stations/bantian-care-02/poster/", "/stations/street/bantian/",
    "/about/", "/search/", "/search/?q=爱心驿站", "/numbers/", "/no-such-page/",
]  # fmt: skip
# Script elements the browser never runs (data blocks), so script-src does not apply to them.
DATA_BLOCKS = {"application/json", "application/ld+json"}
WATCH = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__violations.push([e.violatedDirective, e.blockedURI, e.sourceFile, e.lineNumber,
                            e.sample].join(" "));
});
"""
URL_ATTRIBUTES = ("href", "src", "action", "formaction", "xlink:href", "data", "poster")


@pytest.fixture(scope="module")
def served(demo_site) -> Iterator[Served]:
    with nginx_serving(demo_site) as served:
        yield served


@pytest.fixture(scope="module")
def union_served(tmp_path_factory) -> Iterator[Served]:
    """tests/data/content (base URL https://example.org/union/) behind nginx under /union/, set up
    as the top of deploy/nginx.conf tells a deployer; one more news article has the slug
    ``search``, so /union/news/search/ is a page whose address ends like the search page's."""
    content = tmp_path_factory.mktemp("union-nginx") / "content"
    shutil.copytree(DATA / "content", content)
    shutil.copy(content / "news/legal-aid-2026.md", content / "news/search.md")
    build(content, content.parent / "site", now=NOW)
    with nginx_serving(content.parent / "site", prefix="/union") as served:
        yield served


def get(served: Served, path: str, **kwargs) -> requests.Response:
    return requests.get(served.url + path, verify=str(served.certificate), timeout=10, **kwargs)


def policy(response: requests.Response) -> dict[str, list[str]]:
    header = response.headers["Content-Security-Policy"]
    parts = (part.split() for part in header.split(";") if part.strip())
    return {name: values for name, *values in parts}


def test_no_built_file_holds_inline_script_or_style(demo_site):
    checked = 0
    for path in sorted(demo_site.resolve().rglob("*")):
        if path.suffix not in (".html", ".svg") or not path.is_file():
            continue
        name = path.relative_to(demo_site.resolve()).as_posix()
        tree = lxml_html.fromstring(path.read_bytes())
        for script in tree.iter("script"):
            kind = (script.get("type") or "").strip().lower()
            assert script.get("src") or kind in DATA_BLOCKS, f"{name}: inline <script>"
            assert not script.get("src", "").strip().lower().startswith("javascript:"), name
        assert not tree.xpath("//style"), f"{name}: <style> element"
        for element in tree.iter():
            if not isinstance(element.tag, str):
                continue
            for attribute, value in element.attrib.items():
                assert not attribute.lower().startswith("on"), (
                    f"{name}: {attribute}= on {element.tag}"
                )
                assert attribute.lower() != "style", f"{name}: style= on <{element.tag}>"
                if attribute.lower() in URL_ATTRIBUTES:
                    squeezed = re.sub(r"[\s\x00-\x1f]", "", value).lower()
                    assert not squeezed.startswith("javascript:"), f"{name}: {attribute}={value}"
        checked += 1
    assert checked > 100


@pytest.mark.parametrize("path", PAGES)
def test_page_runs_without_a_csp_violation_behind_nginx(browser, served, path):
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, locale="zh-CN", timezone_id="Asia/Shanghai",
        ignore_https_errors=True, geolocation={"latitude": 22.6401, "longitude": 114.0551},
        permissions=["geolocation"],
    )  # fmt: skip
    # Map tiles: allowed by the policy, but this network has no internet; refuse them at once.
    context.route(lambda url: not url.startswith(served.url), lambda route: route.abort())
    context.add_init_script(WATCH)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(f"uncaught: {exc}"))

    def console(message) -> None:
        if message.type != "error":
            return
        where = (message.location or {}).get("url", "")
        if message.text.startswith("Failed to load resource") and (
            not where.startswith(served.url) or where == served.url + "/no-such-page/"
        ):
            return  # a refused tile, or the missing page's own 404
        errors.append(f"console: {message.text} ({where})")

    page.on("console", console)
    try:
        response = page.goto(served.url + path)
        assert response.status == (404 if path == "/no-such-page/" else 200)
        if page.locator("#finder").count():
            page.wait_for_selector("#finder[data-ready]")
            page.get_by_role("button", name="附近的驿站").click()
            page.wait_for_selector("#results li")
            page.locator("#results li").first.click()
        if "?q=" in path:  # Pagefind loads its WebAssembly and index to answer
            page.wait_for_selector(".pagefind-ui__result")
        page.wait_for_load_state("networkidle")
        violations = page.evaluate("window.__violations")
    finally:
        context.close()
    assert violations == [], f"{path}: {violations}"
    assert errors == [], f"{path}: {errors}"


def test_headers_give_the_policy_and_the_rest(served):
    home = get(served, "/")
    assert home.status_code == 200 and home.headers["Content-Type"] == "text/html; charset=utf-8"
    assert home.headers["Content-Encoding"] == "gzip"
    csp = policy(home)
    for directive in ("default-src", "script-src", "style-src", "connect-src", "base-uri",
                      "form-action"):  # fmt: skip
        assert csp[directive] == ["'self'"], directive
    assert csp["frame-ancestors"] == ["'none'"] and csp["object-src"] == ["'none'"]
    # The tile host site.yml's map uses is the only other place images come from.
    tiles = tiles_for(load(DEMO).site.map)
    tile_hosts = {
        urlsplit(url.replace("{s}", sub)).hostname for url in tiles.urls for sub in tiles.subdomains
    }
    assert set(csp["img-src"]) == {"'self'", "data:"} | {f"https://{h}" for h in tile_hosts}
    assert (
        int(re.search(r"max-age=(\d+)", home.headers["Strict-Transport-Security"])[1]) >= 31536000
    )
    assert home.headers["X-Content-Type-Options"] == "nosniff"
    assert home.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert home.headers["Cache-Control"] == "no-cache"
    # Stylesheets and scripts are named by their content hash, so they may be kept for a year.
    assets = re.findall(r'(?:href|src)="(/static/[^"]+\.(?:css|js))"', home.text)
    assert assets and all(re.search(r"\.[0-9a-f]{12}\.(css|js)$", url) for url in assets)
    for url in assets:
        response = get(served, url)
        assert response.status_code == 200, url
        assert response.headers["Cache-Control"] == "public, max-age=31536000, immutable", url
    rendition = re.search(r"/media/r/[0-9a-f]{20}-\d+\.(?:webp|jpg|png)", home.text)
    if rendition:  # image renditions are named by content hash too
        cached = get(served, rendition[0]).headers["Cache-Control"]
        assert cached == "public, max-age=31536000, immutable"
    css = get(served, next(url for url in assets if url.endswith(".css")))
    assert css.headers["Content-Type"] == "text/css; charset=utf-8"
    assert css.headers["Content-Encoding"] == "gzip"


@pytest.mark.parametrize(
    ("path", "content_type"),
    [
        ("/feed.xml", "application/atom+xml; charset=utf-8"),
        ("/rss.xml", "application/rss+xml; charset=utf-8"),
        ("/sitemap.xml", "application/xml; charset=utf-8"),
        ("/activities/calendar.ics", "text/calendar; charset=utf-8"),
        ("/api/v1/stations.geojson", "application/geo+json; charset=utf-8"),
        ("/api/v1/news.json", "application/json; charset=utf-8"),
    ],
)
def test_files_have_their_types_and_are_compressed(served, path, content_type):
    response = get(served, path)
    assert response.status_code == 200
    assert response.headers["Content-Type"] == content_type
    assert response.headers["Content-Encoding"] == "gzip"
    assert "Content-Security-Policy" in response.headers


def test_missing_page_and_plain_http(served):
    missing = get(served, "/no-such-page/")
    assert missing.status_code == 404 and "页面不存在" in missing.text
    assert policy(missing)["script-src"] == ["'self'"]
    # Search alone may compile WebAssembly (Pagefind), never eval script.
    assert policy(get(served, "/search/"))["script-src"] == ["'self'", "'wasm-unsafe-eval'"]
    plain = requests.get(served.http_url + "/news/", allow_redirects=False, timeout=10)
    assert plain.status_code == 301 and plain.headers["Location"].startswith("https://")


def test_home_page_weighs_at_most_60_kb_gzip(browser, served):
    """Everything the home page loads on a phone until the reader taps "near me", as nginx sends
    it (gzip), fits in 60 KB; the station data comes with the tap (tests/build/test_home_map.py
    weighs the page at 10,000 stations)."""
    context = browser.new_context(viewport={"width": 390, "height": 844}, ignore_https_errors=True)
    page = context.new_page()
    responses = []
    page.on("response", lambda response: responses.append(response))
    try:
        page.goto(served.url + "/")
        page.wait_for_selector("#finder[data-ready]")
        page.wait_for_load_state("networkidle")
        sizes = {r.url: r.request.sizes()["responseBodySize"] for r in responses}
    finally:
        context.close()
    assert not any("leaflet" in url for url in sizes)  # the map is on /stations/, not here
    assert not any("map-data" in url for url in sizes)  # fetched on the tap
    total = sum(sizes.values())
    assert total <= 60 * 1024, {url: size for url, size in sizes.items()}


def test_search_under_a_sub_path_finds_pages_without_a_csp_violation(browser, union_served):
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, locale="zh-CN", ignore_https_errors=True
    )
    context.add_init_script(WATCH)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(f"uncaught: {exc}"))
    page.on(
        "console", lambda message: errors.append(message.text) if message.type == "error" else None
    )
    try:
        # With a rule for /search/ at the root only, this page got the strict policy, and
        # Pagefind could not compile its WebAssembly: no results.
        page.goto(union_served.url + "/union/search/")
        page.get_by_placeholder("搜索新闻、活动、驿站").fill("欠薪")
        page.wait_for_selector(".pagefind-ui__result-title a")
        page.wait_for_load_state("networkidle")
        found = [a.get_attribute("href") for a in page.locator(".pagefind-ui__result a").all()]
        violations = page.evaluate("window.__violations")
    finally:
        context.close()
    assert "/union/news/legal-aid-2026/" in found
    assert all(href.startswith("/union/") for href in found)
    assert violations == [] and errors == []


def test_headers_under_a_sub_path_are_those_at_the_root(union_served):
    home = get(union_served, "/union/")
    assert home.status_code == 200 and home.headers["Cache-Control"] == "no-cache"
    assert policy(home)["script-src"] == ["'self'"]
    assets = re.findall(r'(?:href|src)="(/union/static/[^"]+\.(?:css|js))"', home.text)
    assert assets and all(re.search(r"\.[0-9a-f]{12}\.(css|js)$", url) for url in assets)
    for url in assets:
        response = get(union_served, url)
        assert response.status_code == 200, url
        assert response.headers["Cache-Control"] == "public, max-age=31536000, immutable", url
    rendition = re.search(r"/union/media/r/[0-9a-f]{20}-\d+\.(?:webp|jpg|png)", home.text)
    if rendition:
        cached = get(union_served, rendition[0]).headers["Cache-Control"]
        assert cached == "public, max-age=31536000, immutable"
    # WebAssembly for search, and only there: not for a page whose address ends in /search/.
    wasm = ["'self'", "'wasm-unsafe-eval'"]
    for path in ("/union/search/", "/union/search/?q=x", "/union/pagefind/pagefind-worker.js"):
        response = get(union_served, path)
        assert response.status_code == 200 and policy(response)["script-src"] == wasm, path
        assert response.headers["Cache-Control"] == "no-cache", path
    for path in ("/union/news/search/", "/union/news/", "/union/feed.xml"):
        response = get(union_served, path)
        assert response.status_code == 200 and policy(response)["script-src"] == ["'self'"], path
    assert get(union_served, "/union/feed.xml").headers["Content-Type"] == (
        "application/atom+xml; charset=utf-8"
    )
    missing = get(union_served, "/union/no-such-page/")
    assert missing.status_code == 404 and "页面不存在" in missing.text
    assert policy(missing)["script-src"] == ["'self'"]
