"""The build: content → checked release → atomic switch. Reads top to bottom.

A build renders only what changed since the live release: every address has a token of what it
shows (``deps``), and a file whose token and code are unchanged is hard-linked from the previous
release instead of rendered. Parsed entries and rendered bodies are cached between builds. A
``Builder`` keeps those caches in memory, so a long-lived process (``build.py watch``, the admin)
publishes one edit in a fraction of a second; ``build()`` is the one-shot form.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import time
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from ..content import ContentError, Problem, load
from ..public.app import create_app, site_data
from .cache import BuildCache, code_version
from .freeze import Progress, Target, freeze, plan
from .linkcheck import missing
from .parallel import prerender
from .releases import Releases


class BuildError(RuntimeError):
    """Raised when a build cannot be published; the live site is left as it was."""

    def __init__(self, message: str, problems: list[str] | None = None):
        self.problems = problems or []
        super().__init__(message + "".join(f"\n  {p}" for p in self.problems))


@dataclass
class BuildResult:
    release: Path
    pages: int  # files in the release
    seconds: float
    rendered: int = 0  # files rendered this time (the rest were unchanged and linked)
    warnings: list[str] = field(default_factory=list)


class Builder:
    """Builds one content folder into one output link, keeping caches between builds."""

    def __init__(
        self,
        content_root: Path,
        output: Path,
        keep: int = 5,
        jobs: int | None = None,
        persist: bool = True,
    ):
        self.content_root = Path(content_root)
        self.releases = Releases(output)
        self.keep = keep
        self.jobs = jobs or os.cpu_count() or 1
        self.cache = BuildCache(self.releases.folder / ".cache", persist=persist)

    def build(
        self,
        now: dt.datetime | None = None,
        progress: Progress | None = None,
        log: Callable[[str], None] = lambda _: None,
        full: bool = False,
    ) -> BuildResult:
        """Build, check and switch; raise BuildError (live site untouched) on any problem."""
        started = time.perf_counter()
        self.releases.prune(self.keep)

        log("读取内容…")
        try:
            content = load(self.content_root, self.cache.content)
        except ContentError as exc:
            raise BuildError("content/site.yml is broken", [str(p) for p in exc.problems]) from None
        app = create_app(content, now=now, render_cache=self.cache.rendered)
        data = site_data(app)
        prerender(data, self.jobs)
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

        targets = plan(app)
        # Labels, menus and the base URL show on every page: site.yml is part of the version.
        settings = (self.content_root / "site.yml").read_bytes()
        version = f"{code_version()}:{hashlib.blake2b(settings, digest_size=8).hexdigest()}"
        previous = self.releases.current()
        manifest = {} if full else _read_manifest(self.releases, previous, version)
        reuse = {
            t.key: manifest[t.key]
            for t in targets
            if t.token is not None and manifest.get(t.key, [None])[0] == t.token
        }
        todo = [t for t in targets if t.key not in reuse]
        if previous is not None and not todo and len(reuse) == len(manifest):
            log("内容没有变化，线上网站已是最新。")
            self.cache.keep_only(data.used_cache_keys)
            self.cache.save()
            return BuildResult(previous, len(reuse), time.perf_counter() - started, 0)

        partial = self.releases.new_partial()
        caught: list[warnings.WarningMessage] = []
        try:
            _link_unchanged(previous, partial, [path for _, path in reuse.values()])
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always")
                frozen = freeze(app, partial, todo, self.jobs, progress)
            files = {key: path for key, (_, path) in reuse.items()} | frozen.files
            # Links of new pages were collected while freezing; unchanged pages were checked
            # when they were made, and anything they link to that changed changed them too.
            broken = missing(frozen.links, {"/" + path for path in files.values()})
            if broken:
                raise BuildError(f"{len(broken)} broken link(s) in the built site", broken[:50])
            _write_manifest(self.releases, partial, version, targets, files)
            release = self.releases.finish(partial)
        except BaseException:
            self.releases.discard(partial)
            raise
        self.releases.switch(release)
        self.releases.prune(self.keep)
        self.cache.keep_only(data.used_cache_keys)
        self.cache.save()
        return BuildResult(
            release,
            len(files),
            time.perf_counter() - started,
            len(frozen.files),
            [str(w.message) for w in caught],
        )


def build(
    content_root: Path,
    output: Path,
    now: dt.datetime | None = None,
    progress: Progress | None = None,
    log: Callable[[str], None] = lambda _: None,
    keep: int = 5,
    jobs: int | None = None,
    full: bool = False,
) -> BuildResult:
    """Build the site from ``content_root`` and switch ``output`` (a symlink) to it."""
    builder = Builder(content_root, output, keep=keep, jobs=jobs)
    return builder.build(now=now, progress=progress, log=log, full=full)


def _manifest_path(releases: Releases, release: Path) -> Path:
    return releases.folder / f"{release.name.removesuffix('.partial')}.json"


def _read_manifest(releases: Releases, release: Path | None, version: str) -> dict:
    """Return {target key: [token, file]} of a release built by this code, else {}."""
    if release is None:
        return {}
    try:
        data = json.loads(_manifest_path(releases, release).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data["files"] if data.get("code") == version else {}


def _write_manifest(
    releases: Releases, partial: Path, version: str, targets: list[Target], files: dict[str, str]
) -> None:
    entries = {t.key: [t.token, files[t.key]] for t in targets if t.key in files}
    text = json.dumps({"code": version, "files": entries}, ensure_ascii=False, sort_keys=True)
    _manifest_path(releases, partial).write_text(text, encoding="utf-8")


def _link_unchanged(previous: Path | None, partial: Path, paths: list[str]) -> None:
    """Hard-link unchanged files from the previous release (same inode, no copy)."""
    made: set[str] = set()
    for path in paths:
        folder = path.rpartition("/")[0]
        if folder and folder not in made:
            os.makedirs(partial / folder, exist_ok=True)
            made.add(folder)
        os.link(previous / path, partial / path)  # type: ignore[operator]
