"""Uploads through the upload view, the ledger import and export, and the publish button."""

from __future__ import annotations

import csv
import io
import time
from pathlib import Path

from PIL import Image

from cms.content.ledger import COLUMNS

from ..unit.test_media import GPS_IFD, _gps_jpeg, _png_bomb


def _upload(browser, name: str, data: bytes):
    return browser.post(
        "/admin/media/upload/",
        {"files": (io.BytesIO(data), name)},
        headers={"Accept": "application/json"},
        content_type="multipart/form-data",
    )


def test_upload_strips_gps_and_stores_a_generated_name(content_copy, as_role):
    response = _upload(as_role("writer"), "手机照片 定位.jpg", _gps_jpeg())
    assert response.status_code == 200
    (stored,) = response.json["stored"]
    assert stored["ref"].startswith("media/2026/") and stored["ref"].isascii()
    with Image.open(content_copy / stored["ref"]) as image:
        exif = image.getexif()
        assert GPS_IFD not in exif and not exif.get_ifd(GPS_IFD)


def test_uploads_refuse_html_named_png_svg_and_a_decompression_bomb(content_copy, as_role):
    writer = as_role("writer")
    svg = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
    for name, data in [
        ("photo.png", b"<!doctype html><script>alert(1)</script>"),
        ("logo.svg", svg),
        ("bomb.png", _png_bomb()),
    ]:
        response = _upload(writer, name, data)
        assert response.status_code == 400, name
        assert response.json["stored"] == [] and response.json["refused"][0]["error"], name
    files = [p for p in (content_copy / "media").rglob("*") if p.is_file()]
    assert [p.name for p in files] == ["x.jpg"]


def test_media_in_use_is_not_deleted(content_copy, as_role):
    editor = as_role("editor")
    response = editor.post("/admin/media/delete/", {"ref": "media/2025/x.jpg"})
    assert response.status_code == 302
    assert (content_copy / "media/2025/x.jpg").exists()
    page = editor.get("/admin/media/").get_data(as_text=True)
    assert "不能删除" in page and "区总工会召开全体" in page


def _ledger(rows: list[list]) -> bytes:
    out = io.StringIO(newline="")
    csv.writer(out).writerows([list(COLUMNS), *rows])
    return out.getvalue().encode("utf-8")


GOOD = ["平湖测试驿站", "爱心驿站", "平湖街道", "深圳市龙岗区平湖街道测试路 1 号", 114.12, 22.68,
        "WGS-84", "mon-sun 08:00-20:00", "0755-11112222", "饮水、充电"]  # fmt: skip


def _check(browser, data: bytes):
    return browser.post(
        "/admin/ledger/check/",
        {"file": (io.BytesIO(data), "台账.csv"), "crs": "wgs84"},
        content_type="multipart/form-data",
    )


def test_ledger_dry_run_reports_bad_rows_and_writes_nothing(content_copy, as_role):
    editor = as_role("editor")
    bad = list(GOOD)
    bad[0], bad[5] = "坏数据驿站", 222.1
    before = sorted(p.name for p in (content_copy / "stations").iterdir())
    page = _check(editor, _ledger([GOOD, bad])).get_data(as_text=True)
    assert "第 3 行 坏数据驿站：错误" in page
    assert "确认导入" not in page
    assert sorted(p.name for p in (content_copy / "stations").iterdir()) == before


def test_ledger_apply_then_a_second_apply_changes_nothing(content_copy, as_role):
    import re

    editor = as_role("editor")
    page = _check(editor, _ledger([GOOD])).get_data(as_text=True)
    token = re.search(r'name="token" value="([^"]+)"', page).group(1)
    assert editor.post("/admin/ledger/apply/", {"token": token, "crs": "wgs84"}).status_code == 302
    snapshot = {p.name: p.read_bytes() for p in (content_copy / "stations").iterdir()}
    assert len(snapshot) == 5
    page = _check(editor, _ledger([GOOD])).get_data(as_text=True)
    assert "无变化" in page
    token = re.search(r'name="token" value="([^"]+)"', page).group(1)
    editor.post("/admin/ledger/apply/", {"token": token, "crs": "wgs84"})
    assert {p.name: p.read_bytes() for p in (content_copy / "stations").iterdir()} == snapshot
    export = editor.get("/admin/ledger/export/csv")
    assert "平湖测试驿站" in export.get_data().decode("utf-8-sig")


def test_publish_runs_in_the_background_and_reports_progress(admin_app, as_role, tmp_path: Path):
    editor = as_role("editor")
    started = editor.post("/admin/publish/start/", headers={"Accept": "application/json"})
    assert started.status_code == 202 and started.json["state"] == "running"
    again = editor.post("/admin/publish/start/", headers={"Accept": "application/json"})
    assert again.json["id"] == started.json["id"]  # a second request joins the running build
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        job = editor.get("/admin/publish/status.json").json["job"]
        if job["state"] != "running":
            break
        time.sleep(0.2)
    assert job["state"] == "succeeded", job
    assert job["done"] == job["total"] > 10
    assert (tmp_path / "site" / "news" / "plenary-2026" / "index.html").exists()
    log = as_role("admin").get("/admin/audit/?action=site-publish").get_data(as_text=True)
    assert "editor" in log
