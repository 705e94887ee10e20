"""The 网站设置 form: the saved settings as the form shows them, and the checks of what was typed.

What was typed is kept as it came (``typed``) so a refused save shows it again; each error is
said in Chinese beside its field, naming the row and the column.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from zoneinfo import ZoneInfo

from ..content import Content, Site, settings
from .preview import missing_paths
from .publish import admin_now

# name, label, kind ("text", "number"), the most characters (or the smallest number)
SCALARS = (
    ("title", "网站名称", "text", 60),
    ("subtitle", "副标题", "text", 100),
    ("description", "网站简介", "text", 300),
    ("hotline", "服务热线", "text", 20),
    ("address", "地址", "text", 100),
    ("icp", "ICP 备案号", "text", 60),
    ("police_record", "公安备案号", "text", 60),
    ("yearly_activity_target", "全年活动目标（场）", "number", 0),
    ("stale_after_months", "阵地信息核实周期（月）", "number", 1),
)
REQUIRED = ("title",)
MAX_LABEL = 30
_HOTLINE = re.compile(r"^[0-9][0-9 -]{2,19}\Z")


def as_typed(site: Site) -> dict:
    """The saved settings in the form's terms."""
    typed: dict = {"scalars": {}, "vocabularies": {}, "menu": [], "errors": {}}
    for name, *_ in SCALARS:
        typed["scalars"][name] = str(getattr(site, name))
    for name in settings.VOCABULARIES:
        typed["vocabularies"][name] = [
            {"was": t.key, "key": t.key, "label": t.label, "color": t.color, "drop": False,
             "errors": []}
            for t in getattr(site, name).values()
        ]  # fmt: skip
    typed["menu"] = [
        {"label": m.label, "url": m.url, "order": str(i), "errors": []}
        for i, m in enumerate(site.menu, start=1)
    ]
    typed["moves"] = {}
    return typed


def typed_from(form) -> dict:
    """What was typed, so a refused save shows it again instead of losing it."""
    typed: dict = {"scalars": {}, "vocabularies": {}, "menu": [], "errors": {}, "moves": {}}
    for name, *_ in SCALARS:
        typed["scalars"][name] = form.get(name, "").strip()
    for name in settings.VOCABULARIES:
        dropped = set(form.getlist(f"{name}-drop"))
        columns = [form.getlist(f"{name}-{c}") for c in ("was", "key", "label", "color")]
        rows = []
        for was, key, label, color in zip(*columns, strict=False):
            key, label, color = key.strip(), label.strip(), color.strip().lower()
            if was or key or label:
                rows.append({"was": was, "key": key, "label": label, "color": color,
                             "drop": bool(was) and was in dropped, "errors": []})  # fmt: skip
        typed["vocabularies"][name] = rows
    for field, value in form.items():
        if field.startswith("move-") and value:
            typed["moves"][field] = value
    columns = [form.getlist(f"menu-{c}") for c in ("label", "url", "order")]
    typed["menu"] = [
        {"label": label.strip(), "url": url.strip(), "order": order.strip(), "errors": []}
        for label, url, order in zip(*columns, strict=False)
        if label.strip() or url.strip()
    ]
    return typed


def has_errors(typed: dict) -> bool:
    """Tell whether any field of the typed settings was refused."""
    return any(_errors(typed))


def _errors(typed: dict) -> Iterator[bool]:
    yield bool(typed["errors"])
    for rows in typed["vocabularies"].values():
        yield any(row["errors"] for row in rows)
    yield any(row["errors"] for row in typed["menu"])


def check(typed: dict, content: Content) -> tuple[dict, list, list[dict]]:
    """Check the typed settings; return the data to save, the moves to make first and the keys
    in use that would go without a place for their entries (errors go into ``typed``)."""
    site = content.site
    data: dict = {}
    for name, label, kind, limit in SCALARS:
        text = typed["scalars"][name]
        if kind == "number":
            if not text.isdigit() or int(text) < limit:
                typed["errors"][name] = f"{label}：应填不小于 {limit} 的整数，现在是“{text}”"
            elif int(text) != getattr(site, name):  # an unchanged default stays out of the file
                data[name] = int(text)
            continue
        if name in REQUIRED and not text:
            typed["errors"][name] = f"{label}：不能为空"
        elif len(text) > limit:
            typed["errors"][name] = f"{label}：最多 {limit} 个字，现在有 {len(text)} 个"
        elif name == "hotline" and text and not _HOTLINE.match(text):
            typed["errors"][name] = f"{label}：只能写数字、空格和连字符，如 12351 或 0755-28900000"
        elif text != getattr(site, name):
            data[name] = text
    moves: list = []
    blocked: list[dict] = []
    for name, (title, _) in settings.VOCABULARIES.items():
        terms = _check_vocabulary(name, title, typed["vocabularies"][name], site)
        data[name] = terms
        for key in getattr(site, name):
            if key in terms:
                continue
            used = settings.users(content, name, key)
            tally = settings.tally_rows(content, name, key)
            if not used and not tally:
                continue
            target = typed["moves"].get(f"move-{name}-{key}", "")
            if target in terms:
                moves.append((settings.Move(name, key, target), used, tally))
                continue
            rows = typed["vocabularies"][name]
            renamed = next((r["key"] for r in rows if r["was"] == key and not r["drop"]), "")
            blocked.append({
                "vocabulary": name, "title": title, "key": key,
                "label": getattr(site, name)[key].label, "entries": used, "tally": tally,
                "targets": list(terms.items()), "suggested": renamed if renamed in terms else "",
            })  # fmt: skip
    data["menu"] = _check_menu(typed["menu"])
    _check_menu_pages(typed["menu"], content)
    _check_menu_terms(typed["menu"], site, data)
    return data, moves, blocked


def _check_vocabulary(name: str, title: str, rows: list[dict], site: Site) -> dict:
    """Check one vocabulary's rows; return its terms as site.yml will hold them."""
    old = getattr(site, name)
    terms: dict = {}
    seen: dict[str, int] = {}
    for n, row in enumerate(rows, start=1):
        if row["drop"]:
            continue
        where = f"{title}第 {n} 行"
        key, label, color = row["key"], row["label"], row["color"]
        if not key:
            row["errors"].append(("key", f"{where}：请填写代码"))
        elif not settings.KEY_RE.match(key):
            said = f"{where}：代码“{key}”只能用小写英文字母、数字和连字符（-），如 care-station"
            row["errors"].append(("key", said))
        elif key in seen:
            said = f"{where}：代码“{key}”与第 {seen[key]} 行重复，每项的代码须不同"
            row["errors"].append(("key", said))
        else:
            seen[key] = n
        if not label:
            row["errors"].append(("label", f"{where}：请填写名称"))
        elif len(label) > MAX_LABEL:
            said = f"{where}：名称最多 {MAX_LABEL} 个字，现在有 {len(label)} 个"
            row["errors"].append(("label", said))
        spec = {"label": label}
        if name in settings.COLOURED:
            before = old[row["was"]].color if row["was"] in old else None
            if not color:
                row["errors"].append(("color", f"{where}：请填写颜色，如 #b71c1c"))
            elif color != before and settings.colour_problem(color):
                row["errors"].append(("color", f"{where}：{settings.colour_problem(color)}"))
            spec["color"] = color
        if not row["errors"]:
            terms[key] = spec
    return terms


def _check_menu(rows: list[dict]) -> list[dict]:
    """Check the menu's rows; return its items in their order."""
    items = []
    for n, row in enumerate(rows, start=1):
        where = f"菜单第 {n} 行"
        if not row["label"]:
            row["errors"].append(("label", f"{where}：请填写名称"))
        if not re.match(r"^(/(?!/)|https?://)\S*\Z", row["url"]):
            url = row["url"]
            said = f"{where}：链接“{url}”应以 / 开头（本站页面，如 /news/）或是 https:// 网址"
            row["errors"].append(("url", said))
        order = row["order"] or str(n)
        if not re.match(r"^-?\d{1,4}\Z", order):
            row["errors"].append(("order", f"{where}：顺序应是整数，现在是“{row['order']}”"))
            order = str(n)
        items.append((int(order), n, {"label": row["label"], "url": row["url"]}))
    return [item for _, _, item in sorted(items, key=lambda i: (i[0], i[1]))]


def _check_menu_pages(rows: list[dict], content) -> None:
    """Refuse a new menu link to a page the site does not have (the build would fail on it)."""
    known = {item.url for item in content.site.menu}
    fresh = [r for r in rows if not r["errors"] and r["url"].startswith("/")]
    fresh = [r for r in fresh if r["url"] not in known]
    now = admin_now(ZoneInfo(content.site.timezone))
    missing = set(missing_paths(content, [r["url"] for r in fresh], now))
    for n, row in enumerate(rows, start=1):
        if any(row is r for r in fresh) and row["url"] in missing:
            said = f"菜单第 {n} 行：网站上没有 {row['url']} 这个页面，请检查拼写，或先发布那个页面"
            row["errors"].append(("url", said))


# The public pages of one vocabulary key: a menu link to one goes when the key goes.
TERM_PAGES = {
    "news_categories": "/news/category/{}/",
    "activity_brands": "/activities/brand/{}/",
    "streets": "/stations/street/{}/",
    "station_types": "/stations/type/{}/",
}


def _check_menu_terms(rows: list[dict], site, data: dict) -> None:
    """Refuse a menu link to the page of a key this save removes or renames."""
    going = {
        page.format(key): (name, term.label)
        for name, page in TERM_PAGES.items()
        for key, term in getattr(site, name).items()
        if key not in data[name]
    }
    for n, row in enumerate(rows, start=1):
        path = row["url"].split("?")[0].split("#")[0]
        path = path if path.endswith("/") else path + "/"
        if path in going:
            name, label = going[path]
            title = settings.VOCABULARIES[name][0]
            said = f"菜单第 {n} 行：链接 {row['url']} 是要删除或改代码的{title}“{label}”的页面，"
            row["errors"].append(("url", said + "请一并改掉这个菜单项"))
