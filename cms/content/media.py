"""Uploaded images and the media library: verify, re-encode, name, list, find users, delete.

An upload is trusted for nothing: its name and declared type are ignored, its bytes must decode
as one of four raster formats, and what is stored is a fresh encoding of the pixels, so metadata
(EXIF with GPS, XMP, comments) and anything smuggled after the image data are left behind.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import os
import posixpath
import re
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote

from PIL import Image, ImageOps, UnidentifiedImageError

from .library import MediaInfo, forget, read_library, uploaded_on
from .model import Entry
from .store import Content, resolve_inside, write_atomic

MAX_BYTES = 20 * 1024 * 1024
MAX_PIXELS = 40_000_000
# Detected format -> extension of what we store (a GIF keeps its first frame, as a PNG).
FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp", "GIF": "png"}
JPEG_QUALITY = 85
WEBP_QUALITY = 90

# Anything in a body that looks like a path through media/ (../media/…, media/…, /media/…);
# the prefix is matched too so that absolute URLs of other sites can be told apart.
_REFERENCE = re.compile(r"[A-Za-z0-9:/._%~-]*media/[A-Za-z0-9._/%~-]+")


class MediaError(ValueError):
    """An upload or a media operation was refused; the message is for editors, in Chinese."""


class MediaInUse(MediaError):
    """A media file cannot be deleted because entries use it; carries those entries."""

    def __init__(self, ref: str, users: list[Entry]):
        self.ref = ref
        self.users = users
        names = "、".join(f"《{e.title_text}》（{e.source}）" for e in users)
        super().__init__(f"{ref} 正在被 {len(users)} 个条目使用，不能删除：{names}")


@dataclass(frozen=True)
class MediaFile:
    """One file of the media library, with the entries that use it."""

    ref: str  # "media/2026/20261125-1a2b3c4d.jpg"
    path: Path
    size: int
    width: int
    height: int
    users: list[Entry] = field(default_factory=list)
    info: MediaInfo = MediaInfo()
    uploaded: dt.date = dt.date(1970, 1, 1)

    @property
    def label(self) -> str:
        """The name the editor knows the image by: the one it was uploaded under."""
        return self.info.label or self.ref.rpartition("/")[2]

    def matches(self, words: list[str], month: str = "") -> bool:
        """Tell whether every word is in the label, alt, caption or reference, and the month
        (``2026-12`` or ``2026``) is when it was uploaded."""
        text = " ".join((self.info.label, self.info.alt, self.info.caption, self.ref)).lower()
        return all(w.lower() in text for w in words) and self.uploaded.isoformat().startswith(month)


def store_upload(media_root: Path, original_name: str, data: bytes, now: dt.datetime) -> str:
    """Verify and re-encode an uploaded image under ``media_root``; return its reference.

    ``original_name`` is deliberately unused beyond error messages: the content decides the
    format and the stored name is generated (``<yyyy>/<yyyymmdd>-<hash>.<ext>``), so the same
    image uploaded twice gets the same reference and one file.
    """
    encoded, ext = reencode(data)
    digest = hashlib.sha256(encoded).hexdigest()
    media_root = Path(media_root)
    for existing in sorted(media_root.glob(f"*/*-{digest[:8]}.{ext}")):
        if existing.read_bytes() == encoded:
            return "media/" + existing.relative_to(media_root).as_posix()
    year = f"{now:%Y}"
    for length in range(8, 65):  # a longer hash only if 8 hex digits collide with another image
        name = f"{now:%Y%m%d}-{digest[:length]}.{ext}"
        target = media_root / year / name
        if not target.exists() or target.read_bytes() == encoded:
            break
    write_atomic(target, encoded)
    return f"media/{year}/{name}"


def reencode(data: bytes) -> tuple[bytes, str]:
    """Return a metadata-free re-encoding of an image and its extension, or raise MediaError."""
    if len(data) > MAX_BYTES:
        raise MediaError(f"图片超过 {MAX_BYTES // (1024 * 1024)} MB")
    if not data:
        raise MediaError("文件是空的")
    with warnings.catch_warnings():
        # Pillow warns (rather than raises) between its own limit and twice that; refuse both.
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        image = _open(data)
        try:
            image.verify()
        except Exception:
            raise MediaError("文件已损坏或不是有效的图片") from None
        image = _open(data)
        try:
            image.load()
        except Image.DecompressionBombWarning:
            raise MediaError("图片像素超过 4000 万") from None
        except Exception:
            raise MediaError("文件已损坏或不是有效的图片") from None
    source_format = image.format or ""
    ext = FORMATS[source_format]
    image = ImageOps.exif_transpose(image)
    return _encode(image, source_format), ext


def _open(data: bytes) -> Image.Image:
    """Open image headers only (no pixels yet) and enforce the format and pixel caps."""
    try:
        image = Image.open(io.BytesIO(data), formats=list(FORMATS))
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise MediaError("图片像素超过 4000 万") from None
    except UnidentifiedImageError:
        raise MediaError("文件不是图片：只接受 JPEG、PNG、WebP、GIF") from None
    except Exception:
        raise MediaError("文件已损坏或不是有效的图片") from None
    if image.format not in FORMATS:
        raise MediaError("文件不是图片：只接受 JPEG、PNG、WebP、GIF")
    width, height = image.size
    if width < 1 or height < 1:
        raise MediaError("文件已损坏或不是有效的图片")
    if width * height > MAX_PIXELS:
        raise MediaError("图片像素超过 4000 万")
    return image


def _encode(image: Image.Image, source_format: str) -> bytes:
    """Encode the pixels afresh; only the colour profile and transparency are carried over."""
    icc = image.info.get("icc_profile")
    transparency = image.info.get("transparency")
    image.info = {} if transparency is None else {"transparency": transparency}
    out = io.BytesIO()
    if source_format == "JPEG":
        if image.mode not in ("RGB", "L"):
            image, icc = image.convert("RGB"), None  # a CMYK profile does not fit RGB pixels
        image.save(out, "JPEG", quality=JPEG_QUALITY, optimize=True, icc_profile=icc)
    elif source_format == "WEBP":
        if image.mode not in ("RGB", "RGBA"):
            image = image.convert("RGBA")
        image.save(out, "WEBP", quality=WEBP_QUALITY, method=4, icc_profile=icc)
    else:
        if image.mode not in ("1", "L", "LA", "P", "RGB", "RGBA", "I;16"):
            image = image.convert("RGBA")
        image.save(out, "PNG", optimize=True, icc_profile=icc)
    return out.getvalue()


def list_media(content: Content) -> list[MediaFile]:
    """Return every file of the media library, newest reference first, with its users."""
    root = content.root / "media"
    users = _usage(content)
    library = read_library(root)
    files = []
    for path in sorted(root.rglob("*")) if root.is_dir() else []:
        relative = path.relative_to(root)
        if not path.is_file() or any(part.startswith(".") for part in relative.parts):
            continue
        ref = "media/" + relative.as_posix()
        width, height = _dimensions(path)
        stat = path.stat()
        modified = dt.date.fromtimestamp(stat.st_mtime)
        files.append(
            MediaFile(
                ref,
                path,
                stat.st_size,
                width,
                height,
                users.get(ref, []),
                library.get(ref, MediaInfo()),
                uploaded_on(ref, modified),
            )
        )
    return sorted(files, key=lambda f: f.ref, reverse=True)


def media_users(content: Content, ref: str) -> list[Entry]:
    """Return the entries (any kind, any status) whose cover or body refers to ``ref``."""
    return _usage(content).get(_normal(ref), [])


def delete_media(content: Content, ref: str) -> None:
    """Delete a media file that no entry uses; raise MediaInUse naming the users otherwise."""
    ref = _normal(ref)
    path = resolve_inside(content.root / "media", ref.removeprefix("media/"))
    if not ref.startswith("media/") or path is None:
        raise MediaError(f"{ref} 不在媒体库中")
    users = media_users(content, ref)
    if users:
        raise MediaInUse(ref, users)
    path.unlink()
    fd = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
    forget(content.root / "media", ref)


def references(entry: Entry) -> set[str]:
    """Return the media references (``media/…``) an entry's cover and body make."""
    found = set()
    cover = getattr(entry, "cover", "")
    if cover:
        found.add(_normal(cover))
    found.update(_normal(ref) for ref in getattr(entry, "photos", ()))
    here = posixpath.dirname(entry.source)
    for match in _REFERENCE.finditer(entry.body):
        target = unquote(match.group(0)).rstrip(".")
        if "://" in target or target.startswith("//"):
            continue
        if target.startswith("/"):
            found.add(_normal(target))
            continue
        relative = _normal(posixpath.join(here, target))
        found.add(relative if relative.startswith("media/") else _normal(target))
    return {ref for ref in found if ref.startswith("media/")}


def _usage(content: Content) -> dict[str, list[Entry]]:
    users: dict[str, list[Entry]] = {}
    for bucket in content.entries.values():
        for entry in bucket.values():
            for ref in references(entry):
                users.setdefault(ref, []).append(entry)
    return users


def _normal(ref: str) -> str:
    return posixpath.normpath(ref.strip()).lstrip("/")


def _dimensions(path: Path) -> tuple[int, int]:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(path) as image:
                return image.size
    except Exception:
        return 0, 0
