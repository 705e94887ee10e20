"""信息待核实 in Python (the admin's list) follows the same rule as the theme's script."""

from __future__ import annotations

import datetime as dt

import pytest

from cms.content.freshness import is_stale
from tests.conftest import SHANGHAI

from .test_open_now import STALE


@pytest.mark.parametrize(("verified", "months", "instant", "stale"), STALE)
def test_python_agrees_with_the_script(verified, months, instant, stale):
    today = dt.datetime.fromisoformat(instant.replace("Z", "+00:00")).astimezone(SHANGHAI).date()
    day = dt.date.fromisoformat(verified) if verified else None
    assert is_stale(day, months, today) is stale
