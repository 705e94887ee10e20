"""Pasted 公众号 / Word / web HTML becomes clean Markdown; its images go into the media library."""

from __future__ import annotations

import base64
import contextlib
import datetime as dt
import http.server
import io
import threading
import time
from pathlib import Path

import pytest
from PIL import Image

from cms.content.library import media_info
from cms.content.media import MediaError
from cms.content.pasted import FetchPolicy, fetch_image, paste_to_markdown
from cms.render import render_markdown
from tests.conftest import DATA

NOW = dt.datetime(2026, 12, 7, 10, 0)
WECHAT = DATA / "paste" / "wechat.html"


def jpeg(colour=(0, 120, 200), size=(120, 90)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, colour).save(out, "JPEG")
    return out.getvalue()


class ImageServer:
    """A real HTTP server on 127.0.0.1 serving a photo, a page, a huge file and a slow one."""

    def __init__(self):
        photo = jpeg()

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                if self.path == "/slow.jpg":
                    time.sleep(2)
                kind, data = {
                    "/photo-1.jpg": ("image/jpeg", photo),
                    "/slow.jpg": ("image/jpeg", photo),
                    "/page.jpg": ("text/html", b"<html>not an image</html>"),
                    "/huge.jpg": ("image/jpeg", b"\xff" * (21 * 1024 * 1024)),
                }.get(self.path, ("text/plain", b""))
                self.send_response(200 if data else 404)
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                    self.wfile.write(data)

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def stop(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def images():
    server = ImageServer()
    yield server
    server.stop()


def wechat_html(base: str) -> str:
    return WECHAT.read_text(encoding="utf-8").replace("{image_base}", base)


def test_a_wechat_article_becomes_clean_markdown(tmp_path: Path, images):
    pasted = paste_to_markdown(wechat_html(images.base), tmp_path, NOW)
    md = pasted.markdown
    assert md.startswith("## 区总工会开展“夏送清凉”慰问活动\n")
    assert "走进**坂田街道**，为环卫工人" in md
    assert "\n### 一、慰问内容\n\n- 防暑降温用品 800 份\n- 爱心驿站**饮水、热饭**服务\n" in md
    assert "| 坂田  | 300 |" in md
    assert "[往期报道](https://mp.weixin.qq.com/s/abcdEFGH)" in md
    assert "style" not in md and "alert" not in md and "StartFragment" not in md
    html = render_markdown(md)[0].html  # and the site renders it as the article meant
    assert "<h2" in html and "<table>" in html and "<strong>坂田街道</strong>" in html


def test_embedded_images_are_stored_and_remote_ones_left_unless_allowed(tmp_path, images):
    pasted = paste_to_markdown(wechat_html(images.base), tmp_path, NOW)
    (ref,) = pasted.stored  # the data: image only
    assert f"![](../{ref})" in pasted.markdown
    assert (tmp_path / ref.removeprefix("media/")).is_file()
    assert f"![慰问现场]({images.base}/photo-1.jpg)" in pasted.markdown
    assert pasted.warnings == [
        "1 张网络图片没有下载，仍指向原网站（可能无法显示）：请把图片另存后拖进正文，"
        "或请管理员开启“粘贴时下载网络图片”"
    ]


def test_remote_images_are_fetched_into_the_library_when_allowed(tmp_path, images):
    policy = FetchPolicy(enabled=True, local=True)
    pasted = paste_to_markdown(wechat_html(images.base), tmp_path, NOW, policy)
    assert len(pasted.stored) == 2 and pasted.warnings == []
    photo = pasted.stored[0]
    assert f"![慰问现场](../{photo})" in pasted.markdown
    assert media_info(tmp_path, photo).label == "photo-1.jpg"
    assert images.base not in pasted.markdown


@pytest.mark.parametrize(
    ("path", "policy", "message"),
    [
        ("/page.jpg", FetchPolicy(True, True), "对方返回的不是图片（text/html）"),
        ("/huge.jpg", FetchPolicy(True, True), "图片超过 20 MB"),
        ("/slow.jpg", FetchPolicy(True, True, timeout=0.5), "下载超时（0.5 秒）"),
        ("/photo-1.jpg", FetchPolicy(True, False), "不能从内部网络地址 127.0.0.1 下载"),
        ("/missing.jpg", FetchPolicy(True, True), "下载失败"),
    ],
)
def test_fetching_is_limited_by_type_size_time_and_address(images, path, policy, message):
    with pytest.raises(MediaError, match=message):
        fetch_image(images.base + path, policy)


def test_a_refused_image_is_left_out_with_a_warning(tmp_path, images):
    html = f'<p>前</p><p><img src="{images.base}/page.jpg"></p><p>后</p>'
    pasted = paste_to_markdown(html, tmp_path, NOW, FetchPolicy(True, True))
    assert pasted.markdown == "前\n\n后\n"
    assert pasted.warnings == ["有一张图片没有导入（对方返回的不是图片（text/html））"]


def test_word_html_keeps_its_text_and_says_why_its_images_are_missing(tmp_path):
    word = (
        "<html xmlns:o='urn:schemas-microsoft-com:office:office'><head><style>p.MsoNormal{}</style>"
        "</head><body><!--[if gte mso 9]><xml><w:WordDocument></w:WordDocument></xml><![endif]-->"
        "<h1 class=MsoTitle>关于开展职工技能竞赛的通知</h1>"
        "<p class=MsoNormal><b>各基层工会：</b><o:p></o:p></p>"
        "<p class=MsoListParagraph>1. 报名时间<o:p></o:p></p>"
        "<p><img width=300 src='file:///C:/Users/wang/AppData/Local/Temp/clip_image001.png'></p>"
        "</body></html>"
    )
    pasted = paste_to_markdown(word, tmp_path, NOW)
    assert pasted.markdown == "# 关于开展职工技能竞赛的通知\n\n**各基层工会：**\n\n1\\. 报名时间\n"
    assert pasted.warnings == ["Word 文档里的图片无法随文字粘贴：请在 Word 中另存图片后拖进正文"]
    assert pasted.stored == []


def test_large_bold_lines_of_the_wechat_editor_become_headings(tmp_path):
    html = (
        '<section><p style="text-align:center"><strong><span style="font-size: 20px">'
        "一、活动背景</span></strong></p>"
        '<p><span style="font-size:15px">正文<strong>加粗</strong>内容。</span></p>'
        '<p><span style="font-size:17px;font-weight:bold">（一）小标题</span></p>'
        '<p><strong><span style="font-size:18px">' + "很长的加粗文字" * 7 + "</span></strong></p>"
        "<p><strong>没有字号的加粗</strong></p><h3><b>本来就是标题</b></h3></section>"
    )
    assert paste_to_markdown(html, tmp_path, NOW).markdown == (
        "## 一、活动背景\n\n正文**加粗**内容。\n\n### （一）小标题\n\n"
        f"**{'很长的加粗文字' * 7}**\n\n**没有字号的加粗**\n\n### 本来就是标题\n"
    )


def test_a_paste_takes_a_limited_number_of_images_and_says_so_once(tmp_path, monkeypatch):
    monkeypatch.setattr("cms.content.pasted.MAX_IMAGES", 2)
    image = "data:image/png;base64," + base64.b64encode(png()).decode()
    pasted = paste_to_markdown(f'<p><img src="{image}" alt="图"></p>' * 4, tmp_path, NOW)
    assert len(pasted.stored) == 2 and pasted.markdown.count("![图]") == 2
    assert pasted.warnings == ["一次最多导入 2 张图片，其余的请另行上传"]


def png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (8, 8), (10, 20, 30)).save(out, "PNG")
    return out.getvalue()
