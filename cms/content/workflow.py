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
    "return": "draft",  # 退回修改: an editor sends a submission back, with a reason
    "recall": "draft",  # 撤回提交: the writer takes a submission back to go on writing
}
FROM_REVIEW = ("return", "recall")  # actions only a submission awaiting review can take
# the least role that may take an action on an entry that is not, and will not be, live
ACTION_ROLES = {
    "save": "writer",
    "submit": "writer",
    "publish": "editor",
    "unpublish": "editor",
    "restore": "writer",
    "delete": "editor",
    "return": "editor",
    "recall": "writer",
    "comment": "writer",
}
OWN_DRAFT_ROLE = "writer"  # deleting a draft one made oneself
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
    """Return draft, review, published, scheduled (published with a future publish_at) or
    expired (published, but its unpublish_at has passed: taken down on schedule)."""
    if entry.status == "published":
        if entry.unpublish_at and entry.unpublish_at <= now:
            return "expired"
        if entry.publish_at and entry.publish_at > now:
            return "scheduled"
    return entry.status


def schedule_times(entry: Entry) -> list[dt.datetime]:
    """Return the moments at which a published entry goes up or comes down by itself."""
    if entry.status != "published":
        return []
    return [t for t in (entry.publish_at, entry.unpublish_at) if t is not None]
