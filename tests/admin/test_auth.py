"""Login, sessions, CSRF and throttling, checked against every URL the admin app has."""

from __future__ import annotations

from argon2 import extract_parameters
from argon2.low_level import Type

from cms.admin.accounts import STRONG, Accounts

from .conftest import PASSWORD, token_of

SAMPLE = {"path": "news/", "fmt": "csv", "id": "x", "number": "1"}


def _urls(app, method: str) -> list[str]:
    """Every admin URL answering ``method`` (from the URL map, so new routes are included)."""
    adapter = app.url_map.bind("localhost")
    urls = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint in ("static", "auth.login") or rule.endpoint.endswith(".static"):
            continue
        if method not in rule.methods:
            continue
        urls.append(adapter.build(rule.endpoint, {a: SAMPLE.get(a, "x") for a in rule.arguments}))
    return urls


def test_the_url_map_covers_the_admin(admin_app):
    gets = _urls(admin_app, "GET")
    assert (
        "/admin/" in gets and "/admin/news/edit/" in gets and "/admin/publish/status.json" in gets
    )
    assert len(_urls(admin_app, "POST")) >= 10


def test_every_admin_page_sends_anonymous_users_to_login(admin_app, anonymous):
    for url in _urls(admin_app, "GET"):
        response = anonymous.get(url)
        assert response.status_code == 302, url
        assert response.location.startswith("/admin/login/?next="), url


def test_every_post_without_a_csrf_token_is_400(admin_app, as_role):
    admin = as_role("admin")
    for url in _urls(admin_app, "POST"):
        response = admin.post(url, {"id": "plenary-2026", "body": "x"}, csrf=False)
        assert response.status_code == 400, url
        response = admin.post(url, {"id": "plenary-2026", "csrf_token": "1##forged"})
        assert response.status_code == 400, url


def test_anonymous_posts_are_refused(admin_app, anonymous):
    token = token_of(anonymous.get("/admin/login/").get_data(as_text=True))
    for url in _urls(admin_app, "POST"):
        # logging out needs no login; readers report a wrong station without one
        if url in ("/admin/login/", "/admin/logout/", "/admin/report/"):
            continue
        assert anonymous.post(url, csrf=False).status_code == 400, url
        response = anonymous.post(url, {"csrf_token": token, "body": "我的正文"})
        assert response.status_code == 401, url


def test_a_refused_save_hands_the_text_back(as_role):
    editor = as_role("editor")
    response = editor.post(
        "/admin/news/edit/?id=plenary-2026", {"body": "辛苦写的正文"}, csrf=False
    )
    assert response.status_code == 400
    assert "辛苦写的正文" in response.get_data(as_text=True)


def test_login_sets_a_new_session_with_safe_cookie_flags(anonymous):
    anonymous.get("/admin/login/")
    before = anonymous.client.get_cookie("yizhan_admin", path="/admin")
    response = anonymous.login("editor")
    assert response.status_code == 302 and response.location == "/admin/"
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Path=/admin" in cookie
    assert "Secure" not in cookie
    after = anonymous.client.get_cookie("yizhan_admin", path="/admin")
    assert before is not None and after.value != before.value
    assert anonymous.get("/admin/").status_code == 200


def test_cookie_is_secure_over_https(admin_app):
    client = admin_app.test_client()
    page = client.get("/admin/login/", base_url="https://localhost")
    assert "Secure" in page.headers["Set-Cookie"]


def test_logout_ends_the_session_on_the_server(anonymous):
    anonymous.login("editor")
    stolen = anonymous.client.get_cookie("yizhan_admin", path="/admin").value
    assert anonymous.post("/admin/logout/").status_code == 302
    assert anonymous.get("/admin/").status_code == 302
    anonymous.client.set_cookie("yizhan_admin", stolen, path="/admin")
    assert anonymous.get("/admin/").status_code == 302  # the old cookie is worth nothing


def test_wrong_password_then_throttled_after_five_failures(anonymous):
    for _ in range(5):
        response = anonymous.login("editor", "wrong password!")
        assert response.status_code == 401
        assert "用户名或密码不对" in response.get_data(as_text=True)
    response = anonymous.login("editor", PASSWORD)  # even the right password waits
    assert response.status_code == 429
    assert "一分钟后再试" in response.get_data(as_text=True)


def test_throttling_counts_per_address_across_user_names(anonymous):
    for number in range(5):
        anonymous.login(f"nobody{number}", "wrong password!")
    assert anonymous.login("admin", PASSWORD).status_code == 429


def test_passwords_are_argon2id_at_least_owasp_strength(admin_app):
    import sqlite3
    from pathlib import Path

    db = sqlite3.connect(Path(admin_app.instance_path) / "admin.sqlite3")
    (stored,) = db.execute("SELECT hash FROM users WHERE name = 'editor'").fetchone()
    db.close()
    assert stored.startswith("$argon2id$")
    found = extract_parameters(stored)
    assert found.type is Type.ID
    assert found.memory_cost >= 19 * 1024 and found.time_cost >= 2 and found.parallelism >= 1
    assert PASSWORD not in stored


def test_next_never_leaves_the_admin(anonymous):
    page = anonymous.client.get("/admin/login/?next=https://evil.example/")
    token = token_of(page.get_data(as_text=True))
    response = anonymous.client.post(
        "/admin/login/?next=https://evil.example/",
        data={"csrf_token": token, "name": "editor", "password": PASSWORD},
    )
    assert response.location == "/admin/"


def test_accounts_hash_strongly_by_default_and_refuse_weak_settings(tmp_path):
    import pytest

    accounts = Accounts(tmp_path / "a.sqlite3")
    accounts.add("chief", "admin", PASSWORD)
    assert accounts.verify("chief", PASSWORD) is not None
    assert accounts.verify("chief", "wrong password") is None
    found = extract_parameters(accounts.hasher.hash("x"))
    assert (found.memory_cost, found.time_cost) == (STRONG["memory_cost"], STRONG["time_cost"])
    with pytest.raises(ValueError):
        Accounts(tmp_path / "b.sqlite3", {"memory_cost": 1024})
