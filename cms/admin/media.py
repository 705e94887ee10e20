"""The media library: upload (several files, drag and drop), search, describe, pick, delete."""

from __future__ import annotations

import datetime as dt
import os
from zoneinfo import ZoneInfo

from flask import abort, current_app, flash, jsonify, redirect, request, url_for
from flask_admin import expose

from ..content.library import describe, remember_upload
from ..content.media import MediaError, MediaInUse, delete_media, list_media, store_upload
from ..content.pasted import FetchPolicy, paste_to_markdown
from .security import SecureView, audit, current_user, require
from .wechat import wechat_html


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

    def _found(self):
        """Return the library's files matching the search words (q) and month (2026-12)."""
        words, month = request.args.get("q", "").split(), request.args.get("month", "").strip()
        files = list_media(self.store.content())
        return [f for f in files if f.matches(words, month)], " ".join(words), month

    @expose("/")
    def index(self):
        files, q, month = self._found()
        return self.render("admin/media.html", files=files, q=q, month=month)

    @expose("/list.json")
    def list_json(self):
        files, _, _ = self._found()
        return jsonify(
            files=[
                {
                    "ref": f.ref,
                    "url": url_for("site.index", path=f.ref),
                    "label": f.label,
                    "alt": f.info.alt,
                    "caption": f.info.caption,
                    "width": f.width,
                    "height": f.height,
                    "used": len(f.users),
                }
                for f in files
            ]
        )

    @expose("/describe/", methods=("GET", "POST"))
    def describe(self):
        """Edit an image's alt text, caption and focal point (clicked on the image)."""
        ref = request.values.get("ref", "")
        found = next((f for f in list_media(self.store.content()) if f.ref == ref), None)
        if found is None:
            abort(404)
        errors: dict[str, str] = {}
        if request.method == "POST":
            form = request.form
            changes = {
                "alt": form.get("alt", "").strip(),
                "caption": form.get("caption", "").strip(),
            }
            for key, label in (("focus_x", "焦点横向位置"), ("focus_y", "焦点纵向位置")):
                try:
                    changes[key] = float(form.get(key, "50")) / 100
                except ValueError:
                    errors[key] = f"{label}：请填 0 到 100 之间的数"
            if not errors:
                try:
                    describe(self.store.content().root / "media", ref, **changes)
                except ValueError as exc:
                    errors["form"] = str(exc)
            if not errors:
                audit("describe-media", ref, found.label)
                flash(f"已保存“{found.label}”的说明", "success")
                return redirect(url_for(".index", q=request.args.get("q", "")), 303)
        return self.render(
            "admin/media_describe.html", file=found, errors=errors, form=request.form
        )

    @expose("/paste/", methods=("POST",))
    def paste(self):
        """Turn HTML pasted into the body into Markdown, putting its images in the library."""
        config = current_app.config
        policy = FetchPolicy(
            enabled=bool(
                config.get("YIZHAN_PASTE_FETCH", os.environ.get("YIZHAN_PASTE_FETCH") == "1")
            ),
            local=bool(config.get("YIZHAN_PASTE_FETCH_LOCAL")),
        )
        media_root = self.store.content().root / "media"
        try:
            result = paste_to_markdown(
                request.form.get("html", ""), media_root, self._now(), policy
            )
        except MediaError as exc:
            return jsonify(markdown="", stored=[], warnings=[str(exc)]), 400
        for ref in result.stored:
            audit("upload", ref, "粘贴")
        return jsonify(markdown=result.markdown, stored=result.stored, warnings=result.warnings)

    @expose("/wechat/", methods=("POST",))
    def wechat(self):
        """Return the body being edited as HTML with inline styles for the 公众号 editor."""
        kind = request.form.get("kind", "")
        kind = kind if kind in ("news", "activities", "stations", "pages") else "news"
        html, broken = wechat_html(self.store.content(), kind, request.form.get("body", ""))
        return jsonify(html=html, broken=broken)

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
            remember_upload(content.root / "media", ref, name)
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
