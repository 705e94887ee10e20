"""The build cache: parsed entries and rendered bodies kept between builds.

It lives in ``site.releases/.cache/`` and is only an accelerator: deleting it is always safe,
and it is discarded whenever the code or theme changes (``code_version``).
"""

from __future__ import annotations

import functools
import hashlib
import pickle
from pathlib import Path

from ..content import write_atomic

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
    """Two dicts the builder hands to the content loader and the renderer."""

    def __init__(self, folder: Path, persist: bool = True):
        self.file = Path(folder) / "cache.pickle"
        self.persist = persist
        self.content: dict = {}
        self.rendered: dict = {}
        if persist:
            self._load()

    def _load(self) -> None:
        try:
            with open(self.file, "rb") as handle:
                version, content, rendered = pickle.load(handle)  # noqa: S301 - our own file
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
        if version == code_version():
            self.content, self.rendered = content, rendered

    def keep_only(self, used: set) -> None:
        """Forget rendered bodies no live entry uses any more."""
        for key in set(self.rendered) - used:
            del self.rendered[key]

    def save(self) -> None:
        if self.persist:
            data = pickle.dumps(
                (code_version(), self.content, self.rendered), protocol=pickle.HIGHEST_PROTOCOL
            )
            write_atomic(self.file, data)
