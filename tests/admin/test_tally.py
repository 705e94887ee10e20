"""The yearly activity tally in the admin: edit a year's figures, fill months from a spreadsheet."""

from __future__ import annotations

import io
import re
import subprocess
import sys

import lxml.html
import yaml
from openpyxl import Workbook

from cms.content import load
from cms.public.app import create_app
from tests.conftest import NOW, ROOT
from tests.web.test_numbers import tables

from .conftest import token_of


def _rows(*rows: tuple[str, str, str, str]) -> dict:
    months, streets, brands, counts = zip(*rows, strict=True) if rows else ((), (), (), ())
    return {"month": list(months), "street": list(streets), "brand": list(brands),
            "count": list(counts)}  # fmt: skip


def _form(browser, year: int = 2026) -> tuple[str, str]:
    page = browser.get(f"/admin/tally/?year={year}").get_data(as_text=True)
    version = re.search(r'name="version" value="([^"]+)"', page).group(1)
    return page, version


def _numbers(content) -> dict:
    page = create_app(content, now=NOW).test_client().get("/numbers/")
    return tables(lxml.html.fromstring(page.data))


def test_an_editor_records_figures_and_numbers_reports_them(content_copy, as_role):
    editor = as_role("editor")
    _, version = _form(editor)
    data = {"version": version, "target": "1200", "source": "各街道总工会月报",
            "updated": "2026-10-31"}  # fmt: skip
    data |= _rows(("1", "bantian", "care", "30"), ("1", "buji", "contest", "12"),
                  ("2", "bantian", "care", "25"), ("", "", "", ""))  # fmt: skip
    response = editor.post("/admin/tally/save/?year=2026", data)
    assert response.status_code == 302
    saved = yaml.safe_load((content_copy / "tally" / "2026.yml").read_text(encoding="utf-8"))
    assert saved["target"] == 1200 and sum(r["count"] for r in saved["held"]) == 67
    page = editor.get("/admin/tally/?year=2026").get_data(as_text=True)
    assert "已保存 2026 年活动台账：共 67 场" in page
    totals = {
        row.xpath("string(th)"): row.xpath("string(td)")
        for row in lxml.html.fromstring(page).xpath("//table[@id='tally-totals']/tbody/tr")
    }
    assert (
        totals["1 月"] == "42" and totals["2 月"] == "25" and totals["全年"].startswith("67 / 1200")
    )
    # The public page reports the tally, its source and date, and the posted activities apart.
    shown = _numbers(content_copy)
    plan = shown["2026年活动完成情况"]
    assert plan["已举办活动（场）"] == "67" and plan["全年目标（场）"] == "1200"
    assert shown["2026年各街道已举办活动场次"]["坂田街道"] == "55"
    assert shown["2026年各月已举办活动场次"] == {"1月": "42", "2月": "25"}
    html = create_app(content_copy, now=NOW).test_client().get("/numbers/").get_data(as_text=True)
    assert "活动场次来源：各街道总工会月报，数据截至 2026年10月31日" in html
    assert "本站发布的活动" in html
    log = as_role("admin").get("/admin/audit/").get_data(as_text=True)
    assert "保存活动台账" in log


def test_bad_figures_are_refused_with_what_was_typed_kept(content_copy, as_role):
    editor = as_role("editor")
    _, version = _form(editor)
    data = {"version": version, "target": "一千五", "source": "月报", "updated": "2026-13-01"}
    data |= _rows(("3", "pinghu", "training", "8"), ("", "bantian", "", "5"),
                  ("4", "pinghu", "", "七"))  # fmt: skip
    response = editor.post("/admin/tally/save/?year=2026", data)
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    for message in ("全年目标：“一千五”不是整数", "截至日期：“2026-13-01”应写成 2026-11-30",
                    "第 2 行：有场次但没有选月份", "第 3 行的场次：“七”不是整数"):  # fmt: skip
        assert message in page
    assert 'value="一千五"' in page and 'value="七"' in page and 'value="月报"' in page
    assert not (content_copy / "tally" / "2026.yml").exists()


def test_a_save_from_an_older_page_never_overwrites_another_editors(content_copy, as_role):
    first, second = as_role("editor"), as_role("admin")
    _, version = _form(first)
    _, same = _form(second)
    data = {"version": version, "target": "1500", "source": "", "updated": ""}
    assert (
        first.post("/admin/tally/save/?year=2026", data | _rows(("5", "", "", "40"))).status_code
        == 302
    )
    response = second.post("/admin/tally/save/?year=2026", data | _rows(("5", "", "", "99")))
    assert response.status_code == 409
    assert "已被他人保存" in response.get_data(as_text=True)
    assert 'value="99"' in response.get_data(as_text=True)
    assert load(content_copy).tallies[2026].held == 40


def test_writers_read_the_tally_but_cannot_change_it(content_copy, as_role):
    writer = as_role("writer")
    page, version = _form(writer)
    assert "保存并发布" not in page
    data = {"version": version, "target": "1", "source": "", "updated": ""} | _rows(
        ("1", "", "", "1")
    )
    assert writer.post("/admin/tally/save/?year=2026", data).status_code == 403


def _sheet(rows: list[list]) -> bytes:
    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_a_real_spreadsheet_fills_its_months_and_lists_bad_rows(content_copy, as_role):
    editor = as_role("editor")
    _, version = _form(editor)
    base = {"version": version, "target": "1500", "source": "月报", "updated": "2026-10-31"}
    rows = _rows(("1", "bantian", "care", "30"), ("9", "bantian", "care", "7"))
    editor.post("/admin/tally/save/?year=2026", base | rows)
    sheet = _sheet([
        ["龙岗区2026年9月工会活动开展情况统计表"],
        ["填报单位：区总工会", None, None, None],
        ["月份", "街道", "品牌", "场次"],
        ["9月", "坂田", "关爱服务", "１２"],          # full-width digits, street without 街道
        ["2026-09", "布吉街道", "contest", 3.0],     # a key, a number Excel stored as a float
        ["九月", "坂田街道", "关爱服务", "5场"],      # added to the first row: 17 in all
        ["10", "火星街道", "关爱服务", "4"],          # unknown street: listed, not imported
        ["13月", "坂田街道", "关爱服务", "4"],        # no such month
    ])  # fmt: skip
    page = editor.post(
        "/admin/tally/check/?year=2026",
        {"file": (io.BytesIO(sheet), "九月活动台账.xlsx")},
        content_type="multipart/form-data",
    ).get_data(as_text=True)
    assert "读到 2 行，共 20 场，涉及 9 月" in page
    assert "第 7 行：街道“火星街道”不在街道列表中" in page
    assert "第 8 行：月份“13月”" in page
    assert load(content_copy).tallies[2026].held == 37  # nothing written by the preview
    token = re.search(r'name="token" value="([^"]+)"', page).group(1)
    response = editor.post("/admin/tally/apply/?year=2026", {"token": token})
    assert response.status_code == 302
    tally = load(content_copy).tallies[2026]
    assert tally.by("month") == {1: 30, 9: 20}  # September replaced, January kept
    assert tally.source == "月报" and tally.target == 1500
    log = as_role("admin").get("/admin/audit/").get_data(as_text=True)
    assert "导入活动台账" in log and "九月活动台账.xlsx" in log
    # A second apply of the same upload finds it gone.
    again = editor.post("/admin/tally/apply/?year=2026", {"token": token}, follow_redirects=True)
    assert "已过期" in again.get_data(as_text=True)


def test_a_sheet_without_a_header_says_which_columns_it_needs(content_copy, as_role):
    editor = as_role("editor")
    page = editor.post(
        "/admin/tally/check/?year=2026",
        {"file": (io.BytesIO(_sheet([["街道", "数量"], ["坂田", 3]])), "x.xlsx")},
        content_type="multipart/form-data",
        follow_redirects=True,
    ).get_data(as_text=True)
    assert "找不到表头：应有“月份”和“场次”两列" in page
    assert token_of(page)


def test_the_command_line_fills_a_year_from_a_csv(content_copy, tmp_path):
    sheet = tmp_path / "十月台账.csv"
    sheet.write_text(
        "月份,街道,品牌,场次\n10月,坂田街道,关爱服务,9\n10月,布吉,劳动技能竞赛,4\n10月,,,x\n",
        encoding="gb18030",
    )
    run = subprocess.run(
        [sys.executable, "build.py", "import-tally", str(sheet), "--year", "2026",
         "--content", str(content_copy)],
        cwd=ROOT, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert run.returncode == 0, run.stderr
    assert "第 4 行：场次“x”" in run.stdout
    assert "2 行，共 13 场；月份：10月" in run.stdout
    assert load(content_copy).tallies[2026].by("street") == {"bantian": 9, "buji": 4}
