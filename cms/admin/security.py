"""CSRF on every POST, login required on every page, roles, and the session cookie.

Flask-Admin's ``SecureForm`` only checks the token of forms built from it and answers a bad
token by re-showing the form; here every state-changing request is checked up front, so a
hand-written form or a JSON endpoint cannot slip through, and a missing token is a 400.
"""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlsplit

from flask import Flask, abort, current_app, g, redirect, render_template, request, session, url_for
from flask.sessions import SecureCookieSessionInterface
from flask_admin import BaseView
from flask_admin.form import SecureForm
from werkzeug.datastructures import MultiDict

from .accounts import Accounts, User

SAFE_METHODS = ("GET", "HEAD", "OPTIONS")
SESSION_HOURS = 12


class AdminForm(SecureForm):
    """Base of every admin form: CSRF token valid for a whole working day, not 30 minutes."""

    class Meta:
        csrf_time_limit = dt.timedelta(hours=SESSION_HOURS)


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
    return endpoint is None or endpoint in ("auth.login", "static") or endpoint.endswith(".static")


def init_app(app: Flask) -> None:
    """Install the cookie policy and the checks that run before every request."""
    app.session_interface = SessionInterface()
    app.jinja_env.globals["csrf_token"] = csrf_token
    app.jinja_env.globals["current_user"] = current_user

    @app.before_request
    def guard():
        g.user = None
        sid = session.get("sid")
        if sid:
            g.user = accounts().session_user(sid, SESSION_HOURS * 3600)
            if g.user is None:
                session.clear()
        if request.method not in SAFE_METHODS:
            token = request.form.get("csrf_token") or request.headers.get("X-CSRFToken")
            if not csrf_valid(token):
                return _kept_text("缺少安全令牌或已过期（CSRF），这次提交没有生效。", 400)
        if g.user is None and not _exempt(request.endpoint):
            if request.method not in SAFE_METHODS:
                return _kept_text("登录已过期，这次提交没有生效。请重新登录。", 401)
            if request.accept_mimetypes.best == "application/json":
                return {"error": "请先登录"}, 401
            return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))
        return None

    @app.after_request
    def headers(response):
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("X-Frame-Options", "SAMEORIGIN")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        if g.get("user") is not None:
            response.headers.setdefault("Cache-Control", "no-store")
        return response


def _kept_text(message: str, status: int):
    """Refuse a submission but hand the editor's text back, so nothing typed is lost."""
    body = (
        request.form.get("body", "")
        if request.mimetype.startswith(("multipart/", "application/x-www"))
        else ""
    )
    return render_template("admin/refused.html", message=message, body=body), status
