"""The yearly activity tally (年度活动台账): edit a year's held activities, or fill it from a sheet.

What editors record here is what /numbers/ reports against the year's target. Saving publishes
at once, like approving an entry; a save made from a page older than the file is refused, so two
editors never overwrite each other's figures.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import secrets
from pathlib import Path

from flask import abort, current_app, flash, redirect, request, url_for
from flask_admin import expose

from ..content.spreadsheet import LedgerError
from ..content.tally import Tally, merge, parse, path_of, read_sheet, save
from .publish import admin_now, publisher
from .security import SecureView, audit, current_user, require

_TOKEN = re.compile(r"^[A-Za-z0-9_-]{20,64}\Z")
BLANK_ROWS = 6  # empty rows at the end of the table, to add figures without a script


class TallyView(SecureView):
    def __init__(self, folder, name: str):
        self.folder = folder
        super().__init__(
            name=name, endpoint="tally", url="/admin/tally", menu_icon_type="fa",
            menu_icon_value="fa-bar-chart",
        )  # fmt: skip

    # -- reading -------------------------------------------------------------------------------

    def _year(self) -> int:
        site = self.folder.content().site
        now = admin_now(_zone(site.timezone))
        try:
            year = int(request.values.get("year", now.year))
        except ValueError:
            abort(404)
        if not 2000 <= year <= 2100:
            abort(404)
        return year

    def _tally(self, year: int) -> Tally:
        content = self.folder.content()
        site = content.site
        return content.tallies.get(year) or Tally(year, site.yearly_activity_target)

    def _version(self, year: int) -> str:
        path = path_of(self.folder.root, year)
        return hashlib.sha256(path.read_bytes()).hexdigest()[:16] if path.exists() else "new"

    def _page(self, year: int, tally: Tally, errors: list[str] | None = None, **extra):
        """The year's page; ``typed`` (a refused save's form) replaces the saved figures."""
        extra.setdefault("typed", _as_typed(tally))
        content = self.folder.content()
        years = sorted({*content.tallies, year, admin_now(_zone(content.site.timezone)).year})
        months = tally.by("month")
        return self.render(
            "admin/tally.html",
            tally=tally,
            year=year,
            years=years,
            version=self._version(year),
            site=content.site,
            month_totals=[(m, months.get(m, 0)) for m in range(1, 13)],
            blank_rows=BLANK_ROWS,
            errors=errors or [],
            **extra,
        )

    @expose("/")
    def index(self):
        year = self._year()
        return self._page(year, self._tally(year))

    # -- saving --------------------------------------------------------------------------------

    @expose("/save/", methods=("POST",))
    def save(self):
        require("editor")
        year = self._year()
        form = request.form
        if form.get("version") != self._version(year):
            stale = [
                "你编辑期间，这一年的台账已被他人保存，你的修改还没有写入。下面是你填写的内容；"
                "可在新窗口打开本页对照对方的版本，核对后再保存（保存将以下面的内容为准）。"
            ]
            return self._page(year, self._tally(year), stale, typed=_typed(form)), 409
        data, errors = _from_form(form, year)
        site = self.folder.content().site
        tally, problems = parse(data, {}, site, f"content/tally/{year}.yml")
        errors += [p.message for p in problems]
        if errors or tally is None:
            return self._page(year, self._tally(year), errors, typed=_typed(form)), 400
        save(self.folder.root, tally)
        audit("save-tally", str(year), f"{tally.held} 场，{len(tally.rows)} 行")
        self._publish(f"已保存 {year} 年活动台账：共 {tally.held} 场。")
        return redirect(url_for(".index", year=year))

    def _publish(self, message: str) -> None:
        job = publisher().start(current_user().name)
        flash(f"{message}正在发布，“工作数据”页面稍后更新。" if job else message, "success")

    # -- importing -----------------------------------------------------------------------------

    def _uploads(self) -> Path:
        folder = Path(current_app.instance_path) / "tally-uploads"
        folder.mkdir(exist_ok=True)
        return folder

    @expose("/check/", methods=("POST",))
    def check(self):
        """Read a spreadsheet and show what it holds, keeping it for the apply step."""
        require("editor")
        year = self._year()
        upload = request.files.get("file")
        if upload is None or not upload.filename:
            flash("请选择台账文件（.xlsx 或 .csv）", "danger")
            return redirect(url_for(".index", year=year))
        data = upload.read()
        try:
            sheet = read_sheet(data, upload.filename, self.folder.content().site)
        except LedgerError as exc:
            flash(f"无法读取 {upload.filename}：{exc}", "danger")
            return redirect(url_for(".index", year=year))
        token = secrets.token_urlsafe(24)
        suffix = Path(upload.filename).suffix.lower()
        (self._uploads() / f"{token}{suffix}").write_bytes(data)
        (self._uploads() / f"{token}.name").write_text(upload.filename[:200], encoding="utf-8")
        return self._page(
            year, self._tally(year), sheet=sheet, token=token, filename=upload.filename,
            months=sorted({r.month for r in sheet.rows}),
        )  # fmt: skip

    @expose("/apply/", methods=("POST",))
    def apply(self):
        require("editor")
        year = self._year()
        token = request.form.get("token", "")
        if not _TOKEN.match(token):
            abort(400)
        files = [p for p in self._uploads().glob(f"{token}.*") if p.suffix in (".xlsx", ".csv")]
        if not files:
            flash("上传的表格已过期，请重新上传并预览。", "warning")
            return redirect(url_for(".index", year=year))
        name_file = self._uploads() / f"{token}.name"
        filename = name_file.read_text(encoding="utf-8") if name_file.exists() else files[0].name
        site = self.folder.content().site
        try:
            sheet = read_sheet(files[0].read_bytes(), files[0].name, site)
        except LedgerError as exc:
            flash(f"没有导入：{exc}", "danger")
            return redirect(url_for(".index", year=year))
        tally = merge(self._tally(year), sheet.rows)
        save(self.folder.root, tally)
        for path in (*files, name_file):
            path.unlink(missing_ok=True)
        months = "、".join(f"{m}月" for m in sorted({r.month for r in sheet.rows}))
        skipped = f"，跳过有错的 {len(sheet.errors)} 行" if sheet.errors else ""
        audit("import-tally", filename, f"{year} 年 {months}：{len(sheet.rows)} 行{skipped}")
        self._publish(f"已从 {filename} 导入 {year} 年 {months}的场次{skipped}。")
        return redirect(url_for(".index", year=year))


def _zone(name: str) -> dt.tzinfo:
    from zoneinfo import ZoneInfo

    return ZoneInfo(name)


def _number(text: str, label: str, errors: list[str]) -> int | None:
    text = text.strip()
    if not text:
        return None
    if not text.isdigit():
        errors.append(f"{label}：“{text}”不是整数")
        return None
    return int(text)


def _from_form(form, year: int) -> tuple[dict, list[str]]:
    """Turn the table form into the tally's data; rows with no count are dropped."""
    errors: list[str] = []
    target = _number(form.get("target", ""), "全年目标", errors)
    updated = None
    if form.get("updated", "").strip():
        try:
            updated = dt.date.fromisoformat(form["updated"].strip())
        except ValueError:
            errors.append(f"截至日期：“{form['updated']}”应写成 2026-11-30")
    held = []
    months, brands = form.getlist("month"), form.getlist("brand")
    streets, counts = form.getlist("street"), form.getlist("count")
    for i, (month, brand, street, count) in enumerate(
        zip(months, brands, streets, counts, strict=False), start=1
    ):
        value = _number(count, f"第 {i} 行的场次", errors)
        if value is None or not value:
            continue
        chosen = _number(month, f"第 {i} 行的月份", errors)
        if chosen is None:
            errors.append(f"第 {i} 行：有场次但没有选月份")
            continue
        held.append({"month": chosen, "brand": brand, "street": street, "count": value})
    data = {"year": year, "target": target or 0, "source": form.get("source", "").strip()}
    if updated is not None:
        data["updated"] = updated
    data["held"] = held
    return data, errors


def _typed(form) -> dict:
    """What was typed, so a refused save shows it again instead of losing it."""
    rows = [
        {"month": m, "brand": b, "street": s, "count": c}
        for m, b, s, c in zip(
            form.getlist("month"),
            form.getlist("brand"),
            form.getlist("street"),
            form.getlist("count"),
            strict=False,
        )  # fmt: skip
        if m.strip() or c.strip()
    ]
    return {key: form.get(key, "") for key in ("target", "source", "updated")} | {"rows": rows}


def _as_typed(tally: Tally) -> dict:
    """A saved tally in the form's terms."""
    rows = [
        {"month": str(r.month), "brand": r.brand, "street": r.street, "count": str(r.count)}
        for r in sorted(tally.rows, key=lambda r: (r.month, r.street, r.brand))
    ]
    updated = tally.updated.isoformat() if tally.updated else ""
    return {"target": str(tally.target or ""), "source": tally.source, "updated": updated,
            "rows": rows}  # fmt: skip
