"""Release folders and the ``site`` symlink: atomic switch, rollback, pruning.

``site`` is a symlink to ``site.releases/<id>``. A new release is written beside the live one
and the link is replaced with ``rename``, so a web server sees the old site or the new one,
never a mix.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
from pathlib import Path

KEEP = 5
PARTIAL = ".partial"


class ReleaseError(RuntimeError):
    """Raised when releases cannot be switched."""


class Releases:
    """The releases beside an output link (``<root>/site`` → ``<root>/site.releases/<id>``)."""

    def __init__(self, link: Path):
        self.link = Path(link).absolute()
        self.folder = self.link.with_name(self.link.name + ".releases")

    def new_partial(self) -> Path:
        """Create and return an empty folder for a release being built."""
        self.folder.mkdir(parents=True, exist_ok=True)
        stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S%fZ")
        path = self.folder / f"{stamp}-{os.getpid()}{PARTIAL}"
        path.mkdir()
        return path

    def finish(self, partial: Path) -> Path:
        """Turn a checked partial release into a complete one."""
        final = partial.with_name(partial.name.removesuffix(PARTIAL))
        partial.rename(final)
        return final

    def all(self) -> list[Path]:
        """Return complete releases, oldest first."""
        if not self.folder.is_dir():
            return []
        return sorted(
            p
            for p in self.folder.iterdir()
            if p.is_dir() and not p.name.endswith(PARTIAL) and not p.name.startswith(".")
        )

    def current(self) -> Path | None:
        """Return the release the link points at, if any."""
        if not self.link.is_symlink():
            return None
        return (self.link.parent / os.readlink(self.link)).resolve()

    def switch(self, release: Path) -> None:
        """Point the link at ``release`` atomically (a new symlink renamed over the old one)."""
        if self.link.exists() and not self.link.is_symlink():
            raise ReleaseError(f"{self.link} is a real folder, not a release link; move it away")
        target = os.path.relpath(release, self.link.parent)
        tmp = self.link.with_name(f".{self.link.name}.{os.getpid()}.tmp")
        tmp.unlink(missing_ok=True)
        os.symlink(target, tmp)
        os.replace(tmp, self.link)
        fd = os.open(self.link.parent, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)

    def rollback(self) -> Path:
        """Switch back to the release before the current one and return it."""
        current = self.current()
        older = [r for r in self.all() if current is None or r.name < current.name]
        if not older:
            raise ReleaseError("no earlier release to roll back to")
        self.switch(older[-1])
        return older[-1]

    def prune(self, keep: int = KEEP) -> list[Path]:
        """Delete old releases beyond ``keep`` and partial ones left by killed builds."""
        removed = []
        current = self.current()
        releases = self.all()
        for old in releases[:-keep] if len(releases) > keep else []:
            if old != current:
                shutil.rmtree(old, ignore_errors=True)
                removed.append(old)
        for partial in self.folder.glob(f"*{PARTIAL}") if self.folder.is_dir() else []:
            if not _owner_alive(partial):
                shutil.rmtree(partial, ignore_errors=True)
                removed.append(partial)
        return removed

    def discard(self, partial: Path) -> None:
        """Remove a release that failed its checks."""
        shutil.rmtree(partial, ignore_errors=True)


def _owner_alive(partial: Path) -> bool:
    """Tell whether the build that is writing ``partial`` is still running."""
    try:
        pid = int(partial.name.removesuffix(PARTIAL).rsplit("-", 1)[1])
    except (IndexError, ValueError):
        return False
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
