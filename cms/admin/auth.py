"""Login and logout: throttled, with a fresh session id at every login."""

from __future__ import annotations

from flask import Blueprint, flash, g, redirect, render_template, request, session, url_for
from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired, Length

from .security import AdminForm, accounts, audit, safe_next

bp = Blueprint("auth", __name__, url_prefix="/admin")

MAX_FAILURES = 5  # per user name or per address, per minute
WINDOW = 60.0


class LoginForm(AdminForm):
    name = StringField("用户名", validators=[DataRequired(), Length(max=40)])
    password = PasswordField("密码", validators=[DataRequired(), Length(max=200)])


@bp.route("/login/", methods=["GET", "POST"])
def login():
    form = LoginForm(request.form if request.method == "POST" else None)
    error = ""
    if request.method == "POST" and form.validate():
        name = form.name.data.strip()
        address = request.remote_addr or "-"
        keys = [f"user:{name.lower()}", f"addr:{address}"]
        if accounts().failures(keys, WINDOW) >= MAX_FAILURES:
            accounts().audit(name, "login-throttled", "", "", address)
            message = "登录失败次数过多，请一分钟后再试。"
            return render_template("admin/login.html", form=form, error=message), 429
        user = accounts().verify(name, form.password.data)
        if user is None:
            accounts().record_failure(keys)
            accounts().audit(name, "login-failed", "", "", address)
            error = "用户名或密码不对。"
        else:
            # A new session: nothing from before the login (including its CSRF secret) survives.
            session.clear()
            session["sid"] = accounts().open_session(user.name)
            session.permanent = True
            g.user = user
            audit("login")
            return redirect(safe_next(request.args.get("next")))
    status = 200 if not error else 401
    return render_template("admin/login.html", form=form, error=error), status


@bp.route("/logout/", methods=["POST"])
def logout():
    sid = session.get("sid")
    if sid:
        audit("logout")
        accounts().close_session(sid)
    session.clear()
    flash("已退出登录。", "info")
    return redirect(url_for("auth.login"))
