"""Generate the demo cover images under ``content/media/<yyyy>/<name>.jpg``.

The pictures are simple abstract compositions (a vertical gradient plus a few
circles, bands and stripes) drawn with Pillow, so no fonts or external assets
are needed. Everything is derived from a fixed table, with no randomness and no
timestamps, so running the script twice writes byte-identical files.

Usage::

    .venv/bin/python scripts/demo_images.py            # write into content/media
    .venv/bin/python scripts/demo_images.py --out DIR  # write somewhere else
"""

from __future__ import annotations

import argparse
import io
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageDraw, ImageFilter

WIDTH, HEIGHT = 1200, 675
MAX_BYTES = 60_000
ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OUT = ROOT / "content" / "media"

RGB = tuple[int, int, int]

# Palettes: (top colour, bottom colour, accent colour).
PALETTES: dict[str, tuple[RGB, RGB, RGB]] = {
    "union-red": ((198, 40, 40), (122, 16, 16), (255, 214, 102)),
    "deep-red": ((150, 22, 30), (70, 8, 14), (255, 193, 7)),
    "orange": ((239, 108, 0), (183, 28, 28), (255, 241, 118)),
    "blue": ((21, 101, 192), (13, 42, 92), (144, 202, 249)),
    "green": ((46, 125, 50), (16, 64, 30), (200, 230, 201)),
    "purple": ((106, 27, 154), (49, 10, 80), (248, 187, 208)),
    "rose": ((173, 20, 87), (96, 10, 52), (255, 224, 178)),
    "teal": ((0, 121, 107), (0, 60, 70), (255, 236, 179)),
}


@dataclass(frozen=True)
class Cover:
    """One cover image: where it goes and how it looks."""

    year: int
    name: str
    palette: str
    motif: str  # "sun" | "stripes" | "rings" | "bars" | "blocks"
    variant: int = 0  # shifts shapes a little so covers with the same motif differ

    @property
    def relpath(self) -> str:
        return f"{self.year}/{self.name}.jpg"


COVERS: tuple[Cover, ...] = (
    Cover(2021, "plenary", "union-red", "sun", 0),
    Cover(2021, "pilot-federations", "deep-red", "blocks", 1),
    Cover(2022, "skills-contest", "blue", "bars", 0),
    Cover(2022, "summer-cool", "orange", "sun", 2),
    Cover(2023, "care-stations", "orange", "rings", 1),
    Cover(2023, "mother-rooms", "rose", "rings", 3),
    Cover(2024, "legal-aid", "blue", "stripes", 2),
    Cover(2024, "culture-palace", "purple", "blocks", 0),
    Cover(2025, "model-unions", "union-red", "stripes", 1),
    Cover(2025, "new-employment", "teal", "bars", 3),
    Cover(2026, "choir-festival", "purple", "sun", 4),
    Cover(2026, "winter-warmth", "green", "rings", 0),
)


def _mix(a: RGB, b: RGB, t: float) -> RGB:
    """Linear interpolation between two colours (``t`` in 0..1)."""
    return (
        round(a[0] + (b[0] - a[0]) * t),
        round(a[1] + (b[1] - a[1]) * t),
        round(a[2] + (b[2] - a[2]) * t),
    )


def _gradient(top: RGB, bottom: RGB) -> Image.Image:
    """A vertical gradient, one colour per row."""
    column = Image.new("RGB", (1, HEIGHT))
    for y in range(HEIGHT):
        column.putpixel((0, y), _mix(top, bottom, y / (HEIGHT - 1)))
    return column.resize((WIDTH, HEIGHT), Image.Resampling.NEAREST)


def _overlay(base: Image.Image, colour: RGB, alpha: int, draw_fn) -> Image.Image:
    """Draw shapes on a transparent layer and composite them onto ``base``."""
    layer = Image.new("RGBA", base.size, (0, 0, 0, 0))
    draw_fn(ImageDraw.Draw(layer), (*colour, alpha))
    return Image.alpha_composite(base.convert("RGBA"), layer).convert("RGB")


def render(cover: Cover) -> Image.Image:
    """Draw one cover image."""
    top, bottom, accent = PALETTES[cover.palette]
    img = _gradient(top, bottom)
    v = cover.variant
    white: RGB = (255, 255, 255)

    if cover.motif == "sun":
        cx, cy = 860 - 60 * v, 250 + 20 * v
        img = _overlay(
            img,
            accent,
            70,
            lambda d, c: d.ellipse((cx - 260, cy - 260, cx + 260, cy + 260), fill=c),
        )
        img = _overlay(
            img,
            accent,
            255,
            lambda d, c: d.ellipse((cx - 150, cy - 150, cx + 150, cy + 150), fill=c),
        )
        img = _overlay(
            img,
            bottom,
            230,
            lambda d, c: d.polygon(
                [(0, 560), (300, 430), (620, 520), (900, 410), (1200, 500), (1200, 675), (0, 675)],
                fill=c,
            ),
        )
    elif cover.motif == "stripes":

        def stripes(d: ImageDraw.ImageDraw, c: tuple[int, int, int, int]) -> None:
            for i in range(-4, 12):
                x = i * 150 + 30 * v
                d.polygon([(x, HEIGHT), (x + 60, HEIGHT), (x + 60 + 400, 0), (x + 400, 0)], fill=c)

        img = _overlay(img, white, 28, stripes)
        img = _overlay(img, accent, 255, lambda d, c: d.rectangle((90, 300, 560, 318), fill=c))
        img = _overlay(img, accent, 255, lambda d, c: d.ellipse((90, 160, 200, 270), fill=c))
    elif cover.motif == "rings":
        cx, cy = 300 + 90 * v, 340

        def rings(d: ImageDraw.ImageDraw, c: tuple[int, int, int, int]) -> None:
            for r in range(90, 700, 90):
                d.ellipse((cx - r, cy - r, cx + r, cy + r), outline=c, width=22)

        img = _overlay(img, white, 36, rings)
        img = _overlay(
            img, accent, 255, lambda d, c: d.ellipse((cx - 60, cy - 60, cx + 60, cy + 60), fill=c)
        )
    elif cover.motif == "bars":
        heights = [180, 260, 340, 300, 420, 380, 480]

        def bars(d: ImageDraw.ImageDraw, c: tuple[int, int, int, int]) -> None:
            for i, h in enumerate(heights):
                h = h + 25 * ((i + v) % 3)
                x = 160 + i * 130
                d.rectangle((x, HEIGHT - 80 - h, x + 90, HEIGHT - 80), fill=c)

        img = _overlay(img, white, 60, bars)
        img = _overlay(
            img,
            accent,
            255,
            lambda d, c: d.rectangle((120, HEIGHT - 86, 1080, HEIGHT - 74), fill=c),
        )
    elif cover.motif == "blocks":

        def blocks(d: ImageDraw.ImageDraw, c: tuple[int, int, int, int]) -> None:
            for row in range(3):
                for col in range(6):
                    if (row * 6 + col + v) % 4 == 0:
                        continue
                    x, y = 120 + col * 170, 110 + row * 170
                    d.rounded_rectangle((x, y, x + 140, y + 140), radius=24, fill=c)

        img = _overlay(img, white, 40, blocks)
        x, y = 120 + (v % 6) * 170, 110 + 170
        img = _overlay(
            img,
            accent,
            255,
            lambda d, c: d.rounded_rectangle((x, y, x + 140, y + 140), radius=24, fill=c),
        )
    else:
        raise ValueError(f"unknown motif {cover.motif!r}")

    # A light blur softens the hard edges and keeps the JPEGs small.
    return img.filter(ImageFilter.GaussianBlur(1.2))


def encode(img: Image.Image) -> bytes:
    """Encode as an optimized baseline JPEG, lowering quality until it fits MAX_BYTES."""
    for quality in (82, 76, 70, 64, 58, 50):
        buf = io.BytesIO()
        img.save(
            buf, "JPEG", quality=quality, optimize=True, progressive=False, subsampling="4:2:0"
        )
        data = buf.getvalue()
        if len(data) <= MAX_BYTES:
            return data
    raise RuntimeError(f"cannot fit the image under {MAX_BYTES} bytes")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--out", type=Path, default=DEFAULT_OUT, help="media root (default: content/media)"
    )
    args = parser.parse_args(argv)
    for cover in COVERS:
        path: Path = args.out / cover.relpath
        path.parent.mkdir(parents=True, exist_ok=True)
        data = encode(render(cover))
        if not path.exists() or path.read_bytes() != data:
            path.write_bytes(data)
        print(f"{path.relative_to(args.out)}  {len(data):>6} bytes")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
