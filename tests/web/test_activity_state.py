"""An activity's registration badge follows its facts: no registration is never 报名中."""

from __future__ import annotations

import lxml.html

from cms.public.app import create_app

from ..conftest import NOW

NO_REGISTRATION = """\
---
title: 不用报名的慰问活动
starts_at: 2026-12-20T09:00:00+08:00
ends_at: 2026-12-20T11:00:00+08:00
brand: care
street: bantian
summary: 到场即可。
status: published
---
活动无需报名。
"""


def badge(client, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200, path
    tree = lxml.html.fromstring(response.get_data(as_text=True))
    return tree.xpath("string(//header//span[contains(@class, 'state')])")


def test_an_activity_without_registration_says_none_is_needed(content_copy):
    (content_copy / "activities" / "walk-in-2026.md").write_text(NO_REGISTRATION, "utf-8")
    client = create_app(content_copy, now=NOW).test_client()
    assert badge(client, "/activities/walk-in-2026/") == "无需报名"
    listing = lxml.html.fromstring(client.get("/activities/").get_data(as_text=True))
    card = listing.xpath("//article[.//a[@href='/activities/walk-in-2026/']]")[0]
    assert "报名中" not in card.text_content()
    assert "无需报名" in card.text_content()
    api = client.get("/api/v1/activities.json").get_json()
    (item,) = [a for a in api["items"] if a["slug"] == "walk-in-2026"]
    assert item["state"] == "none" and item["registration"] is None


def test_an_activity_without_registration_is_ended_once_over(content_copy):
    text = NO_REGISTRATION.replace("2026-12-20", "2026-11-01")
    (content_copy / "activities" / "walk-in-2026.md").write_text(text, "utf-8")
    client = create_app(content_copy, now=NOW).test_client()
    assert badge(client, "/activities/walk-in-2026/") == "已结束"
