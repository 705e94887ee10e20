"""Coordinate systems used by Chinese maps: WGS-84 (GPS), GCJ-02 (AMap, Tencent), BD-09 (Baidu).

Content files always store WGS-84. GCJ-02 is WGS-84 plus a published, deterministic offset of a
few hundred metres inside China; BD-09 adds Baidu's own offset on top of GCJ-02. The forward
formulas are the well-known public ones; the inverses have no closed form, so they are solved by
fixed-point iteration to well under a metre. Outside China both offsets are zero (identity).
"""

from __future__ import annotations

import math
from typing import Literal

CRS = Literal["wgs84", "gcj02", "bd09"]
SYSTEMS: tuple[CRS, ...] = ("wgs84", "gcj02", "bd09")

_A = 6378245.0  # Krasovsky 1940 semi-major axis, as the GCJ-02 formula uses it
_EE = 0.00669342162296594323  # its first eccentricity squared
_X_PI = math.pi * 3000.0 / 180.0

# Where the offset applies: rectangles (north, west, south, east) of mainland China minus
# rectangles that the providers leave unshifted (Taiwan; the north of Vietnam and Laos; parts of
# Mongolia and Russia). This is the widely used public approximation of the region.
_REGION = (
    (49.220400, 79.446200, 42.889900, 96.330000),
    (54.141500, 109.687200, 39.374200, 135.000200),
    (42.889900, 73.124600, 29.529700, 124.143255),
    (29.529700, 82.968400, 26.718600, 97.035200),
    (29.529700, 97.025300, 20.414096, 124.367395),
    (20.414096, 107.975793, 17.871542, 111.744104),
)
_EXCLUDE = (
    (25.398623, 119.921265, 21.785006, 122.497559),
    (22.284000, 101.865200, 20.098800, 106.665000),
    (21.542200, 106.452500, 20.487800, 108.051000),
    (55.817500, 109.032300, 50.325700, 119.127000),
    (55.817500, 127.456800, 49.557400, 137.022700),
    (44.892200, 131.266200, 42.569200, 137.022700),
)


def _inside(box: tuple[float, float, float, float], lat: float, lng: float) -> bool:
    north, west, south, east = box
    return south <= lat <= north and west <= lng <= east


def in_china(lat: float, lng: float) -> bool:
    """Tell whether a point lies where the GCJ-02 offset applies."""
    return any(_inside(b, lat, lng) for b in _REGION) and not any(
        _inside(b, lat, lng) for b in _EXCLUDE
    )


def _delta_lat(x: float, y: float) -> float:
    ret = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * math.sqrt(abs(x))
    ret += (20.0 * math.sin(6.0 * x * math.pi) + 20.0 * math.sin(2.0 * x * math.pi)) * 2.0 / 3.0
    ret += (20.0 * math.sin(y * math.pi) + 40.0 * math.sin(y / 3.0 * math.pi)) * 2.0 / 3.0
    ret += (160.0 * math.sin(y / 12.0 * math.pi) + 320.0 * math.sin(y * math.pi / 30.0)) * 2.0 / 3.0
    return ret


def _delta_lng(x: float, y: float) -> float:
    ret = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * math.sqrt(abs(x))
    ret += (20.0 * math.sin(6.0 * x * math.pi) + 20.0 * math.sin(2.0 * x * math.pi)) * 2.0 / 3.0
    ret += (20.0 * math.sin(x * math.pi) + 40.0 * math.sin(x / 3.0 * math.pi)) * 2.0 / 3.0
    ret += (150.0 * math.sin(x / 12.0 * math.pi) + 300.0 * math.sin(x / 30.0 * math.pi)) * 2.0 / 3.0
    return ret


def wgs84_to_gcj02(lat: float, lng: float) -> tuple[float, float]:
    """Return the GCJ-02 (lat, lng) of a WGS-84 point."""
    if not in_china(lat, lng):
        return lat, lng
    dlat = _delta_lat(lng - 105.0, lat - 35.0)
    dlng = _delta_lng(lng - 105.0, lat - 35.0)
    rad = lat / 180.0 * math.pi
    magic = 1 - _EE * math.sin(rad) ** 2
    sqrt_magic = math.sqrt(magic)
    dlat = (dlat * 180.0) / ((_A * (1 - _EE)) / (magic * sqrt_magic) * math.pi)
    dlng = (dlng * 180.0) / (_A / sqrt_magic * math.cos(rad) * math.pi)
    return lat + dlat, lng + dlng


def gcj02_to_bd09(lat: float, lng: float) -> tuple[float, float]:
    """Return the BD-09 (lat, lng) of a GCJ-02 point."""
    if not in_china(lat, lng):
        return lat, lng
    z = math.hypot(lng, lat) + 0.00002 * math.sin(lat * _X_PI)
    theta = math.atan2(lat, lng) + 0.000003 * math.cos(lng * _X_PI)
    return z * math.sin(theta) + 0.006, z * math.cos(theta) + 0.0065


def _invert(forward, lat: float, lng: float) -> tuple[float, float]:
    """Solve forward(p) = (lat, lng) for p by fixed-point iteration (converges in a few steps)."""
    guess_lat, guess_lng = lat, lng
    for _ in range(30):
        f_lat, f_lng = forward(guess_lat, guess_lng)
        err_lat, err_lng = f_lat - lat, f_lng - lng
        guess_lat, guess_lng = guess_lat - err_lat, guess_lng - err_lng
        if abs(err_lat) < 1e-10 and abs(err_lng) < 1e-10:
            break
    return guess_lat, guess_lng


def gcj02_to_wgs84(lat: float, lng: float) -> tuple[float, float]:
    """Return the WGS-84 (lat, lng) of a GCJ-02 point (iterated; error far below 1 m)."""
    if not in_china(lat, lng):
        return lat, lng
    return _invert(wgs84_to_gcj02, lat, lng)


def bd09_to_gcj02(lat: float, lng: float) -> tuple[float, float]:
    """Return the GCJ-02 (lat, lng) of a BD-09 point (iterated)."""
    if not in_china(lat, lng):
        return lat, lng
    return _invert(gcj02_to_bd09, lat, lng)


def wgs84_to_bd09(lat: float, lng: float) -> tuple[float, float]:
    """Return the BD-09 (lat, lng) of a WGS-84 point."""
    return gcj02_to_bd09(*wgs84_to_gcj02(lat, lng))


def bd09_to_wgs84(lat: float, lng: float) -> tuple[float, float]:
    """Return the WGS-84 (lat, lng) of a BD-09 point."""
    return gcj02_to_wgs84(*bd09_to_gcj02(lat, lng))


_STEPS = {
    ("wgs84", "gcj02"): (wgs84_to_gcj02,),
    ("gcj02", "wgs84"): (gcj02_to_wgs84,),
    ("gcj02", "bd09"): (gcj02_to_bd09,),
    ("bd09", "gcj02"): (bd09_to_gcj02,),
    ("wgs84", "bd09"): (wgs84_to_gcj02, gcj02_to_bd09),
    ("bd09", "wgs84"): (bd09_to_gcj02, gcj02_to_wgs84),
}


def convert(lat: float, lng: float, source: str, target: str) -> tuple[float, float]:
    """Convert (lat, lng) between any two of ``wgs84``, ``gcj02`` and ``bd09``."""
    for name in (source, target):
        if name not in SYSTEMS:
            raise ValueError(f"unknown coordinate system {name!r} (use {', '.join(SYSTEMS)})")
    for step in _STEPS.get((source, target), ()):
        lat, lng = step(lat, lng)
    return lat, lng


def parse_pasted(text: str, source: str = "gcj02") -> tuple[float, float]:
    """Read "lng,lat" as AMap's coordinate picker copies it; return WGS-84 (lat, lng).

    AMap and Tencent hand out GCJ-02 with the longitude first; Baidu's picker gives BD-09, also
    longitude first. In China the larger number is always the longitude (as AMap's documentation
    points out), so a latitude-first paste is read right too.
    """
    parts = [p for p in text.replace("，", ",").replace(" ", ",").split(",") if p]
    if len(parts) != 2:
        raise ValueError(f"{text!r} is not a coordinate pair like '114.0652,22.6301'")
    try:
        a, b = float(parts[0]), float(parts[1])
    except ValueError:
        raise ValueError(f"{text!r} is not a coordinate pair like '114.0652,22.6301'") from None
    lng, lat = (a, b) if a >= b else (b, a)
    if not (-90 <= lat <= 90 and -180 <= lng <= 180):
        raise ValueError(f"{text!r} is outside the range of latitudes and longitudes")
    return convert(lat, lng, source, "wgs84")
