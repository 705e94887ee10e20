"""Schedules fire by themselves: one scheduler among many processes, on an injected clock."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
import time
from pathlib import Path

from cms.content.folder import ContentFolder
from cms.publish.jobs import Publisher
from cms.publish.scheduler import Scheduler
from tests.conftest import NOW, ROOT

TIMEOUT = 120

HOLDER = r"""
import sys, time
from cms.publish.scheduler import Scheduler
scheduler = Scheduler(None, None, sys.argv[1], clock=None)
print("ready", flush=True)
while not scheduler.holds():
    time.sleep(0.02)
print("holds", flush=True)
time.sleep(600)
"""


class Clock:
    """A clock the test moves by hand."""

    def __init__(self, now: dt.datetime):
        self.now = now

    def __call__(self) -> dt.datetime:
        return self.now


def _lines(children: list[subprocess.Popen], seconds: float, until=None) -> list[tuple]:
    """Return (child, line) read within ``seconds`` (sooner once ``until(found)`` holds).

    Read with os.read, not readline: a buffered reader may hold a second line the selector
    will never announce.
    """
    import os
    import selectors

    found: list[tuple] = []
    with selectors.DefaultSelector() as selector:
        for child in children:
            selector.register(child.stdout.fileno(), selectors.EVENT_READ, child)
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline and not (until and until(found)):
            for key, _ in selector.select(timeout=max(0.0, deadline - time.monotonic())):
                data = os.read(key.fd, 4096)
                if not data:
                    selector.unregister(key.fd)
                found.extend((key.data, line) for line in data.decode().split())
    return found


def _holders(children: list[subprocess.Popen], seconds: float) -> list[subprocess.Popen]:
    """Return the children that say they hold the lock within ``seconds``."""
    return [child for child, line in _lines(children, seconds) if line == "holds"]


def test_one_of_several_processes_schedules_and_another_takes_over_when_it_dies(tmp_path):
    lock = tmp_path / "instance" / "scheduler.lock"
    children = [
        subprocess.Popen(
            [sys.executable, "-c", HOLDER, str(lock)],
            cwd=ROOT,
            stdout=subprocess.PIPE,
        )
        for _ in range(4)
    ]
    try:
        started = _lines(children, 120.0, until=lambda f: sum(x == "ready" for _, x in f) == 4)
        assert sum(line == "ready" for _, line in started) == 4
        holding = [child for child, line in started if line == "holds"]
        [first] = holding + _holders(children, 3.0)  # the others keep trying, and fail
        first.kill()  # a worker restarted by gunicorn
        first.wait()
        rest = [c for c in children if c is not first]
        [second] = _holders(rest, 10.0)
        assert second is not first
        assert not Scheduler(None, None, lock, clock=None).holds()  # type: ignore[arg-type]
    finally:
        for child in children:
            child.kill()
            child.wait()
            child.stdout.close()


def _page(site: Path, slug: str) -> Path:
    return site / "news" / slug / "index.html"


def test_publish_at_and_unpublish_at_fire_at_the_next_tick_after_their_time(content_copy, tmp_path):
    clock = Clock(NOW)
    site = tmp_path / "site"
    publisher = Publisher(content_copy, site, now=clock)
    scheduler = Scheduler(
        ContentFolder(content_copy).content, publisher, tmp_path / "scheduler.lock", clock
    )
    job = scheduler.tick()  # the first tick publishes what fell due while no one looked
    assert job is not None and publisher.wait(TIMEOUT).state == "succeeded"
    assert not _page(site, "secret-scheduled-notice").exists()
    assert _page(site, "rider-care-2026").exists()

    clock.now = NOW + dt.timedelta(minutes=1)
    assert scheduler.tick() is None  # nothing fell due: no build at all

    rider = content_copy / "news" / "rider-care-2026.md"
    text = rider.read_text(encoding="utf-8")
    rider.write_text(
        text.replace(
            "status: published", "status: published\nunpublish_at: 2026-12-01T09:00:30+08:00"
        ),
        encoding="utf-8",
    )
    clock.now = dt.datetime.fromisoformat("2026-12-01T09:00:10+08:00")
    assert scheduler.tick() is not None
    assert publisher.wait(TIMEOUT).state == "succeeded"
    assert _page(site, "secret-scheduled-notice").exists()  # publish_at 09:00 has passed
    assert _page(site, "rider-care-2026").exists()

    clock.now += dt.timedelta(minutes=1)
    assert scheduler.tick() is not None
    assert publisher.wait(TIMEOUT).state == "succeeded"
    assert not _page(site, "rider-care-2026").exists()  # unpublish_at 09:00:30 has passed
    assert publisher.last().user == "定时任务"
    scheduler.stop()


def test_a_failed_scheduled_publish_is_tried_again_at_the_next_tick(content_copy, tmp_path):
    clock = Clock(NOW)
    site = tmp_path / "site"
    publisher = Publisher(content_copy, site, now=clock)
    scheduler = Scheduler(
        ContentFolder(content_copy).content, publisher, tmp_path / "scheduler.lock", clock
    )
    settings = content_copy / "site.yml"
    good = settings.read_text(encoding="utf-8")
    settings.write_text(good.replace("news_per_page: 3", "news_per_page: many"), "utf-8")
    assert scheduler.tick() is not None
    assert publisher.wait(TIMEOUT).state == "failed"
    settings.write_text(good, encoding="utf-8")
    clock.now += dt.timedelta(minutes=1)  # nothing falls due in this minute, yet …
    assert scheduler.tick() is not None
    assert publisher.wait(TIMEOUT).state == "succeeded"
    assert (site / "index.html").is_file()
    scheduler.stop()
