"""The admin home lists the stations due for a check (信息待核实), oldest check first."""

from __future__ import annotations

from lxml import html as lxml_html


def stale_rows(browser) -> list[tuple[str, str, str]]:
    page = lxml_html.fromstring(browser.get("/admin/").get_data(as_text=True))
    return [
        (li.xpath("./a")[0].text_content(), li.xpath("./a")[0].get("href"),
         li.xpath(".//time")[0].get("datetime"))
        for li in page.xpath("//ul[@id='stale-stations']/li")
    ]  # fmt: skip


def test_home_lists_stations_checked_longer_ago_than_the_setting(content_copy, as_role):
    editor = as_role("editor")
    assert stale_rows(editor) == []  # tests/data: every station checked within 12 months
    site_yml = content_copy / "site.yml"
    site_yml.write_text(site_yml.read_text("utf-8") + "stale_after_months: 6\n", "utf-8")
    # Today is 2026-11-25: checks from before 2026-05-25 are due.
    assert stale_rows(editor) == [
        ("龙城职工之家", "/admin/stations/edit/?id=longcheng-home-01", "2026-04-01"),
        ("坂田全天候驿站", "/admin/stations/edit/?id=bantian-care-01", "2026-05-10"),
    ]
