"""Uploads and the media library, with real image files in temporary folders."""

from __future__ import annotations

import io
import struct
import tracemalloc
import zlib
from pathlib import Path

import pytest
from PIL import Image

from cms.content import load, writer
from cms.content.media import (
    MAX_BYTES,
    MediaError,
    MediaInUse,
    delete_media,
    list_media,
    media_users,
    store_upload,
)
from tests.conftest import NOW

GPS_IFD = 0x8825


def _image(fmt: str, size=(40, 30), mode="RGB", **save) -> bytes:
    out = io.BytesIO()
    Image.new(mode, size, (200, 30, 30) if mode == "RGB" else 0).save(out, fmt, **save)
    return out.getvalue()


def _gps_jpeg() -> bytes:
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"
    exif[0x0112] = 6  # orientation: the camera was turned; the pixels need a 90° turn
    exif[GPS_IFD] = {1: "N", 2: (22.0, 37.0, 45.0), 3: "E", 4: (114.0, 2.0, 58.0)}
    out = io.BytesIO()
    Image.new("RGB", (40, 20), (10, 120, 10)).save(
        out, "JPEG", exif=exif, comment=b"secret comment", xmp=b"<x:xmpmeta>secret</x:xmpmeta>"
    )
    data = out.getvalue()
    assert Image.open(io.BytesIO(data)).getexif().get_ifd(GPS_IFD), "the fixture carries GPS"
    return data


def _chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


def _png_bomb(width: int = 64_000, height: int = 64_000) -> bytes:
    """A tiny, well-formed PNG whose header claims width × height grey pixels."""
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    rows = zlib.compress(b"\0" * (width + 1) * 16, 9)  # the first few rows, all black
    return (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", header)
        + _chunk(b"IDAT", rows)
        + _chunk(b"IEND", b"")
    )


def _stored(media_root: Path, ref: str) -> Path:
    return media_root / ref.removeprefix("media/")


@pytest.mark.parametrize(
    ("fmt", "ext"), [("JPEG", "jpg"), ("PNG", "png"), ("WEBP", "webp"), ("GIF", "png")]
)
def test_each_allowed_format_is_stored_under_a_generated_ascii_name(tmp_path, fmt, ext):
    ref = store_upload(tmp_path, "职工之家 合影（最终版）.jpeg", _image(fmt), NOW)
    assert ref.startswith("media/2026/20261125-") and ref.endswith("." + ext)
    assert ref.isascii() and len(ref.rsplit("-", 1)[1]) == len("1a2b3c4d." + ext)
    with Image.open(_stored(tmp_path, ref)) as image:
        image.load()
        assert image.size == (40, 30)
        assert image.format == {"jpg": "JPEG", "png": "PNG", "webp": "WEBP"}[ext]


def test_gps_exif_and_other_metadata_are_gone_and_orientation_applied(tmp_path):
    ref = store_upload(tmp_path, "photo.jpg", _gps_jpeg(), NOW)
    stored = _stored(tmp_path, ref).read_bytes()
    with Image.open(io.BytesIO(stored)) as image:
        exif = image.getexif()
        assert GPS_IFD not in exif and not exif.get_ifd(GPS_IFD)
        assert 0x010F not in exif and 0x0112 not in exif
        assert "comment" not in image.info and "xmp" not in image.info
        assert image.size == (20, 40)  # turned upright, so the orientation tag is not needed
    assert b"secret" not in stored and b"PhoneMaker" not in stored


def test_same_upload_twice_gives_one_file(tmp_path):
    data = _image("PNG")
    first = store_upload(tmp_path, "a.png", data, NOW)
    second = store_upload(tmp_path, "b.png", data, NOW.replace(year=2027))
    assert first == second
    assert [p.name for p in tmp_path.rglob("*") if p.is_file()] == [first.rsplit("/", 1)[1]]


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("page.png", b"<!doctype html><html><script>alert(1)</script></html>"),
        ("logo.svg", b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'),
        ("logo.png", b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"/>'),
        ("notes.jpg", "这不是图片".encode()),
        ("doc.png", b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n"),
    ],
)
def test_non_images_are_refused_whatever_their_name(tmp_path, name, data):
    with pytest.raises(MediaError, match="文件不是图片"):
        store_upload(tmp_path, name, data, NOW)
    assert not any(tmp_path.rglob("*"))


def test_a_gif_polyglot_is_refused_or_stored_without_its_payload(tmp_path):
    payload = b"<script>alert(document.cookie)</script><html><body>hi</body></html>"
    polyglot = _image("GIF") + payload
    try:
        ref = store_upload(tmp_path, "cat.png", polyglot, NOW)
    except MediaError:
        assert not any(tmp_path.rglob("*"))
        return
    stored = _stored(tmp_path, ref).read_bytes()
    assert b"<script" not in stored and b"<html" not in stored
    assert stored.startswith(b"\x89PNG")


def test_a_broken_image_is_refused(tmp_path):
    truncated = _image("PNG", size=(400, 300))[:200]
    with pytest.raises(MediaError, match="文件已损坏"):
        store_upload(tmp_path, "half.png", truncated, NOW)


def test_a_decompression_bomb_is_refused_without_decoding(tmp_path):
    bomb = _png_bomb()
    assert len(bomb) < 5 * 1024
    tracemalloc.start()
    try:
        with pytest.raises(MediaError, match="像素超过 4000 万"):
            store_upload(tmp_path, "bomb.png", bomb, NOW)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    # Decoding 64,000 × 64,000 pixels would take gigabytes; refusing from the header does not.
    assert peak < 10 * 1024 * 1024
    assert not any(tmp_path.rglob("*"))


def test_an_image_just_over_the_pixel_cap_is_refused(tmp_path):
    with pytest.raises(MediaError, match="像素超过 4000 万"):
        store_upload(tmp_path, "wide.png", _png_bomb(8000, 5001), NOW)


def test_an_oversize_file_is_refused_before_decoding(tmp_path):
    data = _image("PNG") + b"\0" * (MAX_BYTES + 1)
    with pytest.raises(MediaError, match="超过 20 MB"):
        store_upload(tmp_path, "big.png", data, NOW)


def _use_in_body(root: Path, kind: str, slug: str, ref: str) -> None:
    path = root / kind / f"{slug}.md"
    text = path.read_text(encoding="utf-8") + f"\n![图](../{ref})\n"
    entry = load(root).get(kind, slug)
    writer.save(root, kind, slug, text, entry.version, "alice")


def test_library_lists_files_with_sizes_dimensions_and_users(content_copy):
    ref = store_upload(content_copy / "media", "a.png", _image("PNG", size=(64, 48)), NOW)
    _use_in_body(content_copy, "stations", "secret-draft-station", ref)
    files = {f.ref: f for f in list_media(load(content_copy))}
    assert set(files) == {ref, "media/2025/x.jpg"}
    new = files[ref]
    assert (new.width, new.height) == (64, 48)
    assert new.size == new.path.stat().st_size
    assert [u.slug for u in new.users] == ["secret-draft-station"]  # drafts count as users
    old = files["media/2025/x.jpg"]
    assert {u.slug for u in old.users} == {"stations-network-2025", "plenary-2026"}


def test_body_references_in_every_form_count_as_use(content_copy):
    ref = store_upload(content_copy / "media", "a.png", _image("PNG"), NOW)
    page = content_copy / "pages" / "about.md"
    page.write_text(page.read_text(encoding="utf-8") + f'\n<img src="{ref}">\n', encoding="utf-8")
    content = load(content_copy)
    assert [u.slug for u in media_users(content, ref)] == ["about"]
    assert media_users(content, "media/2026/none.png") == []


def test_deleting_a_used_file_is_refused_with_its_users(content_copy):
    content = load(content_copy)
    with pytest.raises(MediaInUse) as caught:
        delete_media(content, "media/2025/x.jpg")
    assert {u.slug for u in caught.value.users} == {"stations-network-2025", "plenary-2026"}
    assert "不能删除" in str(caught.value)
    assert (content_copy / "media" / "2025" / "x.jpg").exists()


def test_an_unused_file_is_deleted(content_copy):
    ref = store_upload(content_copy / "media", "a.png", _image("PNG"), NOW)
    delete_media(load(content_copy), ref)
    assert not (content_copy / ref).exists()
    assert ref not in {f.ref for f in list_media(load(content_copy))}


@pytest.mark.parametrize(
    "ref", ["media/../site.yml", "../site.yml", "/etc/passwd", "media/2025", "site.yml", ""]
)
def test_delete_refuses_references_outside_the_library(content_copy, ref):
    with pytest.raises(MediaError):
        delete_media(load(content_copy), ref)
    assert (content_copy / "site.yml").exists()
