"""Merging a stale save field by field: what the other editor saved beside what you wrote.

When a save is refused because someone saved in between, the conflict page lists each field
that differs (the other save's value and yours, side by side), shows the body as a two-column
diff, and lets the editor take either side per field; the merge is saved in one step.
"""

from __future__ import annotations

import datetime as dt
import difflib
from dataclasses import dataclass
from typing import Any

import yaml

from ..content import writer
from ..content.errors import FieldError
from ..content.frontmatter import parse
from ..content.schema import FIELDS
from .forms import STATUS_LABELS, labels_of

BODY = "body"
THEIRS, MINE = "theirs", "mine"
CONTEXT = 2  # unchanged lines kept around each change of the body
# Content fields whose form has several inputs (or none) under other names.
LABELS = {
    "location": "位置（坐标）",
    "registration": "报名",
    "hours": "开放时间",
    "status": "状态",
    "updated": "更新时间",
    BODY: "正文",
}
# Fields holding keys of a site.yml vocabulary, shown by their Chinese labels.
VOCABULARIES = {
    "category": "news_categories",
    "brand": "activity_brands",
    "street": "streets",
    "type": "station_types",
    "access": "access",
    "amenities": "amenities",
}


@dataclass(frozen=True)
class FieldChoice:
    """One field that differs: both values as shown, and the side taken unless told."""

    name: str
    label: str
    theirs: str
    mine: str
    take: str  # theirs | mine
    why: str  # who changed it since you opened the entry


@dataclass(frozen=True)
class Row:
    """One line of the body's two-column diff (``kind``: same, change, del, add, gap)."""

    theirs: str
    mine: str
    kind: str


@dataclass(frozen=True)
class Sides:
    """An entry file split into its front matter and its body."""

    fields: dict[str, Any]
    body: str

    @classmethod
    def of(cls, text: str | None) -> Sides:
        try:
            parsed = parse(text or "")
        except FieldError:
            return cls({}, text or "")
        return cls(parsed.data, parsed.body)

    def value(self, name: str) -> Any:
        return self.body if name == BODY else self.fields.get(name)


def choices(
    kind: str, base: str | None, theirs: str, mine: str, site=None, tz=None
) -> list[FieldChoice]:  # site: a Site, tz: its tzinfo
    """Return the fields (the body last) whose values differ between ``theirs`` and ``mine``.

    The side taken by default is the one that changed the field since ``base`` (the version
    you opened): theirs if only they changed it, yours otherwise. Values are shown as an
    editor knows them: vocabulary labels from ``site``, times in the site's time zone ``tz``.
    """

    def shown(name: str, value: Any) -> str:
        if name == "status" and value in STATUS_LABELS:
            return STATUS_LABELS[value]
        terms = getattr(site, VOCABULARIES.get(name, ""), None) if site else None
        if terms and isinstance(value, list):
            value = [terms[v].label if v in terms else v for v in value]
        elif terms and value in terms:
            value = terms[value].label
        if tz is not None and isinstance(value, dt.datetime) and value.tzinfo is not None:
            return value.astimezone(tz).strftime("%Y-%m-%d %H:%M")
        return _shown(value)

    old, them, you = Sides.of(base), Sides.of(theirs), Sides.of(mine)
    labels = {**labels_of(kind), **LABELS}
    names = [n for n in FIELDS[kind] if n in them.fields or n in you.fields]
    names += [n for n in {**them.fields, **you.fields} if n not in names]
    found = []
    for name in [*names, BODY]:
        theirs_value, mine_value = them.value(name), you.value(name)
        if _same(theirs_value, mine_value):
            continue
        they_changed = base is None or not _same(old.value(name), theirs_value)
        you_changed = base is None or not _same(old.value(name), mine_value)
        if they_changed and you_changed:
            take, why = MINE, "你们都改了"
        elif they_changed:
            take, why = THEIRS, "对方改了"
        else:
            take, why = MINE, "你改了"
        found.append(
            FieldChoice(
                name,
                labels.get(name, name),
                shown(name, theirs_value),
                shown(name, mine_value),
                take,
                why,
            )
        )
    return found


def merged(kind: str, theirs: str, mine: str, taken: dict[str, str]) -> str:
    """Return the file text made of the other save, with the fields ``taken`` from yours."""
    them, you = Sides.of(theirs), Sides.of(mine)
    fields = dict(them.fields)
    for name, side in taken.items():
        if side != MINE or name == BODY:
            continue
        if name in you.fields:
            fields[name] = you.fields[name]
        else:
            fields.pop(name, None)
    body = you.body if taken.get(BODY) == MINE else them.body
    return writer.dump(kind, fields, body)


def side_by_side(theirs: str, mine: str) -> list[Row]:
    """Return the two bodies as rows of a two-column diff, unchanged stretches shortened."""
    left, right = theirs.splitlines(), mine.splitlines()
    rows: list[Row] = []
    matcher = difflib.SequenceMatcher(a=left, b=right, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            same = left[i1:i2]
            if len(same) > 2 * CONTEXT + 1:
                head = same[:CONTEXT] if rows else []
                tail = same[-CONTEXT:] if i2 < len(left) or j2 < len(right) else []
                rows += [Row(line, line, "same") for line in head]
                rows.append(Row(f"（{len(same) - len(head) - len(tail)} 行相同）", "", "gap"))
                rows += [Row(line, line, "same") for line in tail]
            else:
                rows += [Row(line, line, "same") for line in same]
            continue
        ours, yours = left[i1:i2], right[j1:j2]
        for index in range(max(len(ours), len(yours))):
            a = ours[index] if index < len(ours) else None
            b = yours[index] if index < len(yours) else None
            kind = "change" if a is not None and b is not None else "del" if b is None else "add"
            rows.append(Row(a or "", b or "", kind))
    return rows


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, str) and isinstance(b, str):
        return a.strip() == b.strip()
    return a == b or (not a and not b)


def _shown(value: Any) -> str:
    """Return a field's value as an editor reads it."""
    if value is None or value in ("", [], {}):
        return "（空）"
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat(sep=" ") if isinstance(value, dt.datetime) else value.isoformat()
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return "、".join(value)
    if isinstance(value, dict | list):
        return yaml.safe_dump(value, allow_unicode=True, sort_keys=False, width=80).strip()
    return str(value)
