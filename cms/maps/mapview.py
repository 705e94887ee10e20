"""folium maps rendered for a static, CSP-friendly page: a div, an external script, vendored files.

folium normally writes a whole HTML document with inline scripts and CDN links. Here only its
map script is kept (served as a separate .js file), element ids are fixed so two builds give the
same bytes, and the libraries it asks for are mapped to the vendored copies (jQuery, Bootstrap
and Font Awesome are never loaded). Station markers for the overview come from the GeoJSON in the
browser, never one folium Marker per station.
"""

from __future__ import annotations

import contextlib
import contextvars
import re
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from html import escape

import branca.element
import folium
import jinja2
import xyzservices
from branca.element import Element, MacroElement
from folium.elements import JSCSSMixin
from folium.plugins import MarkerCluster

from ..content.model import Site, Station
from ..geo.coords import convert
from .icons import glyph
from .tiles import Tiles
from .vendor import vendor_path

# branca renders each folium element's script and then wraps the output in a new Element, which
# compiles that output as a Jinja template and renders it again. Text from the content (a
# station's name, given as the marker's title) would be run as a template: "{{ 7*7 }}" showed as
# 49, and worse could run code on the building machine. While our maps render, those wrappers
# keep their text as it is; each one was also a template compile (a third of a station map's
# time). Templates written with syntax on purpose (the library's own classes) are compiled when
# folium is imported, and folium elements that build templates while rendering (Vega) are not
# used here.
_VERBATIM = contextvars.ContextVar("folium_output_verbatim", default=False)
# One map renders at a time per process, so the name branca looks up is swapped and restored in
# order even when threads render at once (the admin's preview); other threads' elements still
# get real templates while it is swapped, as _VERBATIM is set for the rendering context only.
_SWAP = threading.Lock()


class _Verbatim:
    """Text standing in for a template that must not be evaluated; renders as Jinja renders
    plain text (newlines made "\n", one trailing newline dropped)."""

    def __init__(self, source: str):
        text = source.replace("\r\n", "\n").replace("\r", "\n")
        self.text = text[:-1] if text.endswith("\n") else text

    def render(self, *args: object, **kwargs: object) -> str:
        return self.text


def _template(source: str) -> jinja2.Template | _Verbatim:
    return _Verbatim(source) if _VERBATIM.get() else jinja2.Template(source)


@contextlib.contextmanager
def verbatim_output() -> Iterator[None]:
    """Keep the text of the Elements branca makes from rendered output, for this block only.

    ``branca.element.Template`` is what ``Element.__init__`` compiles its text with; it is
    ours only while the block runs and is branca's own again afterwards, so importing this
    module or using folium elsewhere in the process changes nothing.
    """
    with _SWAP:
        original = branca.element.Template
        branca.element.Template = _template
        verbatim = _VERBATIM.set(True)
        try:
            yield
        finally:
            _VERBATIM.reset(verbatim)
            branca.element.Template = original


@dataclass(frozen=True)
class MapView:
    """A rendered map: its container markup, its script and the vendored files it needs."""

    html: str
    script: str
    js: tuple[str, ...]
    css: tuple[str, ...]

    def steps(self) -> tuple[str, ...]:
        """Return the script as its top-level statements, to be run one per task."""
        return script_steps(self.script)


# The overview maps' smallest zoom: at 8 a phone shows the Pearl River Delta, more than enough.
OVERVIEW_MIN_ZOOM = 8


def js_name(key: str) -> str:
    """Return a vocabulary key as part of a JavaScript identifier."""
    return "".join(c if c.isalnum() else "_" for c in key)


def layer_var(key: str) -> str:
    """Return the variable name of a station type's layer on the overview map."""
    return f"feature_group_type_{js_name(key)}"


_DECLARATION = re.compile(r"^(?:var|let|const)\s+([A-Za-z_$][\w$]*)\s*=")


def script_steps(script: str) -> tuple[str, ...]:
    """Split folium's map script into its top-level statements, declarations made assignments
    to ``window`` (``var m = L.map(…)`` → ``window.m = L.map(…)``).

    Each statement can then run in a function of its own, in a task of its own, and still leave
    the globals the later statements and the finder use. folium writes plain statements, strings
    in double quotes and no comments or regular expressions; anything else is refused here
    rather than split wrongly.
    """
    steps: list[str] = []
    start, depth, quote, escaped = 0, 0, "", False
    for at, char in enumerate(script):
        if quote:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == quote:
                quote = ""
        elif char in "\"'":
            quote = char
        elif char in "`/":
            raise ValueError(f"folium script: unexpected {char!r} at {at}")
        elif char in "([{":
            depth += 1
        elif char in ")]}":
            depth -= 1
        elif char == ";" and depth == 0:
            statement = script[start:at].strip()
            start = at + 1
            if statement:
                steps.append(_DECLARATION.sub(r"window.\1 =", statement) + ";")
    if depth or quote or script[start:].strip():
        raise ValueError("folium script: a statement does not end")
    return tuple(steps)


def overview_map(site: Site, tiles: Tiles) -> MapView:
    """Return the all-stations map: tiles, one cluster, a toggle layer per type; no markers."""
    name = "stations"
    lat, lng = convert(site.map.center_lat, site.map.center_lng, "wgs84", tiles.crs)
    m = _base(name, tiles, (lat, lng), site.map.zoom)
    # Leaflet.markercluster keeps a clustering grid per zoom level from the map's minimum zoom
    # up, for every marker: a city-wide minimum keeps 12 grids instead of 20 for 10,000 markers.
    m.options["min_zoom"] = OVERVIEW_MIN_ZOOM
    cluster = MarkerCluster(
        control=False,
        options={"showCoverageOnHover": False, "chunkedLoading": True, "maxClusterRadius": 50},
    )
    _fix(cluster, f"{name}_cluster").add_to(m)
    for key, term in site.station_types.items():
        label = f'<span class="layer-swatch c-type-{escape(key)}"></span>{escape(term.label)}'
        group = folium.FeatureGroup(name=label, overlay=True, show=True)
        group._id = f"type_{js_name(key)}"  # → layer_var(key)
        group.add_to(m)
    _fix(folium.LayerControl(position="topright", collapsed=True), f"{name}_layers").add_to(m)
    return _render(m)


def station_map(site: Site, tiles: Tiles, station: Station) -> MapView:
    """Return the small map of one station, with its marker."""
    lat, lng = convert(station.location.lat, station.location.lng, "wgs84", tiles.crs)
    m = _base("station", tiles, (lat, lng), 16)
    icon = folium.DivIcon(
        html=escape(glyph(site, station.type)),
        icon_size=(32, 32),
        icon_anchor=(16, 16),
        class_name=f"pin c-type-{escape(station.type)}",
    )
    marker = folium.Marker(
        (lat, lng), icon=_fix(icon, "station"), title=station.name, alt=station.name
    )
    _fix(marker, "station").add_to(m)
    return _render(m)


class MetricScale(MacroElement):
    """Leaflet's scale bar in metres and kilometres only (its default adds feet and miles)."""

    _template = jinja2.Template(
        "{% macro script(this, kwargs) %}"
        "L.control.scale({imperial: false}).addTo({{ this._parent.get_name() }});"
        "{% endmacro %}"
    )


def _base(name: str, tiles: Tiles, center: tuple[float, float], zoom: int) -> folium.Map:
    m = folium.Map(location=center, zoom_start=zoom, tiles=None)
    _fix(m, name)
    _fix(MetricScale(), f"{name}_scale").add_to(m)
    for index, url in enumerate(tiles.urls):
        # A TileProvider, not a bare URL: folium would search xyzservices' whole catalogue
        # for a provider of that name on every map (milliseconds each, thousands of maps).
        provider = xyzservices.TileProvider(
            name=f"tiles{index}", url=url, attribution=tiles.attribution
        )
        layer = folium.TileLayer(
            provider,
            attr=tiles.attribution,  # Leaflet shows an attribution once however often given
            subdomains=tiles.subdomains,
            max_zoom=tiles.max_zoom,
            name=f"tiles{index}",
            control=False,
            overlay=index > 0,
        )
        _fix(layer, f"{name}_{index}").add_to(m)
    return m


def _fix(element: Element, name: str) -> Element:
    """Give an element a fixed id (folium draws random ones) and return it."""
    element._id = name
    return element


def _walk(element: Element) -> Iterator[Element]:
    yield element
    for child in element._children.values():
        yield from _walk(child)


def _render(m: folium.Map) -> MapView:
    figure = m.get_root()
    for index, element in enumerate(_walk(figure)):
        if len(element._id) == 32:  # still folium's random hex id
            element._id = f"e{index}"
    js: list[str] = []
    css: list[str] = []
    for element in _walk(m):
        if isinstance(element, JSCSSMixin):
            for wanted, found in ((element.default_js, js), (element.default_css, css)):
                for resource, _url in wanted:
                    path = vendor_path(resource)
                    if path and path not in found:
                        found.append(path)
    with verbatim_output():
        figure.render()
        rendered = figure.script.render()
    script = "\n".join(line.strip() for line in rendered.splitlines() if line.strip())
    html = f'<div class="folium-map" id="{m.get_name()}"></div>'
    return MapView(html, script + "\n", tuple(js), tuple(css))
