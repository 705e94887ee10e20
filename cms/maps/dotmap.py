"""A dot map of the stations, drawn at build time as SVG: no tiles, no Leaflet, no script.

The home page's teaser shows where the stations are without the weight of a web map. Stations
are counted in a grid of CELL-unit squares over their bounding box, one dot per occupied square,
its area growing with the count and its colour that of the square's most common type (the
``c-type-*`` classes the /stations/ map uses), so 10,000 stations make a few hundred elements.
Positions come from a plain linear projection whose four numbers ride on the svg as data-
attributes, so the page's script places the reader and the nearest stations the same way.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from html import escape

from ..content.model import Site, Station

WIDTH, HEIGHT = 320, 240  # the largest viewBox: a phone shows it at about its own size
PAD = 13  # room around the outermost stations: a dot (radius 7 at most) stays inside
CELL = 12  # a grid square, in viewBox units
R_MIN, R_MAX = 2.0, 7.0  # dot radii: the smallest drawn, the fullest square's
FONT = 12  # street names' size; themes' map.css sets the same
MIN_SPAN = 0.01  # degrees: one station, or several at one spot, still get a box around them


@dataclass(frozen=True)
class Projection:
    """Degrees to viewBox units: x grows east, y south, a degree of longitude cos(lat) short."""

    lat0: float  # the top edge
    lng0: float  # the left edge
    kx: float  # units per degree of longitude
    ky: float  # units per degree of latitude
    width: int
    height: int

    def project(self, lat: float, lng: float) -> tuple[float, float]:
        """Return the viewBox position of a WGS-84 point (the script's formula too)."""
        return (lng - self.lng0) * self.kx, (self.lat0 - lat) * self.ky


@dataclass(frozen=True)
class Dot:
    x: float
    y: float
    r: float
    count: int
    type: str


@dataclass(frozen=True)
class Label:
    x: float
    y: float
    text: str


def fit(points: Sequence[tuple[float, float]]) -> Projection:
    """Return the projection that fits (lat, lng) points into WIDTH × HEIGHT, north up.

    Its numbers are rounded before use, so the page's script, given the same rounded numbers,
    puts a point exactly where the build would.
    """
    south, north = min(p[0] for p in points), max(p[0] for p in points)
    west, east = min(p[1] for p in points), max(p[1] for p in points)
    if north - south < MIN_SPAN:
        south, north = (south + north - MIN_SPAN) / 2, (south + north + MIN_SPAN) / 2
    if east - west < MIN_SPAN:
        west, east = (west + east - MIN_SPAN) / 2, (west + east + MIN_SPAN) / 2
    shrink = math.cos(math.radians((south + north) / 2))
    k = min((WIDTH - 2 * PAD) / ((east - west) * shrink), (HEIGHT - 2 * PAD) / (north - south))
    kx, ky = round(k * shrink, 3), round(k, 3)
    lng0, lat0 = round(west - PAD / kx, 6), round(north + PAD / ky, 6)
    width = min(WIDTH, math.ceil((east - lng0) * kx + PAD))
    height = min(HEIGHT, math.ceil((lat0 - south) * ky + PAD))
    return Projection(lat0, lng0, kx, ky, width, height)


def dots(projection: Projection, stations: Iterable[Station], types: Sequence[str]) -> list[Dot]:
    """Return one dot per occupied grid square, in type order, then row, then column."""
    squares: dict[tuple[int, int], Counter[str]] = defaultdict(Counter)
    for st in stations:
        x, y = projection.project(st.location.lat, st.location.lng)
        squares[(int(y // CELL), int(x // CELL))][st.type] += 1
    fullest = max((sum(c.values()) for c in squares.values()), default=1)
    rank = {key: i for i, key in enumerate(types)}
    out = []
    for (row, col), counts in squares.items():
        count = sum(counts.values())
        # The most common type; a tie goes to the type site.yml lists first.
        kind = min(counts, key=lambda t: (-counts[t], rank.get(t, len(rank)), t))
        r = max(R_MIN, R_MAX * math.sqrt(count / fullest))  # area ∝ count
        out.append(Dot((col + 0.5) * CELL, (row + 0.5) * CELL, round(r * 2) / 2, count, kind))
    out.sort(key=lambda d: (rank.get(d.type, len(rank)), d.type, d.y, d.x))
    return out


def _text_width(text: str) -> float:
    return sum(FONT if ord(c) > 0x2E80 else FONT * 0.6 for c in text)


def labels(
    projection: Projection, stations: Iterable[Station], streets: dict[str, str], drawn: list[Dot]
) -> list[Label]:
    """Return street names near their stations' centroids, clear of the dots and of each other.

    Streets with more stations are placed first. A name goes at the nearest of rings of places
    around its centroid (on it, above, below, beside, then further out) where it covers no dot
    and no name already placed; on a map too full for that, where it covers the fewest dots. A
    name that would overlap another in every place is left out (an unreadable name helps nobody).
    """
    members: dict[str, list[Station]] = defaultdict(list)
    for st in stations:
        if st.street in streets:
            members[st.street].append(st)
    order = list(streets)
    dots_at = [(d.x - d.r, d.y - d.r, d.x + d.r, d.y + d.r) for d in drawn]
    placed: list[tuple[float, float, float, float]] = []
    out = []
    for key in sorted(members, key=lambda k: (-len(members[k]), order.index(k))):
        group = members[key]
        lat = sum(st.location.lat for st in group) / len(group)
        lng = sum(st.location.lng for st in group) / len(group)
        cx, cy = projection.project(lat, lng)
        # A glyph box is about 1.4 em tall in the fonts phones have, and a dot has a stroke.
        half_w, half_h = _text_width(streets[key]) / 2 + 3, FONT * 0.7 + 1
        free = []  # (dots hidden, nearness, box): the first with none hidden wins
        for near, (x, y) in enumerate(_around(cx, cy, half_w, half_h)):
            x = min(max(x, half_w), projection.width - half_w)
            y = min(max(y, half_h), projection.height - half_h)
            box = (x - half_w, y - half_h, x + half_w, y + half_h)
            if any(_overlap(box, other) for other in placed):
                continue
            hidden = sum(_overlap(box, dot) for dot in dots_at)
            free.append((hidden, near, box))
            if not hidden:
                break
        if free:
            _hidden, _near, box = min(free)
            placed.append(box)
            x, y = (box[0] + box[2]) / 2, (box[1] + box[3]) / 2
            out.append(Label(round(x, 1), round(y, 1), streets[key]))
    return out


def _around(cx: float, cy: float, half_w: float, half_h: float) -> Iterator[tuple[float, float]]:
    """Yield places for a label around a point, nearest first: on it, then rings further out."""
    yield cx, cy
    for ring in range(1, 5):
        dx, dy = ring * half_w, ring * (2 * half_h + 2) / 2
        yield from (
            (cx, cy - dy), (cx, cy + dy), (cx + dx, cy), (cx - dx, cy),
            (cx + dx, cy - dy), (cx - dx, cy - dy), (cx + dx, cy + dy), (cx - dx, cy + dy),
        )  # fmt: skip


def _overlap(a: tuple[float, ...], b: tuple[float, ...]) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def _num(value: float) -> str:
    """Return a number as short as it reads: 6, 6.5, 114.04."""
    return f"{value:.6f}".rstrip("0").rstrip(".")


def dot_map(site: Site, stations: Sequence[Station], title: str, desc: str, map_id: str) -> str:
    """Return the SVG: role="img", named by ``title`` and ``desc`` (which state the figures).

    Its dots are not read out one by one: a page that shows it also lists the streets in text.
    Empty when there are no stations.
    """
    if not stations:
        return ""
    p = fit([(st.location.lat, st.location.lng) for st in stations])
    parts = [
        f'<svg class="dot-map" id="{map_id}" xmlns="http://www.w3.org/2000/svg"'
        f' viewBox="0 0 {p.width} {p.height}" width="{p.width}" height="{p.height}" role="img"'
        f' aria-labelledby="{map_id}-title {map_id}-desc" data-lat0="{_num(p.lat0)}"'
        f' data-lng0="{_num(p.lng0)}" data-kx="{_num(p.kx)}" data-ky="{_num(p.ky)}">',
        f'<title id="{map_id}-title">{escape(title)}</title>',
        f'<desc id="{map_id}-desc">{escape(desc)}</desc>',
    ]
    drawn = dots(p, stations, list(site.station_types))
    group = None
    for dot in drawn:
        if dot.type != group:
            parts.append(("</g>" if group else "") + f'<g class="c-type-{escape(dot.type)}">')
            group = dot.type
        x, y, r = _num(dot.x), _num(dot.y), _num(dot.r)
        parts.append(f'<circle cx="{x}" cy="{y}" r="{r}" data-n="{dot.count}"/>')
    parts.append('</g><g class="dot-map-streets">')
    streets = {key: term.label for key, term in site.streets.items()}
    for label in labels(p, stations, streets, drawn):
        parts.append(f'<text x="{_num(label.x)}" y="{_num(label.y)}">{escape(label.text)}</text>')
    parts.append("</g></svg>")
    return "".join(parts)
