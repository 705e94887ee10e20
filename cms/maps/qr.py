"""QR codes as inline SVG, drawn with segno (same URL, same bytes)."""

from __future__ import annotations

import functools
import io

import segno


@functools.lru_cache(maxsize=4096)
def _code(url: str) -> segno.QRCode:
    # A fixed mask skips segno's search for the best one (most of the cost); any mask is valid
    # and scanners read it the same. The page and the poster share one code.
    return segno.make(url, error="m", micro=False, mask=0)


def qr_svg(url: str, title: str, scale: int = 4) -> str:
    """Return an SVG element (no XML declaration) encoding ``url``, titled for screen readers."""
    code = _code(url)
    out = io.BytesIO()
    code.save(
        out,
        kind="svg",
        scale=scale,
        border=2,
        xmldecl=False,
        svgns=True,
        title=title,
        svgclass="qr",
        lineclass=None,
        omitsize=False,
    )
    return out.getvalue().decode()
