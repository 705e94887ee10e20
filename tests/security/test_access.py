"""Who may call what: every admin URL × method × role, generated from the app's url_map.

A route that is not in ``EXPECTED`` fails the table, so a new view cannot ship without someone
deciding who may use it. Every POST is also sent without a CSRF token and with a forged one.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from argon2 import PasswordHasher, extract_parameters

from cms.admin.accounts import OWASP_MINIMUM
from cms.admin.security import PUBLIC_POSTS

from ..admin.conftest import PASSWORD, Browser, token_of

ROLES = ("anonymous", "writer", "editor", "admin")
# Values for the URL rules' arguments.
ARGUMENTS = {
    "path": "news/",
    "fmt": "csv",
    "filename": "admin.css",
    "export_type": "csv",
    "number": "1",
}

# The same views exist for each kind of entry. Requests carry a valid CSRF token and no other
# data, so a status is what the role gets for an empty or id-less request: 302/401 = sent to
# log in, 403 = role too weak, 400/404 = the request itself is refused, 200/302/303 = served.
_ENTRY = {
    ("index_view", "GET"): (302, 200, 200, 200),
    ("create_view", "GET"): (302, 200, 200, 200),
    ("create_view", "POST"): (401, 200, 200, 200),  # the form comes back with its errors
    ("edit_view", "GET"): (302, 302, 302, 302),  # no id: back to the list
    ("edit_view", "POST"): (401, 302, 302, 302),
    # A writer may delete their own drafts: with no such entry, 404 for every role.
    ("delete_view", "POST"): (401, 404, 404, 404),
    ("history_view", "GET"): (302, 404, 404, 404),
    ("revision_view", "GET"): (302, 404, 404, 404),
    ("restore_view", "POST"): (401, 404, 404, 404),
    ("preview_view", "GET"): (302, 404, 404, 404),
    ("preview_view", "POST"): (401, 200, 200, 200),
    ("slug_view", "GET"): (302, 200, 200, 200),
    ("coords_view", "GET"): (302, 400, 400, 400),
    # Flask-Admin's own routes, switched off here: they redirect or answer 404.
    ("details_view", "GET"): (302, 302, 302, 302),
    ("export", "GET"): (302, 302, 302, 302),
    ("action_view", "POST"): (401, 302, 302, 302),
    ("ajax_lookup", "GET"): (302, 404, 404, 404),
    ("ajax_update", "POST"): (401, 404, 404, 404),
    # Comments and withdrawing a submission name their entry by ?id=; without one, 404.
    ("comment_view", "POST"): (401, 404, 404, 404),
    ("withdraw_view", "POST"): (401, 404, 404, 404),
    # An autosave of an empty form keeps nothing; discarding no draft goes back to the list.
    ("autosave_view", "POST"): (401, 200, 200, 200),
    ("discard_draft_view", "POST"): (401, 302, 302, 302),
    # Bulk 设置街道/栏目 without ticked entries or a value, a merge or a rename without an entry.
    ("bulk_set_view", "POST"): (401, 400, 400, 400),
    ("merge_view", "POST"): (401, 302, 302, 302),
    ("rename_view", "POST"): (401, 404, 404, 404),
}
EXPECTED = {
    **{
        (f"{kind}.{view}", method): statuses
        for kind in ("news", "activities", "stations", "pages")
        for (view, method), statuses in _ENTRY.items()
    },
    ("admin.index", "GET"): (302, 200, 200, 200),
    ("static", "GET"): (200, 200, 200, 200),  # the admin's own CSS and JS
    ("admin.static", "GET"): (404, 404, 404, 404),  # Flask-Admin's files (no such name here)
    ("auth.login", "GET"): (200, 200, 200, 200),
    ("auth.login", "POST"): (200, 200, 200, 200),  # no name or password: the form again
    ("auth.logout", "POST"): (302, 302, 302, 302),  # logged out already: to the login page
    ("site.home", "GET"): (302, 200, 200, 200),
    ("site.index", "GET"): (302, 200, 200, 200),
    ("media.index", "GET"): (302, 200, 200, 200),
    ("media.list_json", "GET"): (302, 200, 200, 200),
    ("media.upload", "POST"): (401, 303, 303, 303),
    ("media.delete", "POST"): (401, 403, 302, 302),
    ("ledger.index", "GET"): (302, 200, 200, 200),
    ("ledger.export", "GET"): (302, 200, 200, 200),
    ("ledger.check", "POST"): (401, 403, 302, 302),
    ("ledger.apply", "POST"): (401, 403, 400, 400),
    ("publish.index", "GET"): (302, 403, 200, 200),
    ("publish.status", "GET"): (302, 403, 200, 200),
    ("publish.start", "POST"): (401, 403, 303, 303),
    ("publish.rollback", "POST"): (401, 403, 403, 303),
    ("users.index", "GET"): (302, 403, 403, 200),
    ("users.index", "POST"): (401, 403, 403, 200),
    ("users.change", "POST"): (401, 403, 403, 302),
    ("audit.index", "GET"): (302, 403, 403, 200),
    ("media.describe", "GET"): (302, 404, 404, 404),  # no image named
    ("media.describe", "POST"): (401, 404, 404, 404),
    ("media.paste", "POST"): (401, 200, 200, 200),  # nothing pasted: an empty answer
    ("media.wechat", "POST"): (401, 200, 200, 200),
    ("publish.settle_ahead", "POST"): (401, 403, 404, 404),
    # Readers' reports come without a login; an empty one is refused for everybody.
    ("report.receive", "POST"): (400, 400, 400, 400),
    ("reports.index", "GET"): (302, 200, 200, 200),
    ("reports.resolve", "POST"): (401, 404, 404, 404),
    ("settings.index", "GET"): (302, 403, 403, 200),
    ("settings.history_view", "GET"): (302, 403, 403, 200),
    ("settings.restore_view", "POST"): (401, 403, 403, 404),
    ("settings.revision_view", "GET"): (302, 403, 403, 404),
    ("settings.save", "POST"): (401, 403, 403, 409),  # no version: an older page, refused
    ("tally.index", "GET"): (302, 200, 200, 200),
    ("tally.check", "POST"): (401, 403, 302, 302),
    ("tally.apply", "POST"): (401, 403, 400, 400),
    ("tally.save", "POST"): (401, 403, 409, 409),  # no version: an older page, refused
}


def _routes(app) -> list[tuple[str, str, str]]:
    """Return (endpoint, method, url) for every rule of the app's url_map."""
    adapter = app.url_map.bind("localhost")
    routes = []
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: (r.rule, r.endpoint)):
        url = adapter.build(rule.endpoint, {a: ARGUMENTS.get(a, "x") for a in rule.arguments})
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            routes.append((rule.endpoint, method, url))
    return routes


def _browsers(app) -> dict[str, Browser]:
    browsers = {}
    for role in ROLES:
        browser = Browser(app.test_client())
        if role == "anonymous":
            browser.token = token_of(browser.get("/admin/login/").get_data(as_text=True))
        else:
            assert browser.login(role).status_code == 302
        browsers[role] = browser
    return browsers


def _wait_for_builds(app) -> None:
    """Let a build that the table started finish before the content folder goes away."""
    publisher = app.extensions.get("yizhan_publisher")
    if publisher is not None:
        publisher.wait()


def test_every_route_has_an_expected_status_per_role(admin_app):
    routes = _routes(admin_app)
    found = {(endpoint, method) for endpoint, method, _ in routes}
    assert sorted(found - EXPECTED.keys()) == [], "new routes: add them to EXPECTED"
    assert sorted(EXPECTED.keys() - found) == [], "routes gone: remove them from EXPECTED"
    browsers = _browsers(admin_app)
    wrong = []
    try:
        for endpoint, method, url in routes:
            for role, expected in zip(ROLES, EXPECTED[(endpoint, method)], strict=True):
                browser = browsers[role]
                response = browser.get(url) if method == "GET" else browser.post(url, {})
                response.close()  # static files come back as open files
                if response.status_code != expected:
                    wrong.append((endpoint, method, role, expected, response.status_code))
                if response.status_code in (302, 303) and role == "anonymous":
                    assert response.location.startswith("/admin/login/"), url
                if endpoint == "auth.logout" and role != "anonymous":
                    assert browser.login(role).status_code == 302
                if endpoint == "auth.logout" and role == "anonymous":  # its session ended too
                    browser.token = token_of(browser.get("/admin/login/").get_data(as_text=True))
    finally:
        _wait_for_builds(admin_app)
    assert wrong == [], "\n".join(map(str, wrong))
    print(f"\naccess table: {len(routes)} routes × {len(ROLES)} roles = {len(routes) * 4} cells")


def test_every_post_of_every_role_needs_the_session_csrf_token(admin_app):
    browsers = _browsers(admin_app)
    other = _browsers(admin_app)["editor"].token  # a real token of another session
    for endpoint, method, url in _routes(admin_app):
        if method != "POST":
            continue
        for role, browser in browsers.items():
            for token in (None, "", "1##forged", browser.token + "x", other):
                data = {"id": "plenary-2026", "body": "正文"}
                if token is not None:
                    data["csrf_token"] = token
                response = browser.post(url, data, csrf=False)
                if endpoint == "auth.login":  # a login page open too long: asked again, no login
                    assert response.status_code == 302, (endpoint, role, token)
                    assert response.location.startswith("/admin/login/")
                    if role == "anonymous":
                        assert browser.get("/admin/").status_code == 302  # still logged out
                elif endpoint in PUBLIC_POSTS:  # readers' reports: no session, no token
                    continue
                else:
                    assert response.status_code == 400, (endpoint, role, token)


def test_a_token_in_the_header_counts_like_one_in_the_form(as_role):
    editor = as_role("editor")
    response = editor.client.get("/admin/news/slug/?title=工会", headers={})
    assert response.status_code == 200
    refused = editor.client.post("/admin/news/preview/", data={"body": "x"})
    accepted = editor.client.post(
        "/admin/news/preview/", data={"body": "x"}, headers={"X-CSRFToken": editor.token}
    )
    assert (refused.status_code, accepted.status_code) == (400, 200)


def test_a_weak_hash_is_upgraded_at_the_next_login(admin_app, anonymous):
    db_path = Path(admin_app.instance_path) / "admin.sqlite3"
    weak = PasswordHasher(time_cost=1, memory_cost=8 * 1024, parallelism=1).hash(PASSWORD)
    with sqlite3.connect(db_path) as db:
        db.execute("UPDATE users SET hash = ? WHERE name = 'writer'", (weak,))
    db.close()
    assert anonymous.login("writer").status_code == 302
    with sqlite3.connect(db_path) as db:
        (stored,) = db.execute("SELECT hash FROM users WHERE name = 'writer'").fetchone()
    db.close()
    found = extract_parameters(stored)
    assert stored.startswith("$argon2id$")
    assert found.memory_cost >= OWASP_MINIMUM["memory_cost"] >= 19 * 1024
    assert found.time_cost >= OWASP_MINIMUM["time_cost"] >= 2
    assert found.parallelism >= OWASP_MINIMUM["parallelism"] >= 1


def test_every_login_gets_a_new_server_session(admin_app, anonymous):
    sids = []
    for _ in range(2):
        assert anonymous.login("editor").status_code == 302
        with admin_app.test_request_context():
            cookie = anonymous.client.get_cookie("yizhan_admin", path="/admin")
            session = admin_app.session_interface.get_signing_serializer(admin_app).loads(
                cookie.value
            )
        sids.append(session["sid"])
        assert set(session) <= {"sid", "_permanent", "_fresh", "csrf"}
    assert sids[0] != sids[1]


def test_throttling_holds_for_the_sixth_attempt_whatever_the_password(anonymous):
    for _ in range(5):
        assert anonymous.login("admin", "not the password").status_code == 401
    for password in ("still wrong!", PASSWORD):
        response = anonymous.login("admin", password)
        assert response.status_code == 429
        assert anonymous.client.get_cookie("yizhan_admin", path="/admin") is None or (
            anonymous.get("/admin/").status_code == 302
        )
