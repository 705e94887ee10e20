"""The station finder's scripts speak the site's language (English here) in a real browser."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest

from cms.publish.build import build
from cms.publish.serve import StaticSite
from tests.browser.conftest import LiveServer, english_copy
from tests.conftest import DEMO, NOW

BANTIAN = (22.6301, 114.0652)
STATES = {"Open now", "Closing soon", "Closed"}


@pytest.fixture(scope="module")
def en_server(tmp_path_factory) -> Iterator[LiveServer]:
    content = english_copy(DEMO, tmp_path_factory.mktemp("en-browser"))
    out = content.parent / "site"
    build(content, out, now=NOW)
    server = LiveServer(StaticSite(out))
    yield server
    server.stop()


def _page(browser, server: LiveServer):
    context = browser.new_context(
        viewport={"width": 390, "height": 844},
        locale="en-GB",
        timezone_id="Asia/Shanghai",
        geolocation={"latitude": BANTIAN[0], "longitude": BANTIAN[1]},
        permissions=["geolocation"],
    )
    local = re.compile(r"^" + re.escape(server.url) + r"/")
    context.route(lambda url: not local.match(url), lambda route: route.abort())
    return context, context.new_page()


def test_near_me_speaks_english(browser, en_server):
    context, page = _page(browser, en_server)
    try:
        page.goto(en_server.url + "/stations/")
        page.wait_for_selector("#finder[data-ready]")
        assert re.fullmatch(
            r"\d+ matching stations; showing the first \d+\.",
            page.locator("#result-count").inner_text(),
        )
        page.get_by_role("button", name="Stations near me").click()
        page.wait_for_selector("#results .result-distance")
        status = page.locator("#finder-status").inner_text()
        assert status.startswith("Stations open now and open to everyone come first"), status
        assert "sorted by distance" in status
        assert re.fullmatch(
            r"The 20 nearest of \d+ matching stations:", page.locator("#result-count").inner_text()
        )
        first = page.locator("#results .result-distance").first.inner_text()
        assert re.fullmatch(r"[\d.]+ k?m · about \d+ min on foot", first), first
        states = set(page.locator("#results .result-state").all_inner_texts())
        assert states and states <= STATES
        link = page.locator("#results .result-link").first
        assert link.inner_text() == "Details"
        assert link.get_attribute("aria-label").startswith("Details: ")
    finally:
        context.close()


def test_station_page_open_state_speaks_english(browser, en_server):
    context, page = _page(browser, en_server)
    try:
        page.goto(en_server.url + "/stations/bantian-care-01/")
        badge = page.locator("#open-state")
        badge.wait_for(state="visible")
        assert badge.inner_text() in STATES
    finally:
        context.close()
