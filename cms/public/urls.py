"""Paths of the public site, in one place so pages, feeds, API and sitemap agree."""

from __future__ import annotations

from ..content.model import Entry

PREFIX = {"news": "/news/", "activities": "/activities/", "stations": "/stations/", "pages": "/"}


def entry_path(entry: Entry) -> str:
    """Return the site path of an entry's page, e.g. ``/news/plenary-2021/``."""
    return f"{PREFIX[entry.kind]}{entry.slug}/"


def media_path(ref: str) -> str:
    """Return the site path of a media reference such as ``media/2021/a.jpg``."""
    return "/" + ref.lstrip("/")
