"""Structured opening hours: ``"mon-fri 08:30-12:00,14:00-18:00"``, ``"sun closed"``.

A line names days then time ranges. ``00:00-24:00`` is all day; an end at or before the start
means the range runs past midnight into the next day (``22:00-06:00``). Later lines override
earlier ones for the days they name, so ``mon-sun 09:00-18:00`` then ``sun closed`` works.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass


def N_(text: str) -> str:  # noqa: N802 - the name gettext tools look for
    """Mark a word for the theme's catalogue; the public site translates it when shown."""
    return text


DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
DAY_LABELS = (N_("周一"), N_("周二"), N_("周三"), N_("周四"), N_("周五"), N_("周六"), N_("周日"))
CLOSING_SOON = 30  # minutes before closing that count as "closing soon"

_RANGE = re.compile(r"^([01]\d|2[0-4]):([0-5]\d)-([01]\d|2[0-4]):([0-5]\d)$")


@dataclass(frozen=True)
class Rule:
    """Opening ranges, in minutes from midnight, for a set of weekdays (0 = Monday)."""

    days: frozenset[int]
    ranges: tuple[tuple[int, int], ...]  # (start, end); end <= start means overnight


def parse_hours(lines: list[str]) -> list[Rule]:
    """Parse hours lines; raise ValueError naming the bad part."""
    return [parse_line(line) for line in lines]


def parse_line(line: str) -> Rule:
    """Parse one hours line such as ``"sat-sun 10:00-16:00"``."""
    if not isinstance(line, str):
        raise ValueError(f"{line!r} is not text like 'mon-fri 09:00-18:00'")
    parts = line.split()
    if len(parts) != 2:
        raise ValueError(f"{line!r} must be '<days> <times>', e.g. 'mon-fri 09:00-18:00'")
    days = _parse_days(parts[0])
    if parts[1] == "closed":
        return Rule(days, ())
    ranges = []
    for chunk in parts[1].split(","):
        match = _RANGE.match(chunk)
        if not match:
            raise ValueError(f"{chunk!r} in {line!r} is not a time range like '09:00-18:00'")
        h1, m1, h2, m2 = (int(g) for g in match.groups())
        start, end = h1 * 60 + m1, h2 * 60 + m2
        if start > 1440 or end > 1440 or (h1 == 24 and m1) or (h2 == 24 and m2):
            raise ValueError(f"{chunk!r} in {line!r} has a time past 24:00")
        if start == end and not (start == 0 and end == 0):
            raise ValueError(f"{chunk!r} in {line!r} opens and closes at the same time")
        if start == 1440:
            raise ValueError(f"{chunk!r} in {line!r} cannot start at 24:00")
        ranges.append((start, 1440 if (start, end) == (0, 0) else end))
    return Rule(days, tuple(ranges))


def _parse_days(text: str) -> frozenset[int]:
    days: set[int] = set()
    for chunk in text.split(","):
        first, _, last = chunk.partition("-")
        if first not in DAYS or (last and last not in DAYS):
            raise ValueError(
                f"{chunk!r} is not a day or day range like 'mon-fri' (days: {', '.join(DAYS)})"
            )
        a = DAYS.index(first)
        b = DAYS.index(last) if last else a
        days.update((a + i) % 7 for i in range((b - a) % 7 + 1))
    return frozenset(days)


def week_table(rules: list[Rule]) -> list[tuple[int, ...]]:
    """Return, for each weekday, its ranges after later rules override earlier ones."""
    table: list[tuple[tuple[int, int], ...]] = [() for _ in DAYS]
    for rule in rules:
        for day in rule.days:
            table[day] = rule.ranges
    return table  # type: ignore[return-value]


def open_state(rules: list[Rule], when: dt.datetime) -> str:
    """Return ``open``, ``closing`` (within 30 minutes of closing) or ``closed`` at ``when``.

    ``when`` must already be in the station's local time.
    """
    table = week_table(rules)
    day, minute = when.weekday(), when.hour * 60 + when.minute
    remaining = _minutes_left(table, day, minute)
    if remaining is None:
        return "closed"
    return "closing" if remaining <= CLOSING_SOON else "open"


def _minutes_left(table: list, day: int, minute: int) -> int | None:
    """Minutes until closing if open at (day, minute), following ranges across midnight."""
    for start, end in table[day]:
        if end > start and start <= minute < end:
            left = end - minute
            return left + _carry(table, (day + 1) % 7) if end == 1440 else left
        if end <= start and minute >= start:
            return 1440 - minute + end
    for start, end in table[(day - 1) % 7]:
        if end <= start and minute < end:
            return end - minute
    return None


def _carry(table: list, day: int, depth: int = 0) -> int:
    """Minutes a station stays open after midnight when a range ends at 24:00."""
    if depth >= 7:
        return 0
    for start, end in table[day]:
        if start == 0:
            return end + (_carry(table, (day + 1) % 7, depth + 1) if end == 1440 else 0)
    return 0


def is_always_open(rules: list[Rule]) -> bool:
    """Tell whether the station is open around the clock every day."""
    return all((0, 1440) in ranges for ranges in week_table(rules))


def _same(text: str) -> str:
    return text


def describe(rules: list[Rule], gettext: Callable[[str], str] = _same) -> list[tuple[str, str]]:
    """Return (days, times) rows, e.g. ("周一至周五", "08:30–12:00、14:00–18:00").

    The words are Chinese unless ``gettext`` translates them (the public site passes its own).
    """
    table = week_table(rules)
    names = [gettext(label) for label in DAY_LABELS]
    rows: list[tuple[str, str]] = []
    day = 0
    while day < 7:
        end = day
        while end + 1 < 7 and table[end + 1] == table[day]:
            end += 1
        label = (
            names[day]
            if day == end
            else gettext("%(first)s至%(last)s")
            % {
                "first": names[day],
                "last": names[end],
            }
        )
        rows.append((label, _times(table[day], gettext)))
        day = end + 1
    return rows


def _times(ranges: tuple[tuple[int, int], ...], gettext: Callable[[str], str]) -> str:
    if not ranges:
        return gettext("休息")
    if ranges == ((0, 1440),):
        return gettext("24小时开放")
    parts = []
    for start, end in ranges:
        text = f"{_clock(start)}–{_clock(end)}"
        parts.append(text + (gettext("（次日）") if end <= start else ""))
    return gettext("、").join(parts)


def _clock(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


@dataclass(frozen=True)
class Change:
    """The next time a station opens or closes: ``at`` minutes after the day's midnight."""

    opens: bool
    at: int


def _spans(table: list, day: int) -> list[tuple[int, int]]:
    """Return the opening spans from the day before ``day`` to a week after, merged if they touch.

    Minutes count from ``day``'s midnight; an overnight range ends on the next day.
    """
    spans = []
    for offset in range(-1, 8):
        for start, end in table[(day + offset) % 7]:
            stop = end if end > start else end + 1440
            spans.append((offset * 1440 + start, offset * 1440 + stop))
    merged: list[tuple[int, int]] = []
    for start, stop in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], stop))
        else:
            merged.append((start, stop))
    return merged


def next_change(rules: list[Rule], when: dt.datetime) -> Change | None:
    """Return when a station next closes (if open at ``when``) or opens (if closed).

    None means it never changes: open around the clock, or closed every day of the week.
    ``when`` must already be in the station's local time.
    """
    minute = when.hour * 60 + when.minute
    for start, stop in _spans(week_table(rules), when.weekday()):
        if start <= minute < stop:
            return None if stop - minute >= 7 * 1440 else Change(False, stop)
        if start > minute:
            return Change(True, start)
    return None


def describe_change(
    change: Change | None, is_open: bool, weekday: int, gettext: Callable[[str], str] = _same
) -> str:
    """Return the next change in words: 营业至 21:00, 明天 08:30 开门, 周一 09:00 开门.

    ``weekday`` is today's (0 = Monday); the words are Chinese unless ``gettext`` translates.
    """
    if change is None:
        return gettext("24小时开放") if is_open else gettext("暂停开放")
    days, minute = divmod(change.at, 1440)
    clock = _clock(minute)
    if not change.opens and minute == 0 and days:
        days, clock = days - 1, "24:00"  # closes at midnight: "until 24:00", not "00:00 tomorrow"
    if not change.opens:
        if days == 0:
            return gettext("营业至 %(time)s") % {"time": clock}
        if days == 1:
            return gettext("营业至明天 %(time)s") % {"time": clock}
        day = gettext(DAY_LABELS[(weekday + days) % 7])
        return gettext("营业至%(day)s %(time)s") % {"day": day, "time": clock}
    if days == 0:
        return gettext("今天 %(time)s 开门") % {"time": clock}
    if days == 1:
        return gettext("明天 %(time)s 开门") % {"time": clock}
    day = gettext(DAY_LABELS[(weekday + days) % 7])
    return gettext("%(day)s %(time)s 开门") % {"day": day, "time": clock}
