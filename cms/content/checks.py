"""Checks before review: sensitive words and banned phrases, and images without alt text.

The words live in ``content/words.yml`` (versioned with the content, editable by admins): a
list under ``words:`` of plain strings or ``{word: …, note: …}``. The checks only warn: a writer
sees them while writing, and the editor approving sees them on the form and in the preview.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from .library import read_library
from .model import Entry

WORDS_FILE = "words.yml"
# The Chinese name of each text field a word is looked for in, in the order they are reported.
FIELDS = {"title": "标题", "name": "名称", "summary": "摘要", "tags": "标签", "venue": "地点",
          "address": "地址", "author": "作者", "body": "正文"}  # fmt: skip
_MD_IMAGE = re.compile(r"!\[([^\]]*)\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
_HTML_IMAGE = re.compile(r"<img\b[^>]*>", re.I)
_ATTR = re.compile(r"""\b(alt|src)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""", re.I)
_cache: dict[Path, tuple[tuple[int, int], list[Word]]] = {}


@dataclass(frozen=True)
class Word:
    """A word or phrase to avoid, and why (e.g. 广告法禁用的绝对化用语)."""

    text: str
    note: str = ""


def read_words(content_root: Path) -> list[Word]:
    """Return the word list of ``content/words.yml``; none if the file is missing or broken."""
    path = Path(content_root) / WORDS_FILE
    try:
        stat = path.stat()
    except OSError:
        return []
    stamp = (stat.st_size, stat.st_mtime_ns)
    if path in _cache and _cache[path][0] == stamp:
        return _cache[path][1]
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError, UnicodeDecodeError):
        raw = {}
    words = []
    for item in raw.get("words", []) if isinstance(raw, dict) else []:
        if isinstance(item, str) and item.strip():
            words.append(Word(item.strip()))
        elif isinstance(item, dict) and str(item.get("word") or "").strip():
            words.append(Word(str(item["word"]).strip(), str(item.get("note") or "")))
    _cache[path] = (stamp, words)
    return words


def found_words(text: str, words: list[Word]) -> list[tuple[Word, int]]:
    """Return each word that occurs in ``text`` (ignoring case) with how often."""
    folded = text.casefold()
    return [(w, folded.count(w.text.casefold())) for w in words if w.text.casefold() in folded]


def check_entry(content_root: Path, entry: Entry) -> list[str]:
    """Return the warnings for an entry, in Chinese, each naming its field."""
    words = read_words(content_root)
    warnings = []
    for name, label in FIELDS.items():
        value = _text_of(entry, name)
        for word, count in found_words(value, words) if value else []:
            note = f"（{word.note}）" if word.note else ""
            warnings.append(f"{label}：含有敏感词或禁用词“{word.text}” {count} 处{note}")
    warnings += _missing_alt(Path(content_root), entry)
    return warnings


def _text_of(entry: Entry, name: str) -> str:
    if name not in {f.name for f in dataclasses.fields(entry)}:
        return ""
    value = getattr(entry, name)
    if isinstance(value, list | tuple):
        return "\n".join(str(v) for v in value)
    return value if isinstance(value, str) else ""


def _missing_alt(content_root: Path, entry: Entry) -> list[str]:
    """Name the images shown without alt text (the library's alt counts when the body has none)."""
    library = read_library(content_root / "media")

    def described(src: str) -> bool:
        ref = src.split("#")[0].split("?")[0]
        ref = ref[ref.index("media/") :] if "media/" in ref else ref
        return bool(library.get(ref) and library[ref].alt)

    missing = []
    cover = _text_of(entry, "cover")
    if cover and not described(cover):
        missing.append(cover)
    for alt, src in _MD_IMAGE.findall(entry.body):
        if not alt.strip() and not described(src):
            missing.append(src)
    for tag in _HTML_IMAGE.findall(entry.body):
        attrs = {m[0].lower(): m[1] or m[2] or m[3] for m in _ATTR.findall(tag)}
        if not attrs.get("alt", "").strip() and not described(attrs.get("src", "")):
            missing.append(attrs.get("src", ""))
    hint = "（在图片的方括号里写上图片内容，或在媒体库的“编辑说明和焦点”中填写）"
    return [
        f"{'封面' if src == cover else '正文'}：图片 {src.rsplit('/', 1)[-1] or '（无地址）'} "
        f"没有替代文字{hint}"
        for src in missing
    ]
