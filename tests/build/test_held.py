"""One entry never blocks another: a file broken by hand is set aside and everything else goes live.

``strict`` (``build.py build --strict``) keeps the all-or-nothing build for CI.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from cms.content import writer
from cms.publish.build import BuildError, build
from cms.publish.releases import Releases
from tests.conftest import NOW


@pytest.fixture
def live(content_copy: Path, tmp_path: Path) -> Path:
    site = tmp_path / "out" / "site"
    build(content_copy, site, now=NOW)
    return site


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def _page(live: Path, path: str) -> str:
    return (live / path / "index.html").read_text(encoding="utf-8")


def test_a_broken_file_stays_as_it_was_live_and_the_others_publish(content_copy, live):
    rider = content_copy / "news" / "rider-care-2026.md"
    rider.write_text(rider.read_text(encoding="utf-8") + "\n<img src=x>手改\n", encoding="utf-8")
    _edit(content_copy / "news" / "plenary-2026.md", "title: ", "title: 新标题 ")
    result = build(content_copy, live, now=NOW, strict=False)
    assert "新标题" in _page(live, "news/plenary-2026")
    assert "手改" not in _page(live, "news/rider-care-2026")  # as the last build made it
    [held] = result.held
    assert held.kept and held.path == "content/news/rider-care-2026.md"
    assert "content/news/rider-care-2026.md:" in held.problems[0]
    assert f"《{held.title}》有误，网站上保留它上一版" in result.warnings[0]

    again = build(content_copy, live, now=NOW, strict=False)  # and so at every build after
    assert [h.path for h in again.held] == [held.path] and again.held[0].kept


def test_a_new_broken_file_is_left_out_and_named(content_copy, live):
    new = content_copy / "news" / "hand-made-2026.md"
    new.write_text(
        "---\ntitle: 手写的新闻\ndate: 2026-11-21T10:00:00+08:00\ncategory: work\n"
        "status: published\n---\n正文\n\n<img src=x>\n",
        encoding="utf-8",
    )
    result = build(content_copy, live, now=NOW, strict=False)
    assert not (live / "news" / "hand-made-2026").exists()
    [held] = result.held
    assert held.title == "手写的新闻" and not held.kept
    assert "《手写的新闻》有误，它暂不上线" in result.warnings[0]
    assert "content/news/hand-made-2026.md:" in result.warnings[0]


def test_without_a_build_cache_a_broken_file_is_kept_as_the_admin_last_saved_it(content_copy, live):
    path = content_copy / "news" / "plenary-2026.md"
    text = path.read_text(encoding="utf-8").replace("会议总结了全年工作", "上次保存的正文")
    version = writer.version_of(path.read_bytes())
    writer.save(content_copy, "news", "plenary-2026", text, version, "editor")
    _edit(path, "category: work", "category: no-such-category")  # then broken by hand
    shutil.rmtree(Releases(live).folder / ".cache")  # no record of what was live: a new server
    _edit(content_copy / "news" / "rider-care-2026.md", "title: ", "title: 新标题 ")
    result = build(content_copy, live, now=NOW, strict=False)
    assert "新标题" in _page(live, "news/rider-care-2026")
    assert "上次保存的正文" in _page(live, "news/plenary-2026")
    [held] = result.held
    assert held.kept and "保留它上一版" in str(held)
    assert held.problems[0].startswith("content/news/plenary-2026.md:4: category")


def test_a_station_withdrawn_by_hand_takes_its_activities_out_not_the_site(content_copy, live):
    _edit(content_copy / "stations" / "nanwan-night-01.md", "status: published", "status: draft")
    _edit(content_copy / "news" / "plenary-2026.md", "title: ", "title: 新标题 ")
    result = build(content_copy, live, now=NOW, strict=False)
    assert "新标题" in _page(live, "news/plenary-2026")
    assert not (live / "stations" / "nanwan-night-01").exists()
    held = {h.path for h in result.held}
    assert held == {"content/activities/full-care-2026.md", "content/news/early-bird-2026.md"}
    assert not (live / "activities" / "full-care-2026").exists()


def test_strict_publishes_nothing_while_one_entry_is_broken(content_copy, live):
    target = os.readlink(live)
    plenary = content_copy / "news" / "plenary-2026.md"
    plenary.write_text(plenary.read_text(encoding="utf-8") + "\n<img src=x>\n", encoding="utf-8")
    with pytest.raises(BuildError, match="broken link"):
        build(content_copy, live, now=NOW, strict=True)
    assert os.readlink(live) == target
