"""修改网址: a published entry moves to a new name and its old address redirects."""

from __future__ import annotations

import re

from cms.content import load, writer
from cms.content.moved import read_moved
from cms.publish.build import build
from tests.conftest import NOW

from .test_entries import _file


def _rename(browser, kind: str, slug: str, new: str):
    version = load(browser.content).get(kind, slug).version
    return browser.post(f"/admin/{kind}/rename/", {"id": slug, "version": version, "new_slug": new})


def test_a_published_station_moves_and_what_links_to_it_follows(content_copy, as_role):
    editor = as_role("editor")
    editor.content = content_copy
    old_text = _file(content_copy, "stations", "bantian-care-01").read_text("utf-8")
    response = _rename(editor, "stations", "bantian-care-01", "bantian-24h")
    assert response.status_code == 302
    assert "/admin/stations/edit/?id=bantian-24h" in response.headers["Location"]
    assert not _file(content_copy, "stations", "bantian-care-01").exists()
    assert _file(content_copy, "stations", "bantian-24h").read_text("utf-8") == old_text
    assert read_moved(content_copy) == {"stations": {"bantian-care-01": "bantian-24h"}}
    content = load(content_copy)
    assert content.problems == []
    assert content.get("activities", "open-training-2026").station == "bantian-24h"
    assert "../stations/bantian-24h.md" in content.get("news", "rider-care-2026").body
    # both names keep their history
    assert writer.history(content_copy, "stations", "bantian-24h")[0].action == "rename"
    assert writer.history(content_copy, "stations", "bantian-care-01")[0].action == "delete"


def test_renaming_again_points_every_old_name_at_the_newest(content_copy, as_role):
    editor = as_role("editor")
    editor.content = content_copy
    _rename(editor, "news", "plenary-2026", "plenary")
    _rename(editor, "news", "plenary", "plenary-2026-full")
    assert read_moved(content_copy) == {
        "news": {"plenary": "plenary-2026-full", "plenary-2026": "plenary-2026-full"}
    }


def test_the_built_site_answers_the_old_address_with_a_redirect_page(
    content_copy, as_role, tmp_path
):
    editor = as_role("editor")
    editor.content = content_copy
    _rename(editor, "news", "plenary-2026", "plenary-renamed")
    output = tmp_path / "out" / "site"
    build(content_copy, output, now=NOW)
    page = (output / "news" / "plenary-2026" / "index.html").read_text("utf-8")
    assert '<meta http-equiv="refresh" content="0; url=/union/news/plenary-renamed/">' in page
    assert '<link rel="canonical" href="https://example.org/union/news/plenary-renamed/">' in page
    assert (output / "news" / "plenary-renamed" / "index.html").is_file()
    nginx_map = (tmp_path / "out" / "deploy" / "redirects.map").read_text("utf-8")
    assert "/union/news/plenary-2026/ /union/news/plenary-renamed/;" in nginx_map


def test_a_bad_or_taken_name_is_refused_in_chinese_and_nothing_moves(content_copy, as_role):
    editor = as_role("editor")
    editor.content = content_copy
    for new, said in [
        ("Bad Name", "网址名只能用小写英文字母、数字和连字符"),
        ("rider-care-2026", "这个网址名已被使用"),
        ("2026", "不能全是数字"),
    ]:
        response = _rename(editor, "news", "plenary-2026", new)
        assert response.status_code == 302
        page = editor.get(response.headers["Location"]).get_data(as_text=True)
        assert said in page
    assert _file(content_copy, "news", "plenary-2026").exists()
    assert read_moved(content_copy) == {}


def test_a_writer_cannot_rename_a_published_entry(content_copy, as_role):
    writer_ = as_role("writer")
    writer_.content = content_copy
    assert _rename(writer_, "news", "plenary-2026", "plenary-x").status_code == 403
    assert _file(content_copy, "news", "plenary-2026").exists()


def test_a_refused_new_entry_never_gets_an_invented_name(as_role):
    editor = as_role("editor")
    page = editor.post(
        "/admin/news/new/", {"title": "", "category": "notice", "body": "x", "action": "save"}
    ).get_data(as_text=True)
    assert re.search(r'id="slug"[^>]*value=""', page) or 'id="slug"' in page
    assert 'value="entry"' not in page
