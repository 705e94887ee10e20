"""The vocabularies' colours (site.yml) as CSS classes, with text colours that pass WCAG AA."""

from __future__ import annotations

from ..content.model import Site

WHITE = "#ffffff"
BLACK = "#000000"
AA = 4.5  # WCAG 2.1 AA for normal text: a pin's 15 px glyph is not "large" text


def luminance(colour: str) -> float:
    """Return the WCAG relative luminance of a ``#rrggbb`` colour."""

    def channel(hex_pair: str) -> float:
        c = int(hex_pair, 16) / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(colour[i : i + 2]) for i in (1, 3, 5))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: str, b: str) -> float:
    """Return the WCAG contrast ratio of two ``#rrggbb`` colours (1 to 21)."""
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def text_on(colour: str) -> str:
    """Return the text colour for words drawn on ``colour``: white when it passes AA, else black.

    Black on a colour that fails with white always passes: the two ratios multiply to 21.
    """
    return WHITE if contrast(colour, WHITE) >= AA else BLACK


def vocabulary_css(site: Site) -> str:
    """Return a class per brand and station type: ``--c`` its colour, ``--c-on`` the colour of
    words drawn on it (map pins, poster labels)."""
    rules = [
        f".c-{group}-{key}{{--c:{term.color};--c-on:{text_on(term.color)}}}"
        for group, terms in (("brand", site.activity_brands), ("type", site.station_types))
        for key, term in terms.items()
        if term.color
    ]
    return "\n".join(rules) + "\n"
