"""Fingerprinted static file names: ``css/site.css`` is addressed as ``css/site.<hash>.css``.

The hash is of the file's bytes, so a changed stylesheet or script gets a new address and a web
server may let browsers keep every such file for a year (deploy/nginx.conf does). Only
stylesheets and scripts are renamed: they are what pages name; images and fonts are named by
the stylesheets beside them (Leaflet's ``images/``), relative to a folder that does not change.
"""

from __future__ import annotations

import functools
import hashlib
import mimetypes
import re
from pathlib import Path

import rcssmin
from flask import Flask, Response, abort

from ..maps import vendor

RENAMED = (".css", ".js")
DIGITS = 12
HASHED = re.compile(rf"^(?P<stem>.+)\.(?P<hash>[0-9a-f]{{{DIGITS}}})(?P<suffix>\.(?:css|js))$")


@functools.lru_cache(maxsize=1024)
def _digest(path: str, mtime_ns: int, size: int) -> str:
    return hashlib.blake2b(Path(path).read_bytes(), digest_size=16).hexdigest()[:DIGITS]


def fingerprinted(folder: Path, name: str, compiled: dict[str, bytes] | None = None) -> str:
    """Return the address of static file ``name``: with its content hash when it is CSS or JS.

    ``compiled`` holds files made from the theme's in memory (name -> bytes), which win over
    a file of the same name in ``folder``.
    """
    if compiled and name in compiled:
        digest = hashlib.blake2b(compiled[name], digest_size=16).hexdigest()[:DIGITS]
        stem, dot, suffix = name.rpartition(".")
        return f"{stem}.{digest}{dot}{suffix}"
    path = folder / name
    if not name.endswith(RENAMED) or not path.is_file():
        return name
    stat = path.stat()
    digest = _digest(str(path), stat.st_mtime_ns, stat.st_size)
    stem, dot, suffix = name.rpartition(".")
    return f"{stem}.{digest}{dot}{suffix}"


def original(folder: Path, name: str, compiled: dict[str, bytes] | None = None) -> str | None:
    """Return the file a fingerprinted address names, or None when its hash is not current."""
    match = HASHED.match(name)
    if not match:
        return name
    plain = match["stem"] + match["suffix"]
    return plain if fingerprinted(folder, plain, compiled) == name else None


@functools.lru_cache(maxsize=64)
def _minified(path: str, mtime_ns: int, size: int) -> bytes:
    return minify_css(Path(path).read_bytes())


def minify_css(data: bytes) -> bytes:
    """Return a stylesheet without its comments and spare whitespace (rcssmin): the theme's
    files stay readable, readers get ~25 % fewer bytes after gzip. ``/*! … */`` stays."""
    return rcssmin.cssmin(data.decode("utf-8"), keep_bang_comments=True).encode("utf-8") + b"\n"


def compiled_files(static: Path) -> dict[str, bytes]:
    """Return the static files an app serves from memory, by name: the theme's stylesheets
    minified, and the map pages' bundle when the vendored libraries are in place."""
    out = minified_stylesheets(static)
    if all((static / part).is_file() for part in vendor.BUNDLED):
        out[vendor.BUNDLE] = minify_css(vendor.bundle_css(static))
    return out


def minified_stylesheets(folder: Path) -> dict[str, bytes]:
    """Return the theme's own stylesheets (``css/*.css``) minified, by name, for ``init_app``."""
    out = {}
    for path in sorted((folder / "css").glob("*.css")):
        stat = path.stat()
        out[f"css/{path.name}"] = _minified(str(path), stat.st_mtime_ns, stat.st_size)
    return out


def static_files(app: Flask) -> dict[str, bytes | Path]:
    """Return every static file the app serves by name: the theme's and the compiled ones."""
    folder = Path(app.static_folder or "")
    found: dict[str, bytes | Path] = {}
    if folder.is_dir():
        for path in sorted(p for p in folder.rglob("*") if p.is_file()):
            found[path.relative_to(folder).as_posix()] = path
    found.update(app.extensions["yizhan.compiled"])
    return dict(sorted(found.items()))


def init_app(app: Flask, compiled: dict[str, bytes]) -> None:
    """Make ``url_for('static', ...)`` give fingerprinted names and serve them, ``compiled``
    (name -> bytes, made in memory from the theme's files) among them."""
    folder = Path(app.static_folder or "")
    app.extensions["yizhan.compiled"] = compiled

    @app.url_defaults
    def fingerprint(endpoint: str, values: dict) -> None:
        if endpoint == "static" and "filename" in values:
            values["filename"] = fingerprinted(folder, values["filename"], compiled)

    def static(filename: str) -> Response:
        name = original(folder, filename, compiled)
        if name is None:
            abort(404)
        if name in compiled:
            kind = mimetypes.guess_type(name)[0] or "application/octet-stream"
            return Response(compiled[name], content_type=f"{kind}; charset=utf-8")
        return app.send_static_file(name)

    app.view_functions["static"] = static
