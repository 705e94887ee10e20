"""The admin's front-end libraries, copied from cms/admin/node_modules into static/vendor/.

Versions are pinned in cms/admin/package.json and package-lock.json; ``npm ci`` installs them
and ``python -m cms.admin.vendor`` (run by scripts/setup.sh) copies the files the admin serves
under /admin/assets/vendor/, so no page loads a library from a CDN.
"""

from __future__ import annotations

import sys
from pathlib import Path

from ..maps.vendor import copy_changed

HERE = Path(__file__).resolve().parent

# vendored path (under static/) → source under node_modules/
FILES = {
    "vendor/tom-select/tom-select.complete.min.js": "tom-select/dist/js/tom-select.complete.min.js",
    "vendor/tom-select/tom-select.bootstrap4.min.css": (
        "tom-select/dist/css/tom-select.bootstrap4.min.css"
    ),
    "vendor/tom-select/LICENSE": "tom-select/LICENSE",
}


def sync() -> list[str]:
    """Copy changed library files from node_modules into static/vendor; return what changed."""
    return copy_changed(FILES, HERE)

if __name__ == "__main__":
    try:
        sync()
    except FileNotFoundError as exc:
        sys.exit(str(exc))
