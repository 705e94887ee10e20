"""Browser fixtures: Debian's Chromium driven by Playwright, and real servers on 127.0.0.1."""

from __future__ import annotations

import os
import re
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from cms.publish.serve import StaticSite

CHROMIUM = os.environ.get("YIZHAN_CHROMIUM", "/usr/bin/chromium")
# Without these, Chromium keeps trying to reach Google's hosts, which this network refuses.
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--disable-dev-shm-usage",
]  # fmt: skip


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/browser/" in str(item.fspath).replace(os.sep, "/"):
            item.add_marker(pytest.mark.browser)


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN",
                                  timezone_id="Asia/Shanghai")
    page = context.new_page()
    yield page
    context.close()


def english_copy(source: Path, folder: Path) -> Path:
    """Copy a content folder into ``folder`` with site.yml's language set to English."""
    content = folder / "content"
    shutil.copytree(source, content)
    site_yml = content / "site.yml"
    text = re.sub(r"^language: .*$", "language: en", site_yml.read_text("utf-8"), flags=re.M)
    site_yml.write_text(text, encoding="utf-8")
    return content


class LiveServer:
    """A WSGI app served by a real HTTP server on 127.0.0.1 in a background thread."""

    def __init__(self, app):
        self.server = make_server("127.0.0.1", 0, app, threaded=True)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture(scope="session")
def demo_server(demo_site: Path) -> Iterator[LiveServer]:
    """The built demo site served over HTTP."""
    server = LiveServer(StaticSite(demo_site))
    yield server
    server.stop()
