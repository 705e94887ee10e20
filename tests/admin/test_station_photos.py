"""A station's photos in the admin: listed one a line on its form (the entrance first), checked
like a cover, and kept through saves."""

from __future__ import annotations

from cms.admin.problems import told
from cms.content import load
from cms.content.errors import Problem

from .test_entries import _edit_form

EDIT = "/admin/stations/edit/?id=bantian-care-01"


def test_photos_are_added_on_the_form_entrance_first_and_kept(content_copy, as_role):
    editor = as_role("editor")
    media = content_copy / "media/2025"
    (media / "y.jpg").write_bytes((media / "x.jpg").read_bytes())
    form = _edit_form(editor, "stations", "bantian-care-01")
    form["photos"] = "media/2025/y.jpg\n\n media/2025/x.jpg \nmedia/2025/y.jpg\n"
    response = editor.post(EDIT, {**form, "action": "save"})
    assert response.status_code == 302, response.get_data(as_text=True)
    station = load(content_copy).entries["stations"]["bantian-care-01"]
    assert station.photos == ["media/2025/y.jpg", "media/2025/x.jpg"]
    # The form shows them as written, and a save of another field keeps them.
    form = _edit_form(editor, "stations", "bantian-care-01")
    assert form["photos"] == "media/2025/y.jpg\nmedia/2025/x.jpg"
    response = editor.post(EDIT, {**form, "phone": "0755-12345678", "action": "save"})
    assert response.status_code == 302
    station = load(content_copy).entries["stations"]["bantian-care-01"]
    assert station.phone == "0755-12345678"
    assert station.photos == ["media/2025/y.jpg", "media/2025/x.jpg"]


def test_bad_photos_are_refused_at_the_field(content_copy, as_role):
    editor = as_role("editor")
    before = (content_copy / "stations/bantian-care-01.md").read_text("utf-8")
    for photos, message in (
        ("media/2025/x.jpg\n../secret.jpg", "“../secret.jpg”不是媒体库里的图片地址"),
        ("media/2025/missing.jpg", "媒体库里没有 media/2025/missing.jpg"),
        ("\n".join(f"media/2025/{n}.jpg" for n in range(13)), "照片最多 12 张，现在有 13 张"),
    ):
        form = {**_edit_form(editor, "stations", "bantian-care-01"), "photos": photos}
        response = editor.post(EDIT, {**form, "action": "save"})
        assert response.status_code == 200
        assert message in response.get_data(as_text=True)
    assert (content_copy / "stations/bantian-care-01.md").read_text("utf-8") == before


def test_the_content_checks_on_photos_are_told_in_chinese():
    said = [
        told(Problem("content/stations/x.md", 8, "photos", message))
        for message in (
            "photos has 13 photos; at most 12",
            "photos 'media/2025/m.jpg': no such media file",
            "photos.1 '../x.jpg' is not a media file reference like media/2021/photo.jpg",
        )
    ]
    assert said == [
        "照片：有 13 张照片，最多只能 12 张",
        "照片：媒体库里没有 “media/2025/m.jpg”",
        "照片：请从媒体库选择图片（形如 media/2026/xxx.jpg）",
    ]
    report_url = "report_url must be a path such as /admin/report/ or an https:// address"
    assert told(Problem("content/site.yml", 18, "report_url", report_url)) == (
        "纠错提交地址：应是 /admin/report/ 这样的路径，或以 https:// 开头的网址"
    )
