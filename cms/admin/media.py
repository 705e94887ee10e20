"""The media library: upload (several files, drag and drop), pick, delete when unused."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from flask import current_app, flash, jsonify, redirect, request, url_for
from flask_admin import expose

from ..content.media import MediaError, MediaInUse, delete_media, list_media, store_upload
from .security import SecureView, audit, current_user, require


class MediaView(SecureView):
    def __init__(self, index, name: str):
        self.store = index
        super().__init__(
            name=name, endpoint="media", url="/admin/media", menu_icon_type="fa",
            menu_icon_value="fa-picture-o",
        )  # fmt: skip

    def _now(self) -> dt.datetime:
        tz = ZoneInfo(self.store.content().site.timezone)
        return current_app.config.get("YIZHAN_NOW") or dt.datetime.now(tz)

    @expose("/")
    def index(self):
        files = list_media(self.store.content())
        return self.render("admin/media.html", files=files)

    @expose("/list.json")
    def list_json(self):
        files = list_media(self.store.content())
        return jsonify(
            files=[
                {
                    "ref": f.ref,
                    "url": url_for("site.index", path=f.ref),
                    "width": f.width,
                    "height": f.height,
                    "used": len(f.users),
                }
                for f in files
            ]
        )

    @expose("/upload/", methods=("POST",))
    def upload(self):
        content = self.store.content()
        stored, refused = [], []
        for upload in request.files.getlist("files"):
            name = upload.filename or "（无名文件）"
            try:
                ref = store_upload(content.root / "media", name, upload.read(), self._now())
            except MediaError as exc:
                refused.append({"name": name, "error": str(exc)})
                continue
            stored.append({"name": name, "ref": ref, "url": url_for("site.index", path=ref)})
            audit("upload", ref, name)
        if request.accept_mimetypes.best == "application/json":
            return jsonify(stored=stored, refused=refused), (200 if stored or not refused else 400)
        for item in stored:
            flash(f"已上传：{item['name']} → {item['ref']}", "success")
        for item in refused:
            flash(f"未上传 {item['name']}：{item['error']}", "danger")
        return redirect(url_for(".index"), 303)

    @expose("/delete/", methods=("POST",))
    def delete(self):
        require("editor")
        ref = request.form.get("ref", "")
        try:
            delete_media(self.store.content(), ref)
        except MediaInUse as exc:
            flash(str(exc), "danger")
            return redirect(url_for(".index"))
        except MediaError as exc:
            flash(str(exc), "danger")
            return redirect(url_for(".index"))
        audit("delete-media", ref, current_user().name)
        flash(f"已删除 {ref}", "success")
        return redirect(url_for(".index"))
