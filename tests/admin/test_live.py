"""Approve means live: approving, changing a live entry and withdrawing publish at once."""

from __future__ import annotations

from flask import Flask
from lxml import html

from cms.admin.publish import publisher
from tests.admin.test_entries import _edit_form

TIMEOUT = 300  # builds share two cores with other test runs


def _settle(admin_app: Flask) -> None:
    with admin_app.app_context():
        job = publisher().wait(TIMEOUT)
    assert job is not None and job.state == "succeeded", job and job.log


def _live_badge(browser, kind: str, slug: str) -> tuple[str, str | None]:
    page = html.fromstring(browser.get(f"/admin/{kind}/edit/?id={slug}").get_data(as_text=True))
    badge = page.get_element_by_id("entry-live").text_content().strip()
    link = page.xpath("//a[@id='entry-live-link']/@href")
    return badge, link[0] if link else None


def test_approve_publishes_without_another_click_and_withdraw_takes_it_down(
    admin_app, content_copy, as_role, tmp_path
):
    editor = as_role("editor")
    site = tmp_path / "site"
    form = _edit_form(editor, "news", "secret-review-note")
    assert _live_badge(editor, "news", "secret-review-note") == ("未上线", None)

    response = editor.post("/admin/news/edit/?id=secret-review-note", {**form, "action": "publish"})
    assert response.status_code == 302 and "publishing=" in response.location
    shown = editor.get(response.location).get_data(as_text=True)
    assert 'id="entry-publishing"' in shown and "正在更新网站" in shown
    _settle(admin_app)
    assert (site / "news" / "secret-review-note" / "index.html").is_file()
    badge, link = _live_badge(editor, "news", "secret-review-note")
    assert badge.startswith("已上线 20") and link == "/news/secret-review-note/"

    form = _edit_form(editor, "news", "secret-review-note")
    form["body"] += "\n上线后又改了一句。\n"
    editor.post("/admin/news/edit/?id=secret-review-note", {**form, "action": "save"})
    _settle(admin_app)
    page = (site / "news" / "secret-review-note" / "index.html").read_text(encoding="utf-8")
    assert "上线后又改了一句" in page

    form = _edit_form(editor, "news", "secret-review-note")
    editor.post("/admin/news/edit/?id=secret-review-note", {**form, "action": "unpublish"})
    _settle(admin_app)
    assert not (site / "news" / "secret-review-note").exists()
    assert _live_badge(editor, "news", "secret-review-note") == ("已撤下", None)


def test_a_scheduled_approval_waits_and_says_when(admin_app, content_copy, as_role):
    editor = as_role("editor")
    form = _edit_form(editor, "news", "secret-review-note")
    form["publish_at"] = "2026-12-01T08:00"
    editor.post("/admin/news/edit/?id=secret-review-note", {**form, "action": "publish"})
    _settle(admin_app)
    assert (
        _live_badge(editor, "news", "secret-review-note")[0] == "等待上线（定时 2026-12-01 08:00）"
    )


def test_a_writer_save_of_a_draft_publishes_nothing(admin_app, content_copy, as_role, tmp_path):
    writer = as_role("writer")
    form = _edit_form(writer, "news", "secret-draft-plan")
    response = writer.post("/admin/news/edit/?id=secret-draft-plan", {**form, "action": "save"})
    assert "publishing=" not in response.location
    with admin_app.app_context():
        assert publisher().last() is None


def test_the_home_page_lists_what_goes_up_or_comes_down_next(as_role):
    editor = as_role("editor")
    page = html.fromstring(editor.get("/admin/").get_data(as_text=True))
    listed = page.get_element_by_id("scheduled-next").text_content()
    assert "2026-12-01 09:00 上线" in listed and "SCHEDULEDMARKER 定时发布通知" in listed


def test_the_admin_s_own_scheduler_publishes_when_the_clock_passes(
    content_copy, tmp_path, users_db
):
    import datetime as dt
    import shutil
    import time

    from cms.admin import create_app
    from cms.admin.accounts import OWASP_MINIMUM
    from tests.conftest import NOW

    moment = {"now": NOW}
    instance = tmp_path / "instance"
    instance.mkdir()
    shutil.copy(users_db, instance / "admin.sqlite3")
    site = tmp_path / "site"
    app = create_app(
        content_copy,
        instance,
        {
            "TESTING": True,
            "YIZHAN_OUTPUT": site,
            "YIZHAN_ARGON2": OWASP_MINIMUM,
            "YIZHAN_SCHEDULER": True,
            "YIZHAN_CLOCK": lambda: moment["now"],
            "YIZHAN_TICK": 0.05,
        },
    )
    scheduler = app.extensions["yizhan_scheduler"]
    try:
        page = site / "news" / "secret-scheduled-notice" / "index.html"
        deadline = time.monotonic() + TIMEOUT
        while not (site / "index.html").exists():  # the first tick publishes
            assert time.monotonic() < deadline
            time.sleep(0.05)
        publisher(app).wait(TIMEOUT)
        assert not page.exists()
        moment["now"] = dt.datetime.fromisoformat("2026-12-01T09:00:05+08:00")
        while not page.exists():
            assert time.monotonic() < deadline, "the schedule did not fire"
            time.sleep(0.05)
        assert (instance / "scheduler.lock").exists()
    finally:
        scheduler.stop()
        publisher(app).wait(TIMEOUT)


def test_rollback_says_which_publish_it_undid_and_what_that_changed(
    admin_app, content_copy, as_role
):
    editor, admin = as_role("editor"), as_role("admin")
    form = _edit_form(editor, "news", "secret-review-note")
    editor.post("/admin/news/edit/?id=secret-review-note", {**form, "action": "publish"})
    _settle(admin_app)
    form = _edit_form(editor, "news", "secret-review-note")
    form["title"] = "改过的标题"
    editor.post("/admin/news/edit/?id=secret-review-note", {**form, "action": "save"})
    _settle(admin_app)
    listed = html.fromstring(admin.get("/admin/publish/").get_data(as_text=True))
    assert "更新《改过的标题》" in listed.get_element_by_id("publications").text_content()

    response = admin.post("/admin/publish/rollback/")
    said = admin.get(response.location).get_data(as_text=True)
    assert "已回滚到上一版" in said and "editor 的发布：更新《改过的标题》" in said
    assert _live_badge(editor, "news", "secret-review-note")[0] == "等待上线"
