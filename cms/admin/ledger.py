"""The station ledger (台账): upload, dry run, apply; export in the same columns."""

from __future__ import annotations

import re
import secrets
from pathlib import Path

from flask import Response, abort, current_app, flash, redirect, request, url_for
from flask_admin import expose

from ..content.ledger import LedgerError, apply_import, export_ledger, plan_import, read_ledger
from .security import SecureView, audit, current_user, require

CRS = [("wgs84", "GPS（WGS-84）"), ("gcj02", "高德/腾讯（GCJ-02）"), ("bd09", "百度（BD-09）")]
_TOKEN = re.compile(r"^[A-Za-z0-9_-]{20,64}\Z")


class LedgerView(SecureView):
    def __init__(self, index, name: str):
        self.store = index
        super().__init__(
            name=name, endpoint="ledger", url="/admin/ledger", menu_icon_type="fa",
            menu_icon_value="fa-table",
        )  # fmt: skip

    def _folder(self) -> Path:
        folder = Path(current_app.instance_path) / "ledger-uploads"
        folder.mkdir(exist_ok=True)
        return folder

    @expose("/")
    def index(self):
        return self.render("admin/ledger.html", plan=None, crs_choices=CRS, token="", crs="wgs84")

    @expose("/check/", methods=("POST",))
    def check(self):
        """Dry run: read the file, keep it for the apply step, and show every row's outcome."""
        require("editor")
        upload = request.files.get("file")
        crs = request.form.get("crs", "wgs84")
        if upload is None or not upload.filename:
            flash("请选择台账文件（.xlsx 或 .csv）", "danger")
            return redirect(url_for(".index"))
        data = upload.read()
        suffix = Path(upload.filename).suffix.lower()
        try:
            plan = plan_import(self.store.content(), read_ledger(data, upload.filename), crs)
        except LedgerError as exc:
            flash(f"无法读取台账：{exc}", "danger")
            return redirect(url_for(".index"))
        token = secrets.token_urlsafe(24)
        (self._folder() / f"{token}{suffix}").write_bytes(data)
        # The audit log names the file as the editor knows it, not by its token.
        (self._folder() / f"{token}.name").write_text(upload.filename, encoding="utf-8")
        return self.render(
            "admin/ledger.html", plan=plan, crs_choices=CRS, token=token, crs=crs,
            filename=upload.filename,
        )  # fmt: skip

    @expose("/apply/", methods=("POST",))
    def apply(self):
        require("editor")
        token, crs = request.form.get("token", ""), request.form.get("crs", "wgs84")
        if not _TOKEN.match(token):
            abort(400)
        files = [p for p in self._folder().glob(f"{token}.*") if p.suffix != ".name"]
        if not files:
            flash("上传的台账已过期，请重新上传并预览。", "warning")
            return redirect(url_for(".index"))
        path = files[0]
        label = path.with_suffix(".name")
        filename = label.read_text(encoding="utf-8") if label.exists() else path.name
        skip_errors = request.form.get("rows") == "good"
        try:
            plan = plan_import(self.store.content(), read_ledger(path.read_bytes(), path.name), crs)
            result = apply_import(
                self.store.content().root, plan, current_user().name, skip_errors=skip_errors
            )
        except LedgerError as exc:
            flash(f"没有导入：{exc}", "danger")
            return redirect(url_for(".index"))
        audit("import-stations", filename, result.summary())
        trouble = result.conflicts or result.skipped
        flash(f"已导入《{filename}》：{result.summary()}", "warning" if trouble else "success")
        for conflict in result.conflicts:
            flash(f"未写入（已被他人修改）：{conflict}", "warning")
        for row in result.skipped:
            flash(f"未导入（请在台账中改正后重新上传）：{row}", "warning")
        return redirect(url_for(".index"))

    @expose("/export/<fmt>")
    def export(self, fmt: str):
        if fmt not in ("xlsx", "csv"):
            abort(404)
        data = export_ledger(self.store.content(), fmt)
        kinds = {
            "csv": "text/csv; charset=utf-8",
            "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        }
        audit("export-stations", fmt)
        return Response(
            data,
            content_type=kinds[fmt],
            headers={"Content-Disposition": f'attachment; filename="stations.{fmt}"'},
        )
