"""Great-circle distances and walking times, the same formulas the browser uses."""

from __future__ import annotations

import math

EARTH_RADIUS_M = 6371008.8  # mean Earth radius (IUGG), in metres
WALKING_KMH = 4.5


def haversine_m(
    lat1: float, lng1: float, lat2: float, lng2: float, radius: float = EARTH_RADIUS_M
) -> float:
    """Return the great-circle distance in metres between two (lat, lng) points."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lng2 - lng1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * radius * math.asin(min(1.0, math.sqrt(h)))


def walking_minutes(metres: float, kmh: float = WALKING_KMH) -> int:
    """Return whole minutes to walk ``metres`` at ``kmh``, at least 1."""
    return max(1, math.ceil(metres / (kmh * 1000 / 60)))
