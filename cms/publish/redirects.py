"""The nginx ``map`` of moved addresses, so that a web server answers them with a real 301.

Each build writes ``deploy/redirects.map`` beside the output link (``/srv/yizhan/site`` →
``/srv/yizhan/deploy/redirects.map``; for the demo, the project's ``deploy/``), one line per old
address whose new page is in the live release; ``deploy/nginx.conf`` includes it in a ``map``.
The static page at the old address still sends readers on where the map is not used.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

from ..content.moved import read_moved
from ..content.reader import read_site
from ..content.store import write_atomic

PREFIX = {"news": "news/", "activities": "activities/", "stations": "stations/", "pages": ""}
HEADER = "# Written by each build from content/redirects.yml (修改网址): old and new address.\n"


def map_path(output: Path) -> Path:
    """Return where the map of the site published at ``output`` is written."""
    return Path(output).absolute().parent / "deploy" / "redirects.map"


def write_map(content_root: Path, release: Path, output: Path) -> Path | None:
    """Write the map for ``release`` if it changed; return its path (None without a site)."""
    moved, path = read_moved(content_root), map_path(output)
    if not moved and not path.exists():  # nothing renamed yet: a no-change build stays cheap
        return None
    site, _ = read_site(Path(content_root) / "site.yml")
    if site is None:
        return None
    root = urlsplit(site.base_url).path.rstrip("/") + "/"
    lines = []
    for kind, pairs in sorted(moved.items()):
        for old, new in sorted(pairs.items()):
            if (release / PREFIX[kind] / new / "index.html").is_file():
                lines.append(f"{root}{PREFIX[kind]}{old}/ {root}{PREFIX[kind]}{new}/;\n")
    text = HEADER + "".join(lines)
    if not path.exists() and not lines:
        return None
    if not path.exists() or path.read_text(encoding="utf-8") != text:
        path.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(path, text.encode("utf-8"))
    return path
