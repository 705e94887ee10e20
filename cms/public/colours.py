"""The vocabularies' colours (site.yml) as CSS classes, with text colours that pass WCAG AA."""

from __future__ import annotations

from ..content.contrast import AA, BLACK, WHITE, contrast  # a pin's 15 px glyph is not "large"
from ..content.model import Site


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
