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
import json
import os
import shutil
import subprocess
import threading
import time
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from ..content import ContentError, Problem, load, write_atomic
from ..public.app import create_app, site_data
from ..public.data import SiteData
from ..render.images import Renditions
from . import search
from .cache import BuildCache, code_version
from .freeze import Plan, Progress, freeze, plan
from .linkcheck import missing
from .parallel import encode_images, prerender
from .releases import PARTIAL, Releases, detached


class BuildError(RuntimeError):
    """Raised when a build cannot be published; the live site is left as it was."""

    def __init__(self, message: str, problems: list[str] | None = None):
        self.problems = problems or []
        super().__init__(message + "".join(f"\n  {p}" for p in self.problems))


@dataclass
class BuildResult:
    release: Path
    pages: int  # files in the release, without the search index
    seconds: float  # until the release was live
    rendered: int = 0  # files rendered this time (the rest were unchanged and linked)
    warnings: list[str] = field(default_factory=list)
    index_seconds: float | None = None  # building the search index after that (None: not run)
    plan_reused: bool = False  # the addresses came from the builder's last build (an edit)


@dataclass
class _Manifest:
    """A release's manifest as written: {target key: [token, file]} (or (token, file)
    pairs), and its index state."""

    release: Path
    version: str
    files: dict
    indexed: bool = False

    def describes(self, release: Path | None) -> bool:
        # By name: the cache lives beside the releases, but a process may reach them by
        # another path.
        return release is not None and self.release.name == release.name

    # Pickled (in the build cache) as columns: a fresh process makes one list per file less.
    def __getstate__(self) -> tuple:
        files = self.files
        columns = list(files), [f[0] for f in files.values()], [f[1] for f in files.values()]
        return self.release, self.version, columns, self.indexed

    def __setstate__(self, state: tuple) -> None:
        self.release, self.version, (keys, tokens, paths), self.indexed = state
        self.files = dict(zip(keys, zip(tokens, paths, strict=True), strict=True))


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
        # Image renditions, named by content hash: kept between builds, never re-encoded.
        self.images = Renditions(self.releases.folder / ".cache" / "renditions")
        self.background = background
        self._after: threading.Thread | None = None

    def build(
        self,
        now: dt.datetime | None = None,
        progress: Progress | None = None,
        log: Callable[[str], None] = lambda _: None,
        full: bool = False,
    ) -> BuildResult:
        """Build, check and switch; raise BuildError (live site untouched) on any problem."""
        started = time.perf_counter()
        if self._after is not None:  # the caches and the spare of the last build
            self._after.join()
            self._after = None
        self.releases.prune(self.keep)

        log("读取内容…")
        try:
            content = load(self.content_root, self.cache.content)
        except ContentError as exc:
            raise BuildError("content/site.yml is broken", [str(p) for p in exc.problems]) from None
        app = create_app(
            content,
            now=now,
            render_cache=self.cache.rendered,
            renditions=self.images,
            template_cache=self.cache.templates if self.cache.persist else None,
            remember_urls=True,
            media_cache=self.cache.media,
        )
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
        encode_images(data, self.jobs)  # new images only: renditions are cached by content hash
        # Labels, menus and the base URL show on every page: site.yml is part of the version.
        settings = (self.content_root / "site.yml").read_bytes()
        version = f"{code_version()}:{hashlib.blake2b(settings, digest_size=8).hexdigest()}"
        # The last build's plan, from this builder or (in a fresh process) the cache.
        planned = self.cache.plan = plan(app, version, None if full else self.cache.plan)
        previous = self.releases.current()
        manifest, indexed = ({}, False) if full else self._manifest_of(previous, version)
        reuse, todo = {}, []
        for i, (key, token) in enumerate(zip(planned.keys, planned.tokens, strict=True)):
            made = manifest.get(key)
            if token is not None and made is not None and made[0] == token:
                reuse[key] = made
            else:
                todo.append(planned.target(i))
        if previous is not None and not todo and len(reuse) == len(manifest):
            log("内容没有变化，线上网站已是最新。")
            result = BuildResult(previous, len(reuse), time.perf_counter() - started, 0)
            result.plan_reused = self.cache.plan.reused
            if not indexed:  # the build that made it stopped before its index was done
                result.index_seconds = self.index(previous, log, result.warnings)
            self.cache.keep_only(data.used_cache_keys)
            _forget_unused_images(self.images, data, planned)
            self._in_background(self.cache.save)
            return result

        # The spare is a hard-linked copy of the live release made after the last publish:
        # taking it and dropping what changed is much faster than linking every file again.
        spare = self.releases.take_spare(previous) if previous is not None and manifest else None
        partial = spare or self.releases.new_partial()
        caught: list[warnings.WarningMessage] = []
        try:
            if spare is not None:
                _drop_changed(partial, manifest, reuse)
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
                raise BuildError(f"{len(broken)} broken link(s) in the built site", broken[:50])
            search.carry(previous, partial)
            release = self.releases.finish(partial)
        except BaseException:
            self.releases.discard(partial)
            raise
        self.releases.switch(release)
        result = BuildResult(
            release,
            len(files),
            time.perf_counter() - started,
            len(frozen.files),
            [str(w.message) for w in caught],
            plan_reused=self.cache.plan.reused,
        )
        log(f"网站已上线，用时 {result.seconds:.2f} 秒")
        # What the next build reuses, written once the release is live (it does not change
        # what readers get). A build stopped before this leaves a release without one, and
        # the next build then renders everything again: slower, never wrong.
        entries = _write_manifest(self.releases, release, version, planned, files)
        self.cache.manifest = _Manifest(release, version, entries)
        result.index_seconds = self.index(release, log, result.warnings)
        self.releases.prune(self.keep)
        self.cache.keep_only(data.used_cache_keys)
        _forget_unused_images(self.images, data, planned)
        paths = sorted(files.values())

        def after() -> None:
            self.cache.save()
            _make_spare(self.releases, release, paths)

        self._in_background(after)
        return result

    def _manifest_of(self, release: Path | None, version: str) -> tuple[dict, bool]:
        """Return the manifest of ``release`` (kept from the build that made it, when this
        builder did) and whether its search index is complete."""
        kept = self.cache.manifest
        if kept is not None and kept.describes(release) and kept.version == version:
            return kept.files, kept.indexed
        return _read_manifest(self.releases, release, version)

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
        _mark_indexed(self.releases, release)
        kept = self.cache.manifest
        if kept is not None and kept.describes(release):
            kept.indexed = True
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
    return builder.build(now=now, progress=progress, log=log, full=full)


def _forget_unused_images(images: Renditions, data: SiteData, planned: Plan) -> None:
    """Delete the cached renditions and forget the media files no live page uses.

    Only after a build that listed every address: it asked for every image of the site. A
    plan brought up to date asked only for those of the pages it rendered, and has the same
    images as the build before it (a changed image or cover makes a new plan).
    """
    if not planned.reused:
        images.keep_only(data.pictures.used)
        data.pictures.forget_unseen()


def _manifest_path(releases: Releases, release: Path) -> Path:
    return releases.folder / f"{release.name.removesuffix('.partial')}.json"


def _read_manifest(releases: Releases, release: Path | None, version: str) -> tuple[dict, bool]:
    """Return {target key: [token, file]} of a release built by this code (else {}) and
    whether its search index was completed."""
    if release is None:
        return {}, False
    try:
        data = json.loads(_manifest_path(releases, release).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}, False
    if data.get("code") != version:
        return {}, False
    return data["files"], data.get("indexed") is True


def _write_manifest(
    releases: Releases, partial: Path, version: str, planned: Plan, files: dict[str, str]
) -> dict:
    entries = {
        key: [token, files[key]]
        for key, token in zip(planned.keys, planned.tokens, strict=True)
        if key in files
    }
    data = {"code": version, "files": entries, "indexed": False}
    text = json.dumps(data, ensure_ascii=False, sort_keys=True)
    _manifest_path(releases, partial).write_text(text, encoding="utf-8")
    return entries


def _mark_indexed(releases: Releases, release: Path) -> None:
    """Record in a release's manifest that its search index is complete."""
    path = _manifest_path(releases, release)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return  # no manifest: the next build renders everything and indexes anyway
    data["indexed"] = True
    write_atomic(path, json.dumps(data, ensure_ascii=False, sort_keys=True).encode("utf-8"))


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
