"""Security fixtures: the admin apps and users of tests/admin, Chromium, filesystem snapshots."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from ..admin.conftest import admin_app, anonymous, as_role, users_db  # noqa: F401 - fixtures


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        path = str(item.fspath).replace(os.sep, "/")
        if "tests/security/" in path and "browser" in item.fixturenames:
            item.add_marker(pytest.mark.browser)


def snapshot(*roots: Path) -> dict[str, tuple[int, int]]:
    """Return every file and folder under ``roots`` with its size and mtime (links unfollowed)."""
    seen: dict[str, tuple[int, int]] = {}
    for root in roots:
        for folder, dirs, files in os.walk(root):
            for name in dirs + files:
                path = os.path.join(folder, name)
                stat = os.lstat(path)
                seen[path] = (stat.st_size, stat.st_mtime_ns)
    return seen


def changes(before: dict, after: dict) -> list[str]:
    """Return the paths added, removed or modified between two snapshots."""
    return sorted(p for p in before.keys() | after.keys() if before.get(p) != after.get(p))
