"""The admin in a real browser: write, preview, publish and read; the map picker; a withdrawal."""

from __future__ import annotations

import io
import re
import shutil
from pathlib import Path

import pytest
from PIL import Image
from playwright.sync_api import expect

from cms.admin.accounts import OWASP_MINIMUM, Accounts
from cms.admin.wsgi import serve_app
from cms.publish.build import build

from ..conftest import DATA, NOW
from .conftest import LiveServer

PASSWORD = "correct horse battery staple"


def _built_at_root(tmp_path: Path, settings: str = "") -> tuple[Path, Path]:
    """Copy the test content, served at the root as ``build.py serve`` serves the demo site,
    with more site.yml ``settings`` lines, and build it; return the content folder and the
    output link."""
    content = tmp_path / "content"
    shutil.copytree(DATA / "content", content)
    site_yml = content / "site.yml"
    text = site_yml.read_text("utf-8").replace("example.org/union/", "example.org/") + settings
    site_yml.write_text(text, "utf-8")
    output = tmp_path / "site"
    build(content, output, now=NOW)
    return content, output


@pytest.fixture
def admin_site(tmp_path: Path):
    """The admin and the built site on one real server, as ``build.py serve`` runs them."""
    content, output = _built_at_root(tmp_path)
    accounts = Accounts(tmp_path / "instance" / "admin.sqlite3", OWASP_MINIMUM)
    accounts.add("editor", "editor", PASSWORD)
    app = serve_app(
        content, tmp_path / "instance", output, {"YIZHAN_NOW": NOW, "YIZHAN_ARGON2": OWASP_MINIMUM}
    )
    server = LiveServer(app)
    server.content = content
    yield server
    server.stop()


def _login(page, server) -> None:
    page.goto(server.url + "/admin/news/")
    page.get_by_label("用户名").fill("editor")
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url("**/admin/news/")


def _jpeg() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (64, 48), (180, 20, 20)).save(out, "JPEG")
    return out.getvalue()


def test_editor_writes_previews_publishes_and_reads_it_live(browser, admin_site):
    context = browser.new_context(locale="zh-CN", viewport={"width": 1400, "height": 900})
    page = context.new_page()
    _login(page, admin_site)
    page.goto(admin_site.url + "/admin/news/new/")
    page.locator("#title").fill("驿站夏日送清凉")
    expect(page.locator("#slug")).to_have_value("yi-zhan-xia-ri-song-qing-liang")
    page.locator("#category").select_option("service")
    page.locator("#body").fill("今天给骑手送去了绿豆汤。\n")
    page.locator("[data-upload-into-body]").set_input_files(
        files=[{"name": "现场.jpg", "mimeType": "image/jpeg", "buffer": _jpeg()}]
    )
    expect(page.locator("#body")).to_have_value(re.compile(r"!\[\]\(\.\./media/2026/.+\.jpg\)"))
    preview = page.frame_locator("#live-preview")
    expect(preview.locator("h1")).to_have_text("驿站夏日送清凉")
    expect(preview.locator(".prose img")).to_have_count(1)
    page.get_by_role("button", name="批准发布").click()
    # Approve means live: the form follows the publish, then says so, with no other click.
    page.wait_for_url("**/admin/news/edit/?id=yi-zhan-xia-ri-song-qing-liang*")
    expect(page.locator("#entry-state")).to_contain_text("已发布")
    expect(page.locator("#entry-live")).to_contain_text("已上线", timeout=60_000)
    expect(page.locator("#entry-live-link")).to_have_attribute(
        "href", "/news/yi-zhan-xia-ri-song-qing-liang/"
    )
    assert "publishing=" not in page.url

    page.goto(admin_site.url + "/news/yi-zhan-xia-ri-song-qing-liang/")
    expect(page.locator("h1")).to_have_text("驿站夏日送清凉")
    image = page.locator(".prose img")
    # The uploaded photo is served as a rendition named by its content hash.
    expect(image).to_have_attribute("src", re.compile(r"/media/r/[0-9a-f]+-64\.jpg$"))
    # naturalWidth is scaled by srcset/sizes; the file the browser chose is the 64 px photo.
    chosen = page.evaluate("document.querySelector('.prose img').currentSrc")
    assert "/media/r/" in chosen
    with Image.open(io.BytesIO(page.request.get(chosen).body())) as photo:
        assert photo.size[0] == 64
    context.close()


def test_the_preview_and_the_map_picker_load_when_they_come_into_view(browser, admin_site):
    """Below the form on a phone, the live preview is asked of the server only once it comes
    into view, and then shows the edits made meanwhile."""
    context = browser.new_context(locale="zh-CN", viewport={"width": 390, "height": 844})
    page = context.new_page()
    _login(page, admin_site)
    previews = []
    page.on("request", lambda r: previews.append(r) if "/preview/" in r.url else None)
    page.goto(admin_site.url + "/admin/news/edit/?id=plenary-2026")
    page.locator("#title").fill("全会改期通知")
    page.wait_for_timeout(1_500)  # past the preview's debounce: nothing is asked meanwhile
    assert previews == []
    assert page.locator("#live-preview").get_attribute("srcdoc") is None
    page.locator("#live-preview").scroll_into_view_if_needed()
    preview = page.frame_locator("#live-preview")
    expect(preview.locator("h1")).to_have_text("全会改期通知")
    expect(page.locator("#live-preview")).not_to_have_attribute("aria-busy", "true")
    assert len(previews) == 1

    # A station's map picker out of view (a short window, as with a phone's keyboard open)
    # loads Leaflet and its tiles only when scrolled to.
    leaflet = []
    page.on("request", lambda r: leaflet.append(r.url) if "leaflet" in r.url else None)
    page.set_viewport_size({"width": 390, "height": 300})
    page.goto(admin_site.url + "/admin/stations/edit/?id=bantian-care-01")
    page.wait_for_load_state("networkidle")
    assert leaflet == []
    expect(page.locator("#map-picker")).not_to_have_class(re.compile("leaflet-container"))
    page.locator("#map-picker").scroll_into_view_if_needed()
    expect(page.locator("#map-picker.leaflet-container")).to_be_visible()
    expect(page.locator("#map-picker .leaflet-marker-icon")).to_have_count(1)
    assert any(url.endswith(".js") for url in leaflet)
    context.close()


def test_station_is_placed_with_the_map_picker(browser, admin_site):
    context = browser.new_context(locale="zh-CN", viewport={"width": 1400, "height": 900})
    page = context.new_page()
    page.route(re.compile(r"https?://(?!127\.0\.0\.1).*"), lambda route: route.abort())
    _login(page, admin_site)
    page.goto(admin_site.url + "/admin/stations/new/")
    page.locator("#name").fill("坪地测试驿站")
    page.locator("#street").select_option("pingdi")
    page.locator("#address").fill("深圳市龙岗区坪地街道测试路 8 号")
    expect(page.locator("#slug")).to_have_value("ping-di-ce-shi-yi-zhan")
    expect(page.locator("#map-picker.leaflet-container")).to_be_visible()
    assert page.locator("#lat").input_value() == ""
    page.locator("#map-picker").click(position={"x": 200, "y": 120})
    expect(page.locator("#map-picker .leaflet-marker-icon")).to_have_count(1)
    lat, lng = float(page.locator("#lat").input_value()), float(page.locator("#lng").input_value())
    assert 22.5 < lat < 22.95 and 113.9 < lng < 114.5
    page.get_by_role("button", name="保存草稿").click()
    page.wait_for_url("**/admin/stations/edit/?id=ping-di-ce-shi-yi-zhan")
    text = (admin_site.content / "stations" / "ping-di-ce-shi-yi-zhan.md").read_text("utf-8")
    assert f"location:\n  lat: {lat}\n  lng: {lng}\n" in text
    assert "hours:\n- mon-sun 09:00-18:00\n" in text
    context.close()


def test_a_station_withdrawn_while_referenced_goes_with_its_referrers_past_a_broken_file(
    browser, admin_site
):
    """A file broken by hand does not stop the publish; the station's referrers are listed,
    withdrawn together on confirmation, and all of them leave the public site."""
    broken = admin_site.content / "news" / "rider-care-2026.md"
    broken.write_text(broken.read_text("utf-8") + "\n<img src=x>\n", "utf-8")
    context = browser.new_context(locale="zh-CN", viewport={"width": 1400, "height": 900})
    page = context.new_page()
    _login(page, admin_site)
    page.goto(admin_site.url + "/admin/stations/edit/?id=nanwan-night-01")
    page.get_by_role("button", name="撤回发布").click()
    referrers = page.locator("#referrers a")
    expect(referrers).to_have_count(2)
    expect(page.locator("#referrers")).to_contain_text("工联会冬季职工服务月启动")  # its title
    page.locator("#withdraw-together").click()
    page.wait_for_url("**/admin/stations/edit/?id=nanwan-night-01*")
    expect(page.locator(".alert-success")).to_contain_text("一并撤回")
    # The publish went through: the broken news is named, and kept as it was live.
    expect(page.locator("#entry-publishing-problems")).to_contain_text(
        "content/news/rider-care-2026.md", timeout=60_000
    )
    for path in ("/stations/nanwan-night-01/", "/activities/full-care-2026/"):
        assert page.request.get(admin_site.url + path).status == 404, path
    assert page.request.get(admin_site.url + "/news/rider-care-2026/").ok
    context.close()


@pytest.fixture
def clocked_site(tmp_path: Path):
    """The admin and the site on a real server whose clock the test moves, ticking fast."""
    import datetime as dt

    content, output = _built_at_root(tmp_path)
    accounts = Accounts(tmp_path / "instance" / "admin.sqlite3", OWASP_MINIMUM)
    for role in ("writer", "editor"):
        accounts.add(role, role, PASSWORD)
    moment = {"now": NOW}
    config = {
        "YIZHAN_ARGON2": OWASP_MINIMUM,
        "YIZHAN_CLOCK": lambda: moment["now"],
        "YIZHAN_TICK": 0.2,
    }
    server = LiveServer(serve_app(content, tmp_path / "instance", output, config))
    server.content, server.moment, server.timedelta = content, moment, dt.timedelta
    yield server
    server.stop()


def _login_as(browser, server, name: str):
    context = browser.new_context(locale="zh-CN", viewport={"width": 1400, "height": 900})
    page = context.new_page()
    page.goto(server.url + "/admin/")
    page.get_by_label("用户名").fill(name)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url("**/admin/")
    return context, page


def test_a_schedule_fires_by_itself_when_the_clock_passes(browser, clocked_site):
    context, page = _login_as(browser, clocked_site, "editor")
    page.goto(clocked_site.url + "/admin/news/edit/?id=secret-review-note")
    page.locator("#publish_at").fill("2026-11-25T12:05")
    with page.expect_navigation():
        page.get_by_role("button", name="批准发布").click()
    # The form follows the publish that approving starts, then loads itself again when done.
    page.wait_for_url(lambda url: "/edit/" in url and "publishing=" not in url, timeout=60_000)
    expect(page.locator("#entry-live")).to_contain_text("等待上线（定时 2026-11-25 12:05）")
    page.goto(clocked_site.url + "/admin/")
    expect(page.locator("#scheduled-next")).to_contain_text("2026-11-25 12:05 上线")
    address = clocked_site.url + "/news/secret-review-note/"
    assert page.request.get(address).status == 404

    clocked_site.moment["now"] += clocked_site.timedelta(minutes=6)  # no button, no cron
    for _ in range(300):
        if page.request.get(address).ok:
            break
        page.wait_for_timeout(200)
    assert page.request.get(address).ok
    page.goto(clocked_site.url + "/admin/news/edit/?id=secret-review-note")
    expect(page.locator("#entry-live")).to_contain_text("已上线")
    context.close()


def test_a_submission_sent_back_is_seen_by_its_writer(browser, clocked_site):
    writer_context, writer = _login_as(browser, clocked_site, "writer")
    writer.goto(clocked_site.url + "/admin/news/new/")
    writer.locator("#title").fill("驿站冬季送温暖")
    writer.locator("#category").select_option("work")
    writer.locator("#body").fill("给环卫工人送去热汤。\n")
    writer.get_by_role("button", name="提交审核").click()
    writer.wait_for_url("**/admin/news/edit/?id=*")
    slug_url = writer.url

    editor_context, editor = _login_as(browser, clocked_site, "editor")
    editor.locator("#awaiting-review").get_by_role("link", name="驿站冬季送温暖").click()
    editor.locator("#return-box summary").click()
    editor.locator("#reason").fill("请补上活动地点。")
    editor.get_by_role("button", name="退回修改").click()
    expect(editor.locator("#entry-state")).to_contain_text("草稿")

    writer.goto(clocked_site.url + "/admin/")
    expect(writer.locator("#returned")).to_contain_text("请补上活动地点。")
    writer.goto(slug_url)
    expect(writer.locator("#notes-list")).to_contain_text("退回修改")
    expect(writer.locator("#notes-list")).to_contain_text("请补上活动地点。")
    editor_context.close()
    writer_context.close()


def test_the_list_menu_runs_a_bulk_action_under_the_admins_policy(browser, admin_site):
    """选中的 → 提交审核 on a ticked draft, with no inline handler the policy refuses."""
    context = browser.new_context(locale="zh-CN", viewport={"width": 1400, "height": 900})
    page = context.new_page()
    refused: list[str] = []
    page.on(
        "console", lambda m: refused.append(m.text) if "Content Security Policy" in m.text else None
    )
    _login(page, admin_site)
    page.goto(admin_site.url + "/admin/news/?page_size=100")
    assert page.locator("[onclick*='modelActions']").count() == 0
    page.locator("input.action-checkbox[value='secret-draft-plan']").check()
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="选中的", exact=True).click()
    page.get_by_role("button", name="提交审核").click()
    page.wait_for_load_state("networkidle")
    text = (admin_site.content / "news" / "secret-draft-plan.md").read_text("utf-8")
    assert "status: review" in text
    assert refused == []
    context.close()
