"""A station's ``photos``: media references checked like covers, the entrance first."""

from __future__ import annotations

import pytest

from cms.content import load

STATION = """---
name: 测试驿站
type: care-station
street: bantian
address: 深圳市龙岗区坂田街道测试路 1 号
location: {lat: 22.63, lng: 114.06}
hours: ["mon-sun 09:00-18:00"]
PHOTOS
status: published
---
"""


def station(photos: str) -> str:
    return STATION.replace("PHOTOS", photos)


def test_photos_are_read_in_order(content_copy):
    (content_copy / "stations/x.md").write_text(
        station("photos: [media/2025/x.jpg, media/2025/y.jpg]"), "utf-8"
    )
    (content_copy / "media/2025/y.jpg").write_bytes(
        (content_copy / "media/2025/x.jpg").read_bytes()
    )
    content = load(content_copy)
    assert content.problems == []
    assert content.entries["stations"]["x"].photos == ["media/2025/x.jpg", "media/2025/y.jpg"]


@pytest.mark.parametrize(
    ("photos", "message"),
    [
        (
            "photos: [media/2025/x.jpg, media/2025/missing.jpg]",
            "content/stations/x.md:8: photos 'media/2025/missing.jpg': no such media file",
        ),
        (
            "photos: [media/2025/x.jpg, ../secret.jpg]",
            "content/stations/x.md:8: photos.1 '../secret.jpg' is not a media file reference "
            "like media/2021/photo.jpg",
        ),
        (
            "photos: [" + ", ".join(["media/2025/x.jpg"] * 13) + "]",
            "content/stations/x.md:8: photos has 13 photos; at most 12",
        ),
    ],
    ids=["missing", "outside-media", "too-many"],
)
def test_bad_photos_are_named_with_line_and_field(content_copy, photos, message):
    (content_copy / "stations/x.md").write_text(station(photos), "utf-8")
    assert [str(p) for p in load(content_copy).problems] == [message]
