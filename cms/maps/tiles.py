"""Tile layers named in site.yml (``map.tiles``) and the coordinate system each one draws in."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlsplit

from ..content.model import MapSettings


@dataclass(frozen=True)
class Tiles:
    """One base map: URL templates (base, then overlays such as labels) and its attribution."""

    urls: tuple[str, ...]
    attribution: str
    crs: str = "wgs84"  # the system markers must be drawn in on these tiles
    subdomains: str = "abc"
    max_zoom: int = 18


def _same(text: str) -> str:
    return text


def _osm(gettext: Callable[[str], str]) -> Tiles:
    return Tiles(
        ("https://tile.openstreetmap.org/{z}/{x}/{y}.png",),
        '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> '
        + gettext("贡献者"),
        max_zoom=19,
    )


def _amap(gettext: Callable[[str], str]) -> Tiles:
    return Tiles(
        (
            "https://webrd0{s}.is.autonavi.com/appmaptile?lang=zh_cn&size=1&scale=1&style=8"
            "&x={x}&y={y}&z={z}",
        ),
        "&copy; " + gettext("高德地图"),
        crs="gcj02",
        subdomains="1234",
    )


OSM = _osm(_same)
_TIANDITU = (
    "https://t{s}.tianditu.gov.cn/%s_w/wmts?SERVICE=WMTS&REQUEST=GetTile&VERSION=1.0.0"
    "&LAYER=%s&STYLE=default&TILEMATRIXSET=w&FORMAT=tiles&TILEMATRIX={z}&TILEROW={y}"
    "&TILECOL={x}&tk=%s"
)


def tiles_for(settings: MapSettings, gettext: Callable[[str], str] = _same) -> Tiles:
    """Return the tile layer ``map.tiles`` names; raise ValueError when it cannot be used.

    ``gettext`` puts the attribution's words in the site's language (Chinese without it).
    """
    name = settings.tiles.strip()
    if name == "osm":
        return _osm(gettext)
    if name == "amap":
        return _amap(gettext)
    if name == "tianditu":
        key = settings.tianditu_key.strip()
        if not key:
            raise ValueError("site.yml: map.tiles is tianditu but map.tianditu_key is empty")
        # Tianditu's Web Mercator layers are CGCS2000, within a metre or so of WGS-84.
        return Tiles(
            (_TIANDITU % ("vec", "vec", key), _TIANDITU % ("cva", "cva", key)),
            "&copy; " + gettext("天地图"),
            subdomains="01234567",
        )
    if name.startswith(("https://", "http://")) and "{z}" in name:
        host = urlsplit(name).hostname or name
        return Tiles((name,), gettext("地图 &copy; %(host)s") % {"host": host})
    raise ValueError(f"site.yml: map.tiles {name!r} is not osm, amap, tianditu or a URL template")
