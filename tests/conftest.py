"""Shared fixtures: content folders, a fixed clock, the public app and built sites."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from cms.public.app import create_app
from cms.publish.build import build

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "content"
DATA = Path(__file__).parent / "data"
SHANGHAI = ZoneInfo("Asia/Shanghai")
# Every test sees the same "now", so activity states and scheduled entries are stable.
NOW = dt.datetime(2026, 11, 25, 12, 0, tzinfo=SHANGHAI)

# The longest tests, run first. With test.sh's `--maxschedchunk 1`, pytest-xdist gives each
# worker two tests to start with and then one at a time as they finish: the four naughty-string
# runs (minutes each) split two and two, and the many short tests fill in behind them, so
# neither worker is left alone with a long test at the end.
LONGEST = (
    "tests/security/test_naughty_strings.py",
    "tests/reliability/test_crashes.py",
    "tests/reliability/test_concurrency.py",
)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    def rank(item: pytest.Item) -> int:
        path = item.nodeid.split("::")[0]
        return LONGEST.index(path) if path in LONGEST else len(LONGEST)

    items.sort(key=rank)  # stable: the rest keep their order


@pytest.fixture(scope="session")
def now() -> dt.datetime:
    return NOW


@pytest.fixture
def content_copy(tmp_path: Path) -> Path:
    """A writable copy of tests/data/content."""
    target = tmp_path / "content"
    shutil.copytree(DATA / "content", target)
    return target


@pytest.fixture
def app():
    return create_app(DATA / "content", now=NOW)


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture(scope="session")
def demo_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo content built once per session; returns the live ``site`` link."""
    out = tmp_path_factory.mktemp("demo") / "site"
    build(DEMO, out, now=NOW)
    return out


@pytest.fixture(scope="session")
def data_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """tests/data/content built once per session; returns the live ``site`` link."""
    out = tmp_path_factory.mktemp("data") / "site"
    build(DATA / "content", out, now=NOW)
    return out


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium per test session (per xdist worker), for every suite that needs
    one: a second Playwright in the same worker would fail to start."""
    from playwright.sync_api import sync_playwright

    from .browser.conftest import CHROMIUM, CHROMIUM_ARGS

    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: apt-get install chromium (test.sh does this as root)")
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()
