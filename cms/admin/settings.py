"""网站设置, for admins: the site's title and contact details, vocabularies and menu.

What is saved goes into content/site.yml as a commit by the admin, then the whole site is
published again (every page shows the title, menu and footer). A key that entries use is never
removed or renamed from under them: the form names those entries and moves them in the same save.
"""

from __future__ import annotations

from dataclasses import replace
from zoneinfo import ZoneInfo

import yaml
from flask import abort, flash, redirect, request
from flask_admin import expose

from ..content import settings, writer
from ..content.reader import read_site
from ..content.tally import save as save_tally
from .diffs import diff
from .problems import told
from .publish import publisher
from .security import SecureView, audit, current_user
from .settings_form import SCALARS, as_typed, check, has_errors, typed_from

BLANK_ROWS = 3  # empty rows under each table, to add items without a script
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
        typed = typed or as_typed(site)
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
            has_errors=has_errors(typed) or bool(extra.get("blocked")),
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
        typed = typed_from(form)
        if form.get("version") != settings.site_version(root):
            return self._page(typed, 409, stale=STALE)
        data, moves, blocked = check(typed, content)
        if has_errors(typed) or blocked:
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
