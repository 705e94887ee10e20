"""The admin preview shows body images as the built site will, renditions included."""

from __future__ import annotations

import lxml.html

from tests.admin.test_entries import FORM


def test_renditions_of_draft_images_show_in_the_preview(as_role):
    writer = as_role("writer")
    body = "预览图片：\n\n![现场](../media/2025/x.jpg)\n"
    response = writer.post("/admin/news/preview/", {**FORM, "slug": "", "body": body})
    assert response.status_code == 200
    tree = lxml.html.fromstring(response.get_data(as_text=True))
    (source,) = tree.xpath("//div[@class='prose']//picture//source")
    (img,) = tree.xpath("//div[@class='prose']//picture//img")
    urls = [source.get("srcset").split()[0], img.get("src")]
    assert all(url.startswith("/admin/site/media/r/") for url in urls), urls
    for url, kind in zip(urls, ("image/webp", "image/jpeg"), strict=True):
        with writer.get(url) as served:
            assert served.status_code == 200 and served.content_type == kind
    with writer.get("/admin/site/media/r/../../site.yml") as escaped:
        assert escaped.status_code == 404
