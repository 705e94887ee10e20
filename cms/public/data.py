"""What the public site shows: live entries, their lists and their rendered bodies."""

from __future__ import annotations

import bisect
import datetime as dt
import functools
import hashlib
import heapq
import os
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from zoneinfo import ZoneInfo

from ..content import Activity, Content, Entry, News, Page, Problem, Station
from ..content.moved import read_moved
from ..content.slugs import RESERVED_PAGE_SLUGS
from ..render import LinkError, Rendered, render_markdown
from ..render.caches import CachedBody, Caches
from ..render.images import scratch_renditions
from .links import make_resolver
from .pictures import Pictures


@dataclass
class Pagination:
    """One page of a list; ``number`` starts at 1."""

    items: list
    number: int
    pages: int
    total: int

    @property
    def has_prev(self) -> bool:
        return self.number > 1

    @property
    def has_next(self) -> bool:
        return self.number < self.pages


def paginate(items: list, number: int, per_page: int) -> Pagination | None:
    """Return page ``number`` of ``items``; None when it does not exist."""
    pages = max(1, -(-len(items) // per_page))
    if not 1 <= number <= pages:
        return None
    start = (number - 1) * per_page
    return Pagination(items[start : start + per_page], number, pages, len(items))


def _media_listing(root: Path, folder: str = ".") -> Iterator[tuple[str, list[str]]]:
    """Yield each folder under ``root`` with its entries by name: a symbolic link with where
    it points, a folder marked by a slash (and then listed itself)."""
    try:
        with os.scandir(root / folder) as listing:
            items = sorted(listing, key=lambda item: item.name)
    except OSError:
        return
    names = []
    for item in items:
        if item.is_symlink():
            names.append(f"{item.name} -> {os.readlink(item.path)}")
        elif item.is_dir():
            names.append(item.name + "/")
        else:
            names.append(item.name)
    yield folder, names
    for item in items:
        if item.is_dir(follow_symlinks=False):
            yield from _media_listing(root, f"{folder}/{item.name}")


def _outcome(resolve, ref: str) -> str:  # a resolver
    """Return what a reference resolves to, or the reason it does not, as one string."""
    try:
        return resolve(ref)
    except LinkError as exc:
        return f"!{exc}"


class SiteData:
    """The live view of a content folder at one moment, with indexes the routes need."""

    def __init__(
        self, content: Content, now: dt.datetime | None = None, caches: Caches | None = None
    ):
        self.content = content
        self.caches = caches = caches if caches is not None else Caches()
        self.bodies = caches.bodies
        self.site = content.site
        self.tz = ZoneInfo(self.site.timezone)
        self.now = (now or dt.datetime.now(self.tz)).astimezone(self.tz)
        self.news: list[News] = content.live("news", self.now)  # type: ignore[assignment]
        self.activities: list[Activity] = content.live("activities", self.now)  # type: ignore[assignment]
        self.stations: list[Station] = content.live("stations", self.now)  # type: ignore[assignment]
        self.pages: list[Page] = content.live("pages", self.now)  # type: ignore[assignment]
        self.live: dict[str, dict[str, Entry]] = {
            "news": {e.slug: e for e in self.news},
            "activities": {e.slug: e for e in self.activities},
            "stations": {e.slug: e for e in self.stations},
            "pages": {e.slug: e for e in self.pages},
        }
        self._rendered: dict[tuple[str, str], Rendered] = {}
        self._cache_keys: dict[tuple[str, str], bytes] = {}  # (file, version) -> cache key
        self._checked: set[tuple[str, str]] = set()  # (kind, slug) found sound by stale_bodies
        self.pictures = Pictures(
            content, self.live, caches.renditions or scratch_renditions(), caches.media
        )
        self.used_cache_keys: set[bytes] = set()  # bodies this build used
        self.used_related_keys: set[bytes] = set()
        self._related: dict[tuple[int, int], dict[str, list[str]]] = {}
        self._tag_ranks: dict[str, list[int]] = {}
        self._index()

    @functools.cached_property
    def moved(self) -> dict[str, dict[str, str]]:
        """Old names of renamed entries, {kind: {old: new}} (``content/redirects.yml``): only
        those whose entry is live under its new name and whose old name no entry took again."""
        return {
            kind: {
                old: new
                for old, new in pairs.items()
                if new in self.live[kind] and old not in self.content.entries.get(kind, {})
            }
            for kind, pairs in read_moved(self.content.root).items()
        }

    def _index(self) -> None:
        self.news_by_category: dict[str, list[News]] = defaultdict(list)
        self.news_by_tag: dict[str, list[News]] = defaultdict(list)
        self.news_by_year: dict[int, list[News]] = defaultdict(list)
        for item in self.news:
            self.news_by_category[item.category].append(item)
            for tag in item.tags:
                self.news_by_tag[tag].append(item)
            self.news_by_year[item.date.astimezone(self.tz).year].append(item)
        self.upcoming = sorted(
            (a for a in self.activities if a.ends_at > self.now),
            key=lambda a: (a.starts_at, a.slug),
        )
        self.past = [a for a in self.activities if a.ends_at <= self.now]
        self.activities_by_brand: dict[str, list[Activity]] = defaultdict(list)
        for act in self.upcoming + self.past:
            self.activities_by_brand[act.brand].append(act)
        self.stations_by_street: dict[str, list[Station]] = defaultdict(list)
        self.stations_by_type: dict[str, list[Station]] = defaultdict(list)
        for st in self.stations:
            self.stations_by_street[st.street].append(st)
            self.stations_by_type[st.type].append(st)
        self.activities_at: dict[str, list[Activity]] = defaultdict(list)
        for act in self.upcoming:
            if act.station:
                self.activities_at[act.station].append(act)

    def rendered(self, entry: Entry) -> Rendered:
        """Return the entry's body as sanitised HTML (rendered once per SiteData)."""
        key = (entry.kind, entry.slug)
        if key not in self._rendered:
            self._rendered[key] = self._render(entry)[0]
        return self._rendered[key]

    def cache_key(self, entry: Entry) -> bytes:
        """Return the render-cache key of an entry's body (its text and folder)."""
        # The file's version (a hash of its bytes) stands for its body, saving a hash of
        # every body on every build; an entry not read from a file (a preview) has none.
        if not entry.version:
            folder = entry.source.rpartition("/")[0]
            text = f"{folder}\0b\0{entry.body}"
            return hashlib.blake2b(text.encode(), digest_size=16).digest()
        memo = (entry.source, entry.version)
        if (key := self._cache_keys.get(memo)) is None:
            folder = entry.source.rpartition("/")[0]
            text = f"{folder}\0v\0{entry.version}"
            key = self._cache_keys[memo] = hashlib.blake2b(text.encode(), digest_size=16).digest()
        return key

    def stale_bodies(self) -> list[Entry]:
        """Return the live entries whose body is not in the render cache (or is outdated).

        The others are taken from the cache on the way: ``check`` need not look at those
        without broken links again.
        """
        stale = []
        for kind, entries in self.live.items():
            for slug, entry in entries.items():
                key = self.cache_key(entry)
                cached = self._cached(entry, key)
                if cached is None:
                    stale.append(entry)
                elif not cached.broken:
                    self._rendered[(kind, slug)] = cached.rendered
                    self.used_cache_keys.add(key)
                    self._checked.add((kind, slug))
        return stale

    @functools.cached_property
    def link_targets(self) -> str:
        """A digest of everything a link in a body can resolve to: the addresses of the live
        entries and the files under content/media (names, kinds, where links point).

        A cached body whose links were checked against the same digest needs no new check:
        each of its links resolves as it did then.
        """
        digest = hashlib.blake2b(digest_size=16)
        for kind, entries in self.live.items():
            digest.update("\0".join([kind, *sorted(entries), "\n"]).encode())
        for folder, names in _media_listing(self.content.root / "media"):
            digest.update("\0".join([folder, *names, "\n"]).encode())
        return digest.hexdigest()

    def _cached(self, entry: Entry, key: bytes) -> CachedBody | None:
        cached = self.bodies.get(key)
        if cached is None:
            return None
        if cached.checked_against == self.link_targets:
            return cached
        # A cached body is reused only if every link still resolves to the same place.
        resolve = make_resolver(self.content, self.live, entry.source)
        if not all(_outcome(resolve, ref) == out for ref, out in cached.outcomes.items()):
            return None
        cached.checked_against = self.link_targets
        return cached

    def render_body(self, entry: Entry) -> CachedBody:
        """Render an entry's body into the body cache (or find it there) and return it."""
        self._render(entry)
        return self.bodies.get(self.cache_key(entry))  # type: ignore[return-value]

    def _render(self, entry: Entry) -> tuple[Rendered, list[Problem]]:
        key = self.cache_key(entry)
        cached = self._cached(entry, key)
        if cached is not None:
            rendered, broken = cached.rendered, cached.broken
        else:
            # Bodies link to site paths without the base path; templates add the request's root.
            resolve = make_resolver(self.content, self.live, entry.source)
            outcomes: dict[str, str] = {}

            def recording(ref: str) -> str:
                outcomes[ref] = _outcome(resolve, ref)
                return resolve(ref)

            rendered, broken = render_markdown(entry.body, recording)
            self.bodies.put(key, CachedBody(rendered, broken, outcomes, self.link_targets))
        self.used_cache_keys.add(key)
        if not broken:
            return rendered, []
        first = entry.body_line
        problems = [
            Problem(
                f"content/{entry.source}",
                first + b.line - 1,
                "body",
                f"body: broken link {b.reason}",
            )
            for b in broken
        ]
        return rendered, problems

    def check(self) -> list[Problem]:
        """Render every live body and report broken links and reserved page slugs."""
        problems: list[Problem] = []
        for kind, entries in self.live.items():
            for slug, entry in entries.items():
                if (kind, slug) in self._checked:
                    continue
                rendered, found = self._render(entry)
                self._rendered[(kind, slug)] = rendered
                if found:
                    problems.extend(found)
        for page in self.pages:
            if page.slug in RESERVED_PAGE_SLUGS:
                problems.append(
                    Problem(
                        f"content/{page.source}",
                        0,
                        "slug",
                        f"slug {page.slug!r} is reserved for a site section",
                    )
                )
        for item in self.news:
            if item.slug.isdigit():
                problems.append(
                    Problem(
                        f"content/{item.source}",
                        0,
                        "slug",
                        f"slug {item.slug!r} would clash with the year list",
                    )
                )
        return problems

    def related(self, item: News, limit: int = 5, window: int = 15) -> list[News]:
        """Return news sharing the most tags with ``item``, newest first on ties.

        Only the ``window`` news nearest in time under each tag are weighed, so the cost per
        article stays flat however many thousands of news share a tag.
        """
        memo = self._related_memo(limit, window)
        if item.slug in memo:
            return [self.live["news"][slug] for slug in memo[item.slug]]
        positions = self._news_index()
        here = positions[item.slug]
        scores: dict[int, int] = {}
        for tag in item.tags:
            ranks = self._tag_positions(tag)
            middle = bisect.bisect_left(ranks, here)
            for rank in ranks[max(0, middle - window) : middle + window + 1]:
                if rank != here:
                    scores[rank] = scores.get(rank, 0) + 1
        best = heapq.nsmallest(limit, scores, key=lambda rank: (-scores[rank], rank))
        memo[item.slug] = [self.news[rank].slug for rank in best]
        return [self.news[rank] for rank in best]

    def _related_memo(self, limit: int, window: int) -> dict[str, list[str]]:
        """Return the related-news answers for this list of news, kept in the caches.

        They depend only on the order of the news and their tags, so an edit to a body or a
        title reuses every answer of the previous build instead of weighing 10,000 articles.
        """
        memos = self._related
        if (limit, window) not in memos:
            digest = hashlib.blake2b(f"related\0{limit}\0{window}".encode(), digest_size=16)
            for news in self.news:
                digest.update("\0".join((news.slug, *news.tags, "\n")).encode())
            key = digest.digest()
            memos[(limit, window)] = self.caches.related.setdefault(key, {})
            self.used_related_keys.add(key)
        return memos[(limit, window)]

    def _tag_positions(self, tag: str) -> list[int]:
        """Positions in the news list of the news under ``tag`` (ascending)."""
        cache = self._tag_ranks
        if tag not in cache:
            positions = self._news_index()
            cache[tag] = [positions[n.slug] for n in self.news_by_tag[tag]]
        return cache[tag]

    def neighbours(self, item: News) -> tuple[News | None, News | None]:
        """Return (newer, older) news around ``item`` in the list order."""
        index = self._news_index()[item.slug]
        newer = self.news[index - 1] if index > 0 else None
        older = self.news[index + 1] if index + 1 < len(self.news) else None
        return newer, older

    def _news_index(self) -> dict[str, int]:
        return self._positions

    @functools.cached_property
    def _positions(self) -> dict[str, int]:
        return {n.slug: i for i, n in enumerate(self.news)}

    def image_keys(self, entry: Entry) -> tuple[str, ...]:
        """Return the digests of the images an entry's page shows (cover, then body)."""
        refs = self.pictures.refs(entry, self.rendered(entry).links)
        return tuple(self.pictures.key(ref) for ref in refs)

    def rendition_names(self) -> list[str]:
        """Return every image rendition the live pages show, encoding those not cached."""
        return self.pictures.names(self._bodies())

    def unencoded_images(self) -> list[str]:
        """Return the media references shown on live pages whose renditions are not cached."""
        return self.pictures.missing(self._bodies())

    def _bodies(self) -> list[tuple[Entry, tuple[str, ...]]]:
        rendered, bodies = self._rendered, []
        for kind, items in self.live.items():
            for slug, entry in items.items():
                found = rendered.get((kind, slug)) or self.rendered(entry)
                bodies.append((entry, found.links))
        return bodies

    @functools.cached_property
    def media_allowed(self) -> frozenset[str]:
        """The media files the site publishes (``media_refs``), for serving them."""
        return frozenset(self.media_refs())

    def media_refs(self) -> list[str]:
        """Return every media file a live page uses (covers and body links), sorted."""
        refs: set[str] = set()
        for entries in self.live.values():
            for entry in entries.values():
                if getattr(entry, "cover", ""):
                    refs.add(entry.cover)  # type: ignore[attr-defined]
                refs.update(getattr(entry, "photos", ()))
                resolve = make_resolver(self.content, self.live, entry.source)
                for link in self.rendered(entry).links:
                    try:
                        path = resolve(link).partition("#")[0]
                    except LinkError:
                        continue
                    if path.startswith("/media/"):
                        refs.add(path[1:])
        return sorted(refs)
