"""The media library: label, alt, caption and focal point, and crops that keep the focus."""

from __future__ import annotations

import datetime as dt
import io
import threading

import pytest
from PIL import Image

from cms.content.library import describe, media_info, read_library, remember_upload, uploaded_on
from cms.render.images import Renditions, focal_box

RED, BLUE = (220, 0, 0), (0, 0, 220)


def halves(width: int = 600, height: int = 300) -> bytes:
    """Return a JPEG whose left half is red and right half blue."""
    image = Image.new("RGB", (width, height), RED)
    image.paste(BLUE, (width // 2, 0, width, height))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=95)
    return out.getvalue()


def mostly(data: bytes) -> tuple[int, int, int]:
    """Return the average colour of an image's pixels."""
    with Image.open(io.BytesIO(data)) as image:
        small = image.convert("RGB").resize((1, 1), Image.Resampling.BOX)
        return small.getpixel((0, 0))


def test_the_label_is_the_uploaded_name_and_is_kept_on_a_second_upload(tmp_path):
    remember_upload(tmp_path, "media/2026/20261207-ab.jpg", "C:\\照片\\生活照.jpg")
    remember_upload(tmp_path, "media/2026/20261207-ab.jpg", "again.jpg")  # same bytes again
    assert media_info(tmp_path, "media/2026/20261207-ab.jpg").label == "C:\\照片\\生活照.jpg"
    assert media_info(tmp_path, "media/2026/other.jpg").label == ""


def test_descriptions_are_saved_and_read_back(tmp_path):
    ref = "media/2026/20261207-ab.jpg"
    remember_upload(tmp_path, ref, "会场.jpg")
    describe(tmp_path, ref, alt="主席台上的代表", caption="12 月 7 日，区总工会全会", focus_x=0.8)
    info = read_library(tmp_path)[ref]
    assert (info.label, info.alt, info.caption, info.focus) == (
        "会场.jpg", "主席台上的代表", "12 月 7 日，区总工会全会", (0.8, 0.5),
    )  # fmt: skip
    assert "主席台上的代表" in (tmp_path / ".library.yml").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"alt": "字" * 201}, "替代文字：最多 200 个字，现在有 201 个"),
        ({"caption": "字" * 501}, "图片说明：最多 500 个字"),
        ({"focus_x": 1.5}, "焦点横向位置：应在 0 到 100% 之间"),
    ],
)
def test_bad_descriptions_are_refused_naming_the_field(tmp_path, changes, message):
    with pytest.raises(ValueError, match=message):
        describe(tmp_path, "media/2026/a.jpg", **changes)
    assert not (tmp_path / ".library.yml").exists()


def test_a_broken_library_file_loses_descriptions_not_the_site(tmp_path):
    (tmp_path / ".library.yml").write_text("media/a.jpg: [unclosed", encoding="utf-8")
    assert read_library(tmp_path) == {}


def test_the_upload_day_comes_from_the_generated_name():
    fallback = dt.date(2000, 1, 1)
    assert uploaded_on("media/2026/20261207-1a2b.jpg", fallback) == dt.date(2026, 12, 7)
    assert uploaded_on("media/2025/x.jpg", fallback) == fallback


@pytest.mark.parametrize(
    ("focus", "box"),
    [
        ((0.5, 0.5), (150, 0, 450, 300)),
        ((0.0, 0.5), (0, 0, 300, 300)),
        ((0.9, 0.5), (300, 0, 600, 300)),  # held inside the image
        ((0.6, 0.1), (210, 0, 510, 300)),
    ],
)
def test_the_crop_box_is_centred_on_the_focus_as_far_as_the_edges_allow(focus, box):
    assert focal_box((600, 300), (300, 300), focus) == box


def test_the_focal_point_changes_the_share_thumbnails_pixels(tmp_path):
    renditions = Renditions(tmp_path)
    data = halves()
    picture = renditions.picture(data)
    middle = renditions.share_thumbnail(data, picture)
    left = renditions.share_thumbnail(data, picture, (0.1, 0.5))
    right = renditions.share_thumbnail(data, picture, (0.95, 0.5))
    assert middle.name == f"{picture.digest}-sq.jpg"  # as before any focus existed
    assert left.name == f"{picture.digest}-sq010050.jpg"
    assert len({middle.name, left.name, right.name}) == 3
    r, _, b = mostly((tmp_path / left.name).read_bytes())
    assert r > 200 and b < 20  # all red
    r, _, b = mostly((tmp_path / right.name).read_bytes())
    assert b > 200 and r < 20  # all blue
    assert renditions.file(left.name) is not None  # served under /media/r/


def test_uploads_at_the_same_time_all_keep_their_labels(tmp_path):
    refs = [f"media/2026/20261207-{i:04x}.jpg" for i in range(24)]
    threads = [
        threading.Thread(target=remember_upload, args=(tmp_path, ref, f"照片{i}.jpg"))
        for i, ref in enumerate(refs)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    library = read_library(tmp_path)
    assert [library[ref].label for ref in refs] == [f"照片{i}.jpg" for i in range(24)]
    assert sorted(p.name for p in tmp_path.iterdir()) == [".library.yml"]  # no lock file left
