"""Who may do what: a table of role × action → allowed or 403."""

from __future__ import annotations

import pytest

from cms.content import load

from .test_entries import FORM, _edit_form

ALLOWED, FORBIDDEN = "allowed", 403


def _publish(browser, content_copy):
    data = _edit_form(browser, "news", "secret-draft-plan")
    return browser.post("/admin/news/edit/?id=secret-draft-plan", {**data, "action": "publish"})


def _unpublish(browser, content_copy):
    data = _edit_form(browser, "news", "rider-care-2026")
    return browser.post("/admin/news/edit/?id=rider-care-2026", {**data, "action": "unpublish"})


def _edit_published(browser, content_copy):
    data = _edit_form(browser, "news", "plenary-2026")
    return browser.post("/admin/news/edit/?id=plenary-2026", {**data, "action": "save"})


def _delete(browser, content_copy):
    version = load(content_copy).get("news", "legal-aid-2026").version
    return browser.post("/admin/news/delete/", {"id": "legal-aid-2026", "version": version})


ACTIONS = {
    "list news": lambda b, c: b.get("/admin/news/"),
    "write a draft": lambda b, c: b.post(
        "/admin/news/new/", {**FORM, "slug": "x1", "action": "save"}
    ),
    "submit for review": lambda b, c: b.post(
        "/admin/news/new/", {**FORM, "slug": "x2", "action": "submit"}
    ),
    "publish": _publish,
    "unpublish": _unpublish,
    "edit a published entry": _edit_published,
    "delete": _delete,
    "open publish page": lambda b, c: b.get("/admin/publish/"),
    "roll back the site": lambda b, c: b.post("/admin/publish/rollback/"),
    "import the ledger": lambda b, c: b.post("/admin/ledger/apply/", {"token": "x" * 32}),
    "delete media": lambda b, c: b.post("/admin/media/delete/", {"ref": "media/2025/nope.jpg"}),
    "manage users": lambda b, c: b.get("/admin/users/"),
    "read the audit log": lambda b, c: b.get("/admin/audit/"),
}
TABLE = {
    #                          writer     editor     admin
    "list news": (ALLOWED, ALLOWED, ALLOWED),
    "write a draft": (ALLOWED, ALLOWED, ALLOWED),
    "submit for review": (ALLOWED, ALLOWED, ALLOWED),
    "publish": (FORBIDDEN, ALLOWED, ALLOWED),
    "unpublish": (FORBIDDEN, ALLOWED, ALLOWED),
    "edit a published entry": (FORBIDDEN, ALLOWED, ALLOWED),
    "delete": (FORBIDDEN, ALLOWED, ALLOWED),
    "open publish page": (FORBIDDEN, ALLOWED, ALLOWED),
    "roll back the site": (FORBIDDEN, FORBIDDEN, ALLOWED),
    "import the ledger": (FORBIDDEN, ALLOWED, ALLOWED),
    "delete media": (FORBIDDEN, ALLOWED, ALLOWED),
    "manage users": (FORBIDDEN, FORBIDDEN, ALLOWED),
    "read the audit log": (FORBIDDEN, FORBIDDEN, ALLOWED),
}
CASES = [
    (action, role, expected[i])
    for action, expected in TABLE.items()
    for i, role in enumerate(("writer", "editor", "admin"))
]


@pytest.mark.parametrize(("action", "role", "expected"), CASES)
def test_role_action(action, role, expected, as_role, content_copy):
    response = ACTIONS[action](as_role(role), content_copy)
    if expected == FORBIDDEN:
        assert response.status_code == 403
        assert "没有权限" in response.get_data(as_text=True)
    else:
        assert response.status_code in (200, 302, 303), response.get_data(as_text=True)[:300]


def test_writers_cannot_change_a_published_file(as_role, content_copy):
    path = content_copy / "news" / "plenary-2026.md"
    before = path.read_text(encoding="utf-8")
    _edit_published(as_role("writer"), content_copy)
    assert path.read_text(encoding="utf-8") == before
