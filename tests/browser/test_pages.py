"""The built demo site read in a real browser."""

from __future__ import annotations


def test_home_reads_without_javascript(browser, demo_server):
    context = browser.new_context(java_script_enabled=False, viewport={"width": 320, "height": 640})
    page = context.new_page()
    page.goto(demo_server.url + "/")
    assert page.locator("h1").count() == 1
    assert page.locator("main .news-card").count() >= 3
    # Nothing overflows sideways at 320 px.
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    context.close()


def test_keyboard_reaches_content_through_skip_link(page, demo_server):
    page.goto(demo_server.url + "/news/")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent")
    assert focused == "跳到正文"
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == "#main"


def test_article_links_to_a_station_that_opens(page, demo_server):
    page.goto(demo_server.url + "/news/care-stations-network-2023/")
    page.get_by_role("link", name="坂田街道五和社区爱心驿站").click()
    page.wait_for_url("**/stations/bantian-care-02/")
    assert page.locator("h1").inner_text() == "坂田街道五和社区爱心驿站"
