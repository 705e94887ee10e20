"""Rollback says what it undid and marks what is now ahead of the site, with a way back."""

from __future__ import annotations

from lxml import html

from cms.admin.publish import publisher
from cms.content import load
from tests.admin.test_entries import _edit_form
from tests.admin.test_live import _settle


def _ahead(browser) -> list[str]:
    page = html.fromstring(browser.get("/admin/publish/").get_data(as_text=True))
    return [
        li.text_content().split("被撤销")[0].strip() for li in page.xpath('//*[@id="ahead"]//li')
    ]


def _published_once(admin_app, admin) -> None:
    """The site as it was before the day's work (a release to roll back to)."""
    admin.post("/admin/publish/start/")
    _settle(admin_app)


def _page(admin_app, tmp_path, slug: str) -> bool:
    return (tmp_path / "site" / "news" / slug / "index.html").exists()


def test_an_approval_rolled_back_is_marked_and_reverted_to_draft(admin_app, content_copy, as_role,
                                                                  tmp_path):  # fmt: skip
    editor, admin = as_role("editor"), as_role("admin")
    _published_once(admin_app, admin)
    form = _edit_form(editor, "news", "secret-review-note")
    editor.post("/admin/news/edit/?id=secret-review-note", {**form, "action": "publish"})
    _settle(admin_app)
    assert _page(admin_app, tmp_path, "secret-review-note")

    said = admin.get(admin.post("/admin/publish/rollback/").location).get_data(as_text=True)
    assert "下面列出的条目内容现在比网站新" in said
    assert not _page(admin_app, tmp_path, "secret-review-note")
    title = load(content_copy).get("news", "secret-review-note").title_text
    assert _ahead(admin) == [f"新闻《{title}》"]
    form = editor.get("/admin/news/edit/?id=secret-review-note").get_data(as_text=True)
    assert 'id="entry-ahead"' in form and "这个条目现在的内容比网站上的新" in form

    response = admin.post(
        "/admin/publish/ahead/",
        {"kind": "news", "slug": "secret-review-note", "then": "revert"},
    )
    said = admin.get(response.location).get_data(as_text=True)
    assert "已改为草稿，与网站一致" in said
    assert load(content_copy).get("news", "secret-review-note").status == "draft"
    assert _ahead(admin) == []
    # the next publish (someone approves something else) does not bring it back
    form = _edit_form(editor, "news", "secret-draft-plan")
    editor.post("/admin/news/edit/?id=secret-draft-plan", {**form, "action": "publish"})
    _settle(admin_app)
    assert _page(admin_app, tmp_path, "secret-draft-plan")
    assert not _page(admin_app, tmp_path, "secret-review-note")


def test_an_edit_rolled_back_can_be_reverted_to_the_text_the_site_shows(admin_app, content_copy,
                                                                         as_role):  # fmt: skip
    editor, admin = as_role("editor"), as_role("admin")
    before = load(content_copy).get("news", "plenary-2026").title
    form = _edit_form(editor, "news", "plenary-2026")
    editor.post("/admin/news/edit/?id=plenary-2026", {**form, "title": "发错的标题"})
    _settle(admin_app)  # the first publish of this admin puts everything up; edit then publish
    form = _edit_form(editor, "news", "plenary-2026")
    editor.post("/admin/news/edit/?id=plenary-2026", {**form, "title": "又发错的标题"})
    _settle(admin_app)
    admin.post("/admin/publish/rollback/")
    assert _ahead(admin) == ["新闻《又发错的标题》"]
    admin.post("/admin/publish/ahead/", {"kind": "news", "slug": "plenary-2026", "then": "revert"})
    assert load(content_copy).get("news", "plenary-2026").title == "发错的标题"
    assert before != "发错的标题"


def test_kept_or_unsettled_marks_are_named_by_the_next_publish(admin_app, content_copy, as_role):
    editor, admin = as_role("editor"), as_role("admin")
    _published_once(admin_app, admin)
    form = _edit_form(editor, "news", "secret-review-note")
    editor.post("/admin/news/edit/?id=secret-review-note", {**form, "action": "publish"})
    _settle(admin_app)
    admin.post("/admin/publish/rollback/")
    assert len(_ahead(admin)) == 1
    admin.post("/admin/publish/start/")
    _settle(admin_app)
    with admin_app.app_context():
        job = publisher().last()
    assert any("回滚后内容比网站新的条目随这次发布上线" in w for w in job.warnings)
    assert _ahead(admin) == []
