"""Jinja filters and globals of the public theme: dates in Chinese, labels, JSON-LD."""

from __future__ import annotations

import datetime as dt
import json
import re

from flask import current_app, request
from markupsafe import Markup

from ..content.hours import describe, parse_hours
from ..maps.icons import amenity_icon

WEEKDAYS = "一二三四五六日"
ACTIVITY_STATES = {"open": "报名中", "full": "已满", "closed": "报名截止", "ended": "已结束"}


def local(value: dt.datetime) -> dt.datetime:
    """Return a time in the site's time zone, whatever offset the file gave it."""
    return value.astimezone(current_app.extensions["yizhan"].tz)


def cn_date(value: dt.date | dt.datetime | None) -> str:
    """Format a date the way Chinese readers expect: 2021年4月9日."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        value = local(value)
    return f"{value.year}年{value.month}月{value.day}日"


def cn_datetime(value: dt.datetime) -> str:
    """Format a date-time: 2021年7月15日（周四）09:00."""
    value = local(value)
    return f"{cn_date(value)}（周{WEEKDAYS[value.weekday()]}）{value:%H:%M}"


def cn_range(start: dt.datetime, end: dt.datetime) -> str:
    """Format an activity's time span, leaving out the second date when it is the same day."""
    start, end = local(start), local(end)
    if start.date() == end.date():
        return f"{cn_datetime(start)}–{end:%H:%M}"
    return f"{cn_datetime(start)} 至 {cn_datetime(end)}"


def jsonld(data: dict) -> Markup:
    """Return a JSON-LD document safe to put inside a script element."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return Markup(text)  # noqa: S704 - escaped above for the script-data context


_ROOTED = re.compile(r'(\s(?:href|src)=")/(?!/)')


def rooted(html: str) -> Markup:
    """Put the site's base path in front of the site paths of a sanitised body."""
    root = request.script_root
    return Markup(_ROOTED.sub(lambda m: f"{m.group(1)}{root}/", html) if root else html)  # noqa: S704


def hours_rows(lines: list[str]) -> list[tuple[str, str]]:
    return describe(parse_hours(lines))


def register(app) -> None:
    """Install the filters on a Flask app."""
    app.jinja_env.filters.update(
        cn_date=cn_date,
        cn_datetime=cn_datetime,
        jsonld=jsonld,
        rooted=rooted,
        hours_rows=hours_rows,
    )
    app.jinja_env.globals.update(
        cn_range=cn_range, ACTIVITY_STATES=ACTIVITY_STATES, amenity_icon=amenity_icon
    )
