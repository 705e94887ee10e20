"""Every kind of admin page, as served to a logged-in editor (and admin), is valid HTML (issue 22).

The pages are fetched through the admin app, saved into a folder, and checked in one run of the
Nu HTML Checker.
"""

from __future__ import annotations

import io
import re
import time
from pathlib import Path

from tests.build.html_checker import html_errors, require_checker

from ..unit.test_ledger_real import real_ledger
from .conftest import token_of
from .test_entries import _edit_form

ENTRIES = {
    "news": "plenary-2026",
    "activities": "open-training-2026",
    "stations": "bantian-care-01",
    "pages": "about",
}
BROKEN = "---\ntitle: 没写完的通知\ndate: 不是日期\nstatus: draft\n---\n正文。\n"


def _pages(content: Path, anonymous, as_role) -> dict[str, tuple[int, str]]:
    """Return {name: (status, html)} for every kind of admin page, in its usual states."""
    pages: dict[str, tuple[int, str]] = {}

    def keep(name: str, response) -> None:
        pages[name] = (response.status_code, response.get_data(as_text=True))

    keep("login", anonymous.get("/admin/login/"))
    token = token_of(pages["login"][1])
    keep(
        "login-failed",
        anonymous.post("/admin/login/", {"csrf_token": token, "name": "editor", "password": "x"}),
    )
    editor, admin, writer = as_role("editor"), as_role("admin"), as_role("writer")
    (content / "news" / "broken-entry.md").write_text(BROKEN, encoding="utf-8")
    keep("home", editor.get("/admin/"))
    keep("news-broken", editor.get("/admin/news/edit/?id=broken-entry"))
    for kind, slug in ENTRIES.items():
        keep(f"{kind}-list", editor.get(f"/admin/{kind}/"))
        keep(f"{kind}-new", editor.get(f"/admin/{kind}/new/"))
        keep(f"{kind}-new-invalid", editor.post(f"/admin/{kind}/new/", {"action": "save"}))
        keep(f"{kind}-edit", editor.get(f"/admin/{kind}/edit/?id={slug}"))
        keep(f"{kind}-preview", editor.get(f"/admin/{kind}/preview/?id={slug}"))
        loaded = _edit_form(editor, kind, slug)
        saved = editor.post(
            f"/admin/{kind}/edit/?id={slug}",
            {**loaded, "body": loaded["body"] + "\n补充一段。\n", "action": "save"},
        )
        assert saved.status_code == 302, (kind, saved.status_code)
        keep(f"{kind}-edit-saved", editor.get(f"/admin/{kind}/edit/?id={slug}"))
        keep(f"{kind}-conflict", editor.post(f"/admin/{kind}/edit/?id={slug}", loaded))
        keep(f"{kind}-history", editor.get(f"/admin/{kind}/history/?id={slug}"))
        revision = re.search(r'href="([^"]*/revision/\?[^"]+)"', pages[f"{kind}-history"][1])
        assert revision, f"no revision link on the {kind} history page"
        keep(f"{kind}-revision", editor.get(revision.group(1).replace("&amp;", "&")))
    keep("news-list-search", editor.get("/admin/news/?search=全体"))
    keep("news-list-filter", editor.get("/admin/news/?flt0_0=draft"))
    keep("stations-list-filter", editor.get("/admin/stations/?flt0_2=bantian"))
    keep("news-edit-writer-locked", writer.get(f"/admin/news/edit/?id={ENTRIES['news']}"))
    version = _edit_form(editor, "news", "legal-aid-2026")["version"]
    editor.post("/admin/news/delete/", {"id": "legal-aid-2026", "version": version})
    keep("news-history-deleted", editor.get("/admin/news/history/?id=legal-aid-2026"))
    referenced = _edit_form(editor, "stations", "nanwan-night-01")
    keep(
        "stations-referenced",
        editor.post(
            "/admin/stations/edit/?id=nanwan-night-01", {**referenced, "action": "unpublish"}
        ),
    )
    keep("media", editor.get("/admin/media/"))
    keep("media-search", editor.get("/admin/media/?q=x&month=2025-01"))
    keep("media-describe", editor.get("/admin/media/describe/?ref=media/2025/x.jpg"))
    keep("ledger", editor.get("/admin/ledger/"))
    ledger = (Path(__file__).parents[1] / "data" / "ledger" / "stations-good.csv").read_bytes()
    bad = ledger.decode("gb18030").replace("22.63762", "222.1").encode("utf-8")
    for name, data in (("ledger-checked", ledger), ("ledger-checked-bad", bad)):
        keep(
            name,
            editor.post(
                "/admin/ledger/check/",
                {"file": (io.BytesIO(data), "台账.csv"), "crs": "wgs84"},
                content_type="multipart/form-data",
            ),
        )
    keep(
        "ledger-checked-real",
        editor.post(
            "/admin/ledger/check/",
            {"file": (io.BytesIO(real_ledger()), "台账.xlsx"), "crs": "wgs84"},
            content_type="multipart/form-data",
        ),
    )
    keep("publish", editor.get("/admin/publish/"))
    editor.post("/admin/publish/start/", headers={"Accept": "application/json"})
    keep("publish-running", editor.get("/admin/publish/"))
    deadline = time.monotonic() + 120
    while editor.get("/admin/publish/status.json").json["job"]["state"] == "running":
        assert time.monotonic() < deadline, "the publish did not finish in 120 s"
        time.sleep(0.2)
    keep("publish-done", editor.get("/admin/publish/"))
    report = {"station": "bantian-care-01", "problem": "other", "text": "门口在修路"}
    keep("report-received", anonymous.client.post("/admin/report/", data=report))
    keep("reports", editor.get("/admin/reports/"))
    keep("stations-edit-reported", editor.get("/admin/stations/edit/?id=bantian-care-01"))
    drafted = {**_edit_form(editor, "news", "plenary-2026"), "title": "自动保存的标题"}
    editor.post("/admin/news/autosave/?id=plenary-2026", drafted)
    keep("news-edit-draft-offered", editor.get("/admin/news/edit/?id=plenary-2026"))
    keep("home-autosaved", editor.get("/admin/"))
    keep("news-edit-draft-restored", editor.get("/admin/news/edit/?id=plenary-2026&draft=1"))
    stale = {**drafted, "body": "第一行\n第二行", "csrf_token": "stale"}
    keep("form-kept", editor.post("/admin/news/edit/?id=plenary-2026", stale, csrf=False))
    keep("users", admin.get("/admin/users/"))
    keep("audit", admin.get("/admin/audit/"))
    keep("refused", writer.get("/admin/users/"))
    keep("not-found", editor.get("/admin/no-such-page/"))
    return pages


def test_every_admin_page_is_valid_html(content_copy, anonymous, as_role, tmp_path: Path):
    require_checker()
    pages = _pages(content_copy, anonymous, as_role)
    statuses = {name: status for name, (status, _) in pages.items()}
    expected = {"login-failed": 401, "news-broken": 422, "refused": 403, "not-found": 404}
    expected["form-kept"] = 400
    expected["stations-referenced"] = 409
    expected |= {f"{kind}-conflict": 409 for kind in ENTRIES}
    assert statuses == {name: expected.get(name, 200) for name in pages}
    folder = tmp_path / "admin-pages"
    folder.mkdir()
    files = []
    for name, (_, html) in pages.items():
        assert "<html" in html, name
        files.append(folder / f"{name}.html")
        files[-1].write_text(html, encoding="utf-8")
    errors = html_errors(files)  # one run of the checker over every page
    assert not errors, f"{len(errors)} HTML errors in {len(files)} admin pages:\n" + "\n".join(
        errors
    )
