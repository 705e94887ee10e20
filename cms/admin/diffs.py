"""Line diffs for the conflict page and the history view."""

from __future__ import annotations

import difflib
from dataclasses import dataclass


@dataclass(frozen=True)
class DiffLine:
    kind: str  # "add", "del", "hunk" or "same"
    text: str


def diff(old: str | None, new: str | None, old_label: str, new_label: str) -> list[DiffLine]:
    """Return a unified diff of two texts as classified lines (empty when equal)."""
    lines = difflib.unified_diff(
        (old or "").splitlines(),
        (new or "").splitlines(),
        old_label,
        new_label,
        n=3,
        lineterm="",
    )
    out = []
    for line in lines:
        if line.startswith(("---", "+++")):
            continue
        kind = {"+": "add", "-": "del", "@": "hunk"}.get(line[:1], "same")
        out.append(DiffLine(kind, line))
    return out
