"""The build: content → checked release → atomic switch. Reads top to bottom."""

from __future__ import annotations

import datetime as dt
import time
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from ..content import ContentError, Problem, load
from ..public.app import create_app, site_data
from .freeze import Progress, freeze
from .linkcheck import check_release
from .releases import Releases


class BuildError(RuntimeError):
    """Raised when a build cannot be published; the live site is left as it was."""

    def __init__(self, message: str, problems: list[str] | None = None):
        self.problems = problems or []
        super().__init__(message + "".join(f"\n  {p}" for p in self.problems))


@dataclass
class BuildResult:
    release: Path
    pages: int
    seconds: float
    warnings: list[str] = field(default_factory=list)


def build(
    content_root: Path,
    output: Path,
    now: dt.datetime | None = None,
    progress: Progress | None = None,
    log: Callable[[str], None] = lambda _: None,
    keep: int = 5,
) -> BuildResult:
    """Build the site from ``content_root`` and switch ``output`` (a symlink) to it."""
    started = time.perf_counter()
    releases = Releases(output)
    releases.prune(keep)

    log("读取内容…")
    try:
        content = load(content_root)
    except ContentError as exc:
        raise BuildError("content/site.yml is broken", [str(p) for p in exc.problems]) from None
    app = create_app(content, now=now)
    data = site_data(app)
    problems: list[Problem] = content.problems + data.check()
    if problems:
        raise BuildError(
            f"{len(problems)} problem(s) in the content; nothing was published",
            [str(p) for p in problems],
        )
    log(
        f"新闻 {len(data.news)} 篇，活动 {len(data.activities)} 项，"
        f"服务阵地 {len(data.stations)} 个，页面 {len(data.pages)} 个"
    )

    partial = releases.new_partial()
    caught: list[warnings.WarningMessage] = []
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            urls = freeze(app, partial, progress)
        broken = check_release(partial, urlsplit(data.site.base_url).path.rstrip("/"))
        if broken:
            raise BuildError(f"{len(broken)} broken link(s) in the built site", broken[:50])
        release = releases.finish(partial)
    except BaseException:
        releases.discard(partial)
        raise
    releases.switch(release)
    releases.prune(keep)
    return BuildResult(
        release, len(urls), time.perf_counter() - started, [str(w.message) for w in caught]
    )
