"""Creating, editing, deleting, conflicts, revisions and previews through the admin pages."""

from __future__ import annotations

import re
from pathlib import Path

from cms.content import load

FORM = {
    "title": "坂田街道开展夏季送清凉活动",
    "date": "2026-11-24T09:30",
    "category": "service",
    "tags": "送清凉, 环卫工人",
    "summary": "为户外劳动者送去清凉。",
    "cover": "",
    "author": "宣传部",
    "publish_at": "",
    "body": "街道工会走访了 **12 个**驿站。\n",
}
EXPECTED = """---
title: 坂田街道开展夏季送清凉活动
date: 2026-11-24 09:30:00+08:00
category: service
tags:
- 送清凉
- 环卫工人
summary: 为户外劳动者送去清凉。
author: 宣传部
status: draft
---
街道工会走访了 **12 个**驿站。
"""


def _file(root: Path, kind: str, slug: str) -> Path:
    return root / kind / f"{slug}.md"


def _edit_form(browser, kind: str, slug: str) -> dict:
    """Return the fields the edit page would post, as loaded (including the version)."""
    from lxml import html

    page = html.fromstring(browser.get(f"/admin/{kind}/edit/?id={slug}").get_data(as_text=True))
    form = page.get_element_by_id("entry-form")
    data = {}
    textareas = {t.name for t in form.iter("textarea")}
    for name, value in form.form_values():
        if name in textareas:  # browsers drop the newline right after <textarea>
            value = value.removeprefix("\r\n").removeprefix("\n")
        if name in data and isinstance(data[name], list):
            data[name].append(value)
        elif name in data:
            data[name] = [data[name], value]
        else:
            data[name] = value
    return data


def test_create_writes_exactly_the_expected_file(content_copy, as_role):
    writer = as_role("writer")
    response = writer.post(
        "/admin/news/new/", {**FORM, "slug": "song-qing-liang", "action": "save"}
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    assert response.location == "/admin/news/edit/?id=song-qing-liang"
    assert _file(content_copy, "news", "song-qing-liang").read_text(encoding="utf-8") == EXPECTED


def test_create_refuses_a_taken_or_bad_slug(content_copy, as_role):
    editor = as_role("editor")
    before = _file(content_copy, "news", "plenary-2026").read_text(encoding="utf-8")
    response = editor.post("/admin/news/new/", {**FORM, "slug": "plenary-2026"})
    assert response.status_code == 200
    assert "这个网址名已被使用" in response.get_data(as_text=True)
    assert _file(content_copy, "news", "plenary-2026").read_text(encoding="utf-8") == before
    response = editor.post("/admin/news/new/", {**FORM, "slug": "../../etc/passwd"})
    assert "网址名只能用小写英文字母" in response.get_data(as_text=True)



def test_one_submit_names_every_problem_at_its_field(content_copy, as_role):
    """The form's checks and the content checks answer together: an editor fixes everything in
    one go instead of meeting a new error after each fix. Nothing is written meanwhile."""
    from ..security.naughty import field_errors

    editor = as_role("editor")
    before = sorted(p.name for p in (content_copy / "news").iterdir())
    bad = {**FORM, "tags": "送清凉, 上/下班", "author": "宣传部"}
    cases = {
        "bad slug": ({**bad, "slug": "Bad Slug!"}, "网址名只能用小写英文字母"),
        "taken slug": ({**bad, "slug": "plenary-2026"}, "这个网址名已被使用"),
        "bad cover": ({**bad, "slug": "ok-slug", "cover": "../x.jpg"}, "请从媒体库选择图片"),
    }
    for case, (form, message) in cases.items():
        response = editor.post("/admin/news/new/", {**form, "action": "publish"})
        assert response.status_code == 200, case
        errors = field_errors(response.get_data(as_text=True))
        first = "cover" if case == "bad cover" else "slug"
        assert any(message in m for m in errors[first]), (case, errors)
        assert any("上/下班" in m for m in errors["tags"]), (case, errors)
        assert set(errors) == {first, "tags"}, (case, errors)  # good fields are not blamed
    assert sorted(p.name for p in (content_copy / "news").iterdir()) == before

    slug = "plenary-2026"
    data = _edit_form(editor, "news", slug)
    text = _file(content_copy, "news", slug).read_text(encoding="utf-8")
    response = editor.post(
        f"/admin/news/edit/?id={slug}",
        {**data, "date": "not a date", "tags": "a/b", "action": "save"},
    )
    errors = field_errors(response.get_data(as_text=True))
    assert set(errors) == {"date", "tags"}, errors
    assert _file(content_copy, "news", slug).read_text(encoding="utf-8") == text

def test_slug_is_suggested_from_pinyin_and_unique(as_role):
    writer = as_role("writer")
    assert writer.get("/admin/news/slug/?title=职工之家").json == {"slug": "zhi-gong-zhi-jia"}
    assert writer.get("/admin/pages/slug/?title=about").json == {"slug": "about-2"}


def test_edit_writes_exactly_the_expected_file(content_copy, as_role):
    editor = as_role("editor")
    path = _file(content_copy, "news", "plenary-2026")
    original = path.read_text(encoding="utf-8")
    data = _edit_form(editor, "news", "plenary-2026")
    data["body"] = data["body"].replace("部署下一阶段任务。", "部署下一阶段任务，加强驿站建设。")
    data["action"] = "save"
    response = editor.post("/admin/news/edit/?id=plenary-2026", data)
    assert response.status_code == 302
    expected = original.replace(
        "date: 2026-11-20T10:00:00+08:00\n", "date: 2026-11-20 10:00:00+08:00\n"
    ).replace("tags: [工联会, 产业工人]\n", "tags:\n- 工联会\n- 产业工人\n")
    expected = expected.replace("部署下一阶段任务。", "部署下一阶段任务，加强驿站建设。")
    assert path.read_text(encoding="utf-8") == expected


def test_delete_removes_exactly_the_file_and_keeps_it_in_history(content_copy, as_role):
    editor = as_role("editor")
    before = {p.name for p in (content_copy / "news").iterdir()}
    version = load(content_copy).get("news", "legal-aid-2026").version
    response = editor.post("/admin/news/delete/", {"id": "legal-aid-2026", "version": version})
    assert response.status_code == 302
    after = {p.name for p in (content_copy / "news").iterdir()}
    assert before - after == {"legal-aid-2026.md"} and after <= before
    history = editor.get("/admin/news/history/?id=legal-aid-2026").get_data(as_text=True)
    assert "删除" in history


def test_stale_save_gets_the_conflict_page_and_overwrites_nothing(content_copy, as_role):
    first, second = as_role("editor"), as_role("admin")
    mine = _edit_form(first, "news", "plenary-2026")
    theirs = _edit_form(second, "news", "plenary-2026")
    theirs["body"] += "\n第二位编辑补充的一段。\n"
    assert (
        second.post("/admin/news/edit/?id=plenary-2026", {**theirs, "action": "save"}).status_code
        == 302
    )
    saved = _file(content_copy, "news", "plenary-2026").read_text(encoding="utf-8")
    mine["body"] += "\n我这边写的新段落。\n"
    response = first.post("/admin/news/edit/?id=plenary-2026", {**mine, "action": "save"})
    assert response.status_code == 409
    page = response.get_data(as_text=True)
    assert "保存冲突" in page
    assert "第二位编辑补充的一段。" in page  # the other change is shown
    assert "我这边写的新段落。" in page  # and this editor's text is kept for copying
    assert _file(content_copy, "news", "plenary-2026").read_text(encoding="utf-8") == saved


def test_restore_brings_back_a_revision(content_copy, as_role):
    editor = as_role("editor")
    path = _file(content_copy, "pages", "about")
    data = _edit_form(editor, "pages", "about")
    editor.post("/admin/pages/edit/?id=about", {**data, "body": "第一版。\n", "action": "save"})
    first = path.read_text(encoding="utf-8")
    data = _edit_form(editor, "pages", "about")
    editor.post("/admin/pages/edit/?id=about", {**data, "body": "全部改掉了。\n", "action": "save"})
    assert "全部改掉了" in path.read_text(encoding="utf-8")
    history = editor.get("/admin/pages/history/?id=about").get_data(as_text=True)
    revisions = re.findall(r"rev=([0-9a-f]{40})", history)
    assert len(revisions) == 3  # the file as it was before the first save is kept too
    assert "外部修改" in history
    page = editor.get(f"/admin/pages/revision/?id=about&rev={revisions[1]}")
    assert "全部改掉了" in page.get_data(as_text=True)  # the diff against now shows it
    version = load(content_copy).get("pages", "about").version
    response = editor.post(
        "/admin/pages/restore/", {"id": "about", "rev": revisions[1], "version": version}
    )
    assert response.status_code == 302
    assert path.read_text(encoding="utf-8") == first


def test_workflow_draft_review_published_and_unpublish(content_copy, as_role):
    writer, editor = as_role("writer"), as_role("editor")
    writer.post("/admin/news/new/", {**FORM, "slug": "flow", "action": "submit"})
    assert "status: review" in _file(content_copy, "news", "flow").read_text(encoding="utf-8")
    home = editor.get("/admin/").get_data(as_text=True)
    assert "坂田街道开展夏季送清凉活动" in home.split('id="awaiting-review"')[1].split("</ul>")[0]
    data = _edit_form(editor, "news", "flow")
    editor.post("/admin/news/edit/?id=flow", {**data, "publish_at": "2026-12-01T08:00",
                                               "action": "publish"})  # fmt: skip
    text = _file(content_copy, "news", "flow").read_text(encoding="utf-8")
    assert "status: published" in text and "publish_at: 2026-12-01 08:00:00+08:00" in text
    listing = editor.get("/admin/news/?search=送清凉").get_data(as_text=True)
    assert "定时发布 2026-12-01 08:00" in listing
    data = _edit_form(editor, "news", "flow")
    editor.post("/admin/news/edit/?id=flow", {**data, "action": "unpublish"})
    assert "status: draft" in _file(content_copy, "news", "flow").read_text(encoding="utf-8")


def test_list_searches_chinese_and_filters(as_role):
    writer = as_role("writer")
    page = writer.get("/admin/news/?search=全体").get_data(as_text=True)
    assert "区总工会召开全体（扩大）会议" in page and "mother-room-2026" not in page
    page = writer.get("/admin/news/?flt0_0=draft").get_data(as_text=True)
    assert "secret-draft-plan" in page and "plenary-2026" not in page
    page = writer.get("/admin/stations/?flt0_2=bantian").get_data(as_text=True)
    assert "bantian-care-01" in page and "longcheng-home-01" not in page


def test_preview_renders_the_draft_with_the_public_theme_and_sanitiser(as_role):
    writer = as_role("writer")
    response = writer.post(
        "/admin/news/preview/",
        {**FORM, "slug": "", "body": "预览正文<script>alert(1)</script>[x](javascript:alert(1))"},
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "预览：此页面尚未发布" in page and "坂田街道开展夏季送清凉活动" in page
    stylesheet = re.search(r"/admin/site/static/css/site\.[0-9a-f]{12}\.css", page)
    assert stylesheet  # the public theme's stylesheet, under its content-hashed name
    assert "<script>alert" not in page and "javascript:" not in page
    saved_draft = writer.get("/admin/news/preview/?id=secret-draft-plan")
    assert saved_draft.status_code == 200 and "预览" in saved_draft.get_data(as_text=True)
    with writer.get(stylesheet[0]) as css:
        assert css.status_code == 200


def test_the_live_preview_frame_cannot_run_scripts(as_role):
    # The preview shows a draft as the public page; its frame is sandboxed without
    # allow-scripts, so even a page the sanitiser missed could not run in the admin's origin.
    from lxml import html

    for kind, slug in [("news", "secret-draft-plan"), ("stations", "bantian-care-01")]:
        page = html.fromstring(as_role("editor").get(f"/admin/{kind}/edit/?id={slug}").data)
        (frame,) = page.xpath('//iframe[@id="live-preview"]')
        tokens = (frame.get("sandbox") or "").split()
        assert frame.get("sandbox") is not None and "allow-scripts" not in tokens, kind
        assert frame.get("src") is None  # filled through srcdoc by admin.js


def test_station_paste_converts_gcj02_to_wgs84(content_copy, as_role):
    editor = as_role("editor")
    data = _edit_form(editor, "stations", "bantian-care-01")
    data.update(paste="114.054935,22.634962", paste_crs="gcj02", action="save")
    assert editor.post("/admin/stations/edit/?id=bantian-care-01", data).status_code == 302
    station = load(content_copy).get("stations", "bantian-care-01")
    assert abs(station.location.lng - 114.0497) < 0.001
    assert abs(station.location.lat - 22.6375) < 0.001
