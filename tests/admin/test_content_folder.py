"""The admin reads the content as the build does: every problem on the home page, no stale lists.

Also: its forms state the content layer's limits, and it suggests names as the ledger does.
"""

from __future__ import annotations

from lxml import html

from cms.admin.forms import FORMS, Longest
from cms.content import load, slugs
from cms.content.schema import max_length

from .test_entries import FORM

MISSING_COVER = """---
title: 封面图丢失的新闻
date: 2026-11-21T10:00:00+08:00
category: work
cover: media/2026/no-such-photo.jpg
status: draft
---
正文。
"""


def _problems_on_home(browser) -> list[str]:
    page = html.fromstring(browser.get("/admin/").get_data(as_text=True))
    card = page.xpath('//h2[contains(., "有问题的文件")]/following-sibling::ul[1]')
    return [item.text_content() for item in card[0].iter("li")] if card else []


def test_the_home_page_shows_every_problem_the_build_would_report(content_copy, as_role):
    (content_copy / "news" / "lost-cover.md").write_text(MISSING_COVER, encoding="utf-8")
    problems = load(content_copy).problems
    assert any(p.path == "content/news/lost-cover.md" and p.field == "cover" for p in problems)

    shown = _problems_on_home(as_role("writer"))
    assert len(shown) == len(problems)
    lost = [line for line in shown if "content/news/lost-cover.md" in line]
    assert lost == ["封面图丢失的新闻（content/news/lost-cover.md:5）：封面图：媒体库里没有 "
                    "“media/2026/no-such-photo.jpg”"]  # fmt: skip


def test_a_media_file_added_later_clears_the_problem(content_copy, as_role):
    (content_copy / "news" / "lost-cover.md").write_text(MISSING_COVER, encoding="utf-8")
    writer = as_role("writer")
    assert any("lost-cover.md" in line for line in _problems_on_home(writer))
    (content_copy / "media" / "2026").mkdir(parents=True, exist_ok=True)
    photo = next((content_copy / "media").rglob("*.jpg"))
    (content_copy / "media" / "2026" / "no-such-photo.jpg").write_bytes(photo.read_bytes())
    assert not any("lost-cover.md" in line for line in _problems_on_home(writer))


def test_a_save_is_in_the_next_list(content_copy, as_role):
    editor = as_role("editor")
    assert "坂田街道开展夏季送清凉活动" not in editor.get("/admin/news/").get_data(as_text=True)
    response = editor.post("/admin/news/new/", {**FORM, "slug": "song-qing-liang"})
    assert response.status_code == 302
    assert "坂田街道开展夏季送清凉活动" in editor.get("/admin/news/").get_data(as_text=True)

    edit = html.fromstring(editor.get("/admin/news/edit/?id=song-qing-liang").get_data())
    version = edit.xpath('//input[@name="version"]/@value')[0]
    changed = {**FORM, "title": "改过的标题", "version": version, "action": "save"}
    assert editor.post("/admin/news/edit/?id=song-qing-liang", changed).status_code == 302
    listed = editor.get("/admin/news/").get_data(as_text=True)
    assert "改过的标题" in listed and "坂田街道开展夏季送清凉活动" not in listed


def test_the_forms_state_the_content_layers_limits(admin_app):
    def longest(field) -> int:  # told at the field, never a maxlength the browser cuts at
        assert field.flags.maxlength is None
        return next(v.size for v in field.validators if isinstance(v, Longest))

    with admin_app.test_request_context():
        form = FORMS["news"]()
        assert longest(form.title) == max_length("news", "title") == 200
        assert longest(form.summary) == max_length("news", "summary")
        assert longest(form.slug) == slugs.MAX_LENGTH
        station = FORMS["stations"]()
        assert longest(station.name) == max_length("stations", "name") == 100


def test_digit_and_long_titles_are_suggested_as_the_ledger_suggests_them(as_role):
    writer = as_role("writer")
    for title in (
        "2026",
        "区总工会召开全体扩大会议部署一二三四工作主线推动产业工人队伍建设改革" * 2,
    ):
        got = writer.get("/admin/news/slug/", query_string={"title": title[:70]}).json["slug"]
        assert got == slugs.suggest(title[:70])
    assert writer.get("/admin/news/slug/?title=2026").json == {"slug": "entry-2026"}
    assert writer.get("/admin/pages/slug/?title=search").json == {"slug": "search-2"}
