"""An editor keeps the year's activity tally in Chromium; the public /numbers/ page follows."""

from __future__ import annotations

import io

from openpyxl import Workbook
from playwright.sync_api import expect

from .test_admin import _login, admin_site  # noqa: F401  (a fixture used by name)


def _numbers_row(page, server, caption: str, row: str) -> str:
    page.goto(server.url + "/numbers/")
    table = page.locator("table", has=page.locator("caption", has_text=caption))
    return table.locator("tr", has=page.locator("th", has_text=row)).locator("td").inner_text()


def _wait_until_live(page, server, caption: str, row: str, value: str) -> None:
    """Poll the public page as a reader would after saving (the publish runs in the background)."""
    for _ in range(120):
        if _numbers_row(page, server, caption, row) == value:
            return
        page.wait_for_timeout(500)
    raise AssertionError(f"{caption} / {row} never showed {value}")


def test_editor_records_a_month_and_imports_a_sheet_and_numbers_follow(browser, admin_site):  # noqa: F811
    context = browser.new_context(viewport={"width": 1366, "height": 900}, locale="zh-CN")
    page = context.new_page()
    try:
        _login(page, admin_site)
        page.get_by_role("link", name="活动台账").click()
        expect(page.get_by_role("heading", name="2026 年活动台账")).to_be_visible()
        page.get_by_label("全年目标（场）").fill("800")
        page.get_by_label("数据来源").fill("各街道总工会月报")
        page.get_by_label("数据截至").fill("2026-10-31")
        page.get_by_label("第 1 行的月份").select_option(label="3 月")
        page.get_by_label("第 1 行的街道").select_option(label="坂田街道")
        page.get_by_label("第 1 行的品牌").select_option(label="关爱服务")
        page.get_by_label("第 1 行的场次").fill("25")
        page.get_by_role("button", name="保存并发布").click()
        expect(page.get_by_text("已保存 2026 年活动台账：共 25 场。")).to_be_visible()
        totals = page.locator("#tally-totals")
        expect(totals.locator("tr", has_text="3 月").locator("td")).to_have_text("25")

        reader = context.new_page()
        _wait_until_live(reader, admin_site, "2026年活动完成情况", "已举办活动（场）", "25")
        expect(
            reader.get_by_text("活动场次来源：各街道总工会月报，数据截至 2026年10月31日")
        ).to_be_visible()

        book = Workbook()
        rows = [["2026年10月活动统计"], ["月份", "街道", "品牌", "场次"]]
        rows += [["10月", "布吉", "劳动技能竞赛", "１５"], ["10月", "月球街道", "", "3"]]
        for row in rows:
            book.active.append(row)
        data = io.BytesIO()
        book.save(data)
        page.get_by_label("台账表格").set_input_files(
            files=[
                {
                    "name": "十月.xlsx",
                    "mimeType": "application/octet-stream",
                    "buffer": data.getvalue(),
                }
            ]  # fmt: skip
        )
        page.get_by_role("button", name="预览（不写入）").click()
        preview = page.locator("#tally-preview")
        expect(preview).to_contain_text("读到 1 行，共 15 场，涉及 10 月")
        expect(preview).to_contain_text("第 4 行：街道“月球街道”不在街道列表中")
        page.get_by_role("button", name="导入其余正确的行").click()
        expect(
            page.get_by_text("已从 十月.xlsx 导入 2026 年 10月的场次，跳过有错的 1 行。")
        ).to_be_visible()
        _wait_until_live(reader, admin_site, "2026年活动完成情况", "已举办活动（场）", "40")
        assert _numbers_row(reader, admin_site, "2026年各月已举办活动场次", "10月") == "15"
    finally:
        context.close()
