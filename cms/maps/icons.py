"""Marker characters for station types and icons for amenities (no icon fonts)."""

from __future__ import annotations

from ..content.model import Site

# One short character per station type for its marker, readable without an icon font.
TYPE_GLYPHS = {
    "worker-home": "家",
    "care-station": "驿",
    "mother-room": "母",
    "legal-aid": "法",
    "culture-palace": "文",
}

# Shown beside the amenity's text label, never instead of it.
AMENITY_ICONS = {
    "water": "💧",
    "food-heating": "🍱",
    "charging": "🔌",
    "battery-swap": "🔋",
    "toilet": "🚻",
    "rest": "🪑",
    "aircon": "❄️",
    "first-aid": "🩹",
    "umbrella": "☂️",
    "wifi": "📶",
    "reading": "📚",
    "legal": "⚖️",
    "haircut": "✂️",
    "nursing": "🍼",
}


def glyph(site: Site, key: str) -> str:
    """Return the marker character of a station type."""
    if key in TYPE_GLYPHS:
        return TYPE_GLYPHS[key]
    term = site.station_types.get(key)
    return (term.label[:1] if term else key[:1]) or "站"


def amenity_icon(key: str) -> str:
    """Return the icon shown beside an amenity's label ("•" for unknown keys)."""
    return AMENITY_ICONS.get(key, "•")
