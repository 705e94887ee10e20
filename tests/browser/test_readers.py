"""What a reader sees on a phone and a desktop, in both text sizes: the header leaves room for
the news, phone numbers can be tapped, the contact details read as cards."""

from __future__ import annotations

import re

import pytest

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
