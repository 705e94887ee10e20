"""The public site as a Flask app: what Frozen-Flask freezes and what preview renders."""

from __future__ import annotations

import datetime as dt
import mimetypes
from pathlib import Path

from flask import Flask, has_request_context, render_template, request
from jinja2 import FileSystemBytecodeCache

from ..content import Content, load
from ..render.caches import Caches
from . import assets, exports, filters, i18n, moved, pictures, views
from .data import SiteData

THEMES = Path(__file__).resolve().parents[2] / "themes"

# Static web servers pick the type by extension; teach Python the ones it does not know.
mimetypes.add_type("application/geo+json", ".geojson")
mimetypes.add_type("text/calendar", ".ics")


class _Site(Flask):
    """The public app; a build's app remembers the addresses it has made.

    A page links to the same few dozen addresses as every other (styles, menus, feeds) and
    Werkzeug's URL building is a visible part of rendering 35,000 pages. Within one build the
    rules, the theme's files and the base address do not change, so each address is made once.
    """

    remember_urls = False

    def url_for(self, /, endpoint: str, **values: object) -> str:
        # Inside a request only (outside one, addresses default to absolute ones); relative
        # endpoints (".name") depend on the blueprint, and a value that cannot be part of a
        # key (a list) makes its address every time.
        if not self.remember_urls or endpoint[0] == "." or not has_request_context():
            return super().url_for(endpoint, **values)
        key = (endpoint, *values.items()) if values else endpoint
        try:
            return self._urls[key]
        except KeyError:
            url = self._urls[key] = super().url_for(endpoint, **values)
            return url
        except TypeError:
            return super().url_for(endpoint, **values)


def create_app(
    content: Content | str | Path,
    now: dt.datetime | None = None,
    theme: str = "default",
    config: dict | None = None,
    caches: Caches | None = None,
) -> Flask:
    """Create the public app over a content folder (or already loaded content) at ``now``.

    ``caches`` is what a builder keeps between the apps it makes (``cms.render.caches``).
    """
    if not isinstance(content, Content):
        content = load(content)
    caches = caches if caches is not None else Caches()
    folder = THEMES / theme
    app = _Site(
        __name__,
        static_folder=str(folder / "static"),
        static_url_path="/static",
        template_folder=str(folder / "templates"),
    )
    if caches.templates is not None:
        # Jinja checks each template's source against what it compiled, so this is safe to keep.
        caches.templates.mkdir(parents=True, exist_ok=True)
        bytecode = FileSystemBytecodeCache(str(caches.templates))
        app.jinja_options = {**app.jinja_options, "bytecode_cache": bytecode}
    app.remember_urls, app._urls = caches.remember_urls, {}
    app.config.update(JSON_AS_ASCII=False)
    if config:
        app.config.update(config)
    # Theme strings go through gettext ({{ _("...") }}) in the language site.yml names.
    i18n.install(app, folder, content.site.language)
    data = SiteData(content, now, caches)
    app.extensions["yizhan"] = data
    # The map pages' stylesheet bundle is made from the theme's files as they are now, in
    # memory: a build never writes into the theme.
    compiled = assets.compiled_files(folder / "static")
    assets.init_app(app, compiled)  # /static/ CSS and JS under content-hashed names
    filters.register(app)
    pictures.register(app)

    @app.context_processor
    def inject() -> dict:
        canonical = data.site.url(request.path)
        return {"site": data.site, "data": data, "now": data.now, "canonical": canonical}

    @app.errorhandler(404)
    def not_found(error):
        return render_template("404.html"), 404

    # Old addresses of renamed entries match only their old names, before the entries' rules.
    app.url_map.converters.update(moved.converters(data))
    app.register_blueprint(views.bp)
    app.register_blueprint(exports.bp)
    app.register_blueprint(moved.bp)
    return app


def site_data(app: Flask) -> SiteData:
    """Return the SiteData an app was made with."""
    return app.extensions["yizhan"]
