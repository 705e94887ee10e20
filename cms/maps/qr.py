"""QR codes as inline SVG, drawn with segno (same URL, same bytes)."""

from __future__ import annotations

import io

import segno


def qr_svg(url: str, title: str, scale: int = 4) -> str:
    """Return an SVG element (no XML declaration) encoding ``url``, titled for screen readers."""
    code = segno.make(url, error="m", micro=False)
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
