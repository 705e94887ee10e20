"""The publish runner: real builds of tests/data/content into temporary folders."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from cms.publish.jobs import PublishBusy, Publisher, PublishError
from cms.publish.releases import Releases
from tests.conftest import DATA, NOW

TIMEOUT = 120


def _publisher(content: Path, tmp_path: Path) -> Publisher:
    return Publisher(content, tmp_path / "site", now=NOW)


def _publish(publisher: Publisher, user: str = "alice"):
    job = publisher.start(user)
    finished = publisher.wait(TIMEOUT)
    assert finished is not None and finished.id == job.id and not finished.running
    return finished


def test_two_concurrent_starts_give_one_job_that_reaches_its_total(tmp_path):
    publisher = _publisher(DATA / "content", tmp_path)
    barrier = threading.Barrier(2)
    jobs = []

    def click(user: str) -> None:
        barrier.wait()
        jobs.append(publisher.start(user))

    threads = [threading.Thread(target=click, args=(u,)) for u in ("alice", "bob")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert jobs[0].id == jobs[1].id and jobs[0].running
    assert publisher.current().id == jobs[0].id

    job = publisher.wait(TIMEOUT)
    assert job.state == "succeeded", job.log
    assert job.total > 0 and job.done == job.total
    assert job.pages >= job.total and job.seconds > 0
    assert job.release == Releases(tmp_path / "site").current().name
    assert (tmp_path / "site" / "index.html").is_file()
    assert job.finished >= job.started and publisher.current() is None
    assert all(re.match(r"\d\d:\d\d:\d\d ", line) for line in job.log)
    assert "开始发布" in job.log[0] and "发布完成" in job.log[-1]
    assert json.loads(json.dumps(job.to_dict()))["state"] == "succeeded"
    assert len(list(Releases(tmp_path / "site").all())) == 1

    again = publisher.start("alice")
    assert again.id != job.id  # a finished job is not joined
    assert publisher.wait(TIMEOUT).state == "succeeded"
    assert publisher.get(job.id).state == "succeeded"


def test_a_broken_file_is_named_and_does_not_stop_the_publish(content_copy, tmp_path):
    publisher = _publisher(content_copy, tmp_path)
    assert _publish(publisher).state == "succeeded"
    station = content_copy / "stations" / "bantian-care-01.md"
    station.write_text(
        station.read_text(encoding="utf-8").replace("lat: 22.63762", "lat: 222.1"), "utf-8"
    )
    page = content_copy / "pages" / "about.md"
    page.write_text(page.read_text(encoding="utf-8") + "\nJOBMARKER\n", encoding="utf-8")
    job = _publish(publisher)
    assert job.state == "succeeded", job.log
    assert "JOBMARKER" in (tmp_path / "site" / "about" / "index.html").read_text(encoding="utf-8")
    assert (tmp_path / "site" / "stations" / "bantian-care-01" / "index.html").is_file()
    [warning] = [w for w in job.warnings if "有误" in w]
    assert "《坂田" in warning and "网站上保留它上一版" in warning
    assert "content/stations/bantian-care-01.md:6: location.lat 222.1 is not a latitude" in warning
    assert any(line.endswith(f"警告：{warning}") for line in job.log)  # the log says it too


def test_rollback_switches_back_to_the_previous_release(content_copy, tmp_path):
    publisher = _publisher(content_copy, tmp_path)
    with pytest.raises(PublishError, match="没有更早的版本"):
        publisher.rollback()
    first = _publish(publisher)
    page = content_copy / "pages" / "about.md"
    page.write_text(page.read_text(encoding="utf-8") + "\nROLLBACKMARKER\n", encoding="utf-8")
    second = _publish(publisher)
    assert second.state == "succeeded" and second.release != first.release
    about = tmp_path / "site" / "about" / "index.html"
    assert "ROLLBACKMARKER" in about.read_text(encoding="utf-8")

    [latest, *_] = publisher.publications()
    assert latest["release"] == second.release and latest["user"] == "alice"
    assert latest["changes"] == ["更新《关于我们》"]
    assert publisher.publication(first.release)["changes"]  # the first publish names all

    assert publisher.rollback() == first.release
    assert Releases(tmp_path / "site").current().name == first.release
    assert "ROLLBACKMARKER" not in about.read_text(encoding="utf-8")


def test_a_build_in_another_process_makes_this_one_wait(tmp_path):
    publisher = _publisher(DATA / "content", tmp_path)
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import fcntl, sys\n"
            f"handle = open({str(publisher.lock_file)!r}, 'a+b')\n"
            "fcntl.flock(handle, fcntl.LOCK_EX)\n"
            "print('locked', flush=True)\n"
            "sys.stdin.read()\n",
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    with holder:
        assert holder.stdout.readline().strip() == "locked"
        with pytest.raises(PublishBusy, match="另一个发布正在进行"):
            publisher.rollback()
        job = publisher.start("alice")
        waiting = publisher.wait(1.0)
        assert waiting.id == job.id and waiting.running
        assert any("另一个发布正在进行" in line for line in waiting.log)
        with pytest.raises(PublishBusy, match="发布正在进行"):
            publisher.rollback()
        holder.stdin.close()  # the other process ends and its lock goes with it
    assert publisher.wait(TIMEOUT).state == "succeeded"


def test_a_change_saved_while_a_build_reads_goes_out_with_the_next_one(content_copy, tmp_path):
    """A save during a build that has begun reading the content is not lost by joining it:
    one more build is queued, and it publishes the change without another click."""
    import time

    publisher = _publisher(content_copy, tmp_path)
    first = publisher.start("alice")
    deadline = time.monotonic() + TIMEOUT
    while len((publisher.current() or first).log) < 2 and publisher.current():
        assert time.monotonic() < deadline
        time.sleep(0.005)
    path = content_copy / "news" / "plenary-2026.md"
    path.write_text(path.read_text("utf-8").replace("title: ", "title: 改过：", 1), "utf-8")
    second = publisher.start("bob")
    assert second.id != first.id
    finished = publisher.wait(TIMEOUT)
    assert finished.id == second.id and finished.state == "succeeded", finished.log
    page = tmp_path / "site" / "news" / "plenary-2026" / "index.html"
    assert "改过：" in page.read_text("utf-8")
