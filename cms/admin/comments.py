"""Comments on entries and the review loop around them: who submitted, who sent back and why.

They are about the work, not part of what is published, so they live in the instance folder
beside the users (one SQLite file that every server process shares), never in ``content/``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from flask import current_app

from .sqlitefile import SQLiteFile

EVENTS = {
    "comment": "评论",
    "submit": "提交审核",
    "return": "退回修改",
    "recall": "撤回提交",
    "publish": "批准发布",
}
SCHEMA = """
CREATE TABLE IF NOT EXISTS notes (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    kind TEXT NOT NULL, slug TEXT NOT NULL, author TEXT NOT NULL, at TEXT NOT NULL,
    event TEXT NOT NULL, text TEXT NOT NULL DEFAULT ''
);
CREATE INDEX IF NOT EXISTS notes_entry ON notes (kind, slug);
"""
MAX_LENGTH = 2000


@dataclass(frozen=True)
class Note:
    """One comment or review event on an entry."""

    kind: str
    slug: str
    author: str
    time: dt.datetime  # UTC; shown in the site's time zone
    event: str  # a key of EVENTS
    text: str

    @property
    def label(self) -> str:
        return EVENTS.get(self.event, self.event)


class Notes(SQLiteFile):
    """The comments and review events of every entry, in one SQLite file."""

    schema = SCHEMA

    def add(self, kind: str, slug: str, author: str, event: str, text: str = "") -> None:
        """Record an event (or a comment) on an entry, now."""
        if event not in EVENTS:
            raise ValueError(f"unknown event {event!r}")
        at = dt.datetime.now(dt.UTC).isoformat()
        with self._db() as db:
            db.execute(
                "INSERT INTO notes (kind, slug, author, at, event, text) VALUES (?, ?, ?, ?, ?, ?)",
                (kind, slug, author, at, event, text.strip()[:MAX_LENGTH]),
            )

    def of(self, kind: str, slug: str) -> list[Note]:
        """Return an entry's notes, oldest first."""
        with self._db() as db:
            rows = db.execute(
                "SELECT kind, slug, author, at, event, text FROM notes"
                " WHERE kind = ? AND slug = ? ORDER BY id",
                (kind, slug),
            ).fetchall()
        return [_note(row) for row in rows]

    def last_events(self) -> dict[tuple[str, str], dict[str, Note]]:
        """Return, for each entry, its newest note of each event (for the inboxes)."""
        with self._db() as db:
            rows = db.execute(
                "SELECT kind, slug, author, at, event, text FROM notes ORDER BY id"
            ).fetchall()
        found: dict[tuple[str, str], dict[str, Note]] = {}
        for row in rows:
            note = _note(row)
            found.setdefault((note.kind, note.slug), {})[note.event] = note
            found[(note.kind, note.slug)]["last"] = note
        return found


def _note(row: tuple) -> Note:
    kind, slug, author, at, event, text = row
    return Note(kind, slug, author, dt.datetime.fromisoformat(at), event, text)


def notes() -> Notes:
    """Return the app's notes (made on first use, in the instance folder)."""
    found = current_app.extensions.get("yizhan_notes")
    if found is None:
        found = Notes(Path(current_app.instance_path) / "notes.sqlite3")
        current_app.extensions["yizhan_notes"] = found
    return found
