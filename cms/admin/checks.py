"""Checks before review in the admin: an entry's warnings, and its words marked in the preview."""

from __future__ import annotations

import re

from flask import Flask, current_app
from markupsafe import escape

from ..content import Entry
from ..content.checks import Word, check_entry

_PIECES = re.compile(r"(<[^>]*>)")
_RAW = re.compile(r"<(script|style|title|textarea)\b", re.I)


def entry_checks(entry: Entry | None) -> list[str]:
    """Return the warnings of a saved entry (none for a new one), for the edit form."""
    if entry is None:
        return []
    return check_entry(current_app.extensions["yizhan_content"].content().root, entry)


def mark_words(html: str, words: list[Word]) -> str:
    """Wrap every listed word in the page's body text in <mark>, leaving tags and scripts alone."""
    if not words:
        return html
    pattern = re.compile("|".join(re.escape(w.text) for w in words), re.I)
    notes = {w.text.casefold(): w.note for w in words}
    head, sep, body = html.partition("<body")
    if not sep:
        head, sep, body = "", "", html
    out, raw = [], ""
    for piece in _PIECES.split(body):
        if piece.startswith("<"):
            opening = _RAW.match(piece)
            if opening and not raw:
                raw = opening.group(1).lower()
            elif raw and piece.lower().startswith(f"</{raw}"):
                raw = ""
            out.append(piece)
        elif raw or not piece:
            out.append(piece)
        else:
            out.append(pattern.sub(lambda m: _mark(m.group(0), notes), piece))
    return head + sep + "".join(out)


def _mark(text: str, notes: dict[str, str]) -> str:
    note = notes.get(text.casefold(), "")
    title = f"敏感词或禁用词：{note}" if note else "敏感词或禁用词"
    return f'<mark class="flagged-word" title="{escape(title)}">{text}</mark>'


def init_app(app: Flask) -> None:
    """Let admin templates list an entry's warnings: ``entry_checks(entry)``."""
    app.jinja_env.globals["entry_checks"] = entry_checks
