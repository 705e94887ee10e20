"""Built pages show images as responsive <picture>s, share well, and carry a share QR code."""

from __future__ import annotations

import io
import os
import re
import shutil
import sys
from pathlib import Path
from urllib.parse import urlsplit

import lxml.html
import pytest
import zxingcpp
from PIL import Image

from cms.public.app import create_app, site_data
from cms.publish.build import Builder, build
from cms.publish.parallel import encode_images
from cms.render.caches import Caches
from cms.render.images import Renditions
from tests.build.test_incremental import tree
from tests.conftest import DEMO, NOW

DEMO_BASE = "https://gonghui.example.org/"
DATA_BASE = "https://example.org/union/"
SRCSET_ENTRY = re.compile(r"^(\S+) (\d+)w$")


def page(site: Path, path: str) -> lxml.html.HtmlElement:
    return lxml.html.fromstring((site / path / "index.html").read_bytes())


def released(site: Path, url: str, prefix: str = "") -> Path:
    """Return the file of the release that a site URL (or an absolute URL) points at."""
    path = urlsplit(url).path
    assert path.startswith(prefix + "/"), url
    return site.resolve() / path[len(prefix) + 1 :]


def srcset(value: str) -> list[tuple[str, int]]:
    entries = []
    for part in value.split(","):
        match = SRCSET_ENTRY.match(part.strip())
        assert match, value
        entries.append((match.group(1), int(match.group(2))))
    return entries


def image_at(site: Path, url: str, prefix: str = "") -> Image.Image:
    image = Image.open(released(site, url, prefix))
    image.load()
    return image


def check_picture(site: Path, picture, prefix: str = "") -> lxml.html.HtmlElement:
    """Assert a <picture> is complete and every rendition it lists is in the release."""
    # libxml2 parses HTML 4 and does not know <source> is empty, so <img> ends up inside it.
    (source,) = picture.xpath(".//source")
    (img,) = picture.xpath(".//img")
    assert source.get("type") == "image/webp"
    assert source.get("sizes") and img.get("sizes") == source.get("sizes")
    width, height = int(img.get("width")), int(img.get("height"))
    assert img.get("decoding") == "async"
    for element, kind in ((source, "WEBP"), (img, None)):
        entries = srcset(element.get("srcset"))
        assert [w for _, w in entries] == sorted(w for _, w in entries)
        assert entries[-1][1] <= width  # never wider than the original
        for url, descriptor in entries:
            image = image_at(site, url, prefix)
            assert image.format == (kind or ("PNG" if url.endswith(".png") else "JPEG"))
            assert image.width == descriptor
            assert abs(image.height - descriptor * height / width) <= 1
    assert released(site, img.get("src"), prefix).is_file()
    return img


def test_article_cover_is_a_responsive_picture_loaded_first(demo_site):
    tree_ = page(demo_site, "news/lg-union-plenary-2021")
    (picture,) = tree_.xpath("//article/picture")
    img = check_picture(demo_site, picture)
    assert img.get("class") == "cover"
    assert (img.get("width"), img.get("height")) == ("1200", "675")
    assert [w for _, w in srcset(img.get("srcset"))] == [480, 960, 1200]
    assert img.get("loading") is None and img.get("fetchpriority") == "high"


def test_news_cards_load_their_covers_lazily(demo_site):
    tree_ = page(demo_site, "news")
    covers = tree_.xpath("//article[contains(@class, 'news-card')]//picture")
    assert len(covers) >= 3
    for picture in covers:
        img = check_picture(demo_site, picture)
        assert img.get("class") == "card-cover" and img.get("loading") == "lazy"
        assert "(min-width: 64rem)" in img.get("sizes")


def test_every_image_of_every_page_has_its_size_and_its_files(demo_site):
    root = demo_site.resolve()
    pages = sorted(root.rglob("*.html"))
    assert len(pages) > 50
    for path in pages:
        tree_ = lxml.html.fromstring(path.read_bytes())
        for img in tree_.xpath("//img"):
            assert img.get("width") and img.get("height"), (path, lxml.html.tostring(img))
            assert (
                img.get("loading") == "lazy"
                or img.get("fetchpriority") == "high"
                or (img.xpath("ancestor::*[@hidden]"))
            ), (path, lxml.html.tostring(img))
        for picture in tree_.xpath("//picture"):
            check_picture(demo_site, picture)


def test_body_image_gets_renditions_under_the_base_path_and_is_never_upscaled(data_site):
    tree_ = page(data_site, "news/plenary-2026")
    (picture,) = tree_.xpath("//div[@class='prose']//picture")
    img = check_picture(data_site, picture, prefix="/union")
    assert img.get("alt") == "会议现场"
    assert (img.get("width"), img.get("height")) == ("64", "36")  # the source is 64 × 36
    assert [w for _, w in srcset(img.get("srcset"))] == [64]
    # No cover on this page, so its first image may be the largest thing on screen.
    assert img.get("fetchpriority") == "high"


def test_open_graph_tags_point_at_a_real_absolute_image(demo_site):
    tree_ = page(demo_site, "news/lg-union-plenary-2021")

    def meta(name: str) -> str:
        (value,) = tree_.xpath(f"//meta[@property='{name}' or @itemprop='{name}']/@content")
        return value

    canonical = DEMO_BASE + "news/lg-union-plenary-2021/"
    assert meta("og:type") == "article"
    assert meta("og:url") == canonical == tree_.xpath("string(//link[@rel='canonical']/@href)")
    assert meta("og:title") == tree_.xpath("string(//h1)")
    assert meta("og:description").startswith("会议明确")
    url = meta("og:image")
    assert url.startswith(DEMO_BASE + "media/r/") and url.endswith(".jpg")
    image = image_at(demo_site, url)
    assert image.size == (int(meta("og:image:width")), int(meta("og:image:height")))
    assert min(image.size) >= 300
    assert meta("image") == url  # itemprop image, read by WeChat


@pytest.mark.parametrize(
    ("site", "path", "base"),
    [
        ("demo_site", "news/lg-union-plenary-2021", DEMO_BASE),  # shares its cover
        ("data_site", "news/plenary-2026", DATA_BASE),  # no cover: the default image
        ("data_site", "activities/open-training-2026", DATA_BASE),
    ],
)
def test_wechat_finds_a_large_share_image_first_in_the_body(request, site, path, base):
    site = request.getfixturevalue(site)
    prefix = urlsplit(base).path.rstrip("/")
    tree_ = page(site, path)
    first = tree_.xpath("//body//img")[0]
    assert first.xpath("ancestor::div[@hidden]")  # shown to WeChat, not to readers
    thumbnail = image_at(site, first.get("src"), prefix)
    assert thumbnail.size == (300, 300) == (int(first.get("width")), int(first.get("height")))
    og = tree_.xpath("string(//meta[@property='og:image']/@content)")
    assert og.startswith(base + "media/r/")
    assert min(image_at(site, og, prefix).size) >= 300
    assert tree_.xpath("string(//meta[@property='og:type']/@content)") == "article"


def test_default_share_image_is_the_site_card(data_site):
    tree_ = page(data_site, "news/plenary-2026")
    og = tree_.xpath("string(//meta[@property='og:image']/@content)")
    assert re.search(r"/media/r/share-[0-9a-f]{20}\.png$", og)
    card = image_at(data_site, og, "/union")
    assert card.size == (1200, 630)
    assert card.getpixel((10, 10))[:3] == (0xB7, 0x1C, 0x1C)


def modules(svg) -> set[tuple[int, int]]:  # an lxml element
    """Read the dark modules (row, column) of a QR code drawn as one SVG path of strokes."""
    (path,) = svg.xpath("*[local-name()='path']")
    assert path.get("transform") == "scale(4)"
    x = y = 0.0
    dark = set()
    for command, dx, dy in re.findall(r"([Mmh])(-?[\d.]+)(?: (-?[\d.]+))?", path.get("d")):
        if command == "M":
            x, y = float(dx), float(dy)
        elif command == "m":
            x, y = x + float(dx), y + float(dy)
        else:
            dark.update((int(y), int(x) + i) for i in range(int(dx)))
            x += float(dx)
    border = min(column for _, column in dark)  # the finder pattern touches the quiet zone
    return {(row - border, column - border) for row, column in dark}


@pytest.mark.parametrize(
    ("site", "path", "base"),
    [
        ("demo_site", "news/lg-union-plenary-2021", DEMO_BASE),
        ("data_site", "news/plenary-2026", DATA_BASE),
        ("data_site", "activities/open-training-2026", DATA_BASE),
    ],
)
def test_share_qr_code_reads_as_the_page_address(request, site, path, base):
    tree_ = page(request.getfixturevalue(site), path)
    (figure,) = tree_.xpath("//figure[@class='share-qr']")
    assert figure.xpath("string(figcaption)").strip() == "微信扫一扫，分享给工友"
    (svg,) = figure.xpath("*[local-name()='svg']")
    assert "二维码" in svg.xpath("string(*[local-name()='title'])")
    # A barcode reader (ZXing's; the code was drawn from Zint's encoder) reads the address.
    assert scanned(modules(svg)) == base + path + "/"


def scanned(drawn: set[tuple[int, int]]) -> str:
    """Return what a barcode reader makes of the drawn modules, printed 4 pixels a module."""
    size, quiet = max(row for row, _ in drawn) + 1, 4
    image = Image.new("L", (size + 2 * quiet,) * 2, 255)
    for row, column in drawn:
        image.putpixel((column + quiet, row + quiet), 0)
    image = image.resize((image.width * 4,) * 2, Image.NEAREST)
    found = zxingcpp.read_barcode(image, formats=zxingcpp.BarcodeFormat.QRCode)
    return found.text if found else ""


def jpeg(width: int, height: int, colour: tuple[int, int, int]) -> bytes:
    image = Image.linear_gradient("L").resize((width, height))
    out = io.BytesIO()
    Image.merge("RGB", (image, Image.new("L", (width, height), colour[1]), image)).save(
        out, "JPEG", quality=90
    )
    return out.getvalue()


def renditions_in(release: Path) -> dict[str, int]:
    return {p.name: p.stat().st_ino for p in (release / "media" / "r").iterdir()}


def test_a_rebuild_encodes_nothing_and_links_the_renditions(content_copy, tmp_path):
    first = Builder(content_copy, tmp_path / "site", jobs=1)
    one = first.build(now=NOW)
    assert first.images.encoded > 0
    cache = first.images.folder
    made = {p.name: p.stat().st_mtime_ns for p in cache.iterdir()}
    page_file = content_copy / "pages" / "about.md"
    page_file.write_text(page_file.read_text(encoding="utf-8") + "\n补充。\n", encoding="utf-8")
    again = Builder(content_copy, tmp_path / "site", jobs=1)  # a new process, the same cache
    two = again.build(now=NOW)
    assert two.rendered > 0  # a real build, not the no-change shortcut
    assert again.images.encoded == 0
    assert {p.name: p.stat().st_mtime_ns for p in cache.iterdir()} == made
    assert renditions_in(two.release) == renditions_in(one.release)  # the same inodes


def test_replacing_an_image_rebuilds_the_pages_showing_it(content_copy, tmp_path):
    builder = Builder(content_copy, tmp_path / "inc" / "site", jobs=1)
    first = builder.build(now=NOW)
    old = set(renditions_in(first.release))
    encoded = builder.images.encoded
    # The same file name, new bytes (a replaced upload): 800 px wide, so two widths.
    (content_copy / "media" / "2025" / "x.jpg").write_bytes(jpeg(800, 450, (0, 90, 0)))
    second = builder.build(now=NOW)
    assert builder.images.encoded - encoded == 2 * 2 + 1  # WebP and JPEG at 480 and 800, a square
    new = set(renditions_in(second.release))
    assert len(new - old) == 5 and len(old - new) == 2  # the 64 px pair is gone
    body = page(second.release, "news/plenary-2026").xpath("//div[@class='prose']//img")[0]
    assert [w for _, w in srcset(body.get("srcset"))] == [480, 800]
    cover = page(second.release, "news/stations-network-2025").xpath("//article/picture//img")[0]
    assert cover.get("width") == "800"
    assert sorted(os.listdir(builder.images.folder)) == sorted(new)  # the cache was pruned
    fresh = tmp_path / "full" / "site"
    build(content_copy, fresh, now=NOW, full=True, jobs=1)
    # The search index is left out: it is rebuilt whole each time and checked by its own tests.
    incremental, full = (
        {name: data for name, data in tree(site).items() if not name.startswith("pagefind/")}
        for site in (builder.releases.link, fresh)
    )
    assert sorted(incremental) == sorted(full)
    assert [name for name in full if incremental[name] != full[name]] == []


def test_new_images_are_encoded_on_every_core(tmp_path):
    renditions = Renditions(tmp_path / "renditions")
    data = site_data(create_app(DEMO, now=NOW, caches=Caches(renditions=renditions)))
    images = data.unencoded_images()
    assert len(images) >= 10
    assert encode_images(data, jobs=2) == len(images)
    assert renditions.encoded == 6 * len(images)  # counted from the workers: three widths, twice
    assert data.unencoded_images() == []
    names = data.rendition_names()  # only the share thumbnails are left to make
    assert renditions.encoded == len(names) == len(list(renditions.folder.iterdir()))


_OPENED: list[str] | None = None  # files opened while a test watches (see _record_opens)


def _record_opens(event: str, args: tuple) -> None:
    if _OPENED is not None and event == "open" and isinstance(args[0], (str, os.PathLike)):
        _OPENED.append(os.fspath(args[0]))


sys.addaudithook(_record_opens)  # audit hooks stay for the process: it records only when asked


@pytest.mark.parametrize("process", ["warm builder", "fresh process"])
def test_an_edit_reads_only_the_media_files_that_changed(tmp_path, process):
    """A site's photos can be gigabytes: a body edit opens none of them, and a replaced photo
    is the only one read again (and shows with its new renditions)."""
    global _OPENED
    content = tmp_path / "content"
    shutil.copytree(DEMO, content)
    media, live = (content / "media").resolve(), tmp_path / "site"
    builder = Builder(content, live, jobs=1)
    builder.build(now=NOW)
    builder.wait()  # the cache is saved for a fresh process

    def publish():
        global _OPENED
        nonlocal builder
        if process == "fresh process":
            builder = Builder(content, live, jobs=1)
        _OPENED = []
        try:
            result = builder.build(now=NOW)
            builder.wait()
        finally:
            read, _OPENED = sorted({p for p in _OPENED if p.startswith(str(media))}), None
        return result, read

    news = content / "news" / "care-stations-network-2023.md"
    with open(news, "a", encoding="utf-8") as handle:
        handle.write("\n补充一段。\n")
    result, read = publish()
    assert result.rendered > 0 and read == []
    before = page(live, "news/care-stations-network-2023").xpath("//article/picture//img")[0]

    photo = media / "2023" / "care-stations.jpg"
    photo.write_bytes(jpeg(800, 450, (0, 90, 0)))
    result, read = publish()
    assert read == [str(photo)]
    after = page(live, "news/care-stations-network-2023").xpath("//article/picture//img")[0]
    assert after.get("width") == "800" and after.get("src") != before.get("src")
    assert image_at(live, after.get("src")).size == (800, 450)
