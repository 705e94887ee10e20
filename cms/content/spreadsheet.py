"""The station ledger (台账) as a spreadsheet: read an editor's .xlsx or .csv, write one back.

Reading is strict about size (bytes and rows) and lenient about what Excel makes of text: GB18030
CSVs, numbers given as floats, a leading apostrophe that keeps a cell from being a formula.
Exporting writes every station in the same columns, in WGS-84, so an export imports unchanged.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from .store import Content

COLUMNS = ("名称", "类型", "街道", "地址", "经度", "纬度", "坐标系", "开放时间", "电话", "服务设施")
OPTIONAL = ("坐标系",)  # the import's default system applies when a ledger has no such column
# Headers real ledgers use for our columns, after spaces, 「*」 and bracketed notes are removed.
ALIASES = {
    "站点名称": "名称", "阵地名称": "名称", "驿站名称": "名称", "站名": "名称",
    "站点类型": "类型", "阵地类型": "类型",
    "所属街道": "街道", "所在街道": "街道",
    "详细地址": "地址", "站点地址": "地址",
    "东经": "经度", "北纬": "纬度",
    "坐标类型": "坐标系", "坐标体系": "坐标系",
    "服务时间": "开放时间", "开放时段": "开放时间", "营业时间": "开放时间",
    "联系电话": "电话", "联系方式": "电话", "服务电话": "电话",
    "设施": "服务设施", "服务项目": "服务设施", "配套设施": "服务设施",
}  # fmt: skip
HEADER_ROWS = 15  # how far down title and note rows may push the header
# Columns read as numbers or codes: full-width digits and punctuation become half-width there.
HALF_WIDTH = ("经度", "纬度", "坐标系", "开放时间", "电话")
CRS_LABELS = {"wgs84": "WGS-84", "gcj02": "GCJ-02", "bd09": "BD-09"}
FORMULA_START = ("=", "+", "-", "@")  # what spreadsheets would run as a formula in a CSV cell
MAX_BYTES = 10 * 1024 * 1024
MAX_ROWS = 20_000  # far more stations than a district has; stops a zip bomb early


class LedgerError(ValueError):
    """The ledger file cannot be read or applied at all; the message is for editors."""


@dataclass(frozen=True)
class LedgerRow:
    """One data row as text by column name; ``line`` is the row number Excel shows."""

    line: int
    values: dict[str, str]

    def get(self, column: str) -> str:
        return self.values.get(column, "")


def read_ledger(data: bytes, filename: str) -> list[LedgerRow]:
    """Read the rows of a ledger file (.xlsx or .csv); raise LedgerError if it is unusable."""
    table = read_table(data, filename)
    if not any(any(_cell(c) for c in row) for row in table):
        raise LedgerError("文件是空的：第 1 行应是表头 " + "、".join(COLUMNS))
    top, where = find_header(table)
    rows = []
    for number, cells in enumerate(table[top + 1 :], start=top + 2):
        values = {c: _cell(cells[i]) if i < len(cells) else "" for c, i in where.items()}
        for column in HALF_WIDTH:
            values[column] = unicodedata.normalize("NFKC", values.get(column, "")).strip()
        if any(values.values()):
            rows.append(LedgerRow(number, values))
    return rows


def find_header(table: list[list[object]]) -> tuple[int, dict[str, int]]:
    """Return the header's row index and each column's position, below any title rows.

    Real ledgers open with a title (「龙岗区工会驿站台账」), a unit and a date; the header is the
    first row holding every needed column, known by our names or the usual variants.
    """
    best: tuple[int, int, list[str]] = (-1, 0, list(COLUMNS))
    for index, cells in enumerate(table[:HEADER_ROWS]):
        where: dict[str, int] = {}
        for position, cell in enumerate(cells):
            name = _header(cell)
            name = ALIASES.get(name, name)
            if name in COLUMNS and name not in where:
                where[name] = position
        missing = [c for c in COLUMNS if c not in where and c not in OPTIONAL]
        if not missing:
            return index, where
        if len(where) > best[1]:
            best = (index, len(where), missing)
    index, found, missing = best
    if found < 2:
        raise LedgerError(f"前 {HEADER_ROWS} 行里找不到表头：表头应有这些列：{'、'.join(COLUMNS)}")
    raise LedgerError(
        f"第 {index + 1} 行的表头缺少这些列：{'、'.join(missing)}（表头应有：{'、'.join(COLUMNS)}）"
    )


def read_table(data: bytes, filename: str) -> list[list[object]]:
    """Read the cells of a spreadsheet (.xlsx or .csv), row by row, within the size limits."""
    suffix = Path(filename).suffix.lower()
    if len(data) > MAX_BYTES:
        raise LedgerError(f"文件超过 {MAX_BYTES // (1024 * 1024)} MB")
    if suffix == ".xlsx":
        table = _xlsx_rows(data)
    elif suffix == ".csv":
        table = _limited(csv.reader(io.StringIO(_decode(data), newline="")))
    elif suffix == ".xls":
        raise LedgerError("不支持旧的 .xls 格式：请在 Excel 中另存为 .xlsx 或 .csv 后再导入")
    else:
        raise LedgerError(f"{filename}：只能导入 .xlsx 或 .csv 文件")
    return table


def _xlsx_rows(data: bytes) -> list[list[object]]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise LedgerError(f"不是有效的 Excel（.xlsx）文件：{exc}") from None
    try:
        return _limited(book.active.iter_rows(values_only=True))
    finally:
        book.close()


def _limited(rows: Iterable[Iterable[object]]) -> list[list[object]]:
    table = []
    for row in rows:
        if len(table) > MAX_ROWS:
            raise LedgerError(f"台账超过 {MAX_ROWS} 行：请分成几个文件导入")
        table.append(list(row))
    return table


def _decode(data: bytes) -> str:
    """Decode CSV bytes: UTF-8 with or without BOM, else GB18030 (Excel's default in China)."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        try:
            return data.decode("gb18030")
        except UnicodeDecodeError:
            raise LedgerError("无法识别文件编码：请另存为 UTF-8 或 GB18030 编码的 CSV") from None


def _header(cell: object) -> str:
    text = unicodedata.normalize("NFKC", _cell(cell))
    return re.sub(r"[\s*]|\(.*?\)|\[.*?\]|【.*?】", "", text)


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)
    text = str(value).replace("\u3000", " ").strip()
    if len(text) > 1 and text[0] == "'" and text[1] in FORMULA_START:
        text = text[1:]  # written by export_ledger so spreadsheets show text, not a formula
    return text


def export_ledger(content: Content, fmt: str) -> bytes:
    """Return every station (any status) as a ledger file (``xlsx`` or ``csv``) in WGS-84."""
    site = content.site
    order = {key: i for i, key in enumerate(site.streets)}
    stations = sorted(
        content.entries.get("stations", {}).values(),
        key=lambda s: (order.get(s.street, len(order)), s.name, s.slug),
    )
    rows = []
    for s in stations:
        label = site.station_types.get(s.type)
        street = site.streets.get(s.street)
        rows.append(
            [
                s.name,
                label.label if label else s.type,
                street.label if street else s.street,
                s.address,
                s.location.lng,
                s.location.lat,
                CRS_LABELS["wgs84"],
                "; ".join(s.hours),
                s.phone,
                "、".join(
                    site.amenities[a].label if a in site.amenities else a for a in s.amenities
                ),
            ]
        )
    if fmt == "csv":
        return _csv(rows)
    if fmt == "xlsx":
        return _xlsx(rows)
    raise ValueError(f"unknown ledger format {fmt!r} (xlsx or csv)")


def _csv(rows: list[list]) -> bytes:
    out = io.StringIO(newline="")
    table = csv.writer(out, lineterminator="\r\n")
    table.writerow(COLUMNS)
    for row in rows:
        table.writerow(
            [
                repr(v) if isinstance(v, float) else "'" + v if v.startswith(FORMULA_START) else v
                for v in row
            ]
        )
    return b"\xef\xbb\xbf" + out.getvalue().encode("utf-8")  # the BOM tells Excel it is UTF-8


def _xlsx(rows: list[list]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    sheet.title = "服务阵地台账"
    sheet.append(list(COLUMNS))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append(row)
        for cell in sheet[sheet.max_row]:
            if cell.data_type == "f":  # a name starting with "=" is text, never a formula
                cell.data_type = "s"
    for letter, width in zip("ABCDEFGHIJ", (28, 12, 12, 40, 12, 12, 9, 36, 16, 36), strict=True):
        sheet.column_dimensions[letter].width = width
    sheet.freeze_panes = "A2"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
