"""Entry file names (slugs): their pattern, the names a kind may not take, and suggestions.

A slug is also an address (``/news/<slug>/``, ``/<page-slug>/``), so some well-formed names
are still refused: a page may not take a site section's name, and a news slug may not be all
digits, which is a year list (``/news/2026/``). Suggestions never produce such a name.
"""

from __future__ import annotations

import re
from collections.abc import Container

MAX_LENGTH = 80
SLUG_RE = re.compile(rf"^[a-z0-9][a-z0-9-]{{0,{MAX_LENGTH - 1}}}\Z")
# Suggestions stay shorter than the limit, leaving room for a "-2" when the name is taken.
SUGGESTED_LENGTH = 60
FALLBACK = "entry"
_HAN = re.compile(r"([\u3400-\u9fff\uf900-\ufaff]+)")

RESERVED_PAGE_SLUGS = frozenset(
    {
        "news",
        "activities",
        "stations",
        "search",
        "api",
        "static",
        "media",
        "admin",
        "pagefind",
        "numbers",
        "page",
        "feed",
        "rss",
        "sitemap",
        "accessibility",
    }
)

# Why a slug is refused: not the pattern, a site section's name, or a year (news only).
PATTERN, RESERVED, YEAR = "pattern", "reserved", "year"


def refusal(kind: str, slug: str) -> str | None:
    """Return why ``slug`` may not name an entry of ``kind`` (PATTERN, RESERVED, YEAR), or None."""
    if not SLUG_RE.match(slug):
        return PATTERN
    if kind == "pages" and slug in RESERVED_PAGE_SLUGS:
        return RESERVED
    if kind == "news" and slug.isdigit():
        return YEAR
    return None


def _words(title: str) -> list[str]:
    """Return the title's words as slug parts: each Chinese word (as pypinyin's dictionary
    segments it) its syllables joined by "-", each other word lower-cased."""
    # pypinyin's dictionaries are tens of MB: only a slug suggestion loads them, never a build.
    from pypinyin import Style, lazy_pinyin
    from pypinyin.seg.simpleseg import seg

    words = []
    for run in _HAN.split(title):
        pieces = seg(run) if _HAN.fullmatch(run) else run.split()
        for piece in pieces:
            syllables = lazy_pinyin(piece, style=Style.NORMAL, errors=lambda chars: chars.split())
            part = re.sub(r"[^a-z0-9]+", "-", "-".join(syllables).lower()).strip("-")
            if part:
                words.append(part)
    return words


def suggest(title: str, taken: Container[str] = (), kind: str = "") -> str:
    """Return a free slug from the title's pinyin: ``区总工会召开`` → ``qu-zong-gong-hui-zhao-kai``.

    The name is cut between words (Chinese words as pypinyin's dictionary knows them) to at
    most SUGGESTED_LENGTH characters. A title
    that gives no letters or only digits is prefixed with ``entry`` (``2026`` → ``entry-2026``,
    ``！！`` → ``entry``), since an all-digit name is refused for news. A name in ``taken``
    gets the first free ``-2``, ``-3`` … suffix, as does one ``kind`` may not take.
    """
    text = ""
    for word in _words(title):  # whole words while they fit
        longer = f"{text}-{word}" if text else word
        if len(longer) > SUGGESTED_LENGTH:
            if not text:  # one word longer than the limit: cut between its syllables
                head = word[: SUGGESTED_LENGTH + 1]  # one more: a "-" there ends a syllable
                text = head.rsplit("-", 1)[0] if "-" in head else head[:SUGGESTED_LENGTH]
            break
        text = longer
    base = text if text and not text.isdigit() else "-".join(filter(None, (FALLBACK, text)))
    slug, number = base, 2
    while slug in taken or refusal(kind, slug):
        slug, number = f"{base}-{number}", number + 1
    return slug
