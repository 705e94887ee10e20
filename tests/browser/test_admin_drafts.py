"""Nothing typed is lost, in a real browser: autosave, a killed page, a login again."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from playwright.sync_api import expect

from cms.admin import create_app
from cms.admin.accounts import OWASP_MINIMUM, Accounts

from ..conftest import DATA, NOW
from .conftest import LiveServer

PASSWORD = "correct horse battery staple"
TYPED = {
    "#title": "全会改期到下周三下午",
    "#tags": "工联会、产业工人",
    "#summary": "改期通知的一句话摘要。",
    "#author": "区总工会办公室",
    "#body": "各基层工会：\n\n全会改期，请相互转告。\n",
}


@pytest.fixture
def admin_server(tmp_path: Path):
    content = tmp_path / "content"
    shutil.copytree(DATA / "content", content)
    Accounts(tmp_path / "instance" / "admin.sqlite3", OWASP_MINIMUM).add(
        "editor", "editor", PASSWORD
    )
    app = create_app(
        content,
        tmp_path / "instance",
        {"YIZHAN_NOW": NOW, "YIZHAN_ARGON2": OWASP_MINIMUM, "YIZHAN_OUTPUT": tmp_path / "site"},
    )
    server = LiveServer(app)
    server.content = content
    yield server
    server.stop()


def _logged_in(browser, server):
    context = browser.new_context(locale="zh-CN", viewport={"width": 1400, "height": 900})
    page = context.new_page()
    page.goto(server.url + "/admin/news/edit/?id=plenary-2026")
    page.get_by_label("用户名").fill("editor")
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url("**/admin/news/edit/?id=plenary-2026")
    return context, page


def test_a_killed_page_leaves_a_draft_offered_with_every_field(browser, admin_server):
    file = admin_server.content / "news" / "plenary-2026.md"
    before = file.read_bytes()
    context, page = _logged_in(browser, admin_server)
    for selector, value in TYPED.items():
        page.locator(selector).fill(value)
    page.locator("#category").select_option("notice")
    expect(page.locator("#autosave-status")).to_contain_text("已自动保存草稿", timeout=15_000)
    context.close()  # the tab is killed: no save, no beforeunload
    assert file.read_bytes() == before

    context, page = _logged_in(browser, admin_server)
    offer = page.locator("#draft-offer")
    expect(offer).to_contain_text("自动保存的草稿")
    expect(page.locator("#title")).not_to_have_value(TYPED["#title"])
    page.locator("#draft-restore").click()
    expect(page.locator("#draft-offer")).to_contain_text("已恢复")
    for selector, value in TYPED.items():
        expect(page.locator(selector)).to_have_value(value)
    expect(page.locator("#category")).to_have_value("notice")
    page.get_by_role("button", name="保存", exact=True).click()
    expect(page.locator("h1")).to_have_text(TYPED["#title"])
    expect(page.locator("#draft-offer")).to_have_count(0)
    assert "全会改期，请相互转告" in file.read_text("utf-8")
    context.close()


def test_leaving_a_changed_form_asks_first(browser, admin_server):
    context, page = _logged_in(browser, admin_server)
    asked = []
    page.on("dialog", lambda d: (asked.append(d.type), d.dismiss()))
    page.locator("#title").fill("改了一半")
    page.close(run_before_unload=True)
    page.wait_for_timeout(500)
    assert asked == ["beforeunload"]
    context.close()
