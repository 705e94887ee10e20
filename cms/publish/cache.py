"""The build cache: parsed entries and rendered bodies kept between builds.

It lives in ``site.releases/.cache/`` and is only an accelerator: deleting it is always safe,
and it is discarded whenever the code or theme changes (``code_version``).
"""

from __future__ import annotations

import functools
import gc
import hashlib
import pickle
from pathlib import Path
from typing import TYPE_CHECKING

from ..content import write_atomic

if TYPE_CHECKING:
    from .build import _Manifest
    from .freeze import Plan

PACKAGE = Path(__file__).resolve().parents[1]
# What shapes the built files: the admin and the CLI do not.
SOURCES = [PACKAGE / name for name in ("content", "render", "maps", "public", "publish")]
SOURCES.append(PACKAGE.parent / "themes")


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
    """Three dicts the builder hands to the content loader, the renderer and the site's
    pictures (what it learnt of each media file); and the plan of the last build
    (``freeze.Plan``) and the manifest of its release, which a fresh process brings up to date
    after an edit instead of working them out again.

    They are pickled together, so the plan's live entries are the very objects the content
    cache hands back for unchanged files.
    """

    def __init__(self, folder: Path, persist: bool = True):
        self.file = Path(folder) / "cache.pickle"
        self.templates = Path(folder) / "templates"  # compiled by Jinja, checked by it
        self.persist = persist
        self.content: dict = {}
        self.rendered: dict = {}
        self.media: dict = {}  # what was learnt of each media file (``Pictures.known``)
        self.plan: Plan | None = None  # the last build's addresses and tokens
        self.manifest: _Manifest | None = None  # the manifest of the release it made live
        if persist:
            self._load()

    def _load(self) -> None:
        # Hundreds of thousands of objects come back at once: the cyclic collector would scan
        # them again and again while they are made (more than half the load time at 10,000).
        collecting = gc.isenabled()
        gc.disable()
        try:
            with open(self.file, "rb") as handle:
                version, content, rendered, media, plan, manifest = pickle.load(handle)  # noqa: S301
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
        if version == code_version():
            self.content, self.rendered, self.media = content, rendered, media
            self.plan, self.manifest = plan, manifest

    def keep_only(self, used: set) -> None:
        """Forget rendered bodies no live entry uses any more."""
        for key in set(self.rendered) - used:
            del self.rendered[key]

    def save(self) -> None:
        if self.persist:
            state = (
                code_version(), self.content, self.rendered, self.media, self.plan, self.manifest
            )
            data = pickle.dumps(state, protocol=pickle.HIGHEST_PROTOCOL)
            write_atomic(self.file, data)
