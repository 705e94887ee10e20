"""Fingerprinted static file names: ``css/site.css`` is addressed as ``css/site.<hash>.css``.

The hash is of the file's bytes, so a changed stylesheet or script gets a new address and a web
server may let browsers keep every such file for a year (deploy/nginx.conf does). Only
stylesheets and scripts are renamed: they are what pages name; images and fonts are named by
the stylesheets beside them (Leaflet's ``images/``), relative to a folder that does not change.
"""

from __future__ import annotations

import functools
import hashlib
import re
from pathlib import Path

from flask import Flask, abort

RENAMED = (".css", ".js")
DIGITS = 12
HASHED = re.compile(rf"^(?P<stem>.+)\.(?P<hash>[0-9a-f]{{{DIGITS}}})(?P<suffix>\.(?:css|js))$")


@functools.lru_cache(maxsize=1024)
def _digest(path: str, mtime_ns: int, size: int) -> str:
    return hashlib.blake2b(Path(path).read_bytes(), digest_size=16).hexdigest()[:DIGITS]


def fingerprinted(folder: Path, name: str) -> str:
    """Return the address of static file ``name``: with its content hash when it is CSS or JS."""
    path = folder / name
    if not name.endswith(RENAMED) or not path.is_file():
        return name
    stat = path.stat()
    digest = _digest(str(path), stat.st_mtime_ns, stat.st_size)
    stem, dot, suffix = name.rpartition(".")
    return f"{stem}.{digest}{dot}{suffix}"


def original(folder: Path, name: str) -> str | None:
    """Return the file a fingerprinted address names, or None when its hash is not current."""
    match = HASHED.match(name)
    if not match:
        return name
    plain = match["stem"] + match["suffix"]
    return plain if fingerprinted(folder, plain) == name else None


def init_app(app: Flask) -> None:
    """Make ``url_for('static', ...)`` give fingerprinted names and serve them."""
    folder = Path(app.static_folder or "")

    @app.url_defaults
    def fingerprint(endpoint: str, values: dict) -> None:
        if endpoint == "static" and "filename" in values:
            values["filename"] = fingerprinted(folder, values["filename"])

    def static(filename: str):  # noqa: ANN202 - a Flask view
        name = original(folder, filename)
        if name is None:
            abort(404)
        return app.send_static_file(name)

    app.view_functions["static"] = static
