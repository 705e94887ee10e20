"""The search index in the built release: what Pagefind's client will read, page by page."""

from __future__ import annotations

import json
import subprocess
import sys

import lxml.html
import pytest

from cms.content import load
from cms.public.urls import entry_path
from cms.publish.build import Builder
from tests.build.indexed import fragments
from tests.conftest import DATA, DEMO, NOW, ROOT

KINDS = {"news": "新闻", "activities": "活动", "stations": "驿站", "pages": "页面"}


def test_the_release_holds_the_index_and_its_ui(demo_site):
    for name in ("pagefind.js", "pagefind-ui.js", "pagefind-ui.css", "pagefind-entry.json"):
        assert (demo_site / "pagefind" / name).is_file(), name
    entry = json.loads((demo_site / "pagefind" / "pagefind-entry.json").read_text())
    assert list(entry["languages"]) == ["zh-cn"]


def test_the_index_holds_every_live_entry_page_and_no_list(demo_site):
    content = load(DEMO)
    expected = {
        entry_path(entry): (KINDS[kind], entry)
        for kind in KINDS
        for entry in content.live(kind, NOW)
    }
    found = fragments(demo_site)
    assert sorted(found) == sorted(expected)
    for url, fragment in found.items():
        kind, entry = expected[url]
        assert fragment["meta"]["title"] == entry.title_text
        assert fragment["filters"]["类型"] == [kind]
        if kind == "新闻":
            label = content.site.news_categories[entry.category].label
            assert fragment["filters"]["新闻分类"] == [label]
        else:
            assert "新闻分类" not in fragment["filters"]


def test_words_are_segmented_and_page_furniture_is_left_out(demo_site):
    station = fragments(demo_site)["/stations/buji-care-02/"]
    words = station["content"].split("\u200b")  # Pagefind marks its word breaks this way
    assert "爱心" in words and "驿站" in words
    assert "扫码" not in station["content"]  # the QR code's caption
    assert "导航" not in station["content"]  # the navigation buttons


@pytest.mark.parametrize(("fixture", "root"), [("demo_site", ""), ("data_site", "/union")])
def test_the_search_page_has_no_inline_script_and_finds_the_index(request, fixture, root):
    site = request.getfixturevalue(fixture)
    tree = lxml.html.fromstring((site / "search" / "index.html").read_bytes())
    scripts = tree.xpath("//script")
    assert scripts and all(s.get("src") and not (s.text or "").strip() for s in scripts)
    assert not [a for e in tree.iter() for a in e.attrib if a.lower().startswith("on")]
    sources = [s.get("src") for s in scripts]
    assert sources[-2] == f"{root}/pagefind/pagefind-ui.js"
    assert sources[-1].startswith(f"{root}/static/js/search")
    box = tree.get_element_by_id("search")
    assert box.get("data-bundle") == f"{root}/search/"  # pagefind.js there wraps the index's
    assert box.get("data-base") == f"{root}/"
    assert "搜索" in json.loads(box.get("data-strings"))["placeholder"]
    # One box on the search page: the header's form is on every other page.
    assert not tree.xpath("//header//form[@role='search']")
    home = lxml.html.fromstring((site / "index.html").read_bytes())
    form = home.xpath("//header//form[@role='search']")[0]
    assert form.get("action") == f"{root}/search/" and form.get("method") == "get"


def test_an_edit_reaches_the_index_of_the_new_release(content_copy, tmp_path):
    builder = Builder(content_copy, tmp_path / "site", jobs=1)
    first = builder.build(now=NOW)
    assert first.index_seconds is not None and first.index_seconds > 0
    path = content_copy / "news" / "legal-aid-2026.md"
    path.write_text(
        path.read_text(encoding="utf-8").replace("律师驻点为职工讨回欠薪", "驻点律师帮职工讨薪"),
        encoding="utf-8",
    )
    second = builder.build(now=NOW)
    assert second.release != first.release
    url = "/news/legal-aid-2026/"
    assert fragments(second.release)[url]["meta"]["title"] == "驻点律师帮职工讨薪"
    # The previous release keeps its own index, so a rollback brings back matching search.
    assert fragments(first.release)[url]["meta"]["title"] == "律师驻点为职工讨回欠薪"


def test_a_failed_index_leaves_the_page_live_and_the_next_build_catches_up(
    content_copy, tmp_path, monkeypatch
):
    builder = Builder(content_copy, tmp_path / "site", jobs=1)
    builder.build(now=NOW)
    path = content_copy / "news" / "legal-aid-2026.md"
    path.write_text(
        path.read_text(encoding="utf-8").replace("律师驻点为职工讨回欠薪", "驻点律师帮职工讨薪"),
        encoding="utf-8",
    )
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", "/bin/false")  # a Pagefind that fails
    broken = builder.build(now=NOW)
    live = builder.releases.link
    assert live.resolve() == broken.release
    assert "驻点律师帮职工讨薪" in (live / "news/legal-aid-2026/index.html").read_text("utf-8")
    assert broken.index_seconds is None
    assert any("搜索索引没有更新" in w for w in broken.warnings)
    # Search still works meanwhile, with the index the release carried from the one before.
    assert fragments(live)["/news/legal-aid-2026/"]["meta"]["title"] == "律师驻点为职工讨回欠薪"

    monkeypatch.delenv("PAGEFIND_BINARY_PATH")
    caught_up = builder.build(now=NOW)  # no content change: only the index is made
    assert caught_up.rendered == 0 and caught_up.release == broken.release
    assert caught_up.index_seconds is not None
    assert fragments(live)["/news/legal-aid-2026/"]["meta"]["title"] == "驻点律师帮职工讨薪"
    assert builder.build(now=NOW).index_seconds is None  # and then nothing more to do


def test_a_quiet_build_prints_one_line_with_both_times(tmp_path):
    done = subprocess.run(
        [sys.executable, str(ROOT / "build.py"), "build", "--quiet", "--jobs", "1",
         "--content", str(DATA / "content"), "--output", str(tmp_path / "site"),
         "--now", NOW.isoformat()],
        capture_output=True, text=True, check=True, timeout=600,
    )  # fmt: skip
    assert done.stderr == ""
    lines = done.stdout.splitlines()
    assert len(lines) == 1
    assert "上线用时" in lines[0] and "搜索索引" in lines[0]
    assert (tmp_path / "site" / "pagefind" / "pagefind.js").is_file()
