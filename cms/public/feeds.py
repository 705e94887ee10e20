"""Atom and RSS feeds of the latest news, built with feedgen."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING
from urllib.parse import urljoin

import lxml.html

from ..content.model import News, Site
from .urls import entry_path

if TYPE_CHECKING:  # feedgen is imported when a feed is made
    from feedgen.feed import FeedGenerator

BodyHtml = Callable[[News], str]

# An empty feed still needs an <updated>; a fixed instant keeps the bytes stable.
EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)


def absolute_html(site: Site, html: str, page_url: str) -> str:
    """Return ``html`` with every link made absolute, as feed readers have no base URL."""
    if not html.strip():
        return ""

    def rewrite(link: str) -> str:
        # Site paths go through site.url so a base_url with a path prefix is honoured.
        if link.startswith("/") and not link.startswith("//"):
            return site.url(link)
        return urljoin(page_url, link)

    wrapper = lxml.html.fragment_fromstring(html, create_parent="div")
    wrapper.rewrite_links(rewrite, resolve_base_href=False)
    serialised = lxml.html.tostring(wrapper, encoding="unicode")
    return serialised[len("<div>") : -len("</div>")]


def atom_feed(site: Site, news: Sequence[News], body_html: BodyHtml) -> bytes:
    """Return the Atom feed (``/feed.xml``) of the newest ``site.feed_size`` news."""
    return _generator(site, news, body_html, "/feed.xml").atom_str(pretty=True)


def rss_feed(site: Site, news: Sequence[News], body_html: BodyHtml) -> bytes:
    """Return the RSS 2.0 feed (``/rss.xml``) of the newest ``site.feed_size`` news."""
    return _generator(site, news, body_html, "/rss.xml").rss_str(pretty=True)


def _generator(site: Site, news: Sequence[News], body_html: BodyHtml, path: str) -> FeedGenerator:
    """Build a feed generator whose every date comes from the entries, never the clock."""
    from feedgen.feed import FeedGenerator

    items = list(news)[: site.feed_size]
    updated = max((n.modified for n in items), default=EPOCH)
    fg = FeedGenerator()
    fg.load_extension("dc", atom=False, rss=True)
    fg.id(site.url("/"))
    fg.title(site.title)
    fg.subtitle(site.description or site.subtitle or site.title)
    fg.author(name=site.author or site.title, uri=site.url("/"))
    content_type = "application/atom+xml" if path == "/feed.xml" else "application/rss+xml"
    fg.link(href=site.url(path), rel="self", type=content_type)
    # feedgen takes the RSS <link> from the last link added, so the home page goes last.
    fg.link(href=site.url("/"), rel="alternate", type="text/html")
    fg.language(site.language)
    fg.updated(updated)
    fg.lastBuildDate(updated)
    fg.pubDate(updated)
    for item in items:
        _add_entry(fg, site, item, body_html)
    return fg


def _add_entry(fg: FeedGenerator, site: Site, item: News, body_html: BodyHtml) -> None:
    """Append one news entry; feedgen prepends by default, which would reverse the order."""
    url = site.url(entry_path(item))
    fe = fg.add_entry(order="append")
    fe.id(url)
    fe.guid(url, permalink=True)
    fe.title(item.title)
    fe.link(href=url, rel="alternate", type="text/html")
    fe.published(item.date)
    fe.updated(item.modified)
    if item.summary:
        fe.summary(item.summary)
    html = absolute_html(site, body_html(item), url)
    fe.content(html or item.summary or item.title, type="html")
    author = item.author or site.author
    if author:
        # RSS <author> must be an e-mail address, so names go to dc:creator there.
        fe.author(name=author)
        fe.dc.dc_creator(author)
    category = site.news_categories.get(item.category)
    if item.category:
        fe.category(
            term=item.category,
            label=category.label if category else item.category,
            scheme=site.url("/news/category/"),
        )
    for tag in item.tags:
        fe.category(term=tag, label=tag, scheme=site.url("/news/tag/"))
