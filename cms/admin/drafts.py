"""Autosaved form drafts, per user and entry, in the instance folder (never in content/).

A draft is the form as the editor left it (every field, as posted), kept until they save the
entry or throw the draft away; it is offered back when they open the entry again after a
crash, a closed tab or an expired login. The entry's file is never touched by it.
"""

from __future__ import annotations

import datetime as dt
import json
import time
from collections.abc import Iterable
from dataclasses import dataclass

from flask import current_app
from werkzeug.datastructures import MultiDict

from .sqlitefile import SQLiteFile

SCHEMA = """
CREATE TABLE IF NOT EXISTS drafts (
    user TEXT NOT NULL, kind TEXT NOT NULL, slug TEXT NOT NULL,
    saved REAL NOT NULL, version TEXT NOT NULL, form TEXT NOT NULL,
    PRIMARY KEY (user, kind, slug)
);
"""
NOT_KEPT = ("csrf_token", "action", "reason")  # a token goes stale; a button is no content


@dataclass(frozen=True)
class Draft:
    saved: float  # seconds since the epoch
    version: str  # the version of the entry the form was loaded from
    pairs: list[tuple[str, str]]

    def form(self) -> MultiDict:
        """Return the draft as form data, ready to fill the entry's form."""
        return MultiDict(self.pairs)

    def saved_at(self, tz: dt.tzinfo) -> dt.datetime:
        return dt.datetime.fromtimestamp(self.saved, tz)

    @property
    def title(self) -> str:
        """Return the title (or a station's name) typed into the form, or （无标题）."""
        form = self.form()
        return (form.get("title") or form.get("name") or "").strip() or "（无标题）"


class Drafts(SQLiteFile):
    """The drafts database: one row per user, kind and entry (slug "" for a new entry)."""

    schema = SCHEMA

    def keep(self, user: str, kind: str, slug: str, pairs: Iterable[tuple[str, str]]) -> float:
        """Store the form ``pairs`` as the user's draft of an entry; return when it was kept."""
        kept = [(k, v) for k, v in pairs if k not in NOT_KEPT]
        version = next((v for k, v in kept if k == "version"), "")
        now = time.time()
        with self._db() as db:
            db.execute(
                "INSERT OR REPLACE INTO drafts (user, kind, slug, saved, version, form) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                (user, kind, slug, now, version, json.dumps(kept, ensure_ascii=False)),
            )
        return now

    def get(self, user: str, kind: str, slug: str) -> Draft | None:
        with self._db() as db:
            row = db.execute(
                "SELECT saved, version, form FROM drafts WHERE user = ? AND kind = ? AND slug = ?",
                (user, kind, slug),
            ).fetchone()
        if row is None:
            return None
        return Draft(row[0], row[1], [tuple(pair) for pair in json.loads(row[2])])

    def of(self, user: str) -> list[tuple[str, str, Draft]]:
        """Return a user's drafts as (kind, slug, draft), newest first."""
        with self._db() as db:
            rows = db.execute(
                "SELECT kind, slug, saved, version, form FROM drafts WHERE user = ? "
                "ORDER BY saved DESC",
                (user,),
            ).fetchall()
        return [(k, s, Draft(t, v, [tuple(p) for p in json.loads(f)])) for k, s, t, v, f in rows]

    def drop(self, user: str, kind: str, *slugs: str) -> None:
        with self._db() as db:
            db.executemany(
                "DELETE FROM drafts WHERE user = ? AND kind = ? AND slug = ?",
                [(user, kind, slug) for slug in slugs],
            )


def drafts() -> Drafts:
    """Return the running admin's drafts."""
    return current_app.extensions["yizhan_drafts"]
