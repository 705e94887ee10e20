"""/numbers/: this year's figures equal counts made independently from the content files."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import lxml.html
import pytest
import yaml

from cms.content import load
from cms.public.app import create_app
from tests.conftest import DEMO, NOW, SHANGHAI

SVG = "{http://www.w3.org/2000/svg}"


def _live(content, kind: str) -> list:
    return [
        e
        for e in content.entries[kind].values()
        if e.status == "published" and (e.publish_at is None or e.publish_at <= NOW)
    ]


def expected(root: Path) -> dict:
    """Count from the files: the year's tally if there is one, else activities started this
    year and ended by NOW; the posted activities apart; live stations."""
    content = load(root)
    site = content.site
    held = [
        a
        for a in _live(content, "activities")
        if a.starts_at.astimezone(SHANGHAI).year == NOW.year and a.ends_at <= NOW
    ]
    stations = _live(content, "stations")
    tally_file = root / "tally" / f"{NOW.year}.yml"
    tally = yaml.safe_load(tally_file.read_text(encoding="utf-8")) if tally_file.exists() else None

    def table(vocabulary, keys) -> dict[str, int]:
        counts = Counter(keys)
        return {term.label: counts[key] for key, term in vocabulary.items()}

    def reported(vocabulary, field) -> dict[str, int]:
        counts = Counter()
        for row in tally["held"]:
            counts[row[field]] += row["count"]
        return {term.label: counts[key] for key, term in vocabulary.items()}

    posted = {
        "posted_held": len(held),
        "posted_brand": table(site.activity_brands, [a.brand for a in held]),
    }
    if tally is None:
        return {
            "site": site,
            "held": len(held),
            "target": site.yearly_activity_target,
            "brand": table(site.activity_brands, [a.brand for a in held]),
            "activity_street": table(site.streets, [a.street for a in held]),
            "type": table(site.station_types, [s.type for s in stations]),
            "station_street": table(site.streets, [s.street for s in stations]),
            **posted,
        }
    return {
        "site": site,
        "held": sum(row["count"] for row in tally["held"]),
        "target": tally["target"],
        "source": tally["source"],
        "updated": tally["updated"],
        "brand": reported(site.activity_brands, "brand"),
        "activity_street": reported(site.streets, "street"),
        "type": table(site.station_types, [s.type for s in stations]),
        "station_street": table(site.streets, [s.street for s in stations]),
        **posted,
    }


def tables(tree) -> dict[str, dict[str, str]]:
    """Return {caption: {row heading: cell}} for every table of the page."""
    out = {}
    for table in tree.xpath("//table"):
        assert table.xpath("./thead//th[@scope='col']"), "columns need th scope=col"
        rows = table.xpath("./tbody/tr")
        assert all(r.xpath("./th[@scope='row']") for r in rows), "rows need th scope=row"
        out[table.xpath("string(./caption)").strip()] = {
            r.xpath("string(./th)").strip(): r.xpath("string(./td)").strip() for r in rows
        }
    return out


@pytest.fixture(scope="module")
def numbers_page():
    client = create_app(DEMO, now=NOW).test_client()
    response = client.get("/numbers/")
    assert response.status_code == 200
    return lxml.html.fromstring(response.data)


@pytest.fixture(scope="module")
def counts():
    return expected(DEMO)


def test_demo_sets_a_yearly_target_and_has_activities_held_this_year(counts):
    assert counts["target"] == 1500
    assert counts["held"] > 0


def test_table_of_the_year_holds_held_target_and_share(numbers_page, counts):
    year = NOW.year
    plan = tables(numbers_page)[f"{year}年活动完成情况"]
    assert int(plan["已举办活动（场）"]) == counts["held"]
    assert int(plan["全年目标（场）"]) == counts["target"]
    assert plan["完成率"] == f"{round(100 * counts['held'] / counts['target'])}%"


@pytest.mark.parametrize(
    ("key", "caption"),
    [
        ("brand", "{year}年各品牌已举办活动场次"),
        ("activity_street", "{year}年各街道已举办活动场次"),
        ("type", "各类型服务阵地数量"),
        ("station_street", "各街道服务阵地数量"),
    ],
)
def test_tables_equal_counts_from_the_files(numbers_page, counts, key, caption):
    shown = tables(numbers_page)[caption.format(year=NOW.year)]
    assert {label: int(value) for label, value in shown.items()} == counts[key]


def _charts(tree) -> dict[str, lxml.html.HtmlElement]:
    charts = {}
    for svg in tree.xpath("//svg"):
        assert svg.get("role") == "img"
        title_id, desc_id = svg.get("aria-labelledby").split()
        title = svg.xpath(f".//title[@id='{title_id}']")
        desc = svg.xpath(f".//desc[@id='{desc_id}']")
        assert title and title[0].text_content().strip(), "a chart needs a <title>"
        assert desc and desc[0].text_content().strip(), "a chart needs a <desc>"
        charts[title[0].text_content()] = desc[0].text_content()
    return charts


def test_every_chart_is_an_image_with_title_and_description(numbers_page):
    assert len(_charts(numbers_page)) == 7


@pytest.mark.parametrize(
    ("key", "title", "unit"),
    [
        ("brand", "{year}年各品牌已举办活动场次", "场"),
        ("activity_street", "{year}年各街道已举办活动场次", "场"),
        ("type", "各类型服务阵地数量", "个"),
        ("station_street", "各街道服务阵地数量", "个"),
    ],
)
def test_chart_descriptions_state_the_same_numbers(numbers_page, counts, key, title, unit):
    desc = _charts(numbers_page)[title.format(year=NOW.year)]
    for label, value in counts[key].items():
        assert f"{label} {value} {unit}" in desc


def test_progress_chart_states_held_and_target(numbers_page, counts):
    desc = _charts(numbers_page)[f"{NOW.year}年活动完成情况"]
    assert f"已举办活动 {counts['held']} 场" in desc
    assert f"全年目标 {counts['target']} 场" in desc


def test_bars_are_as_long_as_their_numbers(numbers_page, counts):
    svg = numbers_page.xpath("//svg[.//title[contains(., '各类型服务阵地数量')]]")[0]
    widths = [float(r.get("width")) for r in svg.xpath(".//rect[contains(@class, 'bar')]")]
    values = [int(t.text) for t in svg.xpath(".//text[@class='bar-value']")]
    assert values == list(counts["type"].values())
    top = max(values)
    assert [round(w / max(widths) * top, 6) for w in widths] == [float(v) for v in values]


def test_site_navigation_links_to_numbers(numbers_page):
    link = numbers_page.xpath("//nav[contains(@class, 'site-nav')]//a[@href='/numbers/']")
    assert link and link[0].get("aria-current") == "page"


def test_without_a_target_the_page_shows_what_was_held(content_copy):
    site_yml = content_copy / "site.yml"
    text = site_yml.read_text(encoding="utf-8")
    site_yml.write_text(
        "\n".join(
            line for line in text.splitlines() if not line.startswith("yearly_activity_target")
        ),
        encoding="utf-8",
    )
    tree = lxml.html.fromstring(
        create_app(content_copy, now=NOW).test_client().get("/numbers/").data
    )
    plan = tables(tree)[f"{NOW.year}年活动完成情况"]
    assert int(plan["已举办活动（场）"]) == expected(content_copy)["held"]
    assert "完成率" not in plan and "全年目标（场）" not in plan
