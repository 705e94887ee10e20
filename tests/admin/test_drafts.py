"""Nothing typed is lost: autosaved drafts, sliding sessions, and a refused submit that keeps
every field of the form and says in Chinese what happened and how to go on."""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path

from .conftest import token_of
from .test_entries import _edit_form

TYPED = {
    "title": "全会改期到下周三",
    "tags": "工联会、产业工人",
    "summary": "改期的一句话摘要。",
    "author": "区总工会办公室",
    "body": "各基层工会：全会改期。\n\n请相互转告。\n",
}


def _age_sessions(admin_app, seconds: float) -> None:
    """Move every session's last activity (and start) ``seconds`` into the past."""
    db = sqlite3.connect(Path(admin_app.instance_path) / "admin.sqlite3")
    with db:
        db.execute("UPDATE sessions SET seen = seen - ?, created = created - ?", (seconds, seconds))
    db.close()


def test_autosave_keeps_every_field_and_offers_it_back(content_copy, as_role):
    editor = as_role("editor")
    form = {**_edit_form(editor, "news", "plenary-2026"), **TYPED}
    before = (content_copy / "news" / "plenary-2026.md").read_bytes()
    answer = editor.post("/admin/news/autosave/?id=plenary-2026", form)
    assert answer.status_code == 200 and answer.json["saved"]
    assert (content_copy / "news" / "plenary-2026.md").read_bytes() == before  # never the file

    page = editor.get("/admin/news/edit/?id=plenary-2026").get_data(as_text=True)
    assert "自动保存的草稿" in page and 'id="draft-restore"' in page
    restored = _edit_form(editor, "news", "plenary-2026")  # as loaded, without the draft
    assert restored["title"] != TYPED["title"]
    from lxml import html

    page = html.fromstring(
        editor.get("/admin/news/edit/?id=plenary-2026&draft=1").get_data(as_text=True)
    )
    values = dict(page.get_element_by_id("entry-form").form_values())
    for name, value in TYPED.items():
        assert values[name].strip() == value.strip(), name
    assert "已恢复" in page.get_element_by_id("draft-offer").text_content()

    # Saving the entry ends the draft.
    saved = editor.post("/admin/news/edit/?id=plenary-2026", {**form, "action": "save"})
    assert saved.status_code == 302
    assert 'id="draft-offer"' not in editor.get("/admin/news/edit/?id=plenary-2026").get_data(
        as_text=True
    )


def test_a_draft_of_a_new_entry_and_discarding_it(as_role):
    writer = as_role("writer")
    writer.post("/admin/news/autosave/?id=", {"title": "还没写完的新稿", "body": "开头"})
    page = writer.get("/admin/news/new/").get_data(as_text=True)
    assert 'id="draft-restore"' in page
    assert "还没写完的新稿" in writer.get("/admin/news/new/?draft=1").get_data(as_text=True)
    other = as_role("editor").get("/admin/news/new/").get_data(as_text=True)
    assert "draft-offer" not in other  # a writer's drafts are their own
    assert writer.post("/admin/news/draft/discard/?id=").status_code == 302
    assert 'id="draft-offer"' not in writer.get("/admin/news/new/").get_data(as_text=True)


def test_sessions_slide_with_activity_and_end_when_idle(admin_app, as_role):
    editor = as_role("editor")
    for _ in range(3):  # 3 × 90 minutes of work, each step active: still logged in
        _age_sessions(admin_app, 90 * 60)
        assert editor.get("/admin/").status_code == 200
    _age_sessions(admin_app, 2 * 3600 + 60)  # then two hours away from the desk
    response = editor.get("/admin/")
    assert response.status_code == 302 and "/admin/login/" in response.location


def test_sessions_end_after_seven_days_however_active(admin_app, as_role):
    editor = as_role("editor")
    db = sqlite3.connect(Path(admin_app.instance_path) / "admin.sqlite3")
    with db:
        db.execute("UPDATE sessions SET created = ?", (time.time() - 7 * 24 * 3600 - 60,))
    db.close()
    assert editor.get("/admin/").status_code == 302


def test_a_submit_after_the_session_expired_keeps_the_whole_form(admin_app, as_role):
    editor = as_role("editor")
    form = {**_edit_form(editor, "news", "plenary-2026"), **TYPED, "action": "save"}
    _age_sessions(admin_app, 3 * 3600)
    response = editor.post("/admin/news/edit/?id=plenary-2026", form)
    text = response.get_data(as_text=True)
    assert response.status_code == 401
    assert "登录已过期（超过 2 小时没有操作" in text and "CSRF" not in text
    for value in TYPED.values():
        assert value.strip().split("\n")[0] in text  # every field shown, to copy from
    assert "留作草稿" in text and "重新登录并继续" in text
    assert "/admin/login/?next=/admin/news/edit/?id%3Dplenary-2026" in text or (
        "next=/admin/news/edit/" in text
    )

    # Logging in again: the entry offers the draft, with every field.
    assert editor.login("editor").status_code == 302
    page = editor.get("/admin/news/edit/?id=plenary-2026&draft=1").get_data(as_text=True)
    for value in TYPED.values():
        assert value.strip().split("\n")[0] in page


def test_a_page_opened_before_logging_in_again_keeps_its_form(as_role):
    """Another tab logged in again meanwhile: the old page's token is stale, nothing is lost."""
    editor = as_role("editor")
    form = {**_edit_form(editor, "news", "plenary-2026"), **TYPED, "action": "save"}
    editor.login("editor")  # a fresh login: the form above carries the old token
    response = editor.post("/admin/news/edit/?id=plenary-2026", form)
    text = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "CSRF" not in text and "没有保存到网站" in text and "打开这篇稿件继续" in text
    assert TYPED["title"] in editor.get("/admin/news/edit/?id=plenary-2026&draft=1").get_data(
        as_text=True
    )


def test_a_stale_login_page_asks_again_in_chinese(anonymous):
    token = token_of(anonymous.get("/admin/login/").get_data(as_text=True))
    anonymous.client.delete_cookie("yizhan_admin", path="/admin")
    response = anonymous.client.post(
        "/admin/login/", data={"csrf_token": token, "name": "editor", "password": "x" * 12},
        follow_redirects=True,
    )  # fmt: skip
    assert "登录页打开太久了" in response.get_data(as_text=True)


def test_an_autosave_is_capped_and_says_so_in_chinese(as_role):
    editor = as_role("editor")
    answer = editor.post("/admin/news/autosave/?id=plenary-2026", {"body": "长" * 2_000_000})
    assert answer.status_code == 413 and "没有自动保存" in answer.json["error"]


def test_the_home_page_lists_my_autosaved_drafts(as_role):
    writer = as_role("writer")
    writer.post("/admin/news/autosave/?id=", {"title": "还没写完的新稿", "body": "开头"})
    writer.post("/admin/stations/autosave/?id=bantian-care-01", {"name": "坂田驿站（改名中）"})
    from lxml import html

    page = html.fromstring(writer.get("/admin/").get_data(as_text=True))
    items = [" ".join(li.text_content().split()) for li in page.get_element_by_id("autosaved")]
    assert items[0].startswith("坂田驿站（改名中） 服务阵地 ·")
    assert items[1].startswith("还没写完的新稿 新闻（新建） ·")
    links = page.get_element_by_id("autosaved").xpath(".//a/@href")
    assert links == ["/admin/stations/edit/?id=bantian-care-01&draft=1", "/admin/news/new/?draft=1"]
    assert "autosaved" not in as_role("editor").get("/admin/").get_data(as_text=True)
