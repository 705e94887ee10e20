"""Opening hours: the line syntax, "open now" with its edges, and the Chinese table."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from cms.content.hours import describe, is_always_open, open_state, parse_hours, parse_line

SHANGHAI = ZoneInfo("Asia/Shanghai")
# The week of 2026-11-23: Monday 23rd … Sunday 29th.
DAY = {"mon": 23, "tue": 24, "wed": 25, "thu": 26, "fri": 27, "sat": 28, "sun": 29}


def at(day: str, clock: str) -> dt.datetime:
    hour, minute = (int(part) for part in clock.split(":"))
    return dt.datetime(2026, 11, DAY[day], hour, minute, tzinfo=SHANGHAI)


@pytest.mark.parametrize(
    ("line", "days", "ranges"),
    [
        ("mon-sun 00:00-24:00", range(7), ((0, 1440),)),
        ("mon-fri 08:30-12:00,14:00-18:00", range(5), ((510, 720), (840, 1080))),
        ("sat-sun closed", (5, 6), ()),
        ("sun 00:00-00:00", (6,), ((0, 1440),)),
        ("mon-sun 22:00-06:00", range(7), ((1320, 360),)),
        ("fri-mon 10:00-16:00", (4, 5, 6, 0), ((600, 960),)),
        ("mon,wed,fri 09:00-12:00", (0, 2, 4), ((540, 720),)),
        ("tue 18:00-24:00", (1,), ((1080, 1440),)),
    ],
)
def test_valid_lines(line, days, ranges):
    rule = parse_line(line)
    assert rule.days == frozenset(days)
    assert rule.ranges == ranges


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("mon-fri 9-18", "'9-18' in 'mon-fri 9-18' is not a time range like '09:00-18:00'"),
        ("mon-fri 09:00-25:00", "is not a time range like '09:00-18:00'"),
        ("mon-fri 09:60-10:00", "is not a time range like '09:00-18:00'"),
        ("mon-fri 9:00-18:00", "is not a time range like '09:00-18:00'"),
        ("mon-fri 09:00-18:00,", "'' in 'mon-fri 09:00-18:00,' is not a time range"),
        ("mon-fri 24:30-06:00", "has a time past 24:00"),
        ("mon-fri 09:00-24:30", "has a time past 24:00"),
        ("mon-fri 24:00-06:00", "cannot start at 24:00"),
        ("mon-fri 09:00-09:00", "opens and closes at the same time"),
        ("monday 09:00-18:00", "'monday' is not a day or day range like 'mon-fri'"),
        ("Mon-Fri 09:00-18:00", "'Mon-Fri' is not a day or day range"),
        ("mon-xyz 09:00-18:00", "'mon-xyz' is not a day or day range"),
        ("mon-fri", "must be '<days> <times>'"),
        ("mon-fri 09:00-12:00 14:00-18:00", "must be '<days> <times>'"),
        ("", "must be '<days> <times>'"),
        ("周一至周五 09:00-18:00", "is not a day or day range"),
        (42, "42 is not text like 'mon-fri 09:00-18:00'"),
        (None, "None is not text"),
    ],
)
def test_invalid_lines(line, message):
    with pytest.raises(ValueError) as caught:
        parse_hours([line])
    assert message in str(caught.value)


OVERNIGHT = ["mon-sun 22:00-06:00"]
ALWAYS = ["mon-sun 00:00-24:00"]
OFFICE = ["mon-fri 09:00-18:00", "sat-sun closed"]
SPLIT = ["mon-fri 08:30-12:00,14:00-18:00"]


@pytest.mark.parametrize(
    ("hours", "when", "state"),
    [
        (OVERNIGHT, at("wed", "23:00"), "open"),
        (OVERNIGHT, at("wed", "22:00"), "open"),
        (OVERNIGHT, at("wed", "21:59"), "closed"),
        (OVERNIGHT, at("wed", "05:40"), "closing"),
        (OVERNIGHT, at("wed", "05:29"), "open"),
        (OVERNIGHT, at("wed", "06:00"), "closed"),
        (OVERNIGHT, at("wed", "12:00"), "closed"),
        (OVERNIGHT, at("wed", "00:00"), "open"),
        (["sun 22:00-06:00"], at("mon", "02:00"), "open"),
        (["sun 22:00-06:00"], at("mon", "05:31"), "closing"),
        (["sun 22:00-06:00"], at("mon", "06:00"), "closed"),
        (["sun 22:00-06:00"], at("sun", "02:00"), "closed"),
        (["sun 22:00-06:00"], at("sat", "23:00"), "closed"),
        (ALWAYS, at("wed", "23:50"), "open"),
        (ALWAYS, at("sun", "23:59"), "open"),
        (ALWAYS, at("mon", "00:00"), "open"),
        (ALWAYS, at("wed", "12:00"), "open"),
        (["mon-fri 00:00-24:00"], at("fri", "23:50"), "closing"),
        (["mon-fri 00:00-24:00"], at("thu", "23:50"), "open"),
        (["mon 20:00-24:00", "tue 00:00-02:00"], at("mon", "23:45"), "open"),
        (["mon 20:00-24:00", "tue 00:00-02:00"], at("tue", "01:45"), "closing"),
        (OFFICE, at("sat", "12:00"), "closed"),
        (OFFICE, at("sun", "12:00"), "closed"),
        (OFFICE, at("wed", "08:59"), "closed"),
        (OFFICE, at("wed", "09:00"), "open"),
        (OFFICE, at("wed", "17:29"), "open"),
        (OFFICE, at("wed", "17:30"), "closing"),
        (OFFICE, at("wed", "17:59"), "closing"),
        (OFFICE, at("wed", "18:00"), "closed"),
        (SPLIT, at("tue", "11:45"), "closing"),
        (SPLIT, at("tue", "13:00"), "closed"),
        (SPLIT, at("tue", "14:00"), "open"),
        (["mon-sun 09:00-18:00", "sun closed"], at("sun", "12:00"), "closed"),
        (["mon-sun 09:00-18:00", "sun closed"], at("sat", "12:00"), "open"),
        (["sun closed", "mon-sun 09:00-18:00"], at("sun", "12:00"), "open"),
        (["mon-fri 09:00-18:00", "wed 13:00-18:00"], at("wed", "10:00"), "closed"),
        (["mon-fri 09:00-18:00", "wed 13:00-18:00"], at("tue", "10:00"), "open"),
        ([], at("wed", "12:00"), "closed"),
    ],
)
def test_open_state(hours, when, state):
    assert open_state(parse_hours(hours), when) == state


def test_always_open():
    assert is_always_open(parse_hours(ALWAYS))
    assert is_always_open(parse_hours(["mon-sun 00:00-00:00"]))
    assert not is_always_open(parse_hours(["mon-sat 00:00-24:00", "sun closed"]))
    assert not is_always_open(parse_hours(OVERNIGHT))


@pytest.mark.parametrize(
    ("hours", "rows"),
    [
        (
            SPLIT + ["sat-sun closed"],
            [("周一至周五", "08:30–12:00、14:00–18:00"), ("周六至周日", "休息")],
        ),
        (ALWAYS, [("周一至周日", "24小时开放")]),
        (OVERNIGHT, [("周一至周日", "22:00–06:00（次日）")]),
        (
            ["mon-sun 09:00-18:00", "wed closed"],
            [("周一至周二", "09:00–18:00"), ("周三", "休息"), ("周四至周日", "09:00–18:00")],
        ),
        (["sun 10:00-16:00"], [("周一至周六", "休息"), ("周日", "10:00–16:00")]),
        ([], [("周一至周日", "休息")]),
    ],
)
def test_describe_rows_in_chinese(hours, rows):
    assert describe(parse_hours(hours)) == rows
