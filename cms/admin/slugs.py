"""Suggest a file name (slug) for an entry from its title's pinyin."""

from __future__ import annotations

import re
from collections.abc import Container

from pypinyin import Style, lazy_pinyin

MAX_LENGTH = 60


def suggest(title: str, taken: Container[str] = ()) -> str:
    """Return a free slug such as ``qu-zong-gong-hui-zhao-kai`` for ``区总工会召开``."""
    words = lazy_pinyin(title, style=Style.NORMAL, errors=lambda chars: chars.split())
    text = "-".join(w for w in words if w)
    text = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    if len(text) > MAX_LENGTH:
        text = text[:MAX_LENGTH].rsplit("-", 1)[0]
    # All digits would clash with the news year lists (/news/2026/).
    base = text if text and not text.isdigit() else "-".join(filter(None, ("entry", text)))
    slug, number = base, 2
    while slug in taken:
        slug = f"{base}-{number}"
        number += 1
    return slug
