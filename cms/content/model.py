"""Typed model of the site settings and of every content entry."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import ClassVar

from .targets import DeployTarget

KINDS = ("news", "activities", "stations", "pages")
STATUSES = ("draft", "review", "published")


@dataclass(frozen=True)
class Term:
    """One item of a site.yml vocabulary (a category, brand, street, type…)."""

    key: str
    label: str
    color: str = ""


@dataclass(frozen=True)
class MenuItem:
    label: str
    url: str


@dataclass(frozen=True)
class MapSettings:
    center_lat: float = 22.72
    center_lng: float = 114.22
    zoom: int = 12
    tiles: str = "osm"  # osm | amap | tianditu | a URL template
    tianditu_key: str = ""


@dataclass
class Site:
    """Site settings and vocabularies read from content/site.yml."""

    title: str
    base_url: str
    subtitle: str = ""
    language: str = "zh-CN"
    timezone: str = "Asia/Shanghai"
    author: str = ""
    description: str = ""
    news_per_page: int = 10
    feed_size: int = 20
    yearly_activity_target: int = 0
    hotline: str = ""  # the footer's phone number, e.g. 12351 or 0755-28900000
    address: str = ""  # the footer's postal address
    icp: str = ""  # ICP 备案号 (粤ICP备…号), linked to the MIIT record site in the footer
    police_record: str = ""  # 公安备案号 (粤公网安备 …号), optional
    stale_after_months: int = 12  # a station verified longer ago than this shows 信息待核实
    report_url: str = ""  # where station pages post 纠错 (the admin's /admin/report/); "": none
    map: MapSettings = field(default_factory=MapSettings)
    news_categories: dict[str, Term] = field(default_factory=dict)
    activity_brands: dict[str, Term] = field(default_factory=dict)
    station_types: dict[str, Term] = field(default_factory=dict)
    amenities: dict[str, Term] = field(default_factory=dict)
    access: dict[str, Term] = field(default_factory=dict)
    streets: dict[str, Term] = field(default_factory=dict)
    menu: list[MenuItem] = field(default_factory=list)
    deploy: dict[str, DeployTarget] = field(default_factory=dict)  # see targets.py
    backup_remote: str = ""  # backup.remote: a git repository the content history is pushed to

    def url(self, path: str) -> str:
        """Return the absolute URL of a site path (``/news/x/``)."""
        return self.base_url.rstrip("/") + "/" + path.lstrip("/")


@dataclass
class Entry:
    """Fields every content file has; subclasses add their own."""

    kind: ClassVar[str] = ""
    slug: str
    source: str  # path relative to the content root, e.g. "news/x.md"
    body: str = ""
    status: str = "draft"
    publish_at: dt.datetime | None = None
    unpublish_at: dt.datetime | None = None  # off the site from then on (定时撤下)
    updated: dt.datetime | None = None  # the file's own "updated" field, when given
    version: str = ""  # hash of the file's bytes (compare-and-swap on save)
    body_line: int = field(default=1, repr=False, compare=False)  # first line of the body
    field_lines: dict[str, int] = field(default_factory=dict, repr=False, compare=False)

    def line_of(self, name: str) -> int:
        """Return the line a front-matter field is on (0 when unknown)."""
        return self.field_lines.get(name, 0)

    @property
    def title_text(self) -> str:
        return getattr(self, "title", "") or getattr(self, "name", "") or self.slug

    def is_live(self, now: dt.datetime) -> bool:
        """Tell whether the entry is published, due and not yet taken down at ``now``."""
        if self.status != "published":
            return False
        if self.unpublish_at is not None and self.unpublish_at <= now:
            return False
        return self.publish_at is None or self.publish_at <= now

    @property
    def sort_time(self) -> dt.datetime:
        raise NotImplementedError

    @property
    def modified(self) -> dt.datetime:
        """The time a reader should see as "last changed" (sitemap lastmod, feeds)."""
        return self.updated or self.sort_time


@dataclass
class News(Entry):
    kind: ClassVar[str] = "news"
    title: str = ""
    date: dt.datetime = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
    category: str = ""
    tags: list[str] = field(default_factory=list)
    summary: str = ""
    cover: str = ""
    author: str = ""

    @property
    def sort_time(self) -> dt.datetime:
        return self.publish_at if self.publish_at and self.publish_at > self.date else self.date


@dataclass
class Registration:
    phone: str = ""
    deadline: dt.date | None = None
    capacity: int | None = None
    registered: int = 0
    url: str = ""


@dataclass
class Activity(Entry):
    kind: ClassVar[str] = "activities"
    title: str = ""
    starts_at: dt.datetime = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
    ends_at: dt.datetime = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
    brand: str = ""
    street: str = ""
    venue: str = ""
    station: str = ""
    summary: str = ""
    cover: str = ""
    registration: Registration | None = None

    @property
    def sort_time(self) -> dt.datetime:
        return self.starts_at

    def state(self, now: dt.datetime) -> str:
        """Return the registration state: none (no registration), open, full, closed or ended."""
        if now >= self.ends_at:
            return "ended"
        reg = self.registration
        if reg is None:
            return "none"
        if reg.capacity is not None and reg.registered >= reg.capacity:
            return "full"
        if reg.deadline is not None and now.date() > reg.deadline:
            return "closed"
        return "open"


@dataclass(frozen=True)
class Location:
    lat: float
    lng: float


@dataclass
class Station(Entry):
    kind: ClassVar[str] = "stations"
    name: str = ""
    type: str = ""
    street: str = ""
    address: str = ""
    location: Location = Location(0.0, 0.0)
    hours: list[str] = field(default_factory=list)
    amenities: list[str] = field(default_factory=list)
    access: str = "public"
    phone: str = ""
    verified_at: dt.date | None = None
    photos: list[str] = field(default_factory=list)  # media references, the entrance first
    summary: str = ""

    @property
    def title(self) -> str:
        return self.name

    @property
    def sort_time(self) -> dt.datetime:
        day = self.verified_at or dt.date(1970, 1, 1)
        return dt.datetime(day.year, day.month, day.day, tzinfo=dt.timezone(dt.timedelta(hours=8)))


@dataclass
class Page(Entry):
    kind: ClassVar[str] = "pages"
    title: str = ""
    summary: str = ""
    order: int = 0

    @property
    def sort_time(self) -> dt.datetime:
        return self.updated or dt.datetime(1970, 1, 1, tzinfo=dt.UTC)


ENTRY_CLASSES: dict[str, type[Entry]] = {
    "news": News,
    "activities": Activity,
    "stations": Station,
    "pages": Page,
}
