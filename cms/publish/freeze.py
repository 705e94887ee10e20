"""Freeze the public app into a folder with Frozen-Flask."""

from __future__ import annotations

import warnings
from collections.abc import Callable, Iterator
from pathlib import Path

from flask import Flask
from flask_frozen import Freezer, MimetypeMismatchWarning, MissingURLGeneratorWarning

from ..public import catalog
from ..public.app import site_data

# These files are served with a more precise type than their extension says; deploy/nginx.conf
# gives the same types, so the warning is expected for exactly these names.
TYPED_BY_SERVER = r"Filename extension of '(feed\.xml|rss\.xml|[a-z-]+\.schema\.json)'"

Progress = Callable[[int, int, str], None]


def addresses(app: Flask) -> list[tuple[str, dict]]:
    """Return every (endpoint, values) the site has, in a stable order."""
    data = site_data(app)
    pages = [(endpoint, values) for endpoint, values, _ in catalog.html_pages(data)]
    return pages + list(catalog.other_files(data))


def freeze(app: Flask, destination: Path, progress: Progress | None = None) -> list[str]:
    """Write every page and file of ``app`` under ``destination``; return the URLs written."""
    data = site_data(app)
    app.config.update(
        FREEZER_DESTINATION=str(Path(destination).absolute()),
        FREEZER_BASE_URL=data.site.base_url,
        FREEZER_REMOVE_EXTRA_FILES=False,  # each release starts empty
        FREEZER_REDIRECT_POLICY="error",
    )
    freezer = Freezer(app, with_no_argument_rules=False, log_url_for=True)
    listed = addresses(app)

    @freezer.register_generator
    def everything() -> Iterator[tuple[str, dict]]:
        yield from listed

    total = len(listed) + sum(1 for _ in _static_files(app))
    written = []
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=TYPED_BY_SERVER, category=MimetypeMismatchWarning)
        # catalog lists every address; an endpoint with none (no media yet) is not a mistake.
        warnings.filterwarnings("ignore", category=MissingURLGeneratorWarning)
        for page in freezer.freeze_yield():
            written.append(page.url)
            if progress:
                progress(len(written), max(total, len(written)), page.url)
    return written


def _static_files(app: Flask) -> Iterator[Path]:
    folder = Path(app.static_folder or "")
    return (p for p in folder.rglob("*") if p.is_file()) if folder.is_dir() else iter(())
