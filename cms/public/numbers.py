"""This year's work plan in figures: activities held against the yearly target, stations."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

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
    """Everything /numbers/ shows; the page, its charts and its build token read only this.

    With a tally for the year (``content/tally/<year>.yml``) the progress and the per-brand,
    per-street and per-month figures are the union's reported ones, with their source and date;
    the activities posted on the site are counted apart (``posted_*``). Without one, the page
    counts the posted activities that have ended, and says so.
    """

    year: int
    as_of: dt.date  # the day the figures are true of: the tally's date, or the build's
    reported: bool  # True when the figures come from the year's tally
    source: str
    target: int
    held: int
    activities_by_month: tuple[Count, ...]
    activities_by_brand: tuple[Count, ...]
    activities_by_street: tuple[Count, ...]
    posted_held: int
    posted_upcoming: int
    posted_by_brand: tuple[Count, ...]
    stations: int
    stations_by_type: tuple[Count, ...]
    stations_by_street: tuple[Count, ...]

    @property
    def percent(self) -> int | None:
        """Share of the target reached, in whole percent (None without a target)."""
        return round(100 * self.held / self.target) if self.target else None


def figures(data: SiteData) -> Figures:
    """Count this year's activities held so far and the live stations.

    The year is the site's local year at ``now``; an activity belongs to the year it starts in.
    """
    year = data.now.year
    this_year = [a for a in data.activities if a.starts_at.astimezone(data.tz).year == year]
    posted = [a for a in this_year if a.ends_at <= data.now]
    site = data.site
    tally = data.content.tallies.get(year)
    posted_by_brand = _counts(site.activity_brands, [a.brand for a in posted])
    if tally is not None:
        by_brand, by_street, by_month = tally.by("brand"), tally.by("street"), tally.by("month")
        reported = (
            _summed(site.activity_brands, by_brand),
            _summed(site.streets, by_street),
            tuple(Count(str(m), "", n) for m, n in sorted(by_month.items())),
        )
    else:
        reported = (
            posted_by_brand,
            _counts(site.streets, [a.street for a in posted]),
            _counts(_MONTHS, [str(a.starts_at.astimezone(data.tz).month) for a in posted]),
        )
    return Figures(
        year=year,
        as_of=(tally.updated or data.now.date()) if tally else data.now.date(),
        reported=tally is not None,
        source=tally.source if tally else "",
        target=(tally.target if tally and tally.target else site.yearly_activity_target),
        held=tally.held if tally else len(posted),
        activities_by_month=reported[2],
        activities_by_brand=reported[0],
        activities_by_street=reported[1],
        posted_held=len(posted),
        posted_upcoming=len(this_year) - len(posted),
        posted_by_brand=posted_by_brand,
        stations=len(data.stations),
        stations_by_type=_counts(site.station_types, [s.type for s in data.stations]),
        stations_by_street=_counts(site.streets, [s.street for s in data.stations]),
    )


_MONTHS = {str(m): Term(str(m), "") for m in range(1, 13)}  # labelled by ``localised``


def localised(figures: Figures) -> Figures:
    """Name the months and the rows without a brand or street in the site's language.

    Figures are made outside a request too (a page's build token), where nothing is translated;
    the page calls this before showing them.
    """

    def named(counts: tuple[Count, ...]) -> tuple[Count, ...]:
        return tuple(replace(c, label=c.label or _("未注明")) for c in counts)

    months = tuple(
        replace(c, label=_("%(month)s月", month=c.key)) for c in figures.activities_by_month
    )
    return replace(
        figures,
        activities_by_month=months,
        activities_by_brand=named(figures.activities_by_brand),
        activities_by_street=named(figures.activities_by_street),
    )


def _counts(vocabulary: dict[str, Term], keys: list[str]) -> tuple[Count, ...]:
    """Count keys per term, in the vocabulary's order; every term is listed, even at zero."""
    return tuple(
        Count(key, term.label, sum(1 for k in keys if k == key)) for key, term in vocabulary.items()
    )


def _summed(vocabulary: dict[str, Term], sums: dict) -> tuple[Count, ...]:
    """Counts per term from a tally's sums, in the vocabulary's order; rows without one last."""
    out = [Count(key, term.label, sums.get(key, 0)) for key, term in vocabulary.items()]
    if sums.get(""):
        out.append(Count("", "", sums[""]))  # named by ``localised``
    return tuple(out)


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
        "month": bar_chart(
            _("%(year)s年各月已举办活动场次", year=figures.year),
            bars(figures.activities_by_month),
            "chart-month",
            held,
        ),
        "posted_brand": bar_chart(
            _("%(year)s年本站发布、已结束的活动（按品牌）", year=figures.year),
            bars(figures.posted_by_brand, "c-brand-"),
            "chart-posted-brand",
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
