"""The content repository around a publish: commit what changed outside the admin, then back up.

Before each build, whatever changed in ``content/`` since the last commit (files edited by
hand, a script, an import) is committed as 外部修改, so every version that reaches the site is
in the history. After it, ``site.yml`` ``backup.remote`` (a path or URL of a git repository)
receives the history by ``git push``.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from ..content.reader import read_site
from ..content.repo import GitError, Repo


def commit_outside(content_root: Path, log: Callable[[str], None] = lambda _: None) -> None:
    """Commit changes made outside the admin (only when content/ is a repository already)."""
    try:
        if Repo(content_root).commit_outside() is not None:
            log("已把后台之外的修改记入修改记录（外部修改）")
    except GitError as exc:
        log(f"警告：没能记录外部修改：{exc}")


def push_backup(content_root: Path, log: Callable[[str], None] = lambda _: None) -> list[str]:
    """Push the history to ``backup.remote``; return what went wrong, in Chinese."""
    repo = Repo(content_root)
    if not repo.exists():  # checked first: a build of a plain folder reads nothing more
        return []
    site, _ = read_site(Path(content_root) / "site.yml")
    if site is None or not site.backup_remote:
        return []
    try:
        repo.push(site.backup_remote)
    except GitError as exc:
        problem = f"内容备份推送失败（网站已上线）：{exc}"
        log(problem)
        return [problem]
    log("内容已备份到 backup.remote")
    return []
