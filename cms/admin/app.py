"""The admin app: Flask-Admin (Bootstrap 4, Chinese) over the content folder."""

from __future__ import annotations

import datetime as dt
import os
import secrets
import tempfile
import time
from pathlib import Path

from flask import Flask, render_template
from flask_admin import Admin
from flask_admin.theme import Bootstrap4Theme
from flask_babel import Babel
from werkzeug.middleware.proxy_fix import ProxyFix

from ..content.folder import ContentFolder
from ..content.repo import Repo
from . import auth, checks, corrections, security, views
from .accounts import Accounts
from .drafts import Drafts
from .forms import at_field, labels_of
from .publish import start_scheduler
from .security import IDLE, LONGEST
from .translations import compile_catalogues


def _secret_key(instance: Path) -> str:
    """Read the instance's secret key, creating it (owner-only) on first run.

    Written to a temporary file and linked into place, so gunicorn workers starting together
    all end up with the one key the first of them made.
    """
    path = instance / "secret_key"
    if not path.exists():
        fd, tmp = tempfile.mkstemp(dir=instance, prefix=".secret_key.")
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_hex(32))
        try:
            os.link(tmp, path)
        except FileExistsError:
            pass  # another worker was first; use its key
        finally:
            os.unlink(tmp)
    return path.read_text().strip()


def _clock_from(text: str):  # -> Callable[[], dt.datetime] | None
    """Return a clock that starts at the ISO time ``text`` and runs on (YIZHAN_NOW, for tests
    of schedules against a real server), or None when ``text`` is empty."""
    if not text:
        return None
    start, began = dt.datetime.fromisoformat(text), time.monotonic()
    return lambda: start + dt.timedelta(seconds=time.monotonic() - began)


def _minutes(text: str | None, default: dt.timedelta, unit: int = 1) -> dt.timedelta:
    """Read a session limit from the environment: a number of minutes (or ``unit`` minutes)."""
    return dt.timedelta(minutes=float(text) * unit) if text else default


def create_app(
    content_root: Path | str, instance_path: Path | str, config: dict | None = None
) -> Flask:
    """Create the admin app for a content folder; users and logs live in ``instance_path``."""
    content_root = Path(content_root).resolve()
    instance = Path(instance_path).resolve()
    instance.mkdir(parents=True, exist_ok=True)
    app = Flask(
        __name__,
        instance_path=str(instance),
        static_folder="static",
        static_url_path="/admin/assets",
        template_folder="templates",
    )
    app.config.update(
        SECRET_KEY=os.environ.get("YIZHAN_SECRET_KEY") or _secret_key(instance),
        SESSION_COOKIE_NAME="yizhan_admin",
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=os.environ.get("YIZHAN_SECURE_COOKIE", "") == "1",
        SESSION_COOKIE_PATH="/admin",
        YIZHAN_SESSION_IDLE=_minutes(os.environ.get("YIZHAN_SESSION_IDLE_MINUTES"), IDLE),
        YIZHAN_SESSION_MAX=_minutes(os.environ.get("YIZHAN_SESSION_MAX_HOURS"), LONGEST, 60),
        MAX_CONTENT_LENGTH=200 * 1024 * 1024,  # a batch of uploads; each file is capped again
        BABEL_DEFAULT_LOCALE="zh_Hans_CN",
        BABEL_DEFAULT_TIMEZONE="Asia/Shanghai",
        YIZHAN_CONTENT=content_root,
        YIZHAN_OUTPUT=content_root.parent / "site",
        YIZHAN_SITE_URL="/",  # where readers see the site (the publish page links there)
        YIZHAN_NOW=None,  # tests pin the clock; None means the real time
        YIZHAN_SCHEDULER=False,  # publish at scheduled times (the servers turn it on)
    )
    if config:
        app.config.update(config)
    # The cookie lives as long as a login may; the server ends the login before (security.py).
    app.config["PERMANENT_SESSION_LIFETIME"] = app.config["YIZHAN_SESSION_MAX"]
    clock = _clock_from(os.environ.get("YIZHAN_NOW", ""))
    if clock is not None and app.config["YIZHAN_NOW"] is None and "YIZHAN_CLOCK" not in app.config:
        app.config["YIZHAN_CLOCK"] = clock
    if os.environ.get("YIZHAN_TICK"):
        app.config["YIZHAN_TICK"] = float(os.environ["YIZHAN_TICK"])
    if app.config.get("YIZHAN_BEHIND_PROXY", os.environ.get("YIZHAN_BEHIND_PROXY") == "1"):
        # Behind nginx: take the client's address (login throttling) and scheme from its headers.
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=1, x_proto=1, x_host=1)

    translations = compile_catalogues(instance / "translations")
    Babel(app, locale_selector=lambda: "zh_Hans_CN", timezone_selector=lambda: "Asia/Shanghai")
    accounts = Accounts(instance / "admin.sqlite3", app.config.get("YIZHAN_ARGON2"))
    app.extensions["yizhan_accounts"] = accounts
    app.extensions["yizhan_drafts"] = Drafts(instance / "drafts.sqlite3")
    Repo(content_root).ensure()  # every version of every file is kept from the first start
    folder = ContentFolder(content_root)
    app.extensions["yizhan_content"] = folder
    app.extensions["yizhan_field_labels"] = labels_of  # a refused form's fields, by label

    security.init_app(app)
    app.jinja_env.globals["at_field"] = at_field
    checks.init_app(app)
    app.register_blueprint(auth.bp)
    app.register_blueprint(corrections.bp)
    admin = Admin(
        app,
        name="驿站后台",
        url="/admin",
        theme=Bootstrap4Theme(base_template="admin/yizhan_base.html", fluid=True),
        index_view=views.HomeView(folder),
        translations_path=translations,
    )
    views.add_views(admin, folder)

    if app.config["YIZHAN_SCHEDULER"]:
        start_scheduler(app)

    @app.errorhandler(403)
    def forbidden(error):
        message = "你的角色不能做这件事。需要时请联系编辑或管理员。"
        return render_template("admin/error.html", title="没有权限", message=message), 403

    @app.errorhandler(404)
    def not_found(error):
        message = "没有这个页面，可能已被删除。"
        return render_template("admin/error.html", title="找不到", message=message), 404

    return app
