"""The station ledger: read .xlsx and .csv, plan, apply, export, and the import-stations command."""

from __future__ import annotations

import csv
import io
import subprocess
import sys

import pytest
from openpyxl import Workbook

from cms.content import load, writer
from cms.content.ledger import (
    COLUMNS,
    LedgerError,
    LedgerRow,
    apply_import,
    export_ledger,
    plan_import,
    read_ledger,
)
from cms.content.slugs import suggest
from cms.geo import coords
from tests.conftest import DATA, ROOT

SAMPLES = DATA / "ledger"
GOOD_LINES = {2, 3, 4, 5}  # rows of stations.xlsx without mistakes (stations-good.csv holds them)


def _xlsx(rows: list[list], header=COLUMNS) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(list(header))
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _csv(rows: list[list], encoding: str = "utf-8") -> bytes:
    out = io.StringIO(newline="")
    csv.writer(out).writerows([list(COLUMNS), *rows])
    return out.getvalue().encode(encoding)


def _row(**changes) -> list:
    values = {
        "名称": "测试驿站",
        "类型": "爱心驿站",
        "街道": "平湖街道",
        "地址": "深圳市龙岗区平湖街道测试路 1 号",
        "经度": 114.12,
        "纬度": 22.68,
        "坐标系": "WGS-84",
        "开放时间": "mon-sun 08:00-20:00",
        "电话": "0755-11112222",
        "服务设施": "饮水、充电",
    }
    values.update(changes)
    return [values[c] for c in COLUMNS]


def _plan_of(content_root, data: bytes, filename: str = "a.xlsx", crs: str = "wgs84"):
    return plan_import(load(content_root), read_ledger(data, filename), crs)


def _sample_plan(content_root, crs: str = "wgs84"):
    return _plan_of(content_root, (SAMPLES / "stations.xlsx").read_bytes(), "stations.xlsx", crs)


def _stations(root) -> dict[str, str]:
    return {p.name: p.read_text(encoding="utf-8") for p in sorted((root / "stations").glob("*.md"))}


# --- reading ---------------------------------------------------------------------------------


def test_xlsx_rows_keep_the_row_numbers_excel_shows(content_copy):
    data = _xlsx([_row(名称="一号"), [None] * len(COLUMNS), _row(名称="三号", 电话=75512345678)])
    rows = read_ledger(data, "台账.XLSX")
    assert [(r.line, r.get("名称")) for r in rows] == [(2, "一号"), (4, "三号")]
    assert rows[0].get("经度") == "114.12"
    assert rows[1].get("电话") == "75512345678"  # a phone typed as a number stays digits


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030"])
def test_csv_is_read_in_utf8_with_or_without_bom_and_in_gb18030(encoding):
    rows = read_ledger(_csv([_row(名称="坂田驿站·二号", 服务设施="饮水；热饭")], encoding), "a.csv")
    assert [r.get("名称") for r in rows] == ["坂田驿站·二号"]
    assert rows[0].get("服务设施") == "饮水；热饭"
    assert rows[0].line == 2


def test_extra_columns_and_column_order_do_not_matter():
    header = ["备注", *reversed(COLUMNS)]
    data = _xlsx([["内部备注", *reversed(_row())]], header=header)
    (row,) = read_ledger(data, "a.xlsx")
    assert row.get("名称") == "测试驿站" and row.get("纬度") == "22.68"


def test_a_missing_header_names_the_missing_columns():
    data = _xlsx([_row()[:4]], header=COLUMNS[:4])
    with pytest.raises(
        LedgerError, match="第 1 行的表头缺少这些列：经度、纬度、开放时间、电话、服务设施"
    ):
        read_ledger(data, "a.xlsx")


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (b"PK\x03\x04 not really a zip", "a.xlsx", "不是有效的 Excel"),
        (b"\xd0\xcf\x11\xe0", "old.xls", "另存为 .xlsx"),
        (b"name,type\n", "a.txt", "只能导入 .xlsx 或 .csv"),
        (b"", "a.csv", "文件是空的"),
    ],
)
def test_unreadable_files_are_refused_with_a_reason(data, name, message):
    with pytest.raises(LedgerError, match=message):
        read_ledger(data, name)


def test_a_huge_ledger_is_refused():
    rows = [_row(名称=f"驿站{i}") for i in range(20_001)]
    with pytest.raises(LedgerError, match="超过 20000 行"):
        read_ledger(_csv(rows), "a.csv")


# --- planning --------------------------------------------------------------------------------


def test_dry_run_reports_each_bad_row_naming_its_column(content_copy):
    before = _stations(content_copy)
    plan = _sample_plan(content_copy)
    by_line = {r.line: r for r in plan.rows}
    assert {r.line for r in plan.rows if r.action == "error"} == {6, 7, 8}
    assert by_line[6].errors == ["第 6 行 纬度：222.1 不是有效的纬度"]
    assert by_line[7].errors[0].startswith("第 7 行 类型：“工人文化站”不是站点类型（可选：职工之家")
    assert by_line[8].errors == ["第 8 行 名称：不能为空"]
    assert plan.has_errors and "错误 3" in plan.summary()
    assert _stations(content_copy) == before  # planning writes nothing


def test_plan_creates_updates_and_leaves_alone(content_copy):
    by_line = {r.line: r for r in _sample_plan(content_copy).rows}
    assert (by_line[2].action, by_line[2].slug) == ("update", "bantian-care-01")
    assert by_line[2].changes == ["地址", "服务设施"]
    assert (by_line[3].action, by_line[3].slug) == ("unchanged", "longcheng-home-01")
    assert (by_line[4].action, by_line[4].slug) == (
        "create",
        "bu-ji-jie-dao-cao-pu-she-qu-ai-xin-yi-zhan",
    )
    assert (by_line[5].action, by_line[5].slug) == ("create", "heng-gang-lv-shi-zhu-dian")
    assert by_line[2].describe() == "第 2 行 坂田全天候驿站：更新 bantian-care-01（地址、服务设施）"
    assert by_line[4].describe().endswith("新建 bu-ji-jie-dao-cao-pu-she-qu-ai-xin-yi-zhan（草稿）")


def test_gcj02_and_bd09_coordinates_are_stored_as_wgs84(content_copy):
    rows = [
        _row(名称="高德点", 经度=114.1234, 纬度=22.6123, 坐标系="高德"),
        _row(名称="百度点", 经度=114.1234, 纬度=22.6123, 坐标系="BD-09"),
        _row(名称="默认点", 经度=114.1234, 纬度=22.6123, 坐标系=""),
        _row(名称="标准点", 经度=114.1234, 纬度=22.6123, 坐标系="wgs84"),
    ]
    plan = _plan_of(content_copy, _xlsx(rows), crs="gcj02")
    apply_import(content_copy, plan, "alice")
    found = {s.name: s.location for s in load(content_copy).entries["stations"].values()}
    gcj = coords.gcj02_to_wgs84(22.6123, 114.1234)
    bd = coords.bd09_to_wgs84(22.6123, 114.1234)
    for name, (lat, lng) in (("高德点", gcj), ("默认点", gcj), ("百度点", bd)):
        assert found[name].lat == pytest.approx(lat, abs=1e-6)
        assert found[name].lng == pytest.approx(lng, abs=1e-6)
    assert (found["标准点"].lat, found["标准点"].lng) == (22.6123, 114.1234)
    assert abs(found["高德点"].lat - 22.6123) > 1e-3  # the offset was really taken off


@pytest.mark.parametrize(
    ("changes", "error"),
    [
        ({"经度": "约114"}, "第 2 行 经度：约114 不是有效的经度"),
        ({"纬度": ""}, "第 2 行 纬度：不能为空"),
        ({"坐标系": "火星2"}, "第 2 行 坐标系：“火星2”不是坐标系"),
        ({"街道": "福田街道"}, "第 2 行 街道：“福田街道”不是街道（可选：平湖街道"),
        (
            {"开放时间": "周一至周五 看情况"},
            "第 2 行 开放时间：看不懂“看情况”",
        ),
        ({"开放时间": ""}, "第 2 行 开放时间：不能为空"),
        ({"服务设施": "饮水、按摩"}, "第 2 行 服务设施：“按摩”不是服务设施"),
        ({"电话": "请致电办公室"}, "第 2 行 电话：请致电办公室 不是有效的电话号码"),
        ({"地址": "路" * 201}, "第 2 行 地址：address is 201 characters long"),
    ],
)
def test_each_column_is_checked(content_copy, changes, error):
    (row,) = _plan_of(content_copy, _xlsx([_row(**changes)])).rows
    assert row.action == "error"
    assert any(e.startswith(error) for e in row.errors), row.errors


def test_lists_accept_every_separator_editors_use(content_copy):
    row = _row(
        开放时间="全天开放；mon-fri 08:00-20:00；sat-sun  10:00-16:00\nsun closed",
        服务设施="饮水,热饭，充电;如厕、wifi；rest",
    )
    plan = _plan_of(content_copy, _xlsx([row]))
    apply_import(content_copy, plan, "alice")
    station = load(content_copy).get("stations", plan.rows[0].slug)
    assert station.hours == [
        "mon-sun 00:00-24:00",
        "mon-fri 08:00-20:00",
        "sat-sun 10:00-16:00",
        "sun closed",
    ]
    assert station.amenities == ["water", "food-heating", "charging", "toilet", "wifi", "rest"]


def test_the_same_station_twice_in_one_file_is_an_error(content_copy):
    plan = _plan_of(content_copy, _xlsx([_row(), _row(街道="平湖")]))
    assert plan.rows[0].action == "create"
    assert plan.rows[1].errors == ["第 3 行 名称：与第 2 行重复（同一街道下的同名站点）"]


def test_new_slugs_are_unique(content_copy):
    (content_copy / "stations" / "ce-shi-yi-zhan.md").write_text("broken", encoding="utf-8")
    plan = _plan_of(content_copy, _xlsx([_row(), _row(街道="布吉街道")]))
    assert [r.slug for r in plan.rows] == ["ce-shi-yi-zhan-2", "ce-shi-yi-zhan-3"]


def test_new_slugs_are_suggested_as_the_admin_suggests_them(content_copy):
    long_name = "区总工会职工服务中心坂田街道环卫工人爱心驿站暨产业工人队伍建设改革示范点" * 2
    names = ["2026", long_name[:70]]
    plan = _plan_of(content_copy, _xlsx([_row(名称=name) for name in names]))
    assert [r.slug for r in plan.rows] == [suggest(name) for name in names]
    assert plan.rows[0].slug == "entry-2026"


# --- applying --------------------------------------------------------------------------------


def test_a_plan_with_errors_is_not_applied(content_copy):
    before = _stations(content_copy)
    with pytest.raises(LedgerError, match="3 行错误"):
        apply_import(content_copy, _sample_plan(content_copy), "alice")
    assert _stations(content_copy) == before


def test_apply_writes_drafts_and_updates_and_a_second_apply_changes_nothing(content_copy):
    good = (SAMPLES / "stations-good.csv").read_bytes()
    plan = _plan_of(content_copy, good, "stations-good.csv")
    result = apply_import(content_copy, plan, "alice")
    assert result.created == [
        "bu-ji-jie-dao-cao-pu-she-qu-ai-xin-yi-zhan",
        "heng-gang-lv-shi-zhu-dian",
    ]
    assert result.updated == ["bantian-care-01"] and result.unchanged == ["longcheng-home-01"]
    content = load(content_copy)
    assert content.problems == []
    new = content.get("stations", "bu-ji-jie-dao-cao-pu-she-qu-ai-xin-yi-zhan")
    assert (new.status, new.street, new.type) == ("draft", "buji", "care-station")
    assert new.hours == ["mon-sat 07:00-21:00", "sun closed"]
    assert new.amenities == ["water", "charging", "toilet"]
    updated = content.get("stations", "bantian-care-01")
    assert updated.address == "深圳市龙岗区坂田街道岗头社区雪岗路 8 号"
    assert (updated.status, updated.verified_at.isoformat()) == ("published", "2026-05-10")
    assert updated.body == "全天候开放的驿站，配有微波炉和充电柜。\n"
    assert writer.history(content_copy, "stations", "bantian-care-01")[0].author == "alice"

    after = _stations(content_copy)
    again = _plan_of(content_copy, good, "stations-good.csv")
    assert {r.action for r in again.rows} == {"unchanged"}
    assert apply_import(content_copy, again, "bob").summary() == "新建 0，更新 0，无变化 4。"
    assert apply_import(content_copy, plan, "bob").created == []  # the same plan, applied twice
    assert _stations(content_copy) == after


def test_a_station_edited_after_the_dry_run_is_not_overwritten(content_copy):
    plan = _sample_plan(content_copy)
    plan.rows = [r for r in plan.rows if r.line in GOOD_LINES]
    path = content_copy / "stations" / "bantian-care-01.md"
    path.write_text(path.read_text(encoding="utf-8").replace("微波炉", "微波炉和冰箱"), "utf-8")
    result = apply_import(content_copy, plan, "alice")
    assert result.updated == [] and len(result.conflicts) == 1
    assert "坂田全天候驿站" in result.conflicts[0] and "重新预览" in result.summary()
    assert "冰箱" in path.read_text(encoding="utf-8")
    assert len(result.created) == 2  # the other rows still went in


# --- exporting -------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_export_then_import_is_all_unchanged(content_copy, fmt):
    plan = _plan_of(content_copy, (SAMPLES / "stations-good.csv").read_bytes(), "a.csv", "gcj02")
    apply_import(content_copy, plan, "alice")  # converted coordinates carry many decimals
    tricky = _row(名称='=HYPERLINK("x")', 电话="+86 755 1234", 开放时间="mon-sun 00:00-24:00")
    apply_import(content_copy, _plan_of(content_copy, _csv([tricky]), "a.csv"), "alice")
    content = load(content_copy)
    data = export_ledger(content, fmt)
    rows = read_ledger(data, f"export.{fmt}")
    assert len(rows) == len(content.entries["stations"]) == 7
    assert {r.get("坐标系") for r in rows} == {"WGS-84"}
    again = plan_import(content, rows, "bd09")  # the file says WGS-84 on every row
    assert [r.action for r in again.rows] == ["unchanged"] * 7, [r.describe() for r in again.rows]


def test_exported_csv_opens_in_excel_as_text_not_formulas(content_copy):
    apply_import(content_copy, _plan_of(content_copy, _csv([_row(名称="=1+1")]), "a.csv"), "alice")
    text = export_ledger(load(content_copy), "csv").decode("utf-8")
    assert text.startswith("\ufeff名称,类型,街道")
    assert "\n'=1+1," in text
    assert "=1+1" in {r.get("名称") for r in read_ledger(text.encode("utf-8"), "a.csv")}


# --- the command -----------------------------------------------------------------------------


def _command(*args: str):
    return subprocess.run(
        [sys.executable, str(ROOT / "build.py"), "import-stations", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
    )


def test_command_prints_row_errors_writes_nothing_and_exits_1(content_copy):
    before = _stations(content_copy)
    run = _command(str(SAMPLES / "stations.xlsx"), "--content", str(content_copy))
    assert run.returncode == 1
    out = run.stdout + run.stderr
    assert "第 6 行 纬度：222.1 不是有效的纬度" in out
    assert "第 7 行 类型：“工人文化站”不是站点类型" in out
    assert "第 8 行 名称：不能为空" in out
    assert "第 2 行 坂田全天候驿站：更新 bantian-care-01（地址、服务设施）" in out
    assert "共 7 行" in out and "没有写入" in out
    assert _stations(content_copy) == before


def test_command_dry_run_then_apply_then_nothing_left_to_do(content_copy):
    good = str(SAMPLES / "stations-good.csv")
    before = _stations(content_copy)
    dry = _command(good, "--dry-run", "--crs", "gcj02", "--content", str(content_copy))
    assert dry.returncode == 0, dry.stdout + dry.stderr
    assert "新建 2" in dry.stdout and "预览" in dry.stdout
    assert _stations(content_copy) == before
    run = _command(good, "--crs", "gcj02", "--content", str(content_copy))
    assert run.returncode == 0, run.stdout + run.stderr
    assert "已导入" in run.stdout and "新建 2，更新 1，无变化 1" in run.stdout
    lawyer = load(content_copy).get("stations", "heng-gang-lv-shi-zhu-dian")
    assert lawyer.location.lat == pytest.approx(
        coords.gcj02_to_wgs84(22.6432, 114.2101)[0], abs=1e-6
    )
    again = _command(good, "--crs", "gcj02", "--content", str(content_copy))
    assert again.returncode == 0 and "新建 0，更新 0，无变化 4" in again.stdout


def test_ledger_row_values_default_to_empty_text():
    assert LedgerRow(2, {"名称": "x"}).get("电话") == ""
