"""Read a release's search index the way Pagefind's client does, for comparing builds.

Pagefind's bytes are not reproducible: it writes the values of each filter in hash-map order,
which changes from run to run (and with them the file names that hold a digest of the bytes).
What a search shows is: each page's fragment (its URL, words, title and filter values), so
builds are compared on those, and byte for byte on every other file.
"""

from __future__ import annotations

import gzip
import json
from pathlib import Path

FOLDER = "pagefind/"


def fragments(site: Path) -> dict[str, dict]:
    """{page URL: fragment} of a release's index; a fragment is what a search result shows."""
    found = {}
    for path in (Path(site) / "pagefind" / "fragment").iterdir():
        data = gzip.decompress(path.read_bytes()).removeprefix(b"pagefind_dcd")
        fragment = json.loads(data)
        found[fragment["url"]] = fragment
    return found


def outside_index(files: dict[str, bytes]) -> dict[str, bytes]:
    """The files of a release other than its search index."""
    return {name: data for name, data in files.items() if not name.startswith(FOLDER)}


def index_part(files: dict[str, bytes]) -> dict[str, bytes]:
    """The search index's part of ``files``."""
    return {name: data for name, data in files.items() if name.startswith(FOLDER)}
