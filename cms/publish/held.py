"""Entries a build sets aside so that one broken file never stops everything else publishing.

The admin refuses broken references where they are made, so what is left are files edited by
hand (or by a script). Such an entry is put back as the last build published it (the plan
kept in the build cache holds the live entries), or else as the admin last saved it when that
was published, so the public keeps seeing it; otherwise it is left out. Either way it is
named, by title and file:line, in the build's warnings. ``build.py build --strict`` does
without this and publishes nothing while any entry is broken.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from ..content import Content, Entry, Problem
from ..content.store import references
from ..content.writer import last_saved
from ..public.urls import entry_path

_ENTRY_FILE = re.compile(r"content/(?P<kind>news|activities|stations|pages)/(?P<slug>[^/]+)\.md")
_TITLE = re.compile(r"^(?:title|name):\s*(?P<title>.+?)\s*$", re.MULTILINE)
_PAGE = re.compile(r"/(?P<page>\S+?): broken link ")


@dataclass
class Held:
    """One entry set aside: what is wrong with it and whether its last saved version stays."""

    path: str  # content/news/x.md
    title: str
    problems: list[str] = field(default_factory=list)  # "content/news/x.md:8: …"
    kept: bool = False  # the version the admin last saved is published instead

    def __str__(self) -> str:
        outcome = "网站上保留它上一版" if self.kept else "它暂不上线（没有可用的上一版）"
        return f"《{self.title}》有误，{outcome}，请修改后再发布：" + "；".join(self.problems)


class SetAside:
    """The entries one build holds back; each is held again when the build starts over."""

    def __init__(self, root: Path, live_before: dict[str, list] | None = None):
        """``live_before``: the entries the last build published, by kind (its plan's)."""
        self.root = Path(root)
        self.held: dict[str, Held] = {}
        self._before = {
            kind: {entry.slug: entry for entry in entries}
            for kind, entries in (live_before or {}).items()
        }
        self._entries: dict[str, dict[str, Entry]] = {}

    def apply(self, content: Content, problems: list[Problem]) -> list[Problem]:
        """Hold back every entry a problem names, until the rest checks out.

        Returns the problems no entry carries (site.yml): those still stop the build.
        """
        self._entries = content.entries
        for path, held in self.held.items():
            kind, slug = _ENTRY_FILE.fullmatch(path).group("kind", "slug")  # type: ignore[union-attr]
            self._replace(kind, slug, held.kept)
        rest: list[Problem] = []
        if problems:  # cross references are checked again below, once the rest is in place
            made = set(references(content))
            problems = [p for p in problems if p not in made] or list(made)
        while problems:
            for problem in problems:
                if not self.hold(problem.path, str(problem)):
                    rest.append(problem)
            problems = [p for p in references(content) if p.path not in {r.path for r in rest}]
        content.problems = rest
        return rest

    def hold(self, path: str, problem: str) -> bool:
        """Hold back the entry of ``path`` for ``problem``; False if no entry file is named."""
        found = _ENTRY_FILE.fullmatch(path)
        if found is None:
            return False
        kind, slug = found.group("kind", "slug")
        held = self.held.get(path)
        if held is None:
            held = self.held[path] = Held(path, self._title(kind, slug))
            current = self._entries.get(kind, {}).get(slug)
            # A readable entry that is not published is not on the site: nothing to keep.
            keep = current is None or current.status == "published"
            held.kept = self._replace(kind, slug, keep)
        elif held.kept:  # the kept version is itself broken now (a reference it makes)
            held.kept = self._replace(kind, slug, keep=False)
        if problem not in held.problems:
            held.problems.append(problem)
        return True

    def hold_pages(self, messages: list[str]) -> bool:
        """Hold back the entries whose own pages have the broken links of ``messages``.

        Returns False when a message is about a page that is no entry's (nothing to set
        aside), or names only entries already left out: the build cannot go on then.
        """
        pages = {
            entry_path(entry).lstrip("/") + "index.html": entry
            for bucket in self._entries.values()
            for entry in bucket.values()
        }
        culprits: list[tuple[Entry, str]] = []
        for message in messages:
            found = _PAGE.match(message)
            entry = pages.get(found.group("page")) if found else None
            # Only a link written in the body is the entry's doing (not the theme's stylesheet).
            if entry is None or message[found.end() :] not in entry.body:  # type: ignore[union-attr]
                return False
            culprits.append((entry, message))
        progress = False
        for entry, message in culprits:
            path = f"content/{entry.source}"
            before = self.held.get(path)
            if before is not None and not before.kept:
                continue
            problem = f"{path}:{entry.body_line}: body: {message.partition(': ')[2]}"
            progress = self.hold(path, problem) or progress
        return progress

    def _replace(self, kind: str, slug: str, keep: bool) -> bool:
        """Put the live or last saved version in place of the entry (or take it out); True if
        one was put back."""
        bucket = self._entries.setdefault(kind, {})
        saved = self._good(kind, slug) if keep else None
        if saved is None:
            bucket.pop(slug, None)
            return False
        bucket[slug] = saved
        return True

    def _good(self, kind: str, slug: str) -> Entry | None:
        return self._before.get(kind, {}).get(slug) or last_saved(self.root, kind, slug)

    def _title(self, kind: str, slug: str) -> str:
        entry = self._entries.get(kind, {}).get(slug) or self._good(kind, slug)
        if entry is not None:
            return entry.title_text
        try:
            text = (self.root / kind / f"{slug}.md").read_text(encoding="utf-8", errors="replace")
        except OSError:
            return slug
        found = _TITLE.search(text)
        return found.group("title").strip("'\"") if found else slug
