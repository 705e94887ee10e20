"""iCalendar (RFC 5545) files of the activities, built with icalendar."""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from ..content.model import Activity, Site
from .urls import entry_path

if TYPE_CHECKING:  # icalendar is imported when a calendar is made (it takes ~20 ms)
    from icalendar import Calendar, Component, Event

Gettext = Callable[..., str]


def _same(message: str, **variables: object) -> str:
    return message % variables if variables else message


def calendar_ics(site: Site, activities: Iterable[Activity], gettext: Gettext = _same) -> bytes:
    """Return the calendar of all given activities (``/activities/calendar.ics``).

    ``gettext`` puts the calendar's own words in the site's language (Chinese without it).
    """
    return _calendar(site, activities, gettext).to_ical()


def event_ics(site: Site, activity: Activity, gettext: Gettext = _same) -> bytes:
    """Return a calendar holding one activity (``/activities/<slug>/event.ics``)."""
    return _calendar(site, [activity], gettext).to_ical()


def _calendar(site: Site, activities: Iterable[Activity], gettext: Gettext) -> Calendar:
    """Build a calendar; events are sorted so the caller's order never changes the bytes."""
    from icalendar import Calendar

    cal = Calendar()
    # Calendar.new() would add a random UID, so properties are set one by one.
    cal.add("prodid", f"-//{_host(site)}//Yizhan//ZH")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", gettext("%(site)s 工会活动", site=site.title))
    cal.add("x-wr-timezone", site.timezone)
    tz = ZoneInfo(site.timezone)
    for activity in sorted(activities, key=lambda a: (a.starts_at, a.slug)):
        cal.add_component(_event(site, activity, tz, gettext))
    if cal.walk("VEVENT"):
        cal.add_component(_vtimezone(site.timezone))
    return cal


@functools.cache
def _vtimezone(name: str) -> Component:
    """Return the VTIMEZONE of a zone; computing it takes ~30 ms, so once per process.

    Calendars only read the component when serialising, so one object serves them all.
    """
    from icalendar import Calendar, Event

    cal = Calendar()
    event = Event()
    event.add("dtstart", dt.datetime(2000, 1, 1, tzinfo=ZoneInfo(name)))
    cal.add_component(event)
    # The default 1970–2038 span keeps the VTIMEZONE identical from build to build.
    cal.add_missing_timezones()
    return cal.walk("VTIMEZONE")[0]


def _event(site: Site, activity: Activity, tz: ZoneInfo, gettext: Gettext) -> Event:
    """Build the VEVENT of one activity, times in the site's zone with a TZID."""
    from icalendar import Event

    event = Event()
    event.add("uid", f"{activity.slug}@{_host(site)}")
    event.add("dtstamp", activity.modified.astimezone(dt.UTC))
    event.add("last-modified", activity.modified.astimezone(dt.UTC))
    event.add("dtstart", activity.starts_at.astimezone(tz))
    event.add("dtend", activity.ends_at.astimezone(tz))
    event.add("summary", activity.title)
    location = _location(site, activity, gettext)
    if location:
        event.add("location", location)
    description = _description(activity, gettext)
    if description:
        event.add("description", description)
    event.add("url", site.url(entry_path(activity)))
    brand = site.activity_brands.get(activity.brand)
    if activity.brand:
        event.add("categories", [brand.label if brand else activity.brand])
    return event


def _location(site: Site, activity: Activity, gettext: Gettext) -> str:
    """Return "venue（street）", or whichever of the two is known."""
    street = site.streets.get(activity.street)
    street_label = street.label if street else activity.street
    if activity.venue and street_label:
        return gettext("%(venue)s（%(street)s）", venue=activity.venue, street=street_label)
    return activity.venue or street_label


def _description(activity: Activity, gettext: Gettext) -> str:
    """Return the summary followed by how to register, if registration is needed."""
    lines = [activity.summary] if activity.summary else []
    reg = activity.registration
    if reg is not None:
        if reg.phone:
            lines.append(gettext("报名电话：%(phone)s", phone=reg.phone))
        if reg.deadline is not None:
            lines.append(gettext("报名截止：%(date)s", date=reg.deadline.isoformat()))
        if reg.capacity is not None:
            lines.append(gettext("名额：%(count)s人", count=reg.capacity))
        if reg.url:
            lines.append(gettext("在线报名：%(url)s", url=reg.url))
    return "\n".join(lines)


def _host(site: Site) -> str:
    """Return the host name of the site, which scopes UIDs and the PRODID."""
    return urlsplit(site.base_url).hostname or "localhost"
