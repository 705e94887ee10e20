"""Nothing typed is lost, in a real browser: autosave, a killed page, a login again."""

from __future__ import annotations

import shutil
import sqlite3
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
    page.refused = []  # what the admin's Content-Security-Policy blocked: must stay empty
    page.on(
        "console",
        lambda m: page.refused.append(m.text) if "Content Security Policy" in m.text else None,
    )
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
    assert page.refused == []
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


PLACES = "平湖 布吉 吉华 坂田 南湾 横岗 园山 宝龙 坪地 葵涌 大鹏 南澳 龙岗 新生 五联 爱联 清林"


def test_a_long_picker_finds_a_station_by_pinyin_initials(browser, admin_server):
    """所在阵地 with more than 15 stations: typing 'hgg' finds 横岗工友驿站, sorted by name."""
    template = (admin_server.content / "stations" / "longcheng-home-01.md").read_text("utf-8")
    for number, place in enumerate(PLACES.split()):
        text = template.replace("name: 龙城职工之家", f"name: {place}工友驿站")
        path = admin_server.content / "stations" / f"extra-{number:02d}.md"
        path.write_text(text, "utf-8")
    context, page = _logged_in(browser, admin_server)
    page.goto(admin_server.url + "/admin/activities/new/")
    labels = page.locator("#station option").all_inner_texts()
    assert labels[:4] == ["（无）", "爱联工友驿站", "坂田工友驿站", "坂田全天候驿站"]
    picker = page.locator(".ts-wrapper:has(#station-ts-control) .ts-control")
    options = page.locator("#station-ts-dropdown .option")

    def search(text: str) -> None:
        picker.click()
        page.locator("#station-ts-control").fill(text)

    search("hgg")
    expect(options).to_have_text(["横岗工友驿站"])
    options.first.click()
    expect(page.locator("#station")).to_have_value("extra-05")
    search("longcheng")
    expect(options).to_have_text(["龙城职工之家"])
    search("夜")
    expect(options.first).to_contain_text("南湾")
    search("zzzz")
    expect(page.locator("#station-ts-dropdown .no-results")).to_have_text("没有找到“zzzz”")
    page.goto(admin_server.url + "/admin/stations/edit/?id=bantian-care-01")  # map picker
    expect(page.locator("#map-picker .leaflet-marker-icon")).to_have_count(1)
    page.goto(admin_server.url + "/admin/news/")
    page.once("dialog", lambda dialog: dialog.dismiss())  # 删除 asks, without an inline handler
    page.locator("form.icon button[data-confirm]").first.click()
    assert page.refused == []
    context.close()


def test_a_save_after_the_login_expired_keeps_the_form_and_leads_back_to_it(
    browser, admin_server, tmp_path
):
    context, page = _logged_in(browser, admin_server)
    for selector, value in TYPED.items():
        page.locator(selector).fill(value)
    expect(page.locator("#autosave-status")).to_contain_text("已自动保存草稿", timeout=15_000)
    db = sqlite3.connect(tmp_path / "instance" / "admin.sqlite3")  # three hours away
    with db:
        db.execute("UPDATE sessions SET seen = seen - 10800, created = created - 10800")
    db.close()
    page.get_by_role("button", name="保存", exact=True).click()
    expect(page.locator("#refused-reason")).to_contain_text("登录已过期（超过 2 小时没有操作")
    expect(page.locator("#refused-kept")).to_contain_text("留作草稿")
    expect(page.get_by_label("标题")).to_have_value(TYPED["#title"])
    page.locator("#refused-continue").click()
    page.get_by_label("用户名").fill("editor")
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url("**/admin/news/edit/?id=plenary-2026")
    page.locator("#draft-restore").click()
    for selector, value in TYPED.items():
        expect(page.locator(selector)).to_have_value(value)
    context.close()
