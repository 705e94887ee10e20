"""Hostile uploads through the admin: refused with a clear message or stored as clean pixels.

An upload that is not a plain raster image (HTML, SVG, a bomb, an oversized file) is refused
with a message naming the reason; an image carrying a payload (a polyglot) is accepted only as
a fresh encoding of its pixels, so the payload is not stored. The memory bound is checked in a
subprocess whose address space is capped at 256 MB. Times are printed, never asserted.
"""

from __future__ import annotations

import io
import json
import struct
import subprocess
import sys
import textwrap
import zlib
from pathlib import Path

import pytest
from PIL import Image
from werkzeug.test import encode_multipart

from .conftest import changes, snapshot

ROOT = Path(__file__).resolve().parents[2]
PAYLOADS = (b"<script", b"<?php", b"PK\x03\x04", b"<svg", b"<html", b"__pwned")


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png_bomb(width: int = 64_000, height: int = 64_000) -> bytes:
    """A well-formed PNG of a few KB whose header claims width × height pixels."""
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    rows = zlib.compress(b"\0" * (width + 1) * 64, 9)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", header)
        + _chunk(b"IDAT", rows)
        + _chunk(b"IEND", b"")
    )


def jpeg_claiming(width: int, height: int) -> bytes:
    """A small JPEG whose frame header is rewritten to claim width × height pixels."""
    data = bytearray(_image("JPEG"))
    sof = data.index(b"\xff\xc0")
    data[sof + 5 : sof + 9] = struct.pack(">HH", height, width)
    return bytes(data)


def _image(fmt: str, **params) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (32, 24), (200, 30, 30)).save(out, fmt, **params)
    return out.getvalue()


SCRIPT = b"<script>window.__pwned=1;alert(1)</script>"
SVG = b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><script>alert(2)</script></svg>'

REFUSED = {
    # name: (file name, bytes, what the message must say)
    "html named .png": ("photo.png", b"<!doctype html><html>" + SCRIPT, "不是图片"),
    "svg named .png": ("logo.png", SVG, "不是图片"),
    "svg": ("logo.svg", SVG, "不是图片"),
    "html": ("page.html", b"<html>" + SCRIPT, "不是图片"),
    "gif header then script": ("a.gif", b"GIF89a/*\x01\x00\x01\x00*/=1;" + SCRIPT, "图片"),
    "png bomb 64,000 × 64,000": ("bomb.png", png_bomb(), "像素超过"),
    "jpeg claiming 60,000 × 60,000": ("bomb.jpg", jpeg_claiming(60_000, 60_000), "像素超过"),
    "png bomb 50,000 × 1,000": ("wide.png", png_bomb(50_000, 1_000), "像素超过"),
    "oversized (20 MB + 1)": ("big.jpg", b"\xff\xd8\xff" + b"\0" * (20 * 1024 * 1024 - 2), "20 MB"),
    "empty": ("empty.jpg", b"", "空"),
    "bmp (not allowed)": ("old.bmp", _image("BMP"), "只接受"),
    "pdf named .jpg": ("scan.jpg", b"%PDF-1.4\n" + SCRIPT, "不是图片"),
    "truncated png": ("cut.png", _image("PNG")[:60], "图片"),
}
POLYGLOTS = {
    "jpeg + html + php after the image": (
        "a.jpg", _image("JPEG") + SCRIPT + b"<?php system($_GET[1]); ?>",
    ),
    "png + zip appended": ("a.png", _image("PNG") + b"PK\x03\x04" + b"\0" * 26 + SCRIPT),
    "png with html in a text chunk": (
        "a.png",
        _image("PNG")[:33] + _chunk(b"tEXt", b"Comment\0" + SCRIPT) + _image("PNG")[33:],
    ),
    "jpeg with html in a comment": ("a.jpg", _image("JPEG", comment=SCRIPT)),
    "gif with html in a comment": ("a.gif", _image("GIF", comment=SCRIPT)),
}  # fmt: skip


def _upload(browser, name: str, data: bytes, json_reply: bool = True):
    """Post one file as the media page does (the body is encoded here, in memory)."""
    from werkzeug.datastructures import FileStorage

    fields = {"csrf_token": browser.token, "files": FileStorage(io.BytesIO(data), name)}
    boundary, body = encode_multipart(fields)
    headers = {"Accept": "application/json"} if json_reply else {}
    return browser.client.post(
        "/admin/media/upload/",
        data=body,
        headers=headers,
        content_type=f"multipart/form-data; boundary={boundary}",
    )


@pytest.mark.parametrize("case", list(REFUSED))
def test_hostile_uploads_are_refused_with_a_clear_message(case, as_role, tmp_path):
    name, data, message = REFUSED[case]
    writer = as_role("writer")
    before = snapshot(tmp_path)
    response = _upload(writer, name, data)
    assert response.status_code == 400, response.get_data(as_text=True)[:200]
    (refused,) = response.json["refused"]
    assert response.json["stored"] == [] and message in refused["error"], refused
    assert refused["name"] == name
    assert [p for p in changes(before, snapshot(tmp_path)) if "/media" in p] == []


@pytest.mark.parametrize("case", list(POLYGLOTS))
def test_polyglots_are_stored_only_as_fresh_pixels(case, as_role, content_copy):
    name, data = POLYGLOTS[case]
    response = _upload(as_role("writer"), name, data)
    assert response.status_code == 200
    (stored,) = response.json["stored"]
    path = content_copy / stored["ref"]
    saved = path.read_bytes()
    assert not any(payload in saved for payload in PAYLOADS), case
    assert path.name.split("-")[0].isdigit() and path.suffix in (".jpg", ".png", ".webp")
    with Image.open(path) as image:
        image.load()
        assert image.size == (32, 24) and not image.info.get("comment")


def test_the_refusal_page_shows_a_hostile_file_name_as_text(as_role):
    writer = as_role("writer")
    name = "<img src=x onerror=alert(1)>.png"
    response = _upload(writer, name, b"<html>" + SCRIPT, json_reply=False)
    assert response.status_code == 303
    page = writer.get("/admin/media/").get_data(as_text=True)
    assert "未上传" in page and "&lt;img src=x onerror=alert(1)&gt;" in page
    assert "<img src=x" not in page


MEMORY_PROBE = textwrap.dedent(
    """
    import json, resource, sys, time
    limit = 256 * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    import datetime as dt
    from pathlib import Path
    from cms.content.media import MediaError, store_upload
    from tests.security.test_uploads import REFUSED
    now = dt.datetime(2026, 11, 25, 12, 0)
    out = {}
    for case, (name, data, _) in REFUSED.items():
        started = time.perf_counter()
        try:
            store_upload(Path(sys.argv[1]), name, data, now)
            result = "stored"
        except MediaError as exc:
            result = str(exc)
        out[case] = [result, round(time.perf_counter() - started, 3)]
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(json.dumps({"results": out, "peak_rss_kb": peak}, ensure_ascii=False))
    """
)


def test_refusals_fit_in_256_mb_of_address_space(tmp_path):
    """Every hostile file is refused by a process that cannot map more than 256 MB."""
    media = tmp_path / "media"
    media.mkdir()
    done = subprocess.run(
        [sys.executable, "-c", MEMORY_PROBE, str(media)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    report = json.loads(done.stdout)
    for case, (result, seconds) in report["results"].items():
        print(f"{case}: {result} in {seconds:.3f} s")
        assert result != "stored" and REFUSED[case][2] in result, case
    print(f"peak RSS {report['peak_rss_kb'] / 1024:.0f} MB under RLIMIT_AS = 256 MB")
    assert list(media.rglob("*")) == []
