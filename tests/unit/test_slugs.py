"""Slug rules: one suggestion for the admin and the ledger, and the names each kind refuses."""

from __future__ import annotations

import pytest

from cms.content import slugs
from cms.content.slugs import PATTERN, RESERVED, YEAR, refusal, suggest

LONG_TITLE = "区总工会召开全体扩大会议部署一二三四工作主线推动产业工人队伍建设改革走深走实" * 2


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("区总工会召开", "qu-zong-gong-hui-zhao-kai"),
        ("A座 驿站", "a-zuo-yi-zhan"),
        ("2026", "entry-2026"),  # all digits is a year list under /news/
        ("2026年", "2026-nian"),
        ("！！", "entry"),
        ("", "entry"),
        ("   ", "entry"),
    ],
)
def test_suggestions(title, expected):
    assert suggest(title) == expected


def test_a_long_title_is_cut_between_syllables():
    title = LONG_TITLE[:70]
    slug = suggest(title)
    assert len(slug) <= slugs.SUGGESTED_LENGTH
    syllables = slug.split("-")
    full = suggest(title[: len(syllables) + 1]).split("-")
    assert full[: len(syllables)] == syllables  # every syllable kept whole
    assert slugs.SLUG_RE.match(slug)


def test_taken_and_refused_names_get_a_number():
    assert suggest("A座 驿站", {"a-zuo-yi-zhan"}) == "a-zuo-yi-zhan-2"
    assert suggest("A座 驿站", {"a-zuo-yi-zhan", "a-zuo-yi-zhan-2"}) == "a-zuo-yi-zhan-3"
    assert suggest("news", kind="pages") == "news-2"
    assert suggest("news", kind="news") == "news"


@pytest.mark.parametrize(
    ("kind", "slug", "why"),
    [
        ("news", "2026", YEAR),
        ("stations", "2026", None),
        ("pages", "search", RESERVED),
        ("news", "search", None),
        ("pages", "Bad Slug", PATTERN),
        ("news", "-x", PATTERN),
        ("news", "x" * slugs.MAX_LENGTH, None),
        ("news", "x" * (slugs.MAX_LENGTH + 1), PATTERN),
    ],
)
def test_refusals(kind, slug, why):
    assert refusal(kind, slug) == why


@pytest.mark.parametrize("shift", range(8))
def test_a_long_title_is_cut_between_words(shift):
    """扩大会议 is one word: a suggestion keeps it whole or leaves it out, wherever the cut is."""
    title = "职工" * shift + "区总工会召开全体扩大会议部署工作主线推动产业工人队伍建设改革"
    slug = suggest(title)
    assert len(slug) <= slugs.SUGGESTED_LENGTH
    whole = slugs._words(title)
    kept = slug.split("-")
    parts = [w.split("-") for w in whole]
    flat = [s for p in parts for s in p]
    assert flat[: len(kept)] == kept
    ends = {sum(len(p) for p in parts[: n + 1]) for n in range(len(parts))}
    assert len(kept) in ends  # the cut falls between words
    assert "kuo-da-hui-yi" in slug or "kuo" not in kept


def test_latin_words_are_kept_whole():
    slug = suggest("Shenzhen Longgang District Federation of Trade Unions Annual Conference 2026")
    assert slug == "shenzhen-longgang-district-federation-of-trade-unions-annual"
