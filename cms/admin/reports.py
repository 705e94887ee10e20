"""Readers' reports of a wrong station entry (纠错), kept for the editors who fix them.

Like the comments they are about the work, not content: one SQLite file in the instance folder,
shared by every server process. The same file counts each address's recent posts, so the
public endpoint's limit holds across gunicorn workers.
"""

from __future__ import annotations

import datetime as dt
import html
import re
import time
from dataclasses import dataclass
from pathlib import Path

import nh3
from flask import current_app

from .sqlitefile import SQLiteFile

PROBLEMS = {
    "closed": "已停用",
    "hours": "开放时间不对",
    "place": "位置不对",
    "other": "其他",
}
MAX_TEXT = 1000
MAX_PHONE = 20
PER_MINUTE = 5  # posts one address may make in a minute; the next is refused
SCHEMA = """
CREATE TABLE IF NOT EXISTS reports (
    id INTEGER PRIMARY KEY AUTOINCREMENT, slug TEXT NOT NULL, station TEXT NOT NULL,
    problem TEXT NOT NULL, text TEXT NOT NULL DEFAULT '', phone TEXT NOT NULL DEFAULT '',
    address TEXT NOT NULL DEFAULT '', at TEXT NOT NULL,
    resolved_at TEXT NOT NULL DEFAULT '', resolved_by TEXT NOT NULL DEFAULT ''
);
CREATE INDEX IF NOT EXISTS reports_slug ON reports (slug);
CREATE TABLE IF NOT EXISTS posts (address TEXT NOT NULL, at REAL NOT NULL);
CREATE INDEX IF NOT EXISTS posts_address ON posts (address, at);
"""
COLUMNS = "id, slug, station, problem, text, phone, at, resolved_at, resolved_by"
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


@dataclass(frozen=True)
class Report:
    """One reader's report on a station."""

    id: int
    slug: str
    station: str  # the station's name when it was reported
    problem: str  # a key of PROBLEMS
    text: str
    phone: str
    time: dt.datetime  # UTC
    resolved_at: dt.datetime | None
    resolved_by: str

    @property
    def label(self) -> str:
        return PROBLEMS.get(self.problem, self.problem)


def plain(text: str, limit: int) -> str:
    """Return ``text`` as plain text: markup dropped (not escaped), control characters gone."""
    cleaned = html.unescape(nh3.clean(text, tags=set(), clean_content_tags={"script", "style"}))
    return _CONTROL.sub("", cleaned).strip()[:limit]


class Reports(SQLiteFile):
    """Every report, and the recent posts of each address, in one SQLite file."""

    schema = SCHEMA

    def allow_post(self, address: str, window: float = 60.0) -> bool:
        """Count a post from ``address``; False when it already made PER_MINUTE in the window."""
        now = time.time()
        with self._db() as db:
            db.execute("DELETE FROM posts WHERE at < ?", (now - 3600,))
            recent = db.execute(
                "SELECT COUNT(*) FROM posts WHERE address = ? AND at >= ?", (address, now - window)
            ).fetchone()[0]
            db.execute("INSERT INTO posts (address, at) VALUES (?, ?)", (address, now))
        return recent < PER_MINUTE

    def add(
        self, slug: str, station: str, problem: str, text: str, phone: str, address: str
    ) -> int:
        """Keep a report; return its number."""
        at = dt.datetime.now(dt.UTC).isoformat()
        with self._db() as db:
            cursor = db.execute(
                "INSERT INTO reports (slug, station, problem, text, phone, address, at)"
                " VALUES (?, ?, ?, ?, ?, ?, ?)",
                (slug, station, problem, text, phone, address, at),
            )
            return cursor.lastrowid

    def listed(self, slug: str = "", open_only: bool = False) -> list[Report]:
        """Return reports, newest first: all, one station's, or those not yet resolved."""
        where, args = [], []
        if slug:
            where.append("slug = ?")
            args.append(slug)
        if open_only:
            where.append("resolved_at = ''")
        clause = f" WHERE {' AND '.join(where)}" if where else ""
        with self._db() as db:
            rows = db.execute(
                f"SELECT {COLUMNS} FROM reports{clause} ORDER BY id DESC", args
            ).fetchall()
        return [_report(row) for row in rows]

    def get(self, number: int) -> Report | None:
        with self._db() as db:
            row = db.execute(f"SELECT {COLUMNS} FROM reports WHERE id = ?", (number,)).fetchone()
        return _report(row) if row else None

    def resolve(self, number: int, user: str) -> bool:
        """Mark a report 已处理; False when there is no such open report."""
        at = dt.datetime.now(dt.UTC).isoformat()
        with self._db() as db:
            cursor = db.execute(
                "UPDATE reports SET resolved_at = ?, resolved_by = ?"
                " WHERE id = ? AND resolved_at = ''",
                (at, user, number),
            )
        return cursor.rowcount == 1


def _report(row: tuple) -> Report:
    number, slug, station, problem, text, phone, at, resolved_at, resolved_by = row
    resolved = dt.datetime.fromisoformat(resolved_at) if resolved_at else None
    return Report(
        number, slug, station, problem, text, phone, dt.datetime.fromisoformat(at), resolved,
        resolved_by,
    )  # fmt: skip


def reports() -> Reports:
    """Return the app's reports (made on first use, in the instance folder)."""
    found = current_app.extensions.get("yizhan_reports")
    if found is None:
        found = Reports(Path(current_app.instance_path) / "reports.sqlite3")
        current_app.extensions["yizhan_reports"] = found
    return found
