"""网站设置: admins edit site.yml's settings, vocabularies and menu from the admin."""

from __future__ import annotations

import json

import pytest
import yaml
from lxml import html

from cms.admin.publish import publisher
from tests.build.html_checker import html_errors, require_checker

TIMEOUT = 300  # builds share two cores with other test runs


@pytest.fixture(autouse=True)
def _publishes_settle(admin_app):
    """Let the publish a save starts finish before the test's folders go."""
    yield
    with admin_app.app_context():
        publisher().wait(TIMEOUT)


def _form(browser) -> tuple[dict[str, list[str]], html.HtmlElement]:
    """The settings form as a browser would send it, field by field (lists, in page order)."""
    page = html.fromstring(browser.get("/admin/settings/").get_data(as_text=True))
    form = page.get_element_by_id("settings-form")
    data: dict[str, list[str]] = {}
    for name, value in form.form_values():
        data.setdefault(name, []).append(value)
    return data, page


def _row(data: dict, vocabulary: str, key: str) -> int:
    return data[f"{vocabulary}-was"].index(key)


def _add(data: dict, vocabulary: str, key: str, label: str, color: str = "") -> None:
    """Fill the first blank row of a vocabulary's table."""
    at = data[f"{vocabulary}-key"].index("")
    data[f"{vocabulary}-key"][at] = key
    data[f"{vocabulary}-label"][at] = label
    data[f"{vocabulary}-color"][at] = color


def _site(content) -> dict:
    return yaml.safe_load((content / "site.yml").read_text(encoding="utf-8"))


def _errors(response) -> list[str]:
    page = html.fromstring(response.get_data(as_text=True))
    return [e.text_content().strip() for e in page.find_class("invalid-feedback")]


@pytest.mark.parametrize("role", ["writer", "editor"])
def test_only_admins_open_or_save_the_settings(as_role, role):
    browser = as_role(role)
    assert browser.get("/admin/settings/").status_code == 403
    assert browser.post("/admin/settings/save/", {"title": "改名"}).status_code == 403
    assert "网站设置" not in browser.get("/admin/").get_data(as_text=True)
    assert browser.get("/admin/settings/history/").status_code == 403


@pytest.mark.slow
def test_admin_renames_a_label_adds_a_street_and_the_built_site_shows_them(
    admin_app, content_copy, as_role, tmp_path
):
    admin = as_role("admin")
    before = (content_copy / "site.yml").read_text(encoding="utf-8")
    data, _ = _form(admin)
    data["news_categories-label"][_row(data, "news_categories", "service")] = "服务职工群众"
    _add(data, "streets", "guanlan", "观澜街道")
    data["hotline"] = ["0755-28900000"]
    response = admin.post("/admin/settings/save/", data)
    assert response.status_code == 302, _errors(response)
    saved = _site(content_copy)
    assert saved["news_categories"]["service"] == {"label": "服务职工群众"}
    assert saved["streets"]["guanlan"] == {"label": "观澜街道"}
    assert saved["hotline"] == "0755-28900000"
    after = (content_copy / "site.yml").read_text(encoding="utf-8")
    # Only the changed blocks were rewritten: the file's first comment and the map stay.
    assert after.splitlines()[0] == before.splitlines()[0]
    assert before[before.index("map:") : before.index("news_categories:")] in after
    with admin_app.app_context():
        job = publisher().wait(TIMEOUT)
    assert job is not None and job.state == "succeeded", job and job.log
    site = tmp_path / "site"
    category = (site / "news" / "category" / "service" / "index.html").read_text(encoding="utf-8")
    assert "服务职工群众" in category
    published = json.loads((site / "api" / "v1" / "site.json").read_text(encoding="utf-8"))
    assert "guanlan" in json.dumps(published["vocabularies"]["streets"])
    assert "观澜街道" in json.dumps(published["vocabularies"]["streets"], ensure_ascii=False)
    assert "0755-28900000" in (site / "index.html").read_text(encoding="utf-8")
    # The save is a commit by the admin, shown in the settings' history with its diff.
    page = admin.get("/admin/settings/").get_data(as_text=True)
    history = html.fromstring(page).get_element_by_id("settings-history").text_content()
    assert "admin" in history
    log = admin.get("/admin/audit/").get_data(as_text=True)
    assert "保存网站设置" in log


def test_removing_a_key_in_use_names_its_entries_then_moving_them_works(
    admin_app, content_copy, as_role
):
    admin = as_role("admin")
    data, _ = _form(admin)
    data["news_categories-drop"] = ["service"]
    response = admin.post("/admin/settings/save/", data)
    assert response.status_code == 400
    page = html.fromstring(response.get_data(as_text=True))
    said = page.get_element_by_id("in-use-news_categories-service").text_content()
    assert "还有 3 篇条目在用" in said
    for title in ("骑手", "妈妈小屋"):
        assert title in said
    assert "service" in _site(content_copy)["news_categories"]
    # What was typed is still on the page: the tick on 删除 is kept.
    assert page.xpath("//input[@name='news_categories-drop'][@value='service']/@checked")

    data, _ = _form(admin)
    data["news_categories-drop"] = ["service"]
    data["move-news_categories-service"] = ["rights"]
    at = data["menu-label"].index("")
    data["menu-label"][at], data["menu-url"][at] = "服务职工", "/news/category/service/"
    response = admin.post("/admin/settings/save/", data)
    assert response.status_code == 400  # a menu link to the category's page would break
    assert any("是要删除或改代码的新闻栏目“服务职工”的页面" in e for e in _errors(response))
    data["menu-label"][at], data["menu-url"][at] = "", ""
    response = admin.post("/admin/settings/save/", data)
    assert response.status_code == 302, _errors(response)
    saved = _site(content_copy)
    assert "service" not in saved["news_categories"]
    moved = (content_copy / "news" / "rider-care-2026.md").read_text(encoding="utf-8")
    assert "category: rights" in moved
    # Each move is a normal save of the entry: in its history, by the admin.
    history = admin.get("/admin/news/history/?id=rider-care-2026").get_data(as_text=True)
    assert "admin" in history


def test_renaming_a_key_in_use_moves_its_entries_to_the_new_key(content_copy, as_role):
    admin = as_role("admin")
    data, _ = _form(admin)
    data["streets-key"][_row(data, "streets", "bantian")] = "bantian-jiedao"
    response = admin.post("/admin/settings/save/", data)
    assert response.status_code == 400
    page = html.fromstring(response.get_data(as_text=True))
    chosen = page.xpath("//select[@name='move-streets-bantian']/option[@selected]/@value")
    assert chosen == ["bantian-jiedao"]  # the rename is offered as the place to move to
    data["move-streets-bantian"] = ["bantian-jiedao"]
    response = admin.post("/admin/settings/save/", data)
    assert response.status_code == 302, _errors(response)
    streets = _site(content_copy)["streets"]
    assert "bantian" not in streets and streets["bantian-jiedao"] == {"label": "坂田街道"}
    station = (content_copy / "stations" / "bantian-care-01.md").read_text(encoding="utf-8")
    assert "street: bantian-jiedao" in station


@pytest.mark.parametrize(
    ("colour", "said"),
    [("#ffeb3b", "对比度只有 1.22:1"), ("red", "应写成 # 加六位十六进制数")],
)
def test_a_bad_colour_is_refused_at_its_field(content_copy, as_role, colour, said):
    admin = as_role("admin")
    data, _ = _form(admin)
    data["station_types-color"][_row(data, "station_types", "legal-aid")] = colour
    before = (content_copy / "site.yml").read_bytes()
    response = admin.post("/admin/settings/save/", data)
    assert response.status_code == 400
    errors = _errors(response)
    assert any(said in e and "阵地类型第 4 行" in e for e in errors), errors
    page = html.fromstring(response.get_data(as_text=True))
    marked = page.xpath("//input[contains(@class, 'is-invalid')]")
    assert [(i.get("name"), i.get("value")) for i in marked] == [("station_types-color", colour)]
    assert (content_copy / "site.yml").read_bytes() == before


def test_bad_keys_and_fields_are_refused_in_chinese(content_copy, as_role):
    admin = as_role("admin")
    data, _ = _form(admin)
    _add(data, "streets", "Guan Lan", "观澜")
    _add(data, "amenities", "water", "饮用水")
    data["title"] = [""]
    data["stale_after_months"] = ["半年"]
    response = admin.post("/admin/settings/save/", data)
    assert response.status_code == 400
    errors = _errors(response)
    assert any("代码“Guan Lan”只能用小写英文字母、数字和连字符" in e for e in errors)
    assert any("代码“water”与第 1 行重复" in e for e in errors)
    assert "网站名称：不能为空" in errors
    assert any(e.startswith("阵地信息核实周期（月）：") for e in errors)


def test_a_save_from_a_stale_page_is_refused_with_the_input_kept(content_copy, as_role):
    admin = as_role("admin")
    data, _ = _form(admin)
    colleague = as_role("admin")
    other, _ = _form(colleague)
    other["hotline"] = ["12345"]
    assert colleague.post("/admin/settings/save/", other).status_code == 302
    data["hotline"] = ["0755-11112222"]
    _add(data, "streets", "guanlan", "观澜街道")
    response = admin.post("/admin/settings/save/", data)
    assert response.status_code == 409
    page = html.fromstring(response.get_data(as_text=True))
    assert "已被他人保存" in page.get_element_by_id("settings-stale").text_content()
    assert page.get_element_by_id("s-hotline").get("value") == "0755-11112222"
    assert "guanlan" in page.xpath("//input[@name='streets-key']/@value")
    assert _site(content_copy)["hotline"] == "12345"


def test_settings_have_history_diff_and_restore(content_copy, as_role):
    admin = as_role("admin")
    first = (content_copy / "site.yml").read_text(encoding="utf-8")
    data, _ = _form(admin)
    data["subtitle"] = ["服务职工，温暖同行"]
    assert admin.post("/admin/settings/save/", data).status_code == 302
    history = html.fromstring(admin.get("/admin/settings/history/").get_data(as_text=True))
    rows = history.xpath("//table//tbody/tr")
    assert len(rows) == 2  # the folder's first commit, then the admin's save
    assert "admin" in rows[0].text_content() and "保存" in rows[0].text_content()
    links = history.xpath("//table//a/@href")
    newest = html.fromstring(admin.get(links[0]).get_data(as_text=True))
    added = [e.text_content() for e in newest.find_class("diff-add")]
    assert "+subtitle: 服务职工，温暖同行" in added
    older = admin.get(links[1]).get_data(as_text=True)
    form = html.fromstring(older).xpath("//form[contains(@action, 'restore')]")[0]
    fields = dict(form.form_values())
    assert admin.post(form.get("action"), fields).status_code == 302
    assert (content_copy / "site.yml").read_text(encoding="utf-8") == first
    history = admin.get("/admin/settings/history/").get_data(as_text=True)
    assert "恢复" in history


@pytest.mark.slow
def test_settings_pages_are_valid_html(content_copy, as_role, tmp_path):
    require_checker()
    admin = as_role("admin")
    data, _ = _form(admin)
    refused = dict(data, **{"news_categories-drop": ["service"], "title": [""]})
    data["station_types-color"][_row(data, "station_types", "legal-aid")] = "#ffeb3b"
    pages = {
        "settings": admin.get("/admin/settings/"),
        "settings-refused": admin.post("/admin/settings/save/", refused),
        "settings-bad-colour": admin.post("/admin/settings/save/", data),
        "settings-history": admin.get("/admin/settings/history/"),
    }
    rev = html.fromstring(pages["settings-history"].get_data(as_text=True)).xpath("//td/a/@href")
    pages["settings-revision"] = admin.get(rev[0])
    files = []
    for name, response in pages.items():
        path = tmp_path / "pages" / f"{name}.html"
        path.parent.mkdir(exist_ok=True)
        path.write_text(response.get_data(as_text=True), encoding="utf-8")
        files.append(path)
    assert html_errors(files) == []


def test_a_street_the_tally_uses_moves_its_rows_too(content_copy, as_role):
    (content_copy / "tally").mkdir()
    (content_copy / "tally" / "2026.yml").write_text(
        "year: 2026\ntarget: 100\nheld:\n"
        "  - {month: 1, brand: care, street: pingdi, count: 7}\n"
        "  - {month: 2, brand: care, street: buji, count: 3}\n",
        encoding="utf-8",
    )
    admin = as_role("admin")
    data, _ = _form(admin)
    data["streets-drop"] = ["pingdi"]
    response = admin.post("/admin/settings/save/", data)
    assert response.status_code == 400
    page = html.fromstring(response.get_data(as_text=True))
    said = page.get_element_by_id("in-use-streets-pingdi").text_content()
    assert "活动台账 2026 年 1 行也用到它" in said
    data["move-streets-pingdi"] = ["buji"]
    assert admin.post("/admin/settings/save/", data).status_code == 302
    held = yaml.safe_load((content_copy / "tally" / "2026.yml").read_text(encoding="utf-8"))
    assert sorted(r["street"] for r in held["held"]) == ["buji", "buji"]
    assert "pingdi" not in _site(content_copy)["streets"]


def test_restoring_a_version_without_a_key_entries_now_use_is_refused(content_copy, as_role):
    admin = as_role("admin")
    data, _ = _form(admin)
    _add(data, "streets", "guanlan", "观澜街道")
    assert admin.post("/admin/settings/save/", data).status_code == 302
    station = content_copy / "stations" / "bantian-care-01.md"
    text = station.read_text(encoding="utf-8").replace("street: bantian", "street: guanlan")
    station.write_text(text, encoding="utf-8")
    history = html.fromstring(admin.get("/admin/settings/history/").get_data(as_text=True))
    older = admin.get(history.xpath("//table//a/@href")[1]).get_data(as_text=True)
    form = html.fromstring(older).xpath("//form[contains(@action, 'restore')]")[0]
    response = admin.post(form.get("action"), dict(form.form_values()), follow_redirects=True)
    said = response.get_data(as_text=True)
    assert "这一版不能恢复" in said and "街道“guanlan”那一版没有，但有 1 篇条目在用" in said
    assert "guanlan" in _site(content_copy)["streets"]


def test_saving_unchanged_settings_changes_nothing_in_site_yml(content_copy, as_role):
    (content_copy / "site.yml").write_text(
        (content_copy / "site.yml")
        .read_text(encoding="utf-8")
        .replace("yearly_activity_target: 1500\n", ""),
        encoding="utf-8",
    )
    before = (content_copy / "site.yml").read_bytes()
    admin = as_role("admin")
    data, page = _form(admin)
    assert page.get_element_by_id("s-yearly_activity_target").get("value") == "0"
    response = admin.post("/admin/settings/save/", data, follow_redirects=True)
    assert "网站设置没有改动，无需保存。" in response.get_data(as_text=True)
    assert (content_copy / "site.yml").read_bytes() == before


def test_the_menu_is_reordered_added_to_and_checked(content_copy, as_role):
    admin = as_role("admin")
    data, _ = _form(admin)
    at = data["menu-label"].index("")
    data["menu-label"][at], data["menu-order"][at] = "工作动态", "0"
    data["menu-url"][at] = "/notice/"
    data["menu-order"][data["menu-label"].index("联系我们")] = "99"
    data["menu-url"][data["menu-label"].index("首页")] = "javascript:alert(1)"
    response = admin.post("/admin/settings/save/", data)
    assert response.status_code == 400
    errors = _errors(response)
    assert any(e.startswith("菜单第 1 行：链接“javascript:alert(1)”应以 / 开头") for e in errors)
    # A link to a page the site lacks would be a broken link on every page.
    assert any(e.startswith(f"菜单第 {at + 1} 行：网站上没有 /notice/ 这个页面") for e in errors)
    data["menu-url"][data["menu-label"].index("首页")] = "/"
    data["menu-url"][at] = "/news/category/work/"
    response = admin.post("/admin/settings/save/", data)
    assert response.status_code == 302, _errors(response)
    menu = _site(content_copy)["menu"]
    assert menu[0] == {"label": "工作动态", "url": "/news/category/work/"}
    assert menu[-1] == {"label": "联系我们", "url": "/contact/"}
    assert len(menu) == 7
