"""The read-only JSON API (``/api/v1/``): its index, site settings, news, activities, stations."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from ..content.model import Activity, News, Site, Station, Term
from .feeds import absolute_html
from .urls import entry_path, media_path

SCHEMA_DIR = Path(__file__).parent / "schemas"
SCHEMAS: dict[str, Path] = {
    name: SCHEMA_DIR / f"{name}.schema.json"
    for name in ("index", "site", "news-index", "news-item", "activities", "stations")
}
# (address, schema, what it holds) of each document of the API, listed by /api/v1/index.json.
DOCUMENTS: tuple[tuple[str, str, str], ...] = (
    ("/api/v1/site.json", "site", "Site settings, feed addresses and vocabularies."),
    ("/api/v1/news.json", "news-index", "A summary of every published news item, newest first."),
    ("/api/v1/news/{slug}.json", "news-item", "One news item with its full HTML."),
    ("/api/v1/activities.json", "activities", "Every activity with its registration state."),
    ("/api/v1/stations.geojson", "stations", "Every service station as a GeoJSON point."),
)
VOCABULARIES = ("news_categories", "activity_brands", "station_types", "amenities", "access")


def site_json(site: Site) -> bytes:
    """Return ``/api/v1/site.json``: settings, feeds and vocabularies in site.yml order."""
    doc = {
        "title": site.title,
        "subtitle": site.subtitle,
        "description": site.description,
        "author": site.author,
        "language": site.language,
        "timezone": site.timezone,
        "url": site.url("/"),
        # The Tianditu key is left out on purpose: the API is not where secrets go.
        "map": {
            "center": {"lat": site.map.center_lat, "lng": site.map.center_lng},
            "zoom": site.map.zoom,
            "tiles": site.map.tiles,
        },
        "feeds": {
            "atom": site.url("/feed.xml"),
            "rss": site.url("/rss.xml"),
            "calendar": site.url("/activities/calendar.ics"),
        },
        "vocabularies": {
            name: [_term(term) for term in getattr(site, name).values()]
            for name in (*VOCABULARIES, "streets")
        },
        "menu": [{"label": item.label, "url": _absolute(site, item.url)} for item in site.menu],
    }
    return _dump(doc)


def index_json(site: Site) -> bytes:
    """Return ``/api/v1/index.json``: each document of the API with its schema and a word on it."""
    documents = [
        {
            "url": site.url(path),
            "schema": site.url(f"/api/v1/schema/{schema}.schema.json"),
            "description": about,
        }
        for path, schema, about in DOCUMENTS
    ]
    schemas = [site.url(f"/api/v1/schema/{name}.schema.json") for name in SCHEMAS]
    return _dump({"version": 1, "documents": documents, "schemas": schemas})


def news_index_json(site: Site, news: Sequence[News]) -> bytes:
    """Return ``/api/v1/news.json``: a summary of every given news entry, in the given order."""
    items = [_news_summary(site, item) for item in news]
    return _dump({"count": len(items), "items": items})


def news_json(site: Site, news: News, body_html: Callable[[News], str]) -> bytes:
    """Return ``/api/v1/news/<slug>.json``: one news entry with its full HTML."""
    doc = _news_summary(site, news)
    doc["updated"] = _time(site, news.modified)
    doc["html"] = absolute_html(site, body_html(news), doc["url"])
    return _dump(doc)


def activities_json(site: Site, activities: Iterable[Activity], now: dt.datetime) -> bytes:
    """Return ``/api/v1/activities.json``; ``now`` only decides each activity's state."""
    # "now" itself is not written out, so an unchanged state gives unchanged bytes.
    ordered = sorted(activities, key=lambda a: (a.starts_at, a.slug))
    items = [_activity(site, a, now) for a in ordered]
    return _dump({"count": len(items), "items": items})


def stations_geojson(site: Site, stations: Iterable[Station]) -> bytes:
    """Return ``/api/v1/stations.geojson``, an RFC 7946 FeatureCollection sorted by slug."""
    features = [_feature(site, s) for s in sorted(stations, key=lambda s: s.slug)]
    return _dump({"type": "FeatureCollection", "features": features})


def _news_summary(site: Site, news: News) -> dict[str, Any]:
    """Return the fields shared by the news index and the news item."""
    category = site.news_categories.get(news.category)
    return {
        "slug": news.slug,
        "title": news.title,
        "url": site.url(entry_path(news)),
        "date": _time(site, news.date),
        "category": (
            {"key": news.category, "label": category.label if category else news.category}
            if news.category
            else None
        ),
        "tags": list(news.tags),
        "summary": news.summary,
        "cover": site.url(media_path(news.cover)) if news.cover else None,
        "author": news.author or site.author,
    }


def _activity(site: Site, activity: Activity, now: dt.datetime) -> dict[str, Any]:
    """Return one activity as the API shows it."""
    reg = activity.registration
    return {
        "slug": activity.slug,
        "title": activity.title,
        "url": site.url(entry_path(activity)),
        "starts_at": _time(site, activity.starts_at),
        "ends_at": _time(site, activity.ends_at),
        "brand": _ref(site.activity_brands, activity.brand),
        "street": _ref(site.streets, activity.street),
        "venue": activity.venue,
        "station": activity.station or None,
        "summary": activity.summary,
        "registration": None
        if reg is None
        else {
            "phone": reg.phone,
            "deadline": reg.deadline.isoformat() if reg.deadline else None,
            "capacity": reg.capacity,
            "registered": reg.registered,
            "url": reg.url or None,
        },
        "state": activity.state(now),
    }


def _feature(site: Site, station: Station) -> dict[str, Any]:
    """Return one station as a GeoJSON Point Feature, longitude first as RFC 7946 says."""
    kind = site.station_types.get(station.type)
    street = site.streets.get(station.street)
    lng, lat = round(station.location.lng, 6), round(station.location.lat, 6)
    return {
        "type": "Feature",
        "id": station.slug,
        "geometry": {"type": "Point", "coordinates": [lng, lat]},
        "properties": {
            "slug": station.slug,
            "name": station.name,
            "url": site.url(entry_path(station)),
            "type": station.type,
            "type_label": kind.label if kind else station.type,
            "street": station.street,
            "street_label": street.label if street else station.street,
            "address": station.address,
            "hours": list(station.hours),
            "amenities": list(station.amenities),
            "access": station.access,
            "phone": station.phone,
            "verified_at": station.verified_at.isoformat() if station.verified_at else None,
            "color": kind.color if kind else "",
        },
    }


def _term(term: Term) -> dict[str, str]:
    """Return a vocabulary term as a JSON object."""
    return {"key": term.key, "label": term.label, "color": term.color}


def _ref(vocabulary: dict[str, Term], key: str) -> dict[str, str] | None:
    """Return the term a key names, or a bare key/label pair if site.yml lacks it."""
    if not key:
        return None
    return _term(vocabulary.get(key) or Term(key, key))


def _absolute(site: Site, url: str) -> str:
    """Return a site path as an absolute URL, and any other URL unchanged."""
    return site.url(url) if url.startswith("/") and not url.startswith("//") else url


def _time(site: Site, when: dt.datetime) -> str:
    """Format an aware time as ISO 8601 in the site's time zone, offset included."""
    return when.astimezone(ZoneInfo(site.timezone)).isoformat(timespec="seconds")


def _dump(doc: dict[str, Any]) -> bytes:
    """Serialise compactly with sorted keys so equal data gives equal bytes."""
    return json.dumps(doc, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()
