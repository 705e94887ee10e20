"""Every address of the public site, so freezing, the sitemap and incremental builds agree."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from .api import SCHEMAS
from .data import SiteData

Address = tuple[str, dict, "dt.datetime | None"]  # endpoint, URL values, last modified


def html_pages(data: SiteData) -> Iterator[Address]:
    """Yield every HTML page with the newest change among the entries it shows."""
    per_page = data.site.news_per_page
    newest = _newest(data.news) or _newest(data.activities)
    yield "public.home", {}, max(filter(None, [newest, _newest(data.activities)]), default=None)
    yield from _paged("public.news_index", {}, data.news, per_page)
    for key, items in sorted(data.news_by_category.items()):
        yield from _paged("public.news_category", {"key": key}, items, per_page)
    for tag, items in sorted(data.news_by_tag.items()):
        yield from _paged("public.news_tag", {"tag": tag}, items, per_page)
    for year, items in sorted(data.news_by_year.items()):
        yield from _paged("public.news_year", {"year": year}, items, per_page)
    for item in data.news:
        yield "public.news_detail", {"slug": item.slug}, item.modified
    yield "public.activities_index", {}, _newest(data.activities)
    if len(data.past) > 10:
        yield from _paged("public.activities_past", {}, data.past, per_page)
    for key, items in sorted(data.activities_by_brand.items()):
        yield "public.activities_brand", {"key": key}, _newest(items)
    for act in data.activities:
        yield "public.activity_detail", {"slug": act.slug}, act.modified
    # /numbers/ counts activities and stations; it changes when either list does.
    counted = max(filter(None, [_newest(data.activities), _newest(data.stations)]), default=None)
    yield "public.numbers", {}, counted
    yield "public.stations_index", {}, _newest(data.stations)
    for key, items in sorted(data.stations_by_street.items()):
        yield "public.stations_street", {"key": key}, _newest(items)
    for key, items in sorted(data.stations_by_type.items()):
        yield "public.stations_type", {"key": key}, _newest(items)
    for st in data.stations:
        yield "public.station_detail", {"slug": st.slug}, st.modified
        yield "public.station_poster", {"slug": st.slug}, st.modified
    for page in data.pages:
        yield "public.page", {"slug": page.slug}, page.modified


def other_files(data: SiteData) -> Iterator[tuple[str, dict]]:
    """Yield feeds, calendars, API documents, media, the 404 page and the search page."""
    for endpoint in (
        "exports.atom",
        "exports.rss",
        "exports.sitemap",
        "exports.robots",
        "exports.calendar",
        "exports.vocabulary_css",
        "exports.api_site",
        "exports.api_news_index",
        "exports.api_activities",
        "exports.api_stations",
        "exports.stations_map_data",
        "public.stations_map_js",
        "public.teaser_map_js",
        "public.not_found_page",
        "public.search",  # not in the sitemap: it has no content of its own
    ):
        yield endpoint, {}
    for name in sorted(SCHEMAS):
        yield "exports.api_schema", {"name": name}
    for item in data.news:
        yield "exports.api_news", {"slug": item.slug}
    for act in data.activities:
        yield "exports.event", {"slug": act.slug}
    for st in data.stations:
        yield "public.station_map_js", {"slug": st.slug}
    for ref in data.media_refs():
        yield "public.media", {"ref": ref.removeprefix("media/")}
    for name in data.rendition_names():
        yield "public.rendition", {"name": name}


def _paged(endpoint: str, args: dict, items: list, per_page: int) -> Iterator[Address]:
    pages = max(1, -(-len(items) // per_page))
    for number in range(1, pages + 1):
        chunk = items[(number - 1) * per_page : number * per_page]
        yield endpoint, {**args, "number": number} if number > 1 else dict(args), _newest(chunk)


def _newest(items: list) -> dt.datetime | None:
    return max((i.modified for i in items), default=None)
