"""When a station's details are due to be checked again (信息待核实).

The same rule as the theme's ``hours.js`` ``isStale``: a station verified on a day is stale
once today is past that day ``months`` later (the 31st becomes the month's last day).
"""

from __future__ import annotations

import calendar
import datetime as dt

from .model import Station


def due_on(verified: dt.date, months: int) -> dt.date:
    """Return the last day on which a check made on ``verified`` still counts."""
    month = verified.month - 1 + months
    year, month = verified.year + month // 12, month % 12 + 1
    return dt.date(year, month, min(verified.day, calendar.monthrange(year, month)[1]))


def is_stale(verified: dt.date | None, months: int, today: dt.date) -> bool:
    """Tell whether a check made on ``verified`` is too old on ``today`` (never when unset)."""
    return verified is not None and months > 0 and today > due_on(verified, months)


def stale_stations(stations: list[Station], months: int, today: dt.date) -> list[Station]:
    """Return the stations whose check is too old, the longest unchecked first."""
    found = [s for s in stations if is_stale(s.verified_at, months, today)]
    return sorted(found, key=lambda s: (s.verified_at, s.slug))
