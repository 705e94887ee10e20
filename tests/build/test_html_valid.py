"""Every page of the demo build and of the tests/data build is valid HTML (issue 22)."""

from __future__ import annotations

from pathlib import Path

from tests.build.html_checker import html_errors, require_checker


def test_every_built_page_is_valid_html(demo_site: Path, data_site: Path):
    require_checker()
    files = []
    for site in (demo_site, data_site):
        pages = sorted(site.rglob("*.html"))
        names = {p.relative_to(site).as_posix() for p in pages}
        assert {"index.html", "404.html", "news/index.html", "stations/index.html"} <= names
        files += pages
    errors = html_errors(files)  # one run of the checker over both builds
    assert not errors, f"{len(errors)} HTML errors in {len(files)} pages:\n" + "\n".join(errors)
