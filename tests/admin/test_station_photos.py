"""Saving a station in the admin keeps the photos its file lists (the form has no field for
them yet): nothing already saved is lost."""

from __future__ import annotations

from cms.content import load

from .test_entries import _edit_form


def test_saving_a_station_keeps_its_photos(content_copy, as_role):
    path = content_copy / "stations/bantian-care-01.md"
    text = path.read_text("utf-8")
    path.write_text(text.replace("\nstatus:", "\nphotos: [media/2025/x.jpg]\nstatus:", 1), "utf-8")
    editor = as_role("editor")
    form = {**_edit_form(editor, "stations", "bantian-care-01"), "phone": "0755-12345678"}
    response = editor.post("/admin/stations/edit/?id=bantian-care-01", {**form, "action": "save"})
    assert response.status_code == 302, response.get_data(as_text=True)
    station = load(content_copy).entries["stations"]["bantian-care-01"]
    assert station.phone == "0755-12345678"
    assert station.photos == ["media/2025/x.jpg"]
