"""QR codes as inline SVG: zxing-cpp encodes (in C++), we draw the modules as one path.

Every news and activity page carries one, so at 10,000 entries the encoder's speed shows in
the build time; the same URL always gives the same bytes.
"""

from __future__ import annotations

import functools
import re
from html import escape

import zxingcpp

DARK = re.compile(rb"\x00+")  # a run of dark modules in one row of the 1-pixel image
BORDER = 2  # quiet zone, in modules


@functools.lru_cache(maxsize=256)  # a station's page and poster share one; pages come in order
def _rows(url: str) -> tuple[int, str]:
    """Return the symbol's size in modules and a path drawing its dark modules.

    Each run of dark modules in a row is a horizontal stroke one module thick, through the
    middle of the row; runs after the first in a row move relative to the end of the last.
    """
    code = zxingcpp.create_barcode(url, zxingcpp.BarcodeFormat.QRCode, ec_level="M")
    image = code.to_image(scale=1, add_quiet_zones=False)
    size = image.shape[1]
    pixels = bytes(memoryview(image))
    parts = []
    for row in range(size):
        end = None
        for run in DARK.finditer(pixels, row * size, (row + 1) * size):
            start = run.start() - row * size
            if end is None:
                parts.append(f"M{start + BORDER} {row + BORDER}.5h{run.end() - run.start()}")
            else:
                parts.append(f"m{start - end} 0h{run.end() - run.start()}")
            end = run.end() - row * size
    return size, "".join(parts)


def qr_svg(url: str, title: str, scale: int = 4) -> str:
    """Return an SVG element (no XML declaration) encoding ``url``, titled for screen readers."""
    size, path = _rows(url)
    side = (size + 2 * BORDER) * scale
    return (
        # The viewBox lets CSS scale the code (the A4 poster) instead of cropping it.
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{side}" height="{side}" '
        f'viewBox="0 0 {side} {side}" class="qr">'
        f"<title>{escape(title, quote=False)}</title>"
        f'<path transform="scale({scale})" stroke="#000" d="{path}"/></svg>'
    )
