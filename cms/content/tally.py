"""The year's activity tally (活动台账): activities held per month, brand and street.

The union reports its work plan from what the streets' unions report each month, not from what
is posted on the site. One file per year, ``content/tally/2026.yml``::

    year: 2026
    target: 1500                # 全年目标（场）; falls back to site.yml yearly_activity_target
    source: 各街道工会每月报送的活动台账
    updated: 2026-11-30         # 截至
    held:
      - {month: 1, brand: spring-breeze, street: longcheng, count: 86}

``brand`` and ``street`` are site.yml keys ("" when a row has none). A spreadsheet with the
columns 月份、品牌、街道、场次 fills a year (labels or keys; 1、1月、一月、2026-01 all read).
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass, field, replace
from pathlib import Path

import yaml

from .errors import Problem
from .frontmatter import FieldError, load_yaml
from .model import Site

FOLDER = "tally"
COLUMNS = ("月份", "品牌", "街道", "场次")
_CN_MONTHS = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9,
              "十": 10, "十一": 11, "十二": 12}  # fmt: skip


@dataclass(frozen=True)
class TallyRow:
    month: int
    brand: str
    street: str
    count: int


@dataclass(frozen=True)
class Tally:
    """One year's reported figures."""

    year: int
    target: int = 0
    source: str = ""
    updated: dt.date | None = None
    rows: tuple[TallyRow, ...] = field(default_factory=tuple)

    @property
    def held(self) -> int:
        return sum(r.count for r in self.rows)

    def by(self, attribute: str) -> dict[object, int]:
        """Sum the counts per month, brand or street."""
        out: dict[object, int] = {}
        for row in self.rows:
            key = getattr(row, attribute)
            out[key] = out.get(key, 0) + row.count
        return out


def path_of(root: Path, year: int) -> Path:
    return Path(root) / FOLDER / f"{year}.yml"


def read_tallies(root: Path, site: Site) -> tuple[dict[int, Tally], list[Problem]]:
    """Read every ``content/tally/<year>.yml``; problems name the file, line and field."""
    folder = Path(root) / FOLDER
    tallies: dict[int, Tally] = {}
    problems: list[Problem] = []
    if not folder.is_dir():
        return tallies, problems
    for path in sorted(folder.glob("*.yml")):
        tally, found = read_tally(path, site, f"content/{FOLDER}/{path.name}")
        problems.extend(found)
        if tally is not None:
            tallies[tally.year] = tally
    return tallies, problems


def read_tally(path: Path, site: Site, label: str) -> tuple[Tally | None, list[Problem]]:
    try:
        data, lines = load_yaml(path.read_text(encoding="utf-8"))
    except FieldError as exc:
        return None, [Problem(label, getattr(exc, "line", 1), "", str(exc))]
    except (OSError, UnicodeDecodeError) as exc:
        return None, [Problem(label, 0, "", f"无法读取：{exc}")]
    return parse(data if isinstance(data, dict) else None, lines, site, label, path.stem)


def parse(
    data: dict | None, lines: dict[str, int], site: Site, label: str, stem: str = ""
) -> tuple[Tally | None, list[Problem]]:
    """Check one year's tally as read from YAML (or a form) and return it with its problems."""
    problems: list[Problem] = []

    def problem(key: str, message: str) -> None:
        problems.append(Problem(label, lines.get(key, 1), key, message))

    if data is None:
        return None, [Problem(label, 1, "", "台账文件应是键值对（year、target、held…）")]
    year = data.get("year")
    if not _is_int(year) or not 2000 <= year <= 2100:
        problem("year", f"年份 {year!r} 不是有效的年份")
        return None, problems
    if stem and stem != str(year):
        problem("year", f"年份 {year} 与文件名 {stem}.yml 不一致")
    target = data.get("target", 0) or 0
    if not _is_int(target) or target < 0:
        problem("target", f"全年目标 {target!r} 应是不小于 0 的整数")
        target = 0
    source = data.get("source", "") or ""
    if not isinstance(source, str):
        problem("source", "数据来源应是文字")
        source = ""
    updated = data.get("updated")
    if updated is not None and not isinstance(updated, dt.date):
        problem("updated", f"截至日期 {updated!r} 应写成 2026-11-30")
        updated = None
    rows: list[TallyRow] = []
    held = data.get("held") or []
    if not isinstance(held, list):
        problem("held", "场次记录（held）应是列表")
        held = []
    for i, item in enumerate(held):
        key = f"held.{i}"
        where = f"第 {i + 1} 条记录"
        if not isinstance(item, dict):
            problem(key, f"{where}应写成 {{month: 1, brand: …, street: …, count: 10}}")
            continue
        month, count = item.get("month"), item.get("count")
        brand, street = item.get("brand") or "", item.get("street") or ""
        if not _is_int(month) or not 1 <= month <= 12:
            problem(f"{key}.month", f"{where}：月份 {month!r} 应是 1–12")
            continue
        if not _is_int(count) or count < 0:
            problem(f"{key}.count", f"{where}：场次 {count!r} 应是不小于 0 的整数")
            continue
        if brand and brand not in site.activity_brands:
            problem(f"{key}.brand", f"{where}：没有这个活动品牌：{brand}")
            continue
        if street and street not in site.streets:
            problem(f"{key}.street", f"{where}：没有这个街道：{street}")
            continue
        rows.append(TallyRow(month, str(brand), str(street), count))
    return Tally(year, target, source.strip(), updated, tuple(rows)), problems


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def dump(tally: Tally) -> bytes:
    """Return the YAML of a tally, rows in month, brand, street order."""
    head = {"year": tally.year, "target": tally.target, "source": tally.source}
    if tally.updated is not None:
        head["updated"] = tally.updated
    text = "# 年度活动台账：各月实际举办的活动场次（按品牌、街道）\n"
    text += yaml.safe_dump(head, allow_unicode=True, sort_keys=False)
    text += "held:\n"
    for r in sorted(tally.rows, key=lambda r: (r.month, r.brand, r.street)):
        brand, street = r.brand or "''", r.street or "''"
        text += f"  - {{month: {r.month}, brand: {brand}, street: {street}, count: {r.count}}}\n"
    return text.encode("utf-8")


def save(root: Path, tally: Tally) -> Path:
    from .store import write_atomic  # the store reads tallies: import it when saving

    path = path_of(root, tally.year)
    write_atomic(path, dump(tally))
    return path


@dataclass(frozen=True)
class SheetResult:
    """What a spreadsheet gives: the rows read, and the bad ones by row number."""

    rows: tuple[TallyRow, ...]
    errors: tuple[str, ...]


def read_sheet(data: bytes, filename: str, site: Site) -> SheetResult:
    """Read a tally spreadsheet (.xlsx or .csv) with columns 月份、品牌、街道、场次.

    Brands and streets may be given by label (as editors write them) or key; rows that repeat a
    month, brand and street are added up. Raises LedgerError when the file is unusable.
    """
    from .spreadsheet import LedgerError, read_table  # openpyxl only when a sheet is read

    table = read_table(data, filename)
    at = next(  # the header may sit below a title row or two
        (i for i, cells in enumerate(table[:10]) if {"月份", "场次"} <= {_norm(c) for c in cells}),
        None,
    )
    if at is None:
        raise LedgerError("找不到表头：应有“月份”和“场次”两列（可另有“品牌”“街道”）")
    header = [_norm(c) for c in table[at]]
    where = {c: header.index(c) for c in COLUMNS if c in header}
    brands = _lookup(site.activity_brands)
    streets = _lookup(site.streets)
    sums: dict[tuple[int, str, str], int] = {}
    errors: list[str] = []
    for number, cells in enumerate(table[at + 1 :], start=at + 2):
        values = {c: _norm(cells[i]) if i < len(cells) else "" for c, i in where.items()}
        if not any(values.values()):
            continue
        month = _month(values.get("月份", ""))
        count = _count(values.get("场次", ""))
        brand = brands.get(values.get("品牌", ""), None) if values.get("品牌") else ""
        street = streets.get(values.get("街道", ""), None) if values.get("街道") else ""
        wrong = [
            f"月份“{values.get('月份', '')}”" if month is None else "",
            f"场次“{values.get('场次', '')}”" if count is None else "",
            f"品牌“{values['品牌']}”不在品牌列表中" if brand is None else "",
            f"街道“{values['街道']}”不在街道列表中" if street is None else "",
        ]
        if any(wrong):
            errors.append(f"第 {number} 行：" + "；".join(w for w in wrong if w))
            continue
        key = (month, brand, street)
        sums[key] = sums.get(key, 0) + count  # type: ignore[operator]
    rows = tuple(TallyRow(m, b, s, c) for (m, b, s), c in sorted(sums.items()))
    return SheetResult(rows, tuple(errors))


def merge(tally: Tally, rows: tuple[TallyRow, ...]) -> Tally:
    """Replace the tally's months that the spreadsheet covers; other months stay."""
    months = {r.month for r in rows}
    kept = tuple(r for r in tally.rows if r.month not in months)
    return replace(tally, rows=kept + rows)


def _norm(cell: object) -> str:
    text = unicodedata.normalize("NFKC", "" if cell is None else str(cell)).strip()
    if text.endswith(".0") and text[:-2].isdigit():
        text = text[:-2]
    return text


def _lookup(vocabulary: dict) -> dict[str, str]:
    out = {}
    for key, term in vocabulary.items():
        out[key] = key
        out[term.label] = key
        out[re.sub(r"(街道|社区)$", "", term.label)] = key
    return out


def _month(text: str) -> int | None:
    text = re.sub(r"^\d{4}\s*[-/.年]\s*", "", text).removesuffix("份").removesuffix("月")
    value = _CN_MONTHS.get(text) if not text.isdigit() else int(text)
    return value if value is not None and 1 <= value <= 12 else None


def _count(text: str) -> int | None:
    text = text.removesuffix("场").strip().replace(",", "")
    return int(text) if text.isdigit() else None
