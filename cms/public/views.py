"""HTML pages of the public site."""

from __future__ import annotations

import datetime as dt
import mimetypes

from flask import Response, abort, current_app, render_template, send_from_directory

from ..content import resolve_inside
from . import api
from . import numbers as work_numbers
from .data import SiteData, paginate
from .i18n import gettext as _
from .kinds import PageBlueprint, Scope, each, groups, listed, newest, one, paged
from .shown import Shown
from .stationmaps import StationMaps
from .stationmaps import current as maps_of_app

bp = PageBlueprint("public", __name__)


def _data() -> SiteData:
    return current_app.extensions["yizhan"]


def _maps() -> StationMaps:
    return maps_of_app()


def _script(text: str) -> Response:
    kind = mimetypes.guess_type("map.js")[0] or "text/javascript"
    return Response(text.encode(), content_type=f"{kind}; charset=utf-8")


def _keyed(name: str, lists: dict) -> list[tuple[dict, list]]:
    return [({name: key}, items) for key, items in sorted(lists.items())]


def max_of(*times: dt.datetime | None) -> dt.datetime | None:
    return max(filter(None, times), default=None)


def _home_lastmod(data: SiteData) -> dt.datetime | None:
    return max_of(newest(data.news) or newest(data.activities), newest(data.activities))


def _page_or_404(items: list, number: int):
    page = paginate(items, number, _data().site.news_per_page)
    if page is None:
        abort(404)
    return page


@bp.page("/", addresses=one(_home_lastmod), shows=Shown.home, sitemap=True)
def home():
    data = _data()
    return render_template(
        "home.html",
        news=data.news[:6],
        upcoming=data.upcoming[:4],
        stations=data.stations,
        maps=_maps(),
    )


def _news_list(items: list | None, number: int, heading: str, endpoint: str, args: dict):
    """Render one page of a news list; 404 for a missing list or a page past its end."""
    if items is None:
        abort(404)
    page = _page_or_404(items, number)
    return render_template(
        "news_list.html", page=page, heading=heading, endpoint=f"public.{endpoint}", args=args
    )


@bp.page(
    ("/news/", {"number": 1}),
    "/news/page/<int:number>/",
    addresses=paged(lambda d: [({}, d.news)]),
    shows=lambda s, v: s.news_list(v, s.data.news),
    sitemap=True,
)
def news_index(number: int):
    return _news_list(_data().news, number, _("新闻动态"), "news_index", {})


@bp.page(
    ("/news/category/<key>/", {"number": 1}),
    "/news/category/<key>/page/<int:number>/",
    addresses=paged(lambda d: _keyed("key", d.news_by_category)),
    shows=lambda s, v: s.news_list(v, s.data.news_by_category[v["key"]]),
    sitemap=True,
)
def news_category(key: str, number: int):
    data = _data()
    term = data.site.news_categories.get(key)
    items = data.news_by_category.get(key) if term else None  # defaultdict: .get, not []
    return _news_list(items, number, term.label if term else "", "news_category", {"key": key})


@bp.page(
    ("/news/tag/<tag>/", {"number": 1}),
    "/news/tag/<tag>/page/<int:number>/",
    addresses=paged(lambda d: _keyed("tag", d.news_by_tag)),
    shows=lambda s, v: s.news_list(v, s.data.news_by_tag[v["tag"]]),
    sitemap=True,
)
def news_tag(tag: str, number: int):
    items = _data().news_by_tag.get(tag)
    return _news_list(items, number, _("标签：%(tag)s", tag=tag), "news_tag", {"tag": tag})


@bp.page(
    ("/news/<int:year>/", {"number": 1}),
    "/news/<int:year>/page/<int:number>/",
    addresses=paged(lambda d: _keyed("year", d.news_by_year)),
    shows=lambda s, v: s.news_list(v, s.data.news_by_year[v["year"]]),
    sitemap=True,
)
def news_year(year: int, number: int):
    items = _data().news_by_year.get(year)
    return _news_list(items, number, _("%(year)s年新闻", year=year), "news_year", {"year": year})


@bp.page(
    "/news/<slug>/",
    addresses=each("news"),
    shows=Shown.news_detail,
    scope=Scope.ENTRY,
    entry_kind="news",
    sitemap=True,
)
def news_detail(slug: str):
    data = _data()
    item = data.live["news"].get(slug) or abort(404)
    newer, older = data.neighbours(item)
    return render_template(
        "news_detail.html",
        item=item,
        body=data.rendered(item),
        newer=newer,
        older=older,
        related=data.related(item),
    )


@bp.page(
    "/activities/",
    addresses=one(lambda d: newest(d.activities)),
    shows=Shown.activities_index,
    sitemap=True,
)
def activities_index():
    data = _data()
    return render_template(
        "activities_list.html",
        upcoming=data.upcoming,
        past=data.past[:10],
        more_past=len(data.past) > 10,
        heading=_("工会活动"),
    )


@bp.page(
    ("/activities/past/", {"number": 1}),
    "/activities/past/page/<int:number>/",
    # Listed only when the activities page cannot show all past activities.
    addresses=paged(lambda d: [({}, d.past)] if len(d.past) > 10 else []),
    shows=Shown.past_activities,
    sitemap=True,
)
def activities_past(number: int):
    page = _page_or_404(_data().past, number)
    return render_template(
        "activities_past.html",
        page=page,
        heading=_("往期活动"),
        endpoint="public.activities_past",
        args={},
    )


@bp.page(
    "/activities/brand/<key>/",
    addresses=groups(lambda d: d.activities_by_brand),
    shows=Shown.brand,
    sitemap=True,
)
def activities_brand(key: str):
    data = _data()
    term = data.site.activity_brands.get(key)
    if term is None or not data.activities_by_brand.get(key):
        abort(404)
    items = data.activities_by_brand[key]
    return render_template(
        "activities_list.html",
        heading=term.label,
        brand=term,
        upcoming=[a for a in items if a.ends_at > data.now],
        past=[a for a in items if a.ends_at <= data.now],
        more_past=False,
    )


@bp.page(
    "/activities/<slug>/",
    addresses=each("activities"),
    shows=Shown.activity_detail,
    scope=Scope.ENTRY,
    entry_kind="activities",
    sitemap=True,
)
def activity_detail(slug: str):
    data = _data()
    item = data.live["activities"].get(slug) or abort(404)
    station = data.live["stations"].get(item.station) if item.station else None
    return render_template(
        "activity_detail.html",
        item=item,
        body=data.rendered(item),
        station=station,
        state=item.state(data.now),
    )


# /numbers/ counts activities and stations; it changes when either list does.
@bp.page(
    "/numbers/",
    addresses=one(lambda d: max_of(newest(d.activities), newest(d.stations))),
    shows=Shown.figures,
    scope=Scope.WHOLE,
    sitemap=True,
)
def numbers():
    data = _data()
    figures = work_numbers.localised(work_numbers.figures(data))
    return render_template("numbers.html", figures=figures, charts=work_numbers.charts(figures))


@bp.page(
    "/stations/",
    addresses=one(lambda d: newest(d.stations)),
    shows=Shown.all_stations,
    sitemap=True,
)
def stations_index():
    data = _data()
    return render_template(
        "stations_list.html",
        by_street=data.stations_by_street,
        by_type=data.stations_by_type,
        maps=_maps(),
    )


@bp.page("/stations/map.js", addresses=one(), shows=Shown.all_stations)
def stations_map_js():
    maps = _maps()
    return _script(maps.finder_script(maps.overview(), current_app.static_folder or ""))


@bp.page("/stations/teaser.js", addresses=one(), shows=Shown.all_stations)
def teaser_map_js():
    maps = _maps()
    return _script(maps.finder_script(None, current_app.static_folder or ""))


@bp.page(
    "/stations/street/<key>/",
    addresses=groups(lambda d: d.stations_by_street),
    shows=Shown.street,
    sitemap=True,
)
def stations_street(key: str):
    data = _data()
    term = data.site.streets.get(key)
    if term is None or not data.stations_by_street.get(key):
        abort(404)
    return render_template(
        "stations_group.html",
        heading=term.label,
        stations=data.stations_by_street[key],
        group="street",
    )


@bp.page(
    "/stations/type/<key>/",
    addresses=groups(lambda d: d.stations_by_type),
    shows=Shown.station_type,
    sitemap=True,
)
def stations_type(key: str):
    data = _data()
    term = data.site.station_types.get(key)
    if term is None or not data.stations_by_type.get(key):
        abort(404)
    return render_template(
        "stations_group.html", heading=term.label, stations=data.stations_by_type[key], group="type"
    )


@bp.page(
    "/stations/<slug>/",
    addresses=each("stations"),
    shows=Shown.station_detail,
    scope=Scope.ENTRY,
    entry_kind="stations",
    sitemap=True,
)
def station_detail(slug: str):
    data = _data()
    item = data.live["stations"].get(slug) or abort(404)
    maps = _maps()
    return render_template(
        "station_detail.html",
        item=item,
        body=data.rendered(item),
        activities=data.activities_at.get(slug, []),
        map_view=maps.station(item),
        nav_links=maps.navigation(item),
        qr=maps.qr(item),
    )


@bp.page(
    "/stations/<slug>/map.js",
    addresses=listed(lambda d: ({"slug": s.slug} for s in d.stations)),
    shows=lambda s, v: s.entry("stations", v),
)
def station_map_js(slug: str):
    item = _data().live["stations"].get(slug) or abort(404)
    return _script(_maps().station(item).script)


@bp.page(
    "/stations/<slug>/poster/",
    addresses=each("stations"),
    shows=lambda s, v: s.entry("stations", v),
    scope=Scope.ENTRY,
    entry_kind="stations",
    sitemap=True,
)
def station_poster(slug: str):
    item = _data().live["stations"].get(slug) or abort(404)
    return render_template("station_poster.html", item=item, qr=_maps().qr(item, scale=10))


@bp.page(
    "/media/<path:ref>",
    addresses=listed(lambda d: ({"ref": r.removeprefix("media/")} for r in d.media_refs())),
    shows=Shown.media_file,
    scope=Scope.FILE,
)
def media(ref: str):
    data = _data()
    if f"media/{ref}" not in data.media_allowed:
        abort(404)
    path = resolve_inside(data.content.root / "media", ref) or abort(404)
    return send_from_directory(path.parent, path.name, max_age=0)


@bp.page(
    "/media/r/<name>",
    # Named by a hash of the source and the recipe: the same name is the same bytes.
    addresses=listed(lambda d: ({"name": n} for n in d.rendition_names())),
    shows=Shown.values,
)
def rendition(name: str):
    path = _data().pictures.renditions.file(name) or abort(404)
    return send_from_directory(path.parent, path.name, max_age=0)


# Not in the sitemap: it has no content of its own.
@bp.page("/search/", addresses=one(), shows=Shown.search)
def search():
    # The results come from the Pagefind index the build writes to /pagefind/ (search.js).
    return render_template("search.html")


@bp.page("/api/v1/", addresses=one(), shows=Shown.nothing, sitemap=True)
def api_home():
    # The API's documents and schemas for people; /api/v1/index.json says the same to programs.
    return render_template("api.html", documents=api.DOCUMENTS, schemas=list(api.SCHEMAS))


@bp.page("/accessibility/", addresses=one(), shows=Shown.nothing, sitemap=True)
def accessibility():
    # The 无障碍声明: what the site does for older and disabled readers, and whom to tell.
    return render_template("accessibility.html")


@bp.page("/404.html", addresses=one(), shows=Shown.nothing)
def not_found_page():
    return render_template("404.html")


@bp.page(
    "/<slug>/",
    addresses=each("pages"),
    shows=Shown.page,
    scope=Scope.ENTRY,
    entry_kind="pages",
    sitemap=True,
)
def page(slug: str):
    data = _data()
    item = data.live["pages"].get(slug) or abort(404)
    return render_template("page.html", item=item, body=data.rendered(item))
