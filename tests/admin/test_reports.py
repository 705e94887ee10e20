"""纠错: readers post reports without a login; editors see them, linked to the station, and
resolve them; the endpoint refuses floods, large bodies, bots and markup."""

from __future__ import annotations

import re

import requests
from lxml import html as lxml_html

from tests.browser.conftest import LiveServer

REPORT = {"station": "bantian-care-01", "problem": "hours", "text": "周日不开门", "phone": ""}


def post(client, data=None, address="203.0.113.7", **kwargs):
    return client.post(
        "/admin/report/", data={**REPORT, **(data or {})},
        environ_base={"REMOTE_ADDR": address}, **kwargs,
    )  # fmt: skip


def texts(html: str, xpath: str) -> list[str]:
    return [e.text_content().strip() for e in lxml_html.fromstring(html).xpath(xpath)]


def test_a_report_posts_without_login_and_editors_see_and_resolve_it(anonymous, as_role):
    answer = post(anonymous.client, {"text": "周日<b>不开门</b><script>alert(1)</script>"})
    assert answer.status_code == 200
    assert "谢谢，已收到" in answer.get_data(as_text=True)
    editor = as_role("editor")
    listing = editor.get("/admin/reports/").get_data(as_text=True)
    rows = lxml_html.fromstring(listing).xpath("//table[@id='reports']//tr[@data-id]")
    assert len(rows) == 1
    row = rows[0]
    assert row.xpath(".//a")[0].get("href") == "/admin/stations/edit/?id=bantian-care-01"
    assert "开放时间不对" in row.text_content()
    # Markup is dropped, not kept: plain text only.
    assert row.xpath(".//td[@class='report-text']")[0].text_content() == "周日不开门"
    form = editor.get("/admin/stations/edit/?id=bantian-care-01").get_data(as_text=True)
    assert texts(form, "//*[@id='station-reports-h']") == ["读者纠错（未处理 1 条）"]
    home = editor.get("/admin/").get_data(as_text=True)
    assert texts(home, "//a[@id='open-reports']") == ["1 条未处理"]
    number = row.get("data-id")
    resolved = editor.post(f"/admin/reports/{number}/resolve")
    assert resolved.status_code == 302
    assert "没有未处理的纠错" in editor.get("/admin/reports/").get_data(as_text=True)
    everything = editor.get("/admin/reports/?show=all").get_data(as_text=True)
    assert "已处理" in texts(everything, "//table[@id='reports']//tr[@data-id]/td")[-1]
    assert "station-reports" not in editor.get("/admin/stations/edit/?id=bantian-care-01").get_data(
        as_text=True
    )
    audit = as_role("admin").get("/admin/audit/").get_data(as_text=True)
    actions = texts(audit, "//table[@id='audit-log']/tbody/tr/td[3]")
    assert "读者纠错" in actions and "处理纠错" in actions


def test_the_sixth_post_in_a_minute_from_one_address_is_refused(anonymous):
    for _ in range(5):
        assert post(anonymous.client).status_code == 200
    refused = post(anonymous.client, headers={"Accept": "application/json"})
    assert refused.status_code == 429
    assert refused.get_json() == {"ok": False, "message": "提交太频繁，请一分钟后再试。"}
    assert post(anonymous.client, address="198.51.100.2").status_code == 200  # another reader


def test_a_100_kb_body_is_refused(anonymous, as_role):
    answer = post(anonymous.client, {"text": "长" * 40_000, "phone": "1" * 20_000})
    assert answer.status_code == 413
    assert "内容太长" in answer.get_data(as_text=True)
    assert "没有未处理的纠错" in as_role("editor").get("/admin/reports/").get_data(as_text=True)


def test_bad_fields_are_named_in_chinese_and_nothing_is_kept(anonymous, as_role):
    cases = [
        ({"problem": "gone"}, "问题类型"),
        ({"station": "no-such-station"}, "站点"),
        ({"phone": "打我电话"}, "联系电话"),
        ({"text": "长" * 1001}, "补充说明最多 1000 字"),
    ]
    for number, (data, words) in enumerate(cases):
        answer = post(anonymous.client, data, address=f"192.0.2.{number}")
        assert answer.status_code == 400
        assert words in answer.get_data(as_text=True)
    # A bot filling the hidden field is thanked and ignored.
    assert post(anonymous.client, {"website": "http://spam.example"}).status_code == 200
    assert "没有未处理的纠错" in as_role("editor").get("/admin/reports/").get_data(as_text=True)


def test_fetch_from_the_site_gets_json_with_cors(anonymous):
    origin = "https://example.org"  # tests/data's base_url is https://example.org/union/
    answer = post(anonymous.client, headers={"Origin": origin, "Accept": "application/json"})
    assert answer.get_json()["ok"] is True
    assert answer.headers["Access-Control-Allow-Origin"] == origin
    stranger = post(
        anonymous.client, headers={"Origin": "https://evil.example", "Accept": "application/json"}
    )
    assert "Access-Control-Allow-Origin" not in stranger.headers
    preflight = anonymous.client.options("/admin/report/", headers={"Origin": origin})
    assert preflight.status_code == 204
    assert preflight.headers["Access-Control-Allow-Origin"] == origin


def test_a_plain_form_post_links_back_to_the_station_page(anonymous):
    answer = post(anonymous.client, {"back": "/union/stations/bantian-care-01/"})
    links = lxml_html.fromstring(answer.get_data(as_text=True)).xpath("//a")
    assert [a.get("href") for a in links] == ["/union/stations/bantian-care-01/"]
    foreign = post(anonymous.client, {"back": "https://evil.example/"}, address="192.0.2.99")
    assert not re.search(r"evil\.example", foreign.get_data(as_text=True))


def test_reports_need_a_login_to_read(anonymous):
    assert anonymous.get("/admin/reports/").status_code == 302


def test_over_real_http_the_sixth_post_and_a_100_kb_body_are_refused(admin_app):
    """The same limits as a reader's phone meets them: a real server on 127.0.0.1."""
    server = LiveServer(admin_app)
    url = server.url + "/admin/report/"
    try:
        with requests.Session() as reader:
            answers = [reader.post(url, data=REPORT, timeout=10).status_code for _ in range(6)]
            assert answers == [200] * 5 + [429]
            assert "提交太频繁" in reader.post(url, data=REPORT, timeout=10).text
        big = {**REPORT, "text": "x" * (100 * 1024)}
        refused = requests.post(url, data=big, headers={"Accept": "application/json"}, timeout=10)
        assert refused.status_code == 413
        assert refused.json()["message"].startswith("内容太长")
    finally:
        server.stop()
