"""A small WSGI server for the built site, with the same types as deploy/nginx.conf."""

from __future__ import annotations

import mimetypes
import os
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO
from urllib.parse import unquote

from werkzeug.wrappers import Request, Response

TYPES = {
    "feed.xml": "application/atom+xml; charset=utf-8",
    "rss.xml": "application/rss+xml; charset=utf-8",
    ".geojson": "application/geo+json; charset=utf-8",
    ".ics": "text/calendar; charset=utf-8",
    ".schema.json": "application/schema+json",
    ".json": "application/json",
    ".xml": "application/xml; charset=utf-8",
    ".html": "text/html; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".txt": "text/plain; charset=utf-8",
    ".svg": "image/svg+xml",
}


def content_type(name: str) -> str:
    """Return the Content-Type the site serves a file name with."""
    for suffix, kind in TYPES.items():
        if name == suffix or (suffix.startswith(".") and name.endswith(suffix)):
            return kind
    return mimetypes.guess_type(name)[0] or "application/octet-stream"


# Files up to this size are read into memory and closed at once; larger ones are streamed.
IN_MEMORY = 1 << 20
CHUNK = 1 << 16


class StaticSite:
    """Serve files under ``root`` (the ``site`` link, followed on every request)."""

    def __init__(self, root: Path, prefix: str = ""):
        self.root = Path(root)
        self.prefix = prefix.rstrip("/")

    def __call__(self, environ, start_response):  # the WSGI signature
        request = Request(environ)
        response = self.respond(request)
        return response(environ, start_response)

    def respond(self, request: Request) -> Response:
        if request.method not in ("GET", "HEAD"):
            return Response("Method Not Allowed", 405, {"Allow": "GET, HEAD"})
        root = Path(os.path.realpath(self.root))  # pin one release for the whole request
        path = unquote(request.path)
        if self.prefix and not path.startswith(self.prefix + "/"):
            return self._missing(root, request)
        path = path[len(self.prefix) :]
        target = Path(os.path.realpath(root / path.lstrip("/")))
        if target != root and root not in target.parents:
            return self._missing(root, request)
        if target.is_dir():
            if not path.endswith("/"):
                return Response("", 301, {"Location": request.script_root + request.path + "/"})
            target = target / "index.html"
        if not target.is_file():
            return self._missing(root, request)
        return self._file(target, request, 200)

    def _file(self, target: Path, request: Request, status: int) -> Response:
        handle = target.open("rb")
        try:
            size = os.fstat(handle.fileno()).st_size
            if size <= IN_MEMORY:
                with handle:
                    body, passthrough = handle.read(), False
            else:
                body, passthrough = _Chunks(handle), True
            response = Response(
                body, status, content_type=content_type(target.name), direct_passthrough=passthrough
            )
        except BaseException:
            handle.close()
            raise
        response.content_length = size
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.cache_control.no_cache = True
        return response

    def _missing(self, root: Path, request: Request) -> Response:
        page = root / "404.html"
        if page.is_file():
            return self._file(page, request, 404)
        return Response("Not Found", 404, content_type="text/plain; charset=utf-8")


class _Chunks:
    """A large file's bytes, read as they are sent.

    The file is closed when the server closes the body or, when the client hung up and the
    server skipped that (Werkzeug's development server does), as soon as the body is dropped.
    """

    def __init__(self, handle: BinaryIO):
        self.handle = handle

    def __iter__(self) -> Iterator[bytes]:
        while chunk := self.handle.read(CHUNK):
            yield chunk

    def close(self) -> None:
        self.handle.close()

    __del__ = close
