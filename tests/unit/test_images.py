"""Image renditions: sizes, formats, the content-hash cache and the share images."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from PIL import Image

from cms.render.images import SHARE_SIDE, WIDTHS, Renditions


def photo(width: int, height: int, seed: int = 0) -> bytes:
    """A JPEG with some detail; the same seed gives the same bytes, another seed other bytes."""
    across = Image.linear_gradient("L").resize((width, height))
    rings = Image.radial_gradient("L").resize((width, height))
    turned = across.rotate(15 + seed * 40)
    out = io.BytesIO()
    Image.merge("RGB", (across, rings, turned)).save(out, "JPEG", quality=90)
    return out.getvalue()


def logo_with_alpha(width: int, height: int) -> bytes:
    image = Image.new("RGBA", (width, height), (0, 0, 0, 0))
    image.paste((183, 28, 28, 255), (width // 4, height // 4, width * 3 // 4, height * 3 // 4))
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def opened(folder: Path, name: str) -> Image.Image:
    image = Image.open(folder / name)
    image.load()
    return image


def cached_files(folder: Path) -> dict[str, int]:
    return {p.name: p.stat().st_mtime_ns for p in folder.iterdir() if not p.name.startswith(".")}


def test_three_widths_in_webp_and_jpeg_that_decode_to_their_sizes(tmp_path):
    renditions = Renditions(tmp_path)
    picture = renditions.picture(photo(1600, 900))
    assert (picture.width, picture.height) == (1600, 900)
    assert [r.width for r in picture.webp] == list(WIDTHS)
    assert [r.width for r in picture.fallback] == list(WIDTHS)
    for rendition in picture.webp + picture.fallback:
        image = opened(tmp_path, rendition.name)
        assert image.format == ("WEBP" if rendition.name.endswith(".webp") else "JPEG")
        assert image.size == (rendition.width, rendition.height)
        assert abs(rendition.height / rendition.width - 900 / 1600) < 0.01
    assert renditions.encoded == 6


@pytest.mark.parametrize(
    ("width", "expected"),
    [(1200, [480, 960, 1200]), (700, [480, 700]), (480, [480]), (64, [64])],
)
def test_renditions_are_never_wider_than_the_source(tmp_path, width, expected):
    picture = Renditions(tmp_path).picture(photo(width, width // 2 or 1))
    assert [r.width for r in picture.fallback] == expected
    assert [r.width for r in picture.webp] == expected
    for rendition in picture.webp + picture.fallback:
        assert opened(tmp_path, rendition.name).width == rendition.width <= width


def test_an_image_with_transparency_keeps_it_in_png_and_webp(tmp_path):
    picture = Renditions(tmp_path).picture(logo_with_alpha(600, 300))
    assert all(r.name.endswith(".png") for r in picture.fallback)
    for rendition in picture.fallback + picture.webp:
        image = opened(tmp_path, rendition.name)
        assert image.mode == "RGBA"
        assert image.getpixel((0, 0))[3] == 0  # the corner is still see-through


def test_a_rebuild_over_the_cache_encodes_nothing(tmp_path):
    sources = [photo(1000, 600, seed) for seed in range(3)]
    first = Renditions(tmp_path)
    names = [first.picture(data).names for data in sources]
    assert first.encoded == 3 * 2 * 3  # three images, two formats, three widths
    before = cached_files(tmp_path)
    again = Renditions(tmp_path)  # as a new build process would
    assert [again.picture(data).names for data in sources] == names
    assert again.encoded == 0
    assert cached_files(tmp_path) == before  # nothing rewritten either


def test_changed_bytes_get_new_names_and_the_old_ones_are_pruned(tmp_path):
    renditions = Renditions(tmp_path)
    old = renditions.picture(photo(1000, 600, seed=1))
    kept = renditions.picture(photo(800, 600, seed=2))
    encoded = renditions.encoded
    new = renditions.picture(photo(1000, 600, seed=3))  # the editor replaced the image
    assert new.digest != old.digest
    assert not set(new.names) & set(old.names)
    assert renditions.encoded - encoded == len(new.names)
    removed = renditions.keep_only(new.names + kept.names)
    assert removed == len(old.names)
    assert sorted(cached_files(tmp_path)) == sorted(new.names + kept.names)


def test_a_lost_or_emptied_cache_file_is_encoded_again(tmp_path):
    renditions = Renditions(tmp_path)
    picture = renditions.picture(photo(1000, 600))
    (tmp_path / picture.webp[1].name).write_bytes(b"")
    (tmp_path / picture.fallback[0].name).unlink()
    again = Renditions(tmp_path)
    again.picture(photo(1000, 600))
    assert again.encoded == 2
    assert opened(tmp_path, picture.webp[1].name).size == (960, 576)


def test_a_turned_photo_is_measured_and_encoded_upright(tmp_path):
    image = Image.new("RGB", (800, 400), (10, 120, 200))
    exif = Image.Exif()
    exif[0x0112] = 6  # taken with the phone held upright: turn 90° clockwise to show
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif.tobytes())
    picture = Renditions(tmp_path).picture(out.getvalue())
    assert (picture.width, picture.height) == (400, 800)
    assert opened(tmp_path, picture.largest.name).size == (400, 800)


def test_what_is_not_an_image_has_no_renditions(tmp_path):
    renditions = Renditions(tmp_path)
    assert renditions.picture(b"%PDF-1.7 not an image") is None
    assert renditions.encoded == 0


def test_share_thumbnail_is_a_square_wechat_accepts(tmp_path):
    renditions = Renditions(tmp_path)
    data = photo(1200, 675)
    picture = renditions.picture(data)
    assert picture.shareable
    thumbnail = renditions.share_thumbnail(data, picture)
    image = opened(tmp_path, thumbnail.name)
    assert image.format == "JPEG" and image.size == (SHARE_SIDE, SHARE_SIDE)
    assert not renditions.picture(photo(400, 200)).shareable


def test_share_thumbnail_of_a_transparent_logo_is_on_white(tmp_path):
    renditions = Renditions(tmp_path)
    data = logo_with_alpha(600, 600)
    thumbnail = renditions.share_thumbnail(data, renditions.picture(data))
    image = opened(tmp_path, thumbnail.name)
    assert image.getpixel((2, 2)) >= (250, 250, 250)  # the see-through corner, not black
    red = image.getpixel((150, 150))
    assert red[0] > 150 and red[1] < 60


def test_default_share_images_are_made_once(tmp_path):
    card, square = Renditions(tmp_path).default_share("#b71c1c")
    assert opened(tmp_path, card.name).size == (1200, 630)
    assert opened(tmp_path, square.name).size == (SHARE_SIDE, SHARE_SIDE)
    assert opened(tmp_path, card.name).getpixel((5, 5)) == (0xB7, 0x1C, 0x1C)
    again = Renditions(tmp_path)
    assert again.default_share("#b71c1c") == (card, square)
    assert again.encoded == 0
    assert again.default_share("#1565c0")[0].name != card.name  # another colour, another file


@pytest.mark.parametrize(
    "name", ["../cache.pickle", "x.webp", "0123456789abcdef0123-960.webp/..", ".hidden-960.jpg"]
)
def test_only_rendition_names_are_served_from_the_cache(tmp_path, name):
    renditions = Renditions(tmp_path)
    (tmp_path / "cache.pickle").write_bytes(b"secret")
    assert renditions.file(name) is None
