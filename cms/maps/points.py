"""The compact station data the map pages load: one small JSON file for thousands of stations.

``/api/v1/stations.geojson`` is the full, documented API; this variant keeps only what the
map, the list, the filters and
"open now" need: one array per field, vocabularies as indexes,
amenities as a bit mask, repeated opening hours stored once and coordinates as microdegree
deltas, so 10,000 stations stay well under 200 KB gzip.
Stations come in list order (street as in site.yml, then type, then slug).
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from collections.abc import Iterable
from functools import lru_cache

from ..content.model import Site, Station
from ..geo.coords import convert
from .tiles import Tiles


def _index(keys: list[str], key: str) -> int:
    return keys.index(key) if key in keys else -1


def _deltas(values: list[float]) -> list[int]:
    """Return microdegrees as differences from the previous value (small numbers pack well)."""
    out, previous = [], 0
    for value in values:
        micro = round(value * 1_000_000)
        out.append(micro - previous)
        previous = micro
    return out


# A community (社区) named after its street in a name or an address: "坂田街道岗头社区…".
_COMMUNITY = re.compile(r"街道([\u4e00-\u9fff]{1,4}?社区)")


_SPELL = """
import json, re, sys
from pypinyin import Style, lazy_pinyin
out = []
for label in json.load(sys.stdin):
    core = re.sub(r"(街道|社区)$", "", label)
    full, initials = lazy_pinyin(core), lazy_pinyin(core, Style.FIRST_LETTER)
    out.append(" ".join(("".join(full), "".join(initials))))
json.dump(out, sys.stdout)
"""


@lru_cache(maxsize=8)
def _spellings(labels: tuple[str, ...]) -> tuple[str, ...]:
    """Return how a reader may type each place: its pinyin, then its initials ("bantian bt").

    pypinyin's dictionaries take ~57 MB that a build would otherwise keep to its end for a few
    dozen street names, so they are loaded in a fresh interpreter of their own (a fork could
    inherit a lock another thread holds and wait for ever).
    """
    if not labels:
        return ()
    run = subprocess.run(
        [sys.executable, "-c", _SPELL],
        input=json.dumps(labels), capture_output=True, text=True, encoding="utf-8", check=True,
    )  # fmt: skip
    return tuple(json.loads(run.stdout))


def places(site: Site, stations: list[Station]) -> dict[str, list]:
    """Return the streets and communities that have stations, for finding by place.

    Each has its label, its spelling (pinyin and initials, so ``bt`` finds 坂田) and the mean
    WGS-84 position of its stations in microdegrees, where the list measures distances from.
    """
    groups: dict[str, list[Station]] = {}
    for st in stations:
        if st.street in site.streets:
            groups.setdefault(site.streets[st.street].label, []).append(st)
    for st in stations:
        seen = {m for text in (st.name, st.address) for m in _COMMUNITY.findall(text)}
        for community in sorted(seen):
            groups.setdefault(community, []).append(st)
    out: dict[str, list] = {"name": [], "spelling": [], "lat": [], "lng": []}
    spellings = _spellings(tuple(groups))
    for (label, members), spelling in zip(groups.items(), spellings, strict=True):
        out["name"].append(label)
        out["spelling"].append(spelling)
        out["lat"].append(round(sum(s.location.lat for s in members) / len(members) * 1e6))
        out["lng"].append(round(sum(s.location.lng for s in members) / len(members) * 1e6))
    return out


def street_details(
    stations: Iterable[Station], thumbnails: dict[str, tuple[str, str]] | None = None
) -> bytes:
    """Return one street's row details by slug: ``{"slug": ["address", "phone", "verified"]}``,
    and for a station with photos the addresses of its first photo's smallest WebP and JPEG
    renditions (``thumbnails``) after them, for the row's picture.

    The finder's rows need them (the date last verified for 信息待核实), but at 10,000
    stations they would be a third of the map data, so they come a street at a time, for the
    rows on screen, not with every marker.
    """
    thumbnails = thumbnails or {}
    doc = {
        st.slug: [st.address, st.phone, st.verified_at.isoformat() if st.verified_at else ""]
        + list(thumbnails.get(st.slug, ()))
        for st in sorted(stations, key=lambda s: s.slug)
    }
    return json.dumps(doc, ensure_ascii=False, separators=(",", ":")).encode()


def compact_stations(site: Site, tiles: Tiles, stations: Iterable[Station]) -> bytes:
    """Return the map data, one array per field: WGS-84 positions in microdegrees as deltas.

    When the tiles need GCJ-02, ``map_lat``/``map_lng`` hold the shifted positions to draw.
    """
    types, streets = list(site.station_types), list(site.streets)
    amenities, access = list(site.amenities), list(site.access)
    order = {key: i for i, key in enumerate(streets)}
    ordered = sorted(
        stations,
        key=lambda s: (order.get(s.street, len(order)), _index(types, s.type), s.slug),
    )
    hours: list[list[str]] = []
    for st in ordered:
        if list(st.hours) not in hours:
            hours.append(list(st.hours))
    lats = [round(st.location.lat, 6) for st in ordered]
    lngs = [round(st.location.lng, 6) for st in ordered]
    columns = {
        "slug": [st.slug for st in ordered],
        "name": [st.name for st in ordered],
        "type": [_index(types, st.type) for st in ordered],
        "street": [_index(streets, st.street) for st in ordered],
        "lat": _deltas(lats),
        "lng": _deltas(lngs),
        "amenities": [
            sum(1 << amenities.index(a) for a in set(st.amenities) if a in amenities)
            for st in ordered
        ],
        "access": [_index(access, st.access) for st in ordered],
        "hours": [hours.index(list(st.hours)) for st in ordered],
    }
    if tiles.crs != "wgs84":
        shifted = [
            convert(lat, lng, "wgs84", tiles.crs) for lat, lng in zip(lats, lngs, strict=True)
        ]
        columns["map_lat"] = _deltas([p[0] for p in shifted])
        columns["map_lng"] = _deltas([p[1] for p in shifted])
    doc = {
        "crs": tiles.crs,
        "count": len(ordered),
        "types": types,
        "streets": streets,
        "amenities": amenities,
        "access": access,
        "hours": hours,
        "columns": columns,
        "places": places(site, ordered),
    }
    return json.dumps(doc, ensure_ascii=False, separators=(",", ":")).encode()
