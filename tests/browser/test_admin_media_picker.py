"""The entry form's media picker names each image as uploaded, not by its stored name."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from .test_admin import _jpeg, _login, admin_site  # noqa: F401  (a fixture used by name)


def test_the_picker_shows_the_uploaded_name_and_fills_the_cover(browser, admin_site):  # noqa: F811
    context = browser.new_context(viewport={"width": 1366, "height": 900}, locale="zh-CN")
    page = context.new_page()
    try:
        _login(page, admin_site)
        page.goto(admin_site.url + "/admin/media/")
        page.get_by_label("选择图片").set_input_files(
            files=[{"name": "职工之家揭牌仪式.jpg", "mimeType": "image/jpeg", "buffer": _jpeg()}]
        )
        page.get_by_role("button", name="上传").click()
        expect(page.get_by_text("职工之家揭牌仪式.jpg").first).to_be_visible()
        page.goto(admin_site.url + "/admin/news/new/")
        page.get_by_role("button", name="从媒体库选择").click()
        choice = page.locator("#media-picker .media-pick", has_text="职工之家揭牌仪式.jpg")
        expect(choice).to_be_visible()
        stored = choice.locator("img").get_attribute("src")
        assert "职工之家" not in stored  # the stored name stays generated
        choice.click()
        expect(page.locator("#cover")).to_have_value(re.compile(r"^media/\d{4}/.+\.jpg$"))
    finally:
        context.close()
