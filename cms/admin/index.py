"""An in-memory index of the content folder that re-reads only the files that changed.

Loading 10,000 entry files takes seconds; listing them must not. Each refresh stats the
folders (``os.scandir`` gives size and mtime without extra calls) and parses only files whose
size or mtime changed, so list pages stay fast however many entries there are.
"""

from __future__ import annotations

import os
import threading
from dataclasses import dataclass, field
from pathlib import Path

from ..content import KINDS, Content, ContentError, Entry, Problem
from ..content.reader import context_for, read_entry, read_site


@dataclass
class _Kind:
    stamps: dict[str, tuple[int, int, int]] = field(default_factory=dict)
    entries: dict[str, Entry] = field(default_factory=dict)
    problems: dict[str, list[Problem]] = field(default_factory=dict)


class ContentIndex:
    """Cached, incrementally refreshed view of a content folder."""

    def __init__(self, root: Path | str):
        self.root = Path(root)
        self._lock = threading.Lock()
        self._site_stamp: tuple[int, int] | None = None
        self._site = None
        self._kinds = {kind: _Kind() for kind in KINDS}
        self._snapshot: Content | None = None
        self.generation = 0  # bumped whenever anything changed

    def content(self) -> Content:
        """Return the content as it is on disk now (entries of every status)."""
        with self._lock:
            changed = self._refresh()
            if changed or self._snapshot is None:
                self.generation += 1
                problems = [
                    p for k in self._kinds.values() for ps in k.problems.values() for p in ps
                ]
                self._snapshot = Content(
                    root=self.root,
                    site=self._site,
                    entries={kind: dict(k.entries) for kind, k in self._kinds.items()},
                    problems=problems,
                )
            return self._snapshot

    def _refresh(self) -> bool:
        site_file = self.root / "site.yml"
        stat = site_file.stat()
        stamp = (stat.st_mtime_ns, stat.st_size)
        changed = False
        if stamp != self._site_stamp:
            site, problems = read_site(site_file)
            if site is None:
                raise ContentError(problems)
            self._site, self._site_stamp = site, stamp
            self._kinds = {kind: _Kind() for kind in KINDS}  # vocabularies may have changed
            changed = True
        ctx = context_for(self._site)
        for kind in KINDS:
            changed |= self._refresh_kind(kind, ctx)
        return changed

    def _refresh_kind(self, kind: str, ctx) -> bool:  # a fields.Context
        state = self._kinds[kind]
        folder = self.root / kind
        seen: dict[str, tuple[int, int, int]] = {}
        changed = False
        try:
            scan = list(os.scandir(folder))
        except FileNotFoundError:
            scan = []
        for item in scan:
            if not item.name.endswith(".md") or item.name.startswith("."):
                continue
            slug = item.name[:-3]
            st = item.stat()
            stamp = (st.st_mtime_ns, st.st_size, st.st_ino)
            seen[slug] = stamp
            if state.stamps.get(slug) == stamp:
                continue
            changed = True
            entry, problems = read_entry(Path(item.path), kind, ctx, f"content/{kind}/{item.name}")
            state.stamps[slug] = stamp
            state.entries.pop(slug, None)
            state.problems.pop(slug, None)
            if entry is not None:
                state.entries[slug] = entry
            if problems:
                state.problems[slug] = problems
        for slug in set(state.stamps) - set(seen):
            changed = True
            state.stamps.pop(slug)
            state.entries.pop(slug, None)
            state.problems.pop(slug, None)
        return changed
