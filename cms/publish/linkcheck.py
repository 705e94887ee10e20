"""Check a frozen release: every internal link and asset must point at a file in it."""

from __future__ import annotations

import posixpath
from pathlib import Path
from urllib.parse import unquote, urlsplit

from lxml import html as lxml_html

ATTRIBUTES = (
    ("a", "href"),
    ("link", "href"),
    ("img", "src"),
    ("script", "src"),
    ("source", "src"),
    ("iframe", "src"),
)


def missing(found: dict[str, str], files: set[str]) -> list[str]:
    """Return the messages of link targets (site paths) that are not among ``files``."""
    return [message for target, message in found.items() if not _exists(files, target)]


def links_in(root: Path, page: Path, prefix: str = "") -> dict[str, str]:
    """Return {site path: reference as written} of every internal link of an HTML page."""
    try:
        tree = lxml_html.fromstring(page.read_bytes())
    except (ValueError, SyntaxError):
        return {"\0unparseable": f"{page.relative_to(root)} is not parseable HTML"}
    base = "/" + page.relative_to(root).parent.as_posix()
    targets: dict[str, str] = {}
    for tag, attr in ATTRIBUTES:
        for element in tree.iter(tag):
            for ref in _refs(element, attr):
                target = _target(ref, base, prefix)
                if target is not None:
                    targets.setdefault(target, ref)
    return targets


def _refs(element, attr: str) -> list[str]:  # an lxml element
    refs = [element.get(attr)] if element.get(attr) else []
    srcset = element.get("srcset")
    if srcset:
        refs.extend(part.strip().split(" ")[0] for part in srcset.split(",") if part.strip())
    return refs


def _target(ref: str, base: str, prefix: str) -> str | None:
    """Return the site path a reference points at, or None when it leaves the site."""
    parts = urlsplit(ref)
    if parts.scheme or parts.netloc or not parts.path:
        return None
    path = parts.path if parts.path.startswith("/") else f"{base.rstrip('/')}/{parts.path}"
    if prefix and path.startswith(prefix + "/"):
        path = path[len(prefix) :]
    return unquote(path)


def _exists(files: set[str], path: str) -> bool:
    path = posixpath.normpath(path) + ("/" if path.endswith("/") and path != "/" else "")
    return (path + "index.html" if path.endswith("/") else path) in files
