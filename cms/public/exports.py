"""Machine-readable files: feeds, calendars, sitemap, robots.txt and the JSON API."""

from __future__ import annotations

from flask import Blueprint, Response, abort, current_app, request, url_for

from ..content import Entry
from . import api, calendar, catalog, colours, feeds, stationmaps
from . import sitemap as sitemap_mod
from .data import SiteData
from .i18n import gettext

bp = Blueprint("exports", __name__)


def _data() -> SiteData:
    return current_app.extensions["yizhan"]


def _body(item: Entry) -> str:
    return _data().rendered(item).html


def _send(body: bytes, mimetype: str) -> Response:
    charset = "" if mimetype.startswith("application/json") else "; charset=utf-8"
    return Response(body, content_type=mimetype + charset)


@bp.route("/feed.xml")
def atom():
    data = _data()
    return _send(feeds.atom_feed(data.site, data.news, _body), "application/atom+xml")


@bp.route("/rss.xml")
def rss():
    data = _data()
    return _send(feeds.rss_feed(data.site, data.news, _body), "application/rss+xml")


@bp.route("/sitemap.xml")
def sitemap():
    data = _data()
    root = request.script_root
    pages = [
        (url_for(endpoint, **values)[len(root) :], lastmod)
        for endpoint, values, lastmod in catalog.html_pages(data)
    ]
    return _send(sitemap_mod.sitemap_xml(data.site, pages), "application/xml")


@bp.route("/vocabulary.css")
def vocabulary_css():
    """Colours of brands and station types from site.yml, as classes (no inline styles)."""
    return _send(colours.vocabulary_css(_data().site).encode(), "text/css")


@bp.route("/robots.txt")
def robots():
    return _send(sitemap_mod.robots_txt(_data().site), "text/plain")


@bp.route("/activities/calendar.ics", endpoint="calendar")
def calendar_():
    data = _data()
    return _send(calendar.calendar_ics(data.site, data.activities, gettext), "text/calendar")


@bp.route("/activities/<slug>/event.ics")
def event(slug: str):
    data = _data()
    item = data.live["activities"].get(slug) or abort(404)
    return _send(calendar.event_ics(data.site, item, gettext), "text/calendar")


@bp.route("/api/v1/site.json")
def api_site():
    return _send(api.site_json(_data().site), "application/json")


@bp.route("/api/v1/news.json")
def api_news_index():
    data = _data()
    return _send(api.news_index_json(data.site, data.news), "application/json")


@bp.route("/api/v1/news/<slug>.json")
def api_news(slug: str):
    data = _data()
    item = data.live["news"].get(slug) or abort(404)
    return _send(api.news_json(data.site, item, _body), "application/json")


@bp.route("/api/v1/activities.json")
def api_activities():
    data = _data()
    return _send(api.activities_json(data.site, data.activities, data.now), "application/json")


@bp.route("/api/v1/stations.geojson")
def api_stations():
    data = _data()
    return _send(api.stations_geojson(data.site, data.stations), "application/geo+json")


@bp.route("/stations/map-data.json")
def stations_map_data():
    """The map pages' compact station data (see cms/maps/points.py); not a versioned API."""
    return _send(stationmaps.current().compact(), "application/json")


@bp.route("/api/v1/schema/<name>.schema.json")
def api_schema(name: str):
    path = api.SCHEMAS.get(name) or abort(404)
    return _send(path.read_bytes(), "application/schema+json")
