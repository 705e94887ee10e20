"""In Chromium: paste a 公众号 article into the body, export it back, set a focal point."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from PIL import Image
from playwright.sync_api import expect

from cms.admin.accounts import OWASP_MINIMUM, Accounts
from cms.admin.wsgi import serve_app
from cms.content.library import media_info, read_library
from cms.public.app import create_app as public_app

from ..conftest import NOW
from ..unit.test_media_library import halves, mostly
from ..unit.test_paste import ImageServer, wechat_html
from .conftest import LiveServer
from .test_admin import PASSWORD, _built_at_root, _login


@pytest.fixture
def images():
    server = ImageServer()
    yield server
    server.stop()


@pytest.fixture
def fetching_site(tmp_path: Path):
    """The admin set to fetch remote images of pasted HTML, allowed to reach 127.0.0.1."""
    content, output = _built_at_root(tmp_path)
    accounts = Accounts(tmp_path / "instance" / "admin.sqlite3", OWASP_MINIMUM)
    accounts.add("editor", "editor", PASSWORD)
    config = {"YIZHAN_NOW": NOW, "YIZHAN_ARGON2": OWASP_MINIMUM, "YIZHAN_PASTE_FETCH": True,
              "YIZHAN_PASTE_FETCH_LOCAL": True}  # fmt: skip
    server = LiveServer(serve_app(content, tmp_path / "instance", output, config))
    server.content = content
    yield server
    server.stop()


def _wide_context(browser):
    context = browser.new_context(locale="zh-CN", viewport={"width": 1400, "height": 1000})
    context.grant_permissions(["clipboard-read", "clipboard-write"])
    return context


@pytest.mark.slow
def test_pasting_a_wechat_article_gives_markdown_and_library_images(browser, fetching_site, images):
    context = _wide_context(browser)
    page = context.new_page()
    _login(page, fetching_site)
    page.goto(fetching_site.url + "/admin/news/new/")
    html = wechat_html(images.base)
    page.evaluate(
        """html => navigator.clipboard.write([new ClipboardItem({
             'text/html': new Blob([html], {type: 'text/html'}),
             'text/plain': new Blob(['纯文本'], {type: 'text/plain'})})])""",
        html,
    )
    body = page.locator("#body")
    body.click()
    page.keyboard.press("Control+V")
    expect(page.locator("#paste-status")).to_contain_text("2 张图片已放入媒体库")
    markdown = body.input_value()
    assert markdown.startswith("## 区总工会开展“夏送清凉”慰问活动")
    assert "走进**坂田街道**，为环卫工人" in markdown
    assert "- 防暑降温用品 800 份" in markdown and "| 坂田" in markdown
    assert images.base not in markdown  # the remote photo now lives in the library
    refs = [
        line.split("](../")[1].rstrip(")")
        for line in markdown.splitlines()
        if "](../media/" in line
    ]
    assert len(refs) == 2 and all((fetching_site.content / r).is_file() for r in refs)
    # A screenshot on the clipboard (no HTML) is uploaded like a dropped image.
    page.evaluate(
        """async () => {
             const canvas = document.createElement('canvas'); canvas.width = 64; canvas.height = 48;
             const g = canvas.getContext('2d'); g.fillStyle = '#2060c0'; g.fillRect(0, 0, 64, 48);
             const blob = await new Promise(done => canvas.toBlob(done, 'image/png'));
             await navigator.clipboard.write([new ClipboardItem({'image/png': blob})]); }"""
    )
    body.press("Control+End")
    page.keyboard.press("Control+V")
    expect(page.locator("#paste-status")).to_have_text("图片已放入媒体库")
    shot = body.input_value().rstrip().splitlines()[-1]
    assert shot.startswith("![](../media/") and shot.endswith(".png)")
    assert (fetching_site.content / shot[len("![](../") : -1]).is_file()
    page.goto(fetching_site.url + "/admin/media/?q=photo-1")
    expect(page.locator(".media-label")).to_have_text(["photo-1.jpg"])

    page.goto(fetching_site.url + "/admin/news/edit/?id=plenary-2026")
    page.get_by_role("button", name="导出为公众号格式").click()
    expect(page.locator("#paste-status")).to_contain_text("已复制为公众号格式")
    copied = page.evaluate(
        """async () => { const items = await navigator.clipboard.read();
             const blob = await items[0].getType('text/html'); return await blob.text(); }"""
    )
    assert "font-size:16px;line-height:1.75" in copied and "/media/2025/x.jpg" in copied
    context.close()


@pytest.mark.slow
def test_a_clicked_focal_point_moves_the_share_thumbnail_crop(browser, fetching_site, tmp_path):
    image = tmp_path / "左红右蓝.jpg"
    image.write_bytes(halves(1200, 600))
    context = _wide_context(browser)
    page = context.new_page()
    _login(page, fetching_site)
    page.goto(fetching_site.url + "/admin/media/")
    page.locator("#media-files").set_input_files(str(image))
    page.get_by_role("button", name="上传", exact=True).click()
    expect(page.locator(".media-label").first).to_have_text("左红右蓝.jpg")
    page.get_by_role("link", name="编辑说明和焦点").first.click()
    picture = page.locator("#focus-image")
    box = picture.bounding_box()
    picture.click(position={"x": box["width"] * 0.92, "y": box["height"] * 0.5})
    expect(page.locator("#focus_x")).to_have_value("92")
    page.get_by_label("替代文字（图片里有什么，给看不见图片的读者）").fill("蓝色展板")
    page.get_by_role("button", name="保存").click()
    expect(page.locator(".alert-success")).to_contain_text("已保存“左红右蓝.jpg”的说明")
    context.close()

    content = fetching_site.content
    ref = next(r for r, i in read_library(content / "media").items() if i.label == "左红右蓝.jpg")
    assert media_info(content / "media", ref).focus == (0.92, 0.5)
    article = content / "news" / "plenary-2026.md"
    text = article.read_text(encoding="utf-8").replace("\n---", f"\ncover: {ref}\n---", 1)
    article.write_text(text, encoding="utf-8")
    client = public_app(content, now=NOW).test_client()
    page_html = client.get("/news/plenary-2026/").get_data(as_text=True)
    thumb = page_html.split('class="share-thumbnail" hidden><img src="')[1].split('"')[0]
    with client.get(thumb) as response:
        data = response.get_data()
    with Image.open(io.BytesIO(data)) as square:
        assert square.size == (300, 300)
    red, _, blue = mostly(data)
    assert blue > 200 and red < 20  # the crop moved to the clicked, blue side
