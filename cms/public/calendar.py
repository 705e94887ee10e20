"""iCalendar (RFC 5545) files of the activities, built with icalendar."""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterable
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from icalendar import Calendar, Component, Event

from ..content.model import Activity, Site
from .urls import entry_path


def calendar_ics(site: Site, activities: Iterable[Activity]) -> bytes:
    """Return the calendar of all given activities (``/activities/calendar.ics``)."""
    return _calendar(site, activities).to_ical()


def event_ics(site: Site, activity: Activity) -> bytes:
    """Return a calendar holding one activity (``/activities/<slug>/event.ics``)."""
    return _calendar(site, [activity]).to_ical()


def _calendar(site: Site, activities: Iterable[Activity]) -> Calendar:
    """Build a calendar; events are sorted so the caller's order never changes the bytes."""
    cal = Calendar()
    # Calendar.new() would add a random UID, so properties are set one by one.
    cal.add("prodid", f"-//{_host(site)}//Yizhan//ZH")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", f"{site.title} 工会活动")
    cal.add("x-wr-timezone", site.timezone)
    tz = ZoneInfo(site.timezone)
    for activity in sorted(activities, key=lambda a: (a.starts_at, a.slug)):
        cal.add_component(_event(site, activity, tz))
    if cal.walk("VEVENT"):
        cal.add_component(_vtimezone(site.timezone))
    return cal


@functools.cache
def _vtimezone(name: str) -> Component:
    """Return the VTIMEZONE of a zone; computing it takes ~30 ms, so once per process.

    Calendars only read the component when serialising, so one object serves them all.
    """
    cal = Calendar()
    event = Event()
    event.add("dtstart", dt.datetime(2000, 1, 1, tzinfo=ZoneInfo(name)))
    cal.add_component(event)
    # The default 1970–2038 span keeps the VTIMEZONE identical from build to build.
    cal.add_missing_timezones()
    return cal.walk("VTIMEZONE")[0]


def _event(site: Site, activity: Activity, tz: ZoneInfo) -> Event:
    """Build the VEVENT of one activity, times in the site's zone with a TZID."""
    event = Event()
    event.add("uid", f"{activity.slug}@{_host(site)}")
    event.add("dtstamp", activity.modified.astimezone(dt.UTC))
    event.add("last-modified", activity.modified.astimezone(dt.UTC))
    event.add("dtstart", activity.starts_at.astimezone(tz))
    event.add("dtend", activity.ends_at.astimezone(tz))
    event.add("summary", activity.title)
    location = _location(site, activity)
    if location:
        event.add("location", location)
    description = _description(activity)
    if description:
        event.add("description", description)
    event.add("url", site.url(entry_path(activity)))
    brand = site.activity_brands.get(activity.brand)
    if activity.brand:
        event.add("categories", [brand.label if brand else activity.brand])
    return event


def _location(site: Site, activity: Activity) -> str:
    """Return "venue（street）", or whichever of the two is known."""
    street = site.streets.get(activity.street)
    street_label = street.label if street else activity.street
    if activity.venue and street_label:
        return f"{activity.venue}（{street_label}）"
    return activity.venue or street_label


def _description(activity: Activity) -> str:
    """Return the summary followed by how to register, if registration is needed."""
    lines = [activity.summary] if activity.summary else []
    reg = activity.registration
    if reg is not None:
        if reg.phone:
            lines.append(f"报名电话：{reg.phone}")
        if reg.deadline is not None:
            lines.append(f"报名截止：{reg.deadline.isoformat()}")
        if reg.capacity is not None:
            lines.append(f"名额：{reg.capacity}人")
        if reg.url:
            lines.append(f"在线报名：{reg.url}")
    return "\n".join(lines)


def _host(site: Site) -> str:
    """Return the host name of the site, which scopes UIDs and the PRODID."""
    return urlsplit(site.base_url).hostname or "localhost"
