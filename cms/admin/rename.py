"""修改网址: give a published entry a new file name (address), leaving the old one to redirect.

The entry's file moves to its new name (both steps committed), every entry that links to it
by file (``../stations/old.md``) or names it as its station is pointed at the new name, and the
old name goes into ``content/redirects.yml``, so the old address keeps working.
"""

from __future__ import annotations

from ..content import Activity, Content, Entry, slugs, writer
from ..content.moved import record_move


class RenameRefused(ValueError):
    """The new name cannot be used; the message says why, in Chinese."""


def check_name(content: Content, entry: Entry, new: str) -> None:
    """Raise RenameRefused unless ``new`` is a free, well-formed name for ``entry``."""
    refused = slugs.refusal(entry.kind, new)
    if new == entry.slug:
        raise RenameRefused("新网址名与现在的相同")
    if refused == slugs.PATTERN:
        raise RenameRefused(
            "网址名只能用小写英文字母、数字和连字符，以字母或数字开头，最多 80 个字符"
        )
    if refused == slugs.YEAR:
        raise RenameRefused("新闻的网址名不能全是数字（会与年份列表冲突），请加上字母")
    if refused == slugs.RESERVED or new in content.entries.get(entry.kind, {}):
        raise RenameRefused("这个网址名已被使用，请换一个")


def rename(content: Content, entry: Entry, new: str, author: str) -> list[Entry]:
    """Move ``entry`` to the name ``new``; return the entries re-pointed at it.

    Raises RenameRefused, or writer.Conflict when the entry changed since it was loaded.
    """
    check_name(content, entry, new)
    root = content.root
    text = writer.entry_path(root, entry.kind, entry.slug).read_text(encoding="utf-8")
    if writer.version_of(text.encode("utf-8")) != entry.version:
        raise writer.Conflict(text, writer.version_of(text.encode("utf-8")))
    try:
        writer.save(root, entry.kind, new, text, None, author, action="rename")
    except writer.Conflict:
        raise RenameRefused("这个网址名刚被别人用了，请换一个") from None
    try:
        writer.delete(root, entry.kind, entry.slug, entry.version, author)
    except writer.Conflict:
        writer.delete(root, entry.kind, new, writer.version_of(text.encode("utf-8")), author)
        raise
    record_move(root, entry.kind, entry.slug, new, author)
    moved = []
    for other in _linking(content, entry):
        fields = writer.fields_of(other)
        if isinstance(other, Activity) and entry.kind == "stations" and other.station == entry.slug:
            fields["station"] = new
        body = other.body.replace(f"{entry.kind}/{entry.slug}.md", f"{entry.kind}/{new}.md")
        try:
            writer.save(root, other.kind, other.slug, writer.dump(other.kind, fields, body),
                        other.version, author)  # fmt: skip
        except (writer.Conflict, writer.InvalidEntry):
            continue  # the old address still redirects; its link stays as it was
        moved.append(other)
    return moved


def _linking(content: Content, target: Entry) -> list[Entry]:
    """Return the entries (any status) that link to ``target`` by file or name it as station."""
    ref = f"{target.kind}/{target.slug}.md"
    station = target.slug if target.kind == "stations" else None
    return [
        entry
        for bucket in content.entries.values()
        for entry in bucket.values()
        if ref in entry.body
        or (station is not None and isinstance(entry, Activity) and entry.station == station)
    ]
