"""What the map pages show, built once per app: folium map views, map data, charts, QR codes."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from flask import current_app, url_for

from ..content.model import Station
from ..maps.dotmap import dot_map
from ..maps.icons import amenity_sprite, glyph
from ..maps.navigation import NavLink, navigation_links
from ..maps.points import compact_stations
from ..maps.tiles import Tiles, tiles_for
from ..render.chart import Bar, bar_chart
from ..render.qr import qr_svg
from .data import SiteData
from .i18n import gettext as _
from .numbers import wording
from .urls import entry_path

if TYPE_CHECKING:
    from ..maps.mapview import MapView

# The station finder's own scripts, in load order; the finder pages get them in their map script.
FINDER_SCRIPTS = ("hours.js", "geo.js", "clusters.js", "stations.js")
TEASER_SCRIPTS = ("hours.js", "geo.js", "stations.js")  # no map: no grid clusters
# A comment that fills its lines: /* … */ with no */ inside, alone from its line's start to end.
_INDENT = re.compile(r"^[ \t]+", re.M)  # the scripts have no string that spans lines
_COMMENT_LINES = re.compile(r"^[ \t]*(?:/\*(?:[^*]|\*(?!/))*\*/|//[^\n]*)[ \t]*\n", re.M)


class StationMaps:
    """Map views and map data for one SiteData, each made on first use."""

    def __init__(self, data: SiteData):
        self.data = data
        self.site = data.site
        self._cache: dict[str, Any] = {}

    def _once(self, key: str, make):  # a small memo
        if key not in self._cache:
            self._cache[key] = make()
        return self._cache[key]

    @property
    def tiles(self) -> Tiles:
        return self._once("tiles", lambda: tiles_for(self.site.map, _))

    def overview(self) -> MapView:
        """Return the /stations/ map (clustered, a layer toggle per type)."""
        from ..maps.mapview import overview_map  # folium: a third of a second to import

        return self._once("overview", lambda: overview_map(self.site, self.tiles))

    def teaser(self) -> str:
        """Return the home page's dot map of the stations (SVG drawn here: no Leaflet, no tiles).

        Its title and description state the figures; the page's street list is its text
        alternative.
        """

        def make() -> str:
            data = self.data
            words = wording(False)
            types = (
                words.item % {"label": term.label, "value": len(data.stations_by_type[key])}
                for key, term in self.site.station_types.items()
                if data.stations_by_type.get(key)
            )
            title = _(
                "服务阵地分布示意图：共 %(count)s 个站点，分布在 %(streets)s 个街道。",
                count=len(data.stations),
                streets=sum(1 for key in self.site.streets if data.stations_by_street.get(key)),
            )
            desc = words.separator.join(types) + words.end
            return dot_map(self.site, data.stations, title, desc, "dot-map")

        return self._once("teaser", make)

    def station(self, station: Station) -> MapView:
        """Return one station's small map (its page and its map.js share it)."""
        from ..maps.mapview import station_map

        return self._once(
            f"station:{station.slug}", lambda: station_map(self.site, self.tiles, station)
        )

    def finder_script(self, view: MapView | None, static: str | Path) -> str:
        """Return a finder page's one script: the folium map's statements, then the finder's code.

        ``view`` None: no Leaflet map (the home page's teaser lists the nearest stations and marks
        them on its build-time dot map, which keeps Leaflet out of the home page's 60 KB budget).

        The page only preloads Leaflet: the finder adds its scripts (named in the config) once
        the page has painted, then runs folium's statements one per task
        (``YizhanMapSteps``), so neither holds the page for long on a slow phone.

        One file instead of five saves round trips on a phone network (Lighthouse's mobile
        profile gives each 150 ms). The parts are the theme's files as they are, so the unit
        tests that load hours.js, geo.js and clusters.js still test what the pages run, less
        the indentation and the comments that fill whole lines (``/* … */`` or ``// …``),
        which are a quarter of the gzip bytes the home page's budget (60 KB) counts. The
        teaser, without a map, leaves out clusters.js.
        """
        parts = []
        if view:
            steps = ",\n".join(f"function () {{\n{step}\n}}" for step in view.steps())
            parts.append(f"window.YizhanMapSteps = [\n{steps}\n]")
        for name in FINDER_SCRIPTS if view else TEASER_SCRIPTS:
            text = (Path(static) / "js" / name).read_text(encoding="utf-8")
            parts.append(_INDENT.sub("", _COMMENT_LINES.sub("", text)))
        return ";\n".join(part.rstrip() for part in parts) + "\n"

    def amenity_sprite(self) -> str:
        """Return the amenity icons as one hidden SVG whose symbols the finder's rows use."""
        return amenity_sprite(list(self.site.amenities))

    def compact(self) -> bytes:
        """Return the compact map data for every live station."""
        return self._once(
            "compact", lambda: compact_stations(self.site, self.tiles, self.data.stations)
        )

    def navigation(self, station: Station) -> list[NavLink]:
        """Return the AMap, Baidu and Tencent links to a station."""
        return navigation_links(station.name, station.location.lat, station.location.lng, self.src)

    @property
    def src(self) -> str:
        """Return the name navigation links give the providers as their source: our host."""
        return urlsplit(self.site.base_url).hostname or "yizhan"

    def qr(self, station: Station, scale: int = 4) -> str:
        """Return the QR code (SVG) of a station page's public address."""
        title = _("%(name)s的二维码", name=station.name)
        return qr_svg(self.site.url(entry_path(station)), title, scale)

    def charts(self) -> dict[str, str]:
        """Return the at-a-glance charts: stations by type and by street."""

        def make() -> dict[str, str]:
            by_type = [
                Bar(term.label, len(self.data.stations_by_type.get(key, [])), f"c-type-{key}")
                for key, term in self.site.station_types.items()
                if self.data.stations_by_type.get(key)
            ]
            by_street = [
                Bar(term.label, len(self.data.stations_by_street.get(key, [])))
                for key, term in self.site.streets.items()
                if self.data.stations_by_street.get(key)
            ]
            return {
                "type": bar_chart(_("各类型服务阵地数量"), by_type, "chart-type", wording(False)),
                "street": bar_chart(
                    _("各街道服务阵地数量"), by_street, "chart-street", wording(False)
                ),
            }

        return self._once("charts", make)

    def config(self, data_url: str, stations_url: str, view: MapView | None = None) -> str:
        """Return the page's map configuration as JSON for a script element (no code).

        With a ``view``, ``scripts`` names the libraries its map needs (Leaflet and its plugins,
        in order), which the finder loads after the first paint.
        """
        from ..maps.mapview import layer_var

        site = self.site

        def terms(vocabulary) -> list[dict[str, str]]:
            return [{"key": k, "label": t.label} for k, t in vocabulary.items()]

        doc = {
            "data": data_url,
            "stations": stations_url,
            "timezone": site.timezone,
            "crs": self.tiles.crs,
            "center": [site.map.center_lat, site.map.center_lng],
            "types": [
                {"key": k, "label": t.label, "glyph": glyph(site, k), "layer": layer_var(k)}
                for k, t in site.station_types.items()
            ],
            "streets": terms(site.streets),
            "amenities": terms(site.amenities),
            "access": terms(site.access),
            "src": self.src,
            "stale_months": site.stale_after_months,
            "details": url_for("exports.stations_map_details", key="KEY"),
        }
        if view:
            doc["scripts"] = [url_for("static", filename=path) for path in view.js]
        text = json.dumps(doc, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
        return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def current() -> StationMaps:
    """Return the StationMaps of the running app, made once per SiteData."""
    data = current_app.extensions["yizhan"]
    maps = current_app.extensions.get("yizhan.maps")
    if maps is None or maps.data is not data:
        maps = current_app.extensions["yizhan.maps"] = StationMaps(data)
    return maps
