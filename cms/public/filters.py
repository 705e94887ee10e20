"""Jinja filters and globals of the public theme: dates in the site's language, labels, JSON-LD."""

from __future__ import annotations

import datetime as dt
import json
import re

from babel import Locale
from babel.dates import format_datetime
from flask import current_app, request
from markupsafe import Markup

from ..content.hours import describe, parse_hours
from ..maps.icons import amenity_icon
from .i18n import gettext, pgettext, site_locale

# CLDR patterns per language: (date, date with weekday and time). Chinese readers expect
# 2021年7月15日（周四）09:00; other languages without a row get Babel's long formats.
DATE_PATTERNS = {
    "zh": ("y年M月d日", "y年M月d日（EEE）HH:mm"),
    "en": ("d MMMM y", "EEE d MMMM y, HH:mm"),
}


def local(value: dt.datetime) -> dt.datetime:
    """Return a time in the site's time zone, whatever offset the file gave it."""
    return value.astimezone(current_app.extensions["yizhan"].tz)


def _patterns() -> tuple[Locale, str, str]:
    """Return the site's locale and its (date, date-time) patterns."""
    locale = site_locale(current_app.extensions["yizhan"].site.language)
    date, when = DATE_PATTERNS.get(locale.language, ("long", "full"))
    return locale, date, when


def cn_date(value: dt.date | dt.datetime | None) -> str:
    """Format a date in the site's language: 2021年4月9日, 9 April 2021."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        value = local(value)
    locale, pattern, _ = _patterns()
    day = dt.datetime(value.year, value.month, value.day)
    return format_datetime(day, pattern, locale=locale)


def cn_datetime(value: dt.datetime) -> str:
    """Format a date-time: 2021年7月15日（周四）09:00, Thu 15 July 2021, 09:00."""
    locale, _, pattern = _patterns()
    # Already in the site's zone, and the patterns name no zone: format the wall-clock time.
    return format_datetime(local(value).replace(tzinfo=None), pattern, locale=locale)


def cn_range(start: dt.datetime, end: dt.datetime) -> str:
    """Format an activity's time span, leaving out the second date when it is the same day."""
    start, end = local(start), local(end)
    if start.date() == end.date():
        return f"{cn_datetime(start)}–{end:%H:%M}"
    return gettext("%(start)s 至 %(end)s", start=cn_datetime(start), end=cn_datetime(end))


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
    """Return a station's opening hours as (days, times) rows in the site's language."""
    return describe(parse_hours(lines), gettext)


def activity_state(state: str) -> str:
    """Return the label of an activity's registration state (none, open, full, closed, ended)."""
    # A context keeps the state 报名截止 apart from the deadline heading of the same words.
    labels = {
        "none": pgettext("activity state", "无需报名"),
        "open": pgettext("activity state", "报名中"),
        "full": pgettext("activity state", "已满"),
        "closed": pgettext("activity state", "报名截止"),
        "ended": pgettext("activity state", "已结束"),
    }
    return labels[state]


def register(app) -> None:
    """Install the filters on a Flask app."""
    app.jinja_env.filters.update(
        cn_date=cn_date,
        cn_datetime=cn_datetime,
        jsonld=jsonld,
        rooted=rooted,
        hours_rows=hours_rows,
        activity_state=activity_state,
    )
    app.jinja_env.globals.update(cn_range=cn_range, amenity_icon=amenity_icon)
