"""Marker characters for station types and SVG icons for amenities (no icon fonts, no emoji)."""

from __future__ import annotations

from markupsafe import Markup, escape

from ..content.model import Site

# One short character per station type for its marker, readable without an icon font.
TYPE_GLYPHS = {
    "worker-home": "家",
    "care-station": "驿",
    "mother-room": "母",
    "legal-aid": "法",
    "culture-palace": "文",
}


def _ring(cx: float, cy: float, r: float) -> str:
    """Return a circle as path data (one ``d`` draws a whole icon)."""
    return f"M{cx - r} {cy}a{r} {r} 0 1 0 {2 * r} 0a{r} {r} 0 1 0 {-2 * r} 0"


# Line drawings on a 24-unit grid, stroked in the text's colour: they show wherever SVG does,
# unlike emoji, which are empty boxes on phones and PCs without an emoji font. Always shown
# beside the amenity's text label, never instead of it.
AMENITY_PATHS = {
    "water": "M12 3c-3 4.5-6 8-6 11a6 6 0 0 0 12 0c0-3-3-6.5-6-11z",
    "food-heating": "M4 12h16a8 8 0 0 1-16 0zM9 4c-1 1.5 1 2.5 0 4M15 4c-1 1.5 1 2.5 0 4",
    "charging": "M9 3v5M15 3v5M7 8h10v4a5 5 0 0 1-10 0zM12 17v4",
    "battery-swap": "M4 7h13v10H4zM17 10h3v4h-3M8 10v4M12 10v4",
    "toilet": _ring(7, 5, 2) + _ring(17, 5, 2) + "M5 9h4v6H5zM7 15v6M17 9l-3 7h6zM17 16v5",
    "rest": "M6 11V6h12v5M4 11h16M6 11v8M18 11v8M5 15h14",
    "aircon": "M12 3v18M4.2 7.5l15.6 9M4.2 16.5l15.6-9",
    "first-aid": "M3 7h18v13H3zM9 7V4h6v3M12 10v7M8.5 13.5h7",
    "umbrella": "M3 12a9 9 0 0 1 18 0zM12 12v6a2 2 0 0 0 4 0",
    "wifi": "M2 9a15 15 0 0 1 20 0M5 12.5a10 10 0 0 1 14 0M8.5 16a5 5 0 0 1 7 0M12 20h.01",
    "reading": "M3 5h6a3 3 0 0 1 3 3v12a2 2 0 0 0-2-2H3zM21 5h-6a3 3 0 0 0-3 3v12a2 2 0 0 1 2-2h6z",
    "legal": "M12 3v18M8 21h8M5 6h14M5 6l-3 7a3 3 0 0 0 6 0zM19 6l-3 7a3 3 0 0 0 6 0z",
    "haircut": _ring(6, 18, 3) + _ring(18, 18, 3) + "M8.1 15.9L18 4M15.9 15.9L6 4",
    "nursing": "M10 2h4v3h-4zM9 5h6l1 3v12a2 2 0 0 1-2 2h-4a2 2 0 0 1-2-2V8zM8 12h8",
}
_DOT = _ring(12, 12, 4)
_SVG = (
    '<svg class="icon" viewBox="0 0 24 24" width="1.25em" height="1.25em" fill="none" '
    'stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round" '
    'aria-hidden="true" focusable="false">{}</svg>'
)


def glyph(site: Site, key: str) -> str:
    """Return the marker character of a station type."""
    if key in TYPE_GLYPHS:
        return TYPE_GLYPHS[key]
    term = site.station_types.get(key)
    return (term.label[:1] if term else key[:1]) or "站"


def amenity_icon(key: str) -> Markup:
    """Return the inline SVG drawn beside an amenity's label (a dot for unknown keys)."""
    drawing = _SVG.format(f'<path d="{AMENITY_PATHS.get(key, _DOT)}"/>')
    return Markup(drawing)  # noqa: S704 - our own drawing: no text from outside in it


def amenity_sprite(keys: list[str]) -> Markup:
    """Return a hidden SVG with a ``<symbol id="amenity-KEY">`` per key, for scripts to use."""
    symbols = "".join(
        f'<symbol id="amenity-{escape(key)}" viewBox="0 0 24 24">'
        f'<path d="{AMENITY_PATHS.get(key, _DOT)}"/></symbol>'
        for key in keys
    )
    sprite = f'<svg class="icon-sprite" aria-hidden="true" focusable="false">{symbols}</svg>'
    return Markup(sprite)  # noqa: S704 - our drawings; the keys are escaped
