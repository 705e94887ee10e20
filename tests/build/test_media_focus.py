"""A focal point or caption set in the media library reaches the built site on the next publish."""

from __future__ import annotations

from cms.content.library import describe
from cms.publish.build import Builder, build
from tests.build.test_images import page
from tests.build.test_incremental import tree
from tests.conftest import NOW
from tests.unit.test_media_library import halves, mostly

COVER = "media/2025/x.jpg"


def test_describing_an_image_rebuilds_its_pages_as_a_full_build_would(content_copy, tmp_path):
    (content_copy / COVER).write_bytes(halves(1200, 600))
    builder = Builder(content_copy, tmp_path / "inc" / "site", jobs=1)
    first = builder.build(now=NOW)
    before = page(first.release, "news/stations-network-2025")
    describe(content_copy / "media", COVER, focus_x=0.95, alt="蓝色展板", caption="展板")
    second = builder.build(now=NOW)
    after = page(second.release, "news/stations-network-2025")
    (thumb,) = after.xpath("//div[@class='share-thumbnail']/img/@src")
    assert thumb != before.xpath("//div[@class='share-thumbnail']/img/@src")[0]
    red, _, blue = mostly((second.release / thumb.split("/union/")[-1].lstrip("/")).read_bytes())
    assert blue > 200 and red < 20
    assert after.xpath("//article/picture//img/@alt") == ["蓝色展板"]
    fresh = tmp_path / "full" / "site"
    build(content_copy, fresh, now=NOW, full=True, jobs=1)
    incremental, full = (
        {name: data for name, data in tree(site).items() if not name.startswith("pagefind/")}
        for site in (builder.releases.link, fresh)
    )
    assert sorted(incremental) == sorted(full)
    assert [name for name in full if incremental[name] != full[name]] == []
