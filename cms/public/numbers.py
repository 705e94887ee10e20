"""This year's work plan in figures: activities held against the yearly target, stations."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ..content import Term
from ..render.chart import Bar, Wording, bar_chart, progress_chart
from .data import SiteData
from .i18n import gettext as _


@dataclass(frozen=True)
class Count:
    """One row of a table: a vocabulary term and how many entries it has."""

    key: str
    label: str
    value: int


@dataclass(frozen=True)
class Figures:
    """Everything /numbers/ shows; the page, its charts and its build token read only this."""

    year: int
    as_of: dt.date  # the build's day: the page says how recent its figures are
    target: int
    held: int
    upcoming: int
    activities_by_brand: tuple[Count, ...]
    activities_by_street: tuple[Count, ...]
    stations: int
    stations_by_type: tuple[Count, ...]
    stations_by_street: tuple[Count, ...]

    @property
    def percent(self) -> int | None:
        """Share of the target reached, in whole percent (None without a target)."""
        return round(100 * self.held / self.target) if self.target else None


def figures(data: SiteData) -> Figures:
    """Count this year's activities held so far (ended by ``now``) and the live stations.

    The year is the site's local year at ``now``; an activity belongs to the year it starts in.
    """
    year = data.now.year
    this_year = [a for a in data.activities if a.starts_at.astimezone(data.tz).year == year]
    held = [a for a in this_year if a.ends_at <= data.now]
    site = data.site
    return Figures(
        year=year,
        as_of=data.now.date(),
        target=site.yearly_activity_target,
        held=len(held),
        upcoming=len(this_year) - len(held),
        activities_by_brand=_counts(site.activity_brands, [a.brand for a in held]),
        activities_by_street=_counts(site.streets, [a.street for a in held]),
        stations=len(data.stations),
        stations_by_type=_counts(site.station_types, [s.type for s in data.stations]),
        stations_by_street=_counts(site.streets, [s.street for s in data.stations]),
    )


def _counts(vocabulary: dict[str, Term], keys: list[str]) -> tuple[Count, ...]:
    """Count keys per term, in the vocabulary's order; every term is listed, even at zero."""
    return tuple(
        Count(key, term.label, sum(1 for k in keys if k == key)) for key, term in vocabulary.items()
    )


def wording(activities: bool) -> Wording:
    """Return how chart descriptions state their numbers, in the site's language."""
    item = _("%(label)s %(value)s 场") if activities else _("%(label)s %(value)s 个")
    return Wording(item, _("；"), _("。"))


def charts(figures: Figures) -> dict[str, str]:
    """Return the page's SVG charts, keyed by what they count."""
    held, counted = wording(activities=True), wording(activities=False)

    def bars(counts: tuple[Count, ...], css: str = "") -> list[Bar]:
        return [Bar(c.label, c.value, f"{css}{c.key}" if css else "") for c in counts]

    target = figures.target
    progress = (
        _(
            "%(year)s年已举办活动 %(held)s 场，全年目标 %(target)s 场，完成 %(percent)s%%。",
            year=figures.year,
            held=figures.held,
            target=target,
            percent=figures.percent,
        )
        if target
        else _("%(year)s年已举办活动 %(held)s 场。", year=figures.year, held=figures.held)
    )
    return {
        "progress": progress_chart(
            _("%(year)s年活动完成情况", year=figures.year),
            progress,
            figures.held,
            target,
            "chart-progress",
        ),
        "brand": bar_chart(
            _("%(year)s年各品牌已举办活动场次", year=figures.year),
            bars(figures.activities_by_brand, "c-brand-"),
            "chart-brand",
            held,
        ),
        "activity_street": bar_chart(
            _("%(year)s年各街道已举办活动场次", year=figures.year),
            bars(figures.activities_by_street),
            "chart-activity-street",
            held,
        ),
        "type": bar_chart(
            _("各类型服务阵地数量"),
            bars(figures.stations_by_type, "c-type-"),
            "chart-type",
            counted,
        ),
        "station_street": bar_chart(
            _("各街道服务阵地数量"),
            bars(figures.stations_by_street),
            "chart-station-street",
            counted,
        ),
    }
