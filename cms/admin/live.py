"""What the public sees of an entry: its page in the live release, read from the output folder.

The workflow status says what an editor decided; this says whether the site shows it yet, so
the admin can say 已上线 (since when, and where), 等待上线 or 已撤下 instead of guessing.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from ..content import Entry
from ..content.workflow import publish_state
from ..public.urls import entry_path


@dataclass(frozen=True)
class LiveState:
    """One entry as the public sees it: a label, a badge style, and the page when it is up."""

    label: str  # 已上线 2026-11-25 12:00 / 等待上线 / 已撤下 / 未上线
    css: str  # live | pending | withdrawn | offline
    url: str = ""  # the public page, when it is online


def live_state(
    entry: Entry,
    content_root: Path,
    output: Path,
    site_url: str,
    now: dt.datetime,
    was_live: bool = False,
) -> LiveState:
    """Compare the entry (status, schedule, file time) with its page in the live release.

    ``was_live``: an earlier version was published, so an entry not online was taken down.
    """
    path = entry_path(entry)
    page = Path(output) / path.lstrip("/") / "index.html"
    try:
        shown = page.stat().st_mtime
    except OSError:
        shown = None
    try:
        saved = (Path(content_root) / entry.source).stat().st_mtime
    except OSError:
        saved = 0.0
    url = site_url.rstrip("/") + path
    state = publish_state(entry, now)
    if state == "scheduled":
        due = entry.publish_at.astimezone(now.tzinfo).strftime("%Y-%m-%d %H:%M")  # type: ignore[union-attr]
        return LiveState(f"等待上线（定时 {due}）", "pending", url if shown else "")
    if entry.is_live(now):
        if shown is None or shown < saved:  # the page predates this version (or is missing)
            return LiveState("等待上线", "pending", url if shown else "")
        since = dt.datetime.fromtimestamp(shown, now.tzinfo).strftime("%Y-%m-%d %H:%M")
        return LiveState(f"已上线 {since}", "live", url)
    if shown is not None:
        return LiveState("等待撤下", "pending", url)
    if was_live or state == "expired":
        return LiveState("已撤下", "withdrawn")
    return LiveState("未上线", "offline")
