"""What each page shows, as a token: a page whose token is unchanged need not be rendered again.

A token lists the parts of entries a page displays: the whole entry (its file version) on its
own page, a card (title, date, summary…) on lists, a link (title) in "related" boxes. Activity
states are included since they change with the clock. An endpoint not known here gets no token
and is always rendered, which is slower but never wrong. The incremental-build tests compare
incremental and full builds byte for byte, so a token that misses something fails them.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable

from ..content import Activity, Entry, News
from ..public.data import SiteData, paginate
from ..public.numbers import figures


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
    return full(entry)


# The pages that show all of an entry (its file version), tied to it by slug: endpoint -> kind.
OWN_PAGES = {
    "public.news_detail": "news",
    "exports.api_news": "news",
    "public.activity_detail": "activities",
    "exports.event": "activities",
}
# One address each, showing every entry of a kind (or the clock's figures): their tokens are
# worked out on every build...
SITE_WIDE = frozenset({
    "public.home", "public.activities_index", "public.numbers", "public.stations_index",
    "public.stations_map_js", "public.teaser_map_js", "exports.api_stations",
    "exports.stations_map_data", "exports.atom", "exports.rss", "exports.calendar",
    "exports.api_activities", "exports.api_news_index",
})  # fmt: skip
# ...except these, which show only faces of news and activities (``face``) and stations: when
# an edit leaves every face as it was and no station changed, so are their tokens.
FACES_ONLY = frozenset({
    "public.home", "public.activities_index", "public.stations_index",
    "public.stations_map_js", "public.teaser_map_js", "exports.api_stations",
    "exports.stations_map_data", "exports.api_news_index",
})  # fmt: skip


def face(entry: Entry, data: SiteData) -> tuple | None:
    """Return everything pages other than an entry's own show of it or depend on.

    Its card and link, last change, tags, author, station, cover and the links of its body
    (the images and files it uses); None when its body is not in the render cache.
    """
    cached = data.render_cache.get(data.cache_key(entry))
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
        cached[0].links,
    )


class Tokens:
    """Compute page tokens for one SiteData; collection-wide parts are computed once."""

    def __init__(self, data: SiteData, sitemap: list | None = None):
        self.data = data
        # The sitemap lists every page with its last change: (endpoint, values, lastmod).
        self.sitemap = [(e, sorted(v.items()), m and m.isoformat()) for e, v, m in sitemap or []]
        self._memo: dict[str, str] = {}
        self._cards_memo: dict[int, bytes] = {}  # id(entry): entries live as long as data
        self.handlers: dict[str, Callable[[dict], object]] = {
            "public.home": self._home,
            "public.news_index": lambda v: self._news_list(data.news, v),
            "public.news_category": lambda v: self._news_list(data.news_by_category[v["key"]], v),
            "public.news_tag": lambda v: self._news_list(data.news_by_tag[v["tag"]], v),
            "public.news_year": lambda v: self._news_list(data.news_by_year[v["year"]], v),
            "public.news_detail": self._news_detail,
            "public.activities_index": self._activities_index,
            "public.activities_past": lambda v: self._paged_cards(data.past, v),
            "public.activities_brand": lambda v: self._cards(data.activities_by_brand[v["key"]]),
            "public.activity_detail": self._activity_detail,
            "public.stations_street": lambda v: [
                full(s) for s in data.stations_by_street[v["key"]]
            ],
            "public.stations_type": lambda v: [full(s) for s in data.stations_by_type[v["key"]]],
            "public.stations_index": lambda v: self._all("stations"),
            # The figures and their day: they change as activities end, with no file changing.
            "public.numbers": lambda v: figures(data),
            "public.stations_map_js": lambda v: self._all("stations"),
            "public.teaser_map_js": lambda v: self._all("stations"),
            "exports.api_stations": lambda v: self._all("stations"),
            "exports.stations_map_data": lambda v: self._all("stations"),
            "public.station_detail": self._station_detail,
            "public.station_map_js": lambda v: full(data.live["stations"][v["slug"]]),
            "public.station_poster": lambda v: full(data.live["stations"][v["slug"]]),
            "public.page": lambda v: self._page(data.live["pages"][v["slug"]]),
            "public.not_found_page": lambda v: (),
            "public.search": lambda v: (),
            "exports.atom": lambda v: self._feed(),
            "exports.rss": lambda v: self._feed(),
            "exports.robots": lambda v: (),
            "exports.sitemap": lambda v: self.sitemap,
            "exports.vocabulary_css": lambda v: (),
            "exports.api_site": lambda v: (),
            "exports.api_schema": lambda v: (),
            "exports.calendar": lambda v: self._all("activities"),
            "exports.api_activities": lambda v: self._all("activities"),
            "exports.event": lambda v: self._activity_detail(v),
            "exports.api_news_index": lambda v: self._news_summaries(),
            "exports.api_news": lambda v: full(data.live["news"][v["slug"]]),
            "public.media": self._media,
            # Named by a hash of the source and the recipe: the same name is the same bytes.
            "public.rendition": lambda v: v["name"],
        }

    def token(self, endpoint: str, values: dict) -> str | None:
        """Return the token of a page, or None when it must always be rendered."""
        handler = self.handlers.get(endpoint)
        if handler is None:
            return None
        parts = repr((endpoint, sorted(values.items()), handler(values)))
        return hashlib.blake2b(parts.encode(), digest_size=16).hexdigest()

    def _all(self, kind: str) -> str:
        """One digest of every live entry of a kind (and the activity states)."""
        if kind not in self._memo:
            items = self.data.live[kind].values()
            digest = hashlib.blake2b(digest_size=16)
            for entry in items:
                digest.update(f"{entry.slug}\0{entry.version}\0".encode() + self._card(entry))
            self._memo[kind] = digest.hexdigest()
        return self._memo[kind]

    def _news_summaries(self) -> str:
        """One digest of what /api/v1/news.json shows of each live news entry, in its order:
        the card, the tags and the author (not the body: an edit of it leaves the file as is)."""
        if "news-summaries" not in self._memo:
            digest = hashlib.blake2b(digest_size=16)
            for entry in self.data.news:
                digest.update(self._card(entry) + repr((entry.tags, entry.author)).encode())
            self._memo["news-summaries"] = digest.hexdigest()
        return self._memo["news-summaries"]

    def _nav(self) -> tuple:
        data = self.data
        return (
            sorted(data.news_by_category),
            sorted(data.news_by_year),
            sorted(data.activities_by_brand),
        )

    def _home(self, values: dict) -> tuple:
        data = self.data
        return (
            self._cards(data.news[:6]),
            self._cards(data.upcoming[:4]),
            self._all("stations"),
            self._nav(),
        )

    def _news_list(self, items: list, values: dict) -> tuple:
        return (self._paged_cards(items, values), self._nav())

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

    def _news_detail(self, values: dict) -> tuple:
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

    def _activities_index(self, values: dict) -> tuple:
        data = self.data
        return (
            self._cards(data.upcoming),
            self._cards(data.past[:10]),
            len(data.past) > 10,
            self._nav(),
        )

    def _activity_detail(self, values: dict) -> tuple:
        data = self.data
        item = data.live["activities"][values["slug"]]
        station = data.live["stations"].get(item.station)
        return (
            full(item),
            data.image_keys(item),
            item.state(data.now),
            station and link(station),
        )

    def _station_detail(self, values: dict) -> tuple:
        data = self.data
        item = data.live["stations"][values["slug"]]
        return (
            full(item),
            data.image_keys(item),
            self._cards(data.activities_at.get(item.slug, [])),
        )

    def _page(self, item: Entry) -> tuple:
        return (full(item), self.data.image_keys(item))

    def _media(self, values: dict) -> str:
        return self.data.pictures.file_digest("media/" + values["ref"])

    def _feed(self) -> list:
        return [full(n) for n in self.data.news[: self.data.site.feed_size]]
