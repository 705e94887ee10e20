"""Body images become <picture>s without loosening the sanitiser."""

from __future__ import annotations

import lxml.html

from cms.public.app import create_app
from tests.conftest import NOW

HOSTILE = (
    '![a "quoted" <b>alt</b> & more](../media/2025/x.jpg \'say "hi" onerror=alert(1)\')\n\n'
    '<img src="/media/2025/x.jpg" alt="a>b" onerror="alert(2)">\n\n'
    "![elsewhere](https://img.example.com/a.jpg)\n"
)


def test_body_images_keep_escaped_alt_and_lose_every_handler(content_copy):
    article = content_copy / "news" / "plenary-2026.md"
    article.write_text(article.read_text(encoding="utf-8") + "\n" + HOSTILE, encoding="utf-8")
    client = create_app(content_copy, now=NOW).test_client()
    html = client.get("/news/plenary-2026/").get_data(as_text=True)
    prose = lxml.html.fromstring(html).xpath("//div[@class='prose']")[0]
    alts = [img.get("alt") for img in prose.xpath(".//picture//img")]
    assert alts == ["会议现场", 'a "quoted" <b>alt</b> & more', "a>b"]
    titled = prose.xpath(".//picture//img[@title]")[0]
    assert titled.get("title") == 'say "hi" onerror=alert(1)'
    for element in prose.iter():
        assert not [name for name in element.attrib if name.startswith("on")], element.attrib
    assert not prose.xpath(".//script")
    (outside,) = prose.xpath(".//img[not(ancestor::picture)]")
    assert outside.get("src") == "https://img.example.com/a.jpg"  # left as the editor wrote it
    for img in prose.xpath(".//picture//img")[1:]:
        assert img.get("loading") == "lazy" and img.get("decoding") == "async"
        assert img.get("src").startswith("/media/r/")
