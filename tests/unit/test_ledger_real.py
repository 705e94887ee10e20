"""A 台账 as streets keep it: title rows, own headers, full-width digits, Chinese hours."""

from __future__ import annotations

import io
import subprocess
import sys

import pytest
from openpyxl import Workbook

from cms.content import load
from cms.content.ledger import LedgerError, apply_import, plan_import, read_ledger
from cms.content.spreadsheet import find_header
from tests.conftest import ROOT

HEADER = ["序号", "站点名称", "类型", "所属街道", "详细地址", "经度", "纬度",
          "开放时间", "联系电话", "服务设施", "备注"]  # fmt: skip
ROWS = [
    [1, "龙岗街道南联社区工会驿站", "爱心驿站", "龙岗街道", "深圳市龙岗区龙岗街道南联社区",
     "１１４．２７１２", "２２．７２１３", "周一至周日 9:00-18:00", "０７５５－２８９９１２３４",
     "饮水、热饭、充电", ""],
    [2, "龙岗街道五联社区职工之家", "职工之家", "龙岗", "深圳市龙岗区龙岗街道五联社区",
     114.2801, 22.7302, "周一至周五 8:30-17:30，周末休息（节假日除外）", "0755-28990000",
     "饮水、阅读", "新建"],
    [3, "龙岗街道北京路驿站", "爱心驿站", "龙岗街道", "深圳市龙岗区龙岗街道某路",
     116.4074, 39.9042, "全天", "0755-28991111", "饮水", "坐标待核"],
    [4, "", "爱心驿站", "龙岗街道", "没有名称的一行", 114.27, 22.72, "全天", "", "", ""],
    [5, "龙岗街道看情况驿站", "爱心驿站", "龙岗街道", "深圳市龙岗区龙岗街道某处",
     114.27, 22.72, "看情况", "", "", ""],
]  # fmt: skip


def real_ledger() -> bytes:
    """Return an .xlsx laid out as street offices send it: title, unit and date above the header."""
    book = Workbook()
    sheet = book.active
    sheet.append(["龙岗街道工会服务阵地台账（2026年）"])
    sheet.merge_cells("A1:K1")
    sheet.append(
        ["填报单位：龙岗街道总工会", None, None, None, None, None, None, "填报日期：2026年11月"]
    )
    sheet.append([])
    sheet.append(HEADER)
    for row in ROWS:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_the_header_is_found_below_title_rows_and_known_by_its_usual_names():
    rows = read_ledger(real_ledger(), "龙岗街道台账.xlsx")
    assert [r.line for r in rows] == [5, 6, 7, 8, 9]  # the row numbers Excel shows
    first = rows[0]
    assert first.get("名称") == "龙岗街道南联社区工会驿站"
    assert (first.get("经度"), first.get("纬度")) == ("114.2712", "22.7213")  # full-width
    assert first.get("电话") == "0755-28991234"
    assert first.get("坐标系") == ""  # no such column: the import's default applies


@pytest.mark.parametrize(
    ("table", "top"),
    [
        ([["名称", "类型", "街道", "地址", "经度", "纬度", "开放时间", "电话", "服务设施"]], 0),
        (
            [
                ["某某台账"],
                [],
                [
                    "站名",
                    "类型",
                    "所在街道",
                    "地址",
                    "东经",
                    "北纬",
                    "服务时间",
                    "联系方式",
                    "配套设施",
                ],
            ],
            2,
        ),  # fmt: skip
        (
            [
                ["表"],
                [
                    "名称*",
                    "类型*",
                    "街道（必填）",
                    "地址",
                    "经度",
                    "纬度",
                    "开放 时间",
                    "电话",
                    "服务设施",
                    "坐标系",
                ],
            ],
            1,
        ),  # fmt: skip
    ],
)
def test_header_detection(table, top):
    index, where = find_header(table)
    assert index == top
    assert where["名称"] == 0 and where["服务设施"] == 8


@pytest.mark.parametrize(
    ("table", "message"),
    [
        ([["标题"], ["说明"]], "前 15 行里找不到表头"),
        (
            [["标题"], ["名称", "类型", "街道", "地址"]],
            "第 2 行的表头缺少这些列：经度、纬度、开放时间",
        ),
    ],
)
def test_a_missing_header_says_where_it_looked(table, message):
    with pytest.raises(LedgerError, match=message):
        find_header(table)


def test_plan_reads_chinese_hours_shows_them_back_and_warns_about_far_stations(content_copy):
    plan = plan_import(load(content_copy), read_ledger(real_ledger(), "台账.xlsx"))
    by_line = {r.line: r for r in plan.rows}
    assert by_line[5].action == "create"
    assert by_line[5].hours == "周一至周日 09:00–18:00"
    assert by_line[5].warnings == []
    assert by_line[6].hours == "周一至周五 08:30–17:30；周六至周日 休息"
    assert by_line[6].warnings == [
        "第 6 行 开放时间：“节假日除外”没有写入开放时间（开放时间只按星期记录），请在简介中说明"
    ]
    (far,) = by_line[7].warnings
    assert far.startswith("第 7 行 经纬度：离龙岗街道的其他阵地约 1,9")
    assert far.endswith("公里，不像在龙岗街道，请核对经度、纬度和坐标系")
    assert by_line[7].action == "create"  # a warning, not an error: the editor decides
    assert by_line[8].errors == ["第 8 行 名称：不能为空"]
    assert by_line[9].errors == [
        "第 9 行 开放时间：看不懂“看情况”（例如 周一至周五 8:30-17:30，周末休息）"
    ]
    assert "可以只导入没有错误的行" in plan.summary()


def test_the_editor_may_apply_the_good_rows_and_get_the_bad_ones_listed(content_copy):
    content = load(content_copy)
    plan = plan_import(content, read_ledger(real_ledger(), "台账.xlsx"))
    with pytest.raises(LedgerError, match="台账有 2 行错误，没有写入任何内容"):
        apply_import(content_copy, plan, "alice")
    assert len(load(content_copy).entries["stations"]) == len(content.entries["stations"])
    result = apply_import(content_copy, plan, "alice", skip_errors=True)
    assert len(result.created) == 3
    assert [s.split("：")[0] for s in result.skipped] == [
        "第 8 行 （无名称）",
        "第 9 行 龙岗街道看情况驿站",
    ]
    assert "2 行有错误未导入" in result.summary()
    created = load(content_copy).get("stations", result.created[0])
    assert created.hours == ["mon-sun 09:00-18:00"]
    assert created.phone == "0755-28991234"
    assert (created.location.lat, created.location.lng) == (22.7213, 114.2712)


def test_the_command_shows_hours_and_warnings_and_imports_the_good_rows(content_copy, tmp_path):
    ledger = tmp_path / "龙岗街道台账.xlsx"
    ledger.write_bytes(real_ledger())
    command = [sys.executable, str(ROOT / "build.py"), "import-stations", str(ledger),
               "--content", str(content_copy)]  # fmt: skip
    refused = subprocess.run(command, capture_output=True, text=True, cwd=tmp_path)
    assert refused.returncode == 1 and "没有写入任何内容" in refused.stderr
    assert "  开放时间读作：周一至周五 08:30–17:30；周六至周日 休息" in refused.stdout
    assert "  请核对：第 7 行 经纬度：离龙岗街道的其他阵地约" in refused.stdout
    done = subprocess.run([*command, "--good-rows"], capture_output=True, text=True, cwd=tmp_path)
    assert "已导入：新建 3，更新 0，无变化 0，2 行有错误未导入。" in done.stdout
    assert "未导入（请改正后重新导入）：第 9 行 龙岗街道看情况驿站" in done.stderr
    assert done.returncode == 1  # something was left out: scripts can tell


@pytest.mark.parametrize(
    ("lng", "lat", "expected"),
    [
        ("114.2712°", "22.7213°", (22.7213, 114.2712)),
        ("E114.2712", "N22.7213", (22.7213, 114.2712)),
        ("东经114.2712", "北纬22.7213", (22.7213, 114.2712)),
        ("114.2712 E", "22.7213°N", (22.7213, 114.2712)),
    ],
)
def test_coordinates_are_read_as_ledgers_write_them(content_copy, lng, lat, expected):
    row = [*ROWS[0][:5], lng, lat, *ROWS[0][7:]]
    rows = read_ledger(_sheet([row]), "a.xlsx")
    (plan,) = plan_import(load(content_copy), rows).rows
    assert plan.action == "create", plan.errors
    assert f"lat: {expected[0]}" in plan.text and f"lng: {expected[1]}" in plan.text


def test_swapped_coordinates_say_so(content_copy):
    row = [*ROWS[0][:5], 22.7213, 114.2712, *ROWS[0][7:]]
    (plan,) = plan_import(load(content_copy), read_ledger(_sheet([row]), "a.xlsx")).rows
    assert plan.errors == ["第 2 行 纬度：114.2712 不是有效的纬度（经度和纬度可能填反了）"]


def _sheet(rows: list[list]) -> bytes:
    book = Workbook()
    book.active.append(HEADER)
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
