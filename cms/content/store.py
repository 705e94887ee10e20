"""The content repository on disk: load everything, query what is live, write atomically."""

from __future__ import annotations

import datetime as dt
import os
import stat
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from .errors import ContentError, Problem
from .model import KINDS, Activity, Entry, News, Site, Station
from .reader import context_for, read_entry, read_site
from .tally import Tally, read_tallies


@dataclass
class Content:
    """Everything read from a content folder: settings, entries of every status, problems."""

    root: Path
    site: Site
    entries: dict[str, dict[str, Entry]] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    tallies: dict[int, Tally] = field(default_factory=dict)  # the yearly activity tallies, by year

    def live(self, kind: str, now: dt.datetime) -> list[Entry]:
        """Return the published, due entries of a kind, newest first (pages by order)."""
        items = [e for e in self.entries.get(kind, {}).values() if e.is_live(now)]
        if kind == "pages":
            return sorted(items, key=lambda e: (e.order, e.slug))  # type: ignore[attr-defined]
        if kind == "stations":
            return sorted(items, key=lambda e: (e.street, e.slug))  # type: ignore[attr-defined]
        return sorted(items, key=lambda e: (e.sort_time, e.slug), reverse=True)

    def get(self, kind: str, slug: str) -> Entry | None:
        return self.entries.get(kind, {}).get(slug)

    def media_file(self, ref: str) -> Path | None:
        """Return the file of a media reference if it exists inside content/media."""
        return resolve_inside(self.root / "media", ref.removeprefix("media/"))


def resolve_inside(root: Path, relative: str) -> Path | None:
    """Resolve ``relative`` under ``root``; None if it escapes the root or is not a file."""
    if not relative or "\x00" in relative or relative.startswith(("/", "\\")):
        return None
    base = root.resolve()
    target = (base / relative).resolve()
    if target != base and base in target.parents and target.is_file():
        return target
    return None


def load(root: Path | str, cache: dict | None = None) -> Content:
    """Read site.yml and every entry; problems are collected, never raised.

    ``cache`` (a dict the caller keeps between loads, e.g. pickled by the builder) maps each
    file to what was read from it, keyed by its size, mtime and inode, so an unchanged file
    is not parsed again. Entries of a changed site.yml are always read afresh.
    """
    root = Path(root)
    site_bytes = (root / "site.yml").read_bytes() if (root / "site.yml").is_file() else b""
    site, problems = read_site(root / "site.yml")
    if site is None:
        raise ContentError(problems)
    if cache is not None and cache.get("site.yml") != site_bytes:
        cache.clear()
        cache["site.yml"] = site_bytes
    content = Content(root=root, site=site, problems=problems)
    ctx = context_for(site)
    seen = {"site.yml"}
    for kind in KINDS:
        bucket: dict[str, Entry] = {}
        folder = root / kind
        with os.scandir(folder) if folder.is_dir() else _empty() as listing:
            files = sorted((e for e in listing if e.name.endswith(".md")), key=lambda e: e.name)
        for item in files:
            label = f"content/{kind}/{item.name}"
            stat = item.stat()
            stamp = (stat.st_size, stat.st_mtime_ns, stat.st_ino)
            hit = cache.get(label) if cache is not None else None
            if hit is not None and hit[0] == stamp:
                entry, found = hit[1], hit[2]
            else:
                entry, found = read_entry(Path(item.path), kind, ctx, label)
                if cache is not None:
                    cache[label] = (stamp, entry, found)
            seen.add(label)
            content.problems.extend(found)
            if entry is not None:
                bucket[entry.slug] = entry
        content.entries[kind] = bucket
    if cache is not None:
        for stale in set(cache) - seen:
            del cache[stale]
    content.tallies, found = read_tallies(root, site)
    content.problems.extend(found)
    content.problems.extend(references(content))
    return content


@contextmanager
def _empty() -> Iterator[list]:
    yield []


def references(content: Content) -> list[Problem]:
    """Check references between entries and to media files (again after entries are set aside)."""
    problems = []
    stations = content.entries.get("stations", {})
    media_exists = _media_test(content.root / "media")
    for kind in ("news", "activities"):
        for entry in content.entries.get(kind, {}).values():
            label = f"content/{entry.source}"
            cover = getattr(entry, "cover", "")
            if cover and not media_exists(cover):
                problems.append(
                    Problem(
                        label,
                        entry.line_of("cover"),
                        "cover",
                        f"cover {cover!r}: no such media file",
                    )
                )
            if isinstance(entry, Activity) and entry.station:
                target = stations.get(entry.station)
                if target is None:
                    problems.append(
                        Problem(
                            label,
                            entry.line_of("station"),
                            "station",
                            f"station {entry.station!r}: no such station",
                        )
                    )
                elif entry.status == "published" and target.status != "published":
                    problems.append(
                        Problem(
                            label,
                            entry.line_of("station"),
                            "station",
                            f"station {entry.station!r} is not published",
                        )
                    )
    for station in stations.values():
        for ref in station.photos:  # type: ignore[attr-defined]
            if not media_exists(ref):
                problems.append(
                    Problem(
                        f"content/{station.source}",
                        station.line_of("photos"),
                        "photos",
                        f"photos {ref!r}: no such media file",
                    )
                )
    return problems


def _media_test(media: Path) -> Callable[[str], bool]:
    """Return a test answering as ``Content.media_file(ref) is not None`` does, but faster.

    Each folder is resolved once rather than each file, so checking 10,000 covers costs one
    lstat each instead of a full path resolution each (most of a no-change load's time).
    """
    base = media.resolve()
    folders: dict[str, str | None] = {}

    def exists(ref: str) -> bool:
        relative = ref.removeprefix("media/")
        folder, _, name = relative.rpartition("/")
        if folder not in folders:
            target = (base / folder).resolve()
            inside = target == base or base in target.parents
            folders[folder] = str(target) if inside and target.is_dir() else None
        real = folders[folder]
        if real is None or name in ("", ".", ".."):
            return False
        try:
            mode = os.lstat(f"{real}/{name}").st_mode
        except (OSError, ValueError):
            return False
        if stat.S_ISLNK(mode):  # a link may lead out of the media folder: follow it fully
            return resolve_inside(media, relative) is not None
        return stat.S_ISREG(mode)

    return exists


def write_atomic(path: Path, data: bytes) -> None:
    """Write a file so readers see the old or the new bytes, never a mix (temp, fsync, rename)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    dir_fd = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(dir_fd)
    finally:
        os.close(dir_fd)


__all__ = ["Content", "load", "references", "write_atomic", "resolve_inside", "News", "Station"]
