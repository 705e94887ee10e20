"""List filters, search and sorting over entries held in memory (Flask-Admin's list page)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from flask_admin.model.filters import BaseFilter

from ..content import Entry
from ..content.workflow import publish_state

STATES = [
    ("draft", "草稿"),
    ("review", "待审核"),
    ("published", "已发布"),
    ("scheduled", "定时发布"),
    ("expired", "已定时撤下"),
]


class EntryFilter(BaseFilter):
    """A filter on a list of entries: ``apply`` keeps the entries that match."""

    def __init__(self, name: str, test: Callable[[Entry, object], bool], label: str, **kw):
        super().__init__(name, **kw)
        self.test = test
        self.label = label

    def apply(self, query: list[Entry], value) -> list[Entry]:
        return [e for e in query if self.test(e, value)]

    def operation(self) -> str:
        return self.label


class DateFilter(EntryFilter):
    def __init__(self, name: str, field: str, after: bool):
        def test(entry: Entry, day: dt.date) -> bool:
            value = getattr(entry, field, None)
            if value is None:
                return False
            value = value.date() if isinstance(value, dt.datetime) else value
            return value >= day if after else value <= day

        super().__init__(name, test, "不早于" if after else "不晚于", data_type="datepicker")

    def clean(self, value: str) -> dt.date:
        return dt.date.fromisoformat(value)


def status_filter(now: Callable[[], dt.datetime]) -> EntryFilter:
    return EntryFilter("状态", lambda e, v: publish_state(e, now()) == v, "是", options=STATES)


def term_filter(name: str, field: str, options: Callable[[], list]) -> EntryFilter:
    def test(entry: Entry, value: str) -> bool:
        current = getattr(entry, field, "")
        return value in current if isinstance(current, list) else current == value

    return EntryFilter(name, test, "是", options=options)


def text_filter(name: str, field: str) -> EntryFilter:
    def test(entry: Entry, value: str) -> bool:
        current = getattr(entry, field, "")
        items = current if isinstance(current, list) else [current]
        return any(value.strip().casefold() in str(i).casefold() for i in items)

    return EntryFilter(name, test, "包含")


def search(entries: list[Entry], query: str, fields: tuple[str, ...]) -> list[Entry]:
    """Keep entries whose text contains every word of the query (Chinese needs no stemming)."""
    words = [w.casefold() for w in query.split() if w]
    if not words:
        return entries

    def haystack(entry: Entry) -> str:
        parts = [entry.slug]
        for name in fields:
            value = getattr(entry, name, "")
            parts.extend(value if isinstance(value, list) else [str(value or "")])
        return "\n".join(parts).casefold()

    return [e for e in entries if all(w in haystack(e) for w in words)]


def sort(entries: list[Entry], field: str, descending: bool) -> list[Entry]:
    """Sort by a field, empty values last whichever way, then by slug for a stable order."""

    def key(entry: Entry):
        value = getattr(entry, field, None)
        if field == "status":
            value = entry.status
        return (value is None or value == "", value if value not in (None, "") else 0, entry.slug)

    present = [e for e in entries if getattr(e, field, None) not in (None, "")]
    missing = [e for e in entries if getattr(e, field, None) in (None, "")]
    present.sort(key=key, reverse=descending)
    missing.sort(key=lambda e: e.slug)
    return present + missing
