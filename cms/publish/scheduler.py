"""Publish at each scheduled time by itself, in exactly one of the processes serving the admin.

Every process (each gunicorn worker, or ``build.py serve`` / ``build.py admin``) runs a
``Scheduler``. Once a minute each tries a lock on a file in the instance folder without waiting;
only the holder goes on. The system drops the lock with its process, so when that worker is
restarted another one takes over at its next try. The holder publishes at its first tick (what
fell due while no one held the lock) and then whenever an entry's ``publish_at`` or
``unpublish_at`` has passed since its last tick, and again after a publish of its own failed
(a theme being edited, a full disk). No cron, no button.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import logging
import os
import threading
from collections.abc import Callable
from pathlib import Path
from typing import IO

from ..content import Content
from ..content.workflow import schedule_times
from .jobs import Job, Publisher

TICK = 60.0  # seconds between looks at the clock: a schedule fires within a minute
WHO = "定时任务"  # the user a scheduled publish is logged under


class Scheduler:
    """Start a publish when a scheduled time passes, if this process holds the lock."""

    def __init__(
        self,
        content: Callable[[], Content],
        publisher: Publisher,
        lock_file: Path,
        clock: Callable[[], dt.datetime],
        interval: float = TICK,
    ):
        self.content = content
        self.publisher = publisher
        self.lock_file = Path(lock_file)
        self.clock = clock
        self.interval = interval
        self._held: IO[bytes] | None = None  # the open lock file while this process holds it
        self._since: dt.datetime | None = None  # the clock at the last tick as holder
        self._job: str = ""  # the last publish this scheduler started
        self._stop = threading.Event()

    def holds(self) -> bool:
        """Take the lock if it is free; tell whether this process is the scheduler."""
        if self._held is None:
            self.lock_file.parent.mkdir(parents=True, exist_ok=True)
            handle = open(self.lock_file, "a+b")  # noqa: SIM115 - held open while scheduling
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                handle.close()
                return False
            handle.truncate(0)
            handle.write(f"{os.getpid()}\n".encode())  # who holds it, for a curious admin
            handle.flush()
            self._held = handle
        return True

    def due(self, since: dt.datetime | None, now: dt.datetime) -> bool:
        """Tell whether an entry goes up or comes down in (since, now]; always at first."""
        if since is None:
            return True
        return any(
            since < moment <= now
            for entries in self.content().entries.values()
            for entry in entries.values()
            for moment in schedule_times(entry)
        )

    def tick(self) -> Job | None:
        """Publish if this process is the scheduler and something fell due; return the job."""
        if not self.holds():
            return None
        now = self.clock()
        since, self._since = self._since, now
        last = self.publisher.get(self._job) if self._job else None
        if last is not None and last.state == "failed":
            since = None  # what fell due then is still due: try again
        if not self.due(since, now):
            return None
        job = self.publisher.start(WHO)
        self._job = job.id
        return job

    def start(self) -> threading.Thread:
        """Tick in a background thread until ``stop()``."""
        thread = threading.Thread(target=self._run, name="yizhan-scheduler", daemon=True)
        thread.start()
        return thread

    def stop(self) -> None:
        """Stop ticking and let another process take the lock."""
        self._stop.set()
        held, self._held = self._held, None
        if held is not None:
            held.close()

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                self.tick()
            except Exception:  # a bad tick (a full disk) must not end the scheduling for good
                logging.getLogger(__name__).exception("scheduled publish failed")
            self._stop.wait(self.interval)
