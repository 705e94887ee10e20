"""The holes the hostile-input runs found, each pinned by the smallest input that showed it."""

from __future__ import annotations

import pytest

from cms.content import load
from cms.content.errors import FieldError
from cms.content.fields import tags
from cms.content.reader import context_for, parse_entry
from cms.render import render_markdown

from ..admin.test_entries import FORM

NEWS = "---\ntitle: t\ndate: 2026-11-20T09:30:00+08:00\ncategory: work\nstatus: draft\n---\n"


@pytest.mark.parametrize("tag", ["..", ".", "a#b", "why?", "100%", "%2e%2e", "a\\b", "a\x1bb"])
def test_tags_that_cannot_be_an_address_are_refused(tag):
    # ".." made the build write the tag page over /news/index.html; "#", "?" and "%2e"
    # made it fail for everyone; control characters broke the feeds.
    with pytest.raises(FieldError):
        tags([tag], None)


def test_a_body_with_control_characters_is_refused_naming_the_line(content_copy):
    ctx = context_for(load(content_copy).site)
    text = NEWS + "第一行\n第二行 \x1b[31m红色\x1b[0m\n"
    entry, problems = parse_entry(text.encode(), "news", "x", ctx, "x.md")
    assert entry is None
    assert [(p.line, p.field) for p in problems] == [(8, "body")]
    assert "U+001B" in problems[0].message
    crlf = (NEWS + "Windows 行尾\r\n\t缩进\r\n").encode()
    assert parse_entry(crlf, "news", "x", ctx, "x.md")[1] == []


def test_encoded_control_characters_leave_the_sanitiser_as_replacement_characters():
    # They reached lxml (API, feeds) and failed the build; dropped instead of replaced,
    # "java&#1;script:" would have become a javascript: link.
    html = render_markdown("<a href=java&#1;script:alert(1)>x</a> a&#27;b")[0].html
    assert "\x01" not in html and "\x1b" not in html
    assert "javascript:" not in html and "java\ufffdscript:" in html


def test_an_all_digit_news_slug_is_refused_at_its_field(as_role, content_copy):
    # The build refuses it ("would clash with the year list"), so saving it stopped publishing.
    editor = as_role("editor")
    response = editor.post("/admin/news/new/", {**FORM, "slug": "2026", "action": "publish"})
    assert response.status_code == 200
    assert "不能全是数字" in response.get_data(as_text=True)
    assert not (content_copy / "news" / "2026.md").exists()
    suggested = editor.get("/admin/news/slug/?title=2026").json["slug"]
    assert suggested == "entry-2026"


def test_the_site_preview_keeps_the_target_of_its_redirects(as_role):
    response = as_role("writer").get("/admin/site/news")
    assert response.status_code == 308 and response.location == "/admin/site/news/"
