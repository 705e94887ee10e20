"""网站设置 in a real browser: an admin changes the hotline and the public footer follows."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import expect

from cms.admin.accounts import OWASP_MINIMUM, Accounts
from cms.admin.wsgi import serve_app

from ..conftest import NOW
from .conftest import LiveServer
from .test_admin import PASSWORD, _built_at_root


@pytest.fixture
def settings_site(tmp_path: Path):
    """The admin and the built site on one real server, with an admin account."""
    content, output = _built_at_root(tmp_path, 'hotline: "12351"\n')
    accounts = Accounts(tmp_path / "instance" / "admin.sqlite3", OWASP_MINIMUM)
    accounts.add("admin", "admin", PASSWORD)
    app = serve_app(
        content, tmp_path / "instance", output, {"YIZHAN_NOW": NOW, "YIZHAN_ARGON2": OWASP_MINIMUM}
    )
    server = LiveServer(app)
    yield server
    server.stop()


@pytest.mark.slow
def test_admin_changes_the_hotline_and_the_footer_shows_it(browser, settings_site):
    context = browser.new_context(locale="zh-CN", viewport={"width": 1400, "height": 900})
    page = context.new_page()
    page.goto(settings_site.url + "/")
    expect(page.locator("footer")).to_contain_text("12351")
    page.goto(settings_site.url + "/admin/")
    page.get_by_label("用户名").fill("admin")
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url("**/admin/")
    page.get_by_role("link", name="网站设置").click()
    page.get_by_label("服务热线").fill("0755-28900000")
    with page.expect_navigation():
        page.get_by_role("button", name="保存并发布").click()
    expect(page.get_by_text("已保存网站设置")).to_be_visible()
    # The page follows the full publish, then loads itself again without the progress bar.
    page.wait_for_url(lambda url: "publishing=" not in url, timeout=120_000)
    expect(page.get_by_label("服务热线")).to_have_value("0755-28900000")
    page.goto(settings_site.url + "/")
    footer = page.locator("footer")
    expect(footer).to_contain_text("0755-28900000")
    expect(footer.get_by_role("link", name="0755-28900000")).to_have_attribute(
        "href", "tel:075528900000"
    )
    context.close()
