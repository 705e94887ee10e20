"""The sentinel that judges the naughty-string run sees each kind of execution it claims to see.

Each page below is served by the harness itself and does one bad thing; a clean page beside
them must stay clean, so a finding is not just noise from the harness.
"""

from __future__ import annotations

import pytest

from ..browser.conftest import LiveServer
from .sentinel import Harness, Sentinel

pytestmark = pytest.mark.browser

PAGES = {
    "/clean/": "<!doctype html><title>ok</title><p>正文 <a href='/x/'>链接</a></p>",
    "/script/": "<!doctype html><title>s</title><script>window.__pwned = 1</script>",
    "/dialog/": "<!doctype html><title>d</title><script>alert(1)</script>",
    "/handler/": "<!doctype html><title>h</title><img src='/none.png' onerror='void 0'>",
    "/link/": "<!doctype html><title>l</title><a href=' java\tscript:void 0'>x</a>",
    "/error/": "<!doctype html><title>e</title><script>undefinedFunction()</script>",
    "/blank/": "<!doctype html><title>b</title><script>location.href = 'about:blank'</script>",
    # Another origin: the same server under another host name.
    "/away/": "<!doctype html><title>a</title><script>location.href = "
    "location.href.replace('127.0.0.1', 'localhost')</script>",
}


def _missing(environ, start_response):  # WSGI
    start_response("404 Not Found", [("Content-Type", "text/plain")])
    return [b"missing"]


def test_the_sentinel_reports_every_kind_of_execution_and_nothing_on_a_clean_page(browser):
    harness = Harness(_missing)
    server = LiveServer(harness)
    harness.url = server.url
    harness.documents.update(PAGES)
    sentinel = Sentinel(browser, harness, batch=4)
    try:
        report = sentinel.check(list(PAGES))
    finally:
        sentinel.close()
        server.stop()
    assert report.pages == len(PAGES)
    found = {path: " | ".join(evidence) for path, evidence in report.findings.items()}
    assert "/clean/" not in found
    assert "__pwned = 1" in found["/script/"]
    assert [message for _url, message in report.dialogs] == ["1"]
    assert "attribute: IMG onerror=void 0" in found["/handler/"]
    assert "attribute: A href=" in found["/link/"]
    assert "undefinedFunction" in found["/error/"]
    assert "navigated away to about:blank" in found["/blank/"]
    assert "navigated away to another origin" in found["/away/"]
