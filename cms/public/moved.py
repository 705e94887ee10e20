"""Old addresses of renamed entries (修改网址): a page there sends the reader to the new one.

The page is static (``<meta http-equiv="refresh">`` and ``rel=canonical``), so it works on any
web server; ``deploy/nginx.conf`` also answers a real 301 from the map the build writes. Its
URL rules use a converter per kind that matches only that kind's old names, made for each app
from ``content/redirects.yml``, and tried before the entry's own rule.
"""

from __future__ import annotations

import re

from flask import abort, current_app, render_template, request, url_for
from werkzeug.routing import BaseConverter

from .data import SiteData
from .kinds import PageBlueprint, Scope, listed

bp = PageBlueprint("moved", __name__)
ENDPOINTS = {
    "news": "public.news_detail",
    "activities": "public.activity_detail",
    "stations": "public.station_detail",
    "pages": "public.page",
}


def moved(data: SiteData) -> dict[str, dict[str, str]]:
    """Return {kind: {old: new}} (``SiteData.moved``)."""
    return data.moved


def converters(data: SiteData) -> dict[str, type[BaseConverter]]:
    """Return a URL converter per kind matching only its old names (``moved_news`` …)."""
    made = {}
    for kind in ENDPOINTS:
        names = sorted(moved(data).get(kind, {}), key=len, reverse=True)
        pattern = "|".join(map(re.escape, names)) or "(?!)"
        # Tried before the plain <slug> of the entry's own rule (weight 100).
        made[f"moved_{kind}"] = type(
            f"Moved{kind.title()}", (BaseConverter,), {"regex": f"(?:{pattern})", "weight": 50}
        )
    return made


def _addresses(data: SiteData) -> list[dict]:
    return [
        {"slug": old, "kind": kind}
        for kind, pairs in sorted(moved(data).items())
        for old in sorted(pairs)
    ]


def _target(data: SiteData, kind: str, slug: str) -> str:
    new = moved(data).get(kind, {}).get(slug) or abort(404)
    return url_for(ENDPOINTS[kind], slug=new)


@bp.page(
    ("/news/<moved_news:slug>/", {"kind": "news"}),
    ("/activities/<moved_activities:slug>/", {"kind": "activities"}),
    ("/stations/<moved_stations:slug>/", {"kind": "stations"}),
    ("/<moved_pages:slug>/", {"kind": "pages"}),
    addresses=listed(_addresses),
    shows=lambda s, v: (v["kind"], v["slug"], moved(s.data).get(v["kind"], {}).get(v["slug"])),
    scope=Scope.WHOLE,
)
def moved_page(slug: str, kind: str):
    data: SiteData = current_app.extensions["yizhan"]
    target = _target(data, kind, slug)
    # url_for includes a sub-path the site is served under; site.url adds base_url's.
    canonical = data.site.url(target.removeprefix(request.script_root))
    return render_template("moved.html", target=target, target_url=canonical)
