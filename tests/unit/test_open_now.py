""" "Open now" in Python (cms/content/hours.py) and in the browser (static/js/hours.js) agree.

One table of cases runs through both: the JavaScript module is loaded with Node, the same way
the browser uses it (no build step, no copy of the rules).
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
import subprocess
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from cms.content.hours import describe_change, next_change, open_state, parse_hours

HOURS_JS = Path(__file__).resolve().parents[2] / "themes/default/static/js/hours.js"
SHANGHAI = ZoneInfo("Asia/Shanghai")
DAY = {"mon": 23, "tue": 24, "wed": 25, "thu": 26, "fri": 27, "sat": 28, "sun": 29}  # Nov 2026

ALWAYS = ["mon-sun 00:00-24:00"]
OFFICE = ["mon-fri 09:00-18:00", "sat-sun closed"]
NIGHT = ["mon-sun 22:00-06:00"]
SPLIT = ["mon-fri 08:30-12:00,14:00-18:00", "sun closed"]
FRI_NIGHT = ["fri 20:00-02:00"]
LATE_THEN_EARLY = ["mon 18:00-24:00", "tue 00:00-02:00"]

CASES = [
    # 24 hours: open at any time, never "closing soon" (it never closes).
    (ALWAYS, "mon", "00:00", "open"),
    (ALWAYS, "sun", "23:59", "open"),
    (ALWAYS, "wed", "12:00", "open"),
    # Office hours and the 30-minute edge.
    (OFFICE, "mon", "08:59", "closed"),
    (OFFICE, "mon", "09:00", "open"),
    (OFFICE, "mon", "17:29", "open"),
    (OFFICE, "mon", "17:30", "closing"),
    (OFFICE, "mon", "17:59", "closing"),
    (OFFICE, "mon", "18:00", "closed"),
    # Closed days.
    (OFFICE, "sat", "12:00", "closed"),
    (OFFICE, "sun", "10:00", "closed"),
    # Overnight ranges, on both sides of midnight.
    (NIGHT, "mon", "21:59", "closed"),
    (NIGHT, "mon", "22:00", "open"),
    (NIGHT, "mon", "23:59", "open"),
    (NIGHT, "tue", "00:00", "open"),
    (NIGHT, "tue", "05:29", "open"),
    (NIGHT, "tue", "05:30", "closing"),
    (NIGHT, "tue", "06:00", "closed"),
    (NIGHT, "mon", "03:00", "open"),  # Sunday night's range runs into Monday
    (FRI_NIGHT, "sat", "01:45", "closing"),
    (FRI_NIGHT, "sat", "02:00", "closed"),
    (FRI_NIGHT, "thu", "01:00", "closed"),
    # A range ending at 24:00 followed by one from 00:00 is one opening.
    (LATE_THEN_EARLY, "mon", "23:45", "open"),
    (LATE_THEN_EARLY, "tue", "01:30", "closing"),
    # Two ranges a day; the later line closes Sunday.
    (SPLIT, "tue", "11:45", "closing"),
    (SPLIT, "tue", "12:30", "closed"),
    (SPLIT, "tue", "14:00", "open"),
    (SPLIT, "sat", "10:00", "closed"),
    (SPLIT, "sun", "10:00", "closed"),
]


def at(day: str, clock: str) -> dt.datetime:
    hour, minute = (int(part) for part in clock.split(":"))
    return dt.datetime(2026, 11, DAY[day], hour, minute, tzinfo=SHANGHAI)


@pytest.mark.parametrize(("lines", "day", "clock", "expected"), CASES)
def test_python_open_state(lines, day, clock, expected):
    assert open_state(parse_hours(lines), at(day, clock)) == expected


def run_node(script: str, payload: object, module: Path = HOURS_JS) -> object:
    """Run ``script`` in Node with the path of ``module`` as argument and ``payload`` on stdin."""
    node = shutil.which("node")
    if node is None:
        pytest.skip("node is not installed (scripts/setup.sh installs it)")
    done = subprocess.run(
        [node, "-e", script, str(module)],
        input=json.dumps(payload),
        capture_output=True,
        text=True,
        check=True,
        timeout=30,
    )
    return json.loads(done.stdout)


def test_javascript_agrees_on_every_case():
    # The instant is given in UTC so the JS must do the Asia/Shanghai conversion itself.
    cases = [
        {"lines": lines, "instant": at(day, clock).astimezone(dt.UTC).isoformat()}
        for lines, day, clock, _ in CASES
    ]
    script = """
      const hours = require(process.argv[1]);
      const cases = JSON.parse(require('fs').readFileSync(0, 'utf8'));
      const out = cases.map(c => hours.stateAt(c.lines, new Date(c.instant), 'Asia/Shanghai'));
      process.stdout.write(JSON.stringify(out));
    """
    assert run_node(script, cases) == [expected for *_, expected in CASES]


def test_javascript_local_time_is_shanghai_time():
    script = """
      const hours = require(process.argv[1]);
      const instants = JSON.parse(require('fs').readFileSync(0, 'utf8'));
      process.stdout.write(JSON.stringify(instants.map(i => hours.localTime(new Date(i)))));
    """
    # Monday 23:30 UTC is Tuesday 07:30 in Shanghai; Sunday 16:00 UTC is Monday 00:00.
    got = run_node(script, ["2026-11-23T23:30:00Z", "2026-11-29T16:00:00Z"])
    assert got == [{"day": 1, "minute": 450}, {"day": 0, "minute": 0}]


def test_javascript_local_time_without_intl_agrees_with_zoneinfo():
    # Shanghai's local time is computed without Intl (fixed UTC+8); Tokyo's goes through it.
    instants = [
        dt.datetime(2026, 1, 1, tzinfo=dt.UTC) + dt.timedelta(minutes=37 * 97 * i)
        for i in range(200)
    ]
    script = """
      const hours = require(process.argv[1]);
      const instants = JSON.parse(require('fs').readFileSync(0, 'utf8'));
      const zones = ['Asia/Shanghai', 'Asia/Tokyo'];
      process.stdout.write(JSON.stringify(instants.map(
        i => zones.map(z => hours.localTime(new Date(i), z)))));
    """
    got = run_node(script, [i.isoformat() for i in instants])
    for instant, answers in zip(instants, got, strict=True):
        for zone, answer in zip(("Asia/Shanghai", "Asia/Tokyo"), answers, strict=True):
            local = instant.astimezone(ZoneInfo(zone))
            assert answer == {"day": local.weekday(), "minute": local.hour * 60 + local.minute}


def test_javascript_labels_are_chinese():
    script = """
      const hours = require(process.argv[1]);
      require('fs').readFileSync(0, 'utf8');
      process.stdout.write(JSON.stringify(hours.LABELS));
    """
    assert run_node(script, None) == {"open": "营业中", "closing": "即将关闭", "closed": "已关闭"}


# The next change in words, across midnight and the week's end (Monday after a closed weekend,
# Sunday night's range running into Monday, a range closing at 24:00).
NEXT = [
    (OFFICE, "mon", "08:00", "今天 09:00 开门"),
    (OFFICE, "mon", "10:00", "营业至 18:00"),
    (OFFICE, "thu", "22:15", "明天 09:00 开门"),
    (OFFICE, "fri", "22:15", "周一 09:00 开门"),
    (OFFICE, "sat", "10:00", "周一 09:00 开门"),
    (OFFICE, "sun", "23:59", "明天 09:00 开门"),
    (NIGHT, "mon", "21:00", "今天 22:00 开门"),
    (NIGHT, "mon", "22:15", "营业至明天 06:00"),
    (NIGHT, "mon", "03:00", "营业至 06:00"),  # Sunday's night range, on Monday morning
    (NIGHT, "sun", "23:00", "营业至明天 06:00"),
    (FRI_NIGHT, "fri", "22:15", "营业至明天 02:00"),
    (FRI_NIGHT, "sat", "03:00", "周五 20:00 开门"),
    (FRI_NIGHT, "sun", "12:00", "周五 20:00 开门"),
    (LATE_THEN_EARLY, "mon", "19:00", "营业至明天 02:00"),
    (SPLIT, "tue", "12:30", "今天 14:00 开门"),
    (SPLIT, "tue", "15:00", "营业至 18:00"),
    (SPLIT, "fri", "22:15", "周一 08:30 开门"),  # no line names Saturday: closed
    (["mon-sun 08:00-24:00"], "wed", "22:15", "营业至 24:00"),
    (ALWAYS, "sun", "22:15", "24小时开放"),
    (["mon-sun closed"], "mon", "12:00", "暂停开放"),
]


@pytest.mark.parametrize(("lines", "day", "clock", "expected"), NEXT)
def test_python_next_change(lines, day, clock, expected):
    rules, when = parse_hours(lines), at(day, clock)
    change = next_change(rules, when)
    assert describe_change(change, open_state(rules, when) != "closed", when.weekday()) == expected


def test_javascript_next_change_agrees():
    cases = [
        {"lines": lines, "instant": at(day, clock).astimezone(dt.UTC).isoformat()}
        for lines, day, clock, _ in NEXT
    ]
    script = """
      const hours = require(process.argv[1]);
      const cases = JSON.parse(require('fs').readFileSync(0, 'utf8'));
      const out = cases.map(c => hours.describeAt(c.lines, new Date(c.instant), 'Asia/Shanghai'));
      process.stdout.write(JSON.stringify(out));
    """
    assert run_node(script, cases) == [expected for *_, expected in NEXT]


# Stale data: verified longer ago than site.yml's stale_after_months, on the local date.
STALE = [
    ("2025-05-20", 12, "2026-05-20T23:59:00+08:00", False),
    ("2025-05-20", 12, "2026-05-21T00:00:00+08:00", True),
    ("2025-05-20", 12, "2026-05-20T16:30:00Z", True),  # 00:30 on the 21st in Shanghai
    ("2024-01-31", 1, "2024-02-29T12:00:00+08:00", False),  # a month after 01-31: 02-29
    ("2024-01-31", 1, "2024-03-01T12:00:00+08:00", True),
    ("2024-02-29", 12, "2025-02-28T12:00:00+08:00", False),
    ("2024-02-29", 12, "2025-03-01T12:00:00+08:00", True),
    ("2025-12-15", 6, "2026-06-16T08:00:00+08:00", True),
    ("2025-12-15", 18, "2026-06-16T08:00:00+08:00", False),
    ("", 12, "2026-06-16T08:00:00+08:00", False),  # never verified: nothing to date
]


def test_javascript_stale_after_months():
    script = """
      const hours = require(process.argv[1]);
      const cases = JSON.parse(require('fs').readFileSync(0, 'utf8'));
      const out = cases.map(c => hours.isStale(c[0], c[1], new Date(c[2]), 'Asia/Shanghai'));
      process.stdout.write(JSON.stringify(out));
    """
    cases = [[iso, months, instant] for iso, months, instant, _ in STALE]
    assert run_node(script, cases) == [stale for *_, stale in STALE]
