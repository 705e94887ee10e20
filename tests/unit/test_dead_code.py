"""No dead code: vulture finds no unused name in cms/ or build.py."""

from __future__ import annotations

import subprocess
import sys

from tests.conftest import ROOT


def test_vulture_finds_no_unused_code():
    # The paths, the confidence and the decorators of views Flask calls are in pyproject.toml.
    found = subprocess.run(
        [sys.executable, "-m", "vulture"], cwd=ROOT, capture_output=True, text=True
    )
    assert found.returncode == 0, (
        "unused code: remove it, or if something vulture cannot see uses it (a template, a"
        " framework, a test) name it in tests/unit/vulture_whitelist.py with where:\n"
        + found.stdout
        + found.stderr
    )
