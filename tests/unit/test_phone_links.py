"""The renderer makes phone numbers in bodies tappable, and leaves other numbers alone."""

from __future__ import annotations

import lxml.html
import pytest

from cms.render.markdown import render_markdown


def tel_links(text: str) -> list[tuple[str, str]]:
    tree = lxml.html.fragment_fromstring(render_markdown(text)[0].html, create_parent="div")
    return [
        (a.text_content(), a.get("href")) for a in tree.xpath("//a[starts-with(@href, 'tel:')]")
    ]


@pytest.mark.parametrize(
    ("text", "links"),
    [
        ("电话：0755-28900000。", [("0755-28900000", "tel:075528900000")]),
        ("请拨打12351咨询", [("12351", "tel:12351")]),
        (
            "热线 12351、12345 和 12333",
            [("12351", "tel:12351"), ("12345", "tel:12345"), ("12333", "tel:12333")],
        ),
        (
            "手机 13800138000，客服 400-123-4567",
            [("13800138000", "tel:13800138000"), ("400-123-4567", "tel:4001234567")],
        ),
        ("| 热线 | 号码 |\n| --- | --- |\n| 职工 | 12351 |", [("12351", "tel:12351")]),
        ("## 热线 12351", [("12351", "tel:12351")]),
    ],
)
def test_phone_numbers_become_tel_links(text, links):
    assert tel_links(text) == links


@pytest.mark.parametrize(
    "text",
    [
        "2025-08-15 开会，2026年8月15日见",
        "共 12351 人，奖金 12345元，12348 个岗位",
        "年份 2026，编号 A12351，版本 12351.5，比例 1.12351，区间 12351-12360",
        "见 https://example.org/0755-28900000/12351 的说明",
        "订单号 075528900000123，0755-289000001234",
        "`0755-28900000` 与\n\n    12351\n",
        "[拨打 12351](tel:12351)",
    ],
)
def test_dates_years_prices_and_addresses_are_not_linked(text):
    found = tel_links(text)
    assert found in ([], [("拨打 12351", "tel:12351")]), found


def test_table_cells_carry_their_column_heading():
    html = render_markdown("| 热线 | 号码 |\n| --- | --- |\n| 职工 | 12351 |")[0].html
    cells = lxml.html.fragment_fromstring(html, create_parent="div").xpath("//td")
    assert [c.get("data-label") for c in cells] == ["热线", "号码"]
