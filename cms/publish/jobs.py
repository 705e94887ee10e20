"""The admin's "发布网站" runner: one background build at a time, with progress, log and result.

A second request while a build runs joins it instead of starting another. Several server
processes (gunicorn workers) share one lock file beside the output, so across processes a build
waits for the one before it; readers of a job get copies, so views never see a half-updated one.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import fcntl
import json
import threading
import uuid
from collections import OrderedDict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from zoneinfo import ZoneInfo

from ..content.store import write_atomic
from ..content.writer import version_of
from .build import Builder, BuildError
from .deploy import after_publish
from .releases import KEEP, ReleaseError, Releases

HISTORY = 20  # finished jobs kept for views that poll by id
LOG_LINES = 500
RECORDED = 100  # changes named in a release's record (a first publish names every entry)


class PublishBusy(RuntimeError):
    """A publish is running, so a rollback must wait; the message is for editors."""


class PublishError(RuntimeError):
    """A rollback could not be done; the message is for editors."""


@dataclass
class Job:
    """One publish: its progress while running, then its result or its problems."""

    id: str
    user: str
    started: dt.datetime
    state: str = "running"  # running | succeeded | failed
    done: int = 0  # files written so far …
    total: int = 0  # … of this many (0 until the site's addresses are known)
    log: list[str] = field(default_factory=list)  # "12:00:01 读取内容…"
    finished: dt.datetime | None = None
    pages: int = 0
    seconds: float = 0.0
    release: str = ""
    warnings: list[str] = field(default_factory=list)
    error: str = ""  # one line saying why it failed
    problems: list[str] = field(default_factory=list)  # "content/x.md:7: location.lat …"

    @property
    def running(self) -> bool:
        return self.state == "running"

    def to_dict(self) -> dict:
        """Return the job as JSON-ready data for a progress page that polls."""
        data = dataclasses.asdict(self)
        data["started"] = self.started.isoformat()
        data["finished"] = self.finished.isoformat() if self.finished else None
        return data


class Publisher:
    """Run builds of ``content_root`` into ``output`` in a background thread, one at a time."""

    def __init__(
        self,
        content_root: Path,
        output: Path,
        now: dt.datetime | Callable[[], dt.datetime] | None = None,
        keep: int = KEEP,
        tz: str = "Asia/Shanghai",
    ):
        self.content_root = Path(content_root)
        self.output = Path(output).absolute()
        self.now = now  # None: the clock (tests pass a fixed moment, or a clock of their own)
        self.keep = keep
        self.tz = ZoneInfo(tz)
        self.lock_file = self.output.with_name(f".{self.output.name}.publish.lock")
        # One JSON line per release made live: when, by whom, which entries it changed.
        self.record_file = self.output.with_name(f".{self.output.name}.published.jsonl")
        # After a rollback: the entries whose content is ahead of the live site (see ahead()).
        self.ahead_file = self.output.with_name(f".{self.output.name}.ahead.json")
        self._lock = threading.Lock()
        self._jobs: OrderedDict[str, Job] = OrderedDict()
        self._running: Job | None = None
        self._queued: tuple[Job, bool] | None = None  # the next build, and whether it is full
        self._reading = False  # whether the running build may have read the content yet
        self._finished = threading.Condition(self._lock)
        # One builder for the life of the process keeps parsed entries and rendered bodies in
        # memory, so publishing one edit renders a handful of pages. jobs=1: forking workers
        # from a threaded web server risks deadlocks, and the warm cache makes them unneeded.
        self._builder = Builder(self.content_root, self.output, keep=keep, jobs=1)

    def start(self, user: str, full: bool = False) -> Job:
        """Start a build, or queue one to run when the running one ends; return (a copy of) it.

        A request while a build runs joins it if that build has not begun reading the content
        (or only asks for a full build, 发布网站, which changes no content). Otherwise the
        running build may have read the content before this change: one more build is queued,
        and every request while it waits joins it. ``full`` renders every page again.
        """
        with self._lock:
            if self._running is not None and (full or not self._reading):
                return self._copy(self._running)  # it reads the content after this change
            if self._running is not None:
                if self._queued is None:
                    queued = self._new_job(user)
                    self._log(queued, f"排队：当前的发布完成后再发布一次（操作人：{user}）")
                    self._queued = (queued, full)
                job, was_full = self._queued
                self._queued = (job, was_full or full)
                return self._copy(job)
            job = self._new_job(user)
            self._launch(job, full)
            return self._copy(job)

    def _new_job(self, user: str) -> Job:
        job = Job(uuid.uuid4().hex[:12], user, self._clock())
        self._jobs[job.id] = job
        while len(self._jobs) > HISTORY:
            self._jobs.popitem(last=False)
        return job

    def _launch(self, job: Job, full: bool) -> None:
        """Run ``job`` in a thread of its own (called holding the lock)."""
        self._log(job, f"开始发布（操作人：{job.user}）")
        self._running, self._reading = job, False
        thread = threading.Thread(target=self._run, args=(job, full), name=f"publish-{job.id}")
        thread.daemon = True
        thread.start()

    def current(self) -> Job | None:
        """Return the running job, if any."""
        with self._lock:
            return self._copy(self._running) if self._running else None

    def last(self) -> Job | None:
        """Return the newest job, running or finished."""
        with self._lock:
            return self._copy(next(reversed(self._jobs.values()))) if self._jobs else None

    def get(self, job_id: str) -> Job | None:
        """Return a recent job by id (None when unknown or forgotten)."""
        with self._lock:
            job = self._jobs.get(job_id)
            return self._copy(job) if job else None

    def wait(self, timeout: float | None = None) -> Job | None:
        """Wait for the running job to finish; return the newest job."""
        with self._finished:
            self._finished.wait_for(lambda: self._running is None, timeout)
        return self.last()

    def rollback(self) -> str:
        """Switch the live site back to the previous release; return that release's name."""
        with self._lock:
            if self._running is not None:
                raise PublishBusy("发布正在进行，请等它完成后再回滚")
            with self._process_lock(wait=False) as free:
                if not free:
                    raise PublishBusy("另一个发布正在进行，请稍后再回滚")
                releases = Releases(self.output)
                live = releases.current()
                undone = self.publication(live.name) if live else None
                try:
                    release = releases.rollback().name
                except ReleaseError as exc:
                    raise PublishError(f"无法回滚：{_chinese(exc)}") from None
                self._mark_ahead(undone)
                return release

    def ahead(self) -> list[dict]:
        """Return the entries a rollback left ahead of the live site, each {kind, slug, title,
        change, live}: ``live`` is the version the site shows (None: not on the site)."""
        try:
            return json.loads(self.ahead_file.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return []

    def settle(self, kind: str, slug: str) -> None:
        """Forget that an entry is ahead of the site (reverted, or to go up at the next publish)."""
        self._write_ahead([a for a in self.ahead() if (a["kind"], a["slug"]) != (kind, slug)])

    def _mark_ahead(self, undone: dict | None) -> None:
        """Mark what the undone publish changed whose content is still as that publish left it,
        so the next publish does not bring it back unnoticed."""
        marked = {(a["kind"], a["slug"]): a for a in self.ahead()}
        for item in (undone or {}).get("items", []):
            path = self.content_root / item["kind"] / f"{item['slug']}.md"
            try:
                now = version_of(path.read_bytes())
            except OSError:
                now = None
            if now != item["before"]:
                marked[(item["kind"], item["slug"])] = {
                    "kind": item["kind"], "slug": item["slug"], "title": item["title"],
                    "change": item["change"], "live": item["before"],
                }  # fmt: skip
        self._write_ahead(list(marked.values()))

    def _write_ahead(self, items: list[dict]) -> None:
        data = json.dumps(items, ensure_ascii=False).encode("utf-8")
        write_atomic(self.ahead_file, data)

    def _run(self, job: Job, full: bool = False) -> None:
        def progress(done: int, total: int, url: str) -> None:
            with self._lock:
                job.done, job.total = done, total

        try:
            with self._process_lock(wait=True, job=job):
                before = self._live()
                result = self._builder.build(
                    now=self.now() if callable(self.now) else self.now,
                    progress=progress,
                    log=lambda message: self._build_log(job, message),
                    full=full,
                    strict=False,  # one broken entry must not hold back everyone's work
                )
                if result.release.name != (before and before[0]):
                    self._record(job, result.release.name, before[1] if before else {})
                # Copies to object storage named in site.yml (deploy: … after_publish: true).
                result.warnings += after_publish(
                    result.release, self.content_root, lambda m: self._locked_log(job, m)
                )
        except BuildError as exc:
            self._finish(job, "failed", str(exc).splitlines()[0], exc.problems)
        except Exception as exc:  # a bug or a full disk must still end the job, not hang it
            self._finish(job, "failed", f"{type(exc).__name__}: {exc}", [])
        else:
            ahead = self.ahead()
            if ahead:  # what a rollback left ahead is on the site again: say so, once
                titles = "、".join(f"《{a['title']}》" for a in ahead)
                result.warnings.append(f"回滚后内容比网站新的条目随这次发布上线：{titles}")
                self._write_ahead([])
            with self._lock:
                job.pages, job.seconds = result.pages, round(result.seconds, 2)
                job.release, job.warnings = result.release.name, list(result.warnings)
                job.done = job.total = max(job.total, result.pages)
                for warning in job.warnings:  # entries set aside among them, by title and line
                    self._log(job, f"警告：{warning}")
            self._finish(job, "succeeded", "", [])

    def publications(self) -> list[dict]:
        """Return what each live-made release changed, newest first: {release, time, user,
        changes: ["上线《…》", "更新《…》", "撤下《…》"]}, for the releases still kept."""
        try:
            lines = self.record_file.read_text(encoding="utf-8").splitlines()
        except OSError:
            return []
        kept = {release.name for release in Releases(self.output).all()}
        records = [json.loads(line) for line in lines if line.strip()]
        return [r for r in reversed(records) if r["release"] in kept]

    def publication(self, release: str) -> dict | None:
        """Return what ``release`` changed when it was published (None if not recorded)."""
        return next((r for r in self.publications() if r["release"] == release), None)

    def _live(self) -> tuple[str, dict[tuple[str, str], tuple[str, str]]] | None:
        """Return the live release's name and {(kind, slug): (version, title)} as last built."""
        plan, current = self._builder.cache.plan, Releases(self.output).current()
        if plan is None or current is None:
            return None
        entries = {
            (entry.kind, entry.slug): (entry.version, entry.title_text)
            for listed in plan.live.values()
            for entry in listed
        }
        return current.name, entries

    def _record(self, job: Job, release: str, before: dict) -> None:
        after = self._live()
        now = after[1] if after else {}
        items = [("上线", k, now[k][1]) for k in now if k not in before]
        items += [("更新", k, now[k][1]) for k in now if k in before and before[k] != now[k]]
        items += [("撤下", k, before[k][1]) for k in before if k not in now]
        changes = [f"{change}《{title}》" for change, _, title in items]
        if len(changes) > RECORDED:
            changes[RECORDED:] = [f"等，共 {len(changes)} 条"]
        record = {"release": release, "time": self._clock().isoformat(), "user": job.user,
                  "changes": changes,
                  "items": [{"kind": k[0], "slug": k[1], "title": title, "change": change,
                             "before": before.get(k, (None,))[0]}
                            for change, k, title in items[:RECORDED]]}  # fmt: skip
        with open(self.record_file, "a", encoding="utf-8") as handle:
            handle.write(json.dumps(record, ensure_ascii=False) + "\n")

    def _finish(self, job: Job, state: str, error: str, problems: list[str]) -> None:
        with self._lock:
            job.state, job.error, job.problems = state, error, list(problems)
            job.finished = self._clock()
            if state == "succeeded":
                self._log(
                    job, f"发布完成：{job.pages} 个文件，用时 {job.seconds} 秒 → {job.release}"
                )
            else:
                self._log(job, f"发布失败，线上网站保持不变：{error}")
                for problem in problems:
                    self._log(job, problem)
            self._running = None
            if self._queued is not None:  # changes saved while this one ran
                queued, full = self._queued
                self._queued = None
                self._launch(queued, full)
            self._finished.notify_all()

    @contextmanager
    def _process_lock(self, wait: bool, job: Job | None = None) -> Iterator[bool]:
        """Hold the lock file shared by every process publishing this output."""
        self.lock_file.parent.mkdir(parents=True, exist_ok=True)
        with open(self.lock_file, "a+b") as handle:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                if not wait:
                    yield False
                    return
                if job is not None:
                    self._locked_log(job, "另一个发布正在进行（其他进程），等待它完成…")
                fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                yield True
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    def _build_log(self, job: Job, message: str) -> None:
        """Log a line of the build; its first line comes before it reads any content."""
        with self._lock:
            self._reading = True
            self._log(job, message)

    def _locked_log(self, job: Job, message: str) -> None:
        with self._lock:
            self._log(job, message)

    def _log(self, job: Job, message: str) -> None:
        job.log.append(f"{self._clock():%H:%M:%S} {message}")
        del job.log[:-LOG_LINES]

    def _clock(self) -> dt.datetime:
        return dt.datetime.now(self.tz)

    @staticmethod
    def _copy(job: Job) -> Job:
        return dataclasses.replace(
            job, log=list(job.log), warnings=list(job.warnings), problems=list(job.problems)
        )


def _chinese(exc: ReleaseError) -> str:
    if "no earlier release" in str(exc):
        return "没有更早的版本"
    return str(exc)
