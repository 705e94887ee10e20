"""The build cache: parsed entries and rendered bodies kept between builds.

It lives in ``site.releases/.cache/`` and is only an accelerator: deleting it is always safe,
and it is discarded whenever the code or theme changes (``code_version``).
"""

from __future__ import annotations

import fcntl
import functools
import gc
import hashlib
import os
import pickle
import time
from pathlib import Path
from typing import TYPE_CHECKING

from ..content import write_atomic
from ..render.caches import BodyCache, Caches
from ..render.images import Renditions
from .manifest import Manifest

if TYPE_CHECKING:
    from .freeze import Plan

PACKAGE = Path(__file__).resolve().parents[1]
# What shapes the built files: the admin and the CLI do not.
SOURCES = [PACKAGE / name for name in ("geo", "content", "render", "maps", "public", "publish")]
SOURCES.append(PACKAGE.parent / "themes")
# How long a build waits for the previous build's process to finish saving the cache.
SAVE_WAIT = 30.0


@functools.cache
def code_version() -> str:
    """Return a digest of the code and the theme: any change invalidates caches and manifests."""
    digest = hashlib.blake2b(digest_size=16)
    for root in SOURCES:
        for path in sorted(root.rglob("*")):
            if path.is_file() and "node_modules" not in path.parts and path.suffix != ".pyc":
                digest.update(path.relative_to(PACKAGE.parent).as_posix().encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()


class BuildCache:
    """What a builder keeps: the content loader's parsed files, the apps' ``Caches`` (bodies,
    related news, what was learnt of each media file, renditions, compiled templates), and
    the plan of the last build (``freeze.Plan``) and the manifest of its release, which a
    fresh process brings up to date after an edit instead of working them out again.

    They are pickled together (renditions and templates are folders of their own), so the
    plan's live entries are the very objects the content cache hands back for unchanged files.
    """

    def __init__(self, folder: Path, persist: bool = True):
        self.file = Path(folder) / "cache.pickle"
        self.persist = persist
        self.content: dict = {}
        self.caches = Caches(
            renditions=Renditions(Path(folder) / "renditions"),  # named by content hash
            templates=Path(folder) / "templates" if persist else None,  # checked by Jinja
            remember_urls=True,  # a builder's app lives for one build
        )
        self.plan: Plan | None = None  # the last build's addresses and tokens
        self.manifest: Manifest | None = None  # the manifest of the release it made live
        self._saving: int | None = None  # see saving()
        if persist:
            self._load()

    def saving(self) -> None:
        """Mark the cache as about to be saved, until ``saved()`` in every process that holds
        the mark (it is a lock on an open file: a detached child that saves after its parent
        has exited keeps it). A build starting meanwhile waits for the save, then loads."""
        self.file.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.file.parent / "saving.lock", os.O_RDWR | os.O_CREAT, 0o600)
        fcntl.flock(fd, fcntl.LOCK_EX)
        self._saving = fd

    def saved(self) -> None:
        """Drop this process's hold of the mark ``saving()`` made (if any)."""
        fd, self._saving = self._saving, None
        if fd is not None:
            os.close(fd)

    def _wait_for_saving(self) -> None:
        """Wait (up to SAVE_WAIT seconds) while another build is saving the cache: loading
        it then is faster than working everything out again."""
        try:
            fd = os.open(self.file.parent / "saving.lock", os.O_RDONLY)
        except OSError:
            return
        try:
            deadline = time.monotonic() + SAVE_WAIT
            while True:
                try:
                    fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
                    return
                except BlockingIOError:
                    if time.monotonic() > deadline:
                        return
                    time.sleep(0.01)
        finally:
            os.close(fd)  # also releases the shared lock

    def _load(self) -> None:
        self._wait_for_saving()
        # Hundreds of thousands of objects come back at once: the cyclic collector would scan
        # them again and again while they are made (more than half the load time at 10,000).
        collecting = gc.isenabled()
        gc.disable()
        try:
            with open(self.file, "rb") as handle:
                version, content, bodies, related, media, plan, manifest = pickle.load(handle)
        except (
            OSError,
            EOFError,
            pickle.UnpicklingError,
            ValueError,
            TypeError,
            AttributeError,
            ImportError,
        ):
            return
        finally:
            if collecting:
                gc.enable()
        if version == code_version() and isinstance(bodies, BodyCache):
            self.content, self.plan, self.manifest = content, plan, manifest
            caches = self.caches
            caches.bodies, caches.related, caches.media = bodies, related, media

    def save(self) -> None:
        try:
            if self.persist:
                caches = self.caches
                state = (
                    code_version(),
                    self.content,
                    caches.bodies,
                    caches.related,
                    caches.media,
                    self.plan,
                    self.manifest,
                )
                data = pickle.dumps(state, protocol=pickle.HIGHEST_PROTOCOL)
                write_atomic(self.file, data)
        finally:
            self.saved()
