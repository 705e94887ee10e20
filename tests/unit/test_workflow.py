"""The editorial workflow: the status each action gives, and the role it needs."""

from __future__ import annotations

import datetime as dt

import pytest

from cms.content import News
from cms.content.workflow import next_status, publish_state, role_needed

NOW = dt.datetime(2026, 5, 1, 12, tzinfo=dt.UTC)


@pytest.mark.parametrize(
    ("action", "current", "expected"),
    [
        ("save", None, "draft"),
        ("save", "review", "review"),
        ("save", "published", "published"),
        ("submit", "draft", "review"),
        ("publish", "review", "published"),
        ("unpublish", "published", "draft"),
    ],
)
def test_next_status(action, current, expected):
    assert next_status(action, current) == expected


@pytest.mark.parametrize(
    ("action", "current", "new", "role"),
    [
        ("save", None, "draft", "writer"),
        ("submit", "draft", "review", "writer"),
        ("save", "published", "published", "editor"),  # writers cannot change what is live
        ("submit", "published", "review", "editor"),
        ("publish", "review", "published", "editor"),
        ("unpublish", "draft", "draft", "editor"),
        ("restore", "draft", "draft", "writer"),
        ("restore", "draft", "published", "editor"),  # restoring a live version publishes it
        ("restore", "published", "draft", "editor"),
        ("delete", "draft", None, "editor"),
    ],
)
def test_role_needed(action, current, new, role):
    assert role_needed(action, current, new) == role


def test_publish_state_reads_the_parsed_entry():
    entry = News(slug="x", source="news/x.md", status="published")
    assert publish_state(entry, NOW) == "published"
    later = News(slug="x", source="news/x.md", status="published", publish_at=NOW.replace(day=2))
    assert publish_state(later, NOW) == "scheduled"
    assert publish_state(later, NOW.replace(day=3)) == "published"
    assert publish_state(News(slug="x", source="news/x.md", status="review"), NOW) == "review"
