"""The editorial workflow: the status each action gives an entry, and who may take it.

Writers write drafts and submit them for review; editors also publish, withdraw, schedule,
delete, and change whatever is live. The admin checks a user against the role named here.
"""

from __future__ import annotations

import datetime as dt

from .model import Entry

# action -> the status it gives (None keeps the entry's own; a new entry starts as a draft)
ACTIONS: dict[str, str | None] = {
    "save": None,
    "submit": "review",
    "publish": "published",
    "unpublish": "draft",
}
# the least role that may take an action on an entry that is not, and will not be, live
ACTION_ROLES = {
    "save": "writer",
    "submit": "writer",
    "publish": "editor",
    "unpublish": "editor",
    "restore": "writer",
    "delete": "editor",
}
LIVE_ROLE = "editor"  # changing an entry that is published, or making one so
SCHEDULE_ROLE = "editor"  # setting or clearing publish_at


def next_status(action: str, current: str | None) -> str:
    """Return the status an entry at ``current`` (None: not yet saved) has after ``action``."""
    return ACTIONS[action] or current or "draft"


def role_needed(action: str, current: str | None, new: str | None) -> str:
    """Return the least role that may take ``action`` from status ``current`` to ``new``."""
    if "published" in (current, new):
        return LIVE_ROLE
    return ACTION_ROLES[action]


def publish_state(entry: Entry, now: dt.datetime) -> str:
    """Return draft, review, published, or scheduled (published with a future publish_at)."""
    if entry.status == "published" and entry.publish_at and entry.publish_at > now:
        return "scheduled"
    return entry.status
