"""网站设置 in a real browser: an admin changes the hotline and the public footer follows."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import expect

from cms.admin.accounts import OWASP_MINIMUM, Accounts
from cms.admin.wsgi import serve_app

from ..conftest import NOW
from .conftest import LiveServer
from .test_a11y import AXE, RUN, WCAG21_AA
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


def _login(page, server) -> None:
    page.goto(server.url + "/admin/")
    page.get_by_label("用户名").fill("admin")
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url("**/admin/")


@pytest.mark.slow
def test_admin_changes_the_hotline_and_the_footer_shows_it(browser, settings_site):
    context = browser.new_context(locale="zh-CN", viewport={"width": 1400, "height": 900})
    page = context.new_page()
    page.goto(settings_site.url + "/")
    expect(page.locator("footer")).to_contain_text("12351")
    _login(page, settings_site)
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


def test_the_settings_form_with_its_errors_has_no_wcag_violation(browser, settings_site):
    # axe is injected as a script of its own, which the admin's policy would refuse.
    context = browser.new_context(locale="zh-CN", bypass_csp=True)
    page = context.new_page()
    _login(page, settings_site)
    page.goto(settings_site.url + "/admin/settings/")
    page.locator("input[name='news_categories-drop'][value='service']").check()
    page.get_by_label("阵地类型第 4 行的颜色").fill("#ffeb3b")
    page.get_by_role("button", name="保存并发布").click()
    expect(page.locator("#in-use-news_categories-service")).to_contain_text("3 篇条目在用")
    expect(page.get_by_text("对比度只有 1.22:1")).to_be_visible()
    page.add_script_tag(path=str(AXE))
    # The form, not the navigation bar and <html> of Flask-Admin's own layout around it.
    within = RUN.replace("axe.run(document", "axe.run('#settings-form'")
    violations = page.evaluate(within, WCAG21_AA)
    context.close()
    # Bootstrap 4's blue button (white on #007bff, 3.98:1) is the whole admin's, not this form's.
    ours = [v for v in violations if not all("#007bff" in n for n in v["nodes"])]
    assert not ours, violations
