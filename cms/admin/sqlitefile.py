"""One SQLite file in the instance folder, opened afresh for each use: every server process
(gunicorn worker) shares it, and a connection never outlives the request that opened it."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


class SQLiteFile:
    """A store in one SQLite file; ``schema`` creates its tables the first time."""

    schema = ""

    def __init__(self, path: Path | str):
        self.path = Path(path)
        with self._db() as db:
            db.executescript(self.schema)

    @contextmanager
    def _db(self) -> Iterator[sqlite3.Connection]:
        """Open the file for one transaction (committed on success, rolled back on error)."""
        db = sqlite3.connect(self.path, timeout=10)
        try:
            with db:
                yield db
        finally:
            db.close()
