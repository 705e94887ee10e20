"""Responsive renditions of media images, and the site's default share image.

Every image gets a WebP and a fallback (JPEG, or PNG when it has transparency) in up to three
widths, never wider than the source. A rendition's file name starts with a hash of the source
bytes and of the encoding recipe, so a file found in the cache folder is right for as long as it
exists: a rebuild finds every name and encodes nothing, and an edited image gets new names.
"""

from __future__ import annotations

import atexit
import hashlib
import io
import os
import re
import shutil
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from PIL import Image

__all__ = ["Picture", "Rendition", "Renditions", "WIDTHS", "scratch_renditions"]

WIDTHS = (480, 960, 1440)
# WeChat's browser takes the first image of at least 300 × 300 on a page as the share thumbnail.
SHARE_SIDE = 300
# Open Graph's recommended card size; used for the default share image.
CARD_SIZE = (1200, 630)
WEBP_QUALITY = 80
JPEG_QUALITY = 82
# Part of every name: any change to how renditions are made must change this, or a cache would
# keep serving files made the old way under names that claim to be current.
RECIPE = f"webp{WEBP_QUALITY}-jpeg{JPEG_QUALITY}-lanczos-v1".encode()
SHARE_RECIPE = b"share-card-v1"
_NAME = re.compile(
    r"^(?:[0-9a-f]{20}-(?:\d{1,5}|sq(?:\d{6})?)|share-[0-9a-f]{20}(?:-sq)?)\.(?:webp|jpg|png)$"
)
_FORMATS = {
    "webp": ("WEBP", "image/webp"),
    "jpg": ("JPEG", "image/jpeg"),
    "png": ("PNG", "image/png"),
}
# EXIF orientations that turn the picture a quarter: width and height swap.
_QUARTER_TURNS = {5, 6, 7, 8}


@dataclass(frozen=True)
class Rendition:
    """One encoded file: its name in the cache folder (and under /media/r/) and its size."""

    name: str
    width: int
    height: int

    @property
    def mime(self) -> str:
        return _FORMATS[self.name.rpartition(".")[2]][1]


@dataclass(frozen=True)
class Picture:
    """The renditions of one source image, narrowest first, and the source's own size."""

    digest: str
    width: int
    height: int
    webp: tuple[Rendition, ...]
    fallback: tuple[Rendition, ...]  # JPEG, or PNG for an image with transparency

    @property
    def src(self) -> Rendition:
        """The fallback a browser without srcset loads: the middle width."""
        return self.fallback[len(self.fallback) // 2]

    @property
    def largest(self) -> Rendition:
        return self.fallback[-1]

    @property
    def names(self) -> list[str]:
        return [r.name for r in self.webp + self.fallback]

    @property
    def shareable(self) -> bool:
        """Tell whether the image is large enough for a share thumbnail."""
        return min(self.width, self.height) >= SHARE_SIDE


class Renditions:
    """A folder of renditions: finds them by name, encodes the missing ones, prunes the rest."""

    def __init__(self, folder: Path):
        self.folder = Path(folder)
        # Files encoded by this object: a rebuild over a warm cache adds none.
        self.encoded = 0
        # digest -> (width, height, has alpha): the header is read once per process.
        self._headers: dict[str, tuple[int, int, bool] | None] = {}

    def picture(self, data: bytes) -> Picture | None:
        """Return the renditions of an image, encoding those not cached; None if not an image."""
        picture = self.plan(data)
        missing = [n for n in picture.names if not self._cached(n)] if picture else []
        if missing:
            by_name = {r.name: r for r in picture.webp + picture.fallback}  # type: ignore[union-attr]
            with _decode(data) as image:
                for name in missing:
                    self._write(name, _encode(image, by_name[name]))
        return picture

    def plan(self, data: bytes) -> Picture | None:
        """Return the renditions an image has or will have, encoding nothing."""
        digest = hashlib.blake2b(RECIPE + b"\0" + data, digest_size=10).hexdigest()
        header = self._header(digest, data)
        if header is None:
            return None
        width, height, alpha = header
        sizes = sorted({min(w, width) for w in WIDTHS})
        fallback = "png" if alpha else "jpg"
        webp = tuple(self._rendition(digest, w, width, height, "webp") for w in sizes)
        rest = tuple(self._rendition(digest, w, width, height, fallback) for w in sizes)
        return Picture(digest, width, height, webp, rest)

    def is_cached(self, picture: Picture) -> bool:
        """Tell whether every rendition of a picture is in the folder."""
        return all(self._cached(name) for name in picture.names)

    def share_thumbnail(
        self,
        data: bytes | Callable[[], bytes],
        picture: Picture,
        focus: tuple[float, float] = (0.5, 0.5),
    ) -> Rendition:
        """Return a square JPEG around the picture's focal point (WeChat crops shares square).

        ``data`` is the source image, or a function reading it when the square is not cached;
        ``focus`` is the point to keep, as fractions of the width and height (the middle unless
        an editor set one in the media library).
        """
        x, y = (round(min(1.0, max(0.0, f)) * 100) for f in focus)
        mark = "" if (x, y) == (50, 50) else f"{x:03d}{y:03d}"
        rendition = Rendition(f"{picture.digest}-sq{mark}.jpg", SHARE_SIDE, SHARE_SIDE)
        if not self._cached(rendition.name):
            from PIL import Image, ImageOps

            side = (SHARE_SIDE, SHARE_SIDE)
            with _decode(data if isinstance(data, bytes) else data()) as image:
                flat = Image.new("RGB", image.size, "#ffffff")  # JPEG has no transparency
                flat.paste(image, mask=image.getchannel("A") if image.mode == "RGBA" else None)
                if mark:
                    box = focal_box(flat.size, side, (x / 100, y / 100))
                    square = flat.resize(side, Image.Resampling.LANCZOS, box=box)
                else:  # the middle, made as before so cached squares stay right
                    square = ImageOps.fit(flat, side, Image.Resampling.LANCZOS)
                self._write(rendition.name, _save(square, "JPEG"))
        return rendition

    def default_share(self, colour: str) -> tuple[Rendition, Rendition]:
        """Return the share card and its square thumbnail for pages without a cover image."""
        key = hashlib.blake2b(SHARE_RECIPE + colour.encode(), digest_size=10).hexdigest()
        card = Rendition(f"share-{key}.png", *CARD_SIZE)
        square = Rendition(f"share-{key}-sq.png", SHARE_SIDE, SHARE_SIDE)
        for rendition in (card, square):
            if not self._cached(rendition.name):
                image = _share_card((rendition.width, rendition.height), colour)
                self._write(rendition.name, _save(image, "PNG"))
        return card, square

    def file(self, name: str) -> Path | None:
        """Return the cached file of a rendition name, or None for anything else."""
        if not _NAME.match(name):
            return None
        path = self.folder / name
        return path if path.is_file() else None

    def keep_only(self, names: Iterable[str]) -> int:
        """Delete cached renditions not in ``names`` (images no page uses); return how many."""
        keep = set(names)
        removed = 0
        for path in self.folder.glob("*") if self.folder.is_dir() else []:
            if _NAME.match(path.name) and path.name not in keep:
                path.unlink(missing_ok=True)
                removed += 1
        return removed

    def _header(self, digest: str, data: bytes) -> tuple[int, int, bool] | None:
        if digest not in self._headers:
            self._headers[digest] = _read_header(data)
        return self._headers[digest]

    def _rendition(self, digest: str, width: int, source_w: int, source_h: int, ext: str):
        height = max(1, round(source_h * width / source_w))
        return Rendition(f"{digest}-{width}.{ext}", width, height)

    def _cached(self, name: str) -> bool:
        try:
            return (self.folder / name).stat().st_size > 0
        except OSError:
            return False

    def _write(self, name: str, data: bytes) -> None:
        # The cache is only an accelerator, so no fsync; the rename still means a reader (or a
        # build running at the same time) never sees half a file.
        self.folder.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{name}.", suffix=".tmp", dir=self.folder)
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
            os.replace(tmp, self.folder / name)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        self.encoded += 1


def focal_box(
    size: tuple[int, int], target: tuple[int, int], focus: tuple[float, float]
) -> tuple[int, int, int, int]:
    """Return the largest box of the target's shape inside ``size`` centred as near the focal
    point as the edges allow: a face on the left stays in a square cut from a wide photo."""
    width, height = size
    ratio = target[0] / target[1]
    crop_w, crop_h = (round(height * ratio), height) if width / height > ratio else (
        width, round(width / ratio))  # fmt: skip
    left = min(max(round(focus[0] * width - crop_w / 2), 0), width - crop_w)
    top = min(max(round(focus[1] * height - crop_h / 2), 0), height - crop_h)
    return (left, top, left + crop_w, top + crop_h)


_scratch: Renditions | None = None


def scratch_renditions() -> Renditions:
    """Return a per-process cache in a temporary folder (previews and tests without a build)."""
    global _scratch
    if _scratch is None:
        folder = tempfile.mkdtemp(prefix="yizhan-renditions-")
        atexit.register(shutil.rmtree, folder, True)
        _scratch = Renditions(Path(folder))
    return _scratch


def _read_header(data: bytes) -> tuple[int, int, bool] | None:
    """Return (width, height, has alpha) as displayed, reading no pixels; None if not an image."""
    from PIL import Image

    try:
        with Image.open(io.BytesIO(data)) as image:
            width, height = image.size
            orientation = image.getexif().get(0x0112, 1)
            alpha = image.mode in ("RGBA", "LA", "PA", "La", "RGBa") or (
                "transparency" in image.info
            )
    except Exception:  # not a raster image Pillow knows: the page keeps the plain <img>
        return None
    if orientation in _QUARTER_TURNS:
        width, height = height, width
    return (width, height, alpha) if width > 0 and height > 0 else None


class _decode:
    """Decode an image's pixels upright, as RGB or RGBA, for encoding (a context manager)."""

    def __init__(self, data: bytes):
        self.data = data

    def __enter__(self) -> Image.Image:
        from PIL import Image, ImageOps

        with Image.open(io.BytesIO(self.data)) as opened:
            icc = opened.info.get("icc_profile")
            alpha = opened.mode in ("RGBA", "LA", "PA", "La", "RGBa") or (
                "transparency" in opened.info
            )
            image = ImageOps.exif_transpose(opened)
            self.image = image.convert("RGBA" if alpha else "RGB")
        self.image.info = {"icc_profile": icc} if icc else {}
        return self.image

    def __exit__(self, *exc: object) -> None:
        self.image.close()


def _encode(image: Image.Image, rendition: Rendition) -> bytes:
    """Scale the decoded image to a rendition's size and encode it in the rendition's format."""
    from PIL import Image

    frame = image
    if (image.width, image.height) != (rendition.width, rendition.height):
        size = (rendition.width, rendition.height)
        frame = image.resize(size, Image.Resampling.LANCZOS, reducing_gap=3.0)
        frame.info = image.info
    return _save(frame, _FORMATS[rendition.name.rpartition(".")[2]][0])


def _save(image: Image.Image, kind: str) -> bytes:
    out = io.BytesIO()
    icc = image.info.get("icc_profile")
    if kind == "WEBP":
        image.save(out, "WEBP", quality=WEBP_QUALITY, method=4, icc_profile=icc)
    elif kind == "JPEG":
        image.save(
            out, "JPEG", quality=JPEG_QUALITY, optimize=True, progressive=True, icc_profile=icc
        )
    else:
        image.save(out, "PNG", optimize=True, icc_profile=icc)
    return out.getvalue()


def _share_card(size: tuple[int, int], colour: str) -> Image.Image:
    """Draw the default share image: a white station (roof, pillars, door) on the site colour.

    Drawn at twice the size and scaled down, which smooths the edges; no font is needed, so the
    image is the same on every machine.
    """
    from PIL import Image, ImageDraw

    width, height = size[0] * 2, size[1] * 2
    image = Image.new("RGB", (width, height), colour)
    draw = ImageDraw.Draw(image)
    unit = min(width, height) / 10
    cx, cy = width / 2, height / 2
    white = "#ffffff"

    def at(dx: float, dy: float) -> tuple[float, float]:
        return cx + dx * unit, cy + dy * unit

    # Roof, the beam under it, the building with its door, and a base step.
    draw.polygon([at(-3.4, -0.9), at(0, -3.2), at(3.4, -0.9)], fill=white)
    draw.rectangle([at(-2.6, -0.6), at(2.6, -0.25)], fill=white)
    draw.rectangle([at(-2.2, 0.05), at(2.2, 2.4)], fill=white)
    draw.rectangle([at(-0.6, 0.7), at(0.6, 2.4)], fill=colour)
    draw.rectangle([at(-3, 2.6), at(3, 2.95)], fill=white)
    return image.resize(size, Image.Resampling.LANCZOS)
