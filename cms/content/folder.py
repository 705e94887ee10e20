"""A content folder kept loaded for a long-running process (the admin).

Every request wants the content as it is on disk now, checked as the build checks it (cross
references included), but reading 10,000 files per request is too slow. So each call stats
the entry files and the media folders, and only when something changed loads again through
``store.load`` with a kept file cache, which re-parses just the changed files.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path

from .model import KINDS
from .store import Content, load


class ContentFolder:
    """The current, cross-checked content of a folder; the same object while nothing changed."""

    def __init__(self, root: Path | str):
        self.root = Path(root)
        self.generation = 0  # bumped whenever the content changed (previews cache by it)
        self._lock = threading.Lock()
        self._cache: dict = {}
        self._stamp: tuple | None = None
        self._content: Content | None = None

    def content(self) -> Content:
        """Return the content as it is on disk now (entries of every status, and problems)."""
        with self._lock:
            stamp = self._stamp_now()
            if self._content is None or stamp != self._stamp:
                self._content = load(self.root, self._cache)
                self._stamp = stamp
                self.generation += 1
            return self._content

    def _stamp_now(self) -> tuple:
        """Size, mtime and inode of site.yml and each entry file, and each media folder's mtime.

        A save replaces its file (a new inode); a media file added or removed changes its
        folder's mtime, which is what the cover checks depend on.
        """
        parts: list[tuple] = [_stat(self.root / "site.yml")]
        for kind in KINDS:
            try:
                with os.scandir(self.root / kind) as listing:
                    files = [item for item in listing if item.name.endswith(".md")]
            except (FileNotFoundError, NotADirectoryError):
                continue
            for item in files:
                stat = item.stat()
                parts.append((kind, item.name, stat.st_size, stat.st_mtime_ns, stat.st_ino))
        tally = self.root / "tally"  # the yearly activity tallies: few, small files
        if tally.is_dir():
            parts.extend(_stat(path) for path in sorted(tally.glob("*.yml")))
        parts.extend(_folders(self.root / "media"))
        return tuple(parts)


def _stat(path: Path) -> tuple:
    try:
        stat = path.stat()
    except FileNotFoundError:
        return (str(path), None)
    return (str(path), stat.st_size, stat.st_mtime_ns, stat.st_ino)


def _folders(path: Path) -> list[tuple]:
    """Return the mtime of a folder and of every folder below it."""
    try:
        stamps = [(str(path), path.stat().st_mtime_ns)]
        with os.scandir(path) as listing:
            below = [Path(item.path) for item in listing if item.is_dir(follow_symlinks=False)]
    except (FileNotFoundError, NotADirectoryError):
        return []
    for folder in below:
        stamps.extend(_folders(folder))
    return stamps
