"""Publishing on save: the watch loop puts an edit live without anyone running a build."""

from __future__ import annotations

import threading
import time
from pathlib import Path

from cms.publish.build import Builder
from cms.publish.watch import watch
from tests.build.indexed import fragments
from tests.build.test_incremental import tree


def test_an_edit_goes_live_and_a_broken_file_is_named_while_the_site_stays(content_copy, tmp_path):
    builder = Builder(content_copy, tmp_path / "site", jobs=1)
    messages: list[str] = []
    stop = threading.Event()
    loop = threading.Thread(target=watch, args=(builder, messages.append, 0.05, stop))
    loop.start()
    try:
        page = tmp_path / "site" / "about" / "index.html"
        _wait(lambda: page.exists())
        about = content_copy / "pages" / "about.md"
        about.write_text(
            about.read_text(encoding="utf-8") + "\n监视发布的新段落。\n", encoding="utf-8"
        )
        _wait(lambda: "监视发布的新段落" in page.read_text(encoding="utf-8"))
        # The page goes live first; the search index catches up right after.
        _wait(lambda: "新段落" in _indexed_text(tmp_path / "site", "/about/"))
        live = tree(tmp_path / "site")
        station = next((content_copy / "stations").glob("*.md"))
        station.write_text(
            station.read_text(encoding="utf-8").replace("lat: ", "lat: 9", 1), encoding="utf-8"
        )
        # The broken file is named; the station stays as it was live, and so does the site.
        _wait(lambda: any("有误，网站上保留它上一版" in m for m in messages))
        assert tree(tmp_path / "site") == live
        assert any(f"content/stations/{station.name}:" in m for m in messages)
    finally:
        stop.set()
        loop.join()


def _indexed_text(site: Path, url: str) -> str:
    try:
        return fragments(site)[url]["content"].replace("\u200b", "")
    except (OSError, KeyError):  # between the two renames that swap the index in
        return ""


def _wait(condition, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "the watch loop did not publish in time"
        time.sleep(0.05)
