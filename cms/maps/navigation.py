"""Links that open directions to a station in AMap, Baidu Maps or Tencent Maps.

Each way of travel (walk, ride, drive) has each provider's own word for it (``MODES``); the
finder's geo.js makes the same links in the browser for the mode the reader chose.

Each provider wants its own coordinate system and argument order: AMap takes "lng,lat" and is
told the points are WGS-84; Baidu takes "lat,lng" with ``coord_type=wgs84``; Tencent's web URI
only understands GCJ-02, so the point is converted here. The ``href`` is always a web URI, which
also works inside WeChat's browser (where app-opening schemes and ``callnative=1`` fail);
``app_href``, when given, is what the page may switch to outside WeChat.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote

from ..geo.coords import wgs84_to_gcj02

# Way of travel → (AMap ``mode``, Baidu ``mode``, Tencent ``type``).
MODES = {
    "walk": ("walk", "walking", "walk"),
    "ride": ("ride", "riding", "bike"),
    "drive": ("car", "driving", "drive"),
}


@dataclass(frozen=True)
class NavLink:
    provider: str  # amap | baidu | tencent
    label: str
    href: str
    app_href: str = ""


def _q(text: str) -> str:
    return quote(text, safe="")


def _num(value: float) -> str:
    return f"{value:.6f}".rstrip("0").rstrip(".")


def amap_url(
    name: str, lat: float, lng: float, src: str, native: bool = False, mode: str = "walk"
) -> str:
    """Return AMap's route URI to a WGS-84 point (longitude first)."""
    return (
        f"https://uri.amap.com/navigation?to={_num(lng)},{_num(lat)},{_q(name)}"
        f"&mode={MODES[mode][0]}&coordinate=wgs84&callnative={1 if native else 0}&src={_q(src)}"
    )


def baidu_url(name: str, lat: float, lng: float, src: str, mode: str = "walk") -> str:
    """Return Baidu's web direction URI to a WGS-84 point (latitude first).

    The ``|`` between the point and its name is sent as ``%7C``: a bare ``|`` is not allowed in
    a URL's query (HTML validators reject the link), and Baidu decodes the query before reading
    ``latlng:…|name:…``, so the destination it sees is the same.
    """
    return (
        f"https://api.map.baidu.com/direction?origin={_q('我的位置')}"
        f"&destination=latlng:{_num(lat)},{_num(lng)}%7Cname:{_q(name)}"
        f"&mode={MODES[mode][1]}&coord_type=wgs84&output=html&src={_q(src)}"
    )


def tencent_url(name: str, lat: float, lng: float, referer: str, mode: str = "walk") -> str:
    """Return Tencent's route-plan URI; the point is converted to GCJ-02 as Tencent requires."""
    glat, glng = wgs84_to_gcj02(lat, lng)
    return (
        f"https://apis.map.qq.com/uri/v1/routeplan?type={MODES[mode][2]}&to={_q(name)}"
        f"&tocoord={_num(glat)},{_num(glng)}&referer={_q(referer)}"
    )


def navigation_links(
    name: str, lat: float, lng: float, src: str, mode: str = "walk"
) -> list[NavLink]:
    """Return the three navigation links for a station at WGS-84 (lat, lng)."""
    return [
        NavLink(
            "amap",
            "高德地图",
            amap_url(name, lat, lng, src, mode=mode),
            amap_url(name, lat, lng, src, True, mode),
        ),
        NavLink("baidu", "百度地图", baidu_url(name, lat, lng, src, mode)),
        NavLink("tencent", "腾讯地图", tencent_url(name, lat, lng, src, mode)),
    ]
