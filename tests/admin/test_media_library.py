"""The media library in the admin: labels, search by name/alt/date, alt, caption, focal point."""

from __future__ import annotations

import io

from lxml import html as lxml_html
from PIL import Image

from cms.content.library import media_info


def _jpeg(colour) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (80, 60), colour).save(out, "JPEG")
    return out.getvalue()


def _upload(browser, name: str, data: bytes) -> str:
    answer = browser.post(
        "/admin/media/upload/",
        {"files": (io.BytesIO(data), name)},
        headers={"Accept": "application/json"},
        content_type="multipart/form-data",
    ).get_json()
    return answer["stored"][0]["ref"]


def _labels(browser, query: str = "") -> list[str]:
    page = browser.get("/admin/media/" + query).get_data(as_text=True)
    return [" ".join(e.text_content().split()) for e in lxml_html.fromstring(page).xpath(
        "//strong[contains(@class, 'media-label')]")]  # fmt: skip


def test_uploads_keep_their_names_and_are_found_by_name_alt_and_month(content_copy, as_role):
    writer = as_role("writer")
    meeting = _upload(writer, "职代会现场.jpg", _jpeg((200, 0, 0)))
    _upload(writer, "骑手驿站.jpg", _jpeg((0, 0, 200)))
    assert meeting.startswith("media/2026/2026")  # the stored name stays generated
    assert {"职代会现场.jpg", "骑手驿站.jpg"} <= set(_labels(writer))
    assert _labels(writer, "?q=职代会") == ["职代会现场.jpg"]
    writer.post(
        "/admin/media/describe/",
        {"ref": meeting, "alt": "代表举手表决", "caption": "", "focus_x": "50", "focus_y": "50"},
    )
    assert _labels(writer, "?q=举手") == ["职代会现场.jpg"]
    month = meeting.split("/")[2][:4] + "-" + meeting.split("/")[2][4:6]
    assert set(_labels(writer, f"?month={month}")) == {"职代会现场.jpg", "骑手驿站.jpg"}
    assert _labels(writer, "?month=2019-01") == []
    listed = writer.get("/admin/media/list.json?q=骑手").get_json()["files"]
    assert [f["label"] for f in listed] == ["骑手驿站.jpg"]


def test_alt_caption_and_focus_are_saved_and_bad_values_named(content_copy, as_role):
    editor = as_role("editor")
    ref = _upload(editor, "会场.jpg", _jpeg((0, 120, 0)))
    page = editor.post(
        "/admin/media/describe/",
        {"ref": ref, "alt": "会场", "caption": "", "focus_x": "很左", "focus_y": "50"},
    ).get_data(as_text=True)
    assert "焦点横向位置：请填 0 到 100 之间的数" in page
    assert media_info(content_copy / "media", ref).alt == ""  # nothing half-saved
    page = editor.post(
        "/admin/media/describe/",
        {"ref": ref, "alt": "字" * 201, "caption": "", "focus_x": "50", "focus_y": "50"},
    ).get_data(as_text=True)
    assert "替代文字：最多 200 个字" in page
    done = editor.post(
        "/admin/media/describe/",
        {"ref": ref, "alt": "会场全景", "caption": "全会现场", "focus_x": "20", "focus_y": "75"},
    )
    assert done.status_code == 303
    info = media_info(content_copy / "media", ref)
    assert (info.label, info.alt, info.caption, info.focus) == (
        "会场.jpg",
        "会场全景",
        "全会现场",
        (0.2, 0.75),
    )
    assert editor.get("/admin/media/describe/?ref=media/nope.jpg").status_code == 404
