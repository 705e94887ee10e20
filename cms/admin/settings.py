"""网站设置, for admins: the site's title and contact details, vocabularies and menu.

What is saved goes into content/site.yml as a commit by the admin, then the whole site is
published again (every page shows the title, menu and footer). A key that entries use is never
removed or renamed from under them: the form names those entries and moves them in the same save.
"""

from __future__ import annotations

import re
from dataclasses import replace
from zoneinfo import ZoneInfo

import yaml
from flask import abort, flash, redirect, request
from flask_admin import expose

from ..content import settings, writer
from ..content.reader import read_site
from ..content.tally import save as save_tally
from .diffs import diff
from .preview import missing_paths
from .problems import told
from .publish import admin_now, publisher
from .security import SecureView, audit, current_user

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
BLANK_ROWS = 3  # empty rows under each table, to add items without a script
MAX_LABEL = 30
_HOTLINE = re.compile(r"^[0-9][0-9 -]{2,19}\Z")
STALE = (
    "你打开本页之后，网站设置已被他人保存，你的修改还没有写入。下面是你填写的内容；"
    "可在新窗口打开本页对照，核对后再保存（保存将以下面的内容为准）。"
)


class SettingsView(SecureView):
    role = "admin"

    def __init__(self, folder, name: str):
        self.folder = folder
        super().__init__(
            name=name, endpoint="settings", url="/admin/settings", menu_icon_type="fa",
            menu_icon_value="fa-cogs",
        )  # fmt: skip

    # -- the form ----------------------------------------------------------------------------
    def _page(self, typed: dict | None = None, status: int = 200, **extra):
        content = self.folder.content()
        site = content.site
        typed = typed or _as_typed(site)
        notes = {  # a colour already saved that is hard to read: said, not refused
            (name, term.key): (term.color, settings.colour_problem(term.color))
            for name in settings.COLOURED
            for term in getattr(site, name).values()
            if term.color and settings.colour_problem(term.color)
        }
        page = self.render(
            "admin/settings.html",
            typed=typed,
            version=extra.pop("version", None) or settings.site_version(content.root),
            vocabularies=settings.VOCABULARIES,
            coloured=settings.COLOURED,
            scalars=SCALARS,
            blank_rows=BLANK_ROWS,
            notes=notes,
            history=_revisions(content.root)[:10],
            tz=ZoneInfo(site.timezone),
            has_errors=any(_has_errors(typed)) or bool(extra.get("blocked")),
            publishing=request.args.get("publishing", ""),
            **extra,
        )
        return page, status

    @expose("/")
    def index(self):
        return self._page()

    @expose("/save/", methods=("POST",))
    def save(self):
        form = request.form
        content = self.folder.content()
        root = content.root
        typed = _typed(form)
        if form.get("version") != settings.site_version(root):
            return self._page(typed, 409, stale=STALE)
        data, moves, blocked = _check(typed, content)
        if any(_has_errors(typed)) or blocked:
            return self._page(typed, 400, blocked=blocked, version=form.get("version"))
        user = current_user()
        old_text = settings.site_path(root).read_text(encoding="utf-8")
        final = settings.updated_text(old_text, data)
        problems = settings.check_text(root, final)
        if problems:
            return self._page(typed, 400, problems=problems, version=form.get("version"))
        if final == old_text and not moves:
            flash("网站设置没有改动，无需保存。", "info")
            return redirect(self.get_url(".index"))
        version = form["version"]
        try:
            if moves:
                version = _move(content, data, moves, version, user.name)
            settings.write_site(root, final, version, user.name)
        except writer.Conflict:  # site.yml, or an entry being moved, saved by someone else
            return self._page(typed, 409, stale=STALE)
        except writer.InvalidEntry as exc:
            said = "有条目无法移动：" + "；".join(told(p) for p in exc.problems)
            return self._page(typed, 409, stale=said)
        moved = "；".join(
            f"{len(m[1])} 篇条目从 {m[0].old} 移到 {m[0].new}" for m in moves if m[1] or m[2]
        )
        audit("save-settings", settings.SITE_FILE, moved)
        # The title, menu and footer are on every page: all of them are rendered again.
        job = publisher().start(user.name, full=True)
        audit("site-publish", getattr(job, "id", ""), settings.SITE_FILE)
        said = "已保存网站设置" + (f"（{moved}）" if moved else "")
        flash(said + "。正在重新发布整个网站…", "success")
        return redirect(self.get_url(".index", publishing=getattr(job, "id", "1")))

    # -- history -------------------------------------------------------------------------------
    @expose("/history/")
    def history_view(self):
        content = self.folder.content()
        return self.render(
            "admin/settings_history.html",
            revisions=_revisions(content.root),
            tz=ZoneInfo(content.site.timezone),
        )

    @expose("/revision/")
    def revision_view(self):
        root = self.folder.content().root
        rev = request.args.get("rev", "")
        revisions = _revisions(root)
        ids = [r.id for r in revisions]
        if rev not in ids:
            abort(404)
        text = settings.revision_text(root, rev)
        at = ids.index(rev)
        previous = settings.revision_text(root, ids[at + 1]) if at + 1 < len(ids) else None
        current = settings.site_path(root).read_text(encoding="utf-8")
        return self.render(
            "admin/entries/revision.html",
            slug="site.yml",
            rev=rev,
            revision=revisions[at],
            text=text,
            entry=_Current(settings.site_version(root)),
            changes=diff(previous, text, "上一版", "这一版"),
            against_current=diff(current, text, "现在的版本", "这一版"),
            tz=ZoneInfo(self.folder.content().site.timezone),
        )

    @expose("/restore/", methods=("POST",))
    def restore_view(self):
        content = self.folder.content()
        root = content.root
        rev = request.form.get("rev", "")
        if rev not in {r.id for r in _revisions(root)}:
            abort(404)
        text = settings.revision_text(root, rev)
        if text is None:
            abort(400)
        problems = settings.check_text(root, text)
        refusals = problems or _still_used(content, text)
        if refusals:
            flash("这一版不能恢复：" + "；".join(refusals), "danger")
            return redirect(self.get_url(".revision_view", rev=rev))
        user = current_user()
        try:
            settings.write_site(root, text, request.form.get("version", ""), user.name,
                                action="restore")  # fmt: skip
        except writer.Conflict:
            said = "网站设置在你打开这一页之后又被保存过，没有恢复；请刷新本页核对后再恢复。"
            flash(said, "danger")
            return redirect(self.get_url(".revision_view", rev=rev))
        audit("restore", settings.SITE_FILE, rev)
        job = publisher().start(user.name, full=True)
        flash(
            "已恢复网站设置到所选版本（恢复本身也记入修改记录）。正在重新发布整个网站…", "success"
        )
        return redirect(self.get_url(".index", publishing=getattr(job, "id", "1")))


class _Current:
    """What the revision page needs of "the current version": its version string."""

    def __init__(self, version: str):
        self.version = version


def _revisions(root) -> list[writer.Revision]:
    return [
        writer.Revision(c.id, c.author, c.time, c.action, c.author_name)
        for c in settings.history(root)
    ]


# -- the form's data -------------------------------------------------------------------------------
def _as_typed(site) -> dict:
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


def _typed(form) -> dict:
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


def _has_errors(typed: dict):
    yield bool(typed["errors"])
    for rows in typed["vocabularies"].values():
        yield any(row["errors"] for row in rows)
    yield any(row["errors"] for row in typed["menu"])


def _check(typed: dict, content) -> tuple[dict, list, list[dict]]:
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


def _check_vocabulary(name: str, title: str, rows: list[dict], site) -> dict:
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


def _move(content, data: dict, moves: list, version: str, author: str) -> str:
    """Move the entries of the keys going to their new keys; return site.yml's version then.

    A new key (a rename) must exist before entries can be saved with it, so site.yml is first
    saved with the new keys added and the old ones still there.
    """
    root = content.root
    text = settings.site_path(root).read_text(encoding="utf-8")
    if any(m.new not in getattr(content.site, m.vocabulary) for m, _, _ in moves):
        both = dict(data)
        for move, _, _ in moves:
            kept = getattr(content.site, move.vocabulary)[move.old]
            spec = {"label": kept.label} | ({"color": kept.color} if kept.color else {})
            both[move.vocabulary] = {**both[move.vocabulary], move.old: spec}
        version = settings.write_site(root, settings.updated_text(text, both), version, author)
        content = replace(content, site=_reread(root))
    for move, _, tally in moves:
        settings.move_entries(content, move, author)
        for year in tally:
            column = "brand" if move.vocabulary == "activity_brands" else "street"
            rows = tuple(
                replace(r, **{column: move.new}) if getattr(r, column) == move.old else r
                for r in content.tallies[year].rows
            )
            save_tally(root, replace(content.tallies[year], rows=rows))
    return version


def _reread(root):
    site, _ = read_site(settings.site_path(root))
    return site


def _still_used(content, text: str) -> list[str]:
    """Name the keys entries use that an old site.yml lacks (restoring it would break them)."""
    old = yaml.safe_load(text) or {}
    said = []
    for name, (title, _) in settings.VOCABULARIES.items():
        keys = old.get(name) or {}
        for key in getattr(content.site, name):
            used = settings.users(content, name, key) if key not in keys else []
            if used:
                titles = "、".join(f"《{e.title_text}》" for e in used[:5])
                said.append(f"{title}“{key}”那一版没有，但有 {len(used)} 篇条目在用：{titles}")
    return said
