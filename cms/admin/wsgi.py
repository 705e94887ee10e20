"""WSGI entry points: the admin under /admin/, alone or together with the built site.

Production (see README): ``gunicorn -w 4 'cms.admin.wsgi:app'`` with the web server serving
``site/`` and passing ``/admin/`` here. Settings come from the environment:
``YIZHAN_CONTENT`` (default ``content/``), ``YIZHAN_INSTANCE`` (default ``instance/``),
``YIZHAN_OUTPUT`` (default ``site``).
"""

from __future__ import annotations

import os
import sys
import threading
from pathlib import Path

from werkzeug.wrappers import Request, Response

ROOT = Path(__file__).resolve().parents[2]


class Combined:
    """Send /admin and everything under it to the admin app, the rest to ``site``."""

    def __init__(self, admin, site=None):  # WSGI apps
        self.admin = admin
        self.site = site or _to_admin

    def __call__(self, environ, start_response):  # the WSGI signature
        path = environ.get("PATH_INFO", "")
        target = self.admin if path == "/admin" or path.startswith("/admin/") else self.site
        return target(environ, start_response)


def _to_admin(environ, start_response):
    """Without the built site, the root sends visitors to the admin."""
    request = Request(environ)
    return Response("", 302, {"Location": request.script_root + "/admin/"})(environ, start_response)


def serve_app(content_root: Path, instance: Path, output: Path | None, config=None):
    """Return the admin (and the built site at /, when ``output`` is given) as one WSGI app."""
    from ..publish.serve import StaticSite
    from .app import create_app

    settings = {"YIZHAN_OUTPUT": output} if output else {}
    settings["YIZHAN_SCHEDULER"] = True
    settings.update(config or {})
    admin = create_app(content_root, instance, settings)
    return Combined(admin, StaticSite(output) if output else None)


def _from_environment():
    from .app import create_app

    content = Path(os.environ.get("YIZHAN_CONTENT", ROOT / "content"))
    instance = Path(os.environ.get("YIZHAN_INSTANCE", ROOT / "instance"))
    output = Path(os.environ.get("YIZHAN_OUTPUT", ROOT / "site"))
    return create_app(content, instance, {"YIZHAN_OUTPUT": output, "YIZHAN_SCHEDULER": True})


class _OnFirstRequest:
    """Create the app in the worker on its first request (importing this module is harmless),
    or as soon as gunicorn has loaded it: the scheduler must run with no request at all."""

    def __init__(self) -> None:
        self._app = None
        self._lock = threading.Lock()

    def __call__(self, environ, start_response):  # the WSGI signature
        return self.made()(environ, start_response)

    def made(self) -> Combined:
        with self._lock:
            if self._app is None:
                self._app = Combined(_from_environment())
            return self._app


app = _OnFirstRequest()
if "gunicorn" in sys.modules:  # a worker (or, with --preload, the arbiter) is loading us
    threading.Thread(target=app.made, name="yizhan-start", daemon=True).start()
