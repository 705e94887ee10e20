"""Actions on the entries ticked in a list: submit, approve, withdraw, delete, set a street or
a news category.

Each entry meets the same checks as on its own form (role, references, what links to it, the
version it was listed at), an entry refused is named with the reason, and what changes the
site is published once at the end.
"""

from __future__ import annotations

import dataclasses

from flask import abort, flash, redirect, request
from flask_admin import expose
from flask_admin.actions import action

from ..content import Entry, workflow, writer
from . import references
from .comments import EVENTS, notes
from .publish import publisher
from .security import audit, current_user

DONE = {
    "submit": "已提交审核",
    "publish": "已批准发布",
    "unpublish": "已撤回发布",
    "delete": "已删除",
    "street": "已设置街道",
    "category": "已设置栏目",
}
# field -> (the vocabulary in site.yml it takes a key of, the kinds that have it, its label)
SETTABLE = {
    "street": ("streets", ("activities", "stations"), "街道"),
    "category": ("news_categories", ("news",), "栏目"),
}


class BulkActions:
    """Mixed into an EntryView: the list's checkboxes and its 对选中的条目 menu."""

    def is_action_allowed(self, name: str) -> bool:
        user = current_user()
        if name.startswith("set_"):  # a field only some kinds have
            field = SETTABLE.get(name.removeprefix("set_"))
            return bool(user and field and self.kind in field[1])  # type: ignore[attr-defined]
        return bool(user and user.can(workflow.ACTION_ROLES.get(name, "admin")))

    @action("submit", "提交审核")
    def action_submit(self, ids: list[str]) -> None:
        self._bulk("submit", ids)

    @action("publish", "批准发布", "确定批准发布选中的条目？它们会马上上线。")
    def action_publish(self, ids: list[str]) -> None:
        self._bulk("publish", ids)

    @action("unpublish", "撤回发布", "确定撤回发布选中的条目？")
    def action_unpublish(self, ids: list[str]) -> None:
        self._bulk("unpublish", ids)

    @action("delete", "删除", "确定删除选中的条目？删除后可在修改记录中恢复。")
    def action_delete(self, ids: list[str]) -> None:
        self._bulk("delete", ids)

    @action("set_street", "设置街道…")
    def action_set_street(self, ids: list[str]):
        return self._choose("street", ids)

    @action("set_category", "设置栏目…")
    def action_set_category(self, ids: list[str]):
        return self._choose("category", ids)

    def _choose(self, field: str, ids: list[str]):
        """Ask which street (or category) the ticked entries get."""
        vocabulary, _, label = SETTABLE[field]
        content = self.store.content()  # type: ignore[attr-defined]
        entries = [e for e in (content.get(self.kind, i) for i in ids) if e is not None]  # type: ignore[attr-defined]
        terms = list(getattr(content.site, vocabulary).values())
        return self.render(  # type: ignore[attr-defined]
            "admin/bulk_set.html", field=field, label=label, terms=terms, entries=entries,
            return_url=self.get_url(".index_view"),  # type: ignore[attr-defined]
        )  # fmt: skip

    @expose("/bulk-set/", methods=("POST",))
    def bulk_set_view(self):
        """Set the chosen street (or category) on each entry, with the checks of its form."""
        field = request.form.get("field", "")
        if field not in SETTABLE or self.kind not in SETTABLE[field][1]:  # type: ignore[attr-defined]
            abort(400)
        value = request.form.get("value", "")
        vocabulary = getattr(self.store.content().site, SETTABLE[field][0])  # type: ignore[attr-defined]
        if value not in vocabulary:
            flash(f"没有设置：请选择{SETTABLE[field][2]}。", "danger")
        else:
            self._bulk(field, request.form.getlist("ids"), value)
        return redirect(self.get_url(".index_view"))  # type: ignore[attr-defined]

    def _bulk(self, name: str, ids: list[str], value: str = "") -> None:
        """Take action ``name`` on each entry; entries it may wait on go first (approving A
        that links to B, both ticked, succeeds whatever the order)."""
        done: list[str] = []
        refused: dict[str, str] = {}
        live = False
        pending = list(dict.fromkeys(ids))
        while pending:
            waiting = []
            for slug in pending:
                content = self.store.content()  # type: ignore[attr-defined]
                entry = content.get(self.kind, slug)  # type: ignore[attr-defined]
                why = self._refusal(name, entry, content, ids, value) if entry else "已不存在"
                if why:
                    refused[slug] = why
                    if entry is not None and name == "publish" and "还没有发布" in why:
                        waiting.append(slug)
                    continue
                try:
                    live |= self._take(name, entry, value)
                except (writer.Conflict, writer.InvalidEntry):
                    refused[slug] = "刚被别人修改过，请打开它再处理"
                    continue
                refused.pop(slug, None)
                done.append(entry.title_text)
            pending = waiting if len(waiting) < len(pending) else []
        if live:
            publisher().start(current_user().name)
        if done:
            titles = "、".join(f"《{t}》" for t in done)
            site = self.store.content().site  # type: ignore[attr-defined]
            term = value and getattr(site, SETTABLE[name][0])[value].label
            said = f"{DONE[name]}“{term}”" if term else DONE[name]
            flash(f"{said} {len(done)} 条：{titles}", "success")
        if refused:
            listed = "；".join(f"{slug}：{why}" for slug, why in refused.items())
            flash(f"{len(refused)} 条没有处理——{listed}", "warning")

    def _refusal(self, name: str, entry: Entry, content, ticked: list[str], value: str = "") -> str:
        """Return why ``name`` may not be taken on ``entry`` here ('' when it may)."""
        user = current_user()
        if name in SETTABLE:
            if getattr(entry, name, None) == value:
                return "已经是这个值"
            if not user.can(workflow.role_needed("save", entry.status, entry.status)):
                return "没有权限修改已发布的条目"
            return ""
        if name == "delete":
            if not self._may_delete(entry):  # type: ignore[attr-defined]
                return "没有权限删除"
        else:
            status = workflow.next_status(name, entry.status)
            if status == entry.status or (name == "submit" and entry.status != "draft"):
                return "状态不需要改变"
            if not user.can(workflow.role_needed(name, entry.status, status)):
                return "没有权限"
            if name == "publish":
                will = dataclasses.replace(entry, status=status)
                fields = writer.fields_of(will)
                found = references.refusals(content, will, fields, entry.body, self.now())  # type: ignore[attr-defined]
                if found:
                    return found[0].message
        if name in ("unpublish", "delete") and entry.status == "published":
            others = [
                e for e in references.referrers(content, entry)
                if e.kind != entry.kind or e.slug not in ticked
            ]  # fmt: skip
            if others:
                names = "、".join(f"《{e.title_text}》" for e in others)
                return f"还被 {names} 引用：请在它的页面上一并撤回"
        return ""

    def _take(self, name: str, entry: Entry, value: str = "") -> bool:
        """Take the action; return whether what the public sees may change."""
        user, root = current_user(), self.store.content().root  # type: ignore[attr-defined]
        kind = self.kind  # type: ignore[attr-defined]
        if name in SETTABLE:
            fields = writer.fields_of(entry)
            fields[name] = value
            writer.save(root, kind, entry.slug, writer.dump(kind, fields, entry.body),
                        entry.version, user.name)  # fmt: skip
            audit("save", f"{kind}/{entry.slug}", f"批量设置{SETTABLE[name][2]}：{value}")
            return entry.status == "published"
        if name == "delete":
            writer.delete(root, kind, entry.slug, entry.version, user.name)
        else:
            fields = writer.fields_of(entry)
            fields["status"] = workflow.next_status(name, entry.status)
            text = writer.dump(kind, fields, entry.body)
            writer.save(root, kind, entry.slug, text, entry.version, user.name)
            if name in EVENTS:
                notes().add(kind, entry.slug, user.name, name)
        audit(name, f"{kind}/{entry.slug}", "批量操作")
        return entry.status == "published" or name == "publish"
