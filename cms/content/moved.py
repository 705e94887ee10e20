"""Addresses that moved: an entry renamed after it was published keeps its old address.

``content/redirects.yml`` maps, per kind, each old slug to the slug the entry has now::

    news:
      old-slug: new-slug

The public site serves a small page at each old address that sends the reader on (and the
build writes an nginx ``map`` for real 301s). The admin's 修改网址 adds the lines; renaming
again points the older names at the newest one too, so a reader never follows a chain.
"""

from __future__ import annotations

from pathlib import Path

import yaml

from .fields import SLUG_RE
from .model import KINDS
from .repo import Repo
from .store import write_atomic

FILE = "redirects.yml"
HEADER = "# 修改网址后，旧网址跳转到新网址（后台的“修改网址”自动维护）\n"


def read_moved(root: Path | str) -> dict[str, dict[str, str]]:
    """Return {kind: {old slug: new slug}}; lines that are not a kind's two slugs are left out."""
    try:
        data = yaml.safe_load((Path(root) / FILE).read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError, UnicodeDecodeError):
        return {}
    moved: dict[str, dict[str, str]] = {}
    for kind, pairs in (data or {}).items() if isinstance(data, dict) else []:
        if kind not in KINDS or not isinstance(pairs, dict):
            continue
        moved[kind] = {
            old: new
            for old, new in pairs.items()
            if isinstance(old, str) and isinstance(new, str)
            and SLUG_RE.match(old) and SLUG_RE.match(new) and old != new
        }  # fmt: skip
    return moved


def record_move(root: Path | str, kind: str, old: str, new: str, author: str) -> None:
    """Add ``old`` → ``new`` for ``kind`` (and point earlier names of ``old`` at ``new``), and
    commit the file; ``new`` stops being an old name, since an entry has it now."""
    root = Path(root)
    repo = Repo(root)
    repo.ensure()
    with repo.locked():
        moved = read_moved(root)
        pairs = {o: (new if n == old else n) for o, n in moved.get(kind, {}).items() if o != new}
        pairs[old] = new
        moved[kind] = dict(sorted(pairs.items()))
        text = HEADER + yaml.safe_dump(
            {k: moved[k] for k in KINDS if moved.get(k)}, allow_unicode=True, sort_keys=False
        )
        write_atomic(root / FILE, text.encode("utf-8"))
        repo.commit_file(FILE, author, author, "rename")
