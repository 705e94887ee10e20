"""/numbers/ is frozen, listed in the sitemap, and rebuilt when the figures change."""

from __future__ import annotations

import filecmp

import lxml.html
from lxml import etree

from cms.publish.build import build
from tests.conftest import NOW
from tests.web.test_numbers import expected, tables

SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def test_numbers_page_is_frozen_with_the_counts_of_the_files(demo_site):
    from tests.conftest import DEMO

    tree = lxml.html.fromstring((demo_site / "numbers/index.html").read_bytes())
    counts = expected(DEMO)
    shown = tables(tree)
    plan = shown[f"{NOW.year}年活动完成情况"]
    assert int(plan["已举办活动（场）"]) == counts["held"]
    by_type = {k: int(v) for k, v in shown["各类型服务阵地数量"].items()}
    assert by_type == counts["type"]
    assert tree.xpath("//svg[@role='img']/title") and tree.xpath("//svg[@role='img']/desc")


def test_numbers_page_is_in_the_sitemap(demo_site):
    sitemap = etree.parse(str(demo_site / "sitemap.xml"))
    locations = [loc.text for loc in sitemap.iter(f"{SITEMAP}loc")]
    assert "https://gonghui.example.org/numbers/" in locations


def _held_activity(slug: str) -> str:
    return (
        f"---\ntitle: 新增的已举办活动 {slug}\nstarts_at: 2026-03-02T09:00:00+08:00\n"
        "ends_at: 2026-03-02T11:00:00+08:00\nbrand: care\nstreet: bantian\nvenue: 坂田\n"
        "status: published\n---\n内容。\n"
    )


def test_an_incremental_build_updates_the_figures(content_copy, tmp_path):
    live = tmp_path / "live" / "site"
    build(content_copy, live, now=NOW)
    before = tables(lxml.html.fromstring((live / "numbers/index.html").read_bytes()))
    (content_copy / "activities" / "added-held-2026.md").write_text(
        _held_activity("added-held-2026"), encoding="utf-8"
    )
    build(content_copy, live, now=NOW)
    after = tables(lxml.html.fromstring((live / "numbers/index.html").read_bytes()))
    caption = f"{NOW.year}年活动完成情况"
    assert int(after[caption]["已举办活动（场）"]) == int(before[caption]["已举办活动（场）"]) + 1
    assert int(after[caption]["已举办活动（场）"]) == expected(content_copy)["held"]
    fresh = tmp_path / "fresh" / "site"
    build(content_copy, fresh, now=NOW, full=True)
    assert filecmp.cmp(live / "numbers/index.html", fresh / "numbers/index.html", shallow=False)


def test_figures_follow_the_clock_without_any_file_changing(content_copy, tmp_path):
    live = tmp_path / "live" / "site"
    build(content_copy, live, now=NOW.replace(month=3, day=1))
    early = tables(lxml.html.fromstring((live / "numbers/index.html").read_bytes()))
    build(content_copy, live, now=NOW)
    late = tables(lxml.html.fromstring((live / "numbers/index.html").read_bytes()))
    caption = f"{NOW.year}年活动完成情况"
    assert int(late[caption]["已举办活动（场）"]) > int(early[caption]["已举办活动（场）"])
    assert int(late[caption]["已举办活动（场）"]) == expected(content_copy)["held"]


def test_a_tally_edit_alone_rebuilds_the_figures(content_copy, tmp_path):
    """Editors' reported figures are a content file like any other: an edit goes live."""
    live = tmp_path / "live" / "site"
    build(content_copy, live, now=NOW)
    tally = content_copy / "tally" / f"{NOW.year}.yml"
    tally.parent.mkdir(exist_ok=True)
    tally.write_text(
        f"year: {NOW.year}\ntarget: 1500\nsource: 街道月报\nupdated: {NOW.year}-10-31\n"
        "held:\n  - {month: 3, brand: care, street: bantian, count: 321}\n",
        encoding="utf-8",
    )
    build(content_copy, live, now=NOW)
    shown = tables(lxml.html.fromstring((live / "numbers/index.html").read_bytes()))
    assert shown[f"{NOW.year}年活动完成情况"]["已举办活动（场）"] == "321"
    assert shown[f"{NOW.year}年各月已举办活动场次"] == {"3月": "321"}
    fresh = tmp_path / "fresh" / "site"
    build(content_copy, fresh, now=NOW, full=True)
    assert filecmp.cmp(live / "numbers/index.html", fresh / "numbers/index.html", shallow=False)
