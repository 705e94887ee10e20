"""Coordinate systems and distances against published reference values."""

from __future__ import annotations

import pytest

from cms.geo.coords import (
    bd09_to_gcj02,
    bd09_to_wgs84,
    convert,
    gcj02_to_bd09,
    gcj02_to_wgs84,
    in_china,
    parse_pasted,
    wgs84_to_bd09,
    wgs84_to_gcj02,
)
from cms.geo.distance import haversine_m, walking_minutes

# Published pairs, (lat, lng):
# - AMap web service "坐标转换" documentation example: the GPS point 116.481499,39.990475
#   (coordsys=gps) converts to 116.487585177952,39.991754014757 (GCJ-02).
AMAP_WGS = (39.990475, 116.481499)
AMAP_GCJ = (39.991754014757, 116.487585177952)
# - Alibaba Cloud address-purification "TransferCoord" documentation example: GCJ02
#   120.026268,30.279164 → WGS84 120.021519,30.281543 and BD09 120.032768,30.285238.
ALIYUN_GCJ = (30.279164, 120.026268)
ALIYUN_WGS = (30.281543, 120.021519)
ALIYUN_BD = (30.285238, 120.032768)

LONGGANG = [(22.63762, 114.04935), (22.72, 114.247), (22.615, 114.14), (22.78, 114.35)]
OUTSIDE = [
    (35.6812, 139.7671),  # Tokyo
    (51.5007, -0.1246),  # London
    (1.2903, 103.8520),  # Singapore
    (25.0330, 121.5654),  # Taipei (left unshifted by the providers)
    (37.5665, 126.9780),  # Seoul
]


def metres(a: tuple[float, float], b: tuple[float, float]) -> float:
    return haversine_m(a[0], a[1], b[0], b[1])


def test_forward_wgs84_to_gcj02_matches_amap_within_a_metre():
    assert metres(wgs84_to_gcj02(*AMAP_WGS), AMAP_GCJ) < 1


def test_inverse_gcj02_to_wgs84_within_5_metres():
    assert metres(gcj02_to_wgs84(*AMAP_GCJ), AMAP_WGS) < 5
    assert metres(gcj02_to_wgs84(*ALIYUN_GCJ), ALIYUN_WGS) < 5


def test_forward_gcj02_to_bd09_matches_aliyun_within_a_metre():
    assert metres(gcj02_to_bd09(*ALIYUN_GCJ), ALIYUN_BD) < 1


def test_inverse_bd09_within_5_metres():
    assert metres(bd09_to_gcj02(*ALIYUN_BD), ALIYUN_GCJ) < 5
    assert metres(bd09_to_wgs84(*ALIYUN_BD), ALIYUN_WGS) < 5


@pytest.mark.parametrize("point", LONGGANG)
def test_round_trips_in_longgang_are_far_below_a_metre(point):
    assert metres(gcj02_to_wgs84(*wgs84_to_gcj02(*point)), point) < 0.05
    assert metres(bd09_to_wgs84(*wgs84_to_bd09(*point)), point) < 0.05
    # The shift itself is real: hundreds of metres in Shenzhen.
    assert 200 < metres(wgs84_to_gcj02(*point), point) < 800


@pytest.mark.parametrize("point", OUTSIDE)
def test_identity_outside_china(point):
    assert not in_china(*point)
    for source in ("wgs84", "gcj02", "bd09"):
        for target in ("wgs84", "gcj02", "bd09"):
            assert convert(*point, source, target) == point


def test_convert_names_systems():
    assert convert(*AMAP_WGS, "wgs84", "wgs84") == AMAP_WGS
    assert convert(*AMAP_WGS, "wgs84", "gcj02") == wgs84_to_gcj02(*AMAP_WGS)
    with pytest.raises(ValueError, match="unknown coordinate system 'utm'"):
        convert(*AMAP_WGS, "wgs84", "utm")


@pytest.mark.parametrize(
    "text",
    [
        "116.487585,39.991754",
        "116.487585, 39.991754",
        "39.991754,116.487585",
        "116.487585，39.991754",
    ],
)
def test_paste_from_amap_gives_wgs84(text):
    lat, lng = parse_pasted(text, "gcj02")
    assert metres((lat, lng), AMAP_WGS) < 5


@pytest.mark.parametrize("text", ["", "116.4", "a,b", "1,2,3", "200,95"])
def test_paste_rejects_what_is_not_a_pair(text):
    with pytest.raises(ValueError):
        parse_pasted(text)


def test_haversine_against_the_rosetta_code_reference():
    # Rosetta Code "Haversine formula": Nashville BNA (36.12, -86.67) to Los Angeles LAX
    # (33.94, -118.40) is 2887.2599506071106 km on a sphere of radius 6372.8 km.
    km = haversine_m(36.12, -86.67, 33.94, -118.40, radius=6372800) / 1000
    assert km == pytest.approx(2887.2599506071106, abs=1e-6)


def test_haversine_small_distances():
    assert haversine_m(22.6, 114.0, 22.6, 114.0) == 0
    # One thousandth of a degree of latitude is about 111 m everywhere.
    assert haversine_m(22.6, 114.0, 22.601, 114.0) == pytest.approx(111.19, abs=0.01)


@pytest.mark.parametrize(("metres_", "minutes"), [(0, 1), (75, 1), (76, 2), (750, 10), (4500, 60)])
def test_walking_minutes_at_4_5_kmh(metres_, minutes):
    assert walking_minutes(metres_) == minutes
