"""Public pages use the media library's alt text, caption and focal point."""

from __future__ import annotations

import io

import lxml.html
from PIL import Image

from cms.content.library import describe
from cms.public.app import create_app
from tests.conftest import NOW

from ..unit.test_media_library import halves, mostly

COVER = "media/2025/x.jpg"


def _client(content):
    return create_app(content, now=NOW).test_client()


def test_a_body_image_gets_the_library_alt_and_its_caption_as_a_figure(content_copy):
    describe(content_copy / "media", COVER, alt="驿站门口的指示牌", caption="坂田街道工会驿站")
    article = content_copy / "news" / "plenary-2026.md"
    text = article.read_text(encoding="utf-8")
    article.write_text(text + "\n\n![](../media/2025/x.jpg)\n\n正文继续。\n", encoding="utf-8")
    html = _client(content_copy).get("/news/plenary-2026/").get_data(as_text=True)
    prose = lxml.html.fromstring(html).xpath("//div[@class='prose']")[0]
    figures = prose.xpath(".//figure[figcaption]")
    assert [f.xpath("string(figcaption)") for f in figures] == ["坂田街道工会驿站"] * 2
    alts = [f.xpath(".//picture//img")[0].get("alt") for f in figures]
    assert alts == ["会议现场", "驿站门口的指示牌"]  # the editor's own alt wins
    assert not prose.xpath(".//p[figure]")  # the figure replaced the paragraph


def test_the_focal_point_picks_the_cover_crop_and_the_share_thumbnail(content_copy):
    (content_copy / COVER).write_bytes(halves(1200, 600))
    article = content_copy / "news" / "plenary-2026.md"  # on the home page's cards
    text = article.read_text(encoding="utf-8").replace("\n---", f"\ncover: {COVER}\n---", 1)
    article.write_text(text, encoding="utf-8")
    client = _client(content_copy)

    def thumbnail() -> tuple[int, int, int]:
        html = client.get("/news/stations-network-2025/").get_data(as_text=True)
        src = lxml.html.fromstring(html).xpath("//div[@class='share-thumbnail']/img/@src")[0]
        with client.get(src) as response:
            data = response.get_data()
        with Image.open(io.BytesIO(data)) as image:
            assert image.size == (300, 300)
        return mostly(data)

    r, _, b = thumbnail()
    assert r > 80 and b > 80  # the middle: half red, half blue
    describe(content_copy / "media", COVER, focus_x=0.9, focus_y=0.5)
    client = _client(content_copy)
    r, _, b = thumbnail()
    assert b > 200 and r < 20
    cards = client.get("/").get_data(as_text=True)
    covers = lxml.html.fromstring(cards).xpath("//img[contains(@class, 'card-cover')]/@class")
    assert "card-cover focus-x90 focus-y50" in covers
