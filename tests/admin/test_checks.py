"""Checks before review in the admin: words marked in the preview, warnings on the form."""

from __future__ import annotations

import lxml.html

from tests.admin.test_entries import FORM


def test_the_preview_marks_the_words_and_lists_the_warnings(content_copy, as_role):
    (content_copy / "words.yml").write_text(
        "words:\n  - {word: 最好, note: 广告法禁用的绝对化用语}\n", encoding="utf-8"
    )
    writer = as_role("writer")
    body = "这是最好的驿站。\n\n![](../media/2025/x.jpg)\n"
    page = writer.post("/admin/news/preview/", {**FORM, "slug": "", "body": body})
    tree = lxml.html.fromstring(page.get_data(as_text=True))
    marks = tree.xpath("//div[@class='prose']//mark[@class='flagged-word']")
    assert [m.text for m in marks] == ["最好"]
    assert marks[0].get("title") == "敏感词或禁用词：广告法禁用的绝对化用语"
    checks = [li.text_content() for li in tree.xpath("//li[@class='preview-check']")]
    assert checks[0] == "正文：含有敏感词或禁用词“最好” 1 处（广告法禁用的绝对化用语）"
    assert checks[1].startswith("正文：图片 x.jpg 没有替代文字")


def test_the_editor_approving_sees_the_warnings_on_the_form(content_copy, as_role):
    (content_copy / "words.yml").write_text("words: [全体]\n", encoding="utf-8")
    page = as_role("editor").get("/admin/news/edit/?id=plenary-2026").get_data(as_text=True)
    box = lxml.html.fromstring(page).xpath("//div[@id='entry-checks']")[0]
    assert "发布前检查" in box.text_content()
    assert "标题：含有敏感词或禁用词“全体” 1 处" in [li.text_content() for li in box.xpath(".//li")]
