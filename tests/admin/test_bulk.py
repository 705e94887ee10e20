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


def _set(browser, kind: str, field: str, slugs: list[str], value: str):
    """Tick entries, choose 设置街道/设置栏目, then pick the value on the page that follows."""
    page = html.fromstring(browser.get(f"/admin/{kind}/").get_data(as_text=True))
    form = page.get_element_by_id("action_form")
    data = {k: v for k, v in form.form_values() if k != "rowid"}
    data["action"] = f"set_{field}"
    chooser = browser.post(form.get("action"), {**data, "rowid": slugs})
    assert chooser.status_code == 200
    choose = html.fromstring(chooser.get_data(as_text=True)).get_element_by_id("bulk-set-form")
    values = [(k, v) for k, v in choose.form_values() if k != "value"]
    answer = {k: [v for kk, v in values if kk == k] for k, _ in values}
    answer = {k: v[0] if len(v) == 1 else v for k, v in answer.items()}
    response = browser.post(choose.get("action"), {**answer, "value": value})
    return response, browser.get(response.location).get_data(as_text=True)


def test_set_a_street_on_several_stations_publishes_once(admin_app, content_copy, as_role):
    editor = as_role("editor")
    response, said = _set(
        editor, "stations", "street", ["bantian-care-01", "nanwan-night-01"], "longcheng"
    )
    assert response.status_code == 302
    assert "已设置街道“龙城街道” 2 条" in said
    content = load(content_copy)
    assert content.get("stations", "bantian-care-01").street == "longcheng"
    assert content.get("stations", "nanwan-night-01").street == "longcheng"
    with admin_app.app_context():
        job = publisher().wait(300)
    assert job.state == "succeeded" and len(publisher(admin_app).publications()) == 1


def test_set_a_category_is_offered_on_news_only_and_checked_per_entry(content_copy, as_role):
    writer = as_role("writer")
    news = writer.get("/admin/news/").get_data(as_text=True)
    assert "设置栏目" in news and "设置街道" not in news
    assert "设置栏目" not in writer.get("/admin/stations/").get_data(as_text=True)
    # a writer may set a draft's category, not a published entry's
    _, said = _set(writer, "news", "category", ["secret-draft-plan", "plenary-2026"], "notice")
    assert "1 条没有处理" in said and "没有权限修改已发布的条目" in said
    content = load(content_copy)
    assert content.get("news", "secret-draft-plan").category == "notice"
    assert content.get("news", "plenary-2026").category != "notice"
