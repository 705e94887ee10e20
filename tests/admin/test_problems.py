"""The content checks' problems reach the admin's forms in Chinese, at their field."""

from __future__ import annotations

import re

import pytest

from cms.admin.problems import in_chinese
from cms.content import load, writer

from ..conftest import DATA
from ..security.naughty import field_errors
from .test_entries import FORM

CJK = re.compile(r"[\u4e00-\u9fff]")
LONG = "长" * 2000

# (kind, slug of an entry in tests/data, changes to its fields, body or None)
BAD = [
    ("news", "plenary-2026", {"title": ""}, None),
    ("news", "plenary-2026", {"title": "标\x01题"}, None),
    ("news", "plenary-2026", {"summary": LONG}, None),
    ("news", "plenary-2026", {"title": ["a"]}, None),
    ("news", "plenary-2026", {"date": "昨天"}, None),
    ("news", "plenary-2026", {"category": "nope"}, None),
    ("news", "plenary-2026", {"tags": ["上/下班"]}, None),
    ("news", "plenary-2026", {"tags": [".."]}, None),
    ("news", "plenary-2026", {"tags": [" "]}, None),
    ("news", "plenary-2026", {"cover": "photo.jpg"}, None),
    ("news", "plenary-2026", {"title": None}, None),
    ("news", "plenary-2026", {}, "第一行\n第二行\x07\n"),
    ("activities", "open-training-2026", {"registration": {"phone": "打电话"}}, None),
    ("activities", "open-training-2026", {"registration": {"url": "ftp://x"}}, None),
    ("activities", "open-training-2026", {"registration": {"capacity": -1}}, None),
    ("activities", "open-training-2026", {"registration": {"capacity": "很多"}}, None),
    ("activities", "open-training-2026", {"registration": {"deadline": "下周"}}, None),
    ("activities", "open-training-2026", {"registration": {"deadline": "2026-12-31"}}, None),
    ("activities", "open-training-2026", {"registration": {"registered": 41}}, None),
    ("stations", "bantian-care-01", {"location": {"lat": 222.0, "lng": 114.0}}, None),
    ("stations", "bantian-care-01", {"location": {"lat": 22.6, "lng": 514.0}}, None),
    ("stations", "bantian-care-01", {"access": "nope"}, None),
]


@pytest.mark.parametrize(("kind", "slug", "changes", "body"), BAD)
def test_every_content_problem_is_said_in_chinese(kind, slug, changes, body):
    entry = load(DATA / "content").get(kind, slug)
    fields = {**writer.fields_of(entry), "status": entry.status}
    for name, value in changes.items():
        if isinstance(value, dict) and isinstance(fields.get(name), dict):
            fields[name] = {**fields[name], **value}
        elif value is None:
            fields.pop(name)
        else:
            fields[name] = value
    text = writer.dump(kind, fields, body if body is not None else entry.body)
    if "title" in changes and changes["title"] == "":  # dump leaves an empty value out
        text = text.replace("---\n", "---\ntitle: ''\n", 1)
    problems = writer.validate(DATA / "content", kind, slug, text)
    assert problems, (kind, changes)
    for problem in problems:
        said = in_chinese(problem)
        assert not said.startswith("内容检查未通过"), problem.message
        assert CJK.search(said), said
        assert problem.field.split(".")[0] not in said.split("：")[0], said  # the label says it


def test_an_unknown_problem_keeps_its_words():
    from cms.content.errors import Problem

    said = in_chinese(Problem("content/news/x.md", 3, "title", "title is odd in a new way"))
    assert said == "内容检查未通过：title is odd in a new way"


def test_the_form_shows_the_problem_in_chinese_at_its_field(content_copy, as_role):
    editor = as_role("editor")
    response = editor.post(
        "/admin/news/new/",
        {**FORM, "slug": "tag-test", "tags": "送清凉, 上/下班", "action": "save"},
    )
    errors = field_errors(response.get_data(as_text=True))
    assert errors["tags"] == ["标签 “上/下班” 最多 30 个字，且不能含“/”"]
    assert not (content_copy / "news" / "tag-test.md").exists()
