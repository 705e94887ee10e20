"""The admin's paste conversion and 导出为公众号格式, through the test client."""

from __future__ import annotations

from lxml import html as lxml_html

from ..unit.test_paste import wechat_html
from .conftest import token_of


def test_pasting_html_returns_markdown_and_puts_embedded_images_in_the_library(
    content_copy, as_role
):
    writer = as_role("writer")
    answer = writer.post(
        "/admin/media/paste/", data={"html": wechat_html("http://127.0.0.1:9")}
    ).get_json()
    assert answer["markdown"].startswith("## 区总工会开展“夏送清凉”慰问活动")
    (ref,) = answer["stored"]
    assert (content_copy / ref).is_file()
    assert answer["warnings"][0].startswith("1 张网络图片没有下载")
    labels = writer.get("/admin/media/").get_data(as_text=True)
    assert "粘贴的图片" in labels


def test_the_wechat_export_has_inline_styles_and_absolute_image_urls(as_role):
    editor = as_role("editor")
    body = (
        "## 标题\n\n正文**加粗**。\n\n![会议现场](../media/2025/x.jpg)\n\n"
        "| a | b |\n|---|---|\n| 1 | 2 |\n"
    )
    answer = editor.post("/admin/media/wechat/", data={"kind": "news", "body": body}).get_json()
    tree = lxml_html.fragment_fromstring(answer["html"])
    assert tree.tag == "section" and "line-height:1.75" in tree.get("style")
    assert "color:#b71c1c" in tree.xpath("//h2")[0].get("style")
    img = tree.xpath("//img")[0]
    assert img.get("src").startswith("https://") and img.get("src").endswith("/media/2025/x.jpg")
    assert "max-width:100%" in img.get("style")
    assert "border:1px solid #ddd" in tree.xpath("//td")[0].get("style")
    assert not tree.xpath("//*[@class]")
    assert answer["broken"] == []


def test_paste_and_export_need_a_login_and_the_csrf_token(content_copy, anonymous, as_role):
    html = {"html": "<p><img src='data:image/png;base64,iVBORw0KGgo='></p>"}
    anonymous.token = token_of(anonymous.get("/admin/login/").get_data(as_text=True))
    assert anonymous.post("/admin/media/paste/", html).status_code in (302, 401, 403)
    assert anonymous.post("/admin/media/wechat/", {"body": "x"}).status_code in (302, 401, 403)
    writer = as_role("writer")
    assert writer.post("/admin/media/paste/", html, csrf=False).status_code == 400
    assert not list((content_copy / "media").glob("2026/*"))  # nothing stored
