"""Accessibility (WCAG 2.1 AA) of every page kind, judged by axe-core in Debian's Chromium.

axe-core is pinned in tests/browser/package-lock.json (``npm ci`` there; scripts/setup.sh does it
with the dev requirements) and injected into each page as a file, never from a network.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

AXE = Path(__file__).parent / "node_modules/axe-core/axe.min.js"
WCAG21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 800}
# One address of each page kind of the demo site.
PAGES = {
    "home": "/",
    "news list": "/news/",
    "article": "/news/care-stations-network-2023/",
    "activities": "/activities/",
    "activity": "/activities/summer-cool-2026-bantian/",
    "stations": "/stations/",
    "station": "/stations/bantian-care-02/",
    "search": "/search/",
    "search results": "/search/?q=爱心驿站",
    "numbers": "/numbers/",
    "contact": "/contact/",
    "accessibility": "/accessibility/",
    "api": "/api/v1/",
    "poster": "/stations/bantian-care-02/poster/",
    "404": "/no-such-page/",
}
RUN = """async (tags) => {
  const result = await axe.run(document, {runOnly: {type: "tag", values: tags}});
  return result.violations.map((v) => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.slice(0, 5).map((n) => n.target.join(" ") + " :: " + n.failureSummary),
  }));
}"""


@pytest.fixture(scope="module")
def axe_script() -> Path:
    if not AXE.is_file():
        pytest.fail(f"{AXE} is missing: (cd tests/browser && npm ci --ignore-scripts)")
    return AXE


def open_page(browser, server, path: str, viewport: dict):
    """Open ``path`` in a fresh context with every request off 127.0.0.1 (map tiles) aborted."""
    context = browser.new_context(viewport=viewport, locale="zh-CN", timezone_id="Asia/Shanghai")
    local = re.compile(r"^" + re.escape(server.url) + r"/")
    context.route(lambda url: not local.match(url), lambda route: route.abort())
    page = context.new_page()
    response = page.goto(server.url + path)
    assert response.status == (404 if path == PAGES["404"] else 200), path
    if page.locator("#finder").count():
        page.wait_for_selector("#finder[data-ready]")
    if "?q=" in path:
        page.wait_for_selector(".pagefind-ui__result")
    page.wait_for_load_state("networkidle")
    return context, page


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["390x844", "1280x800"])
@pytest.mark.parametrize("kind", list(PAGES))
def test_axe_finds_no_wcag21_aa_violations(browser, demo_server, axe_script, kind, viewport):
    context, page = open_page(browser, demo_server, PAGES[kind], viewport)
    try:
        page.add_script_tag(path=str(axe_script))
        violations = page.evaluate(RUN, WCAG21_AA)
    finally:
        context.close()
    report = "\n".join(
        f"{v['id']} ({v['impact']}): {v['help']}\n    " + "\n    ".join(v["nodes"])
        for v in violations
    )
    assert not violations, f"{PAGES[kind]} at {viewport['width']} px:\n{report}"


def test_skip_link_is_the_first_stop_and_focus_is_visible(browser, demo_server):
    context, page = open_page(browser, demo_server, "/stations/", PHONE)
    try:
        page.keyboard.press("Tab")
        first = page.evaluate(
            """() => {
              const el = document.activeElement, box = el.getBoundingClientRect();
              const style = getComputedStyle(el);
              return {text: el.textContent.trim(), href: el.getAttribute("href"),
                      shown: box.width > 1 && box.top >= 0 && box.left >= 0,
                      outline: style.outlineStyle, width: parseFloat(style.outlineWidth)};
            }"""
        )
        assert first["text"] == "跳到正文" and first["href"] == "#main"
        assert first["shown"], "the skip link must appear on screen when focused"
        assert first["outline"] != "none" and first["width"] >= 2
        # Every later stop shows a focus ring of at least 2 px, whatever it is.
        for _ in range(12):
            page.keyboard.press("Tab")
            ring = page.evaluate(
                """() => {
                  const el = document.activeElement, style = getComputedStyle(el);
                  return [el.outerHTML.slice(0, 80), style.outlineStyle,
                          parseFloat(style.outlineWidth), style.outlineColor,
                          Boolean(el.closest(".site-header"))];
                }"""
            )
            assert ring[1] != "none" and ring[2] >= 2, ring[0]
            if ring[4]:  # on the red header the ring is white, not a blue that barely shows
                assert ring[3] == "rgb(255, 255, 255)", ring[0]
    finally:
        context.close()


def test_station_list_is_the_maps_text_alternative(browser, demo_server):
    context, page = open_page(browser, demo_server, "/stations/", PHONE)
    try:
        map_region = page.get_by_role("region", name=re.compile("地图"))
        assert map_region.count() == 1
        # The map points to the list that says the same in text, and the list holds stations.
        described = map_region.get_attribute("aria-describedby")
        note = page.locator(f"#{described}")
        assert "列表" in note.inner_text()
        target = note.locator("a").get_attribute("href")
        assert page.locator(target).count() == 1
        assert page.locator("#results li").count() >= 10
        assert page.locator("#results").get_attribute("aria-label")
    finally:
        context.close()


def test_the_opened_report_form_has_no_violation(browser, demo_server, axe_script):
    context, page = open_page(browser, demo_server, PAGES["station"], PHONE)
    try:
        page.get_by_text("信息不对？告诉我们").click()
        page.add_script_tag(path=str(axe_script))
        violations = page.evaluate(RUN, WCAG21_AA)
    finally:
        context.close()
    assert not violations, violations
