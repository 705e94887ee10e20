"""The ledger page with a real 台账: hours read back, warnings, good rows only, the file's name."""

from __future__ import annotations

import io
import re

from lxml import html as lxml_html

from ..unit.test_ledger_real import real_ledger


def _check(browser):
    page = browser.post(
        "/admin/ledger/check/",
        {"file": (io.BytesIO(real_ledger()), "龙岗街道台账（11月）.xlsx"), "crs": "wgs84"},
        content_type="multipart/form-data",
    ).get_data(as_text=True)
    return page, lxml_html.fromstring(page)


def test_the_preview_shows_hours_as_read_and_warnings_and_offers_both_choices(as_role):
    _, tree = _check(as_role("editor"))
    rows = {
        r.xpath("string(td[1])"): [" ".join(td.text_content().split()) for td in r.xpath("td")]
        for r in tree.xpath("//table[@id='ledger-plan']/tbody/tr")
    }
    assert rows["5"][2] == "周一至周日 09:00–18:00"
    assert rows["6"][2] == "周一至周五 08:30–17:30；周六至周日 休息"
    assert "离龙岗街道的其他阵地约" in rows["7"][3]
    assert "看不懂“看情况”" in rows["9"][3]
    buttons = [" ".join(b.text_content().split()) for b in tree.xpath("//form//button | //form//a")]
    assert "只导入没有错误的 3 行" in buttons
    assert "全部不导入，改正后重新上传" in buttons


def test_importing_the_good_rows_lists_the_bad_and_the_log_names_the_file(content_copy, as_role):
    editor = as_role("editor")
    page, _ = _check(editor)
    token = re.search(r'name="token" value="([^"]+)"', page).group(1)
    before = len(list((content_copy / "stations").glob("*.md")))
    done = editor.post(
        "/admin/ledger/apply/", {"token": token, "crs": "wgs84", "rows": "good"},
        follow_redirects=True,
    ).get_data(as_text=True)  # fmt: skip
    assert len(list((content_copy / "stations").glob("*.md"))) == before + 3
    assert "已导入《龙岗街道台账（11月）.xlsx》：新建 3" in done
    assert "未导入（请在台账中改正后重新上传）：第 9 行 龙岗街道看情况驿站" in done
    log = as_role("admin").get("/admin/audit/").get_data(as_text=True)
    assert "龙岗街道台账（11月）.xlsx" in log
    assert token not in log


def test_without_choosing_the_good_rows_nothing_is_written(content_copy, as_role):
    editor = as_role("editor")
    page, _ = _check(editor)
    token = re.search(r'name="token" value="([^"]+)"', page).group(1)
    before = sorted(p.name for p in (content_copy / "stations").glob("*.md"))
    done = editor.post(
        "/admin/ledger/apply/", {"token": token, "crs": "wgs84"}, follow_redirects=True
    ).get_data(as_text=True)
    assert "没有导入：台账有 2 行错误，没有写入任何内容" in done
    assert sorted(p.name for p in (content_copy / "stations").glob("*.md")) == before
