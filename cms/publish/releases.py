"""Release folders and the ``site`` symlink: atomic switch, rollback, pruning.

``site`` is a symlink to ``site.releases/<id>``. A new release is written beside the live one
and the link is replaced with ``rename``, so a web server sees the old site or the new one,
never a mix.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import time
from collections.abc import Callable
from pathlib import Path

from .manifest import path_of as manifest_path

KEEP = 5
PARTIAL = ".partial"
TRASH = ".trash"
SPARE = ".spare"


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
        path = self._partial_path()
        path.mkdir()
        return path

    def _partial_path(self) -> Path:
        stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S%fZ")
        return self.folder / f"{stamp}-{os.getpid()}{PARTIAL}"

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

    def prune(self, keep: int = KEEP, wait: bool = False) -> list[Path]:
        """Retire old releases beyond ``keep`` and partial ones left by killed builds.

        Retired folders are renamed into ``.trash/`` at once and deleted by a detached
        process, so a publish never waits for thousands of files to be unlinked.
        """
        retired, spares = [], []
        current = self.current()
        releases = self.all()
        for old in releases[:-keep] if len(releases) > keep else []:
            if old != current:
                retired.append(old)
        for partial in self.folder.glob(f"*{PARTIAL}") if self.folder.is_dir() else []:
            if not _owner_alive(partial):
                retired.append(partial)
        folder = self.folder / SPARE
        for spare in folder.iterdir() if folder.is_dir() else []:
            # A spare copies the live release; any other is stale (a rollback, a newer build).
            if spare.name.endswith(PARTIAL):
                if not _owner_alive(spare):
                    spares.append(spare)
            elif current is None or spare.name != current.name:
                spares.append(spare)
        for path in retired:
            self._retire(path)
        for path in spares:
            self._retire(path, manifest=False)
        self.empty_trash(wait)
        return retired

    def spare_for(self, release: Path) -> Path:
        """Return where the spare copy of ``release`` lives once it is complete."""
        return self.folder / SPARE / release.name

    def new_spare(self, release: Path) -> Path:
        """Create and return the folder a spare copy of ``release`` is written into."""
        (self.folder / SPARE).mkdir(parents=True, exist_ok=True)
        path = self.folder / SPARE / f"{release.name}-{os.getpid()}{PARTIAL}"
        path.mkdir()
        return path

    def take_spare(self, release: Path, wait: float = 30.0) -> Path | None:
        """Claim the complete spare copy of ``release`` as a new partial release, or None.

        A spare still being written by a live process is waited for (it is further along
        than a new copy would be); the claim is a rename, so only one build can win it.
        """
        folder = self.folder / SPARE
        deadline = time.monotonic() + wait
        while True:
            partial = self._partial_path()
            try:
                os.rename(self.spare_for(release), partial)
                return partial
            except FileNotFoundError:
                pass
            writing = [
                p for p in folder.glob(f"{release.name}-*{PARTIAL}") if _owner_alive(p)
            ] if folder.is_dir() else []
            if not writing or time.monotonic() > deadline:
                return None
            time.sleep(0.01)

    def discard(self, partial: Path) -> None:
        """Remove a release that failed its checks."""
        self._retire(partial)
        self.empty_trash()

    def _retire(self, path: Path, manifest: bool = True) -> None:
        trash = self.folder / TRASH
        trash.mkdir(parents=True, exist_ok=True)
        try:
            os.replace(path, trash / f"{path.name}.{os.getpid()}.{time.monotonic_ns()}")
        except FileNotFoundError:  # claimed or retired meanwhile by another build
            return
        if manifest:
            manifest_path(self.folder, path).unlink(missing_ok=True)

    def empty_trash(self, wait: bool = False) -> None:
        """Delete the trash folder's contents in a detached process (or now, if ``wait``)."""
        trash = self.folder / TRASH
        if not trash.is_dir() or not any(trash.iterdir()):
            return
        if wait:
            for item in trash.iterdir():
                shutil.rmtree(item, ignore_errors=True)
            return
        batch = self.folder / f".trash-{os.getpid()}-{time.monotonic_ns()}"
        os.replace(trash, batch)
        _detached(["rm", "-rf", "--", str(batch)])


def _detached(command: list[str]) -> None:
    """Run a command in a grandchild that outlives us and that nobody has to wait for."""
    detached(lambda: os.execvp(command[0], command))


def detached(work: Callable[[], object]) -> None:
    """Run ``work`` in a forked grandchild that outlives us and that nobody has to wait for."""
    pid = os.fork()
    if pid == 0:  # child: start the grandchild and leave at once
        try:
            if os.fork() == 0:
                os.setsid()
                devnull = os.open(os.devnull, os.O_RDWR)
                for fd in (0, 1, 2):
                    os.dup2(devnull, fd)
                work()
        finally:
            os._exit(0)
    os.waitpid(pid, 0)


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
