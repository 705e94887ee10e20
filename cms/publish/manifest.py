"""A release's manifest: every file it holds with the token it was made from, the code and
settings version that made it, and whether its search index is complete.

It is written beside the release (``site.releases/<release>.json``) once the release is live,
read by the next build to know what it may reuse, kept in the build cache between processes,
and removed with the release.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from ..content import write_atomic


def path_of(folder: Path, release: Path) -> Path:
    """Return where the manifest of ``release`` lives in ``folder``: a release's name has no
    dot but that of a suffix (``.partial`` while it is built), which the manifest's drops."""
    return folder / f"{release.name.partition('.')[0]}.json"


@dataclass
class Manifest:
    """{target key: (token, file)} of one release, and its index state."""

    release: Path
    version: str
    files: dict
    indexed: bool = False

    def describes(self, release: Path | None) -> bool:
        # By name: the cache lives beside the releases, but a process may reach them by
        # another path.
        return release is not None and self.release.name == release.name

    # Pickled (in the build cache) as columns: a fresh process makes one list per file less.
    def __getstate__(self) -> tuple:
        files = self.files
        columns = list(files), [f[0] for f in files.values()], [f[1] for f in files.values()]
        return self.release, self.version, columns, self.indexed

    def __setstate__(self, state: tuple) -> None:
        self.release, self.version, (keys, tokens, paths), self.indexed = state
        self.files = dict(zip(keys, zip(tokens, paths, strict=True), strict=True))

    @classmethod
    def read(cls, folder: Path, release: Path | None, version: str) -> Manifest | None:
        """Return the manifest of ``release`` when it was made by this ``version``, else None."""
        if release is None:
            return None
        try:
            data = json.loads(path_of(folder, release).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        if data.get("code") != version:
            return None
        files = {key: tuple(made) for key, made in data["files"].items()}
        return cls(release, version, files, data.get("indexed") is True)

    def write(self, folder: Path) -> None:
        """Write the manifest beside its release (not yet indexed)."""
        files = {key: list(made) for key, made in self.files.items()}
        data = {"code": self.version, "files": files, "indexed": self.indexed}
        text = json.dumps(data, ensure_ascii=False, sort_keys=True)
        path_of(folder, self.release).write_text(text, encoding="utf-8")

    def mark_indexed(self, folder: Path) -> None:
        """Record, here and in the file, that the release's search index is complete."""
        self.indexed = True
        mark_indexed(folder, self.release)


def mark_indexed(folder: Path, release: Path) -> None:
    """Record in a release's manifest file that its search index is complete."""
    path = path_of(folder, release)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return  # no manifest: the next build renders everything and indexes anyway
    data["indexed"] = True
    write_atomic(path, json.dumps(data, ensure_ascii=False, sort_keys=True).encode("utf-8"))
