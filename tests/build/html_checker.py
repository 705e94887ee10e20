"""The Nu HTML Checker (vnu.jar, pinned in tests/html/package-lock.json), run once over many files.

One run of the checker over a list of files takes a few seconds; one run per page would take
minutes, as each starts a Java virtual machine.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from collections.abc import Iterable
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

ROOT = Path(__file__).resolve().parents[2]
VNU = ROOT / "tests" / "html" / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"


def _unavailable(reason: str) -> None:
    """Skip on a developer's machine; in CI, where test.sh installs both, fail instead."""
    if os.environ.get("CI"):
        pytest.fail(reason)
    pytest.skip(reason)


def require_checker() -> str:
    """Return the java command, or skip (fail in CI) when java or vnu.jar is missing; tests call
    it first, so that they do not gather pages for nothing."""
    java = shutil.which("java")
    if java is None:
        _unavailable("java is missing: apt-get install default-jre-headless, as test.sh does")
    if not VNU.exists():
        _unavailable("vnu.jar is missing: npm ci --ignore-scripts in tests/html, as setup.sh does")
    return java


def html_errors(files: Iterable[Path]) -> list[str]:
    """Return the checker's errors in ``files`` as "path:line: message [extract]" lines, each
    path relative to the folder that holds all the files; an empty list when all are valid."""
    java = require_checker()
    paths = [str(Path(p).absolute()) for p in files]
    assert paths, "no HTML file to check"
    root = Path(os.path.commonpath(paths))
    if len(paths) == 1:
        root = root.parent
    result = subprocess.run(
        [java, "-jar", str(VNU), "--errors-only", "--format", "json", "--stdout",
         "--exit-zero-always", *paths],
        capture_output=True, text=True, timeout=600, check=False,
    )  # fmt: skip
    assert result.returncode == 0, f"vnu.jar failed: {result.stderr[-2000:]}"
    messages = json.loads(result.stdout)["messages"]
    errors = []
    for message in messages:
        url = message.get("url", "")
        path = Path(unquote(urlsplit(url).path)) if url else None
        where = str(path.relative_to(root)) if path and path.is_relative_to(root) else url
        line = message.get("lastLine", message.get("firstLine", "?"))
        extract = " ".join(message.get("extract", "").split())
        errors.append(f"{where}:{line}: {message['message']} [{extract}]")
    return errors
