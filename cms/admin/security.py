"""CSRF on every POST, login required on every page, roles, and the session cookie.

Flask-Admin's ``SecureForm`` only checks the token of forms built from it and answers a bad
token by re-showing the form; here every state-changing request is checked up front, so a
hand-written form or a JSON endpoint cannot slip through, and a missing token is a 400.
"""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlsplit

from flask import (
    Flask,
    abort,
    current_app,
    flash,
    g,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask.sessions import SecureCookieSessionInterface
from flask_admin import BaseView
from flask_admin.babel import Translations
from flask_admin.form import SecureForm
from werkzeug.datastructures import MultiDict

from .accounts import Accounts, User
from .drafts import drafts

SAFE_METHODS = ("GET", "HEAD", "OPTIONS")
# Endpoints the public posts to without a login or a token (they check their input themselves).
PUBLIC_POSTS = ("report.receive",)
# A login lasts while the editor works: it ends after IDLE without a request, and at the latest
# LONGEST after it began (YIZHAN_SESSION_IDLE_MINUTES / YIZHAN_SESSION_MAX_HOURS change them).
IDLE = dt.timedelta(hours=2)
LONGEST = dt.timedelta(days=7)
FORM_VIEWS = ("edit_view", "create_view", "autosave_view")  # posts that carry an entry's form
# Only the admin's own files run: no inline script or handler (admin.js does their work). Map
# tiles and pasted images come from other hosts; Bootstrap and the pickers set inline styles.
POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data: blob: https:; connect-src 'self'; font-src 'self' data:; "
    "frame-src 'self'; frame-ancestors 'self'; base-uri 'self'; form-action 'self'; "
    "object-src 'none'"
)


# WTForms' own messages, as an editor should read them (its Chinese catalogue says 数值必须大于 1
# where 1 is allowed); the form's template names the field before each (forms.at_field).
MESSAGES = {
    "This field is required.": "必填",
    "Not a valid choice.": "请从列表中选择",
    "Invalid Choice: could not coerce.": "请从列表中选择",
    "'%(value)s' is not a valid choice for this field.": "“%(value)s”不在可选范围内",
    "'%(value)s' are not valid choices for this field.": "“%(value)s”不在可选范围内",
    "Not a valid datetime value.": "请填写完整的日期和时间，如 2026-12-01 09:30",
    "Not a valid date value.": "请填写日期，如 2026-12-01",
    "Not a valid integer value.": "请填写整数",
    "Not a valid float value.": "请填写数字",
    "Not a valid decimal value.": "请填写数字",
    "Invalid URL.": "请填写以 http:// 或 https:// 开头的网址",
    "Invalid input.": "格式不对",
    "Number must be at least %(min)s.": "不能小于 %(min)s",
    "Number must be at most %(max)s.": "不能大于 %(max)s",
    "Number must be between %(min)s and %(max)s.": "应在 %(min)s 到 %(max)s 之间",
    "Field must be at least %(min)d character long.": "至少 %(min)d 个字",
    "Field cannot be longer than %(max)d character.": "最多 %(max)d 个字",
    "Field must be exactly %(max)d character long.": "应为 %(max)d 个字",
    "Field must be between %(min)d and %(max)d characters long.": "应为 %(min)d 到 %(max)d 个字",
}


class _Messages:
    """WTForms' translations for admin forms: ours first, then Flask-Admin's catalogue."""

    def __init__(self, fallback):
        self.fallback = fallback

    def gettext(self, string: str) -> str:
        return MESSAGES.get(string) or self.fallback.gettext(string)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return MESSAGES.get(singular) or self.fallback.ngettext(singular, plural, n)


class AdminForm(SecureForm):
    """Base of every admin form.

    The token has no clock of its own: its secret lives in the session, which is checked on the
    server at every request and renewed at every login, so the session's limits bound it (a
    30-minute token would refuse a long article typed in one go).
    """

    class Meta:
        csrf_time_limit = None
        _messages = _Messages(Translations())

        def get_translations(self, form):
            return self._messages


class _TokenOnly(AdminForm):
    pass


def csrf_token() -> str:
    """Return a CSRF token for a hand-written form or a fetch() header."""
    return _TokenOnly().csrf_token.current_token


def csrf_valid(token: str | None) -> bool:
    form = _TokenOnly(formdata=MultiDict({"csrf_token": token or ""}))
    return form.validate()


class SessionInterface(SecureCookieSessionInterface):
    """Mark the cookie Secure when configured to, or when the request came over HTTPS."""

    def get_cookie_secure(self, app: Flask) -> bool:
        return bool(app.config["SESSION_COOKIE_SECURE"]) or request.is_secure


def accounts() -> Accounts:
    return current_app.extensions["yizhan_accounts"]


def current_user() -> User | None:
    return g.get("user")


def audit(action: str, target: str = "", detail: str = "") -> None:
    """Record an action by the current user in the audit log."""
    user = current_user()
    accounts().audit(user.name if user else "-", action, target, detail, request.remote_addr or "")


def require(role: str) -> None:
    """Abort with 403 unless the current user has ``role`` or a stronger one."""
    user = current_user()
    if user is None or not user.can(role):
        abort(403)


class SecureView(BaseView):
    """A view any logged-in user may open (``role`` raises the bar; others get 403)."""

    role = "writer"

    def is_accessible(self) -> bool:
        user = current_user()
        return user is not None and user.can(self.role)

    def is_visible(self) -> bool:
        return self.is_accessible()

    def inaccessible_callback(self, name, **kwargs):
        abort(403)


def safe_next(target: str | None) -> str:
    """Return ``target`` if it is a path inside the admin, else the admin home."""
    home = url_for("admin.index")
    if not target:
        return home
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith(request.script_root + "/admin"):
        return home
    if target.startswith("//") or "\\" in target:
        return home
    return target


def _exempt(endpoint: str | None) -> bool:
    return (
        endpoint is None
        or endpoint in ("auth.login", "auth.logout", "static")
        or endpoint.endswith(".static")
    )


def init_app(app: Flask) -> None:
    """Install the cookie policy and the checks that run before every request."""
    app.session_interface = SessionInterface()
    app.jinja_env.globals["csrf_token"] = csrf_token
    app.jinja_env.globals["current_user"] = current_user

    @app.before_request
    def guard():
        g.user = None
        if request.endpoint in PUBLIC_POSTS:
            return None
        token_ok = True
        if request.method not in SAFE_METHODS:  # before the session goes: its secret is in it
            token = request.form.get("csrf_token") or request.headers.get("X-CSRFToken")
            token_ok = csrf_valid(token)
        sid = session.get("sid")
        # Whose login just ended: the next submits from their open tabs are kept for them too.
        owner = session.get("expired")
        if sid:
            idle, longest = app.config["YIZHAN_SESSION_IDLE"], app.config["YIZHAN_SESSION_MAX"]
            g.user = accounts().session_user(sid, idle.total_seconds(), longest.total_seconds())
            if g.user is None:
                owner = accounts().session_owner(sid)
                accounts().close_session(sid)
                session.clear()
                if owner:
                    session["expired"] = owner
        if request.method not in SAFE_METHODS:
            if request.endpoint == "auth.login" and not token_ok:
                flash("登录页打开太久了，请再输入一次用户名和密码。", "warning")
                return redirect(request.full_path.rstrip("?"))
            if not token_ok or (g.user is None and not _exempt(request.endpoint)):
                return _refused(owner, token_ok)
        if g.user is None and not _exempt(request.endpoint):
            if request.accept_mimetypes.best == "application/json":
                return {"error": "请先登录"}, 401
            return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))
        return None

    @app.after_request
    def headers(response):
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("X-Frame-Options", "SAMEORIGIN")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        response.headers.setdefault("Content-Security-Policy", POLICY)
        if g.get("user") is not None:
            response.headers.setdefault("Cache-Control", "no-store")
        return response


def _refused(owner: str | None, token_ok: bool):
    """Refuse a submission without losing it: an entry's form is kept as the editor's draft
    (offered back when they open the entry again) and shown on the page, field by field."""
    user = current_user()
    if user is not None:
        message = (
            "这个页面是在你上次登录时打开的（之后重新登录过，或页面开得太久），"
            "为了安全，这次提交没有保存到网站。"
        )
    elif owner is not None:
        idle = current_app.config["YIZHAN_SESSION_IDLE"]
        longest = current_app.config["YIZHAN_SESSION_MAX"]
        message = (
            f"登录已过期（超过 {_span(idle)}没有操作，或登录已满 {_span(longest)}），"
            "这次提交没有保存到网站。"
        )
    else:
        message = "你还没有登录（或已经退出），这次提交没有保存到网站。"
    name = user.name if user is not None else owner
    kind, _, view = (request.endpoint or "").partition(".")
    kept_url = ""
    if name and view in FORM_VIEWS:
        slug = request.args.get("id", "")
        drafts().keep(name, kind, slug, request.form.items(multi=True))
        kept_url = url_for(f"{kind}.edit_view", id=slug) if slug else url_for(f"{kind}.create_view")
    status = 400 if user is not None or (owner is None and not token_ok) else 401
    if request.accept_mimetypes.best == "application/json":
        return {"error": message, "kept": bool(kept_url)}, status
    continue_url = kept_url or request.referrer or url_for("admin.index")
    if user is None:
        continue_url = url_for("auth.login", next=urlsplit(continue_url)._replace(
            scheme="", netloc="").geturl())  # fmt: skip
    return render_template(
        "admin/refused.html",
        message=message,
        kept=bool(kept_url),
        logged_in=user is not None,
        continue_url=continue_url,
        fields=_posted_fields(kind),
    ), status


def _span(delta: dt.timedelta) -> str:
    """Say a session limit in Chinese: 2 小时, 7 天, 30 分钟."""
    minutes = int(delta.total_seconds() // 60)
    if minutes % (24 * 60) == 0:
        return f"{minutes // (24 * 60)} 天"
    if minutes % 60 == 0:
        return f"{minutes // 60} 小时"
    return f"{minutes} 分钟"


def _posted_fields(kind: str) -> list[tuple[str, str]]:
    """Return (label, text) of every filled field of the refused form, to copy from."""
    # The entry forms (forms.py, built on this module's AdminForm) give their labels through the
    # app, set up by app.py: no import circle between the two modules.
    labels_of = current_app.extensions.get("yizhan_field_labels")
    labels = labels_of(kind) if labels_of is not None else {}
    out = []
    for name in dict.fromkeys(request.form.keys()):
        if name in ("csrf_token", "version", "action"):
            continue
        value = "、".join(v for v in request.form.getlist(name) if v.strip())
        if value.strip():
            out.append((labels.get(name, name), value))
    return out
