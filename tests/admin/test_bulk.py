"""Bulk actions on a list: the same checks as one by one, one publish at the end."""

from __future__ import annotations

from lxml import html

from cms.admin.publish import publisher
from cms.content import load


def _act(browser, kind: str, name: str, slugs: list[str]):
    page = html.fromstring(browser.get(f"/admin/{kind}/").get_data(as_text=True))
    form = page.get_element_by_id("action_form")
    data = {k: v for k, v in form.form_values() if k != "rowid"}
    data["action"] = name
    response = browser.post(form.get("action"), {**data, "rowid": slugs})
    return response, browser.get(response.location).get_data(as_text=True)


def test_approve_several_at_once_links_between_them_included(admin_app, content_copy, as_role):
    editor = as_role("editor")
    plan = content_copy / "news" / "secret-draft-plan.md"
    plan.write_text(
        plan.read_text(encoding="utf-8") + "\n见[通知](../news/secret-review-note.md)\n", "utf-8"
    )
    response, said = _act(editor, "news", "publish", ["secret-draft-plan", "secret-review-note"])
    assert response.status_code == 302
    assert "已批准发布 2 条" in said
    content = load(content_copy)
    assert content.get("news", "secret-draft-plan").status == "published"
    assert content.get("news", "secret-review-note").status == "published"
    with admin_app.app_context():
        job = publisher().wait(300)
    assert job.state == "succeeded" and len(publisher(admin_app).publications()) == 1


def test_withdrawing_what_others_link_to_is_refused_and_named(content_copy, as_role):
    editor = as_role("editor")
    _, said = _act(editor, "stations", "unpublish", ["nanwan-night-01"])
    assert "1 条没有处理" in said and "工联会冬季职工服务月启动" in said
    assert load(content_copy).get("stations", "nanwan-night-01").status == "published"


def test_a_writer_may_submit_in_bulk_but_not_approve(content_copy, as_role):
    writer = as_role("writer")
    _, said = _act(writer, "news", "submit", ["secret-draft-plan"])
    assert "已提交审核 1 条" in said
    assert load(content_copy).get("news", "secret-draft-plan").status == "review"
    response, _ = _act(writer, "news", "publish", ["secret-draft-plan"])
    assert load(content_copy).get("news", "secret-draft-plan").status == "review"
