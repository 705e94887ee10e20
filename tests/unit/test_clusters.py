"""The finder's grid clusters (static/js/clusters.js), run in Node as the browser runs them.

Every station is counted once, in the square of the map's pixel grid that holds it, and the
pixel positions are Web Mercator's (Leaflet's map.project), checked against the formula here.
"""

from __future__ import annotations

import math
import random
from pathlib import Path

import pytest

from .test_open_now import run_node as run_hours_node

CLUSTERS_JS = Path(__file__).resolve().parents[2] / "themes/default/static/js/clusters.js"


def run_node(script: str, payload: object) -> object:
    return run_hours_node(script, payload, CLUSTERS_JS)


def mercator(lat: float, lng: float, zoom: int) -> tuple[float, float]:
    scale = 256 * 2**zoom
    y = math.log(math.tan(math.pi / 4 + math.radians(lat) / 2))
    return scale * (lng + 180) / 360, scale * (0.5 - y / (2 * math.pi))


def stations(count: int) -> list[dict]:
    rng = random.Random(4)
    return [
        {"slug": f"s{i}", "mapLat": rng.gauss(22.72, 0.03), "mapLng": rng.gauss(114.22, 0.04)}
        for i in range(count)
    ]


GRID = """
  const clusters = require(process.argv[1]);
  const job = JSON.parse(require('fs').readFileSync(0, 'utf8'));
  const out = clusters.grid(job.points, job.zoom, job.cell, job.box).map(c => ({
    key: c.key, count: c.count, lat: c.lat, lng: c.lng, first: c.first.slug,
    bounds: [c.south, c.west, c.north, c.east]}));
  process.stdout.write(JSON.stringify(out));
"""


def test_projection_is_web_mercator():
    points = [(22.72, 114.22, 12), (0, 0, 0), (-33.86, 151.21, 15), (51.5, -0.12, 19)]
    script = """
      const clusters = require(process.argv[1]);
      const points = JSON.parse(require('fs').readFileSync(0, 'utf8'));
      process.stdout.write(JSON.stringify(points.map(p => clusters.project(p[0], p[1], p[2]))));
    """
    got = run_node(script, points)
    for (lat, lng, zoom), xy in zip(points, got, strict=True):
        assert xy == pytest.approx(mercator(lat, lng, zoom), abs=1e-6)


@pytest.mark.parametrize("zoom", [8, 12, 14])
def test_every_station_is_counted_once_in_its_square(zoom):
    points = stations(3000)
    got = run_node(GRID, {"points": points, "zoom": zoom, "cell": 60, "box": None})
    assert sum(c["count"] for c in got) == len(points)
    assert len({c["key"] for c in got}) == len(got)
    squares: dict[tuple[int, int], list[dict]] = {}
    for p in points:
        x, y = mercator(p["mapLat"], p["mapLng"], zoom)
        squares.setdefault((math.floor(x / 60), math.floor(y / 60)), []).append(p)
    assert sorted(c["count"] for c in got) == sorted(len(v) for v in squares.values())
    by_first = {c["first"]: c for c in got}
    for members in squares.values():
        c = by_first[members[0]["slug"]]  # the first station of a square names it
        assert c["count"] == len(members)
        lats, lngs = [m["mapLat"] for m in members], [m["mapLng"] for m in members]
        assert c["bounds"] == [min(lats), min(lngs), max(lats), max(lngs)]
        assert c["lat"] == pytest.approx(sum(lats) / len(lats))
        assert c["lng"] == pytest.approx(sum(lngs) / len(lngs))


def test_only_stations_inside_the_box_are_counted():
    points = stations(2000)
    box = [22.70, 114.20, 22.74, 114.25]
    got = run_node(GRID, {"points": points, "zoom": 13, "cell": 60, "box": box})
    inside = [
        p for p in points
        if box[0] <= p["mapLat"] <= box[2] and box[1] <= p["mapLng"] <= box[3]
    ]  # fmt: skip
    assert 0 < len(inside) < len(points)
    assert sum(c["count"] for c in got) == len(inside)


def test_sizes_follow_markercluster():
    script = """
      const clusters = require(process.argv[1]);
      require('fs').readFileSync(0, 'utf8');
      process.stdout.write(JSON.stringify([2, 9, 10, 99, 100, 5000].map(clusters.size)));
    """
    assert run_node(script, None) == ["small", "small", "medium", "medium", "large", "large"]
