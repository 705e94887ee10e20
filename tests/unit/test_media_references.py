"""A cover names a media file inside content/media, and load() reports one that does not."""

from __future__ import annotations

import shutil

import pytest

from cms.content import load
from tests.conftest import DATA

NEWS = """---
title: 封面测试
date: 2026-11-21T10:00:00+08:00
category: work
cover: {cover}
status: draft
---
正文。
"""


@pytest.fixture
def content(tmp_path):
    root = tmp_path / "content"
    shutil.copytree(DATA / "content", root)
    media = root / "media"
    (media / "2026" / "deep").mkdir(parents=True)
    (media / "2026" / "deep" / "a.jpg").write_bytes(b"x")
    (media / "2026" / "inside-link.jpg").symlink_to(media / "2026" / "deep" / "a.jpg")
    (tmp_path / "secret.jpg").write_bytes(b"x")
    (media / "2026" / "outside-link.jpg").symlink_to(tmp_path / "secret.jpg")
    (media / "2026" / "outside-folder").symlink_to(tmp_path, target_is_directory=True)
    return root


@pytest.mark.parametrize(
    ("cover", "found"),
    [
        ("media/2026/deep/a.jpg", True),
        ("media/2026/./deep/a.jpg", True),
        ("media/2026/inside-link.jpg", True),
        ("media/2026/missing.jpg", False),
        ("media/2026/deep", False),  # a folder is not a file
        ("media/2026/outside-link.jpg", False),
        ("media/2026/outside-folder/secret.jpg", False),
        ("media/2027/a.jpg", False),
    ],
)
def test_a_cover_is_checked_as_media_file_checks_it(content, cover, found):
    (content / "news" / "cover-test.md").write_text(NEWS.format(cover=cover), encoding="utf-8")
    loaded = load(content)
    reported = [p for p in loaded.problems if p.path == "content/news/cover-test.md"]
    assert (loaded.media_file(cover) is not None) is found
    assert [p.field for p in reported] == ([] if found else ["cover"])
