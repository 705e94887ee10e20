"""What a reader sees on a phone and a desktop, in both text sizes: the header leaves room for
the news, phone numbers can be tapped, the contact details read as cards."""

from __future__ import annotations

import re

import pytest

from .test_a11y import AXE, RUN, WCAG21_AA
from .test_a11y import PAGES as A11Y_PAGES

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 900}
SIZES = ["normal", "large"]


def open_page(browser, server, path: str, viewport: dict, size: str = "normal"):
    """Open ``path`` in a fresh context, with the 大字 choice already kept on the device."""
    context = browser.new_context(viewport=viewport, locale="zh-CN", timezone_id="Asia/Shanghai")
    local = re.compile(r"^" + re.escape(server.url) + r"/")
    context.route(lambda url: not local.match(url), lambda route: route.abort())
    if size == "large":
        context.add_init_script("localStorage.setItem('yizhan-text', 'large')")
    page = context.new_page()
    page.goto(server.url + path)
    page.wait_for_load_state("networkidle")
    return context, page


def height(page, selector: str) -> float:
    return page.locator(selector).first.bounding_box()["height"]


@pytest.mark.parametrize("size", SIZES)
def test_phone_header_is_short_and_menu_opens_behind_one_button(browser, demo_server, size):
    context, page = open_page(browser, demo_server, "/news/", PHONE, size)
    try:
        assert height(page, ".site-header") <= 120
        nav = page.get_by_role("navigation", name="主导航")
        assert not nav.is_visible()
        button = page.get_by_role("button", name="菜单")
        button.click()
        assert button.get_attribute("aria-expanded") == "true"
        assert nav.get_by_role("link", name="工会活动").is_visible()
        page.keyboard.press("Escape")
        assert not nav.is_visible()
        # Search is one tap away.
        page.locator(".site-header").get_by_role("link", name="搜索").click()
        page.wait_for_url(re.compile(r"/search/$"))
    finally:
        context.close()


@pytest.mark.parametrize("size", SIZES)
def test_first_headline_on_news_is_above_the_fold(browser, demo_server, size):
    context, page = open_page(browser, demo_server, "/news/", PHONE, size)
    try:
        box = page.locator("main .card-title").first.bounding_box()
        assert box["y"] + box["height"] <= PHONE["height"]
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    finally:
        context.close()


def test_phone_header_without_scripts_keeps_the_menu_in_one_row(browser, demo_server):
    context = browser.new_context(viewport=PHONE, java_script_enabled=False, locale="zh-CN")
    page = context.new_page()
    try:
        page.goto(demo_server.url + "/news/")
        assert height(page, ".site-header") <= 120
        assert page.get_by_role("navigation", name="主导航").get_by_role("link", name="联系我们")
        assert page.locator(".site-header").get_by_role("link", name="搜索").is_visible()
        assert not page.get_by_role("button", name="菜单").is_visible()
    finally:
        context.close()


@pytest.mark.parametrize("size", SIZES)
def test_desktop_header_shows_menu_and_search_box(browser, demo_server, size):
    context, page = open_page(browser, demo_server, "/news/", DESKTOP, size)
    try:
        nav = page.get_by_role("navigation", name="主导航")
        assert nav.get_by_role("link", name="联系我们").is_visible()
        assert not page.get_by_role("button", name="菜单").is_visible()
        assert page.get_by_role("searchbox", name="搜索本站").is_visible()
        assert height(page, ".site-header") <= 160
    finally:
        context.close()


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["390x844", "1366x900"])
@pytest.mark.parametrize("size", SIZES)
def test_contact_numbers_can_be_tapped_and_read_whole(browser, demo_server, viewport, size):
    context, page = open_page(browser, demo_server, "/contact/", viewport, size)
    try:
        hotline = page.locator("main a[href='tel:12351']")
        assert hotline.is_visible()
        for link in page.locator("main a[href^='tel:']").all():
            box = link.bounding_box()
            # One line: never broken at the hyphen.
            line = float(link.evaluate("e => parseFloat(getComputedStyle(e).lineHeight)"))
            assert box["height"] < line * 1.5, link.inner_text()
        rows = page.locator("main .prose tbody tr")
        display = rows.first.evaluate("e => getComputedStyle(e).display")
        assert display == ("block" if viewport is PHONE else "table-row")
        footer = page.locator("footer.site-footer")
        assert footer.locator("a[href='tel:12351']").is_visible()
        assert footer.locator("a[href='https://beian.miit.gov.cn/']").is_visible()
        assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
    finally:
        context.close()


A4_CONTENT_PX = (297 - 2 * 12) / 25.4 * 96  # the page's height inside its 12 mm margins


@pytest.mark.parametrize("slug", ["longcheng-home-01", "bantian-care-01", "pinghu-legal-01"])
def test_poster_prints_on_one_a4_page_and_fills_it(browser, demo_server, slug):
    path = f"/stations/{slug}/poster/"
    context, page = open_page(browser, demo_server, path, DESKTOP)
    try:
        pdf = page.pdf(format="A4", prefer_css_page_size=True)
        assert len(re.findall(rb"/Type\s*/Page\b(?!s)", pdf)) == 1
        assert re.search(rb"/MediaBox\s*\[0 0 59[45]\.\d+ 84[12]\.\d+\]", pdf)  # A4 in points
    finally:
        context.close()
    # Laid out as printed (the page's width inside its margins), the content reaches the foot.
    context, page = open_page(browser, demo_server, path, {"width": 703, "height": 1032})
    try:
        page.emulate_media(media="print")
        top, bottom, qr = page.evaluate(
            """() => [document.querySelector('.poster h1').getBoundingClientRect().top,
                      document.querySelector('.poster-foot').getBoundingClientRect().bottom,
                      document.querySelector('.poster-qr svg').getBoundingClientRect().width]"""
        )
        assert bottom <= A4_CONTENT_PX
        assert bottom - min(top, 0) >= 0.85 * A4_CONTENT_PX
        assert qr >= 230  # about 60 mm: a phone reads it from a metre away
        # The whole code shows: scaled down to its column, never cropped.
        code, frame = page.evaluate(
            """() => [document.querySelector('.poster-qr svg path').getBoundingClientRect().right,
                      document.querySelector('.poster-qr svg').getBoundingClientRect().right]"""
        )
        assert code <= frame + 0.5
    finally:
        context.close()


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["390x844", "1366x900"])
def test_no_empty_badge_without_scripts(browser, demo_server, viewport):
    context = browser.new_context(viewport=viewport, java_script_enabled=False, locale="zh-CN")
    page = context.new_page()
    try:
        page.goto(demo_server.url + "/stations/bantian-care-02/")
        for badge in page.locator("main .badge").all():
            if badge.is_visible():
                assert badge.inner_text().strip(), badge.evaluate("e => e.outerHTML")
    finally:
        context.close()


# -- 大字 (large text) --------------------------------------------------------------------------

WIDTHS = [320, 390, 768, 1366]


def text_metrics(page) -> dict:
    return page.evaluate(
        """() => { const s = getComputedStyle(document.body);
                   return {size: parseFloat(s.fontSize), line: parseFloat(s.lineHeight)}; }"""
    )


def test_large_text_switch_is_remembered_on_the_device(browser, demo_server):
    context, page = open_page(browser, demo_server, "/news/", PHONE)
    try:
        normal = text_metrics(page)
        switch = page.get_by_role("button", name="大字")
        assert switch.get_attribute("aria-pressed") == "false"
        switch.click()
        assert switch.get_attribute("aria-pressed") == "true"
        large = text_metrics(page)
        assert large["size"] >= 18 and large["size"] > normal["size"]
        assert large["line"] >= 1.5 * large["size"]
        h1 = page.evaluate("parseFloat(getComputedStyle(document.querySelector('h1')).fontSize)")
        assert h1 >= 1.5 * large["size"]  # headings grow in proportion
        page.goto(demo_server.url + "/activities/")
        assert page.get_by_role("button", name="大字").get_attribute("aria-pressed") == "true"
        assert text_metrics(page)["size"] == large["size"]
        page.get_by_role("button", name="大字").click()
        page.reload()
        assert text_metrics(page)["size"] == normal["size"]
    finally:
        context.close()


TARGETS = "main a.button, main button, .chips a, .site-nav a, .tool, .pager a, .site-search button"


@pytest.mark.parametrize("path", ["/", "/news/", "/activities/", "/stations/bantian-care-02/"])
def test_large_text_tap_targets_are_at_least_44_px(browser, demo_server, path):
    context, page = open_page(browser, demo_server, path, PHONE, "large")
    try:
        page.get_by_role("button", name="菜单").click()
        small = page.evaluate(
            """(selector) => [...document.querySelectorAll(selector)]
                 .filter((e) => e.offsetParent !== null)
                 .map((e) => [e.textContent.trim().slice(0, 20), e.getBoundingClientRect().height])
                 .filter(([, h]) => h < 44)""",
            TARGETS,
        )
        assert small == []
    finally:
        context.close()


LAYOUT_PAGES = [
    "/",
    "/news/",
    "/news/care-stations-network-2023/",
    "/activities/",
    "/activities/summer-cool-2026-bantian/",
    "/stations/",
    "/stations/bantian-care-02/",
    "/stations/street/bantian/",
    "/search/",
    "/numbers/",
    "/contact/",
    "/accessibility/",
    "/api/v1/",
]


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("width", WIDTHS)
def test_no_page_kind_overflows_from_320_to_1366(browser, demo_server, width, size):
    context, page = open_page(browser, demo_server, "/", {"width": width, "height": 900}, size)
    try:
        wide = []
        for path in LAYOUT_PAGES:
            page.goto(demo_server.url + path)
            page.wait_for_load_state("load")
            if page.evaluate("document.documentElement.scrollWidth") > width:
                wide.append(path)
        assert wide == []
    finally:
        context.close()


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["390x844", "1366x900"])
@pytest.mark.parametrize("kind", list(A11Y_PAGES))
def test_axe_finds_no_violations_in_large_text(browser, demo_server, kind, viewport):
    path = A11Y_PAGES[kind]
    context, page = open_page(browser, demo_server, path, viewport, "large")
    try:
        if page.locator("#finder").count():
            page.wait_for_selector("#finder[data-ready]")
        if "?q=" in path:
            page.wait_for_selector(".pagefind-ui__result")
        page.add_script_tag(path=str(AXE))
        violations = page.evaluate(RUN, WCAG21_AA)
    finally:
        context.close()
    report = "\n".join(
        f"{v['id']} ({v['impact']}): {v['help']}\n    " + "\n    ".join(v["nodes"])
        for v in violations
    )
    assert not violations, f"{path} at {viewport['width']} px in large text:\n{report}"


ONE_LINE = """(selector) => [...document.querySelectorAll(selector)]
  .filter((e) => e.offsetParent !== null)
  .filter((e) => e.getBoundingClientRect().height
                 > 1.5 * parseFloat(getComputedStyle(e).lineHeight))
  .map((e) => e.textContent.trim())"""


@pytest.mark.parametrize("viewport", [{"width": 320, "height": 700}, PHONE, DESKTOP])
@pytest.mark.parametrize("size", SIZES)
def test_dates_and_column_headings_never_break(browser, demo_server, viewport, size):
    context, page = open_page(browser, demo_server, "/news/", viewport, size)
    try:
        for path in ("/news/", "/news/care-stations-network-2023/", "/numbers/", "/api/v1/"):
            page.goto(demo_server.url + path)
            assert page.evaluate(ONE_LINE, "time:not(.range), thead th, .numbers td") == [], path
    finally:
        context.close()


@pytest.mark.parametrize("path", ["/stations/", "/stations/bantian-care-01/"])
def test_map_scale_is_in_metres_and_kilometres(browser, demo_server, path):
    context, page = open_page(browser, demo_server, path, DESKTOP)
    try:
        scale = page.locator(".leaflet-control-scale-line")
        scale.first.wait_for()
        lines = scale.all_inner_texts()
        assert len(lines) == 1, lines  # no second bar in feet or miles
        assert re.fullmatch(r"\d+ (m|km)", lines[0].strip()), lines
    finally:
        context.close()


CLEAR_OF_DOTS = """() => {
  const box = (e) => e.getBoundingClientRect();
  const hit = (a, b) =>
    a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
  const dots = [...document.querySelectorAll('#dot-map circle')].map(box);
  const names = [...document.querySelectorAll('#dot-map .dot-map-streets text')];
  return {
    names: names.map((t) => t.textContent),
    covering: names.filter((t) => dots.some((d) => hit(box(t), d))).map((t) => t.textContent),
    crossing: names.filter((t, i) => names.some((u, j) => j !== i && hit(box(t), box(u))))
      .map((t) => t.textContent),
  };
}"""


@pytest.mark.parametrize("size", SIZES)
def test_street_names_on_the_home_dot_map_cover_no_dot(browser, demo_server, size):
    context, page = open_page(browser, demo_server, "/", PHONE, size)
    try:
        found = page.evaluate(CLEAR_OF_DOTS)
        assert len(found["names"]) >= 8, found  # most streets are named
        assert found["covering"] == [] and found["crossing"] == [], found
    finally:
        context.close()
