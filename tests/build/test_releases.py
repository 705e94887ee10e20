"""Publishing: a failed build leaves the live site alone; releases switch, roll back and prune."""

from __future__ import annotations

import datetime as dt
import os
import re
import subprocess
import sys
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from cms.public import views
from cms.publish.build import BuildError, build
from cms.publish.releases import ReleaseError, Releases
from tests.conftest import DEMO

ROOT = Path(__file__).resolve().parents[2]
NOW = dt.datetime(2026, 11, 25, 12, 0, tzinfo=ZoneInfo("Asia/Shanghai"))  # as in conftest
NOW_TEXT = NOW.isoformat()
BROKEN_STATION = """\
---
name: 测试驿站
type: care-station
street: bantian
address: 深圳市龙岗区坂田街道
phone: "0755-28750315"
location: {lat: 222.1, lng: 114.0652}
hours: ["mon-sun 00:00-24:00"]
status: published
---
"""


def snapshot(site: Path) -> dict[str, bytes]:
    root = site.resolve()
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def run_cli(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "build.py", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, **(env or {})},
    )


def retitle(content: Path, title: str) -> None:
    path = content / "news" / "plenary-2026.md"
    text = path.read_text(encoding="utf-8")
    path.write_text(
        re.sub(r"^title: .*$", f"title: {title}", text, count=1, flags=re.M), encoding="utf-8"
    )


@pytest.fixture
def live(content_copy: Path, tmp_path: Path) -> Path:
    """A first good build of a content copy; returns the ``site`` link."""
    site = tmp_path / "out" / "site"
    build(content_copy, site, now=NOW)
    return site


def test_build_switches_a_symlink_to_a_release(live):
    assert live.is_symlink()
    releases = Releases(live)
    assert releases.all() == [releases.current()]
    assert not os.path.isabs(os.readlink(live))
    assert (live / "index.html").is_file()


def test_broken_content_fails_and_the_live_site_stays(content_copy, live):
    target, before = os.readlink(live), snapshot(live)
    (content_copy / "stations" / "x.md").write_text(BROKEN_STATION, encoding="utf-8")
    with pytest.raises(BuildError) as caught:
        build(content_copy, live, now=NOW)
    assert caught.value.problems == [
        "content/stations/x.md:7: location.lat 222.1 is not a latitude"
    ]
    assert "content/stations/x.md:7: location.lat 222.1 is not a latitude" in str(caught.value)
    assert os.readlink(live) == target
    assert snapshot(live) == before
    assert len(Releases(live).all()) == 1
    assert list(Releases(live).folder.glob("*.partial")) == []


@pytest.mark.parametrize("where", ["worker", "builder"])
def test_a_page_failing_in_a_parallel_build_stops_it_and_the_live_site_stays(
    tmp_path, monkeypatch, where
):
    """A full build of the demo site renders on two cores, in a forked worker and in the
    building process: a page that fails in either stops the build, and nothing goes live."""
    live = tmp_path / "site"
    build(DEMO, live, now=NOW)
    target, before = os.readlink(live), snapshot(live)
    builder, articles = os.getpid(), []
    real = views.render_template

    def render(name, **context):
        articles.append(name)
        # The first article is rendered before the fork; later ones are shared out.
        inside = (os.getpid() == builder) == (where == "builder")
        if name == "news_detail.html" and articles.count(name) > 1 and inside:
            raise ZeroDivisionError("模板出错")
        return real(name, **context)

    monkeypatch.setattr(views, "render_template", render)
    # Flask answers the failing page with a 500, which Frozen-Flask refuses.
    failure = "Unexpected status '500 INTERNAL SERVER ERROR' on URL /news/"
    if where == "worker":
        failure = "a build worker failed: ValueError: " + failure
    with pytest.raises((RuntimeError, ValueError), match=re.escape(failure)):
        build(DEMO, live, now=NOW, jobs=2, full=True)
    assert os.readlink(live) == target
    assert snapshot(live) == before
    assert list(Releases(live).folder.glob("*.partial")) == []


def test_broken_link_in_a_body_fails_the_build_naming_the_file(content_copy, live):
    target = os.readlink(live)
    plenary = content_copy / "news" / "plenary-2026.md"
    with plenary.open("a", encoding="utf-8") as fh:
        fh.write("\n[坏链接](../stations/no-such-station.md)\n")
    about = content_copy / "pages" / "about.md"
    with about.open("a", encoding="utf-8") as fh:
        fh.write("\n草稿不能链接：[草稿](../news/secret-draft-plan.md)\n")
    with pytest.raises(BuildError) as caught:
        build(content_copy, live, now=NOW)
    assert sorted(caught.value.problems) == [
        "content/news/plenary-2026.md:19: body: broken link ../stations/no-such-station.md: "
        "no published stations entry 'no-such-station'",
        "content/pages/about.md:13: body: broken link ../news/secret-draft-plan.md: "
        "no published news entry 'secret-draft-plan'",
    ]
    assert os.readlink(live) == target
    assert list(Releases(live).folder.glob("*.partial")) == []


def test_broken_site_yml_fails_and_the_live_site_stays(content_copy, live):
    target = os.readlink(live)
    site_yml = content_copy / "site.yml"
    site_yml.write_text(
        site_yml.read_text(encoding="utf-8").replace("news_per_page: 3", "news_per_page: many"),
        encoding="utf-8",
    )
    with pytest.raises(BuildError) as caught:
        build(content_copy, live, now=NOW)
    assert caught.value.problems == ["content/site.yml:9: news_per_page must be int"]
    assert os.readlink(live) == target


def test_rollback_restores_the_previous_release(content_copy, live):
    first = Releases(live).current()
    retitle(content_copy, "第二版标题")
    build(content_copy, live, now=NOW)
    second = Releases(live).current()
    assert second != first
    assert "第二版标题" in (live / "news/plenary-2026/index.html").read_text(encoding="utf-8")

    assert Releases(live).rollback() == first
    assert Releases(live).current() == first
    page = (live / "news/plenary-2026/index.html").read_text(encoding="utf-8")
    assert "第二版标题" not in page and "区总工会召开全体（扩大）会议" in page
    assert second.is_dir()  # kept, so the newer release is still there to go back to
    with pytest.raises(ReleaseError):
        Releases(live).rollback()


def test_rollback_command(content_copy, live):
    first = Releases(live).current()
    retitle(content_copy, "第二版标题")
    build(content_copy, live, now=NOW)

    result = run_cli("rollback", "--output", str(live))
    assert result.returncode == 0, result.stderr
    assert first.name in result.stdout
    assert Releases(live).current() == first

    result = run_cli("rollback", "--output", str(live))
    assert result.returncode == 1
    assert "无法回滚" in result.stderr
    assert Releases(live).current() == first


def test_only_the_last_five_releases_are_kept(content_copy, live):
    made = [Releases(live).current()]
    for number in range(5):
        retitle(content_copy, f"第{number}版")
        build(content_copy, live, now=NOW)
        made.append(Releases(live).current())
    kept = Releases(live).all()
    assert kept == made[1:]
    assert not made[0].exists()
    assert Releases(live).current() == made[-1]


def test_a_partial_release_of_a_dead_build_is_cleaned_up(content_copy, live):
    folder = Releases(live).folder
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    stale = folder / f"20200101T000000000000Z-{dead.pid}.partial"
    stale.mkdir()
    (stale / "index.html").write_text("half a site", encoding="utf-8")
    running = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        busy = folder / f"20200101T000000000001Z-{running.pid}.partial"
        busy.mkdir()
        build(content_copy, live, now=NOW)
        assert not stale.exists()
        assert busy.is_dir()  # another build is still writing it
    finally:
        running.kill()
        running.wait()
    assert stale not in Releases(live).all()


def test_build_command_uses_yizhan_now_for_scheduled_news(content_copy, tmp_path):
    site = tmp_path / "site"
    result = run_cli(
        "build",
        "-q",
        "--content",
        str(content_copy),
        "--output",
        str(site),
        env={"YIZHAN_NOW": "2026-12-01T09:00:00+08:00"},
    )
    assert result.returncode == 0, result.stderr
    page = site / "news/secret-scheduled-notice/index.html"
    assert "SCHEDULEDMARKER" in page.read_text(encoding="utf-8")
    assert not (site / "news/secret-draft-plan").exists()


def test_build_command_strict_fails_on_broken_content(content_copy, live):
    target = os.readlink(live)
    (content_copy / "stations" / "x.md").write_text(BROKEN_STATION, encoding="utf-8")
    args = ("build", "-q", "--content", str(content_copy), "--output", str(live))
    result = run_cli(*args, "--now", NOW_TEXT, "--strict")
    assert result.returncode == 1
    assert "content/stations/x.md:7: location.lat 222.1 is not a latitude" in result.stderr
    assert os.readlink(live) == target

    result = run_cli(*args, "--now", NOW_TEXT)  # without --strict the rest is published
    assert result.returncode == 0, result.stderr
    assert "有误，它暂不上线" in result.stderr
    assert "content/stations/x.md:7: location.lat 222.1 is not a latitude" in result.stderr
    assert not (live / "stations" / "x").exists()  # nothing else changed: the same release
