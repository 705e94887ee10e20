"""The conflict page merges field by field: theirs beside yours, either taken, saved at once."""

from __future__ import annotations

from lxml import html

from cms.admin import merge
from cms.content import load

from .test_entries import _edit_form, _file


def _conflict(as_role, content_copy):
    """Two editors open the plenary news; the first changes the title and saves, the second
    changes the summary and the body from the version they loaded: a conflict page."""
    first, second = as_role("editor"), as_role("admin")
    theirs, mine = (
        _edit_form(first, "news", "plenary-2026"),
        _edit_form(second, "news", "plenary-2026"),
    )
    saved = first.post(
        "/admin/news/edit/?id=plenary-2026", {**theirs, "title": "对方改的标题", "action": "save"}
    )
    assert saved.status_code == 302
    body = mine["body"] + "\n我加的一段。\n"
    page = second.post(
        "/admin/news/edit/?id=plenary-2026",
        {**mine, "summary": "我写的摘要", "body": body, "action": "save"},
    )
    assert page.status_code == 409
    return second, html.fromstring(page.get_data(as_text=True))


def test_the_conflict_page_shows_each_field_on_both_sides(as_role, content_copy):
    _, page = _conflict(as_role, content_copy)
    title = page.get_element_by_id("merge-title")
    assert "对方改的标题" in title.text_content()
    # only they changed the title: theirs is taken unless told
    assert title.xpath('.//input[@value="theirs"]')[0].get("checked") is not None
    summary = page.get_element_by_id("merge-summary")
    assert "我写的摘要" in summary.text_content()
    assert summary.xpath('.//input[@value="mine"]')[0].get("checked") is not None
    headers = [th.text_content() for th in page.xpath('//table[contains(@class,"diff-sides")]//th')]
    assert headers == ["对方保存的", "你的"]
    added = page.xpath('//tr[contains(@class,"diff-row-add")]/td[@class="diff-mine"]')
    assert [td.text_content() for td in added if td.text_content()] == ["我加的一段。"]
    assert "我加的一段。" in page.get_element_by_id("mine").text_content()


def test_the_merge_is_saved_in_one_step(as_role, content_copy):
    editor, page = _conflict(as_role, content_copy)
    form = page.get_element_by_id("merge-form")
    data = dict(form.form_values())
    data["mine"] = data["mine"].removeprefix("\n")
    response = editor.post("/admin/news/merge/", data)
    assert response.status_code == 302
    entry = load(content_copy).get("news", "plenary-2026")
    assert entry.title == "对方改的标题"
    assert entry.summary == "我写的摘要"
    assert "我加的一段。" in entry.body
    assert "对方改的标题" in _file(content_copy, "news", "plenary-2026").read_text("utf-8")


def test_taking_their_body_keeps_it(as_role, content_copy):
    editor, page = _conflict(as_role, content_copy)
    data = dict(page.get_element_by_id("merge-form").form_values())
    data.update({"take-body": "theirs", "take-title": "mine"})
    assert editor.post("/admin/news/merge/", data).status_code == 302
    entry = load(content_copy).get("news", "plenary-2026")
    assert "我加的一段。" not in entry.body
    assert entry.title != "对方改的标题" and entry.summary == "我写的摘要"


def test_a_merge_made_stale_by_a_third_save_is_a_conflict_again(as_role, content_copy):
    editor, page = _conflict(as_role, content_copy)
    data = dict(page.get_element_by_id("merge-form").form_values())
    third = as_role("editor")
    form = _edit_form(third, "news", "plenary-2026")
    third.post("/admin/news/edit/?id=plenary-2026", {**form, "author": "第三位", "action": "save"})
    response = editor.post("/admin/news/merge/", data)
    assert response.status_code == 409
    assert "第三位" in response.get_data(as_text=True)
    assert load(content_copy).get("news", "plenary-2026").summary != "我写的摘要"


def test_side_by_side_shortens_long_unchanged_stretches():
    same = [f"第{n}行" for n in range(20)]
    rows = merge.side_by_side("\n".join(same), "\n".join([*same[:10], "新的一行", *same[10:]]))
    kinds = [r.kind for r in rows]
    assert kinds.count("add") == 1 and "gap" in kinds
    assert len(rows) < 12


def test_values_are_shown_as_an_editor_knows_them(as_role, content_copy):
    """Vocabulary keys by their Chinese labels, times in the site's time zone."""
    first, second = as_role("editor"), as_role("admin")
    theirs = _edit_form(first, "news", "plenary-2026")
    mine = _edit_form(second, "news", "plenary-2026")
    first.post("/admin/news/edit/?id=plenary-2026", {**theirs, "category": "notice"})
    page = second.post("/admin/news/edit/?id=plenary-2026", {**mine, "date": "2026-03-01T09:30"})
    assert page.status_code == 409
    doc = html.fromstring(page.get_data(as_text=True))
    category = doc.get_element_by_id("merge-category").text_content()
    assert "通知公告" in category and "notice" not in category
    assert "2026-03-01 09:30" in doc.get_element_by_id("merge-date").text_content()
