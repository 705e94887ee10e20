"""One entry never blocks another: broken references are refused where they are made."""

from __future__ import annotations

from lxml import html

from cms.content import load
from tests.admin.test_entries import _edit_form


def _errors(response) -> dict[str, list[str]]:
    """Return {field id: [messages]} of the red texts under the form's fields."""
    page = html.fromstring(response.get_data(as_text=True))
    found: dict[str, list[str]] = {}
    for message in page.find_class("invalid-feedback"):
        group = message.getparent()
        control = group.find(".//*[@name]")
        found.setdefault(control.get("name") if control is not None else "", []).append(
            message.text_content().strip()
        )
    return found


def test_approving_an_entry_that_links_to_a_draft_names_it_at_the_body(content_copy, as_role):
    editor = as_role("editor")
    form = _edit_form(editor, "news", "rider-care-2026")
    before = (content_copy / "news" / "rider-care-2026.md").read_bytes()
    form["body"] += "\n见[内部草稿](../news/secret-draft-plan.md)。\n"
    response = editor.post("/admin/news/edit/?id=rider-care-2026", {**form, "action": "save"})
    assert response.status_code == 200
    [said] = _errors(response)["body"]
    assert said.startswith("正文第 ") and "还没有发布" in said
    assert "《" in said  # the draft's title, not its file name
    assert (content_copy / "news" / "rider-care-2026.md").read_bytes() == before


def test_a_raw_html_image_that_leads_nowhere_is_refused(content_copy, as_role):
    editor = as_role("editor")
    form = _edit_form(editor, "news", "rider-care-2026")
    form["body"] += "\n<img src=x>\n"
    response = editor.post("/admin/news/edit/?id=rider-care-2026", {**form, "action": "save"})
    assert response.status_code == 200
    assert any(" x " in said for said in _errors(response)["body"])


def test_a_draft_may_link_to_a_draft_but_not_to_nothing(content_copy, as_role):
    writer = as_role("writer")
    form = _edit_form(writer, "news", "secret-draft-plan")
    form["body"] += "\n[另一篇草稿](../news/secret-review-note.md)\n"
    response = writer.post("/admin/news/edit/?id=secret-draft-plan", {**form, "action": "save"})
    assert response.status_code == 302
    form = _edit_form(writer, "news", "secret-draft-plan")
    form["body"] += "\n[没有这篇](../news/no-such-news.md)\n"
    response = writer.post("/admin/news/edit/?id=secret-draft-plan", {**form, "action": "save"})
    assert "no-such-news 不存在" in _errors(response)["body"][0]


def test_an_activity_at_a_draft_station_cannot_be_approved(content_copy, as_role):
    editor = as_role("editor")
    form = _edit_form(editor, "activities", "open-training-2026")
    form["station"] = "secret-draft-station"
    response = editor.post(
        "/admin/activities/edit/?id=open-training-2026", {**form, "action": "save"}
    )
    [said] = _errors(response)["station"]
    assert "还没有发布" in said and said.startswith("所在阵地：服务阵地《")


def test_withdrawing_a_referenced_station_lists_who_links_to_it(content_copy, as_role):
    editor = as_role("editor")
    form = _edit_form(editor, "stations", "nanwan-night-01")
    before = (content_copy / "stations" / "nanwan-night-01.md").read_bytes()
    response = editor.post(
        "/admin/stations/edit/?id=nanwan-night-01", {**form, "action": "unpublish"}
    )
    assert response.status_code == 409
    page = html.fromstring(response.get_data(as_text=True))
    links = {a.get("href") for a in page.get_element_by_id("referrers").iter("a")}
    assert links == {
        "/admin/activities/edit/?id=full-care-2026",
        "/admin/news/edit/?id=early-bird-2026",
    }
    assert (content_copy / "stations" / "nanwan-night-01.md").read_bytes() == before

    confirm = page.get_element_by_id("withdraw-together").getparent()
    data = dict(confirm.form_values())
    response = editor.post(confirm.get("action"), data)
    assert response.status_code == 302
    content = load(content_copy)
    assert content.get("stations", "nanwan-night-01").status == "draft"
    assert content.get("activities", "full-care-2026").status == "draft"
    assert content.get("news", "early-bird-2026").status == "draft"
    assert not content.problems
    flashed = editor.get(response.location).get_data(as_text=True)
    assert "已撤回发布" in flashed and "一并撤回" in flashed


def test_deleting_a_referenced_station_is_refused_until_confirmed(content_copy, as_role):
    editor = as_role("editor")
    entry = load(content_copy).get("stations", "nanwan-night-01")
    response = editor.post(
        "/admin/stations/delete/", {"id": "nanwan-night-01", "version": entry.version}
    )
    assert response.status_code == 409
    assert (content_copy / "stations" / "nanwan-night-01.md").exists()
    page = html.fromstring(response.get_data(as_text=True))
    confirm = page.get_element_by_id("withdraw-together").getparent()
    response = editor.post(confirm.get("action"), dict(confirm.form_values()))
    assert response.status_code == 302
    assert not (content_copy / "stations" / "nanwan-night-01.md").exists()
    content = load(content_copy)
    assert content.get("activities", "full-care-2026").status == "draft"
    assert not content.problems


def test_a_writer_cannot_withdraw_through_the_together_form(content_copy, as_role):
    writer = as_role("writer")
    entry = load(content_copy).get("stations", "nanwan-night-01")
    response = writer.post(
        "/admin/stations/withdraw/",
        {"id": "nanwan-night-01", "version": entry.version, "then": "unpublish"},
    )
    assert response.status_code == 403
