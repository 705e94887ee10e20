"""Machine-readable files: feeds, calendars, sitemap, robots.txt and the JSON API."""

from __future__ import annotations

from pathlib import Path

from flask import Response, abort, current_app, request, url_for

from ..content import Entry
from ..maps.points import street_details
from . import api, calendar, colours, feeds, stationmaps
from . import sitemap as sitemap_mod
from .data import SiteData
from .i18n import gettext
from .kinds import PageBlueprint, Scope, each, kinds_of, listed, one, sitemap_pages
from .pictures import thumbnails
from .shown import Shown

bp = PageBlueprint("exports", __name__)


def _data() -> SiteData:
    return current_app.extensions["yizhan"]


def _body(item: Entry) -> str:
    return _data().rendered(item).html


def _send(body: bytes, mimetype: str) -> Response:
    charset = "" if mimetype.startswith("application/json") else "; charset=utf-8"
    return Response(body, content_type=mimetype + charset)


@bp.page("/feed.xml", addresses=one(), shows=Shown.latest_news, scope=Scope.WHOLE)
def atom():
    data = _data()
    return _send(feeds.atom_feed(data.site, data.news, _body), "application/atom+xml")


@bp.page("/rss.xml", addresses=one(), shows=Shown.latest_news, scope=Scope.WHOLE)
def rss():
    data = _data()
    return _send(feeds.rss_feed(data.site, data.news, _body), "application/rss+xml")


@bp.page("/sitemap.xml", addresses=one(), shows=Shown.sitemap)
def sitemap():
    data = _data()
    root = request.script_root
    pages = [
        (url_for(endpoint, **values)[len(root) :], lastmod)
        for endpoint, values, lastmod in sitemap_pages(kinds_of(current_app).values(), data)
    ]
    return _send(sitemap_mod.sitemap_xml(data.site, pages), "application/xml")


@bp.page("/vocabulary.css", addresses=one(), shows=Shown.nothing)
def vocabulary_css():
    """Colours of brands and station types from site.yml, as classes (no inline styles)."""
    return _send(colours.vocabulary_css(_data().site).encode(), "text/css")


@bp.page("/robots.txt", addresses=one(), shows=Shown.nothing)
def robots():
    return _send(sitemap_mod.robots_txt(_data().site), "text/plain")


@bp.page(
    "/activities/calendar.ics",
    addresses=one(),
    shows=Shown.all_activities,
    scope=Scope.WHOLE,
    endpoint="calendar",
)
def calendar_():
    data = _data()
    return _send(calendar.calendar_ics(data.site, data.activities, gettext), "text/calendar")


@bp.page(
    "/activities/<slug>/event.ics",
    addresses=each("activities"),
    shows=Shown.activity_detail,
    scope=Scope.ENTRY,
    entry_kind="activities",
)
def event(slug: str):
    data = _data()
    item = data.live["activities"].get(slug) or abort(404)
    return _send(calendar.event_ics(data.site, item, gettext), "text/calendar")


@bp.page("/search/pagefind.js", addresses=one(), shows=Shown.nothing)
def search_module():
    """Pagefind's module with exact-phrase results first (see static/js/pagefind-rank.js)."""
    path = Path(current_app.static_folder) / "js" / "pagefind-rank.js"
    return _send(path.read_bytes(), "text/javascript")


@bp.page("/api/v1/index.json", addresses=one(), shows=Shown.nothing)
def api_index():
    return _send(api.index_json(_data().site), "application/json")


@bp.page("/api/v1/site.json", addresses=one(), shows=Shown.nothing)
def api_site():
    return _send(api.site_json(_data().site), "application/json")


@bp.page("/api/v1/news.json", addresses=one(), shows=Shown.news_summaries)
def api_news_index():
    data = _data()
    return _send(api.news_index_json(data.site, data.news), "application/json")


@bp.page(
    "/api/v1/news/<slug>.json",
    addresses=each("news"),
    shows=lambda s, v: s.entry("news", v),
    scope=Scope.ENTRY,
    entry_kind="news",
)
def api_news(slug: str):
    data = _data()
    item = data.live["news"].get(slug) or abort(404)
    return _send(api.news_json(data.site, item, _body), "application/json")


@bp.page("/api/v1/activities.json", addresses=one(), shows=Shown.all_activities, scope=Scope.WHOLE)
def api_activities():
    data = _data()
    return _send(api.activities_json(data.site, data.activities, data.now), "application/json")


@bp.page("/api/v1/stations.geojson", addresses=one(), shows=Shown.all_stations)
def api_stations():
    data = _data()
    return _send(api.stations_geojson(data.site, data.stations), "application/geo+json")


@bp.page("/stations/map-data.json", addresses=one(), shows=Shown.all_stations)
def stations_map_data():
    """The map pages' compact station data (see cms/maps/points.py); not a versioned API."""
    return _send(stationmaps.current().compact(), "application/json")


@bp.page(
    "/stations/details/<key>.json",
    addresses=listed(lambda d: ({"key": k} for k in d.site.streets if d.stations_by_street.get(k))),
    shows=Shown.all_stations,
)
def stations_map_details(key: str):
    """One street's station addresses and phones, which the finder fetches for the rows it shows."""
    data = _data()
    stations = data.stations_by_street.get(key) or abort(404)
    return _send(street_details(stations, thumbnails(data.pictures, stations)), "application/json")


@bp.page(
    "/api/v1/schema/<name>.schema.json",
    addresses=listed(lambda d: ({"name": name} for name in sorted(api.SCHEMAS))),
    shows=Shown.nothing,
)
def api_schema(name: str):
    path = api.SCHEMAS.get(name) or abort(404)
    return _send(path.read_bytes(), "application/schema+json")
