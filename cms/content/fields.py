"""Field converters: turn raw YAML values into model values or raise FieldError."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from .errors import FieldError
from .hours import parse_hours
from .model import Location, Registration
from .slugs import SLUG_RE

PHOTOS_MAX = 12
MEDIA_RE = re.compile(r"^media/[A-Za-z0-9][A-Za-z0-9._/-]*\Z")
PHONE_RE = re.compile(r"^[0-9+() -]{3,30}\Z")
COLOR_RE = re.compile(r"^#[0-9a-fA-F]{6}\Z")
_NOT_IN_TAGS = set("\\#?%\x7f")
TAG_MAX_LENGTH = 30
LATITUDE = (-90, 90)
LONGITUDE = (-180, 180)

Converter = Callable[[Any, "Context"], Any]


class Context:
    """What a converter may need besides the value: the site's vocabularies and time zone."""

    def __init__(self, vocabularies: dict[str, dict], tz: ZoneInfo):
        self.vocabularies = vocabularies
        self.tz = tz


@dataclass(frozen=True)
class Text:
    """A text converter: stripped, at most ``max_len`` characters, no control characters."""

    max_len: int = 500
    required: bool = True

    def __call__(self, value: Any, ctx: Context) -> str:
        if value is None:
            value = ""
        if isinstance(value, bool) or not isinstance(value, (str, int, float)):
            raise FieldError(f"must be text, not {_kind(value)}")
        value = str(value).strip()
        if self.required and not value:
            raise FieldError("must not be empty")
        if len(value) > self.max_len:
            raise FieldError(f"is {len(value)} characters long; at most {self.max_len} are allowed")
        if any(ord(c) < 32 and c not in "\n\t" for c in value):
            raise FieldError("contains control characters")
        return value


def text(max_len: int = 500, required: bool = True) -> Text:
    return Text(max_len, required)


def datetime_(value: Any, ctx: Context) -> dt.datetime:
    if isinstance(value, str):
        try:
            value = dt.datetime.fromisoformat(value.strip())
        except ValueError:
            raise FieldError(
                f"{value!r} is not a date-time like 2021-04-09T10:00:00+08:00"
            ) from None
    if isinstance(value, dt.datetime):
        if value.tzinfo is None:
            return value.replace(tzinfo=ctx.tz)
        if type(value.tzinfo) is dt.timezone:  # one object per offset: see _ZONES
            key = (value.utcoffset(), value.tzname())
            return value.replace(tzinfo=_ZONES.setdefault(key, value.tzinfo))
        return value
    if isinstance(value, dt.date):
        return dt.datetime(value.year, value.month, value.day, tzinfo=ctx.tz)
    raise FieldError(f"{value!r} is not a date-time like 2021-04-09T10:00:00+08:00")


# Every "+08:00" of 10,000 files parses into its own timezone object; sharing one per offset
# lets the build cache store (and a fresh process make) one instead of thousands.
_ZONES: dict[tuple, dt.tzinfo] = {}


def optional_datetime(value: Any, ctx: Context) -> dt.datetime | None:
    return None if value in (None, "") else datetime_(value, ctx)


def date_(value: Any, ctx: Context) -> dt.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise FieldError(f"{value!r} is not a date like 2021-05-20")


def choice(vocabulary: str, required: bool = True) -> Converter:
    def convert(value: Any, ctx: Context) -> str:
        if value in (None, "") and not required:
            return ""
        keys = ctx.vocabularies[vocabulary]
        if not isinstance(value, str) or value not in keys:
            raise FieldError(f"{value!r} is not one of site.yml {vocabulary}: {', '.join(keys)}")
        return value

    return convert


def fixed_choice(*options: str) -> Converter:
    def convert(value: Any, ctx: Context) -> str:
        if value not in options:
            raise FieldError(f"{value!r} is not one of: {', '.join(options)}")
        return value

    return convert


def choices(vocabulary: str) -> Converter:
    one = choice(vocabulary)

    def convert(value: Any, ctx: Context) -> list[str]:
        items = _list(value)
        for index, item in enumerate(items):
            try:
                one(item, ctx)
            except FieldError as exc:
                raise FieldError(str(exc), str(index)) from None
        return list(dict.fromkeys(items))

    return convert


def tags(value: Any, ctx: Context) -> list[str]:
    items = _list(value)
    out = []
    for index, item in enumerate(items):
        if isinstance(item, bool) or not isinstance(item, (str, int)) or not str(item).strip():
            raise FieldError(f"tag {item!r} must be non-empty text", str(index))
        tag = str(item).strip()
        if len(tag) > TAG_MAX_LENGTH or "/" in tag:
            raise FieldError(
                f"tag {tag!r} must be at most {TAG_MAX_LENGTH} characters without '/'", str(index)
            )
        # A tag is also an address (/news/tag/<tag>/): nothing that ends or escapes a path.
        if tag in (".", "..") or any(c in _NOT_IN_TAGS or ord(c) < 32 for c in tag):
            raise FieldError(
                f"tag {tag!r} must not be '.' or '..' nor contain \\ # ? % or control characters",
                str(index),
            )
        out.append(tag)
    return list(dict.fromkeys(out))


@dataclass(frozen=True)
class Integer:
    """A whole-number converter with a lower bound."""

    minimum: int = 0

    def __call__(self, value: Any, ctx: Context) -> int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise FieldError(f"{value!r} is not a whole number")
        if value < self.minimum:
            raise FieldError(f"{value} is below {self.minimum}")
        return value


def integer(minimum: int = 0) -> Integer:
    return Integer(minimum)


def slug_ref(value: Any, ctx: Context) -> str:
    if value in (None, ""):
        return ""
    if not isinstance(value, str) or not SLUG_RE.match(value):
        raise FieldError(f"{value!r} is not a slug (lower-case letters, digits and '-')")
    return value


def media_ref(value: Any, ctx: Context) -> str:
    if value in (None, ""):
        return ""
    if not isinstance(value, str) or not MEDIA_RE.match(value) or ".." in value.split("/"):
        raise FieldError(f"{value!r} is not a media file reference like media/2021/photo.jpg")
    return value


def media_refs(value: Any, ctx: Context) -> list[str]:
    """A list of media file references (a station's photos), each once, at most PHOTOS_MAX."""
    items = _list(value)
    if len(items) > PHOTOS_MAX:
        raise FieldError(f"has {len(items)} photos; at most {PHOTOS_MAX}")
    out = []
    for index, item in enumerate(items):
        try:
            ref = media_ref(item, ctx)
        except FieldError as exc:
            raise FieldError(str(exc), str(index)) from None
        if not ref:
            raise FieldError("an empty photo reference", str(index))
        out.append(ref)
    return list(dict.fromkeys(out))


def phone(value: Any, ctx: Context) -> str:
    if value in (None, ""):
        return ""
    value = str(value).strip()
    if not PHONE_RE.match(value):
        raise FieldError(f"{value!r} is not a phone number")
    return value


def location(value: Any, ctx: Context) -> Location:
    if not isinstance(value, dict):
        raise FieldError("must be {lat: …, lng: …} in WGS-84")
    for key in value:
        if key not in ("lat", "lng"):
            raise FieldError(f"unknown key {key!r} (only lat and lng)", str(key))
    lat, lng = value.get("lat"), value.get("lng")
    if not _number(lat):
        raise FieldError(f"{lat!r} is not a latitude", "lat")
    if not LATITUDE[0] <= lat <= LATITUDE[1]:
        raise FieldError(f"{lat} is not a latitude", "lat")
    if not _number(lng):
        raise FieldError(f"{lng!r} is not a longitude", "lng")
    if not LONGITUDE[0] <= lng <= LONGITUDE[1]:
        raise FieldError(f"{lng} is not a longitude", "lng")
    return Location(float(lat), float(lng))


def hours(value: Any, ctx: Context) -> list[str]:
    items = _list(value)
    for index, item in enumerate(items):
        try:
            parse_hours([item])
        except ValueError as exc:
            raise FieldError(str(exc), str(index)) from None
    return [str(i) for i in items]


def registration(value: Any, ctx: Context) -> Registration | None:
    if value in (None, ""):
        return None
    if not isinstance(value, dict):
        raise FieldError("must be {phone: …, deadline: …, capacity: …}")
    out: dict[str, Any] = {}
    for key, raw in value.items():
        if key not in REGISTRATION:
            raise FieldError(f"unknown key {key!r} (known: {', '.join(REGISTRATION)})", str(key))
        try:
            out[key] = REGISTRATION[key](raw, ctx)
        except FieldError as exc:
            raise FieldError(f"{exc}", str(key)) from None
    if out.get("url") and not str(out["url"]).startswith(("https://", "http://")):
        raise FieldError("must be an http(s) address", "url")
    capacity, registered = out.get("capacity"), out.get("registered", 0)
    if capacity is not None and registered > capacity:
        raise FieldError(f"{registered} is more than the capacity {capacity}", "registered")
    return Registration(**out)


REGISTRATION: dict[str, Converter] = {
    "phone": phone,
    "deadline": date_,
    "capacity": integer(1),
    "registered": integer(0),
    "url": text(300, required=False),
}


def _list(value: Any) -> list:
    if value is None:
        return []
    if not isinstance(value, list):
        raise FieldError(f"must be a list like [a, b], not {_kind(value)}")
    return value


def _number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and value == value


def _kind(value: Any) -> str:
    return {dict: "a mapping", list: "a list", bool: "yes/no"}.get(
        type(value), type(value).__name__
    )
