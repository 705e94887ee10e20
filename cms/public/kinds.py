"""Page kinds: each address pattern of the public site is declared once, beside its view.

A declaration says everything the build needs to know about a kind of page: its URL rules,
how its addresses are enumerated (with each one's last change, for the sitemap), what it shows
(the parts its token is made of, see ``shown``) and its scope (what can change it). Routes, the
freeze list, the sitemap, tokens and scopes are all derived from the declarations, so a new
page kind is one declared view and one template::

    @bp.page("/stations/amenity/<key>/", addresses=groups(lambda d: d.by_amenity),
             shows=Shown.group_cards, sitemap=True)
    def stations_amenity(key: str): ...
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from flask import Blueprint, Flask

if TYPE_CHECKING:
    from .data import SiteData
    from .shown import Shown

Address = tuple[dict, "dt.datetime | None"]  # URL values, last change (for the sitemap)
Addresses = Callable[["SiteData"], Iterable[Address]]


class Scope(enum.Enum):
    """What can change a page, so that a build brought up to date knows what to work out again.

    An edit that leaves every entry's face (``shown.face``) as it was changes only ENTRY pages
    of the edited entries, WHOLE pages and FILE pages; FACES pages keep their tokens.
    """

    FACES = "faces"  # shows faces of entries (cards, links, counts), settings, or nothing
    ENTRY = "entry"  # shows one whole entry, named by its slug (``entry_kind`` says its kind)
    WHOLE = "whole"  # shows more than faces of many entries, or what the clock changes
    FILE = "file"  # a file from content/media, as it is on disk


@dataclass(frozen=True)
class PageKind:
    """One declared kind of page (see the module's docstring)."""

    endpoint: str
    rules: tuple[tuple[str, dict | None], ...]
    addresses: Addresses
    shows: Callable[[Shown, dict], object]
    scope: Scope = Scope.FACES
    entry_kind: str | None = None
    sitemap: bool = False


class Each:
    """The addresses of one page per live entry of a kind: ``{"slug": …}``, last change."""

    def __init__(self, kind: str):
        self.kind = kind

    def __call__(self, data: SiteData) -> Iterator[Address]:
        for entry in data.live[self.kind].values():
            yield {"slug": entry.slug}, entry.modified


def each(kind: str) -> Each:
    return Each(kind)


def one(lastmod: Callable[[SiteData], dt.datetime | None] | None = None) -> Addresses:
    """The address of a page without URL values."""
    return lambda data: [({}, lastmod(data) if lastmod else None)]


def groups(of: Callable[[SiteData], dict[str, list]]) -> Addresses:
    """One address per key of a grouping (``{"key": …}``), newest change of its entries."""
    return lambda data: [({"key": key}, newest(items)) for key, items in sorted(of(data).items())]


def paged(lists: Callable[[SiteData], Iterable[tuple[dict, list]]]) -> Addresses:
    """Every page of each list (``{"number": n}`` from the second on), newest change of each."""

    def addresses(data: SiteData) -> Iterator[Address]:
        per_page = data.site.news_per_page
        for values, items in lists(data):
            pages = max(1, -(-len(items) // per_page))
            for number in range(1, pages + 1):
                chunk = items[(number - 1) * per_page : number * per_page]
                yield {**values, "number": number} if number > 1 else dict(values), newest(chunk)

    return addresses


def listed(of: Callable[[SiteData], Iterable[dict]]) -> Addresses:
    """Addresses given as URL values, with no last change (files, not sitemap pages)."""
    return lambda data: [(values, None) for values in of(data)]


def newest(items: Iterable[Any]) -> dt.datetime | None:
    return max((i.modified for i in items), default=None)


class PageBlueprint(Blueprint):
    """A blueprint whose views are declared page kinds (``page``) rather than bare routes."""

    def __init__(self, name: str, import_name: str, **options: Any):
        super().__init__(name, import_name, **options)
        self.kinds: list[PageKind] = []

    def page(
        self,
        *rules: str | tuple[str, dict],
        addresses: Addresses,
        shows: Callable[[Shown, dict], object],
        scope: Scope = Scope.FACES,
        entry_kind: str | None = None,
        sitemap: bool = False,
        endpoint: str | None = None,
    ) -> Callable[[Callable], Callable]:
        """Declare the decorated view as a page kind and route its URL rules to it.

        A rule is a string or ``(rule, defaults)``; ``endpoint`` defaults to the view's name.
        """
        if (scope is Scope.ENTRY) != (entry_kind is not None):
            raise ValueError("entry_kind goes with Scope.ENTRY, and only with it")

        def declare(view: Callable) -> Callable:
            name = endpoint or view.__name__
            pairs = tuple((r, None) if isinstance(r, str) else r for r in rules)
            for rule, defaults in pairs:
                self.add_url_rule(rule, name, view, **({"defaults": defaults} if defaults else {}))
            kind = PageKind(
                f"{self.name}.{name}", pairs, addresses, shows, scope, entry_kind, sitemap
            )
            self.kinds.append(kind)
            return view

        return declare


def kinds_of(app: Flask) -> dict[str, PageKind]:
    """Return every page kind of an app by endpoint, in the order they were declared."""
    found: dict[str, PageKind] = {}
    for blueprint in app.blueprints.values():
        if isinstance(blueprint, PageBlueprint):
            found.update((kind.endpoint, kind) for kind in blueprint.kinds)
    return found


def sitemap_pages(
    kinds: Iterable[PageKind], data: SiteData
) -> Iterator[tuple[str, dict, dt.datetime | None]]:
    """Yield the sitemap's pages in declaration order: (endpoint, values, last change).

    The pages of one entry (a station and its poster) are listed together.
    """
    mapped = [kind for kind in kinds if kind.sitemap]
    done: set[str] = set()
    for kind in mapped:
        if kind.endpoint in done:
            continue
        if isinstance(kind.addresses, Each):
            entries = kind.addresses.kind
            group = [
                k for k in mapped if isinstance(k.addresses, Each) and k.addresses.kind == entries
            ]
            done.update(k.endpoint for k in group)
            for entry in data.live[entries].values():
                for member in group:
                    yield member.endpoint, {"slug": entry.slug}, entry.modified
        else:
            for values, lastmod in kind.addresses(data):
                yield kind.endpoint, values, lastmod


def other_addresses(kinds: Iterable[PageKind], data: SiteData) -> Iterator[tuple[str, dict]]:
    """Yield the addresses of every kind not in the sitemap (files, feeds, data, scripts)."""
    for kind in kinds:
        if not kind.sitemap:
            for values, _ in kind.addresses(data):
                yield kind.endpoint, values


def undeclared(app: Flask) -> list[str]:
    """Return the URL rules of an app that no page kind declares (static files aside)."""
    kinds = kinds_of(app)
    return sorted(
        rule.rule
        for rule in app.url_map.iter_rules()
        if rule.endpoint != "static" and rule.endpoint not in kinds
    )
