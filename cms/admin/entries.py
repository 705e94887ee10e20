"""Flask-Admin model views over the content files: list, create, edit, workflow, history.

The "model" is an Entry dataclass, the "database" is the content folder read through a
``ContentFolder`` (the build's loading and checks, kept current), and every write goes
through ``cms.content.writer`` (compare-and-swap on the version the form carried, a revision
per save, atomic files).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
from pathlib import Path

from flask import abort, current_app, flash, g, has_request_context, jsonify, redirect, request
from flask_admin import expose
from flask_admin.model import BaseModelView
from markupsafe import Markup, escape
from werkzeug.datastructures import MultiDict

from ..content import Content, Entry, slugs, workflow, writer
from ..content.model import ENTRY_CLASSES
from ..content.reader import context_for, parse_entry
from ..content.workflow import publish_state
from ..geo.coords import parse_pasted
from ..maps.tiles import OSM, tiles_for
from . import listing, merge, references, rename
from .bulk import BulkActions
from .comments import EVENTS, notes
from .comments import MAX_LENGTH as MAX_NOTE
from .diffs import diff
from .drafts import drafts
from .forms import FORMS, STATUS_LABELS, fields_from, fill, set_choices
from .live import live_state
from .preview import render_draft
from .problems import form_field, in_chinese, told
from .publish import admin_now, publisher
from .reports import reports
from .security import AdminForm, audit, current_user, require

DRAFT_BYTES = 4 * 1024 * 1024  # an autosaved form: far more than any article, far less than uploads
ACTION_LABELS = {
    "save": "已保存",
    "submit": "已提交审核",
    "publish": "已批准发布",
    "unpublish": "已撤回发布，改为草稿",
    "return": "已退回修改",
    "recall": "已撤回提交，改为草稿",
}


@functools.lru_cache(maxsize=1024)
def _published_before(root: str, kind: str, slug: str, version: str, generation: int) -> bool:
    """Tell whether the entry was ever published, once per version and content state."""
    return writer.was_published(Path(root), kind, slug)


def when(value: dt.datetime | dt.date | None, tz) -> str:  # a tzinfo
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.astimezone(tz).strftime("%Y-%m-%d %H:%M")
    return value.isoformat()


class EntryView(BulkActions, BaseModelView):
    """A list and edit pages for one kind of entry."""

    kind = ""
    form_base_class = AdminForm
    can_view_details = False
    can_export = False
    page_size = 50
    page_size_options = (20, 50, 100)
    column_searchable_list = ("title",)  # switches the search box on; search() does the work
    search_fields: tuple[str, ...] = ("title", "summary", "body")
    default_sort: tuple[str, bool] = ("date", True)
    column_labels = {"status": "状态", "title": "标题", "slug": "网址名"}

    def __init__(self, folder, name: str, icon: str = "fa-file-text-o"):
        self.store = folder
        super().__init__(
            ENTRY_CLASSES[self.kind],
            name=name,
            endpoint=self.kind,
            url=f"/admin/{self.kind}",
            menu_icon_type="fa",
            menu_icon_value=icon,
        )

    # helpers
    def content(self) -> Content:
        """Return the content, refreshed once per request (list cells ask for it many times)."""
        if not has_request_context():
            return self.store.content()
        if "yizhan_content" not in g:
            g.yizhan_content = self.store.content()
        return g.yizhan_content

    @property
    def tz(self):
        return context_for(self.content().site).tz

    def now(self) -> dt.datetime:
        return admin_now(self.tz)

    def is_accessible(self) -> bool:
        return current_user() is not None

    @property
    def can_delete(self) -> bool:  # type: ignore[override]
        user = current_user()
        return bool(user and user.can(workflow.ACTION_ROLES["delete"]))

    # Flask-Admin's data API
    def get_pk_value(self, model: Entry) -> str:
        return model.slug

    def scaffold_list_columns(self) -> list[str]:
        return list(self.column_list or ["title", "status"])

    def scaffold_sortable_columns(self) -> dict[str, str]:
        return {c: c for c in self.scaffold_list_columns()}

    def init_search(self) -> bool:
        return True

    def search_placeholder(self) -> str:
        return "搜索标题、摘要、正文"

    def scaffold_filters(self, name):
        return None

    def scaffold_form(self):
        return FORMS[self.kind]

    def scaffold_list_form(self, widget=None, validators=None):
        return None

    def _vocabulary(self, name: str):
        return lambda: [(t.key, t.label) for t in getattr(self.content().site, name).values()]

    def _get_filter_groups(self):
        self._refresh_filters_cache()  # vocabulary options follow site.yml while running
        return super()._get_filter_groups()

    def get_list(self, page, sort_field, sort_desc, search, filters, page_size=None):
        entries = list(self.content().entries.get(self.kind, {}).values())
        if search:
            entries = listing.search(entries, search, self.search_fields)
        for index, _name, value in filters or []:
            flt = self._filters[index]
            entries = flt.apply(entries, flt.clean(value))
        if sort_field:
            entries = listing.sort(entries, sort_field, bool(sort_desc))
        else:
            entries = listing.sort(entries, *self.default_sort)
        size = page_size or self.page_size
        start = (page or 0) * size
        return len(entries), entries[start : start + size]

    def get_one(self, id: str) -> Entry | None:  # noqa: A002 - Flask-Admin's name
        return self.content().get(self.kind, id)

    def create_model(self, form):  # writes happen in _submit
        return False

    def update_model(self, form, model):
        return False

    def delete_model(self, model):
        return False

    # list cells
    def _format_status(self, context, model: Entry, name: str) -> Markup:
        state = publish_state(model, self.now())
        if state == "scheduled":
            text = f"定时发布 {when(model.publish_at, self.tz)}"
        elif state == "expired":
            text = f"已定时撤下 {when(model.unpublish_at, self.tz)}"
        else:
            text = STATUS_LABELS.get(model.status, model.status)
            if state == "published" and model.unpublish_at:
                text += f"（{when(model.unpublish_at, self.tz)} 撤下）"
        return Markup('<span class="badge status-{}">{}</span>').format(state, text)

    def _format_term(self, vocabulary: str):
        def format_(view, context, model, name):
            key = getattr(model, name, "")
            term = getattr(self.content().site, vocabulary).get(key)
            return term.label if term else key

        return format_

    def _format_when(self, view, context, model, name):
        return when(getattr(model, name, None), self.tz)

    def _format_title(self, view, context, model, name):
        url = self.get_url(".edit_view", id=model.slug)
        return Markup('<a href="{}">{}</a><br><small class="text-muted">{}</small>').format(
            url, model.title_text, model.slug
        )

    @property
    def column_formatters(self):
        return {
            "status": lambda v, c, m, n: self._format_status(c, m, n),
            "title": self._format_title,
            "name": self._format_title,
            **self.term_columns(),
            **{c: self._format_when for c in ("date", "starts_at", "verified_at")},
        }

    def term_columns(self) -> dict:
        return {}

    # pages
    @expose("/new/", methods=("GET", "POST"))
    def create_view(self):
        content = self.content()
        form = self._restored(content, "") or self._form(content)
        if request.method == "GET" and not g.get("draft_restored"):
            form.body.data = ""
            if self.kind == "news":
                form.date.data = self.now().replace(tzinfo=None, second=0, microsecond=0)
        else:
            invented = not (form.slug.data or "").strip()
            if invented:
                title = request.form.get("title") or request.form.get("name") or ""
                taken = content.entries.get(self.kind, {})
                form.slug.data = slugs.suggest(title, taken, self.kind)
            if not form.validate():
                self._check_the_rest(form, None, content)
            else:
                response = self._submit(form, None, content)
                if response is not None:
                    return response
            if invented and not form.slug.errors:  # a refused save never invents a name
                form.slug.data = ""
        return self._render_form(form, None)

    @expose("/edit/", methods=("GET", "POST"))
    def edit_view(self):
        slug = request.args.get("id", "")
        content = self.content()
        entry = content.get(self.kind, slug)
        if entry is None:
            return self._missing(slug, content)
        form = self._restored(content, slug) or self._form(content)
        if request.method == "GET" and not g.get("draft_restored"):
            fill(form, entry, self.tz)
        else:
            wanted = (form.slug.data or "").strip()
            if not wanted or not self._slug_editable(entry):
                form.slug.data = entry.slug  # once published, the address stays
            if (form.version.data or "") != entry.version:
                return self._conflict(
                    entry.slug, form.version.data or "", self._text_of(form, entry)
                )
            if form.validate():
                response = self._submit(form, entry, content)
                if response is not None:
                    return response
            else:
                self._check_the_rest(form, entry, content)
        return self._render_form(form, entry)

    def _restored(self, content: Content, slug: str):  # an EntryForm or None
        """Return the form filled from the editor's autosaved draft when they asked for it."""
        if request.method != "GET" or not request.args.get("draft"):
            return None
        draft = drafts().get(current_user().name, self.kind, slug)
        if draft is None:
            return None
        g.draft_restored = draft
        return self._form(content, draft.form())

    def _draft_offer(self, entry: Entry | None) -> dict | None:
        """Say what the banner offers: the draft's time, whether it was restored, and whether
        the entry was saved since (then a save shows both versions to compare)."""
        draft = g.get("draft_restored") or drafts().get(
            current_user().name, self.kind, entry.slug if entry else ""
        )
        if draft is None:
            return None
        saved, today = draft.saved_at(self.tz), self.now().astimezone(self.tz).date()
        return {
            "time": saved.strftime("%H:%M" if saved.date() == today else "%-m月%-d日 %H:%M"),
            "restored": bool(g.get("draft_restored")),
            "stale": entry is not None and draft.version != entry.version,
        }

    def _form(self, content: Content, data=None):  # data: form data, a MultiDict
        if data is None and request.method == "POST":
            data = request.form
        form = FORMS[self.kind](data)
        stations = [
            (s.slug, s.title_text)
            for s in sorted(content.entries.get("stations", {}).values(), key=lambda s: s.slug)
        ]
        set_choices(form, self.kind, content.site, stations)
        return form

    def _render_form(self, form, entry: Entry | None):
        user = current_user()
        locked = entry is not None and not user.can(
            workflow.role_needed("save", entry.status, entry.status)
        )
        state = publish_state(entry, self.now()) if entry else "draft"
        return self.render(
            "admin/entries/edit.html",
            notes=notes().of(self.kind, entry.slug) if entry else [],
            reports=reports().listed(entry.slug, open_only=True)
            if entry and self.kind == "stations"
            else [],
            slug_editable=entry is None or self._slug_editable(entry),
            tz=self.tz,
            may_delete=entry is not None and self._may_delete(entry),
            live=self._live(entry) if entry else None,
            publishing=request.args.get("publishing", ""),
            ahead=entry is not None
            and any((a["kind"], a["slug"]) == (self.kind, entry.slug) for a in publisher().ahead()),
            draft=None if locked else self._draft_offer(entry),
            form=form,
            entry=entry,
            kind=self.kind,
            locked=locked,
            state=state,
            state_label=self._format_status(None, entry, "status") if entry else "新建",
            site=self.content().site,
            tiles=self._tiles(),
            return_url=self.get_url(".index_view"),
        )

    def _live(self, entry: Entry):  # a live.LiveState
        """Return what the public sees of ``entry`` (its page in the live release)."""
        config = current_app.config
        return live_state(
            entry,
            config["YIZHAN_CONTENT"],
            config["YIZHAN_OUTPUT"],
            config["YIZHAN_SITE_URL"],
            self.now(),
            was_live=entry.status != "published" and self._was_published(entry),
        )

    def _slug_editable(self, entry: Entry) -> bool:
        """A file name may change until the entry is first published (then it is an address)."""
        return entry.status != "published" and not self._was_published(entry)

    def _was_published(self, entry: Entry) -> bool:
        """Tell whether any version of the entry was published (git: asked once per content
        state, since a form's GET, its POST and its checks all ask)."""
        root = str(self.content().root)
        return _published_before(root, self.kind, entry.slug, entry.version, self.store.generation)

    def _tiles(self):
        try:
            return tiles_for(self.content().site.map)
        except ValueError:
            return OSM

    def _text_of(self, form, entry: Entry | None, status: str | None = None) -> str:
        """Return the file text the form describes (used for saving and for the conflict page)."""
        fields = writer.fields_of(entry) if entry else {}
        # An invalid form: keep what can be kept; the body is what matters here.
        with contextlib.suppress(TypeError, ValueError, AttributeError):
            fields.update(fields_from(form, self.kind, self.tz))
        fields["status"] = status or (entry.status if entry else "draft")
        return writer.dump(self.kind, fields, request.form.get("body", ""))

    def _submit(self, form, entry: Entry | None, content: Content):
        user = current_user()
        action = request.form.get("action", "save")
        if action not in workflow.ACTIONS:
            abort(400)
        status = workflow.next_status(action, entry.status if entry else None)
        require(workflow.role_needed(action, entry.status if entry else None, status))
        if action in workflow.FROM_REVIEW and (entry is None or entry.status != "review"):
            abort(400)
        reason = request.form.get("reason", "").strip()
        if action == "return" and not reason:
            flash("退回修改请写明理由：撰稿人会在稿件上看到。", "danger")
            return None
        if action == "return" and len(reason) > MAX_NOTE:
            g.reason_error = f"退回理由：最多 {MAX_NOTE} 个字，现在有 {len(reason)} 个，请删短一些"
            return None
        slug = form.slug.data if entry is None or self._slug_editable(entry) else entry.slug
        renamed = entry is not None and slug != entry.slug
        if entry is None or renamed:
            refused = slugs.refusal(self.kind, slug)
            if slug in content.entries.get(self.kind, {}) or refused == slugs.RESERVED:
                form.slug.errors.append("这个网址名已被使用，请换一个")
            elif refused == slugs.YEAR:
                form.slug.errors.append("新闻的网址名不能全是数字（会与年份列表冲突），请加上字母")
            if form.slug.errors:
                self._check_the_rest(form, entry, content)
                return None
        fields = writer.fields_of(entry) if entry else {}
        fields.update(fields_from(form, self.kind, self.tz))
        if not user.can(workflow.SCHEDULE_ROLE):  # writers neither schedule nor unschedule
            fields["publish_at"] = entry.publish_at if entry else None
            fields["unpublish_at"] = entry.unpublish_at if entry else None
        fields["status"] = status
        text = writer.dump(self.kind, fields, form.body.data or "")
        expected = entry.version if entry and not renamed else None
        if action == "unpublish" and entry is not None and entry.status == "published":
            going = references.referrers(content, entry)
            if going:
                return self._referenced(entry, going, "unpublish")
        elif self._refuse_references(form, slug, text, fields, content):
            return None
        try:
            writer.save(content.root, self.kind, slug, text, expected, user.name)
        except writer.Conflict:
            if entry is None or renamed:
                form.slug.errors.append("这个网址名刚被别人用了，请换一个")
                return None
            return self._conflict(slug, expected, text)
        except writer.InvalidEntry as exc:
            for problem in exc.problems:
                target = self._field_of(form, problem) or form.body
                target.errors = [*target.errors, in_chinese(problem)]
            return None
        drafts().drop(user.name, self.kind, slug, entry.slug if entry else "")
        if renamed:  # the draft moves to its new name: the old file goes (kept in history)
            try:
                writer.delete(content.root, self.kind, entry.slug, entry.version, user.name)
            except writer.Conflict:
                flash(f"旧网址名 {entry.slug} 的文件刚被别人改过，没有删除，请检查。", "warning")
            audit("rename", f"{self.kind}/{entry.slug}", slug)
        audit(action if entry else "create", f"{self.kind}/{slug}", STATUS_LABELS[status])
        if action in EVENTS:
            notes().add(self.kind, slug, user.name, action, reason)
        title = fields.get("title") or fields.get("name")
        if "published" not in (entry.status if entry else None, status):
            flash(f"{ACTION_LABELS[action]}：{title}", "success")
            return redirect(self.get_url(".edit_view", id=slug))
        # What the public sees changes: publish now, through the warm builder.
        job = publisher().start(user.name)
        audit("site-publish", job.id, f"{self.kind}/{slug}")
        flash(f"{ACTION_LABELS[action]}：{title}。正在更新网站…", "success")
        return redirect(self.get_url(".edit_view", id=slug, publishing=job.id))

    def _refuse_references(
        self, form, slug: str, text: str, fields: dict, content: Content
    ) -> bool:
        """Name at its field each link to something missing or not published; True if any."""
        label = f"content/{self.kind}/{slug}.md"
        new, _ = parse_entry(text.encode(), self.kind, slug, context_for(content.site), label)
        if new is None:  # the save refuses it field by field
            return False
        found = references.refusals(content, new, fields, new.body, self.now())
        for refusal in found:
            target = form._fields.get(refusal.field) or form.body
            target.errors = [*target.errors, refusal.message]
        return bool(found)

    def _referenced(self, entry: Entry, going: list[Entry], then: str):
        """Refuse to withdraw or delete what live entries point at; offer to do them together."""
        return self.render(
            "admin/entries/referenced.html",
            entry=entry,
            going=going,
            then=then,
            kinds=references.KIND_NAMES,
        ), 409

    @expose("/withdraw/", methods=("POST",))
    def withdraw_view(self):
        """Withdraw (or delete) an entry together with the live entries that point at it."""
        content = self.content()
        slug, then = request.form.get("id", ""), request.form.get("then", "unpublish")
        entry = content.get(self.kind, slug) or abort(404)
        if then not in ("unpublish", "delete"):
            abort(400)
        require(workflow.ACTION_ROLES[then])
        require(workflow.role_needed("unpublish", entry.status, "draft"))
        if (request.form.get("version") or "") != entry.version:
            flash("没有生效：这个条目刚被别人修改过，请重新打开后再决定。", "danger")
            return redirect(self.get_url(".edit_view", id=slug))
        user = current_user()
        withdrawn = []
        for other in references.referrers(content, entry):
            try:
                unlinked = _withdrawn(
                    other, slug if then == "delete" and self.kind == "stations" else ""
                )
                writer.save(content.root, other.kind, other.slug, unlinked,
                            other.version, user.name)  # fmt: skip
            except (writer.Conflict, writer.InvalidEntry):
                flash(f"《{other.title_text}》刚被别人修改过，没有撤回；请打开它处理。", "warning")
                continue
            audit("unpublish", f"{other.kind}/{other.slug}", "一并撤回")
            withdrawn.append(other.title_text)
        try:
            if then == "delete":
                writer.delete(content.root, self.kind, slug, entry.version, user.name)
            else:
                writer.save(
                    content.root, self.kind, slug, _withdrawn(entry), entry.version, user.name
                )
        except (writer.Conflict, writer.InvalidEntry):
            flash("没有生效：这个条目刚被别人修改过，请重新打开后再决定。", "danger")
            return redirect(self.get_url(".edit_view", id=slug))
        audit(then, f"{self.kind}/{slug}", entry.title_text)
        done = "已删除" if then == "delete" else "已撤回发布"
        also = f"；一并撤回：{'、'.join(f'《{t}》' for t in withdrawn)}" if withdrawn else ""
        flash(f"{done}《{entry.title_text}》{also}。正在更新网站…", "success")
        job = publisher().start(user.name)
        if then == "delete":
            return redirect(self.get_url(".index_view"))
        return redirect(self.get_url(".edit_view", id=slug, publishing=job.id))

    @staticmethod
    def _field_of(form, problem):  # a form field or None
        name = form_field(problem.field)
        return form.lat if name == "location" else form._fields.get(name)

    def _check_the_rest(self, form, entry: Entry | None, content: Content) -> None:
        """The form's own checks failed: run the content checks too, so that one submit names
        every problem rather than one stage at a time. Only fields with no error yet are told
        (a refused field would be named twice), and only when every field could be read (a
        value the form refused must not make a good field look wrong)."""
        fields = writer.fields_of(entry) if entry else {}
        try:
            fields.update(fields_from(form, self.kind, self.tz))
        except (TypeError, ValueError, AttributeError):
            return
        action = request.form.get("action", "save")
        action = action if action in workflow.ACTIONS else "save"
        fields["status"] = workflow.next_status(action, entry.status if entry else None)
        slug = entry.slug if entry else (form.slug.data or "")
        if form.slug.errors:
            slug = "preview"  # any good name: the file is not written
        text = writer.dump(self.kind, fields, form.body.data or "")
        for problem in writer.validate(content.root, self.kind, slug, text):
            target = self._field_of(form, problem)
            if target is not None and not target.errors and target.name != "slug":
                target.errors = [*target.errors, in_chinese(problem)]

    def _conflict(self, slug: str, expected: str, mine: str):
        root = self.content().root
        path = writer.entry_path(root, self.kind, slug)
        current = path.read_text(encoding="utf-8") if path.exists() else None
        base = None
        others = []
        for revision in writer.history(root, self.kind, slug):
            text = writer.revision_text(root, self.kind, slug, revision.id)
            if text is not None and writer.version_of(text.encode()) == expected:
                base = text
                break
            others.append(revision)
        audit("conflict", f"{self.kind}/{slug}")
        fields = (
            merge.choices(self.kind, base, current, mine, self.content().site, self.tz)
            if current is not None
            else []
        )
        body = self.render(
            "admin/entries/conflict.html",
            slug=slug,
            current=current,
            version=writer.version_of(current.encode()) if current is not None else "",
            base_version=expected,
            mine=mine,
            others=others,
            fields=[f for f in fields if f.name != merge.BODY],
            body=next((f for f in fields if f.name == merge.BODY), None),
            rows=merge.side_by_side(merge.Sides.of(current).body, merge.Sides.of(mine).body),
            edit_url=self.get_url(".edit_view", id=slug),
            tz=self.tz,
        )
        return body, 409

    @expose("/merge/", methods=("POST",))
    def merge_view(self):
        """Save the merge chosen on the conflict page: the other save, with the fields taken
        from yours; the same checks as a save, and a publish when what is live changes."""
        content, user = self.content(), current_user()
        slug, mine = request.form.get("id", ""), request.form.get("mine", "")
        entry = content.get(self.kind, slug)
        if entry is None:
            flash("没有合并：这个条目已被删除，请复制你的版本另建。", "danger")
            return redirect(self.get_url(".index_view"))
        if request.form.get("version", "") != entry.version:  # saved again meanwhile
            return self._conflict(slug, request.form.get("base", ""), mine)
        theirs = writer.entry_path(content.root, self.kind, slug).read_text(encoding="utf-8")
        taken = {
            key.removeprefix("take-"): value
            for key, value in request.form.items()
            if key.startswith("take-")
        }
        if not user.can(workflow.SCHEDULE_ROLE):  # writers neither schedule nor unschedule
            taken.pop("publish_at", None)
            taken.pop("unpublish_at", None)
        text = merge.merged(self.kind, theirs, mine, taken)
        new, problems = parse_entry(
            text.encode(), self.kind, slug, context_for(content.site), f"content/{entry.source}"
        )
        if new is None or problems:
            flash("合并的结果没有通过检查，没有保存：" + "；".join(map(told, problems)), "danger")
            return self._conflict(slug, request.form.get("base", ""), mine)
        require(workflow.role_needed("save", entry.status, new.status))
        refused = references.refusals(content, new, writer.fields_of(new), new.body, self.now())
        if refused:
            flash("没有保存：" + "；".join(r.message for r in refused), "danger")
            return self._conflict(slug, request.form.get("base", ""), mine)
        try:
            writer.save(content.root, self.kind, slug, text, entry.version, user.name)
        except writer.Conflict:
            return self._conflict(slug, request.form.get("base", ""), mine)
        audit("merge", f"{self.kind}/{slug}", STATUS_LABELS.get(new.status, new.status))
        if "published" not in (entry.status, new.status):
            flash(f"已合并并保存：{new.title_text}", "success")
            return redirect(self.get_url(".edit_view", id=slug))
        job = publisher().start(user.name)
        flash(f"已合并并保存：{new.title_text}。正在更新网站…", "success")
        return redirect(self.get_url(".edit_view", id=slug, publishing=job.id))

    def _missing(self, slug: str, content: Content):
        problems = [p for p in content.problems if p.path == f"content/{self.kind}/{slug}.md"]
        if not problems:
            flash("没有这个条目，可能已被删除。", "warning")
            return redirect(self.get_url(".index_view"))
        return self.render("admin/entries/broken.html", slug=slug, problems=problems), 422

    def _may_delete(self, entry: Entry) -> bool:
        """Editors delete anything; a writer deletes a draft they made themselves."""
        user = current_user()
        if user.can(workflow.ACTION_ROLES["delete"]):
            return True
        if entry.status != "draft" or not user.can(workflow.OWN_DRAFT_ROLE):
            return False
        made = writer.history(self.content().root, self.kind, entry.slug)
        return bool(made) and made[-1].author == user.name

    @expose("/rename/", methods=("POST",))
    def rename_view(self):
        """修改网址: move an entry to a new name; its old address redirects to the new one."""
        content, user = self.content(), current_user()
        slug = request.form.get("id", "")
        entry = content.get(self.kind, slug) or abort(404)
        require(workflow.role_needed("save", entry.status, entry.status))
        new = request.form.get("new_slug", "").strip()
        if (request.form.get("version") or "") != entry.version:
            flash("没有修改网址：这个条目刚被别人修改过，请重新打开后再改。", "danger")
            return redirect(self.get_url(".edit_view", id=slug))
        try:
            repointed = rename.rename(content, entry, new, user.name)
        except rename.RenameRefused as exc:
            flash(f"没有修改网址：{exc}", "danger")
            return redirect(self.get_url(".edit_view", id=slug) + "#rename-form")
        except writer.Conflict:
            flash("没有修改网址：这个条目刚被别人修改过，请重新打开后再改。", "danger")
            return redirect(self.get_url(".edit_view", id=slug))
        audit("rename", f"{self.kind}/{slug}", new)
        also = "、".join(f"《{e.title_text}》" for e in repointed)
        said = f"网址已改为 {new}，旧网址会自动跳转到新网址。" + (
            f"已把 {also} 里的链接改到新网址。" if also else ""
        )
        if entry.status != "published":
            flash(said, "success")
            return redirect(self.get_url(".edit_view", id=new))
        job = publisher().start(user.name)
        flash(said + "正在更新网站…", "success")
        return redirect(self.get_url(".edit_view", id=new, publishing=job.id))

    @expose("/comment/", methods=("POST",))
    def comment_view(self):
        require(workflow.ACTION_ROLES["comment"])
        slug = request.form.get("id", "")
        entry = self.content().get(self.kind, slug) or abort(404)
        text = request.form.get("text", "").strip()
        if not text:
            flash("评论是空的，没有发出。", "warning")
        elif len(text) > MAX_NOTE:  # never cut: the form is shown again with the text in its box
            said = f"评论最多 {MAX_NOTE} 个字，现在有 {len(text)} 个：没有发出，请删短一些。"
            flash(said, "danger")
            g.comment_kept = text
            form = self._form(self.content(), MultiDict())
            fill(form, entry, self.tz)
            return self._render_form(form, entry)
        else:
            notes().add(self.kind, entry.slug, current_user().name, "comment", text)
            audit("comment", f"{self.kind}/{slug}")
            flash("评论已发出。", "success")
        return redirect(self.get_url(".edit_view", id=slug) + "#notes")

    @expose("/delete/", methods=("POST",))
    def delete_view(self):
        slug = request.form.get("id", "")
        entry = self.content().get(self.kind, slug) or abort(404)
        if not self._may_delete(entry):
            abort(403)
        version = request.form.get("version") or entry.version
        if entry.status == "published":
            going = references.referrers(self.content(), entry)
            if going:
                return self._referenced(entry, going, "delete")
        try:
            writer.delete(self.content().root, self.kind, slug, version, current_user().name)
        except writer.Conflict:
            flash("删除失败：这个条目刚被别人修改过，请重新打开后再决定。", "danger")
            return redirect(self.get_url(".edit_view", id=slug))
        audit("delete", f"{self.kind}/{slug}", entry.title_text)
        flash(f"已删除：{entry.title_text}（可在修改记录中恢复）", "success")
        if entry.status == "published":
            publisher().start(current_user().name)  # its page goes too
        return redirect(self.get_url(".index_view"))

    @expose("/history/")
    def history_view(self):
        slug = request.args.get("id", "")
        root = self.content().root
        try:
            revisions = writer.history(root, self.kind, slug)
        except ValueError:
            abort(404)
        entry = self.content().get(self.kind, slug)
        if not revisions and entry is None:
            abort(404)
        return self.render(
            "admin/entries/history.html", slug=slug, entry=entry, revisions=revisions, tz=self.tz
        )

    @expose("/revision/")
    def revision_view(self):
        slug, rev = request.args.get("id", ""), request.args.get("rev", "")
        root = self.content().root
        try:
            text = writer.revision_text(root, self.kind, slug, rev)
        except (KeyError, ValueError):
            abort(404)
        revisions = writer.history(root, self.kind, slug)
        ids = [r.id for r in revisions]
        previous = None
        if rev in ids and ids.index(rev) + 1 < len(ids):
            previous = writer.revision_text(root, self.kind, slug, ids[ids.index(rev) + 1])
        entry = self.content().get(self.kind, slug)
        current = writer.entry_path(root, self.kind, slug)
        current_text = current.read_text(encoding="utf-8") if current.exists() else None
        return self.render(
            "admin/entries/revision.html",
            slug=slug,
            rev=rev,
            revision=next((r for r in revisions if r.id == rev), None),
            text=text,
            entry=entry,
            changes=diff(previous, text, "上一版", "这一版"),
            against_current=diff(current_text, text, "现在的版本", "这一版"),
            tz=self.tz,
        )

    @expose("/restore/", methods=("POST",))
    def restore_view(self):
        slug, rev = request.form.get("id", ""), request.form.get("rev", "")
        content = self.content()
        root = content.root
        user = current_user()
        try:
            text = writer.revision_text(root, self.kind, slug, rev)
        except (KeyError, ValueError):
            abort(404)
        if text is None:
            abort(400)
        entry = content.get(self.kind, slug)
        # A revision that no longer parses is refused by the save below, whoever asks.
        old, _ = parse_entry(text.encode(), self.kind, slug, context_for(content.site), rev)
        require(
            workflow.role_needed(
                "restore", entry.status if entry else None, old.status if old else None
            )
        )
        expected = request.form.get("version") or None
        try:
            writer.restore(root, self.kind, slug, rev, expected, user.name)
        except writer.Conflict:
            return self._conflict(slug, expected or "", text)
        except writer.InvalidEntry as exc:
            flash(
                "这一版已不符合现在的格式，无法恢复：" + "；".join(map(told, exc.problems)),
                "danger",
            )
            return redirect(self.get_url(".history_view", id=slug))
        audit("restore", f"{self.kind}/{slug}", rev)
        flash("已恢复到所选版本（恢复本身也记入修改记录）。", "success")
        return redirect(self.get_url(".edit_view", id=slug))

    @expose("/preview/", methods=("GET", "POST"))
    def preview_view(self):
        content = self.content()
        if request.method == "GET":
            entry = content.get(self.kind, request.args.get("id", "")) or abort(404)
        else:
            form = self._form(content)
            original = content.get(self.kind, request.args.get("id", ""))
            if not form.slug.data:
                form.slug.data = original.slug if original else "preview"
            form.validate()
            text = self._text_of(form, original, status="published")
            slug = form.slug.data if not form.slug.errors else "preview"
            entry, problems = parse_entry(
                text.encode(), self.kind, slug, context_for(content.site), "预览"
            )
            if entry is None:
                items = "".join(f"<li>{escape(told(p))}</li>" for p in problems)
                return (
                    f'<!doctype html><meta charset="utf-8"><title>预览</title>'
                    f'<div style="font:14px sans-serif;padding:1rem;color:#842029">'
                    f"还不能预览，请先补全：<ul>{items}</ul></div>"
                ), 200
        status, html = render_draft(content, entry, self.now(), request.script_root)
        return html, 200 if status == 200 else status

    @expose("/autosave/", methods=("POST",))
    def autosave_view(self):
        """Keep the form as the editor's draft (never the entry's file); answer its time."""
        slug = request.args.get("id", "")
        if slug and self.content().get(self.kind, slug) is None:
            abort(404)
        if (request.content_length or 0) > DRAFT_BYTES:
            return jsonify(error="内容太长，没有自动保存；请先保存一次"), 413
        saved = drafts().keep(current_user().name, self.kind, slug, request.form.items(multi=True))
        return jsonify(saved=dt.datetime.fromtimestamp(saved, self.tz).strftime("%H:%M"))

    @expose("/draft/discard/", methods=("POST",))
    def discard_draft_view(self):
        slug = request.args.get("id", "")
        drafts().drop(current_user().name, self.kind, slug)
        flash("已丢弃自动保存的草稿。", "info")
        back = self.get_url(".edit_view", id=slug) if slug else self.get_url(".create_view")
        return redirect(back)

    @expose("/slug/")
    def slug_view(self):
        taken = self.content().entries.get(self.kind, {})
        return jsonify(slug=slugs.suggest(request.args.get("title", ""), taken, self.kind))

    @expose("/coords/")
    def coords_view(self):
        try:
            lat, lng = parse_pasted(request.args.get("text", ""), request.args.get("crs", "gcj02"))
        except ValueError:
            return jsonify(error="看不懂这个坐标：请粘贴“经度,纬度”，如 114.0652,22.6301"), 400
        return jsonify(lat=round(lat, 6), lng=round(lng, 6))


class NewsView(EntryView):
    kind = "news"
    column_list = ("title", "category", "date", "status", "author")
    column_labels = {
        **EntryView.column_labels,
        "category": "栏目",
        "date": "日期",
        "author": "作者",
    }
    search_fields = ("title", "summary", "body", "tags", "author")
    default_sort = ("date", True)

    def term_columns(self) -> dict:
        return {"category": self._format_term("news_categories")}

    def get_filters(self):
        return [
            listing.status_filter(self.now),
            listing.term_filter("栏目", "category", self._vocabulary("news_categories")),
            listing.text_filter("标签", "tags"),
            listing.DateFilter("日期", "date", after=True),
            listing.DateFilter("日期", "date", after=False),
        ]


class ActivityView(EntryView):
    kind = "activities"
    column_list = ("title", "brand", "street", "starts_at", "status")
    column_labels = {
        **EntryView.column_labels,
        "brand": "品牌",
        "street": "街道",
        "starts_at": "开始时间",
    }
    search_fields = ("title", "summary", "body", "venue")
    default_sort = ("starts_at", True)

    def term_columns(self) -> dict:
        return {
            "brand": self._format_term("activity_brands"),
            "street": self._format_term("streets"),
        }

    def get_filters(self):
        return [
            listing.status_filter(self.now),
            listing.term_filter("品牌", "brand", self._vocabulary("activity_brands")),
            listing.term_filter("街道", "street", self._vocabulary("streets")),
            listing.DateFilter("开始日期", "starts_at", after=True),
            listing.DateFilter("开始日期", "starts_at", after=False),
        ]


class StationView(EntryView):
    kind = "stations"
    column_list = ("name", "type", "street", "verified_at", "status")
    column_labels = {
        **EntryView.column_labels,
        "name": "名称",
        "type": "类型",
        "street": "街道",
        "verified_at": "核实日期",
    }
    search_fields = ("name", "address", "summary", "body", "phone")
    default_sort = ("street", False)

    def term_columns(self) -> dict:
        return {"type": self._format_term("station_types"), "street": self._format_term("streets")}

    def get_filters(self):
        return [
            listing.status_filter(self.now),
            listing.term_filter("类型", "type", self._vocabulary("station_types")),
            listing.term_filter("街道", "street", self._vocabulary("streets")),
            listing.term_filter("服务设施", "amenities", self._vocabulary("amenities")),
            listing.DateFilter("核实日期", "verified_at", after=True),
            listing.DateFilter("核实日期", "verified_at", after=False),
        ]


class PageView(EntryView):
    kind = "pages"
    column_list = ("title", "order", "status")
    column_labels = {**EntryView.column_labels, "order": "顺序"}
    default_sort = ("order", False)

    def get_filters(self):
        return [listing.status_filter(self.now)]


def _withdrawn(entry: Entry, deleted_station: str = "") -> str:
    """Return the text of ``entry`` turned back into a draft, unlinked from a deleted station."""
    fields = writer.fields_of(entry)
    fields["status"] = workflow.next_status("unpublish", entry.status)
    if deleted_station and fields.get("station") == deleted_station:
        fields["station"] = None
    return writer.dump(entry.kind, fields, entry.body)
