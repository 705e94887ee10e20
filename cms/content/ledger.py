"""The station ledger (台账): turn its rows into station entries, in two steps.

An import is two steps so an editor sees every problem before anything is written: ``plan_import``
checks each row and works out what it would do (create, update, leave alone), ``apply_import``
writes the plan through ``writer.save`` with compare-and-swap, so an edit made in the back office
between the two steps is never overwritten. A row matches an existing station by name and street.
Reading and writing the spreadsheet itself is ``spreadsheet``'s.
"""

from __future__ import annotations

import re
import statistics
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from ..geo import coords
from ..geo.distance import haversine_m
from . import writer
from .chinese_hours import HoursError, read_hours
from .fields import PHONE_RE
from .hours import describe, parse_hours
from .model import Station, Term
from .repo import Repo
from .slugs import suggest
from .spreadsheet import COLUMNS, LedgerError, LedgerRow, export_ledger, read_ledger
from .store import Content

# Reports one problem of a row: the column it is in and what is wrong, for the editor.
ErrorReport = Callable[[str, str], None]

# Column of each front-matter field the ledger sets: names the column in messages and changes.
FIELD_COLUMNS = {
    "name": "名称",
    "type": "类型",
    "street": "街道",
    "address": "地址",
    "location": "经纬度",
    "hours": "开放时间",
    "phone": "电话",
    "amenities": "服务设施",
}
CRS_NAMES = {
    "wgs84": "wgs84",
    "gps": "wgs84",
    "cgcs2000": "wgs84",
    "天地图": "wgs84",
    "gcj02": "gcj02",
    "高德": "gcj02",
    "高德地图": "gcj02",
    "腾讯": "gcj02",
    "腾讯地图": "gcj02",
    "火星坐标": "gcj02",
    "bd09": "bd09",
    "bd09ll": "bd09",
    "百度": "bd09",
    "百度地图": "bd09",
}
ACTIONS = {"create": "新建", "update": "更新", "unchanged": "无变化", "error": "错误"}
STATUS_LABELS = {"draft": "草稿", "review": "待审核", "published": "已发布"}
_LIST_SPLIT = re.compile(r"[、,，;；\s]+")
# A coordinate as written in ledgers: 114.05, 114.05°, E114.05, 东经114.05, 22.63°N.
_DEGREES = re.compile(r"(?:东经|北纬|[EN])?\s*(-?\d+(?:\.\d+)?)\s*°?\s*[EN]?")
# How far a station may lie from the middle of its street's other stations (a street of Longgang
# is a few km across) or, for a street without stations yet, from the map's centre.
STREET_REACH_M = 10_000
DISTRICT_REACH_M = 40_000


@dataclass
class RowPlan:
    """What importing one row would do, and why not if it cannot."""

    line: int
    name: str
    action: str  # create | update | unchanged | error
    slug: str = ""
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)  # worth a look, but the row can be applied
    hours: str = ""  # the hours as read, in words, for the editor to confirm
    changes: list[str] = field(default_factory=list)  # columns an update changes
    text: str = ""  # the station file to write
    expected: str | None = None  # version of the file when planned (None: a new file)

    def describe(self, new_status: str = "draft") -> str:
        """Return one line for the editor, e.g. ``第 3 行 坂田驿站：更新 bantian（地址）``."""
        head = f"第 {self.line} 行 {self.name or '（无名称）'}："
        if self.action == "error":
            prefix = f"第 {self.line} 行 "
            return head + "错误 — " + "；".join(e.removeprefix(prefix) for e in self.errors)
        if self.action == "create":
            return head + f"新建 {self.slug}（{STATUS_LABELS.get(new_status, new_status)}）"
        if self.action == "update":
            return head + f"更新 {self.slug}（{'、'.join(self.changes)}）"
        return head + f"无变化（{self.slug}）"


@dataclass
class ImportPlan:
    """The per-row plan of an import; rows with errors are applied never, the rest on request."""

    rows: list[RowPlan]
    new_status: str = "draft"

    @property
    def has_errors(self) -> bool:
        return any(r.action == "error" for r in self.rows)

    def count(self, action: str) -> int:
        return sum(r.action == action for r in self.rows)

    def summary(self) -> str:
        counts = "，".join(f"{ACTIONS[a]} {self.count(a)}" for a in ACTIONS)
        text = f"共 {len(self.rows)} 行：{counts}。"
        if self.count("create"):
            label = STATUS_LABELS.get(self.new_status, self.new_status)
            text += f"新建的站点保存为「{label}」，请在后台核对后发布。"
        if self.has_errors:
            text += (
                "有错误的行不会导入：可以只导入没有错误的行，"
                "也可以全部不导入，在台账中改正后重新上传。"
            )
        return text


@dataclass
class ImportResult:
    """What an apply wrote; conflicts are rows someone changed after the dry run."""

    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    conflicts: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # rows with errors, left out on request

    def summary(self) -> str:
        text = f"新建 {len(self.created)}，更新 {len(self.updated)}，无变化 {len(self.unchanged)}"
        if self.skipped:
            text += f"，{len(self.skipped)} 行有错误未导入"
        if self.conflicts:
            text += f"，{len(self.conflicts)} 行因站点已被他人修改而未写入：请重新预览后再导入"
        return text + "。"


# --- planning --------------------------------------------------------------------------------


def normalize_crs(text: str) -> str | None:
    """Return ``wgs84``, ``gcj02`` or ``bd09`` for a name an editor writes (高德, BD-09…)."""
    key = re.sub(r"[\s_-]", "", text).lower()
    return CRS_NAMES.get(key)


def plan_import(
    content: Content, rows: list[LedgerRow], default_crs: str = "wgs84", new_status: str = "draft"
) -> ImportPlan:
    """Check every row and work out what importing it would do; writes nothing."""
    crs = normalize_crs(default_crs)
    if crs is None:
        raise LedgerError(f"未知的坐标系 {default_crs!r}：可用 wgs84、gcj02、bd09")
    stations: dict[str, Station] = content.entries.get("stations", {})  # type: ignore[assignment]
    existing: dict[tuple[str, str], list[Station]] = {}
    for station in stations.values():
        existing.setdefault((station.name, station.street), []).append(station)
    folder = content.root / "stations"
    taken = set(stations) | ({p.stem for p in folder.glob("*.md")} if folder.is_dir() else set())
    seen: dict[tuple[str, str], int] = {}
    middles = _street_middles(stations.values())
    plans = []
    for row in rows:
        plan = _plan_row(content, row, crs, new_status, existing, seen, taken, middles)
        if plan.action == "create":
            taken.add(plan.slug)
        plans.append(plan)
    return ImportPlan(plans, new_status)


def _plan_row(
    content: Content,
    row: LedgerRow,
    crs: str,
    new_status: str,
    existing: dict[tuple[str, str], list[Station]],
    seen: dict[tuple[str, str], int],
    taken: set[str],
    middles: dict[str, tuple[float, float]],
) -> RowPlan:
    site = content.site
    errors: list[str] = []

    def error(column: str, message: str) -> None:
        errors.append(f"第 {row.line} 行 {column}：{message}")

    name = row.get("名称")
    values: dict = {"name": name, "address": row.get("地址")}
    for column, key in (("名称", "name"), ("地址", "address")):
        if not values[key]:
            error(column, "不能为空")
    values["type"] = _term(site.station_types, row.get("类型"), "类型", "站点类型", error)
    values["street"] = _term(site.streets, row.get("街道"), "街道", "街道", error)
    location = _location(row, crs, error)
    if location:
        values["location"] = location
    values["hours"], notes = _hours(row.get("开放时间"), error)
    warnings = [
        f"第 {row.line} 行 开放时间：“{note}”没有写入开放时间（开放时间只按星期记录），"
        "请在简介中说明"
        for note in notes
    ]
    if location and values["street"]:
        far = _far_from_street(content, values["street"], location, middles)
        if far:
            warnings.append(f"第 {row.line} 行 经纬度：{far}")
    phone = row.get("电话")
    if phone and not PHONE_RE.match(phone):
        error("电话", f"{phone} 不是有效的电话号码")
    values["phone"] = phone
    values["amenities"] = _amenities(site.amenities, row.get("服务设施"), error)

    key = (name, values["street"] or "")
    if name and values["street"]:
        if key in seen:
            error("名称", f"与第 {seen[key]} 行重复（同一街道下的同名站点）")
        seen.setdefault(key, row.line)
        if len(existing.get(key, [])) > 1:
            slugs = "、".join(s.slug for s in existing[key])
            error("名称", f"已有多个同名同街道的站点（{slugs}），请先在后台合并")
    if errors:
        return RowPlan(row.line, name, "error", errors=errors)

    match = existing.get(key, [None])[0]
    shown = "；".join(f"{days} {times}" for days, times in describe(parse_hours(values["hours"])))
    if match is None:
        slug = suggest(name, taken, "stations")
        fields, body, expected = {**values, "status": new_status}, "", None
    else:
        slug, body, expected = match.slug, match.body, match.version
        before = writer.fields_of(match)
        fields = {**before, **values}
        changes = [c for f, c in FIELD_COLUMNS.items() if before[f] != fields[f]]
        if not changes:
            return RowPlan(row.line, name, "unchanged", slug, warnings=warnings, hours=shown)
    text = writer.dump("stations", fields, body)
    for problem in writer.validate(content.root, "stations", slug, text):
        error(FIELD_COLUMNS.get(problem.field.split(".")[0], "台账"), problem.message)
    if errors:
        return RowPlan(row.line, name, "error", slug, errors=errors)
    action = "create" if match is None else "update"
    return RowPlan(
        row.line, name, action, slug, warnings=warnings, hours=shown,
        changes=[] if match is None else changes, text=text, expected=expected,
    )  # fmt: skip


def _term(terms: dict[str, Term], text: str, column: str, what: str, error: ErrorReport) -> str:
    """Return the vocabulary key of a label or key (街道 may drop its 街道 suffix)."""
    if not text:
        error(column, "不能为空")
        return ""
    for key, term in terms.items():
        if text in (key, term.label) or text.removesuffix("街道") == term.label.removesuffix(
            "街道"
        ):
            return key
    labels = "、".join(t.label for t in terms.values())
    error(column, f"“{text}”不是{what}（可选：{labels}）")
    return ""


def _location(row: LedgerRow, default_crs: str, error: ErrorReport) -> dict | None:
    """Return the row's WGS-84 {lat, lng}, converted from its 坐标系 (or the default)."""
    crs_text = row.get("坐标系")
    crs = normalize_crs(crs_text) if crs_text else default_crs
    if crs is None:
        error("坐标系", f"“{crs_text}”不是坐标系（可选：WGS-84、GCJ-02（高德）、BD-09（百度））")
    numbers = {}
    for column, limit in (("经度", 180), ("纬度", 90)):
        text = row.get(column)
        match = _DEGREES.fullmatch(text)
        numbers[column] = float(match.group(1)) if match else float("nan")
        if not text:
            error(column, "不能为空")
        elif not -limit <= numbers[column] <= limit:  # false for nan and inf too
            swapped = column == "纬度" and _is_number(row.get("经度"), 90)
            hint = "（经度和纬度可能填反了）" if swapped else ""
            error(column, f"{text} 不是有效的{column}{hint}")
            numbers[column] = float("nan")
    lat, lng = numbers["纬度"], numbers["经度"]
    if crs is None or lat != lat or lng != lng:
        return None
    if crs != "wgs84":
        lat, lng = (round(v, 7) for v in coords.convert(lat, lng, crs, "wgs84"))
    return {"lat": lat, "lng": lng}


def _is_number(text: str, limit: float) -> bool:
    match = _DEGREES.fullmatch(text)
    return bool(match) and -limit <= float(match.group(1)) <= limit


def _hours(text: str, error: ErrorReport) -> tuple[list[str], list[str]]:
    """Return the structured lines of the 开放时间 cell and the notes they could not hold."""
    try:
        read = read_hours(text)
    except HoursError as exc:
        error("开放时间", str(exc))
        return [], []
    return read.lines, read.notes


def _street_middles(stations) -> dict[str, tuple[float, float]]:
    """Return the middle (median lat, lng) of each street's stations already in the content."""
    points: dict[str, list[tuple[float, float]]] = {}
    for station in stations:
        points.setdefault(station.street, []).append((station.location.lat, station.location.lng))
    return {
        street: (statistics.median(p[0] for p in pts), statistics.median(p[1] for p in pts))
        for street, pts in points.items()
    }


def _far_from_street(
    content: Content, street: str, location: dict, middles: dict[str, tuple[float, float]]
) -> str:
    """Say how far a station lies outside its street (Beijing coordinates for 龙岗街道, say)."""
    label = content.site.streets[street].label
    if street in middles:
        middle, reach, what = middles[street], STREET_REACH_M, f"{label}的其他阵地"
    else:
        site_map = content.site.map
        middle = (site_map.center_lat, site_map.center_lng)
        reach, what = DISTRICT_REACH_M, "地图中心"
    metres = haversine_m(location["lat"], location["lng"], *middle)
    if metres <= reach:
        return ""
    return f"离{what}约 {metres / 1000:,.0f} 公里，不像在{label}，请核对经度、纬度和坐标系"


def _amenities(terms: dict[str, Term], text: str, error: ErrorReport) -> list[str]:
    keys = []
    for item in _LIST_SPLIT.split(text):
        if not item:
            continue
        key = next((k for k, t in terms.items() if item in (k, t.label)), None)
        if key is None:
            labels = "、".join(t.label for t in terms.values())
            error("服务设施", f"“{item}”不是服务设施（可选：{labels}）")
        elif key not in keys:
            keys.append(key)
    return keys


# --- applying ------------------------------------------------------------------------------


def apply_import(
    content_root: Path, plan: ImportPlan, author: str, skip_errors: bool = False
) -> ImportResult:
    """Write a plan's rows; rows changed by someone since the plan are skipped.

    A plan with errors is refused whole unless ``skip_errors``: then its good rows are written
    and the bad ones listed in the result, for the editor to correct and import again.
    """
    if plan.has_errors and not skip_errors:
        raise LedgerError(f"台账有 {plan.count('error')} 行错误，没有写入任何内容")
    result = ImportResult()
    for row in plan.rows:
        if row.action == "error":
            result.skipped.append(row.describe(plan.new_status))
            continue
        if row.action == "unchanged":
            result.unchanged.append(row.slug)
            continue
        try:
            writer.save(
                content_root, "stations", row.slug, row.text, row.expected, author, commit=False
            )
        except writer.Conflict as exc:
            if exc.current_text == row.text:  # this same plan was applied already
                result.unchanged.append(row.slug)
            else:
                result.conflicts.append(row.describe(plan.new_status))
            continue
        (result.created if row.action == "create" else result.updated).append(row.slug)
    # One commit for the whole import, made outside the editing forms, by whoever imported.
    Repo(content_root).commit_outside(f"导入台账：{result.summary()}", author, "import")
    return result


__all__ = [
    "COLUMNS",
    "ImportPlan",
    "ImportResult",
    "LedgerError",
    "LedgerRow",
    "RowPlan",
    "apply_import",
    "export_ledger",
    "normalize_crs",
    "plan_import",
    "read_ledger",
]
