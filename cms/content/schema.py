"""Which fields each kind of entry has, and how each is checked."""

from __future__ import annotations

from . import fields as f
from .model import STATUSES

COMMON = {
    "status": (f.fixed_choice(*STATUSES), True),
    "publish_at": (f.optional_datetime, False),
    "unpublish_at": (f.optional_datetime, False),  # 定时撤下: off the site from then on
    "updated": (f.optional_datetime, False),
}

# field name -> (converter, required)
FIELDS: dict[str, dict] = {
    "news": {
        "title": (f.text(200), True),
        "date": (f.datetime_, True),
        "category": (f.choice("news_categories"), True),
        "tags": (f.tags, False),
        "summary": (f.text(500, required=False), False),
        "cover": (f.media_ref, False),
        "author": (f.text(100, required=False), False),
        **COMMON,
    },
    "activities": {
        "title": (f.text(200), True),
        "starts_at": (f.datetime_, True),
        "ends_at": (f.datetime_, True),
        "brand": (f.choice("activity_brands"), True),
        "street": (f.choice("streets", required=False), False),
        "venue": (f.text(200, required=False), False),
        "station": (f.slug_ref, False),
        "summary": (f.text(500, required=False), False),
        "cover": (f.media_ref, False),
        "registration": (f.registration, False),
        **COMMON,
    },
    "stations": {
        "name": (f.text(100), True),
        "type": (f.choice("station_types"), True),
        "street": (f.choice("streets"), True),
        "address": (f.text(200), True),
        "location": (f.location, True),
        "hours": (f.hours, True),
        "amenities": (f.choices("amenities"), False),
        "access": (f.choice("access"), False),
        "phone": (f.phone, False),
        "verified_at": (f.date_, False),
        "photos": (f.media_refs, False),  # the entrance first
        "summary": (f.text(500, required=False), False),
        **COMMON,
    },
    "pages": {
        "title": (f.text(200), True),
        "summary": (f.text(500, required=False), False),
        "order": (f.integer(0), False),
        **COMMON,
    },
}


def converter(kind: str, name: str) -> f.Converter:
    """Return the converter of a field; ``registration.capacity`` names a sub-field."""
    head, _, sub = name.partition(".")
    convert = FIELDS[kind][head][0]
    return f.REGISTRATION[sub] if sub and convert is f.registration else convert


def max_length(kind: str, name: str) -> int:
    """Return the most characters a text field may hold (forms state it to editors)."""
    convert = converter(kind, name)
    if not isinstance(convert, f.Text):
        raise TypeError(f"{kind}.{name} is not a text field")
    return convert.max_len


def minimum(kind: str, name: str) -> int:
    """Return the smallest value a whole-number field may hold."""
    convert = converter(kind, name)
    if not isinstance(convert, f.Integer):
        raise TypeError(f"{kind}.{name} is not a whole-number field")
    return convert.minimum
