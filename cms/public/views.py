"""HTML pages of the public site."""

from __future__ import annotations

import mimetypes

from flask import Blueprint, Response, abort, current_app, render_template, send_from_directory

from ..content import resolve_inside
from . import numbers as work_numbers
from .data import SiteData, paginate
from .i18n import gettext as _
from .stationmaps import StationMaps
from .stationmaps import current as maps_of_app

bp = Blueprint("public", __name__)


def _data() -> SiteData:
    return current_app.extensions["yizhan"]


def _maps() -> StationMaps:
    return maps_of_app()


def _script(text: str) -> Response:
    kind = mimetypes.guess_type("map.js")[0] or "text/javascript"
    return Response(text.encode(), content_type=f"{kind}; charset=utf-8")


def _page_or_404(items: list, number: int):
    page = paginate(items, number, _data().site.news_per_page)
    if page is None:
        abort(404)
    return page


@bp.route("/")
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


@bp.route("/news/", defaults={"number": 1})
@bp.route("/news/page/<int:number>/")
def news_index(number: int):
    return _news_list(_data().news, number, _("新闻动态"), "news_index", {})


@bp.route("/news/category/<key>/", defaults={"number": 1})
@bp.route("/news/category/<key>/page/<int:number>/")
def news_category(key: str, number: int):
    data = _data()
    term = data.site.news_categories.get(key)
    items = data.news_by_category.get(key) if term else None  # defaultdict: .get, not []
    return _news_list(items, number, term.label if term else "", "news_category", {"key": key})


@bp.route("/news/tag/<tag>/", defaults={"number": 1})
@bp.route("/news/tag/<tag>/page/<int:number>/")
def news_tag(tag: str, number: int):
    items = _data().news_by_tag.get(tag)
    return _news_list(items, number, _("标签：%(tag)s", tag=tag), "news_tag", {"tag": tag})


@bp.route("/news/<int:year>/", defaults={"number": 1})
@bp.route("/news/<int:year>/page/<int:number>/")
def news_year(year: int, number: int):
    items = _data().news_by_year.get(year)
    return _news_list(items, number, _("%(year)s年新闻", year=year), "news_year", {"year": year})


@bp.route("/news/<slug>/")
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


@bp.route("/activities/")
def activities_index():
    data = _data()
    return render_template(
        "activities_list.html",
        upcoming=data.upcoming,
        past=data.past[:10],
        more_past=len(data.past) > 10,
        heading=_("工会活动"),
    )


@bp.route("/activities/past/", defaults={"number": 1})
@bp.route("/activities/past/page/<int:number>/")
def activities_past(number: int):
    page = _page_or_404(_data().past, number)
    return render_template(
        "activities_past.html",
        page=page,
        heading=_("往期活动"),
        endpoint="public.activities_past",
        args={},
    )


@bp.route("/activities/brand/<key>/")
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


@bp.route("/activities/<slug>/")
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


@bp.route("/numbers/")
def numbers():
    data = _data()
    figures = work_numbers.figures(data)
    return render_template("numbers.html", figures=figures, charts=work_numbers.charts(figures))


@bp.route("/stations/")
def stations_index():
    data = _data()
    return render_template(
        "stations_list.html",
        by_street=data.stations_by_street,
        by_type=data.stations_by_type,
        maps=_maps(),
    )


@bp.route("/stations/map.js")
def stations_map_js():
    maps = _maps()
    return _script(maps.finder_script(maps.overview(), current_app.static_folder or ""))


@bp.route("/stations/teaser.js")
def teaser_map_js():
    maps = _maps()
    return _script(maps.finder_script(None, current_app.static_folder or ""))


@bp.route("/stations/street/<key>/")
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


@bp.route("/stations/type/<key>/")
def stations_type(key: str):
    data = _data()
    term = data.site.station_types.get(key)
    if term is None or not data.stations_by_type.get(key):
        abort(404)
    return render_template(
        "stations_group.html", heading=term.label, stations=data.stations_by_type[key], group="type"
    )


@bp.route("/stations/<slug>/")
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


@bp.route("/stations/<slug>/map.js")
def station_map_js(slug: str):
    item = _data().live["stations"].get(slug) or abort(404)
    return _script(_maps().station(item).script)


@bp.route("/stations/<slug>/poster/")
def station_poster(slug: str):
    item = _data().live["stations"].get(slug) or abort(404)
    return render_template("station_poster.html", item=item, qr=_maps().qr(item, scale=10))


@bp.route("/media/<path:ref>")
def media(ref: str):
    data = _data()
    if f"media/{ref}" not in _media_allowed(data):
        abort(404)
    path = resolve_inside(data.content.root / "media", ref) or abort(404)
    return send_from_directory(path.parent, path.name, max_age=0)


@bp.route("/media/r/<name>")
def rendition(name: str):
    # Renditions are named by content hash; the catalog lists those of live pages for freezing.
    path = _data().pictures.renditions.file(name) or abort(404)
    return send_from_directory(path.parent, path.name, max_age=0)


def _media_allowed(data: SiteData) -> set[str]:
    if not hasattr(data, "_media_allowed"):
        data._media_allowed = set(data.media_refs())  # type: ignore[attr-defined]
    return data._media_allowed  # type: ignore[attr-defined]


@bp.route("/search/")
def search():
    # The results come from the Pagefind index the build writes to /pagefind/ (search.js).
    return render_template("search.html")


@bp.route("/404.html")
def not_found_page():
    return render_template("404.html")


@bp.route("/<slug>/")
def page(slug: str):
    data = _data()
    item = data.live["pages"].get(slug) or abort(404)
    return render_template("page.html", item=item, body=data.rendered(item))
