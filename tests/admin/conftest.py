"""Admin fixtures: the admin app over a copy of the test content, users of every role."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from flask.testing import FlaskClient

from cms.admin import create_app
from cms.admin.accounts import OWASP_MINIMUM, Accounts

PASSWORD = "correct horse battery staple"
ROLES = ("writer", "editor", "admin")
_TOKEN = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"|value="([^"]+)"[^>]*name="csrf_token"')


def token_of(html: str) -> str:
    """Return the first CSRF token in a page."""
    match = _TOKEN.search(html)
    assert match, "no csrf_token in the page"
    return match.group(1) or match.group(2)


class Browser:
    """A test client that logs in and sends the page's CSRF token with every form."""

    def __init__(self, client: FlaskClient):
        self.client = client
        self.token = ""

    def login(self, name: str, password: str = PASSWORD):
        page = self.client.get("/admin/login/")
        response = self.client.post(
            "/admin/login/",
            data={"csrf_token": token_of(page.get_data(as_text=True)), "name": name,
                  "password": password},
        )  # fmt: skip
        if response.status_code == 302:
            self.token = token_of(self.client.get("/admin/").get_data(as_text=True))
        return response

    def get(self, url: str, **kw):
        return self.client.get(url, **kw)

    def post(self, url: str, data: dict | None = None, csrf: bool = True, **kw):
        data = dict(data or {})
        if csrf:
            data.setdefault("csrf_token", self.token)
        return self.client.post(url, data=data, **kw)


@pytest.fixture(scope="session")
def users_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An accounts database with one user per role, made once (hashing is slow on purpose)."""
    path = tmp_path_factory.mktemp("users") / "admin.sqlite3"
    accounts = Accounts(path, OWASP_MINIMUM)
    for role in ROLES:
        accounts.add(role, role, PASSWORD)
    return path


@pytest.fixture
def admin_app(content_copy: Path, tmp_path: Path, now, users_db: Path):
    instance = tmp_path / "instance"
    instance.mkdir()
    shutil.copy(users_db, instance / "admin.sqlite3")
    return create_app(
        content_copy,
        instance,
        {
            "TESTING": True,
            "YIZHAN_NOW": now,
            "YIZHAN_OUTPUT": tmp_path / "site",
            "YIZHAN_ARGON2": OWASP_MINIMUM,
        },
    )


@pytest.fixture
def anonymous(admin_app) -> Browser:
    return Browser(admin_app.test_client())


@pytest.fixture
def as_role(admin_app):
    """Return a logged-in Browser for a role name."""

    def make(role: str) -> Browser:
        browser = Browser(admin_app.test_client())
        assert browser.login(role).status_code == 302
        return browser

    return make


FORM_NEWS_TEMPLATE = """---
title: 第{number}号通知：职工服务月活动安排
date: 2026-01-01T10:00:00+08:00
category: notice
status: draft
---
各基层工会：现将第{number}号通知印发给你们。
"""
