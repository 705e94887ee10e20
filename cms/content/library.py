"""What the media library knows about each image beyond its pixels: label, alt, caption, focus.

Kept in one YAML file, ``content/media/.library.yml``, so it is backed up and versioned with the
content while the images keep their generated names. The label is the file name the editor
uploaded (生活照.jpg), alt and caption are used wherever the image is shown, and the focal point
(fractions of the width and height) is the part every crop keeps.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, replace
from pathlib import Path

import yaml

from .store import write_atomic

LIBRARY = ".library.yml"
MAX_ALT = 200
MAX_CAPTION = 500
_DATE = re.compile(r"^(\d{4})(\d{2})(\d{2})-")
_cache: dict[Path, tuple[tuple[int, int, int], dict[str, MediaInfo]]] = {}


@dataclass(frozen=True)
class MediaInfo:
    """The description of one image; every field may be empty."""

    label: str = ""  # the name it was uploaded under
    alt: str = ""  # what the image shows, for readers who cannot see it
    caption: str = ""  # shown under the image
    focus_x: float = 0.5  # the point crops keep, as fractions of the width and height
    focus_y: float = 0.5

    @property
    def focus(self) -> tuple[float, float]:
        return (self.focus_x, self.focus_y)

    @property
    def focused(self) -> bool:
        """Tell whether a focal point other than the middle was set."""
        return self.focus != (0.5, 0.5)


def read_library(media_root: Path) -> dict[str, MediaInfo]:
    """Return every image's description by reference (``media/2026/x.jpg``)."""
    path = Path(media_root) / LIBRARY
    try:
        stat = path.stat()
    except OSError:
        return {}
    stamp = (stat.st_size, stat.st_mtime_ns, stat.st_ino)
    cached = _cache.get(path)
    if cached and cached[0] == stamp:
        return cached[1]
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError, UnicodeDecodeError):
        raw = {}  # a broken file loses descriptions, never an image or a page
    library = {}
    for ref, values in raw.items() if isinstance(raw, dict) else []:
        if isinstance(ref, str) and isinstance(values, dict):
            library[ref] = _info(values)
    _cache[path] = (stamp, library)
    return library


def media_info(media_root: Path, ref: str) -> MediaInfo:
    """Return one image's description (an empty one when it has none)."""
    return read_library(media_root).get(ref.lstrip("/"), MediaInfo())


def describe(media_root: Path, ref: str, **changes: object) -> MediaInfo:
    """Change some fields of an image's description and save it; raise ValueError in Chinese."""
    info = _checked(replace(media_info(media_root, ref), **changes))  # type: ignore[arg-type]
    with _locked(Path(media_root)):
        library = dict(read_library(media_root))
        library[ref] = replace(library.get(ref, MediaInfo()), **changes)  # type: ignore[arg-type]
        _write(Path(media_root), library)
    return info


def remember_upload(media_root: Path, ref: str, name: str) -> None:
    """Keep the name an image was uploaded under, unless it already has one."""
    if not media_info(media_root, ref).label:
        describe(media_root, ref, label=Path(name).name[:MAX_ALT])


def forget(media_root: Path, ref: str) -> None:
    """Drop the description of a deleted image."""
    with _locked(Path(media_root)):
        library = dict(read_library(media_root))
        if library.pop(ref, None) is not None:
            _write(Path(media_root), library)


def uploaded_on(ref: str, fallback: dt.date) -> dt.date:
    """Return the day an image was uploaded, from its generated name (20261207-…)."""
    match = _DATE.match(ref.rpartition("/")[2])
    if match:
        try:
            return dt.date(*(int(g) for g in match.groups()))
        except ValueError:
            pass
    return fallback


def _info(values: dict) -> MediaInfo:
    def number(key: str) -> float:
        value = values.get(key, 0.5)
        return min(1.0, max(0.0, float(value))) if isinstance(value, int | float) else 0.5

    return MediaInfo(
        label=str(values.get("label") or ""),
        alt=str(values.get("alt") or ""),
        caption=str(values.get("caption") or ""),
        focus_x=number("focus_x"),
        focus_y=number("focus_y"),
    )


def _checked(info: MediaInfo) -> MediaInfo:
    if len(info.alt) > MAX_ALT:
        raise ValueError(f"替代文字：最多 {MAX_ALT} 个字，现在有 {len(info.alt)} 个")
    if len(info.caption) > MAX_CAPTION:
        raise ValueError(f"图片说明：最多 {MAX_CAPTION} 个字，现在有 {len(info.caption)} 个")
    for name, value in (("焦点横向位置", info.focus_x), ("焦点纵向位置", info.focus_y)):
        if not 0 <= value <= 1:
            raise ValueError(f"{name}：应在 0 到 100% 之间")
    return info


def _write(media_root: Path, library: dict[str, MediaInfo]) -> None:
    data = {}
    for ref in sorted(library):
        values = {k: v for k, v in asdict(library[ref]).items() if v not in ("", 0.5)}
        if values:
            data[ref] = values
    text = yaml.safe_dump(data, allow_unicode=True, sort_keys=True, width=1000)
    write_atomic(media_root / LIBRARY, text.encode("utf-8"))


@contextmanager
def _locked(media_root: Path) -> Iterator[None]:
    """Hold the library's lock, so two uploads at once both keep their labels."""
    media_root.mkdir(parents=True, exist_ok=True)
    fd = os.open(media_root, os.O_RDONLY)  # the folder itself: no lock file among the content
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # closing releases the lock
