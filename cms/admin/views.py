"""The admin's menu: home, entry views, media, ledger, publishing, users and the audit log."""

from __future__ import annotations

import datetime as dt

from flask import current_app, request
from flask_admin import Admin, AdminIndexView, BaseView, expose
from flask_admin.babel import lazy_gettext as _
from flask_admin.menu import MenuLink

from .entries import ActivityView, NewsView, PageView, StationView
from .index import ContentIndex
from .listing import state
from .preview import SitePreview
from .security import current_user


class SecureView(BaseView):
    """A view any logged-in user may open (``role`` raises the bar; others get 403)."""

    role = "writer"

    def is_accessible(self) -> bool:
        user = current_user()
        return user is not None and user.can(self.role)

    def is_visible(self) -> bool:
        return self.is_accessible()

    def inaccessible_callback(self, name, **kwargs):
        from flask import abort

        abort(403)


class HomeView(AdminIndexView):
    """What needs doing: entries awaiting review, scheduled ones, my drafts, broken files."""

    def __init__(self, index: ContentIndex):
        self.store = index
        super().__init__(
            name=_("Home"), url="/admin", menu_icon_type="fa", menu_icon_value="fa-home"
        )

    def is_accessible(self) -> bool:
        return current_user() is not None

    @expose("/")
    def index(self):
        content = self.store.content()
        tz = content.site.timezone
        from zoneinfo import ZoneInfo

        now = current_app.config.get("YIZHAN_NOW") or dt.datetime.now(ZoneInfo(tz))
        review, scheduled, drafts = [], [], []
        for entries in content.entries.values():
            for entry in entries.values():
                current = state(entry, now)
                if current == "review":
                    review.append(entry)
                elif current == "scheduled":
                    scheduled.append(entry)
                elif current == "draft":
                    drafts.append(entry)
        scheduled.sort(key=lambda e: e.publish_at)
        return self.render(
            "admin/home.html",
            review=review,
            scheduled=scheduled,
            drafts=drafts[:20],
            draft_count=len(drafts),
            problems=content.problems,
            counts={k: len(v) for k, v in content.entries.items()},
            tz=ZoneInfo(tz),
        )


class SiteView(SecureView):
    """The current public site, rendered on request, so previews have styles and images."""

    def __init__(self, index: ContentIndex):
        self.store = index
        self.preview = SitePreview()
        super().__init__(name="site", endpoint="site", url="/admin/site")

    def is_visible(self) -> bool:
        return False

    @expose("/")
    def home(self):
        return self.index("")

    @expose("/<path:path>")
    def index(self, path: str):
        now = current_app.config.get("YIZHAN_NOW")
        return self.preview.respond(
            self.store.content(), self.store.generation, path, now, request.script_root
        )


def add_views(admin: Admin, index: ContentIndex) -> None:
    admin.add_view(NewsView(index, _("News"), "fa-newspaper-o"))
    admin.add_view(ActivityView(index, _("Activities"), "fa-calendar"))
    admin.add_view(StationView(index, _("Stations"), "fa-map-marker"))
    admin.add_view(PageView(index, _("Pages"), "fa-file-o"))
    admin.add_view(SiteView(index))
    from . import audit_log, ledger, media, publish, users

    admin.add_view(media.MediaView(index, _("Media library")))
    admin.add_view(ledger.LedgerView(index, _("Station ledger")))
    admin.add_view(publish.PublishView(index, _("Publish site")))
    admin.add_view(users.UsersView(_("Users"), category=_("Management")))
    admin.add_view(audit_log.AuditView(_("Audit log"), category=_("Management")))
    admin.add_link(MenuLink(name=_("View site"), url="/", target="_blank"))
