"""The sitemap (sitemaps.org 0.9) and robots.txt of the public site."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from zoneinfo import ZoneInfo

from lxml import etree

from ..content.model import Site

NS = "http://www.sitemaps.org/schemas/sitemap/0.9"


def sitemap_xml(site: Site, pages: Iterable[tuple[str, dt.datetime | None]]) -> bytes:
    """Return ``/sitemap.xml`` listing each (site path, last change) pair by absolute URL."""
    urlset = etree.Element(f"{{{NS}}}urlset", nsmap={None: NS})
    # Sorted by path so the bytes don't depend on the order pages were collected in.
    for path, lastmod in sorted(pages, key=lambda page: page[0]):
        url = etree.SubElement(urlset, f"{{{NS}}}url")
        etree.SubElement(url, f"{{{NS}}}loc").text = site.url(path)
        if lastmod is not None:
            etree.SubElement(url, f"{{{NS}}}lastmod").text = _w3c(site, lastmod)
    return etree.tostring(urlset, encoding="UTF-8", xml_declaration=True, pretty_print=True)


def robots_txt(site: Site) -> bytes:
    """Return ``/robots.txt``: every crawler may read everything, and the sitemap is named."""
    return f"User-agent: *\nAllow: /\n\nSitemap: {site.url('/sitemap.xml')}\n".encode()


def _w3c(site: Site, when: dt.datetime) -> str:
    """Format a time as a W3C datetime; a naive time is taken to be in the site's zone."""
    if when.tzinfo is None:
        when = when.replace(tzinfo=ZoneInfo(site.timezone))
    return when.isoformat(timespec="seconds")
