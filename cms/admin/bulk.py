"""Actions on the entries ticked in a list: submit, approve, withdraw, delete.

Each entry meets the same checks as on its own form (role, references, what links to it, the
version it was listed at), an entry refused is named with the reason, and what changes the
site is published once at the end.
"""

from __future__ import annotations

import dataclasses

from flask import flash
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
}


class BulkActions:
    """Mixed into an EntryView: the list's checkboxes and its 对选中的条目 menu."""

    def is_action_allowed(self, name: str) -> bool:
        user = current_user()
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

    def _bulk(self, name: str, ids: list[str]) -> None:
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
                why = "已不存在" if entry is None else self._refusal(name, entry, content, ids)
                if why:
                    refused[slug] = why
                    if entry is not None and name == "publish" and "还没有发布" in why:
                        waiting.append(slug)
                    continue
                try:
                    live |= self._take(name, entry)
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
            flash(f"{DONE[name]} {len(done)} 条：{titles}", "success")
        if refused:
            listed = "；".join(f"{slug}：{why}" for slug, why in refused.items())
            flash(f"{len(refused)} 条没有处理——{listed}", "warning")

    def _refusal(self, name: str, entry: Entry, content, ticked: list[str]) -> str:
        """Return why ``name`` may not be taken on ``entry`` here ('' when it may)."""
        user = current_user()
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

    def _take(self, name: str, entry: Entry) -> bool:
        """Take the action; return whether what the public sees may change."""
        user, root = current_user(), self.store.content().root  # type: ignore[attr-defined]
        kind = self.kind  # type: ignore[attr-defined]
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
