"""Checks before review: the word list, where words are found, and images without alt text."""

from __future__ import annotations

import dataclasses

import pytest

from cms.content import load
from cms.content.checks import check_entry, found_words, read_words
from cms.content.library import describe

WORDS = """words:
  - 最好
  - {word: 内部资料, note: 内部资料不应公开发布}
  - {word: VIP}
  - 42
  - {note: 没有词}
"""


@pytest.fixture
def content(content_copy):
    (content_copy / "words.yml").write_text(WORDS, encoding="utf-8")
    return content_copy


def test_the_word_list_takes_strings_and_words_with_notes(content):
    words = read_words(content)
    assert [(w.text, w.note) for w in words] == [
        ("最好", ""), ("内部资料", "内部资料不应公开发布"), ("VIP", "")
    ]  # fmt: skip
    assert found_words("本站最好，vip 专享，最好！", words) == [(words[0], 2), (words[2], 1)]


def test_a_missing_or_broken_list_checks_nothing(content_copy):
    assert read_words(content_copy) == []
    (content_copy / "words.yml").write_text("words: [unclosed", encoding="utf-8")
    assert read_words(content_copy) == []


def test_words_are_named_by_field_with_counts_and_notes(content):
    news = load(content).get("news", "plenary-2026")
    news = dataclasses.replace(
        news, title="最好的一次全会", tags=["内部资料"], body="这是最好的安排。\n\n" + news.body
    )
    warnings = check_entry(content, news)
    assert warnings[:3] == [
        "标题：含有敏感词或禁用词“最好” 1 处",
        "标签：含有敏感词或禁用词“内部资料” 1 处（内部资料不应公开发布）",
        "正文：含有敏感词或禁用词“最好” 1 处",
    ]


def test_images_without_alt_are_flagged_unless_the_library_describes_them(content):
    news = load(content).get("news", "stations-network-2025")  # cover media/2025/x.jpg
    news = dataclasses.replace(
        news,
        body='![](../media/2025/x.jpg)\n\n![现场](../media/2025/x.jpg)\n\n<img src="/media/a.png">',
    )
    warnings = check_entry(content, news)
    assert [w.split("（")[0] for w in warnings] == [
        "封面：图片 x.jpg 没有替代文字",
        "正文：图片 x.jpg 没有替代文字",
        "正文：图片 a.png 没有替代文字",
    ]
    describe(content / "media", "media/2025/x.jpg", alt="驿站门口")
    assert [w.split("（")[0] for w in check_entry(content, news)] == [
        "正文：图片 a.png 没有替代文字"
    ]
