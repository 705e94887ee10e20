"""纠错: the public endpoint station pages post readers' reports to, and the editors' list.

The endpoint needs no login and no CSRF token (the static site cannot hold one); it stays safe
by what it refuses: bodies over MAX_BODY, a sixth post in a minute from one address, a filled
honeypot, unknown stations and fields out of bounds. It keeps plain text only. A plain HTML
form gets a page back; ``fetch`` (asking for JSON) gets JSON, with CORS headers when the site
is on another origin than the admin.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from flask import Blueprint, abort, current_app, redirect, render_template, request, url_for
from flask_admin import expose

from .reports import MAX_PHONE, MAX_TEXT, PROBLEMS, plain, reports
from .security import SecureView, accounts, audit, current_user

MAX_BODY = 64 * 1024  # the form's fields fill a few KB at most
HONEYPOT = "website"  # hidden from people; a bot that fills every field fills it
_PHONE = re.compile(rf"^[0-9+\- ()（）转]{{0,{MAX_PHONE}}}$")

bp = Blueprint("report", __name__)


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else ""


def allowed_origins() -> set[str]:
    """Return the origins whose pages may read the endpoint's answers: the site's base URL's
    and any in YIZHAN_REPORT_ORIGINS (a site served from elsewhere, or a test server)."""
    site = current_app.extensions["yizhan_content"].content().site
    found = {_origin(site.base_url)} if site else set()
    found.update(current_app.config.get("YIZHAN_REPORT_ORIGINS", ()))
    return found - {""}


def _with_cors(response):
    origin = request.headers.get("Origin", "")
    if origin and origin in allowed_origins():
        response.headers["Access-Control-Allow-Origin"] = origin
        response.headers["Access-Control-Allow-Methods"] = "POST"
        response.headers["Access-Control-Allow-Headers"] = "Content-Type"
        response.headers["Access-Control-Max-Age"] = "86400"
    response.headers.add("Vary", "Origin")
    response.headers["Cache-Control"] = "no-store"
    return response


def _back() -> str:
    """Return the station page to link back to, if the form named one of the site's pages."""
    back = request.form.get("back", "")
    if back.startswith("/") and not back.startswith("//") and "\\" not in back:
        return back
    return back if _origin(back) in allowed_origins() else ""


def _answer(status: int, message: str):
    """Answer a fetch with JSON and a plain form with a page, both saying ``message``."""
    wants_json = request.accept_mimetypes.best_match(["text/html", "application/json"])
    if wants_json == "application/json":
        response = current_app.json.response({"ok": status == 200, "message": message})
    else:
        page = render_template(
            "admin/report_received.html", ok=status == 200, message=message, back=_back(),
            hotline=_site_hotline(),
        )  # fmt: skip
        response = current_app.response_class(page, mimetype="text/html")
    response.status_code = status
    return _with_cors(response)


def _site_hotline() -> str:
    site = current_app.extensions["yizhan_content"].content().site
    return site.hotline if site else ""


@bp.route("/admin/report/", methods=("POST", "OPTIONS"))
def receive():
    """Keep one reader's report on a station, or say in Chinese why not."""
    if request.method == "OPTIONS":
        return _with_cors(current_app.response_class(status=204))
    if (request.content_length or 0) > MAX_BODY:
        return _answer(413, "内容太长，没有收到。请只写几句话说明哪里不对。")
    request.max_content_length = MAX_BODY  # a body sent without a length is cut off here too
    address = request.remote_addr or ""
    store = reports()
    if not store.allow_post(address):
        return _answer(429, "提交太频繁，请一分钟后再试。")
    form = request.form
    if form.get(HONEYPOT):
        return _answer(200, "谢谢，已收到。")  # a bot: told nothing, kept nothing
    content = current_app.extensions["yizhan_content"].content()
    slug = form.get("station", "")
    station = content.entries.get("stations", {}).get(slug)
    if station is None:
        return _answer(400, "没有找到这个站点（station），可能已经下线。")
    problem = form.get("problem", "")
    if problem not in PROBLEMS:
        return _answer(400, "请选择哪里不对（问题类型）。")
    text = plain(form.get("text", ""), MAX_TEXT + 1)
    if len(text) > MAX_TEXT:
        return _answer(400, f"补充说明最多 {MAX_TEXT} 字。")
    phone = form.get("phone", "").strip()
    if not _PHONE.match(phone):
        return _answer(400, f"联系电话只能写数字、空格和“-”，最多 {MAX_PHONE} 位。")
    number = store.add(slug, station.title_text, problem, text, phone, address)
    detail = f"#{number} {PROBLEMS[problem]}"
    accounts().audit("读者", "report", f"stations/{slug}", detail, address)
    return _answer(200, "谢谢，已收到。工作人员核实后会更新站点信息。")


class ReportsView(SecureView):
    """Readers' reports, open ones first, each linked to its station's form."""

    def __init__(self, name: str):
        super().__init__(
            name=name, endpoint="reports", url="/admin/reports",
            menu_icon_type="fa", menu_icon_value="fa-flag",
        )  # fmt: skip

    @expose("/")
    def index(self):
        show_all = request.args.get("show") == "all"
        content = current_app.extensions["yizhan_content"].content()
        return self.render(
            "admin/reports.html",
            reports=reports().listed(open_only=not show_all),
            show_all=show_all,
            stations=content.entries.get("stations", {}),
            tz=ZoneInfo(content.site.timezone if content.site else "Asia/Shanghai"),
        )

    @expose("/<int:number>/resolve", methods=("POST",))
    def resolve(self, number: int):
        report = reports().get(number) or abort(404)
        if reports().resolve(number, current_user().name):
            audit("report-resolve", f"stations/{report.slug}", f"#{number} {report.label}")
        target = request.form.get("next", "")
        if target.startswith(url_for("stations.edit_view")):
            return redirect(target)
        return redirect(url_for(".index"))
