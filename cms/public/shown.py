"""What each page shows, as plain values: a page whose token of these is unchanged need not be
rendered again (``cms.publish.tokens`` hashes them).

A page shows the whole entry (its file version) on its own page, a card (title, date,
summary…) on lists, a link (title) in "related" boxes. Activity states are included since they
change with the clock. The incremental-build tests compare incremental and full builds byte for
byte, so a page kind whose ``shows`` misses something fails them.
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Iterable

from ..content import Activity, Entry, News, Station
from .data import SiteData, paginate
from .kinds import PageKind, sitemap_pages
from .numbers import figures


def full(entry: Entry) -> tuple:
    return (entry.kind, entry.slug, entry.version)


def link(entry: Entry) -> tuple:
    return (entry.slug, entry.title_text, entry.sort_time.isoformat())


def card(entry: Entry, data: SiteData) -> tuple:
    if isinstance(entry, News):
        return (
            entry.slug,
            entry.title,
            entry.date.isoformat(),
            entry.category,
            entry.summary,
            entry.cover,
            data.pictures.key(entry.cover),
        )
    if isinstance(entry, Activity):
        return (
            entry.slug,
            entry.title,
            entry.starts_at.isoformat(),
            entry.ends_at.isoformat(),
            entry.brand,
            entry.street,
            entry.venue,
            entry.state(data.now),
        )
    if isinstance(entry, Station) and entry.photos:  # the finder's rows show the first
        return (*full(entry), data.pictures.key(entry.photos[0]))
    return full(entry)


def face(entry: Entry, data: SiteData) -> tuple | None:
    """Return everything pages other than an entry's own show of it or depend on.

    Its card and link, last change, tags, author, station, cover and the links of its body
    (the images and files it uses); None when its body is not in the body cache.
    """
    cached = data.bodies.get(data.cache_key(entry))
    if cached is None:
        return None
    return (
        card(entry, data),
        link(entry),
        entry.modified.isoformat(),
        tuple(getattr(entry, "tags", ())),
        getattr(entry, "author", ""),
        getattr(entry, "station", ""),
        getattr(entry, "cover", ""),
        cached.rendered.links,
    )


class Shown:
    """What the pages of one SiteData show; parts shared by many pages are worked out once."""

    def __init__(self, data: SiteData, kinds: Iterable[PageKind] = ()):
        self.data = data
        self.kinds = list(kinds)
        self._memo: dict[str, str] = {}
        self._cards_memo: dict[int, bytes] = {}  # id(entry): entries live as long as data

    # Parts that many page kinds share.

    def nothing(self, values: dict) -> tuple:
        """A page that shows only settings and code (both are part of the build's version)."""
        return ()

    def values(self, values: dict) -> dict:
        """A file named by its values: the same name is the same bytes (renditions)."""
        return values

    def search(self, values: dict) -> tuple:
        """The search page: without scripts it links the news categories and the streets."""
        return (sorted(self.data.news_by_category), sorted(self.data.stations_by_street))

    def all_stations(self, values: dict) -> str:
        return self._all("stations")

    def all_activities(self, values: dict) -> str:
        return self._all("activities")

    def latest_news(self, values: dict) -> list:
        """The feeds: the newest news in full."""
        return [full(n) for n in self.data.news[: self.data.site.feed_size]]

    def news_summaries(self, values: dict) -> str:
        """One digest of what /api/v1/news.json shows of each live news entry, in its order:
        the card, the tags and the author (not the body: an edit of it leaves the file as is)."""
        if "news-summaries" not in self._memo:
            digest = hashlib.blake2b(digest_size=16)
            for entry in self.data.news:
                digest.update(self._card(entry) + repr((entry.tags, entry.author)).encode())
            self._memo["news-summaries"] = digest.hexdigest()
        return self._memo["news-summaries"]

    @functools.cached_property
    def _sitemap(self) -> list:
        return [
            (e, sorted(v.items()), m and m.isoformat())
            for e, v, m in sitemap_pages(self.kinds, self.data)
        ]

    def sitemap(self, values: dict) -> list:
        """Every page of the sitemap with its last change."""
        return self._sitemap

    def figures(self, values: dict) -> object:
        """The figures and their day: they change as activities end, with no file changing."""
        return figures(self.data)

    # Lists.

    def home(self, values: dict) -> tuple:
        data = self.data
        return (
            self._cards(data.news[:6]),
            self._cards(data.upcoming[:4]),
            self._all("stations"),
            self._nav(),
        )

    def news_list(self, values: dict, items: list) -> tuple:
        return (self._paged_cards(items, values), self._nav())

    def activities_index(self, values: dict) -> tuple:
        data = self.data
        return (
            self._cards(data.upcoming),
            self._cards(data.past[:10]),
            len(data.past) > 10,
            self._nav(),
        )

    def past_activities(self, values: dict) -> tuple:
        return self._paged_cards(self.data.past, values)

    def brand(self, values: dict) -> tuple:
        # Its menu lists the brands that have activities.
        return (self._cards(self.data.activities_by_brand[values["key"]]), self._nav())

    def street(self, values: dict) -> list:
        return [full(s) for s in self.data.stations_by_street[values["key"]]]

    def station_type(self, values: dict) -> list:
        return [full(s) for s in self.data.stations_by_type[values["key"]]]

    # One entry's pages.

    def entry(self, kind: str, values: dict) -> tuple:
        """A page or file that shows one entry whole and nothing else."""
        return full(self.data.live[kind][values["slug"]])

    def news_detail(self, values: dict) -> tuple:
        data = self.data
        item = data.live["news"][values["slug"]]
        newer, older = data.neighbours(item)
        return (
            full(item),
            data.image_keys(item),
            newer and link(newer),
            older and link(older),
            [link(r) for r in data.related(item)],
        )

    def activity_detail(self, values: dict) -> tuple:
        data = self.data
        item = data.live["activities"][values["slug"]]
        station = data.live["stations"].get(item.station)
        return (
            full(item),
            data.image_keys(item),
            item.state(data.now),
            station and link(station),
        )

    def station_detail(self, values: dict) -> tuple:
        data = self.data
        item = data.live["stations"][values["slug"]]
        return (
            full(item),
            data.image_keys(item),
            self._cards(data.activities_at.get(item.slug, [])),
        )

    def page(self, values: dict) -> tuple:
        item = self.data.live["pages"][values["slug"]]
        return (full(item), self.data.image_keys(item))

    def media_file(self, values: dict) -> str:
        # With the media library's description: a new focal point or alt text must be seen
        # by the incremental plan, which re-reads media tokens but not unchanged entries'.
        ref = "media/" + values["ref"]
        return self.data.pictures.file_digest(ref) + repr(self.data.pictures.info(ref))

    # Helpers.

    def _all(self, kind: str) -> str:
        """One digest of every live entry of a kind (and the activity states)."""
        if kind not in self._memo:
            digest = hashlib.blake2b(digest_size=16)
            for entry in self.data.live[kind].values():
                digest.update(f"{entry.slug}\0{entry.version}\0".encode() + self._card(entry))
            self._memo[kind] = digest.hexdigest()
        return self._memo[kind]

    def _nav(self) -> tuple:
        data = self.data
        return (
            sorted(data.news_by_category),
            sorted(data.news_by_year),
            sorted(data.activities_by_brand),
        )

    def _paged_cards(self, items: list, values: dict) -> tuple:
        page = paginate(items, values.get("number", 1), self.data.site.news_per_page)
        return (page.pages, self._cards(page.items)) if page else ()

    def _cards(self, items: list) -> list:
        return [self._card(e) for e in items]

    def _card(self, entry: Entry) -> bytes:
        """A short digest of an entry's card, made once per build however many lists show it."""
        memo = self._cards_memo
        if (digest := memo.get(id(entry))) is None:
            parts = repr(card(entry, self.data)).encode()
            digest = memo[id(entry)] = hashlib.blake2b(parts, digest_size=8).digest()
        return digest
