"""Read site.yml and entry files into model objects, collecting every problem found."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from babel import Locale, UnknownLocaleError

from .errors import FieldError, Problem
from .fields import COLOR_RE, SLUG_RE, Context
from .frontmatter import load_yaml, parse
from .model import ENTRY_CLASSES, Entry, MapSettings, MenuItem, Site, Term
from .schema import FIELDS
from .targets import read_targets

VOCABULARIES = (
    "news_categories",
    "activity_brands",
    "station_types",
    "amenities",
    "access",
    "streets",
)
SITE_SCALARS = {
    "title": str,
    "base_url": str,
    "subtitle": str,
    "language": str,
    "timezone": str,
    "author": str,
    "description": str,
    "news_per_page": int,
    "feed_size": int,
    "yearly_activity_target": int,
    "hotline": str,
    "address": str,
    "icp": str,
    "police_record": str,
    "stale_after_months": int,
    "report_url": str,
}

# Tab, LF and CR are text; the other C0 characters are not (XML 1.0 forbids them).
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def read_site(path: Path, label: str = "content/site.yml") -> tuple[Site | None, list[Problem]]:
    """Read site.yml; return the Site (None if unusable) and the problems found."""
    problems: list[Problem] = []
    try:
        data, lines = load_yaml(path.read_text(encoding="utf-8"))
    except FieldError as exc:
        return None, [Problem(label, getattr(exc, "line", 1), "", str(exc))]
    except (OSError, UnicodeDecodeError) as exc:
        return None, [Problem(label, 0, "", f"cannot read: {exc}")]
    if not isinstance(data, dict):
        return None, [Problem(label, 1, "", "site.yml must be a mapping")]

    def problem(field: str, message: str) -> None:
        problems.append(Problem(label, lines.get(field, 1), field, f"{field} {message}"))

    kwargs: dict[str, Any] = {}
    for key, value in data.items():
        if key in SITE_SCALARS:
            if not isinstance(value, SITE_SCALARS[key]) or isinstance(value, bool):
                problem(key, f"must be {SITE_SCALARS[key].__name__}")
            else:
                kwargs[key] = value
        elif key in VOCABULARIES:
            kwargs[key] = _vocabulary(value, key, problem)
        elif key == "map":
            kwargs["map"] = _map(value, problem)
        elif key == "deploy":
            kwargs["deploy"] = read_targets(value, problem)
        elif key == "backup":
            if not isinstance(value, dict) or not isinstance(value.get("remote"), str):
                problem("backup", "must be {remote: a git repository's path or URL}")
            else:
                kwargs["backup_remote"] = value["remote"]
        elif key == "menu":
            if not isinstance(value, list) or not all(
                isinstance(i, dict)
                and isinstance(i.get("label"), str)
                and isinstance(i.get("url"), str)
                for i in value
            ):
                problem("menu", "must be a list of {label: …, url: …}")
            else:
                kwargs["menu"] = [MenuItem(i["label"], i["url"]) for i in value]
        else:
            problem(key, "is not a known setting")
    for key in ("title", "base_url"):
        if key not in data:
            problems.append(Problem(label, 1, key, f"{key} is required"))
    if kwargs.get("base_url") and not kwargs["base_url"].startswith(("http://", "https://")):
        problem("base_url", "must start with https:// or http://")
    report_url = kwargs.get("report_url", "")
    if report_url and not re.match(r"^(https?://[^/\s]+)?/(?!/)[^\s\\\\]*$", report_url):
        problem("report_url", "must be a path such as /admin/report/ or an https:// address")
    try:
        ZoneInfo(kwargs.get("timezone", "Asia/Shanghai"))
    except (ZoneInfoNotFoundError, ValueError):
        problem("timezone", "is not a time zone name like Asia/Shanghai")
    try:
        Locale.parse(str(kwargs.get("language", "zh-CN")).replace("-", "_"))
    except (UnknownLocaleError, ValueError):
        problem("language", "is not a language tag like zh-CN or en")
    if problems:
        return None, problems
    if not kwargs["base_url"].endswith("/"):
        kwargs["base_url"] += "/"
    return Site(**kwargs), problems


def _vocabulary(value: Any, name: str, problem) -> dict[str, Term]:
    if not isinstance(value, dict):
        problem(name, "must be a mapping of key: {label: …}")
        return {}
    terms = {}
    for key, spec in value.items():
        path = f"{name}.{key}"
        if not isinstance(key, str) or not SLUG_RE.match(key):
            problem(path, "key must be lower-case letters, digits and '-'")
        elif not isinstance(spec, dict) or not isinstance(spec.get("label"), str):
            problem(path, "must be {label: …}")
        elif spec.get("color") and not COLOR_RE.match(str(spec["color"])):
            problem(path + ".color", "must be a colour like #b71c1c")
        else:
            terms[key] = Term(key, spec["label"], str(spec.get("color", "")))
    return terms


def _map(value: Any, problem) -> MapSettings:
    if not isinstance(value, dict):
        problem("map", "must be a mapping")
        return MapSettings()
    center = value.get("center", {})
    try:
        lat, lng = float(center["lat"]), float(center["lng"])
        assert -90 <= lat <= 90 and -180 <= lng <= 180
    except (KeyError, TypeError, ValueError, AssertionError):
        problem("map.center", "must be {lat: …, lng: …}")
        return MapSettings()
    zoom = value.get("zoom", 12)
    if not isinstance(zoom, int) or not 1 <= zoom <= 19:
        problem("map.zoom", "must be a whole number from 1 to 19")
        zoom = 12
    return MapSettings(
        lat, lng, zoom, str(value.get("tiles", "osm")), str(value.get("tianditu_key", ""))
    )


def context_for(site: Site) -> Context:
    """Return the converter context (vocabularies, time zone) of a site."""
    return Context({name: getattr(site, name) for name in VOCABULARIES}, ZoneInfo(site.timezone))


def read_entry(
    path: Path, kind: str, ctx: Context, label: str
) -> tuple[Entry | None, list[Problem]]:
    """Read one entry file; return the entry (None if broken) and its problems."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        return None, [Problem(label, 0, "", f"cannot read: {exc}")]
    return parse_entry(raw, kind, path.stem, ctx, label)


def parse_entry(
    raw: bytes, kind: str, slug: str, ctx: Context, label: str
) -> tuple[Entry | None, list[Problem]]:
    """Parse and validate the bytes of an entry file named ``<slug>.md``."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        return None, [Problem(label, 0, "", f"cannot read as UTF-8 text: {exc}")]
    if not SLUG_RE.match(slug):
        message = (
            f"file name {slug!r} is not a slug: use lower-case letters, digits and '-', "
            "starting with a letter or digit, at most 80"
        )
        return None, [Problem(label, 0, "slug", message)]
    try:
        parsed = parse(text)
    except FieldError as exc:
        return None, [Problem(label, getattr(exc, "line", 1), "", str(exc))]
    problems: list[Problem] = _body_problems(parsed.body, parsed.body_line, label)
    spec = FIELDS[kind]
    values: dict[str, Any] = {}
    for key, value in parsed.data.items():
        if key not in spec:
            problems.append(
                Problem(
                    label,
                    parsed.line_of(str(key)),
                    str(key),
                    f"{key} is not a field of {kind} (fields: {', '.join(spec)})",
                )
            )
            continue
        convert, _ = spec[key]
        try:
            values[key] = convert(value, ctx)
        except FieldError as exc:
            field = f"{key}.{exc.field}" if exc.field else key
            problems.append(Problem(label, parsed.line_of(field), field, f"{field} {exc}"))
    for key, (_, required) in spec.items():
        if required and key not in parsed.data:
            problems.append(Problem(label, 1, key, f"{key} is required"))
    if not problems:
        problems.extend(_cross_checks(kind, values, parsed, label, ctx))
    if problems:
        return None, problems
    cls = ENTRY_CLASSES[kind]
    entry = cls(
        slug=slug,
        source=f"{kind}/{slug}.md",
        body=parsed.body,
        version=hashlib.sha256(raw).hexdigest()[:16],
        body_line=parsed.body_line,
        field_lines=parsed.lines,
        **values,
    )
    return entry, []


def _body_problems(body: str, first_line: int, label: str) -> list[Problem]:
    """Refuse control characters in the body: feeds (XML) and calendars cannot carry them."""
    found = _CONTROL.search(body)
    if found is None:
        return []
    line = first_line + body.count("\n", 0, found.start())
    message = f"body contains the control character U+{ord(found.group()):04X}"
    return [Problem(label, line, "body", message)]


def _cross_checks(kind: str, values: dict, parsed, label: str, ctx: Context) -> list[Problem]:
    if kind != "activities":
        return []
    if values["ends_at"] < values["starts_at"]:
        return [Problem(label, parsed.line_of("ends_at"), "ends_at", "ends_at is before starts_at")]
    reg = values.get("registration")
    starts = values["starts_at"].astimezone(ctx.tz).date()
    if reg is not None and reg.deadline is not None and reg.deadline > starts:
        field = "registration.deadline"
        message = f"{field} {reg.deadline.isoformat()} is after the start {starts.isoformat()}"
        return [Problem(label, parsed.line_of(field), field, message)]
    return []
