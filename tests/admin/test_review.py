"""The review loop: submit, send back with a reason, comments, inboxes, a writer's own drafts."""

from __future__ import annotations

from lxml import html

from cms.content import load
from tests.admin.test_entries import FORM, _edit_form


def _text(browser, url: str, element_id: str) -> str:
    page = html.fromstring(browser.get(url).get_data(as_text=True))
    return page.get_element_by_id(element_id).text_content()


def _status(content_copy, slug: str) -> str:
    return load(content_copy).get("news", slug).status


def test_submit_return_with_a_reason_and_the_writer_sees_it(content_copy, as_role):
    writer, editor = as_role("writer"), as_role("editor")
    writer.post("/admin/news/new/", {**FORM, "slug": "song-qing-liang", "action": "submit"})
    assert _status(content_copy, "song-qing-liang") == "review"
    assert "坂田街道开展夏季送清凉活动" in _text(editor, "/admin/", "awaiting-review")

    form = _edit_form(editor, "news", "song-qing-liang")
    refused = editor.post("/admin/news/edit/?id=song-qing-liang", {**form, "action": "return"})
    assert refused.status_code == 200 and "退回修改请写明理由" in refused.get_data(as_text=True)
    assert _status(content_copy, "song-qing-liang") == "review"

    editor.post(
        "/admin/news/edit/?id=song-qing-liang",
        {**form, "action": "return", "reason": "标题太长，请删去“街道”二字。"},
    )
    assert _status(content_copy, "song-qing-liang") == "draft"
    inbox = _text(writer, "/admin/", "returned")
    assert "坂田街道开展夏季送清凉活动" in inbox and "标题太长" in inbox
    notes = _text(writer, "/admin/news/edit/?id=song-qing-liang", "notes-list")
    assert "退回修改" in notes and "标题太长" in notes and "editor" in notes

    writer.post("/admin/news/comment/", {"id": "song-qing-liang", "text": "已改，请再看看。"})
    assert "已改，请再看看。" in _text(editor, "/admin/news/edit/?id=song-qing-liang", "notes-list")


def test_a_writer_recalls_a_submission_and_deletes_only_their_own_drafts(content_copy, as_role):
    writer = as_role("writer")
    writer.post("/admin/news/new/", {**FORM, "slug": "song-qing-liang", "action": "submit"})
    form = _edit_form(writer, "news", "song-qing-liang")
    writer.post("/admin/news/edit/?id=song-qing-liang", {**form, "action": "recall"})
    assert _status(content_copy, "song-qing-liang") == "draft"

    others = load(content_copy).get("news", "secret-draft-plan")  # not made by this writer
    response = writer.post(
        "/admin/news/delete/", {"id": "secret-draft-plan", "version": others.version}
    )
    assert response.status_code == 403
    mine = load(content_copy).get("news", "song-qing-liang")
    response = writer.post(
        "/admin/news/delete/", {"id": "song-qing-liang", "version": mine.version}
    )
    assert response.status_code == 302
    assert not (content_copy / "news" / "song-qing-liang.md").exists()


def test_only_a_submission_can_be_sent_back(content_copy, as_role):
    editor = as_role("editor")
    form = _edit_form(editor, "news", "secret-draft-plan")
    response = editor.post(
        "/admin/news/edit/?id=secret-draft-plan", {**form, "action": "return", "reason": "x"}
    )
    assert response.status_code == 400


def test_an_editor_s_own_schedules_are_in_their_inbox(content_copy, as_role, admin_app):
    from cms.admin.publish import publisher

    editor = as_role("editor")
    form = _edit_form(editor, "news", "secret-review-note")
    form["publish_at"] = "2026-12-03T08:00"
    editor.post("/admin/news/edit/?id=secret-review-note", {**form, "action": "publish"})
    with admin_app.app_context():
        publisher().wait(300)
    assert "2026-12-03 08:00 上线" in _text(editor, "/admin/", "my-scheduled")


def test_a_draft_s_slug_can_change_until_it_is_first_published(content_copy, as_role):
    editor = as_role("editor")
    form = _edit_form(editor, "news", "secret-draft-plan")
    assert form["slug"] == "secret-draft-plan"
    response = editor.post(
        "/admin/news/edit/?id=secret-draft-plan", {**form, "slug": "draft-plan-2026"}
    )
    assert response.location == "/admin/news/edit/?id=draft-plan-2026"
    assert not (content_copy / "news" / "secret-draft-plan.md").exists()
    assert (content_copy / "news" / "draft-plan-2026.md").is_file()

    form = _edit_form(editor, "news", "plenary-2026")  # published: its address stays
    editor.post("/admin/news/edit/?id=plenary-2026", {**form, "slug": "renamed", "action": "save"})
    assert (content_copy / "news" / "plenary-2026.md").is_file()
    assert not (content_copy / "news" / "renamed.md").exists()


def test_a_refused_save_never_invents_a_slug(as_role):
    writer = as_role("writer")
    response = writer.post("/admin/news/new/", {**FORM, "title": "", "slug": "", "action": "save"})
    page = html.fromstring(response.get_data(as_text=True))
    assert page.get_element_by_id("slug").get("value") in (None, "")
