"""The admin's menu: home, entry views, media, ledger, publishing, users and the audit log."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from flask import current_app, request
from flask_admin import Admin, AdminIndexView, expose
from flask_admin.babel import lazy_gettext as _
from flask_admin.menu import MenuLink

from ..content import Content, Entry, Problem
from ..content.folder import ContentFolder
from ..content.freshness import stale_stations
from ..content.workflow import publish_state, schedule_times
from .audit_log import AuditView
from .comments import notes
from .corrections import ReportsView
from .drafts import drafts as autosaves
from .entries import ActivityView, NewsView, PageView, StationView
from .ledger import LedgerView
from .media import MediaView
from .preview import SitePreview
from .problems import told
from .publish import PublishView, admin_now
from .reports import reports
from .security import SecureView, current_user
from .settings import SettingsView
from .tally import TallyView
from .users import UsersView


def problem_lines(content: Content) -> list[str]:
    """Return each problem as an editor reads it: the entry's title, the file, what is wrong."""
    titles = {
        f"content/{entry.source}": entry.title_text
        for entries in content.entries.values()
        for entry in entries.values()
    }

    def line(problem: Problem) -> str:
        where = f"{problem.path}:{problem.line}" if problem.line else problem.path
        title = titles.get(problem.path)
        return f"{title}（{where}）：{told(problem)}" if title else f"{where}：{told(problem)}"

    return [line(p) for p in content.problems]


class HomeView(AdminIndexView):
    """What needs doing: entries awaiting review, scheduled ones, my drafts, broken files."""

    def __init__(self, folder: ContentFolder):
        self.store = folder
        super().__init__(
            name=_("Home"), url="/admin", menu_icon_type="fa", menu_icon_value="fa-home"
        )

    def is_accessible(self) -> bool:
        return current_user() is not None

    @expose("/")
    def index(self):
        content = self.store.content()
        tz = content.site.timezone
        now = admin_now(ZoneInfo(tz))
        review, scheduled, drafts = [], [], []
        for entries in content.entries.values():
            for entry in entries.values():
                current = publish_state(entry, now)
                if current == "review":
                    review.append(entry)
                elif current == "draft":
                    drafts.append(entry)
                for moment in schedule_times(entry):
                    if moment > now:
                        going_up = moment == entry.publish_at
                        scheduled.append((moment, "上线" if going_up else "撤下", entry))
        scheduled.sort(key=lambda item: (item[0], item[2].slug))
        me = current_user().name
        events = notes().last_events()

        def by_me(entry: Entry, event: str) -> bool:
            note = events.get((entry.kind, entry.slug), {}).get(event)
            return note is not None and note.author == me

        def last_event(entry: Entry) -> str:
            note = events.get((entry.kind, entry.slug), {}).get("last")
            return note.event if note else ""

        returned = [
            (e, events[(e.kind, e.slug)]["return"])
            for e in drafts
            if last_event(e) == "return" and by_me(e, "submit")
        ]
        if not current_user().can("editor"):  # a writer's review list: what they submitted
            review = [e for e in review if by_me(e, "submit")]
        return self.render(
            "admin/home.html",
            review=review,
            scheduled=scheduled,
            mine=[item for item in scheduled if by_me(item[2], "publish")],
            returned=returned,
            drafts=drafts[:20],
            draft_count=len(drafts),
            problems=problem_lines(content),
            counts={k: len(v) for k, v in content.entries.items()},
            stale=stale_stations(
                list(content.entries.get("stations", {}).values()),
                content.site.stale_after_months,
                now.date(),
            ),
            stale_months=content.site.stale_after_months,
            open_reports=len(reports().listed(open_only=True)),
            autosaved=[
                (kind, slug, draft)
                for kind, slug, draft in autosaves().of(me)
                if not slug or slug in content.entries.get(kind, {})  # not of a deleted entry
            ],
            tz=ZoneInfo(tz),
        )


class SiteView(SecureView):
    """The current public site, rendered on request, so previews have styles and images."""

    def __init__(self, folder: ContentFolder):
        self.store = folder
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


def add_views(admin: Admin, folder: ContentFolder) -> None:
    admin.add_view(NewsView(folder, _("News"), "fa-newspaper-o"))
    admin.add_view(ActivityView(folder, _("Activities"), "fa-calendar"))
    admin.add_view(StationView(folder, _("Stations"), "fa-map-marker"))
    admin.add_view(PageView(folder, _("Pages"), "fa-file-o"))
    admin.add_view(ReportsView("读者纠错"))
    admin.add_view(SiteView(folder))
    admin.add_view(MediaView(folder, _("Media library")))
    admin.add_view(LedgerView(folder, _("Station ledger")))
    admin.add_view(TallyView(folder, _("Activity tally")))
    admin.add_view(PublishView(folder, _("Publish site")))
    admin.add_view(SettingsView(folder, "网站设置"))
    admin.add_view(UsersView(_("Users"), category=_("Management")))
    admin.add_view(AuditView(_("Audit log"), category=_("Management")))
    admin.add_link(MenuLink(name=_("View site"), url="/", target="_blank"))
