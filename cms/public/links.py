"""Resolve references written in Markdown bodies to public paths, or say why they are broken."""

from __future__ import annotations

import posixpath
from collections.abc import Callable
from urllib.parse import unquote

from ..content import Content, Entry
from ..render import LinkError
from .urls import PREFIX, entry_path

SECTIONS = {"/", "/news/", "/activities/", "/stations/", "/search/", "/feed.xml", "/rss.xml"}


def make_resolver(
    content: Content, live: dict[str, dict[str, Entry]], source: str, prefix: str = ""
) -> Callable[[str], str]:
    """Return a resolver for links in the file ``source`` (``news/x.md``).

    Accepted forms: relative file paths (``../stations/a.md``, ``../media/2021/b.jpg``),
    content-root paths (``media/2021/b.jpg``) and site paths (``/news/x/``); the result is a
    site path carrying the site's base path ``prefix``.
    """
    here = posixpath.dirname(source)

    def resolve(ref: str) -> str:
        target, hash_, fragment = ref.partition("#")
        target = unquote(target.partition("?")[0])
        if target.startswith("/"):
            path = _site_path(target, live)
        else:
            rel = posixpath.normpath(posixpath.join(here, target))
            if rel.startswith("media/") or target.startswith("media/"):
                rel = rel if rel.startswith("media/") else target
                if content.media_file(rel) is None:
                    raise LinkError(f"{ref}: no such media file")
                path = "/" + rel
            else:
                path = _entry_file(rel, live, ref)
        return prefix + path + (hash_ + fragment if fragment else "")

    return resolve


def _entry_file(rel: str, live: dict[str, dict[str, Entry]], ref: str) -> str:
    kind, _, name = rel.partition("/")
    if kind not in PREFIX or "/" in name or not name.endswith(".md"):
        raise LinkError(f"{ref}: not a link to an entry file like ../news/slug.md")
    entry = live.get(kind, {}).get(name[:-3])
    if entry is None:
        raise LinkError(f"{ref}: no published {kind} entry {name[:-3]!r}")
    return entry_path(entry)


def _site_path(path: str, live: dict[str, dict[str, Entry]]) -> str:
    if path in SECTIONS:
        return path
    for kind, prefix in PREFIX.items():
        rest = path[len(prefix) :] if path.startswith(prefix) else ""
        slug = rest.rstrip("/")
        if rest.endswith("/") and "/" not in slug and slug in live.get(kind, {}):
            return path
    raise LinkError(f"{path}: no published page at this address")
