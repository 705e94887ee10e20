"""The admin in a real browser: a conflict merged field by field; a renamed address redirects."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import requests
from playwright.sync_api import expect

from cms.content import load

from .nginx import NGINX, nginx_serving
from .test_admin import _login
from .test_admin import admin_site as admin_site  # the fixture: the admin and the built site


def test_a_conflict_is_merged_field_by_field_and_saved_in_one_step(browser, admin_site):
    pages = []
    for _ in range(2):
        context = browser.new_context(locale="zh-CN", viewport={"width": 1400, "height": 900})
        page = context.new_page()
        _login(page, admin_site)
        page.goto(admin_site.url + "/admin/news/edit/?id=plenary-2026")
        pages.append(page)
    first, second = pages
    first.locator("#title").fill("对方改过的标题")
    first.get_by_role("button", name="保存").first.click()
    expect(first.locator(".alert-success")).to_contain_text("已保存")

    second.locator("#summary").fill("我这边写的摘要")
    second.locator("#body").fill("我重写的正文第一段。\n")
    second.get_by_role("button", name="保存").first.click()
    expect(second.locator("h1")).to_have_text("保存冲突：没有保存")
    title = second.locator("#merge-title")
    expect(title).to_contain_text("对方改过的标题")
    expect(title.get_by_label("用对方的")).to_be_checked()  # only they changed it
    expect(second.locator("#merge-summary").get_by_label("用你的")).to_be_checked()
    sides = second.locator(".diff-sides")
    expect(sides.locator("thead th")).to_have_text(["对方保存的", "你的"])
    expect(sides.locator(".diff-mine").filter(has_text="我重写的正文第一段。")).to_have_count(1)
    expect(second.locator("#conflict-others")).to_contain_text("editor")
    expect(second.locator("#mine")).to_have_value(re.compile("我重写的正文第一段。"))  # kept
    second.locator("#merge-body").get_by_label("用你的正文").check()
    second.get_by_role("button", name="保存合并结果").click()

    second.wait_for_url("**/admin/news/edit/?id=plenary-2026*")
    # A live entry: the merge is published at once, and the form then says it is up.
    expect(second.locator("#entry-live")).to_contain_text("已上线", timeout=60_000)
    expect(second.locator("#title")).to_have_value("对方改过的标题")
    expect(second.locator("#summary")).to_have_value("我这边写的摘要")
    entry = load(admin_site.content).get("news", "plenary-2026")
    assert (entry.title, entry.summary) == ("对方改过的标题", "我这边写的摘要")
    assert entry.body.strip() == "我重写的正文第一段。"
    for page in pages:
        page.context.close()


def test_a_renamed_address_redirects_from_the_old_one(browser, admin_site):
    """修改网址 on a live station: the old address, fetched from the built site served on
    127.0.0.1, sends the reader to the new one; nginx with deploy/nginx.conf answers a 301."""
    context = browser.new_context(locale="zh-CN", viewport={"width": 1400, "height": 900})
    page = context.new_page()
    _login(page, admin_site)
    page.goto(admin_site.url + "/admin/stations/edit/?id=bantian-care-01")
    page.get_by_role("link", name="修改网址").click()
    page.get_by_label("修改网址").fill("bantian-quan-tian-hou")
    page.get_by_role("button", name="改用这个网址").click()
    page.wait_for_url("**/admin/stations/edit/?id=bantian-quan-tian-hou*")
    expect(page.locator(".alert-success")).to_contain_text("旧网址会自动跳转到新网址")
    expect(page.locator("#entry-live")).to_contain_text("已上线", timeout=60_000)

    old = page.request.get(admin_site.url + "/stations/bantian-care-01/")
    assert old.status == 200
    text = old.text()
    assert '<meta http-equiv="refresh" content="0; url=/stations/bantian-quan-tian-hou/">' in text
    assert 'rel="canonical" href="https://example.org/stations/bantian-quan-tian-hou/"' in text
    page.goto(admin_site.url + "/stations/bantian-care-01/")
    page.wait_for_url("**/stations/bantian-quan-tian-hou/")
    expect(page.locator("h1")).to_contain_text("坂田")
    # The activity that named the station, and the news that linked it, follow the new name.
    activity = load(admin_site.content).get("activities", "open-training-2026")
    assert activity.station == "bantian-quan-tian-hou"
    assert "stations/bantian-quan-tian-hou.md" in activity.body
    context.close()

    moved = admin_site.content.parent / "deploy" / "redirects.map"
    assert moved.read_text("utf-8").splitlines()[1:] == [
        "/stations/bantian-care-01/ /stations/bantian-quan-tian-hou/;"
    ]
    if not Path(NGINX).is_file():
        pytest.skip("nginx is missing: apt-get install nginx (test.sh does it as root)")
    with nginx_serving(admin_site.content.parent / "site", moved=moved) as served:
        answer = requests.get(
            served.url + "/stations/bantian-care-01/", verify=str(served.certificate),
            allow_redirects=False, timeout=10,
        )  # fmt: skip
        assert answer.status_code == 301
        assert answer.headers["Location"].endswith("/stations/bantian-quan-tian-hou/")
        again = requests.get(
            served.url + "/stations/bantian-quan-tian-hou/", verify=str(served.certificate),
            timeout=10,
        )  # fmt: skip
        assert again.status_code == 200
