"""Save entry files: compare-and-swap on the version an editor loaded, a commit per save.

Every save and delete is serialised per entry with an advisory lock (so several server
processes can save at once), checked against the version the editor started from, written
atomically and committed to the content folder's git repository (``repo``) with the editor
as its author; history, diff and restore read that repository.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import fcntl
import hashlib
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import yaml

from .errors import Problem
from .fields import SLUG_RE
from .model import KINDS, Entry
from .reader import context_for, parse_entry, read_site
from .repo import EXTERNAL, Repo, is_commit_id
from .schema import FIELDS
from .store import write_atomic

LOCKS = "yizhan-locks"  # per-entry lock files, inside the repository's .git folder


class Conflict(Exception):
    """The file changed since the editor loaded it; carries what is there now."""

    def __init__(self, current_text: str | None, current_version: str | None):
        self.current_text = current_text
        self.current_version = current_version
        super().__init__("the entry was changed by someone else since you opened it")


class InvalidEntry(ValueError):
    """The text does not validate; carries the problems (file, line, field)."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


@dataclass(frozen=True)
class Revision:
    """One committed state of an entry (a ``delete`` has no text)."""

    id: str  # the commit
    author: str  # the account, or 外部修改
    time: dt.datetime
    action: str  # create | save | delete | restore | outside
    author_name: str = ""

    @property
    def who(self) -> str:
        """Return the author as shown: display name and account, or 外部修改."""
        if self.author == EXTERNAL or not self.author_name or self.author_name == self.author:
            return self.author
        return f"{self.author_name}（{self.author}）"


def version_of(data: bytes) -> str:
    """Return the version string of a file's bytes (the same one the reader sets)."""
    return hashlib.sha256(data).hexdigest()[:16]


def dump(kind: str, fields: dict, body: str) -> str:
    """Return the text of an entry file: front matter in schema order, then the body."""
    order = list(FIELDS[kind])
    ordered = {k: fields[k] for k in order if k in fields and fields[k] not in (None, "", [], {})}
    ordered.update({k: v for k, v in fields.items() if k not in ordered and k not in order})
    front = yaml.safe_dump(ordered, allow_unicode=True, sort_keys=False, width=1000)
    body = body.replace("\r\n", "\n")
    return f"---\n{front}---\n{body if body.endswith(chr(10)) or not body else body + chr(10)}"


def fields_of(entry: Entry) -> dict:
    """Return an entry's front-matter fields as plain YAML-ready values."""
    out = {}
    for name in FIELDS[entry.kind]:
        value = getattr(entry, name, None)
        if dataclasses.is_dataclass(value):
            value = {
                k: v
                for k, v in dataclasses.asdict(value).items()
                if v not in (None, "", 0) or k in ("lat", "lng")
            }
        out[name] = value
    return out


def entry_path(root: Path, kind: str, slug: str) -> Path:
    """Return the file of an entry, refusing kinds and slugs that could leave the root."""
    if kind not in KINDS or not SLUG_RE.match(slug):
        raise ValueError(f"{kind}/{slug}: not a valid kind and slug")
    return Path(root) / kind / f"{slug}.md"


def validate(root: Path, kind: str, slug: str, text: str) -> list[Problem]:
    """Return the problems the reader would find in ``text`` saved as ``kind/slug.md``."""
    site, problems = read_site(Path(root) / "site.yml")
    if site is None:
        return problems
    _, found = parse_entry(
        text.encode("utf-8"), kind, slug, context_for(site), f"content/{kind}/{slug}.md"
    )
    return found


def save(
    root: Path,
    kind: str,
    slug: str,
    text: str,
    expected: str | None,
    author: str,
    action: str = "save",
    author_name: str = "",
    commit: bool = True,
) -> str:
    """Write ``text`` if the file is still at version ``expected`` (None: must not exist).

    Returns the new version; raises Conflict or InvalidEntry and then writes nothing.
    ``commit`` False leaves the change for one commit of many (an import's 外部修改).
    """
    path = entry_path(root, kind, slug)
    problems = validate(root, kind, slug, text)
    if problems:
        raise InvalidEntry(problems)
    data = text.encode("utf-8")
    with _locked(root, kind, slug):
        _remove_leftovers(path)
        current = path.read_bytes() if path.exists() else None
        current_version = version_of(current) if current is not None else None
        if current_version != expected:
            raise Conflict(current.decode("utf-8", "replace") if current else None, current_version)
        if current == data:
            return expected or version_of(data)
        action = "create" if current is None and action == "save" else action
        repo = Repo(root)
        with repo.locked():  # written and committed before anyone commits outside changes
            write_atomic(path, data)
            if commit:
                repo.commit_file(f"{kind}/{slug}.md", author, author_name or author, action)
        return version_of(data)


def delete(
    root: Path, kind: str, slug: str, expected: str, author: str, author_name: str = ""
) -> None:
    """Delete an entry if it is still at version ``expected``; the last text stays in history."""
    path = entry_path(root, kind, slug)
    with _locked(root, kind, slug):
        current = path.read_bytes() if path.exists() else None
        if current is None or version_of(current) != expected:
            raise Conflict(
                current.decode("utf-8", "replace") if current else None,
                version_of(current) if current else None,
            )
        repo = Repo(root)
        with repo.locked():
            path.unlink()
            _fsync_dir(path.parent)
            repo.commit_file(f"{kind}/{slug}.md", author, author_name or author, "delete")


def history(root: Path, kind: str, slug: str) -> list[Revision]:
    """Return an entry's revisions, newest first (its first version included)."""
    entry_path(root, kind, slug)  # validates kind and slug
    return [
        Revision(
            c.id,
            c.author,
            c.time,
            "delete" if c.deleted else c.action,
            c.author_name,
        )
        for c in Repo(root).log(f"{kind}/{slug}.md")
    ]


def revision_text(root: Path, kind: str, slug: str, revision_id: str) -> str | None:
    """Return the text saved in a revision (None for a deletion); KeyError if unknown."""
    entry_path(root, kind, slug)
    if not is_commit_id(revision_id):
        raise ValueError(f"{revision_id!r} is not a revision id")
    data = Repo(root).show(revision_id, f"{kind}/{slug}.md")
    if data is None:
        if not any(r.id == revision_id for r in history(root, kind, slug)):
            raise KeyError(revision_id)
        return None
    return data.decode("utf-8", "replace")


def was_published(root: Path, kind: str, slug: str) -> bool:
    """Tell whether any version of the entry was ever saved as published."""
    entry_path(root, kind, slug)
    return Repo(root).ever_had_line(f"{kind}/{slug}.md", "status: published")


def restore(
    root: Path, kind: str, slug: str, revision_id: str, expected: str | None, author: str
) -> str:
    """Save an old revision's text as the newest version (itself recorded as a revision)."""
    text = revision_text(root, kind, slug, revision_id)
    if text is None:
        raise ValueError("that revision is a deletion; pick an earlier one")
    return save(root, kind, slug, text, expected, author, action="restore")


def last_saved(root: Path, kind: str, slug: str) -> Entry | None:
    """Return the entry as the admin last saved it, if that save was published and still reads.

    A build that meets a file broken by hand keeps this version live instead. Changes made
    outside the admin (外部修改) are passed over, and only the newest admin save counts: an
    older published one may have been withdrawn since.
    """
    site, _ = read_site(Path(root) / "site.yml")
    if site is None:
        return None
    try:
        revisions = history(root, kind, slug)
    except ValueError:
        return None
    saved = next((r for r in revisions if r.author != EXTERNAL), None)
    text = revision_text(root, kind, slug, saved.id) if saved else None
    if text is None:
        return None
    entry, problems = parse_entry(
        text.encode("utf-8"), kind, slug, context_for(site), f"content/{kind}/{slug}.md"
    )
    if problems or entry is None or entry.status != "published":
        return None
    return entry


@contextmanager
def _locked(root: Path, kind: str, slug: str) -> Iterator[None]:
    entry_path(root, kind, slug)  # validates kind and slug
    repo = Repo(root)
    repo.ensure()
    folder = repo.git_dir / LOCKS / kind
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / f"{slug}.lock", "a+b") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _remove_leftovers(path: Path) -> None:
    """Delete temp files of writes to ``path`` that were killed midway.

    Called under the entry's lock: every write to the file holds it, so a temp file seen
    here belongs to a writer that is gone.
    """
    for leftover in path.parent.glob(f".{path.name}.*.tmp"):
        leftover.unlink(missing_ok=True)


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
