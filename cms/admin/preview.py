"""Render drafts through the public app, with its templates and its sanitiser, unpublished.

The preview is the real page: a copy of the content in which the draft is forced live is
handed to the public app, which renders the entry's address as the built site would. Pages
are served under ``/admin/site/`` so their styles, images and links work inside the admin.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import threading
from urllib.parse import urlsplit

from flask import Flask, Response, abort, send_from_directory
from markupsafe import escape

from ..content import Content, Entry, resolve_inside
from ..content.checks import check_entry, read_words
from ..public.app import create_app, site_data
from ..public.links import make_resolver
from ..public.urls import entry_path
from ..render import render_markdown
from ..render.removed import removed_by_sanitiser
from .checks import mark_words

_REMOVED = {
    "tag:iframe": "iframe",
    "tag:script": "脚本",
    "tag:style": "样式表",
    "tag:font": "字体设置",
    "tag:b": "b 加粗（请用 **粗体**）",
    "tag:i": "i 斜体（请用 *斜体*）",
    "tag:u": "下划线",
    "style:color": "颜色",
    "style": "样式",
    "event": "事件脚本",
    "scheme": "不安全的链接",
}

SITE_PATH = "/admin/site"
# Creating a Flask app compiles its URL rules; CPython 3.11 before 3.11.8 can fail such
# compile() calls made by two threads at once ("AST constructor recursion depth mismatch",
# gh-106905), which made concurrent previews answer 500 under a threaded server.
_CREATING = threading.Lock()


def _public_app(content: Content, now: dt.datetime | None, script_root: str) -> Flask:
    with _CREATING:
        app = create_app(content, now=now)
    # Body links carry the site's base path; inside the admin they must point at the preview.
    site_data(app).prefix = script_root + SITE_PATH
    return app


def _get(app: Flask, path: str, script_root: str) -> Response:
    client = app.test_client()
    return client.get(path, base_url="http://preview" + script_root + SITE_PATH)


def missing_paths(content: Content, paths: list[str], now: dt.datetime | None) -> list[str]:
    """Return the site paths (``/about/``) the public site would not serve: a menu link to one
    would be a broken link on every page, and the build refuses those."""
    if not paths:
        return []
    app = _public_app(content, now, "")
    missing = []
    for path in paths:
        response = _get(app, urlsplit(path).path, "")
        if response.status_code != 200:
            missing.append(path)
        response.close()
    return missing


def render_draft(
    content: Content, entry: Entry, now: dt.datetime | None, script_root: str = ""
) -> tuple[int, str]:
    """Return (status, HTML) of an entry's page as if it were published now."""
    forced = dataclasses.replace(entry, status="published", publish_at=None)
    entries = dict(content.entries)
    entries[entry.kind] = {**entries.get(entry.kind, {}), entry.slug: forced}
    draft = Content(root=content.root, site=content.site, entries=entries, problems=[])
    app = _public_app(draft, now, script_root)
    data = site_data(app)
    resolve = make_resolver(draft, data.live, forced.source, data.prefix)
    _, broken = render_markdown(forced.body, resolve)
    response = _get(app, entry_path(forced), script_root)
    try:
        html = response.get_data(as_text=True)
    finally:
        response.close()
    notes = "".join(f"<li>正文链接无效：{escape(b.reason)}</li>" for b in broken)
    removed = removed_note(forced.body)
    if removed:
        notes += f'<li id="preview-removed">{escape(removed)}</li>'
    for warning in check_entry(content.root, forced):  # checks before review: warnings only
        notes += f'<li class="preview-check">{escape(warning)}</li>'
    html = mark_words(html, read_words(content.root))
    banner = (
        '<div role="status" style="background:#fff3cd;color:#5c4400;padding:.5rem 1rem;'
        'border-bottom:1px solid #e0c060;font-size:14px">预览：此页面尚未发布，仅编辑可见。'
        f"{'<ul>' + notes + '</ul>' if notes else ''}</div>"
    )
    return response.status_code, html.replace("<body>", "<body>" + banner, 1)


def removed_note(body: str) -> str:
    """Say what the sanitiser takes out of ``body``: 已去掉：iframe 1 处，颜色 2 处（…）."""
    found = removed_by_sanitiser(body)
    if not found:
        return ""

    def name(key: str) -> str:
        kind, _, what = key.partition(":")
        return _REMOVED.get(key) or (f"{what} 标签" if kind == "tag" else f"{what} 属性")

    parts = "，".join(f"{name(key)} {count} 处" for key, count in found.most_common())
    return f"已去掉：{parts}（网站只保留文字、标题、列表、表格、链接和图片等格式）"


class SitePreview:
    """Serve the public site of the current content (static, media, pages) under /admin/site/."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._cached: tuple[int, str, Flask] | None = None

    def respond(
        self, content: Content, generation: int, path: str, now: dt.datetime | None, root: str
    ) -> Response:
        # The theme's files (stylesheets minified in memory, under hashed names) come from the
        # public app below, like its pages.
        if path.startswith("media/") and not path.startswith("media/r/"):  # renditions: the app
            target = resolve_inside(content.root / "media", path[len("media/") :])
            if target is None:
                abort(404)
            return send_from_directory(target.parent, target.name)
        with self._lock:
            if self._cached is None or self._cached[:2] != (generation, root):
                self._cached = (generation, root, _public_app(content, now, root))
            app = self._cached[2]
        inner = _get(app, "/" + path, root)
        try:
            data = inner.get_data()
        finally:
            inner.close()
        response = Response(data, inner.status_code, content_type=inner.headers.get("Content-Type"))
        if "Location" in inner.headers:  # a trailing-slash redirect must still say where to
            response.headers["Location"] = (
                urlsplit(inner.headers["Location"])._replace(scheme="", netloc="").geturl()
            )
        return response
