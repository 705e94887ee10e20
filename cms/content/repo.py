"""The content folder as a git repository: every version of every file, from any source.

Each admin save is one commit with the editor as its author; what changed outside the admin
(a file edited by hand, a script, the ledger command) is committed as 外部修改 before each
publish. Debian's ``git`` command does the work; every git call in a folder holds one lock
file, so the processes of a server never meet git's own ``index.lock``.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import json
import os
import re
import shutil
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

EXTERNAL = "外部修改"  # the author of changes made outside the admin
EXTERNAL_ACCOUNT = "outside"
COMMITTER = ("驿站后台", "yizhan")
BRANCH = "main"
ACTION_KEY = "Yizhan-Action"
LEGACY_HISTORY = ".history"  # the revisions folder kept before content/ was a repository
# Temp files of atomic writes and lock files never belong in a commit.
EXCLUDE = ".*.tmp\n*.lock\n/.history/\n"
_COMMIT_ID = re.compile(r"^[0-9a-f]{7,40}$")
_ACTION_WORDS = {
    "create": "新建",
    "save": "保存",
    "delete": "删除",
    "restore": "恢复",
    "rename": "改名",
    "outside": EXTERNAL,
    "import": "导入台账",
}


class GitError(RuntimeError):
    """A git command failed; the message carries its output."""


class UntrackedPath(GitError):
    """A commit named a file git does not know yet (a new entry)."""


@dataclass(frozen=True)
class Commit:
    """One commit that touched a file: who, when, what they did, and whether it removed it."""

    id: str
    author: str  # the account
    author_name: str  # the name shown
    time: dt.datetime
    action: str  # create | save | delete | restore | outside …
    deleted: bool


def is_commit_id(text: str) -> bool:
    """Tell whether ``text`` looks like a commit id (so it is safe to hand to git)."""
    return bool(_COMMIT_ID.match(text))


class Repo:
    """The git repository at a content root (``<root>/.git``)."""

    def __init__(self, root: Path | str):
        self.root = Path(root)
        self.git_dir = self.root / ".git"

    def exists(self) -> bool:
        return (self.git_dir / "HEAD").is_file()

    # setting up ------------------------------------------------------------------------------
    def ensure(self) -> None:
        """Make the folder a repository with a first commit, once; older ``.history/``
        revisions become its first commits, oldest first."""
        ready = self.git_dir / "yizhan-ready"
        if ready.exists():
            return
        self.git_dir.mkdir(parents=True, exist_ok=True)  # git init fills it; the lock lives here
        with self.locked():
            if ready.exists():
                return
            self._git("init", "-q", "-b", BRANCH)
            (self.git_dir / "info").mkdir(exist_ok=True)
            (self.git_dir / "info" / "exclude").write_text(EXCLUDE, encoding="utf-8")
            if self.head() is None:
                _migrate(self)
                if self.head() is not None:
                    self._git("reset", "-q")  # the index follows the replayed history
                self._commit_all("建立内容仓库：已有的文件")
                legacy = self.root / LEGACY_HISTORY
                if legacy.is_dir():
                    shutil.rmtree(legacy)
            ready.write_text("1\n")

    # writing ---------------------------------------------------------------------------------
    def commit_file(self, path: str, account: str, name: str, action: str) -> bool:
        """Commit the file at ``path`` (relative to the root) as it is now, or its removal;
        return whether there was a change to commit. One git process for a tracked file.

        Call it holding ``locked()`` since before the file was written: a commit of outside
        changes must never take in an admin save half done.
        """
        word = _ACTION_WORDS.get(action, action)
        message = f"{word}：{path}\n\n{ACTION_KEY}: {action}\n"
        try:
            return self._commit(message, account, name, ["--", path])
        except UntrackedPath:
            self._git("add", "--", path)
            return self._commit(message, account, name, ["--", path])

    def commit_outside(
        self, message: str = EXTERNAL, account: str = "", action: str = "outside"
    ) -> str | None:
        """Commit whatever changed in the folder since the last commit, as 外部修改 (or as
        ``account``'s import); return the commit id (None when nothing changed or the folder is
        not a repository yet)."""
        if not self.exists():
            return None
        with self.locked():
            return self._commit_all(message, account, action)

    def push(self, remote: str) -> None:
        """Push the history to ``remote`` (a path or URL), as a backup."""
        with self.locked():
            self._git("push", "-q", remote, f"HEAD:refs/heads/{BRANCH}")

    # reading ---------------------------------------------------------------------------------
    def log(self, path: str, limit: int = 0) -> list[Commit]:
        """Return the commits that touched ``path``, newest first."""
        if not self.exists():
            return []
        fields = "%H%x1f%ae%x1f%an%x1f%aI%x1f%(trailers:key=" + ACTION_KEY + ",valueonly)"
        args = ["log", "--no-renames", "--name-status", f"--format=%x1e{fields}"]
        if limit:
            args.append(f"-{limit}")
        out = self._git(*args, "--", path, check=False)
        commits = []
        for record in out.split("\x1e")[1:]:
            head, _, status = record.partition("\n\n")
            sha, account, name, when, action = (head.strip("\n").split("\x1f") + [""] * 5)[:5]
            deleted = any(line.startswith("D\t") for line in status.splitlines())
            account = account if account != EXTERNAL_ACCOUNT else EXTERNAL
            commits.append(
                Commit(
                    sha,
                    account,
                    name,
                    dt.datetime.fromisoformat(when),
                    action.strip() or "outside",
                    deleted,
                )  # fmt: skip
            )
        return commits

    def ever_had_line(self, path: str, line: str) -> bool:
        """Tell whether any commit of ``path`` added or removed exactly ``line``."""
        if not self.exists():
            return False
        pattern = "^" + re.escape(line) + "$"
        out = self._git("log", "-1", "--format=%H", "-G", pattern, "--", path, check=False)
        return bool(out.strip())

    def show(self, commit: str, path: str) -> bytes | None:
        """Return the bytes of ``path`` at ``commit`` (None when it had no such file)."""
        if not is_commit_id(commit):
            raise ValueError(f"{commit!r} is not a commit id")
        result = self._run(["cat-file", "blob", f"{commit}:{path}"], check=False)
        return result.stdout if result.returncode == 0 else None

    def head(self) -> str | None:
        """Return the newest commit's id (None before the first)."""
        result = self._run(["rev-parse", "--verify", "-q", "HEAD"], check=False)
        if result.returncode != 0:
            return None
        return result.stdout.decode().strip() or None

    # plumbing --------------------------------------------------------------------------------
    @contextmanager
    def locked(self) -> Iterator[None]:
        """Hold this repository's lock (one git writer at a time, across processes).

        Every git command here runs under it, so a lock file git left is from a process
        killed midway (a worker past its timeout): it is removed, or no save could commit.
        """
        with open(self.git_dir / "yizhan.lock", "a+b") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            for stale in (self.git_dir / "index.lock", self.git_dir / "HEAD.lock"):
                stale.unlink(missing_ok=True)
            for stale in (self.git_dir / "refs" / "heads").glob("*.lock"):
                stale.unlink(missing_ok=True)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    def _commit_all(self, message: str, account: str = "", action: str = "outside") -> str | None:
        self._git("add", "-A")
        message = f"{message}\n\n{ACTION_KEY}: {action}\n"
        if not self._commit(message, account or EXTERNAL_ACCOUNT, account or EXTERNAL):
            return None
        return self.head()

    def _commit(
        self, message: str, account: str, name: str, paths: list[str] | None = None
    ) -> bool:
        env = {"GIT_AUTHOR_NAME": name or account, "GIT_AUTHOR_EMAIL": account}
        result = self._run(
            ["commit", "-q", "--no-verify", "--allow-empty-message", "-F", "-", *(paths or [])],
            check=False,
            env=env,
            stdin=message.encode("utf-8"),
        )
        if result.returncode != 0:
            said = (result.stdout + result.stderr).decode("utf-8", "replace")
            if "nothing to commit" in said or "nothing added" in said or "no changes" in said:
                return False
            if "did not match any file(s) known to git" in said:
                raise UntrackedPath(said.strip())
            raise GitError(f"git commit failed: {said.strip()}")
        return True

    def _git(self, *args: str, check: bool = True) -> str:
        return self._run(list(args), check=check).stdout.decode("utf-8", "replace")

    def _run(
        self,
        args: list[str],
        check: bool = True,
        env: dict | None = None,
        stdin: bytes | None = None,
    ) -> subprocess.CompletedProcess:
        command = [
            "git", "-C", str(self.root), "-c", f"user.name={COMMITTER[0]}",
            "-c", f"user.email={COMMITTER[1]}", "-c", "commit.gpgsign=false",
            "-c", "core.quotepath=false", "-c", "core.hooksPath=/dev/null", *args,
        ]  # fmt: skip
        environment = {**os.environ, "GIT_TERMINAL_PROMPT": "0", "LC_ALL": "C", **(env or {})}
        environment.pop("GIT_DIR", None)
        environment.pop("GIT_INDEX_FILE", None)
        result = subprocess.run(command, input=stdin, capture_output=True, env=environment)
        if check and result.returncode != 0:
            said = (result.stdout + result.stderr).decode("utf-8", "replace").strip()
            raise GitError(f"git {args[0]} failed: {said}")
        return result


def _migrate(repo: Repo) -> None:
    """Replay the revisions kept in ``.history/`` as commits, oldest first (one git process)."""
    legacy = repo.root / LEGACY_HISTORY
    revisions = []
    for meta in legacy.glob("*/*/*.json") if legacy.is_dir() else []:
        try:
            info = json.loads(meta.read_text(encoding="utf-8"))
            when = dt.datetime.fromisoformat(info["time"])
        except (OSError, ValueError, KeyError):
            continue
        kind, slug = meta.parent.parent.name, meta.parent.name
        text = meta.with_suffix(".md")
        data = text.read_bytes() if text.exists() else None
        revisions.append((when, meta.stem, kind, slug, info, data))
    if not revisions:
        return
    revisions.sort(key=lambda r: (r[0], r[1]))
    stream = bytearray()
    for when, _, kind, slug, info, data in revisions:
        account = str(info.get("author") or EXTERNAL_ACCOUNT)
        action = str(info.get("action") or "save")
        path = f"{kind}/{slug}.md"
        word = _ACTION_WORDS.get(action, action)
        message = f"{word}：{path}\n\n{ACTION_KEY}: {action}\n".encode()
        stamp = f"{int(when.timestamp())} +0000"
        clean = re.sub(r"[<>\n]", "", account)
        stream += f"commit refs/heads/{BRANCH}\n".encode()
        stream += f"author {clean} <{clean}> {stamp}\n".encode()
        stream += f"committer {COMMITTER[0]} <{COMMITTER[1]}> {stamp}\n".encode()
        stream += f"data {len(message)}\n".encode() + message + b"\n"
        if data is None:
            stream += f"D {path}\n".encode()
        else:
            stream += f"M 100644 inline {path}\ndata {len(data)}\n".encode() + data + b"\n"
        stream += b"\n"
    repo._run(["fast-import", "--quiet"], stdin=bytes(stream))
