"""The build: content → checked release → atomic switch. Reads top to bottom.

A build renders only what changed since the live release: every address has a token of what it
shows (``deps``), and a file whose token and code are unchanged is hard-linked from the previous
release instead of rendered. Parsed entries and rendered bodies are cached between builds. A
``Builder`` keeps those caches in memory, so a long-lived process (``build.py watch``, the admin)
publishes one edit in a fraction of a second; ``build()`` is the one-shot form.

The search index does not hold a new page back: the release goes live carrying the previous
index, and Pagefind then indexes the live release and swaps its fresh index in; the result
reports the time to go live and the indexing time apart.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import gc
import hashlib
import os
import shutil
import subprocess
import threading
import time
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from flask import Flask

from ..content import ContentError, Problem, load
from ..public.app import create_app, site_data
from ..public.data import SiteData
from ..render.images import Renditions
from . import search
from .backup import commit_outside, push_backup
from .cache import BuildCache, code_version
from .freeze import Plan, Progress, Target, freeze, plan
from .held import Held, SetAside
from .linkcheck import missing
from .manifest import Manifest, mark_indexed
from .parallel import encode_images, prerender
from .redirects import write_map
from .releases import PARTIAL, Releases, detached


class BuildError(RuntimeError):
    """Raised when a build cannot be published; the live site is left as it was."""

    def __init__(self, message: str, problems: list[str] | None = None):
        self.problems = problems or []
        super().__init__(message + "".join(f"\n  {p}" for p in self.problems))


class BrokenLinks(BuildError):
    """Raised when built pages link to files the release does not have (the first 50 told)."""

    def __init__(self, message: str, broken: list[str]):
        super().__init__(message, broken[:50])
        self.broken = broken


@dataclass
class BuildResult:
    release: Path
    pages: int  # files in the release, without the search index
    seconds: float  # until the release was live
    rendered: int = 0  # files rendered this time (the rest were unchanged and linked)
    warnings: list[str] = field(default_factory=list)
    index_seconds: float | None = None  # building the search index after that (None: not run)
    plan_reused: bool = False  # the addresses came from the builder's last build (an edit)
    held: list[Held] = field(default_factory=list)  # entries set aside (not strict)


class Builder:
    """Builds one content folder into one output link, keeping caches between builds."""

    def __init__(
        self,
        content_root: Path,
        output: Path,
        keep: int = 5,
        jobs: int | None = None,
        persist: bool = True,
        background: str = "thread",
    ):
        """``background`` says how work after the switch runs: in a ``thread`` of a builder
        that lives on, or in a detached ``process`` when the caller exits right after."""
        self.content_root = Path(content_root)
        self.releases = Releases(output)
        self.keep = keep
        self.jobs = jobs or os.cpu_count() or 1
        self.cache = BuildCache(self.releases.folder / ".cache", persist=persist)
        self.background = background
        self._after: threading.Thread | None = None

    @property
    def images(self) -> Renditions:
        """Image renditions, named by content hash: kept between builds, never re-encoded."""
        return self.cache.caches.renditions  # type: ignore[return-value]

    def build(
        self,
        now: dt.datetime | None = None,
        progress: Progress | None = None,
        log: Callable[[str], None] = lambda _: None,
        full: bool = False,
        strict: bool = True,
    ) -> BuildResult:
        """Build, check and switch; raise BuildError (live site untouched) on any problem.

        Not ``strict``: an entry that fails a check is set aside (kept as it was live, or left
        out: ``held``) and named in the result's warnings, and everything else is published.
        """
        before = self.cache.plan.live if self.cache.plan is not None else None
        aside = None if strict else SetAside(self.content_root, before)
        commit_outside(self.content_root, log)
        while True:
            try:
                result = self._build(now, progress, log, full, aside)
            except BrokenLinks as exc:
                if aside is None or not aside.hold_pages(exc.broken):
                    raise
                log("有条目的链接失效，把它们放在一边后重新生成…")
                continue
            if aside is not None:
                result.held = list(aside.held.values())
                result.warnings[:0] = [str(held) for held in result.held]
            write_map(self.content_root, result.release, self.releases.link)
            result.warnings += push_backup(self.content_root, log)
            return result

    def _build(
        self,
        now: dt.datetime | None,
        progress: Progress | None,
        log: Callable[[str], None],
        full: bool,
        aside: SetAside | None,
    ) -> BuildResult:
        """Load, plan, compare, freeze and check, switch, and what follows the switch."""
        started = time.perf_counter()
        self.wait()  # the caches and the spare of the last build
        self.releases.prune(self.keep)
        app, data = self._load(now, log, aside)
        version = self._version()
        # The last build's plan, from this builder or (in a fresh process) the cache.
        planned = self.cache.plan = plan(app, version, None if full else self.cache.plan)
        previous = self.releases.current()
        manifest = None if full else self._manifest_of(previous, version)
        reuse, todo = _compare(planned, manifest)
        unchanged = manifest is not None and not todo and len(reuse) == len(manifest.files)
        if previous is not None and unchanged:
            return self._unchanged(previous, manifest, data, started, log)
        release, files, rendered, caught = self._freeze(
            app, previous, manifest, reuse, todo, progress
        )
        self.releases.switch(release)
        result = BuildResult(
            release,
            len(files),
            time.perf_counter() - started,
            rendered,
            [str(w.message) for w in caught],
            plan_reused=planned.reused,
        )
        log(f"网站已上线，用时 {result.seconds:.2f} 秒")
        self._after_switch(release, version, files, data, result, log)
        return result

    def _load(
        self, now: dt.datetime | None, log: Callable[[str], None], aside: SetAside | None
    ) -> tuple[Flask, SiteData]:
        """Load the content into a public app, render new bodies and check everything.

        With ``aside``, entries that fail a check are held back and the app made again
        without them (a station left out can break an activity that names it).
        """
        log("读取内容…")
        try:
            content = load(self.content_root, self.cache.content)
        except ContentError as exc:
            raise BuildError("content/site.yml is broken", [str(p) for p in exc.problems]) from None
        problems: list[Problem] = content.problems
        while True:
            if aside is not None:
                problems = aside.apply(content, problems)  # left: what no entry carries
                if problems:
                    raise _refused(problems)
            app = create_app(content, now=now, caches=self.cache.caches)
            data = site_data(app)
            prerender(data, self.jobs)
            problems = problems + data.check()
            if not problems:
                break
            if aside is None:
                raise _refused(problems)
        log(
            f"新闻 {len(data.news)} 篇，活动 {len(data.activities)} 项，"
            f"服务阵地 {len(data.stations)} 个，页面 {len(data.pages)} 个"
        )
        encode_images(data, self.jobs)  # new images only: renditions are cached by content hash
        return app, data

    def _version(self) -> str:
        """The code, the theme and site.yml: labels, menus and the base URL show on every page."""
        settings = (self.content_root / "site.yml").read_bytes()
        return f"{code_version()}:{hashlib.blake2b(settings, digest_size=8).hexdigest()}"

    def _unchanged(
        self,
        live: Path,
        manifest: Manifest,
        data: SiteData,
        started: float,
        log: Callable[[str], None],
    ) -> BuildResult:
        """Leave the live release as it is: nothing it shows has changed."""
        log("内容没有变化，线上网站已是最新。")
        planned = self.cache.plan
        result = BuildResult(live, len(manifest.files), time.perf_counter() - started, 0)
        result.plan_reused = planned.reused  # type: ignore[union-attr]
        if not manifest.indexed:  # the build that made it stopped before its index was done
            result.index_seconds = self.index(live, log, result.warnings)
        self._forget_unused(data)
        self._in_background(self.cache.save)
        return result

    def _freeze(
        self,
        app: Flask,
        previous: Path | None,
        manifest: Manifest | None,
        reuse: dict,
        todo: list,
        progress: Progress | None,
    ) -> tuple[Path, dict[str, str], int, list[warnings.WarningMessage]]:
        """Write a checked release: unchanged files linked, the rest rendered, links checked.

        Returns the release, {target key: file}, how many files were rendered and the
        warnings caught; a broken release is discarded before anyone sees it.
        """
        # The spare is a hard-linked copy of the live release made after the last publish:
        # taking it and dropping what changed is much faster than linking every file again.
        spare = (
            self.releases.take_spare(previous) if previous and manifest and manifest.files else None
        )
        partial = spare or self.releases.new_partial()
        caught: list[warnings.WarningMessage] = []
        try:
            if spare is not None:
                _drop_changed(partial, manifest.files, reuse)  # type: ignore[union-attr]
            else:
                _link_unchanged(previous, partial, [path for _, path in reuse.values()])
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always")
                frozen = freeze(app, partial, todo, self.jobs, progress)
            files = {key: path for key, (_, path) in reuse.items()} | frozen.files
            # Links of new pages were collected while freezing; unchanged pages were checked
            # when they were made, and anything they link to that changed changed them too.
            # The search page links to the index's UI files, which are written after the switch.
            listed = {"/" + path for path in [*files.values(), *search.UI_FILES]}
            broken = missing(frozen.links, listed)
            if broken:
                raise BrokenLinks(f"{len(broken)} broken link(s) in the built site", broken)
            search.carry(previous, partial)
            release = self.releases.finish(partial)
        except BaseException:
            self.releases.discard(partial)
            raise
        return release, files, len(frozen.files), caught

    def _after_switch(
        self,
        release: Path,
        version: str,
        files: dict[str, str],
        data: SiteData,
        result: BuildResult,
        log: Callable[[str], None],
    ) -> None:
        """Record what the next build reuses, index the live release, tidy up.

        None of it changes what readers get. A build stopped before the manifest is written
        leaves a release without one, and the next build then renders everything again:
        slower, never wrong.
        """
        planned = self.cache.plan
        entries = {
            key: (token, files[key])
            for key, token in zip(planned.keys, planned.tokens, strict=True)  # type: ignore[union-attr]
            if key in files
        }
        manifest = self.cache.manifest = Manifest(release, version, entries)
        manifest.write(self.releases.folder)
        result.index_seconds = self.index(release, log, result.warnings)
        self.releases.prune(self.keep)
        self._forget_unused(data)
        paths = sorted(files.values())

        def after() -> None:
            self.cache.save()
            _make_spare(self.releases, release, paths)

        self._in_background(after)

    def _forget_unused(self, data: SiteData) -> None:
        """Drop from the caches what no live page used in this build.

        Images only after a build that listed every address: it asked for every image of the
        site. A plan brought up to date asked only for those of the pages it rendered, and has
        the same images as the build before it (a changed image or cover makes a new plan).
        """
        self.cache.caches.keep_only(data.used_cache_keys, data.used_related_keys)
        if not self.cache.plan.reused:  # type: ignore[union-attr]
            self.images.keep_only(data.pictures.used)
            data.pictures.forget_unseen()

    def _manifest_of(self, release: Path | None, version: str) -> Manifest | None:
        """Return the manifest of ``release`` (kept from the build that made it, when this
        builder did), or None when it was not made by this version."""
        kept = self.cache.manifest
        if kept is not None and kept.describes(release) and kept.version == version:
            return kept
        return Manifest.read(self.releases.folder, release, version)

    def index(self, release: Path, log: Callable[[str], None], problems: list[str]) -> float | None:
        """Index a live release and swap the fresh index in; return the seconds it took.

        A failure leaves the site live with the index it carried, adds to ``problems`` and
        returns None; the release stays marked unindexed, so the next build tries again.
        """
        log("正在建立搜索索引…")
        work = self.releases.folder / f".{search.FOLDER}-{os.getpid()}{PARTIAL}"
        search.remove(work)  # pruning clears those of killed builds; this one is ours
        try:
            indexed = search.write_index(release, work)
            search.replace(release, work, self.releases.discard)
        except (search.SearchIndexError, OSError, subprocess.SubprocessError) as exc:
            search.remove(work)
            problems.append(f"搜索索引没有更新（网站已上线，搜索仍用上一版索引）：{exc}")
            return None
        kept = self.cache.manifest
        if kept is not None and kept.describes(release):
            kept.mark_indexed(self.releases.folder)
        else:
            mark_indexed(self.releases.folder, release)
        log(f"搜索索引已更新，用时 {indexed.seconds:.2f} 秒")
        return indexed.seconds

    def _in_background(self, work: Callable[[], None]) -> None:
        """Run what follows a publish (saving caches, the next spare) off the reader's path.

        The cache is marked as being saved until it is, so a build starting meanwhile (the
        next command) waits and loads it instead of working everything out again.
        """
        if self.cache.persist:
            self.cache.saving()

        def marked() -> None:
            try:
                work()
            finally:
                self.cache.saved()  # work that failed before saving

        if self.background == "process":
            try:
                detached(marked)
            finally:
                self.cache.saved()  # the detached process holds the mark until it has saved
        elif self.background == "thread":
            self._after = threading.Thread(target=marked, name="yizhan-after-build", daemon=True)
            self._after.start()
        else:
            marked()

    def wait(self) -> None:
        """Wait for the work that followed the last build (tests and benchmarks use it)."""
        if self._after is not None:
            self._after.join()
            self._after = None


def build(
    content_root: Path,
    output: Path,
    now: dt.datetime | None = None,
    progress: Progress | None = None,
    log: Callable[[str], None] = lambda _: None,
    keep: int = 5,
    jobs: int | None = None,
    full: bool = False,
    one_shot: bool = False,
    strict: bool = True,
) -> BuildResult:
    """Build the site from ``content_root`` and switch ``output`` (a symlink) to it.

    ``one_shot``: the calling process exits right after (the command line).
    """
    builder = Builder(content_root, output, keep=keep, jobs=jobs, background="process")
    if one_shot:
        # The process exits after this build: the cache it loaded lives until then. Left to
        # the cyclic collector, its hundreds of thousands of objects would be scanned again and
        # again. (A process that goes on must not: cyclic garbage frozen now is never freed.)
        gc.freeze()
    return builder.build(now=now, progress=progress, log=log, full=full, strict=strict)


def _refused(problems: list[Problem]) -> BuildError:
    return BuildError(
        f"{len(problems)} problem(s) in the content; nothing was published",
        [str(p) for p in problems],
    )


def _compare(planned: Plan, manifest: Manifest | None) -> tuple[dict, list[Target]]:
    """Split the plan into files the live release has made from the same tokens (reused:
    {key: (token, file)}) and targets to render."""
    made_before = manifest.files if manifest is not None else {}
    reuse, todo = {}, []
    for i, (key, token) in enumerate(zip(planned.keys, planned.tokens, strict=True)):
        made = made_before.get(key)
        if token is not None and made is not None and made[0] == token:
            reuse[key] = made
        else:
            todo.append(planned.target(i))
    return reuse, todo


def _link_unchanged(previous: Path | None, partial: Path, paths: list[str]) -> None:
    """Hard-link unchanged files from the previous release (same inode, no copy)."""
    made: set[str] = set()
    for path in paths:
        folder = path.rpartition("/")[0]
        if folder and folder not in made:
            os.makedirs(partial / folder, exist_ok=True)
            made.add(folder)
        os.link(previous / path, partial / path)  # type: ignore[operator]


def _drop_changed(partial: Path, manifest: dict, reuse: dict) -> None:
    """Remove from a spare copy of the previous release every file that is not reused.

    The copy shares inodes with the live release, so a changed file is unlinked before it is
    written again (never written through); folders left empty go too, as a full build has none.
    """
    kept = {path for _, path in reuse.values()}
    folders: set[str] = set()
    for _, path in manifest.values():
        if path not in kept:
            (partial / path).unlink(missing_ok=True)
            folder = path.rpartition("/")[0]
            while folder:
                folders.add(folder)
                folder = folder.rpartition("/")[0]
    for folder in sorted(folders, key=lambda f: f.count("/"), reverse=True):
        with contextlib.suppress(OSError):  # not empty: other files still live there
            (partial / folder).rmdir()


def _make_spare(releases: Releases, release: Path, paths: list[str]) -> None:
    """Hard-link a complete copy of ``release`` for the next build to take."""
    if releases.current() != release:
        return
    spare = releases.new_spare(release)
    try:
        # The search index comes along: the next build need not link its files before going
        # live (search.carry checks that it is still this release's index).
        _link_unchanged(release, spare, [*paths, *search.files(release)])
        os.rename(spare, releases.spare_for(release))
    except OSError:  # the release was retired meanwhile, or a spare exists already
        shutil.rmtree(spare, ignore_errors=True)
