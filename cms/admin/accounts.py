"""Accounts, sessions, failed logins and the audit log, in one SQLite file in the instance folder.

Nothing here lives in content/: content is published and backed up as plain files, while
password hashes and the audit trail belong to the server that runs the admin.
"""

from __future__ import annotations

import datetime as dt
import re
import secrets
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from zoneinfo import ZoneInfo

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

ROLES = ("writer", "editor", "admin")
ROLE_LABELS = {"writer": "撰稿人", "editor": "编辑", "admin": "管理员"}
NAME_RE = re.compile(r"^[A-Za-z0-9_.-]{2,40}\Z")
MIN_PASSWORD = 10

# argon2id with 64 MiB and two passes (about 0.2 s per login on a small server): above OWASP's
# minimum (m=19 MiB, t=2, p=1), which is the floor ``Accounts`` accepts (tests use it).
STRONG = {"time_cost": 2, "memory_cost": 64 * 1024, "parallelism": 1}
OWASP_MINIMUM = {"time_cost": 2, "memory_cost": 19 * 1024, "parallelism": 1}

SCHEMA = """
CREATE TABLE IF NOT EXISTS users (
    name TEXT PRIMARY KEY, role TEXT NOT NULL, hash TEXT NOT NULL,
    active INTEGER NOT NULL DEFAULT 1, created TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS sessions (
    sid TEXT PRIMARY KEY, name TEXT NOT NULL, created REAL NOT NULL, seen REAL
);
CREATE TABLE IF NOT EXISTS failures (key TEXT NOT NULL, at REAL NOT NULL);
CREATE INDEX IF NOT EXISTS failures_key ON failures (key, at);
CREATE TABLE IF NOT EXISTS audit (
    id INTEGER PRIMARY KEY AUTOINCREMENT, at TEXT NOT NULL, user TEXT NOT NULL,
    action TEXT NOT NULL, target TEXT NOT NULL DEFAULT '', detail TEXT NOT NULL DEFAULT '',
    address TEXT NOT NULL DEFAULT ''
);
"""


class AccountError(ValueError):
    """A user change that cannot be made; the message is shown to the admin (Chinese)."""


@dataclass(frozen=True)
class User:
    name: str
    role: str
    active: bool
    created: str

    @property
    def role_label(self) -> str:
        return ROLE_LABELS.get(self.role, self.role)

    def can(self, role: str) -> bool:
        """Tell whether this user has ``role`` or a stronger one."""
        return ROLES.index(self.role) >= ROLES.index(role)


@dataclass(frozen=True)
class AuditRecord:
    id: int
    at: str
    user: str
    action: str
    target: str
    detail: str
    address: str


class Accounts:
    """The admin's own database: users, login sessions, failed logins, audit log."""

    def __init__(self, path: Path | str, argon2: dict | None = None):
        params = {**STRONG, **(argon2 or {})}
        if any(params[k] < OWASP_MINIMUM[k] for k in OWASP_MINIMUM):
            raise ValueError(f"argon2 parameters below OWASP's minimum {OWASP_MINIMUM}")
        self.hasher = PasswordHasher(**params)
        # Verified when the user does not exist, so a wrong name costs as much as a wrong password.
        self._dummy = self.hasher.hash(secrets.token_hex(16))
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self._db() as db:
            db.executescript(SCHEMA)
            columns = [row[1] for row in db.execute("PRAGMA table_info(sessions)")]
            if "seen" not in columns:  # a database made before sessions slid with activity
                db.execute("ALTER TABLE sessions ADD COLUMN seen REAL")

    @contextmanager
    def _db(self) -> Iterator[sqlite3.Connection]:
        db = sqlite3.connect(self.path, timeout=10)
        try:
            db.execute("PRAGMA journal_mode=WAL")
            with db:
                yield db
        finally:
            db.close()

    # users
    def add(self, name: str, role: str, password: str) -> User:
        """Create a user; raise AccountError for a taken name, bad role or weak password."""
        if not NAME_RE.match(name):
            raise AccountError("用户名只能用 2–40 个英文字母、数字、点、下划线或连字符")
        _check_role(role)
        _check_password(password)
        created = _now()
        try:
            with self._db() as db:
                db.execute(
                    "INSERT INTO users (name, role, hash, created) VALUES (?, ?, ?, ?)",
                    (name, role, self.hasher.hash(password), created),
                )
        except sqlite3.IntegrityError:
            raise AccountError(f"用户 {name} 已存在") from None
        return User(name, role, True, created)

    def get(self, name: str) -> User | None:
        with self._db() as db:
            row = db.execute(
                "SELECT name, role, active, created FROM users WHERE name = ?", (name,)
            ).fetchone()
        return User(row[0], row[1], bool(row[2]), row[3]) if row else None

    def all(self) -> list[User]:
        with self._db() as db:
            rows = db.execute("SELECT name, role, active, created FROM users ORDER BY name")
            return [User(r[0], r[1], bool(r[2]), r[3]) for r in rows]

    def update(
        self,
        name: str,
        role: str | None = None,
        active: bool | None = None,
        password: str | None = None,
    ) -> None:
        """Change a user's role, active flag or password; ends their sessions."""
        if self.get(name) is None:
            raise AccountError(f"没有用户 {name}")
        with self._db() as db:
            if role is not None:
                _check_role(role)
                self._keep_an_admin(db, name, role == "admin")
                db.execute("UPDATE users SET role = ? WHERE name = ?", (role, name))
            if active is not None:
                if not active:
                    self._keep_an_admin(db, name, False)
                db.execute("UPDATE users SET active = ? WHERE name = ?", (int(active), name))
            if password is not None:
                _check_password(password)
                db.execute(
                    "UPDATE users SET hash = ? WHERE name = ?", (self.hasher.hash(password), name)
                )
            db.execute("DELETE FROM sessions WHERE name = ?", (name,))

    def delete(self, name: str) -> None:
        with self._db() as db:
            self._keep_an_admin(db, name, False)
            db.execute("DELETE FROM users WHERE name = ?", (name,))
            db.execute("DELETE FROM sessions WHERE name = ?", (name,))

    def _keep_an_admin(self, db: sqlite3.Connection, name: str, stays_admin: bool) -> None:
        if stays_admin:
            return
        others = db.execute(
            "SELECT COUNT(*) FROM users WHERE role = 'admin' AND active = 1 AND name != ?",
            (name,),
        ).fetchone()[0]
        row = db.execute("SELECT role FROM users WHERE name = ?", (name,)).fetchone()
        if row and row[0] == "admin" and others == 0:
            raise AccountError("至少要保留一位启用的管理员")

    def verify(self, name: str, password: str) -> User | None:
        """Return the active user if the password matches (rehashing old hashes), else None."""
        with self._db() as db:
            row = db.execute("SELECT hash, active FROM users WHERE name = ?", (name,)).fetchone()
        try:
            self.hasher.verify(row[0] if row else self._dummy, password)
        except (VerificationError, InvalidHashError):
            return None
        if row is None or not row[1]:
            return None
        if self.hasher.check_needs_rehash(row[0]):
            with self._db() as db:
                db.execute(
                    "UPDATE users SET hash = ? WHERE name = ?", (self.hasher.hash(password), name)
                )
        return self.get(name)

    # sessions: the cookie only carries a random id, so logout and user changes end it here
    def open_session(self, name: str) -> str:
        sid = secrets.token_urlsafe(32)
        now = time.time()
        with self._db() as db:
            db.execute(
                "INSERT INTO sessions (sid, name, created, seen) VALUES (?, ?, ?, ?)",
                (sid, name, now, now),
            )
        return sid

    def session_user(self, sid: str, idle: float, longest: float) -> User | None:
        """Return the session's user and note the activity, or None when the session is over:
        unknown, its user disabled, idle for more than ``idle`` seconds, or older than
        ``longest`` (an active editor is never logged out mid-sentence before that)."""
        now = time.time()
        with self._db() as db:
            row = db.execute(
                "SELECT u.name, u.role, u.active, u.created, s.created, s.seen FROM sessions s "
                "JOIN users u ON u.name = s.name WHERE s.sid = ?",
                (sid,),
            ).fetchone()
            if row is None or not row[2]:
                return None
            seen = row[5] or row[4]
            if now - seen > idle or now - row[4] > longest:
                return None
            if now - seen > 30:  # a write every half minute at most: enough to slide
                db.execute("UPDATE sessions SET seen = ? WHERE sid = ?", (now, sid))
        return User(row[0], row[1], True, row[3])

    def session_owner(self, sid: str) -> str | None:
        """Return the user name of a session, ended or not (to keep an expired form for them)."""
        with self._db() as db:
            row = db.execute("SELECT name FROM sessions WHERE sid = ?", (sid,)).fetchone()
        return row[0] if row else None

    def close_session(self, sid: str) -> None:
        with self._db() as db:
            db.execute("DELETE FROM sessions WHERE sid = ?", (sid,))

    # failed logins
    def failures(self, keys: list[str], window: float = 60.0) -> int:
        """Return the most failed logins within ``window`` seconds among ``keys``."""
        since = time.time() - window
        with self._db() as db:
            db.execute("DELETE FROM failures WHERE at < ?", (time.time() - 3600,))
            counts = [
                db.execute(
                    "SELECT COUNT(*) FROM failures WHERE key = ? AND at >= ?", (key, since)
                ).fetchone()[0]
                for key in keys
            ]
        return max(counts, default=0)

    def record_failure(self, keys: list[str]) -> None:
        now = time.time()
        with self._db() as db:
            db.executemany("INSERT INTO failures (key, at) VALUES (?, ?)", [(k, now) for k in keys])

    # audit log
    def audit(
        self, user: str, action: str, target: str = "", detail: str = "", address: str = ""
    ) -> None:
        with self._db() as db:
            db.execute(
                "INSERT INTO audit (at, user, action, target, detail, address) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                (_now(), user, action, target, detail, address),
            )

    def audit_log(
        self, page: int = 1, per_page: int = 50, action: str = "", user: str = ""
    ) -> tuple[int, list[AuditRecord]]:
        where, args = [], []
        if action:
            where.append("action = ?")
            args.append(action)
        if user:
            where.append("user = ?")
            args.append(user)
        clause = f" WHERE {' AND '.join(where)}" if where else ""
        with self._db() as db:
            total = db.execute(f"SELECT COUNT(*) FROM audit{clause}", args).fetchone()[0]
            rows = db.execute(
                f"SELECT id, at, user, action, target, detail, address FROM audit{clause} "
                "ORDER BY id DESC LIMIT ? OFFSET ?",
                [*args, per_page, (page - 1) * per_page],
            ).fetchall()
        return total, [AuditRecord(*r) for r in rows]


def _check_role(role: str) -> None:
    if role not in ROLES:
        raise AccountError(f"角色必须是 {'、'.join(ROLES)} 之一")


def _check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise AccountError(f"密码至少 {MIN_PASSWORD} 个字符")


def _now() -> str:
    return dt.datetime.now(ZoneInfo("Asia/Shanghai")).isoformat(timespec="seconds")
