"""纠错 in a real browser: a reader on a phone reports a wrong station entry from its page (with
scripts and without), an editor finds it in the admin and resolves it; when the endpoint cannot
be reached or is not set up, the page says so and gives the hotline."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from cms.admin import create_app
from cms.admin.accounts import OWASP_MINIMUM, Accounts
from cms.admin.wsgi import Combined, serve_app
from cms.publish.serve import StaticSite

from ..conftest import NOW
from .conftest import LiveServer
from .test_admin import PASSWORD, _built_at_root, _login

STATION = "/stations/bantian-care-01/"


@pytest.fixture
def reporting_site(tmp_path: Path):
    """The site built with ``report_url`` and a hotline, and the admin, on one real server."""
    content, output = _built_at_root(tmp_path, 'report_url: /admin/report/\nhotline: "12351"\n')
    accounts = Accounts(tmp_path / "instance" / "admin.sqlite3", OWASP_MINIMUM)
    accounts.add("editor", "editor", PASSWORD)
    app = serve_app(
        content, tmp_path / "instance", output, {"YIZHAN_NOW": NOW, "YIZHAN_ARGON2": OWASP_MINIMUM}
    )
    server = LiveServer(app)
    yield server
    server.stop()


def phone(browser, javascript: bool = True):
    return browser.new_context(
        viewport={"width": 390, "height": 844}, locale="zh-CN", timezone_id="Asia/Shanghai",
        is_mobile=True, has_touch=True, java_script_enabled=javascript,
    )  # fmt: skip


def fill_report(page, text: str) -> None:
    page.get_by_text("信息不对？告诉我们").click()
    page.get_by_label("开放时间不对").check()
    page.get_by_label("补充说明（选填）").fill(text)
    page.get_by_label(re.compile("联系电话")).fill("138 0000 0000")
    page.get_by_role("button", name="提交纠错").click()


def test_a_report_from_a_phone_reaches_the_editors(browser, reporting_site):
    context = phone(browser)
    page = context.new_page()
    page.goto(reporting_site.url + STATION)
    fill_report(page, "周日下午不开门，<b>门口</b>贴了通知")
    expect(page.locator("#report-status")).to_have_text(
        "谢谢，已收到。工作人员核实后会更新站点信息。"
    )
    expect(page.get_by_label("补充说明（选填）")).to_have_value("")  # ready for another
    context.close()

    context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 800})
    page = context.new_page()
    _login(page, reporting_site)
    page.get_by_role("link", name="读者纠错").click()
    row = page.locator("#reports tr[data-id]")
    expect(row).to_have_count(1)
    expect(row.locator(".report-text")).to_have_text("周日下午不开门，门口贴了通知")
    expect(row).to_contain_text("开放时间不对")
    expect(row).to_contain_text("138 0000 0000")
    row.get_by_role("link", name="坂田全天候驿站").click()
    expect(page.locator("#station-reports")).to_contain_text("周日下午不开门")
    page.get_by_role("button", name="标为已处理").click()
    expect(page.locator("#station-reports")).to_have_count(0)
    page.goto(reporting_site.url + "/admin/reports/")
    expect(page.get_by_text("没有未处理的纠错。")).to_be_visible()
    context.close()


def test_without_scripts_the_form_posts_and_links_back(browser, reporting_site):
    context = phone(browser, javascript=False)
    page = context.new_page()
    page.goto(reporting_site.url + STATION)
    fill_report(page, "已经搬走了")
    expect(page.get_by_role("heading", name="谢谢你的纠错")).to_be_visible()
    page.get_by_role("link", name="返回站点页面").click()
    expect(page).to_have_url(reporting_site.url + STATION)
    context.close()


def test_an_unreachable_endpoint_offers_the_hotline(browser, reporting_site):
    context = phone(browser)
    context.route("**/admin/report/", lambda route: route.abort())
    page = context.new_page()
    page.goto(reporting_site.url + STATION)
    fill_report(page, "位置不对")
    note = page.locator("#report-unavailable")
    expect(note).to_have_text("纠错服务暂不可用。 请拨打服务热线 12351 告诉我们。")
    expect(note.get_by_role("link", name="12351")).to_have_attribute("href", "tel:12351")
    expect(page.get_by_label("补充说明（选填）")).to_have_value("位置不对")  # nothing lost
    context.close()


def test_without_an_endpoint_the_page_says_so(browser, data_site):
    server = LiveServer(StaticSite(data_site, prefix="/union"))  # no report_url set
    context = phone(browser)
    page = context.new_page()
    try:
        page.goto(server.url + "/union" + STATION)
        expect(page.locator("#report .report-unavailable")).to_have_text(
            re.compile("^纠错服务暂不可用。")
        )
        expect(page.locator("#report-form")).to_have_count(0)
    finally:
        context.close()
        server.stop()


def test_a_site_on_another_origin_posts_with_cors(browser, tmp_path: Path):
    """The admin on its own server, the built site on another: the answer is readable."""
    # The site is built with the admin's address, so the admin's server starts first and
    # serves the app made once the site is there.
    admin = LiveServer(lambda environ, start: app(environ, start))
    content, output = _built_at_root(tmp_path, f"report_url: {admin.url}/admin/report/\n")
    site = LiveServer(StaticSite(output))
    app = Combined(
        create_app(
            content, tmp_path / "instance",
            {"YIZHAN_NOW": NOW, "YIZHAN_REPORT_ORIGINS": [site.url]},
        )
    )  # fmt: skip
    context = phone(browser)
    page = context.new_page()
    try:
        page.goto(site.url + STATION)
        fill_report(page, "电话打不通")
        expect(page.locator("#report-status")).to_have_text(
            "谢谢，已收到。工作人员核实后会更新站点信息。"
        )
    finally:
        context.close()
        site.stop()
        admin.stop()
